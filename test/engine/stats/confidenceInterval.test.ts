import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  confidenceInterval,
  confidenceIntervalFromMoments,
  relativeHalfWidth,
} from '../../../model/engine/stats/confidenceInterval.ts';
import { seededRandom } from './seededRandom.ts';

describe('confidenceInterval', () => {
  it('confidenceInterval(1..10) matches a hand computation with t_{0.975,9} = 2.262', () => {
    // mean 5.5, s² = 82.5/9, half-width 2.262 · s / √10.
    const ci = confidenceInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const s = Math.sqrt(82.5 / 9);
    expect(ci.n).toBe(10);
    expect(ci.confidence).toBe(0.95);
    expect(ci.mean).toBe(5.5);
    expect(ci.stdDev).toBeCloseTo(s, 12);
    expect(ci.halfWidth).toBeCloseTo((2.262 * s) / Math.sqrt(10), 3);
    expect(ci.lower).toBeCloseTo(5.5 - ci.halfWidth, 12);
    expect(ci.upper).toBeCloseTo(5.5 + ci.halfWidth, 12);
  });

  it('confidenceInterval(xs, 0.99) uses t_{0.995,4} = 4.604', () => {
    const ci = confidenceInterval(new Float64Array([2, 4, 6, 8, 10]), 0.99);
    // mean 6, s = √10.
    expect(ci.halfWidth).toBeCloseTo((4.604 * Math.sqrt(10)) / Math.sqrt(5), 2);
  });

  it('confidenceInterval([x]) has NaN stdDev, halfWidth, lower and upper', () => {
    const ci = confidenceInterval([3]);
    expect(ci.mean).toBe(3);
    expect(ci.n).toBe(1);
    expect(ci.stdDev).toBeNaN();
    expect(ci.halfWidth).toBeNaN();
    expect(ci.lower).toBeNaN();
    expect(ci.upper).toBeNaN();
    expect(relativeHalfWidth(ci)).toBeNaN();
  });

  it('confidenceInterval covers the true mean of normal samples in about 95% of 400 sets', () => {
    // n = 5 separates t from z: a z-interval would cover only ~88% here.
    const rng = seededRandom(2024);
    const mu = 3;
    let covered = 0;
    const sets = 400;
    for (let k = 0; k < sets; k++) {
      const xs = Array.from({ length: 5 }, () => rng.normal(mu, 2));
      const ci = confidenceInterval(xs);
      if (ci.lower <= mu && mu <= ci.upper) covered++;
    }
    expect(covered / sets).toBeGreaterThanOrEqual(0.9);
    expect(covered / sets).toBeLessThanOrEqual(0.99);
  });

  it('confidenceInterval is translation-equivariant and its half-width scales with |a|', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 50 }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (xs, b, a) => {
          const ci = confidenceInterval(xs);
          const t = confidenceInterval(xs.map((x) => a * x + b));
          const tol = 1e-7 * (1 + Math.abs(a * ci.mean) + Math.abs(b) + a * ci.halfWidth);
          expect(Math.abs(t.mean - (a * ci.mean + b))).toBeLessThanOrEqual(tol);
          expect(Math.abs(t.halfWidth - a * ci.halfWidth)).toBeLessThanOrEqual(tol);
          expect(ci.lower).toBeLessThanOrEqual(ci.mean);
          expect(ci.upper).toBeGreaterThanOrEqual(ci.mean);
        },
      ),
    );
  });

  it('confidenceIntervalFromMoments(n, mean, sd) equals the interval from the samples', () => {
    const ci = confidenceInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9);
    expect(confidenceIntervalFromMoments(10, 5.5, Math.sqrt(82.5 / 9), 0.9).halfWidth).toBeCloseTo(ci.halfWidth, 12);
    const empty = confidenceIntervalFromMoments(0, NaN, NaN);
    expect(empty.n).toBe(0);
    expect(empty.mean).toBeNaN();
  });

  it('relativeHalfWidth(ci) is halfWidth / |mean|, Infinity when the mean is 0', () => {
    const base = { lower: 0, upper: 0, n: 5, confidence: 0.95, stdDev: 1 };
    expect(relativeHalfWidth({ ...base, mean: -4, halfWidth: 1 })).toBe(0.25);
    expect(relativeHalfWidth({ ...base, mean: 0, halfWidth: 1 })).toBe(Infinity);
  });

  it('confidenceInterval rejects empty input, non-finite samples and bad confidence', () => {
    expect(() => confidenceInterval([])).toThrow(/samples must contain at least one value, got 0 values/);
    expect(() => confidenceInterval([1, 2, NaN, 4])).toThrow(/samples\[2\] must be a finite number, got NaN/);
    expect(() => confidenceInterval([1, Infinity])).toThrow(/samples\[1\]/);
    expect(() => confidenceInterval([1, 2], 1.5)).toThrow(/confidence must be in \(0, 1\), got 1.5/);
    expect(() => confidenceInterval([1, 2], 0)).toThrow(RangeError);
  });
});
