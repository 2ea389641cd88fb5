/**
 * Two-phase hyperexponential distribution: with probability p an exponential of mean mean1, else
 * one of mean mean2. Models a mix of fast and slow paths (e.g. cache hit / miss); scv >= 1.
 */

import exponentialRng from '@stdlib/random-base-exponential';
import type { RandomStream } from '../randomStreams.ts';
import type { Distribution } from './distribution.ts';
import { requirePositive, requireProbability } from './argumentChecks.ts';

export function hyperexponential(p: number, mean1: number, mean2: number): Distribution {
  requireProbability('p', p);
  requirePositive('mean1', mean1);
  requirePositive('mean2', mean2);
  const mean = p * mean1 + (1 - p) * mean2;
  const secondMoment = 2 * (p * mean1 * mean1 + (1 - p) * mean2 * mean2);
  // By Jensen's inequality secondMoment >= 2 mean^2, so the difference is well conditioned (no cancellation).
  const variance = secondMoment - mean * mean;
  return Object.freeze({
    kind: 'hyperexponential' as const,
    mean,
    variance,
    scv: variance / (mean * mean),
    secondMoment,
    laplace: (s: number): number => p / (1 + s * mean1) + (1 - p) / (1 + s * mean2),
    sampler(stream: RandomStream): () => number {
      const u = stream.uniformFn;
      const branch1 = exponentialRng.factory(1 / mean1, { prng: u });
      const branch2 = exponentialRng.factory(1 / mean2, { prng: u });
      return () => (u() < p ? branch1() : branch2());
    },
    describe: (): string => `hyperexp:${p}:${mean1}:${mean2}`,
  });
}
