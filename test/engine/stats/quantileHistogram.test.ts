import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { QuantileHistogram } from '../../../model/engine/stats/quantileHistogram.ts';
import { build, type Histogram } from 'hdr-histogram-js';
import { seededRandom } from './seededRandom.ts';

const QS = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1];

/** Inverted-CDF sample quantile: the smallest x with at least ceil(q·n) observations <= x. */
function exactQuantile(sorted: readonly number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length - 1e-9));
  return sorted[rank - 1] as number;
}

function expectWithinPrecision(h: QuantileHistogram, sorted: readonly number[], digits: number): void {
  for (const q of QS) {
    const exact = exactQuantile(sorted, q);
    expect(Math.abs(h.quantile(q) - exact)).toBeLessThanOrEqual(exact * 10 ** -digits);
  }
}

describe('QuantileHistogram', () => {
  it('quantileHistogram.quantile(q) is within 10^-3 of the exact quantiles of an exponential sample', () => {
    const rng = seededRandom(1);
    const h = new QuantileHistogram();
    const xs: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const x = Math.round(rng.exponential(250_000)); // 250 µs mean, in ns
      xs.push(x);
      h.record(x);
    }
    xs.sort((a, b) => a - b);
    expectWithinPrecision(h, xs, 3);
    expect(h.count).toBe(xs.length);
    expect(h.max).toBe(xs[xs.length - 1]);
    expect(h.min).toBe(xs[0]);
    expect(h.mean).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / xs.length, 6);
  });

  it('quantileHistogram with significantDigits 2 and 4 meets 10^-digits on a uniform sample', () => {
    for (const digits of [2, 4]) {
      const rng = seededRandom(100 + digits);
      const h = new QuantileHistogram({ significantDigits: digits });
      const xs: number[] = [];
      for (let i = 0; i < 10_000; i++) {
        const x = Math.round(1_000 + rng.uniform() * 9_999_000);
        xs.push(x);
        h.record(x);
      }
      xs.sort((a, b) => a - b);
      expectWithinPrecision(h, xs, digits);
    }
  });

  it('quantileHistogram.quantile is within precision for arbitrary integer samples (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 300 }), (xs) => {
        const h = new QuantileHistogram();
        for (const x of xs) h.record(x);
        expectWithinPrecision(h, [...xs].sort((a, b) => a - b), 3);
      }),
      { numRuns: 60 },
    );
  });

  it('quantileHistogram.record(x) rounds x to the nearest integer', () => {
    const h = new QuantileHistogram();
    h.record(10.4);
    h.record(11.6);
    expect(h.quantile(0)).toBe(10);
    expect(h.quantile(1)).toBe(12);
    expect(h.mean).toBe(11);
  });

  it('quantileHistogram.merge(other) equals recording both streams into one histogram', () => {
    const rng = seededRandom(7);
    const a = new QuantileHistogram();
    const b = new QuantileHistogram();
    const both = new QuantileHistogram();
    for (let i = 0; i < 5_000; i++) {
      const x = Math.round(rng.exponential(1e6));
      (i % 3 === 0 ? a : b).record(x);
      both.record(x);
    }
    b.record(5e12); // forces b to grow past a's range before the merge
    both.record(5e12);
    a.merge(b);
    expect(a.count).toBe(both.count);
    expect(a.mean).toBeCloseTo(both.mean, 6);
    expect(a.max).toBe(both.max);
    for (const q of QS) expect(a.quantile(q)).toBe(both.quantile(q));
  });

  it('quantileHistogram.reset() empties it; an empty histogram answers NaN', () => {
    const h = new QuantileHistogram();
    expect(h.quantile(0.5)).toBeNaN();
    expect(h.mean).toBeNaN();
    expect(h.max).toBeNaN();
    h.record(42);
    h.reset();
    expect(h.count).toBe(0);
    expect(h.quantile(0.5)).toBeNaN();
    h.record(7);
    expect(h.quantile(0.5)).toBe(7);
    expect(h.max).toBe(7);
  });

  it('quantileHistogram with highestTrackableValue rejects larger values', () => {
    const h = new QuantileHistogram({ highestTrackableValue: 1_000_000 });
    h.record(1_000_000);
    expect(() => h.record(1_000_001)).toThrow(/value must be in \[0, 1000000\], got 1000001/);
    const big = new QuantileHistogram();
    big.record(5_000_000);
    expect(() => h.merge(big)).toThrow(RangeError);
  });

  it('quantileHistogram rejects bad arguments with RangeErrors naming them', () => {
    const h = new QuantileHistogram();
    expect(() => h.record(-1)).toThrow(/value must be in \[0, 9007199254740991\], got -1/);
    expect(() => h.record(NaN)).toThrow(RangeError);
    expect(() => h.quantile(1.5)).toThrow(/q must be in \[0, 1\], got 1.5/);
    expect(() => new QuantileHistogram({ significantDigits: 6 })).toThrow(/significantDigits/);
    expect(() => new QuantileHistogram({ lowestDiscernibleValue: 0 })).toThrow(/lowestDiscernibleValue/);
    expect(() => new QuantileHistogram({ highestTrackableValue: 1 })).toThrow(/highestTrackableValue/);
  });
});

describe('QuantileHistogram fast record path', () => {
  // Values around every power of two up to 2^33 (both sides of the 2^31 switch), 0, and random ones.
  const edges = [0, 1, 2, 3];
  for (let k = 2; k <= 33; k++) edges.push(2 ** k - 1, 2 ** k, 2 ** k + 1);

  it('leaves exactly the counts the library computes itself (every index, total, min, max)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...edges), fc.integer({ min: 0, max: 2 ** 34 }), fc.integer({ min: 0, max: 5000 })), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(1, 2, 3),
        fc.constantFrom(1, 1000),
        (values, digits, lowest) => {
          const ours = new QuantileHistogram({ significantDigits: digits, lowestDiscernibleValue: lowest });
          const lib = build({ bitBucketSize: 64, useWebAssembly: false, autoResize: true, lowestDiscernibleValue: lowest, highestTrackableValue: 2 * lowest, numberOfSignificantValueDigits: digits as 1 | 2 | 3 });
          for (const v of values) {
            ours.record(v);
            lib.recordValue(v);
          }
          const a = (ours as unknown as { histogram: Histogram }).histogram as unknown as { countsArrayLength: number; getCountAtIndex(i: number): number; minNonZeroValue: number; maxValue: number };
          const b = lib as unknown as typeof a;
          expect(a.countsArrayLength).toBe(b.countsArrayLength);
          let differing = 0;
          for (let i = 0; i < b.countsArrayLength; i++) if (a.getCountAtIndex(i) !== b.getCountAtIndex(i)) differing++;
          expect(differing).toBe(0);
          expect(ours.count).toBe(lib.totalCount);
          expect(a.minNonZeroValue).toBe(b.minNonZeroValue);
          expect(a.maxValue).toBe(b.maxValue);
          for (const q of [0.5, 0.9, 0.99]) expect(Math.min(Math.max(lib.getValueAtPercentile(q * 100), ours.min), ours.max)).toBe(ours.quantile(q));
        },
      ),
      { numRuns: 150 },
    );
  });
});
