/**
 * Summaries of a count over Service port programs (endpoints per program, backends per frontend):
 * a histogram of [count, programs] pairs and its mean and nearest-rank percentiles. A histogram, not
 * the list, so that 50,000 programs summarise in memory proportional to their distinct counts.
 */
import { P50, P99 } from '../engine/stats/percentiles.ts';
import type { CountSummary } from './clusterProfile.ts';

export type CountHistogram = readonly (readonly [number, number])[];

export const EMPTY_COUNT_SUMMARY: CountSummary = Object.freeze({ mean: 0, p50: 0, p99: 0, max: 0 });

/** [value, occurrences] pairs, ascending by value, from a map of value to occurrences (zero occurrences dropped). */
export function histogramOf(occurrences: ReadonlyMap<number, number>): CountHistogram {
  return [...occurrences.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]).map(([v, n]) => [v, n] as const);
}

/** The histogram of a list of values. */
export function histogramOfValues(values: Iterable<number>): CountHistogram {
  const m = new Map<number, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return histogramOf(m);
}

/** The value at nearest rank ceil(q n) of the histogram's n values. */
export function histogramQuantile(h: CountHistogram, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`q must be in [0, 1], got ${q}`);
  const n = h.reduce((s, [, c]) => s + c, 0);
  if (n === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (const [v, c] of h) {
    seen += c;
    if (seen >= rank) return v;
  }
  return h[h.length - 1]![0];
}

/** Mean, p50, p99 (nearest rank) and max of the histogram's values. */
export function summarizeHistogram(h: CountHistogram): CountSummary {
  let n = 0;
  let sum = 0;
  for (const [v, c] of h) {
    if (!(Number.isFinite(v) && Number.isSafeInteger(c) && c >= 0)) throw new RangeError(`histogram entries must be [finite value, count >= 0], got [${v}, ${c}]`);
    n += c;
    sum += v * c;
  }
  if (n === 0) return EMPTY_COUNT_SUMMARY;
  return { mean: sum / n, p50: histogramQuantile(h, P50), p99: histogramQuantile(h, P99), max: h[h.length - 1]![0] };
}

/** How many values the histogram holds. */
export function histogramTotal(h: CountHistogram): number {
  return h.reduce((s, [, c]) => s + c, 0);
}
