/**
 * Exponential distribution (memoryless; Poisson arrivals, M/M/* service), parameterised by its mean.
 * Sampling is stdlib's inversion -ln(1 - U) * mean, so a draw is never negative or infinite.
 */

import exponentialRng from '@stdlib/random-base-exponential';
import type { RandomStream } from '../randomStreams.ts';
import type { Distribution } from './distribution.ts';
import { requirePositive } from './argumentChecks.ts';

export function exponential(mean: number): Distribution {
  requirePositive('mean', mean);
  const variance = mean * mean;
  return Object.freeze({
    kind: 'exponential' as const,
    mean,
    variance,
    scv: 1,
    secondMoment: 2 * mean * mean,
    sampler(stream: RandomStream): () => number {
      return exponentialRng.factory(1 / mean, { prng: stream.uniformFn });
    },
    describe: (): string => `exp:${mean}`,
  });
}
