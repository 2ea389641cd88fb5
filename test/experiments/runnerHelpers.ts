/**
 * Shared pieces of the runner tests: fixture experiment references, fresh temporary folders,
 * readers for the bytes and rows of a results folder, and the quick runs of default experiments
 * that the guard tests read.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import { arrowRows, type ChartRow } from '../../experiments/lib/charts.ts';
import { experimentRefFor, type ExperimentRef } from '../../experiments/lib/loadExperiment.ts';
import { runStudy } from '../../experiments/lib/runStudy.ts';

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

/** A summary cell that must be a number; throws naming the column when it is missing. */
export function summaryNumber(row: ChartRow, field: string): number {
  const v = row[field];
  if (typeof v !== 'number') throw new Error(`summary column ${field} is missing or not a number (got ${String(v)})`);
  return v;
}

/** Each named default experiment run once in its quick mode (through the CLI's runner) into a temporary folder: its summary rows and run notes. */
export async function quickRuns<N extends string>(names: readonly N[]): Promise<{ summaries: Record<N, ChartRow[]>; notes: Record<N, string[]> }> {
  const summaries = {} as Record<N, ChartRow[]>;
  const notes = {} as Record<N, string[]>;
  for (const name of names) {
    const dir = tempDir(name);
    const result = await runStudy({ experiment: experimentRefFor(name), quick: true, outDir: dir });
    summaries[name] = arrowRows(readTable(dir, 'summary'));
    notes[name] = result.notes;
  }
  return { summaries, notes };
}
