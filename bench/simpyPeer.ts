/**
 * Runs ../shared/peers/simpy_mm1.py (our own script; SimPy itself is never vendored) when a SimPy
 * source checkout can be found, so our engine and SimPy are timed on the same machine in the same
 * invocation. Looked for, in order: $SIMPY_SRC, /tmp/peers/simpy/src, ../peers/simpy/src.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface SimpyResult {
  customersPerSec: number;
  eventsPerSec: number;
  simpyVersion: string;
  python: string;
  meanWait: number;
  theoryWait: number;
}

export function findSimpySource(): string | null {
  const candidates = [process.env.SIMPY_SRC, '/tmp/peers/simpy/src', join(repoRoot, '..', 'peers', 'simpy', 'src')];
  for (const c of candidates) if (c && existsSync(join(c, 'simpy', 'core.py'))) return c;
  return null;
}

export function findPeerScript(): string | null {
  const script = join(repoRoot, '..', 'shared', 'peers', 'simpy_mm1.py');
  return existsSync(script) ? script : null;
}

export function runSimpy(customers: number, seed: number): SimpyResult | { unavailable: string } {
  const src = findSimpySource();
  const script = findPeerScript();
  if (src === null) return { unavailable: 'no SimPy source found (set SIMPY_SRC to a checkout of SimPy 4.1.2 src/)' };
  if (script === null) return { unavailable: 'no ../shared/peers/simpy_mm1.py beside the checkout' };
  const r = spawnSync('python3', [script, String(customers), '--simpy-src', src, '--seed', String(seed), '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) return { unavailable: `simpy_mm1.py failed: ${(r.stderr || r.error?.message || '').trim().slice(0, 300)}` };
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
  return {
    customersPerSec: j.customers_per_s,
    eventsPerSec: j.events_per_s,
    simpyVersion: j.simpy_version,
    python: j.python,
    meanWait: j.wq_mean_all,
    theoryWait: j.wq_theory,
  };
}
