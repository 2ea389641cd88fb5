/**
 * Erlang-k distribution: the sum of k i.i.d. exponential phases, parameterised by the mean of the
 * total (each phase has mean mean/k), so scv = 1/k. k integer >= 1.
 */

import erlangRng from '@stdlib/random-base-erlang';
import gammaRng from '@stdlib/random-base-gamma';
import type { RandomStream } from '../randomStreams.ts';
import type { Distribution } from './distribution.ts';
import { requirePositive, requirePositiveInteger } from './argumentChecks.ts';

/**
 * stdlib's Erlang sampler takes -ln(U1 * ... * Uk): O(k) per draw, and the product underflows to 0
 * (a draw of +Infinity) once k reaches several hundred. Above this k the gamma sampler (Marsaglia-
 * Tsang, O(1)) draws the same distribution, since Erlang(k, rate) = Gamma(k, rate).
 */
export const ERLANG_PRODUCT_MAX_K = 32; // calibration-exempt: algorithm switch: product of k uniforms up to here, gamma sampler beyond

export function erlang(k: number, mean: number): Distribution {
  requirePositiveInteger('k', k);
  requirePositive('mean', mean);
  const variance = (mean * mean) / k;
  return Object.freeze({
    kind: 'erlang' as const,
    mean,
    variance,
    scv: 1 / k,
    secondMoment: variance + mean * mean,
    laplace: (s: number): number => (1 + (s * mean) / k) ** -k,
    sampler(stream: RandomStream): () => number {
      const rate = k / mean;
      const u = stream.uniformFn;
      if (k <= ERLANG_PRODUCT_MAX_K) {
        // Uniforms on (0, 1] instead of [0, 1): a single U = 0 would make the product 0 and the draw +Infinity.
        const positiveUniform = (): number => 1 - u();
        return erlangRng.factory(k, rate, { prng: positiveUniform });
      }
      // Like lognormal, stdlib's gamma seeds an internal normal sampler from one draw of `stream` here.
      return gammaRng.factory(k, rate, { prng: u });
    },
    describe: (): string => `erlang:${k}:${mean}`,
  });
}
