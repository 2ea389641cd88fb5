/**
 * Writes the files of a results folder from its rows, each atomically: runs.arrow, summary.arrow,
 * chart-<name>.vl.json per chart, then (when experiments/lib/charts.ts and parquet.ts are present)
 * chart-<name>.svg/.png and runs.parquet/summary.parquet, and manifest.json last. The manifest is
 * removed first, so a folder with a manifest always holds tables that match it. Used by a run and
 * by merge, so both produce the same bytes from the same rows.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomicSync } from './atomicWrite.ts';
import type { ChartDefinition } from './defineExperiment.ts';
import { buildTables, tableFileBytes, type RunRow, type StudyTables, type TableLayout } from './tables.ts';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Files a results folder may hold that the runner owns (a fresh run removes them). */
export const OWNED_FILE = /^(runs\.arrow|summary\.arrow|manifest\.json|runs\.parquet|summary\.parquet|chart-.+\.(vl\.json|svg|png))$/;

export interface OutputsReport {
  readonly tables: StudyTables;
  /** File names written, in order. */
  readonly files: string[];
  /** Outputs skipped or failed, and renderer warnings, one sentence each (all in the manifest). */
  readonly notes: string[];
  /** The notes worth telling the user now: failures and warnings, not a renderer that is simply absent. */
  readonly warnings: string[];
}

export interface WriteOutputsOptions {
  readonly dir: string;
  readonly layout: TableLayout;
  readonly rows: readonly RunRow[];
  readonly charts: readonly ChartDefinition[];
  /** Render SVG/PNG and Parquet when their modules exist. __Default value:__ true */
  readonly optionalOutputs?: boolean;
  /** The manifest, given what was written; it is written last. */
  readonly manifest: (report: Omit<OutputsReport, 'tables' | 'warnings'> & { tables: { runs: Table; summary: Table } }) => unknown;
}

type RenderChart = (spec: TopLevelSpec, datasets: Record<string, unknown[]>) => Promise<{ svg: string; png: Uint8Array; warnings?: string[] }>;
type WriteParquet = (table: Table, path: string) => Promise<void>;

/** Imports experiments/lib/<file> if it exists; a missing module is not an error. */
async function optionalModule(file: string): Promise<Record<string, unknown> | null> {
  const url = new URL(`./${file}`, import.meta.url);
  if (!existsSync(url)) return null;
  return (await import(url.href)) as Record<string, unknown>;
}

export function chartFileSpec(spec: ChartDefinition['spec']): Record<string, unknown> {
  return { $schema: VEGA_LITE_SCHEMA, ...(spec as unknown as Record<string, unknown>) };
}

export function removeOwnedOutputs(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) if (OWNED_FILE.test(name)) rmSync(join(dir, name), { force: true });
}

export async function writeOutputs(o: WriteOutputsOptions): Promise<OutputsReport> {
  const files: string[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];
  const warn = (message: string) => {
    notes.push(message);
    warnings.push(message);
  };
  const put = (name: string, data: string | Uint8Array) => {
    writeFileAtomicSync(join(o.dir, name), data);
    files.push(name);
  };
  rmSync(join(o.dir, 'manifest.json'), { force: true });

  const tables = buildTables(o.layout, o.rows);
  put('runs.arrow', tableFileBytes(tables.runs));
  put('summary.arrow', tableFileBytes(tables.summary));

  const chartStems = new Set(o.charts.map((c) => `chart-${c.name}`));
  for (const name of readdirSync(o.dir)) {
    const m = /^(chart-.+)\.(vl\.json|svg|png)$/.exec(name);
    if (m !== null && !chartStems.has(m[1]!)) rmSync(join(o.dir, name), { force: true });
  }
  for (const c of o.charts) put(`chart-${c.name}.vl.json`, `${JSON.stringify(chartFileSpec(c.spec), null, 2)}\n`);

  if (o.optionalOutputs !== false) {
    if (o.charts.length > 0) {
      const mod = await optionalModule('charts.ts');
      const render = mod?.renderChart as RenderChart | undefined;
      if (typeof render !== 'function') {
        notes.push('chart SVG/PNG not written: experiments/lib/charts.ts (renderChart) is not available');
      } else {
        for (const c of o.charts) {
          try {
            const out = await render(chartFileSpec(c.spec) as unknown as TopLevelSpec, { summary: tables.summaryRows, runs: tables.runRows });
            put(`chart-${c.name}.svg`, out.svg);
            put(`chart-${c.name}.png`, out.png);
            for (const w of out.warnings ?? []) warn(`chart ${c.name}: ${w}`);
          } catch (e) {
            warn(`chart ${c.name}: SVG/PNG failed: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
      }
    }
    const pq = await optionalModule('parquet.ts');
    const writeParquet = pq?.writeParquet as WriteParquet | undefined;
    if (typeof writeParquet !== 'function') {
      notes.push('Parquet not written: experiments/lib/parquet.ts (writeParquet) is not available');
    } else {
      for (const [name, table] of [
        ['runs.parquet', tables.runs],
        ['summary.parquet', tables.summary],
      ] as const) {
        try {
          await writeParquet(table, join(o.dir, name));
          files.push(name);
        } catch (e) {
          warn(`${name} failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
  }

  files.push('manifest.json');
  const manifest = o.manifest({ files, notes, tables });
  writeFileAtomicSync(join(o.dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { tables, files, notes, warnings };
}
