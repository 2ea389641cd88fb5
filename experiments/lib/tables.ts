/**
 * Result rows to Arrow tables. `runs`: one row per (point, replication) with the point index, the
 * swept parameters, replication, seed and every metric. `summary`: one row per point with n and,
 * per metric, mean and 95 % Student-t half-width over replications, the p50/p90/p99 of the
 * per-replication values (linear interpolation between order statistics, "type 7"), min and max.
 * The same rows always give the same bytes: rows come sorted by (point, replication), column types
 * are fixed by the layout (Float64, Int32, Utf8, Bool; no dictionary encoding, whose ids are
 * process-global counters in apache-arrow) and nothing else goes in.
 */
import { Bool, Table, Utf8, vectorFromArray, tableToIPC, type Vector } from 'apache-arrow';
import { confidenceInterval } from '../../model/engine/stats/confidenceInterval.ts';
import { DEFAULT_CONFIDENCE, P50, P90, P99 } from '../../model/engine/stats/percentiles.ts';
import { SUMMARY_STATS } from './chartFields.ts';
import type { ParamValue } from './defineExperiment.ts';
import type { ParamColumn } from './sweep.ts';

/** What fixes the columns: the sweep's points and parameter columns, and the metric names. */
export interface TableLayout {
  readonly points: readonly { readonly index: number; readonly swept: Readonly<Record<string, ParamValue>> }[];
  readonly paramColumns: readonly ParamColumn[];
  readonly metrics: readonly string[];
}

export interface RunRow {
  readonly point: number;
  readonly replication: number;
  readonly seed: number;
  readonly metrics: Readonly<Record<string, number>>;
}

export type PlainRow = Record<string, ParamValue | null>;

export interface StudyTables {
  readonly runs: Table;
  readonly summary: Table;
  /** The same tables as plain objects, for charts and --json. */
  readonly runRows: PlainRow[];
  readonly summaryRows: PlainRow[];
}

/** Linear interpolation between order statistics (Hyndman & Fan type 7) of sorted values. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  return lo + 1 < n ? a + (h - lo) * (sorted[lo + 1]! - a) : a;
}

/** Summary statistics of one metric's per-replication values, in replication order. */
export function summarizeValues(values: readonly number[]): Record<(typeof SUMMARY_STATS)[number], number> {
  const n = values.length;
  if (n === 0 || values.some(Number.isNaN)) {
    return { mean: NaN, ci95HalfWidth: NaN, p50: NaN, p90: NaN, p99: NaN, min: NaN, max: NaN };
  }
  const sorted = [...values].sort((a, b) => a - b);
  const finite = values.every(Number.isFinite);
  let mean: number;
  let halfWidth = NaN;
  if (finite) {
    const ci = confidenceInterval(values, DEFAULT_CONFIDENCE);
    mean = ci.mean;
    halfWidth = ci.halfWidth;
  } else {
    mean = values.reduce((s, x) => s + x, 0) / n;
  }
  return {
    mean,
    ci95HalfWidth: halfWidth,
    p50: quantileSorted(sorted, P50),
    p90: quantileSorted(sorted, P90),
    p99: quantileSorted(sorted, P99),
    min: sorted[0]!,
    max: sorted[n - 1]!,
  };
}

function paramVector(column: ParamColumn, values: ParamValue[]): Vector {
  if (column.type === 'number') return vectorFromArray(Float64Array.from(values as number[]));
  if (column.type === 'string') return vectorFromArray(values as string[], new Utf8());
  return vectorFromArray(values as boolean[], new Bool());
}

/** Builds both tables. `rows` must be sorted by (point, replication); points without rows are left out of summary. */
export function buildTables(layout: TableLayout, rows: readonly RunRow[]): StudyTables {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    if (a.point > b.point || (a.point === b.point && a.replication >= b.replication)) {
      throw new Error(`buildTables: rows must be sorted by (point, replication) without repeats; row ${i} breaks the order`);
    }
  }
  const sweptOf = new Map(layout.points.map((p) => [p.index, p.swept]));
  const swept = (point: number) => {
    const s = sweptOf.get(point);
    if (s === undefined) throw new Error(`buildTables: row for unknown point ${point}`);
    return s;
  };

  // runs
  const runCols: Record<string, Vector> = {};
  runCols.point = vectorFromArray(Int32Array.from(rows, (r) => r.point));
  for (const c of layout.paramColumns) runCols[c.name] = paramVector(c, rows.map((r) => swept(r.point)[c.name]!));
  runCols.replication = vectorFromArray(Int32Array.from(rows, (r) => r.replication));
  runCols.seed = vectorFromArray(Float64Array.from(rows, (r) => r.seed));
  for (const m of layout.metrics) runCols[m] = vectorFromArray(Float64Array.from(rows, (r) => r.metrics[m]!));

  // summary
  const groups: { point: number; rows: RunRow[] }[] = [];
  for (const r of rows) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last.point === r.point) last.rows.push(r);
    else groups.push({ point: r.point, rows: [r] });
  }
  const stats = groups.map((g) => Object.fromEntries(layout.metrics.map((m) => [m, summarizeValues(g.rows.map((r) => r.metrics[m]!))])));
  const sumCols: Record<string, Vector> = {};
  sumCols.point = vectorFromArray(Int32Array.from(groups, (g) => g.point));
  for (const c of layout.paramColumns) sumCols[c.name] = paramVector(c, groups.map((g) => swept(g.point)[c.name]!));
  sumCols.n = vectorFromArray(Int32Array.from(groups, (g) => g.rows.length));
  for (const m of layout.metrics) {
    for (const s of SUMMARY_STATS) sumCols[`${m}_${s}`] = vectorFromArray(Float64Array.from(stats, (st) => st[m]![s]));
  }

  const runs = new Table(runCols);
  const summary = new Table(sumCols);
  return { runs, summary, runRows: plainRows(runs), summaryRows: plainRows(summary) };
}

function plainRows(t: Table): PlainRow[] {
  const names = t.schema.fields.map((f) => f.name);
  const cols = names.map((n) => t.getChild(n)!);
  const out: PlainRow[] = [];
  for (let i = 0; i < t.numRows; i++) {
    const row: PlainRow = {};
    names.forEach((n, j) => (row[n] = cols[j]!.get(i) as ParamValue | null));
    out.push(row);
  }
  return out;
}

/** Arrow IPC file format (the `.arrow` file with footer), not the stream format. */
export function tableFileBytes(t: Table): Uint8Array {
  return tableToIPC(t, 'file');
}
