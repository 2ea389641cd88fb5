/**
 * Shared checks for distribution tests: the Distribution's declared moments against closed forms the
 * test supplies, and 200k-draw sample moments against the same closed forms within 5 standard errors.
 */

import { expect } from 'vitest';
import { RandomStreams } from '../../../model/engine/randomStreams.ts';
import type { Distribution } from '../../../model/engine/distributions/index.ts';

/** Raw moments E[X], E[X^2], E[X^3], E[X^4] from a closed form. */
export type RawMoments = readonly [number, number, number, number];

export const SAMPLE_SIZE = 200_000;

export function central(raw: RawMoments): { mean: number; variance: number; mu4: number } {
  const [m1, m2, m3, m4] = raw;
  return {
    mean: m1,
    variance: m2 - m1 * m1,
    mu4: m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4,
  };
}

export function draw(dist: Distribution, seed: number, n: number, name = 'test'): Float64Array {
  const next = dist.sampler(new RandomStreams(seed, 0).stream(name));
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = next();
  return xs;
}

function expectClose(actual: number, expected: number, relTol = 1e-12): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relTol * Math.abs(expected) + 1e-300);
}

/** The declared mean, variance, scv and E[X^2] agree with the closed form. */
export function expectDeclaredMoments(dist: Distribution, raw: RawMoments, relTol = 1e-12): void {
  const { mean, variance } = central(raw);
  expectClose(dist.mean, mean, relTol);
  expectClose(dist.secondMoment, raw[1], relTol);
  // Variance may be a small difference of large raw moments; compare on the E[X^2] scale.
  expect(Math.abs(dist.variance - variance)).toBeLessThanOrEqual(relTol * raw[1]);
  expect(Math.abs(dist.scv - variance / (mean * mean))).toBeLessThanOrEqual((relTol * raw[1]) / (mean * mean));
}

/**
 * 200k draws: all finite and >= 0; sample mean within 5 SE = 5 sqrt(var/n) of the true mean; the
 * unbiased sample variance within 5 SE of the true variance, using the exact
 * Var(s^2) = (mu4 - var^2 (n-3)/(n-1)) / n. A 1e-9 relative slack absorbs summation rounding.
 */
export function expectSampleMoments(dist: Distribution, raw: RawMoments, seed = 12345): void {
  const n = SAMPLE_SIZE;
  const xs = draw(dist, seed, n);
  let sum = 0;
  let negativeOrNonFinite = 0;
  for (const x of xs) {
    if (!(x >= 0) || !Number.isFinite(x)) negativeOrNonFinite++;
    sum += x;
  }
  expect(negativeOrNonFinite).toBe(0);
  const sampleMean = sum / n;
  let ss = 0;
  for (const x of xs) ss += (x - sampleMean) ** 2;
  const sampleVariance = ss / (n - 1);

  const { mean, variance, mu4 } = central(raw);
  const meanSe = Math.sqrt(variance / n);
  const varianceSe = Math.sqrt(Math.max(mu4 - (variance * variance * (n - 3)) / (n - 1), 0) / n);
  expect(Math.abs(sampleMean - mean)).toBeLessThanOrEqual(5 * meanSe + 1e-9 * mean);
  expect(Math.abs(sampleVariance - variance)).toBeLessThanOrEqual(5 * varianceSe + 1e-9 * mean * mean);
}

/** Two independently built streams with the same (seed, replication, name) give the same draws. */
export function expectReproducible(dist: Distribution): void {
  expect(Array.from(draw(dist, 99, 1000))).toEqual(Array.from(draw(dist, 99, 1000)));
  if (dist.variance > 0) {
    expect(Array.from(draw(dist, 99, 1000))).not.toEqual(Array.from(draw(dist, 100, 1000)));
  }
}

export const factorial = (j: number): number => (j <= 1 ? 1 : j * factorial(j - 1));

/** Raw moments of a finite mixture given each component's raw moments. */
export function mixRaw(parts: readonly (readonly [weight: number, raw: RawMoments])[]): RawMoments {
  const out = [0, 0, 0, 0];
  for (const [w, raw] of parts) for (let j = 0; j < 4; j++) out[j]! += w * raw[j]!;
  return out as unknown as RawMoments;
}
