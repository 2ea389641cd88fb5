/**
 * Quick-mode results of every built experiment the claims read, shared by the claims, CLI and
 * report tests: made once per version of the code (the folder is named by codeFingerprint, under
 * node_modules/.cache; folders of earlier versions are removed), reused by every test file that
 * asks, with a lock so that test files running at the same time do not run the same experiment
 * twice.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { codeFingerprint } from '../../../experiments/lib/codeFingerprint.ts';
import { experimentRefFor } from '../../../experiments/lib/loadExperiment.ts';
import { runStudy } from '../../../experiments/lib/runStudy.ts';
import { EXPERIMENTS } from '../../../experiments/index.ts';
import { CLAIMS } from '../../../experiments/claims/registry.ts';
import { measureExperiments } from '../../../experiments/claims/readMeasure.ts';
import { REPO_ROOT } from '../../cli/runCli.ts';

/** Built experiments some claim reads. */
export function claimedExperiments(): string[] {
  const built = new Set(EXPERIMENTS.map((e) => e.name));
  const names = new Set<string>();
  for (const c of CLAIMS) if (c.test.kind === 'measure') for (const s of Object.values(c.test.measures)) for (const e of measureExperiments(s)) names.add(e);
  return [...names].filter((n) => built.has(n)).sort();
}

function fresh(dir: string, name: string, code: string): boolean {
  const path = join(dir, name, 'manifest.json');
  if (!existsSync(path)) return false;
  const m = JSON.parse(readFileSync(path, 'utf8')) as { code?: string; quick?: boolean };
  return m.code === code && m.quick === true;
}

/** A lock older than this was left by a killed test run. */
const STALE_LOCK_MS = 10 * 60 * 1000; // calibration-exempt: 10 minutes, far longer than the quick runs take

async function withLock<T>(lock: string, body: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500)); // calibration-exempt: polling interval of the lock, ms
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The folder, with quick-mode results of every claimed experiment made by the current code. */
export async function quickResults(): Promise<string> {
  const code = codeFingerprint(experimentRefFor(EXPERIMENTS[0]!.name));
  const dir = join(REPO_ROOT, 'node_modules', '.cache', 'svcpath', `claims-quick-${code.slice(0, 16)}`);
  mkdirSync(dir, { recursive: true });
  await withLock(`${dir}.lock`, async () => {
    // Results of earlier versions of the code are never read again: keep only this one.
    const parent = join(dir, '..');
    for (const other of readdirSync(parent)) {
      if (/^claims-quick-[0-9a-f]+$/.test(other) && join(parent, other) !== dir && !existsSync(join(parent, `${other}.lock`))) {
        rmSync(join(parent, other), { recursive: true, force: true });
      }
    }
    for (const name of claimedExperiments()) {
      if (fresh(dir, name, code)) continue;
      await runStudy({ experiment: experimentRefFor(name), quick: true, outDir: join(dir, name) });
    }
  });
  return dir;
}

/**
 * Copies the quick results of `names` into `dir`, their manifests marked as made by the code as it
 * is now: for tests of the bookkeeping around results (missing, stale, --run-missing), which must
 * not depend on whether someone edited the model since the quick results were made.
 */
export async function copyQuickResults(dir: string, names: readonly string[]): Promise<void> {
  const { cpSync, writeFileSync } = await import('node:fs');
  const source = await quickResults();
  const code = codeFingerprint(experimentRefFor(EXPERIMENTS[0]!.name));
  for (const name of names) {
    cpSync(join(source, name), join(dir, name), { recursive: true });
    const manifest = join(dir, name, 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ ...(JSON.parse(readFileSync(manifest, 'utf8')) as object), code }));
  }
}
