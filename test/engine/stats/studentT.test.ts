import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tQuantile } from '../../../model/engine/stats/studentT.ts';

describe('tQuantile', () => {
  it('tQuantile(0.975, dof) matches the textbook table', () => {
    // Two-sided 95% critical values from any t table.
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(tQuantile(0.975, 2)).toBeCloseTo(4.303, 3);
    expect(tQuantile(0.975, 9)).toBeCloseTo(2.262, 3);
    expect(tQuantile(0.975, 19)).toBeCloseTo(2.093, 3);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(tQuantile(0.995, 9)).toBeCloseTo(3.25, 3);
    expect(tQuantile(0.95, 4)).toBeCloseTo(2.132, 3);
  });

  it('tQuantile(p, 1) is the Cauchy quantile tan(π(p − 1/2))', () => {
    for (const p of [0.01, 0.1, 0.3, 0.6, 0.9, 0.999]) {
      expect(tQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 9);
    }
  });

  it('tQuantile(p, 2) has the closed form (2p − 1)·sqrt(2 / (4p(1 − p)))', () => {
    for (const p of [0.001, 0.2, 0.5, 0.75, 0.975]) {
      const exact = (2 * p - 1) * Math.sqrt(2 / (4 * p * (1 - p)));
      expect(tQuantile(p, 2)).toBeCloseTo(exact, 9);
    }
  });

  it('tQuantile(0.975, dof) tends to the normal 1.959964 for large and infinite dof', () => {
    expect(tQuantile(0.975, 1e5)).toBeCloseTo(1.96, 2);
    for (const dof of [1e6, 1e12, 1e20, 1e300, Infinity]) {
      expect(tQuantile(0.975, dof)).toBeCloseTo(1.959963985, 5);
    }
    // Continuous across the switch to the expansion (same function of dof on both sides).
    expect(Math.abs(tQuantile(0.999, 9_999.999) - tQuantile(0.999, 10_000))).toBeLessThan(1e-9);
  });

  it('tQuantile is odd around p = 1/2 and increasing in p, also very near the median', () => {
    fc.assert(
      fc.property(
        // d = k·2^-40 so that 0.5 + d and 0.5 − d are both exact and truly symmetric.
        fc.integer({ min: 1, max: 2 ** 39 - 1 }),
        fc.double({ min: 0.1, max: 1e6, noNaN: true }),
        (k, dof) => {
          const d = k * 2 ** -40;
          const hi = tQuantile(0.5 + d, dof);
          const lo = tQuantile(0.5 - d, dof);
          expect(hi).toBeGreaterThan(0);
          expect(Math.abs(hi + lo)).toBeLessThanOrEqual(1e-9 * Math.abs(hi));
          expect(tQuantile(0.5 + d / 2, dof)).toBeLessThan(hi);
        },
      ),
    );
  });

  it('tQuantile near the median is linear with slope 1/f(0)', () => {
    // t density at 0 for dof 4: Γ(5/2) / (√(4π) Γ(2)) = 3/8.
    for (const d of [1e-3, 1e-5, 1e-7, 1e-9]) {
      expect(tQuantile(0.5 + d, 4) / (d / 0.375)).toBeCloseTo(1, 5);
    }
  });

  it('tQuantile(0 | 0.5 | 1, dof) is −Infinity, 0, Infinity', () => {
    expect(tQuantile(0, 5)).toBe(-Infinity);
    expect(tQuantile(0.5, 5)).toBe(0);
    expect(tQuantile(1, 5)).toBe(Infinity);
  });

  it('tQuantile rejects bad arguments with RangeErrors naming them', () => {
    expect(() => tQuantile(1.5, 3)).toThrow(/p must be in \[0, 1\], got 1.5/);
    expect(() => tQuantile(NaN, 3)).toThrow(/p must be/);
    expect(() => tQuantile(0.9, 0)).toThrow(/degreesOfFreedom must be > 0/);
    expect(() => tQuantile(0.9, NaN)).toThrow(RangeError);
  });
});
