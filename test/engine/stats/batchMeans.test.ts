import { describe, expect, it } from 'vitest';
import { batchMeans } from '../../../model/engine/stats/batchMeans.ts';
import { confidenceInterval } from '../../../model/engine/stats/confidenceInterval.ts';
import { seededRandom, type SeededRandom } from './seededRandom.ts';

/** Stationary AR(1): X_t = mu + phi (X_{t−1} − mu) + e_t, e_t ~ N(0, 1), started from its stationary law. */
function ar1(rng: SeededRandom, n: number, mu: number, phi: number): Float64Array {
  const xs = new Float64Array(n);
  let x = mu + rng.normal(0, 1 / Math.sqrt(1 - phi * phi));
  for (let i = 0; i < n; i++) {
    xs[i] = x;
    x = mu + phi * (x - mu) + rng.normal();
  }
  return xs;
}

/** Lag-1 correlation of adjacent means of m consecutive AR(1) values (sums of the AR(1) autocovariances). */
function ar1BatchLag1(phi: number, m: number): number {
  const pm = phi ** m;
  const cov = (phi * (1 - pm) ** 2) / (1 - phi) ** 2;
  const variance = (m * (1 + phi)) / (1 - phi) - (2 * phi * (1 - pm)) / (1 - phi) ** 2;
  return cov / variance;
}

describe('batchMeans', () => {
  it('batchMeans(1..7, 3) uses batches {1,2}, {3,4}, {5,6} and drops the trailing 7', () => {
    // Batch means 1.5, 3.5, 5.5: mean 3.5, s = 2, half-width t_{0.975,2} · 2/√3 = 4.303 · 1.1547.
    const r = batchMeans([1, 2, 3, 4, 5, 6, 7], 3);
    expect(r.batchSize).toBe(2);
    expect(r.n).toBe(3);
    expect(r.mean).toBe(3.5);
    expect(r.stdDev).toBeCloseTo(2, 12);
    expect(r.halfWidth).toBeCloseTo((4.303 * 2) / Math.sqrt(3), 3);
    expect(r.lag1Autocorrelation).toBe(0); // deviations −2, 0, 2
  });

  it('batchMeans(xs) on AR(1) series covers the true mean in about 95% of runs', () => {
    const rng = seededRandom(99);
    const mu = 10;
    const runs = 100;
    let covered = 0;
    let naiveCovered = 0;
    let lag1Sum = 0;
    for (let r = 0; r < runs; r++) {
      const xs = ar1(rng, 20_000, mu, 0.9);
      const bm = batchMeans(xs, 20);
      expect(bm.batchSize).toBe(1000);
      if (bm.lower <= mu && mu <= bm.upper) covered++;
      lag1Sum += bm.lag1Autocorrelation;
      // Negative control: treating the correlated values as iid is ~4.4 times too narrow for phi = 0.9.
      const naive = confidenceInterval(xs);
      if (naive.lower <= mu && mu <= naive.upper) naiveCovered++;
    }
    expect(covered / runs).toBeGreaterThanOrEqual(0.85);
    expect(naiveCovered / runs).toBeLessThan(0.6);
    // Batches of 1000 are nearly independent (theory 0.005); r1 over 20 means is biased by about −1/20.
    expect(lag1Sum / runs).toBeGreaterThan(-0.15);
    expect(lag1Sum / runs).toBeLessThan(0.1);
  });

  it('batchMeans(xs).lag1Autocorrelation detects batches that are too small', () => {
    const rng = seededRandom(5);
    const bm = batchMeans(ar1(rng, 4_000, 0, 0.9), 2_000); // batches of 2
    expect(bm.lag1Autocorrelation).toBeCloseTo(ar1BatchLag1(0.9, 2), 1); // 0.855
  });

  it('batchMeans rejects too few observations per batch, bad batchCount and non-finite values', () => {
    expect(() => batchMeans([1, 2, 3], 2)).toThrow(
      /xs must hold at least 2 observations per batch \(2 \* batchCount = 4\), got 3/,
    );
    expect(() => batchMeans(new Float64Array(100), 1)).toThrow(/batchCount must be an integer >= 2, got 1/);
    expect(() => batchMeans(new Float64Array(100), 2.5)).toThrow(/batchCount/);
    expect(() => batchMeans([1, 2, 3, NaN, 5, 6], 3)).toThrow(/xs\[3\] must be a finite number, got NaN/);
    expect(() => batchMeans(new Float64Array(100), 5, 2)).toThrow(/confidence must be in \(0, 1\), got 2/);
  });
});
