/**
 * Independent replications of a queue with warm-up deletion, aggregated into Student-t confidence
 * intervals (one value per replication, so the intervals are valid despite autocorrelation within
 * a run). Replication r uses streams derived from (seed, r): the same seed gives the same study.
 */
import { RandomStreams } from '../engine/randomStreams.ts';
import { summarizeReplications } from '../engine/stats/replicationSummary.ts';
import { QuantileHistogram } from '../engine/stats/quantileHistogram.ts';
import { P50, P90, P99 } from '../engine/stats/percentiles.ts';
import { simulateQueue, validateQueueParams, type QueueParams, type QueueTrace } from './ggcQueue.ts';
import { alignWarmup, mser5Warmup, summarizeTrace, type QueueReplicationStats } from './queueSummary.ts';
import { queueAnalytic, type QueueAnalytic } from './queueAnalytic.ts';

export interface QueueStudyOptions {
  replications: number;
  seed: number;
  /**
   * 'auto' = MSER-5 on the wait series averaged across replications (one point for all); a number =
   * that many customers (rounded up to a multiple of 5).
   */
  warmup: 'auto' | number;
}

export interface Estimate {
  mean: number;
  ci95HalfWidth: number;
}

export interface QueueStudyResult {
  servers: number;
  customers: number;
  replications: number;
  seed: number;
  arrivalRatePerSec: number;
  offeredUtilization: number;
  meanWaitSec: Estimate;
  meanSojournSec: Estimate;
  meanQueueLength: Estimate;
  meanInSystem: Estimate;
  utilization: Estimate;
  throughputPerSec: Estimate;
  blockingProbability: Estimate;
  /** Waiting-time quantiles of all kept customers of all replications pooled. */
  waitQuantilesSec: { p50: number; p90: number; p99: number };
  /** Warm-up deleted from every replication, customers (the same for all). */
  warmupCustomers: number;
  warmupCustomersPerReplication: number[];
  analytic: QueueAnalytic | null;
  /** Engine events executed over all replications. */
  events: number;
  perReplication: Omit<QueueReplicationStats, 'waitHistogramTicks'>[];
}

export function runQueueStudy(params: QueueParams, options: QueueStudyOptions): QueueStudyResult {
  validateQueueParams(params);
  const { replications, seed, warmup } = options;
  if (!Number.isInteger(replications) || replications < 2) {
    throw new RangeError(`replications must be an integer >= 2 (a confidence interval needs two), got ${replications}`);
  }
  if (warmup !== 'auto') alignWarmup(warmup, params.customers);
  // With a fixed warm-up each replication is summarised as soon as it ends; with 'auto' the
  // traces are kept (8 bytes per customer each) until the common MSER-5 point is known.
  const stats: QueueReplicationStats[] = [];
  const kept: QueueTrace[] = [];
  let events = 0;
  let ticksPerSec = 1e9;
  for (let r = 0; r < replications; r++) {
    const trace = simulateQueue(params, new RandomStreams(seed, r));
    ticksPerSec = trace.ticksPerSec;
    events += trace.events;
    if (warmup === 'auto') kept.push(trace);
    else stats.push(summarizeTrace(trace, warmup));
  }
  if (warmup === 'auto') {
    const d = mser5Warmup(kept);
    for (const trace of kept) stats.push(summarizeTrace(trace, d));
  }
  const pooled = new QuantileHistogram();
  for (const s of stats) pooled.merge(s.waitHistogramTicks);
  const estimate = (pick: (s: QueueReplicationStats) => number): Estimate => {
    const ci = summarizeReplications(stats.map(pick));
    return { mean: ci.mean, ci95HalfWidth: ci.halfWidth };
  };
  const lambda = 1 / params.interarrivalSec.mean;
  return {
    servers: params.servers,
    customers: params.customers,
    replications,
    seed,
    arrivalRatePerSec: lambda,
    offeredUtilization: (lambda * params.serviceSec.mean) / params.servers,
    meanWaitSec: estimate((s) => s.meanWaitSec),
    meanSojournSec: estimate((s) => s.meanSojournSec),
    meanQueueLength: estimate((s) => s.meanQueueLength),
    meanInSystem: estimate((s) => s.meanInSystem),
    utilization: estimate((s) => s.utilization),
    throughputPerSec: estimate((s) => s.throughputPerSec),
    blockingProbability: estimate((s) => s.blockingProbability),
    waitQuantilesSec: {
      p50: pooled.quantile(P50) / ticksPerSec,
      p90: pooled.quantile(P90) / ticksPerSec,
      p99: pooled.quantile(P99) / ticksPerSec,
    },
    warmupCustomers: Math.max(...stats.map((s) => s.warmupCustomers)),
    warmupCustomersPerReplication: stats.map((s) => s.warmupCustomers),
    analytic: queueAnalytic(params),
    events,
    perReplication: stats.map(({ waitHistogramTicks: _h, ...rest }) => rest),
  };
}
