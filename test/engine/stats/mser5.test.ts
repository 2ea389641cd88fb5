import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mser5 } from '../../../model/engine/stats/mser5.ts';
import { seededRandom } from './seededRandom.ts';

/** Straight O(k²) transcription of the MSER(d) definition over batch means of 5. */
function mserByDefinition(xs: readonly number[]): number[] {
  const k = Math.floor(xs.length / 5);
  const z: number[] = [];
  for (let j = 0; j < k; j++) z.push(xs.slice(5 * j, 5 * j + 5).reduce((a, b) => a + b, 0) / 5);
  const stats: number[] = [];
  for (let d = 0; d <= Math.floor(k / 2); d++) {
    const tail = z.slice(d);
    const mean = tail.reduce((a, b) => a + b, 0) / tail.length;
    stats.push(tail.reduce((a, b) => a + (b - mean) ** 2, 0) / tail.length ** 2);
  }
  return stats;
}

function transientSeries(seed: number, offset = 0): number[] {
  const rng = seededRandom(seed);
  return [
    ...Array.from({ length: 200 }, () => offset + 100),
    ...Array.from({ length: 10_000 }, () => offset + rng.normal()),
  ];
}

describe('mser5', () => {
  it('mser5(xs) truncates an initial transient', () => {
    const r = mser5(transientSeries(1));
    expect(r.batchSize).toBe(5);
    expect(r.truncateCount).toBeGreaterThanOrEqual(200);
    expect(r.truncateCount).toBeLessThanOrEqual(300);
  });

  it('mser5(xs) never keeps any of the transient and usually cuts exactly at it', () => {
    const cuts = Array.from({ length: 20 }, (_, s) => mser5(transientSeries(100 + s)).truncateCount);
    for (const c of cuts) expect(c).toBeGreaterThanOrEqual(200);
    expect(cuts.filter((c) => c === 200).length).toBeGreaterThanOrEqual(10);
  });

  it('mser5(xs) truncates little of a stationary iid series', () => {
    for (let s = 0; s < 10; s++) {
      const rng = seededRandom(500 + s);
      const xs = Array.from({ length: 10_000 }, () => rng.normal(50, 3));
      expect(mser5(xs).truncateCount).toBeLessThan(0.05 * xs.length);
    }
  });

  it('mser5(xs) is unaffected by adding a large constant (ns-scale levels)', () => {
    expect(mser5(transientSeries(3, 1e9)).truncateCount).toBe(mser5(transientSeries(3)).truncateCount);
  });

  it('mser5(xs) of a constant series truncates nothing', () => {
    const r = mser5(new Array(1000).fill(0.1));
    expect(r.truncateCount).toBe(0);
    expect(r.statistic).toBe(0);
  });

  it('mser5(xs).truncateCount is a multiple of 5 and at most n/2', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 10, maxLength: 400 }), (xs) => {
        const { truncateCount } = mser5(xs);
        expect(truncateCount % 5).toBe(0);
        expect(truncateCount).toBeLessThanOrEqual(xs.length / 2);
        expect(truncateCount).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('mser5(xs) picks the minimiser of the O(k²) definition', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 10, maxLength: 300 }), (xs) => {
        const r = mser5(xs);
        const stats = mserByDefinition(xs);
        const min = Math.min(...stats);
        const tol = 1e-9 * (1 + min);
        expect(Math.abs(r.statistic - min)).toBeLessThanOrEqual(tol);
        expect(Math.abs((stats[r.truncateCount / 5] as number) - min)).toBeLessThanOrEqual(tol);
        // No clearly smaller value at an earlier d.
        for (let d = 0; d < r.truncateCount / 5; d++) expect(stats[d] as number).toBeGreaterThanOrEqual(min - tol);
      }),
    );
  });

  it('mser5 rejects series shorter than two batches and non-finite values', () => {
    expect(() => mser5([1, 2, 3, 4, 5, 6, 7, 8, 9])).toThrow(
      /xs must hold at least 10 observations \(2 batches of 5\), got 9/,
    );
    expect(() => mser5([1, 2, 3, 4, 5, 6, 7, 8, 9, Infinity])).toThrow(/xs\[9\] must be a finite number, got Infinity/);
  });
});
