/**
 * Exponential distribution (memoryless; Poisson arrivals, M/M/* service), parameterised by its mean.
 * Sampled by the ziggurat method on the stream's stdlib mt19937 words (exponentialZiggurat.ts), as
 * NumPy does: the exponential is the hottest draw of every queueing model, and the ziggurat avoids
 * a logarithm and a second 32-bit word in about 99% of draws. Draws are never negative or infinite.
 */

import type { RandomStream } from '../randomStreams.ts';
import { standardExponentialSampler } from './exponentialZiggurat.ts';
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
    laplace: (s: number): number => 1 / (1 + s * mean),
    sampler(stream: RandomStream): () => number {
      const standard = standardExponentialSampler(stream.uint32Fn, stream.uniformFn);
      return () => standard() * mean;
    },
    describe: (): string => `exp:${mean}`,
  });
}
