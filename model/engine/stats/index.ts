/**
 * Output analysis for simulation runs: streaming moments, time averages and latency quantiles collected during a
 * run; warm-up truncation, batch means and replication intervals computed after it.
 */
export { Welford } from './welford.ts';
export { TimeWeighted } from './timeWeighted.ts';
export { QuantileHistogram } from './quantileHistogram.ts';
export type { QuantileHistogramOptions } from './quantileHistogram.ts';
export { tQuantile } from './studentT.ts';
export { confidenceInterval, confidenceIntervalFromMoments, relativeHalfWidth } from './confidenceInterval.ts';
export type { ConfidenceInterval } from './confidenceInterval.ts';
export { batchMeans } from './batchMeans.ts';
export { mser5 } from './mser5.ts';
export { summarizeReplications, requiredReplications } from './replicationSummary.ts';
export { runToPrecision, SequentialStopper, DEFAULT_MIN_REPLICATIONS } from './sequentialStopping.ts';
export type { PrecisionTarget } from './sequentialStopping.ts';
export { DEFAULT_CONFIDENCE, P01, P50, P90, P99, P999 } from './percentiles.ts';
