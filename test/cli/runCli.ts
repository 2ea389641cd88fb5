/**
 * Runs the svcpath CLI in a child process from the repo root, the way a user would, and
 * collects exit code, stdout and stderr. Asynchronous so independent runs can overlap.
 */
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  status: number | null;
  /** The signal that ended the process, if one did (e.g. SIGKILL from `onSpawn`'s kill). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * `entry` is relative to the repo root: experiments/cli/main.ts (via tsx) or bin/svcpath.js.
 * `onSpawn` receives a function that kills the child with SIGKILL (for kill -9 tests).
 */
export function runCli(
  args: readonly string[],
  entry = 'experiments/cli/main.ts',
  onSpawn?: (kill: () => void) => void,
): Promise<CliResult> {
  const nodeArgs = entry.endsWith('.ts') ? ['--import', 'tsx', entry, ...args] : [entry, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
    onSpawn?.(() => child.kill('SIGKILL'));
  });
}

/** The one JSON object a successful `--json` run prints (exit 0, one non-empty stdout line). */
export function jsonOnly(r: CliResult): Record<string, any> {
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, any>;
}
