/**
 * The contract every service-time / inter-arrival distribution meets. Values are unit-agnostic
 * (the caller fixes the unit; the CLI uses seconds) and non-negative; moments are exact, not estimated.
 */

import type { RandomStream } from '../randomStreams.ts';

export type DistributionKind =
  | 'exponential'
  | 'deterministic'
  | 'uniform'
  | 'erlang'
  | 'hyperexponential'
  | 'lognormal'
  | 'empirical';

export interface Distribution {
  readonly kind: DistributionKind;
  readonly mean: number;
  readonly variance: number;
  /** Squared coefficient of variation, variance / mean^2. */
  readonly scv: number;
  /** E[X^2], used by Pollaczek-Khinchine. */
  readonly secondMoment: number;
  /**
   * The Laplace-Stieltjes transform E[e^{-sX}] for s >= 0, where it has a closed form (absent for
   * the lognormal). Used by the exact GI/M/1 solution (queueing/giM1.ts).
   */
  readonly laplace?: (s: number) => number;
  /**
   * Binds a sampler to a stream once, outside the hot loop. The returned function neither
   * allocates nor validates; each call consumes draws from `stream`.
   */
  sampler(stream: RandomStream): () => number;
  /** The spec that parseDistribution turns back into this distribution, e.g. "exp:0.5". */
  describe(): string;
}
