/**
 * Steady-state statistics of one queue replication after deleting a warm-up: the first
 * `warmupCustomers` arrivals (a multiple of 5, the checkpoint spacing) and the time before the
 * first kept arrival are cut from every statistic. Time averages run from that arrival to the
 * last arrival; customer averages cover the kept customers.
 */
import { alignedWarmup } from './queueRunRules.ts';
import { CHECKPOINT_EVERY, type QueueTrace } from './ggcQueue.ts';
import { mser5 } from '../engine/stats/mser5.ts';
import { QuantileHistogram } from '../engine/stats/quantileHistogram.ts';

export interface QueueReplicationStats {
  warmupCustomers: number;
  /** Admitted customers after the warm-up. */
  observedCustomers: number;
  meanWaitSec: number;
  meanSojournSec: number;
  /** Time-average number waiting, Lq. */
  meanQueueLength: number;
  /** Time-average number in the system, L. */
  meanInSystem: number;
  /** Time-average busy servers / c. */
  utilization: number;
  /** Blocked / arrived (0 without a capacity limit). */
  blockingProbability: number;
  /** Admitted customers per second over the observation window. */
  throughputPerSec: number;
  /** Waits of the kept customers, ticks (pool across replications with `merge`). */
  waitHistogramTicks: QuantileHistogram;
}

/**
 * MSER-5 truncation for a set of replications: applied to the wait series averaged across the
 * replications (customer i's mean wait over all of them; a blocked customer counts as 0), one
 * truncation point for all. Applying MSER-5 to each replication alone would cut every run that
 * happens to start with a burst of long waits, which is selection on the data itself: with
 * heavy-tailed service it biased the mean wait low by about 2% (lognormal, cv 2, rho 0.7).
 */
export function mser5Warmup(traces: readonly QueueTrace[]): number {
  if (traces.length === 0) throw new RangeError('mser5Warmup needs at least one trace');
  const n = traces[0]!.customers;
  const series = new Float64Array(n);
  for (const t of traces) {
    if (t.customers !== n) throw new RangeError(`traces differ in length: ${t.customers} vs ${n} customers`);
    const w = t.waitTicks;
    for (let i = 0; i < n; i++) {
      const x = w[i]!;
      if (!Number.isNaN(x)) series[i]! += x;
    }
  }
  for (let i = 0; i < n; i++) series[i]! /= traces.length;
  return mser5(series).truncateCount;
}

/** Rounds a requested warm-up up to the checkpoint grid; it must leave customers to observe. */
export function alignWarmup(warmupCustomers: number, customers: number): number {
  if (!Number.isInteger(warmupCustomers) || warmupCustomers < 0) {
    throw new RangeError(`warmup must be a non-negative integer number of customers, got ${warmupCustomers}`);
  }
  const aligned = alignedWarmup(warmupCustomers);
  if (aligned >= customers) {
    throw new RangeError(`warmup (${warmupCustomers} customers) must be smaller than customers (${customers})`);
  }
  return aligned;
}

export function summarizeTrace(trace: QueueTrace, warmupCustomers: number): QueueReplicationStats {
  const d = alignWarmup(warmupCustomers, trace.customers);
  const b = d / CHECKPOINT_EVERY;
  const last = trace.checkpointTimeTicks.length - 1;
  const spanTicks = trace.checkpointTimeTicks[last]! - trace.checkpointTimeTicks[b]!;
  const tps = trace.ticksPerSec;
  const hist = new QuantileHistogram();
  let waitSum = 0;
  let admitted = 0;
  for (let i = d; i < trace.customers; i++) {
    const w = trace.waitTicks[i]!;
    if (Number.isNaN(w)) continue;
    waitSum += w;
    admitted++;
    hist.record(w);
  }
  let serviceSum = 0;
  for (let k = b; k < trace.serviceTicksPerBatch.length; k++) serviceSum += trace.serviceTicksPerBatch[k]!;
  const queueArea = trace.checkpointQueueArea[last]! - trace.checkpointQueueArea[b]!;
  const busyArea = trace.checkpointBusyArea[last]! - trace.checkpointBusyArea[b]!;
  const blocked = trace.checkpointBlocked[last]! - trace.checkpointBlocked[b]!;
  const arrivals = trace.customers - d;
  return {
    warmupCustomers: d,
    observedCustomers: admitted,
    meanWaitSec: waitSum / admitted / tps,
    meanSojournSec: (waitSum + serviceSum) / admitted / tps,
    meanQueueLength: spanTicks > 0 ? queueArea / spanTicks : NaN,
    meanInSystem: spanTicks > 0 ? (queueArea + busyArea) / spanTicks : NaN,
    utilization: spanTicks > 0 ? busyArea / spanTicks / trace.servers : NaN,
    blockingProbability: blocked / arrivals,
    throughputPerSec: spanTicks > 0 ? (admitted / spanTicks) * tps : NaN,
    waitHistogramTicks: hist,
  };
}
