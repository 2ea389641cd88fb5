/**
 * Continuous uniform distribution on [a, b] with 0 <= a <= b and b > 0 (so the mean is positive).
 * a === b degenerates to a constant and then consumes no draws.
 */

import uniformRng from '@stdlib/random-base-uniform';
import type { RandomStream } from '../randomStreams.ts';
import type { Distribution } from './distribution.ts';
import { requireNonNegative } from './argumentChecks.ts';

export function uniform(a: number, b: number): Distribution {
  requireNonNegative('a', a);
  requireNonNegative('b', b);
  if (b < a) {
    throw new RangeError(`b must be >= a, got a=${a}, b=${b}`);
  }
  if (b === 0) {
    throw new RangeError(`b must be > 0 so the mean is positive, got a=${a}, b=${b}`);
  }
  const mean = (a + b) / 2;
  const width = b - a;
  const variance = (width * width) / 12; // calibration-exempt: the uniform law's variance (b - a)^2 / 12
  return Object.freeze({
    kind: 'uniform' as const,
    mean,
    variance,
    scv: variance / (mean * mean),
    secondMoment: variance + mean * mean,
    // (e^{-sa} - e^{-sb}) / (s (b - a)); the constant a === b and s = 0 are the limits.
    laplace: (s: number): number => (s === 0 ? 1 : a === b ? Math.exp(-s * a) : (Math.exp(-s * a) - Math.exp(-s * b)) / (s * width)),
    sampler(stream: RandomStream): () => number {
      // stdlib rejects a === b; the degenerate case needs no draw anyway.
      if (a === b) return () => a;
      return uniformRng.factory(a, b, { prng: stream.uniformFn });
    },
    describe: (): string => `uniform:${a}:${b}`,
  });
}
