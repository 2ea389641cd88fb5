import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mean as ssMean, sampleVariance, min as ssMin, max as ssMax } from 'simple-statistics';
import { Welford } from '../../../model/engine/stats/welford.ts';

const finiteArray = (minLength: number) =>
  fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), { minLength, maxLength: 200 });

const close = (actual: number, expected: number, scale: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * scale + 1e-12);
};

function fromArray(xs: readonly number[]): Welford {
  const w = new Welford();
  for (const x of xs) w.add(x);
  return w;
}

describe('Welford', () => {
  it('new Welford() is empty: count 0 and NaN statistics', () => {
    const w = new Welford();
    expect(w.count).toBe(0);
    expect(w.mean).toBeNaN();
    expect(w.variance).toBeNaN();
    expect(w.stdDev).toBeNaN();
    expect(w.min).toBeNaN();
    expect(w.max).toBeNaN();
  });

  it('welford.variance is NaN with one value, whose mean/min/max are that value', () => {
    const w = fromArray([7]);
    expect(w.mean).toBe(7);
    expect(w.min).toBe(7);
    expect(w.max).toBe(7);
    expect(w.variance).toBeNaN();
  });

  it('welford matches the textbook example 2, 4, 4, 4, 5, 5, 7, 9 (mean 5, sample variance 32/7)', () => {
    const w = fromArray([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(w.count).toBe(8);
    expect(w.mean).toBe(5);
    expect(w.variance).toBeCloseTo(32 / 7, 12);
    expect(w.stdDev).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(w.min).toBe(2);
    expect(w.max).toBe(9);
  });

  it('welford agrees with simple-statistics mean, sampleVariance, min and max on random arrays', () => {
    fc.assert(
      fc.property(finiteArray(2), (xs) => {
        const w = fromArray(xs);
        const scale = Math.max(1, ...xs.map(Math.abs));
        expect(w.count).toBe(xs.length);
        close(w.mean, ssMean(xs), scale);
        close(w.variance, sampleVariance(xs), scale * scale);
        expect(w.min).toBe(ssMin(xs));
        expect(w.max).toBe(ssMax(xs));
      }),
    );
  });

  it('welford keeps precision when the mean is huge next to the spread', () => {
    // Deviations −1, 0, 1, 0, −1, 1 around 1e9 + 1: sample variance 4/5; Σx² − n·mean² would lose every digit.
    const w = fromArray([1e9, 1e9 + 1, 1e9 + 2, 1e9 + 1, 1e9, 1e9 + 2]);
    expect(w.variance).toBeCloseTo(0.8, 9);
  });

  it('welford.merge(other) equals one pass over the concatenation', () => {
    fc.assert(
      fc.property(finiteArray(0), finiteArray(0), (xs, ys) => {
        const a = fromArray(xs);
        a.merge(fromArray(ys));
        const all = fromArray([...xs, ...ys]);
        const scale = Math.max(1, ...xs.map(Math.abs), ...ys.map(Math.abs));
        expect(a.count).toBe(all.count);
        if (all.count === 0) {
          expect(a.mean).toBeNaN();
          return;
        }
        close(a.mean, all.mean, scale);
        expect(a.min).toBe(all.min);
        expect(a.max).toBe(all.max);
        if (all.count >= 2) close(a.variance, all.variance, scale * scale);
        else expect(a.variance).toBeNaN();
      }),
    );
  });

  it('welford.merge(welford) doubles every value', () => {
    const w = fromArray([1, 2, 3, 4]);
    w.merge(w);
    const doubled = fromArray([1, 2, 3, 4, 1, 2, 3, 4]);
    expect(w.count).toBe(8);
    expect(w.mean).toBeCloseTo(doubled.mean, 12);
    expect(w.variance).toBeCloseTo(doubled.variance, 12);
  });

  it('welford.reset() returns to the empty state', () => {
    const w = fromArray([1, 2, 3]);
    w.reset();
    expect(w.count).toBe(0);
    expect(w.mean).toBeNaN();
    w.add(5);
    expect(w.mean).toBe(5);
    expect(w.min).toBe(5);
  });

  it('welford.add(x) throws a RangeError for non-finite x', () => {
    const w = new Welford();
    expect(() => w.add(NaN)).toThrow(RangeError);
    expect(() => w.add(Infinity)).toThrow(/x must be a finite number, got Infinity/);
    expect(w.count).toBe(0);
  });
});
