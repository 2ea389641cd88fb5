/**
 * Runs bench/peers/simpy_mm1.py, the same M/M/1 as bench/mm1Models.ts written on SimPy 4.1.2, so
 * our engine and SimPy are timed on the same machine in the same invocation. SimPy is not part of
 * the repository: it comes from the `src/` folder of a source checkout at tag 4.1.2, given by
 * `--simpy-src DIR` or $SIMPY_SRC, or else from python3's installed packages. When none is found
 * the script's message (how to get SimPy 4.1.2) is what the bench prints. $PYTHON names the
 * interpreter (default python3).
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./peers/simpy_mm1.py', import.meta.url));

export interface SimpyResult {
  customersPerSec: number;
  eventsPerSec: number;
  simpyVersion: string;
  python: string;
  meanWait: number;
  theoryWait: number;
}

/**
 * Where SimPy should come from: the flag, else $SIMPY_SRC, else null (python3's installed
 * packages). A given folder must hold `simpy/core.py`, so a wrong path is reported as such
 * instead of silently falling back to whatever is installed.
 */
export function simpySource(flag: string | undefined): { src: string | null } | { unavailable: string } {
  const given = flag ?? process.env.SIMPY_SRC;
  const from = flag !== undefined ? '--simpy-src' : 'SIMPY_SRC';
  if (given === undefined || given === '') return { src: null };
  if (!existsSync(`${given}/simpy/core.py`)) {
    return { unavailable: `${from} is "${given}", which has no simpy/core.py (it should be the src/ folder of a SimPy 4.1.2 source checkout, tag 4.1.2; see bench/peers/README.md)` };
  }
  return { src: given };
}

export function runSimpy(customers: number, seed: number, src: string | null): SimpyResult | { unavailable: string } {
  const args = [SCRIPT, String(customers), '--seed', String(seed), '--json'];
  if (src !== null) args.push('--simpy-src', src);
  const env = { ...process.env };
  delete env.SIMPY_SRC; // the script would read it; the choice is made above
  const r = spawnSync(process.env.PYTHON ?? 'python3', args, { encoding: 'utf8', maxBuffer: 1 << 20, env });
  if (r.error !== undefined) return { unavailable: `cannot run ${process.env.PYTHON ?? 'python3'}: ${r.error.message}` };
  if (r.status !== 0) return { unavailable: (r.stderr || `simpy_mm1.py exited with status ${r.status}`).trim() };
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
