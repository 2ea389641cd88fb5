/**
 * Lognormal distribution parameterised by the mean and coefficient of variation of X itself
 * (not of ln X): sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2 / 2. Heavy right tail; cv > 0.
 */

import lognormalRng from '@stdlib/random-base-lognormal';
import type { RandomStream } from '../randomStreams.ts';
import type { Distribution } from './distribution.ts';
import { requirePositive } from './argumentChecks.ts';

export function lognormal(mean: number, cv: number): Distribution {
  requirePositive('mean', mean);
  requirePositive('cv', cv);
  const sigma2 = Math.log1p(cv * cv);
  const mu = Math.log(mean) - sigma2 / 2;
  const sigma = Math.sqrt(sigma2);
  const variance = mean * mean * cv * cv;
  return Object.freeze({
    kind: 'lognormal' as const,
    mean,
    variance,
    scv: cv * cv,
    secondMoment: variance + mean * mean,
    sampler(stream: RandomStream): () => number {
      // Note: stdlib's normal sampler seeds an internal mt19937 (ziggurat box index) from ONE draw
      // of `stream` here, at bind time; later draws use both.
      return lognormalRng.factory(mu, sigma, { prng: stream.uniformFn });
    },
    describe: (): string => `lognormal:${mean}:${cv}`,
  });
}
