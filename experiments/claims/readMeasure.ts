/**
 * Reads one measure of a claim's test: a number from an experiment's summary table (the row its
 * `where` picks, mean with the 95 % CI or the largest replication), a quotient of two such
 * numbers, a calibration entry, or a fact record. A measure that cannot be read yet (no results,
 * or results without that row) comes back as the reason, which makes the claim pending.
 */
import { calibrationEntry } from '../../model/calibration/index.ts';
import type { ChartRow } from '../lib/charts.ts';
import type { ExperimentMeasure, Interval, Measured, MeasureSpec } from './claimTypes.ts';
import { factRecord } from './facts.ts';
import { ratioInterval } from './rules.ts';
import type { ResultsIndex } from './resultsIndex.ts';

export type ReadResult = { readonly ok: true; readonly measured: Measured } | { readonly ok: false; readonly missing: string };

/** The experiments a measure reads (none for calibration entries and facts). */
export function measureExperiments(spec: MeasureSpec): string[] {
  if (spec.kind === 'experiment') return [spec.experiment];
  if (spec.kind === 'ratio') return [...new Set([spec.numerator.experiment, spec.denominator.experiment])];
  return [];
}

/** "datapath=cilium-tc, services=5000". */
export function describeWhere(where: Readonly<Record<string, unknown>>): string {
  return Object.entries(where)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}

function matches(row: ChartRow, where: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(where).every(([k, v]) => row[k] === v);
}

function readExperiment(spec: ExperimentMeasure, results: ResultsIndex): { interval: Interval; point: number; columns: string[] } | string {
  const r = results.get(spec.experiment);
  if (r.status === 'missing') return r.problem ?? `no results for ${spec.experiment} in ${results.dir} (svcpath run ${spec.experiment}, or svcpath claims --run-missing)`;
  const hits = r.rows.filter((row) => matches(row, spec.where));
  if (hits.length === 0) {
    return `${spec.experiment}'s summary has no row with ${describeWhere(spec.where)}${r.quick ? ' (these are quick-mode results)' : ''}`;
  }
  if (hits.length > 1) throw new Error(`claims: ${describeWhere(spec.where)} picks ${hits.length} rows of ${spec.experiment}'s summary; a measure must pick one`);
  const row = hits[0]!;
  const factor = spec.factor ?? 1;
  const stat = spec.stat ?? 'mean';
  const num = (column: string): number => {
    const v = row[column];
    if (typeof v !== 'number') throw new Error(`claims: ${spec.experiment}'s summary has no numeric column ${column}`);
    return v;
  };
  const point = num('point');
  if (stat === 'max') {
    const column = `${spec.metric}_max`;
    const v = num(column) * factor;
    return { interval: { low: v, mean: v, high: v }, point, columns: [column] };
  }
  const meanColumn = `${spec.metric}_mean`;
  const hwColumn = `${spec.metric}_ci95HalfWidth`;
  const mean = num(meanColumn) * factor;
  // One replication has no interval (NaN half-width): the mean stands alone.
  const rawHw = row[hwColumn];
  const hw = typeof rawHw === 'number' && Number.isFinite(rawHw) ? Math.abs(rawHw * factor) : 0;
  return { interval: { low: mean - hw, mean, high: mean + hw }, point, columns: [meanColumn, hwColumn] };
}

/** Reads `spec` from `results` (calibration entries and facts need no results). */
export function readMeasure(spec: MeasureSpec, results: ResultsIndex): ReadResult {
  switch (spec.kind) {
    case 'experiment': {
      const r = readExperiment(spec, results);
      if (typeof r === 'string') return { ok: false, missing: r };
      return {
        ok: true,
        measured: {
          kind: 'number', interval: r.interval, unit: spec.unit, label: spec.label, basis: 'model',
          evidence: [{ kind: 'experiment', experiment: spec.experiment, points: [r.point], columns: r.columns }],
        },
      };
    }
    case 'ratio': {
      const n = readExperiment(spec.numerator, results);
      if (typeof n === 'string') return { ok: false, missing: n };
      const d = readExperiment(spec.denominator, results);
      if (typeof d === 'string') return { ok: false, missing: d };
      const evidence = spec.numerator.experiment === spec.denominator.experiment
        ? [{ kind: 'experiment' as const, experiment: spec.numerator.experiment, points: [n.point, d.point], columns: [...new Set([...n.columns, ...d.columns])] }]
        : [
            { kind: 'experiment' as const, experiment: spec.numerator.experiment, points: [n.point], columns: n.columns },
            { kind: 'experiment' as const, experiment: spec.denominator.experiment, points: [d.point], columns: d.columns },
          ];
      return { ok: true, measured: { kind: 'number', interval: ratioInterval(n.interval, d.interval), unit: spec.unit, label: spec.label, basis: 'model', evidence } };
    }
    case 'calibration': {
      const e = calibrationEntry(spec.key);
      const f = spec.factor ?? 1;
      const interval = e.label === 'assumption' && e.range
        ? { low: e.range[0] * f, mean: e.value * f, high: e.range[1] * f }
        : { low: e.value * f, mean: e.value * f, high: e.value * f };
      return { ok: true, measured: { kind: 'number', interval, unit: spec.unit ?? e.unit, label: spec.label, basis: e.label, evidence: [{ kind: 'calibration', key: e.key }] } };
    }
    case 'fact':
      return { ok: true, measured: { kind: 'fact', record: factRecord(spec.key), evidence: [{ kind: 'fact', key: spec.key }] } };
  }
}
