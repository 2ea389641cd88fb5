/**
 * Table of contents for service-time and inter-arrival distributions. Every distribution has
 * exact moments (mean, variance, scv, E[X^2]) and a stream-bound sampler; see distribution.ts.
 */

export type { Distribution, DistributionKind } from './distribution.ts';
export { exponential } from './exponential.ts';
export { deterministic } from './deterministic.ts';
export { uniform } from './uniform.ts';
export { erlang, ERLANG_PRODUCT_MAX_K } from './erlang.ts';
export { hyperexponential } from './hyperexponential.ts';
export { lognormal } from './lognormal.ts';
export { empirical } from './empirical.ts';
export { parseDistribution } from './parseDistribution.ts';
export { DistributionSpecError, DISTRIBUTION_SPEC_FORMS } from './distributionSpecError.ts';
