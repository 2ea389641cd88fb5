/**
 * Shared pieces of the runner tests: fixture experiment references, fresh temporary folders, and
 * readers for the bytes and rows of a results folder.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import type { ExperimentRef } from '../../experiments/lib/loadExperiment.ts';

export const SUM: ExperimentRef = { moduleUrl: new URL('./fixtures/sumStudy.ts', import.meta.url).href };
export const SLOW: ExperimentRef = { moduleUrl: new URL('./fixtures/slowStudy.ts', import.meta.url).href };
export const PRECISION: ExperimentRef = { moduleUrl: new URL('./fixtures/precisionStudy.ts', import.meta.url).href };

const created: string[] = [];

export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `svcpath-${label}-`));
  created.push(dir);
  return dir;
}

/** Removes every folder tempDir made (call from afterAll). */
export function removeTempDirs(): void {
  for (const d of created.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function tableBytes(dir: string, name: 'runs' | 'summary'): Buffer {
  return readFileSync(join(dir, `${name}.arrow`));
}

export function readTable(dir: string, name: 'runs' | 'summary'): Table {
  return tableFromIPC(tableBytes(dir, name));
}

/** Every file under dir (recursively), relative paths. */
export function allFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, prefix))) {
    const rel = prefix === '' ? name : join(prefix, name);
    if (statSync(join(dir, rel)).isDirectory()) out.push(...allFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

export function manifestOf(dir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
}
