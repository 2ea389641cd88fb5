/**
 * Checks a chart spec against the tables it will be bound to, before anything runs: every view
 * reads a named dataset (`summary` or `runs`, never inline values or a URL), and every encoded
 * field is a column of that table or a name a transform creates. Vega-Lite itself would draw an
 * empty chart for a misspelt field; this says which field and what exists. Specs with transforms
 * whose output names are data-dependent (pivot, lookup, unknown kinds) skip the field check.
 */
import type { ChartDataName } from './defineExperiment.ts';

/** Per metric, the summary table holds `<metric>_<stat>` for each of these. */
/** A misspelt field is offered the known fields within this many edits. */
const SUGGEST_WITHIN_EDITS = 3; // calibration-exempt: how forgiving the did-you-mean is, not a model quantity

export const SUMMARY_STATS = ['mean', 'ci95HalfWidth', 'p50', 'p90', 'p99', 'min', 'max'] as const;
/** Suffix of a metric's mean column in summary tables (`<metric>_mean`). */
export const MEAN_SUFFIX = '_mean';

export const CHART_DATA_NAMES: readonly ChartDataName[] = ['summary', 'runs'];

export type TableColumns = Record<ChartDataName, readonly string[]>;

export interface ChartProblem {
  path: (string | number)[];
  message: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Names a transform adds to the rows, or null when they cannot be known without the data. */
function transformOutputs(t: Json): string[] | null {
  const as = strings(t.as);
  const fromOps = (key: string) => (Array.isArray(t[key]) ? (t[key] as unknown[]).flatMap((op) => (isObject(op) ? strings(op.as) : [])) : []);
  if ('calculate' in t || 'timeUnit' in t || 'stack' in t) return as;
  if ('bin' in t) return as.flatMap((a) => [a, `${a}_end`]);
  if ('aggregate' in t) return fromOps('aggregate');
  if ('joinaggregate' in t) return fromOps('joinaggregate');
  if ('window' in t) return fromOps('window');
  if ('fold' in t) return as.length > 0 ? as : ['key', 'value'];
  if ('flatten' in t) return as.length > 0 ? as : strings(t.flatten);
  if ('density' in t) return as.length > 0 ? as : ['value', 'density'];
  if ('quantile' in t) return as.length > 0 ? as : ['prob', 'value'];
  if ('regression' in t || 'loess' in t) return as;
  if ('filter' in t || 'sample' in t || 'extent' in t || 'impute' in t) return [];
  return null;
}

function collectFields(node: unknown, path: (string | number)[], out: { path: (string | number)[]; field: string }[]): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => collectFields(v, [...path, i], out));
  } else if (isObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'field' && typeof v === 'string') out.push({ path: [...path, k], field: v });
      else collectFields(v, [...path, k], out);
    }
  }
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

const VIEW_CHILDREN = ['layer', 'concat', 'hconcat', 'vconcat'] as const;

export function chartFieldProblems(spec: unknown, columns: TableColumns): ChartProblem[] {
  const problems: ChartProblem[] = [];
  const walk = (node: unknown, path: (string | number)[], dataset: ChartDataName | undefined, defined: Set<string> | null): void => {
    if (!isObject(node)) return;
    if ('data' in node) {
      const d = node.data;
      const ok = isObject(d) && Object.keys(d).length === 1 && CHART_DATA_NAMES.includes(d.name as ChartDataName);
      if (!ok) {
        problems.push({
          path: [...path, 'data'],
          message: 'expected { name: "summary" } or { name: "runs" }: the runner binds the table by name; no values, url or other fields',
        });
        return;
      }
      dataset = (d as { name: ChartDataName }).name;
    } else if (path.length === 0) {
      problems.push({ path: ['data'], message: 'missing; expected { name: "summary" } or { name: "runs" }' });
      return;
    }
    let names = defined === null ? null : new Set(defined);
    if (Array.isArray(node.transform)) {
      for (const t of node.transform) {
        const out = isObject(t) ? transformOutputs(t) : null;
        if (out === null) names = null;
        else if (names !== null) for (const n of out) names.add(n);
      }
    }
    if (dataset !== undefined && names !== null) {
      const known = new Set([...columns[dataset], ...names]);
      const refs: { path: (string | number)[]; field: string }[] = [];
      collectFields(node.encoding, [...path, 'encoding'], refs);
      collectFields(node.facet, [...path, 'facet'], refs);
      for (const r of refs) {
        // Nested ("a.b") and escaped field paths are left to Vega-Lite.
        if (known.has(r.field) || /[.[\\]/.test(r.field)) continue;
        const close = [...known].filter((c) => editDistance(c, r.field) <= SUGGEST_WITHIN_EDITS).sort((a, b) => editDistance(a, r.field) - editDistance(b, r.field));
        problems.push({
          path: r.path,
          message:
            `"${r.field}" is not a column of ${dataset}` +
            (close.length > 0 ? `; did you mean "${close[0]}"?` : `; columns: ${columns[dataset].join(', ')}`),
        });
      }
    }
    for (const key of VIEW_CHILDREN) {
      const children = node[key];
      if (Array.isArray(children)) children.forEach((c, i) => walk(c, [...path, key, i], dataset, names));
    }
    if (isObject(node.spec)) walk(node.spec, [...path, 'spec'], dataset, names);
  };
  walk(spec, [], undefined, new Set());
  return problems;
}
