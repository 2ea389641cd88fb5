/**
 * Exponential distribution (memoryless; Poisson arrivals, M/M/* service), parameterised by its mean.
 * Sampling is inversion, -ln(1 - U) * mean, on the stream's stdlib mt19937 uniforms (U < 1, so a draw
 * is never negative or infinite). It is @stdlib/random-base-exponential's algorithm with Math.log in
 * place of stdlib's pure-JS ln: the exponential is the hottest draw of every queueing model and
 * Math.log makes it 40% faster (bench/main.ts mm1); V8's log is itself deterministic (fdlibm port).
 */

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
      const u = stream.uniformFn;
      return () => -Math.log(1 - u()) * mean;
    },
    describe: (): string => `exp:${mean}`,
  });
}
