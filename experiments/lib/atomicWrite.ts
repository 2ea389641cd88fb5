/**
 * Atomic file writes: data goes to a temporary file in the same folder, then a rename puts it in
 * place, so a reader (or a resumed run after kill -9) sees the old file or the whole new one, never
 * a part. Temporary names end in `.tmp`; a run removes leftovers of crashed runs before it starts.
 * No fsync: this protects against a crashed process, not against losing power.
 */
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

let counter = 0;

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${threadId}-${++counter}.tmp`);
}

export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = tempPath(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Removes `*.tmp` files and folders directly in `dir` (left by a crashed writer); returns how many. */
export function removeTempFiles(dir: string): number {
  let n = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (name.endsWith('.tmp')) {
      rmSync(join(dir, name), { recursive: true, force: true });
      n++;
    }
  }
  return n;
}
