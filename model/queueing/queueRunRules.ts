/**
 * The rules a queue study's inputs must satisfy, and its default run design: how many customers
 * and replications, when a queue is stable, how a fixed warm-up is aligned to the checkpoints,
 * and when the engine's integer time grid distorts the draws. `svcpath queue` checks its flags
 * with these; they are run-design choices, not model quantities, so they live here rather than
 * in the calibration table.
 */
import type { Distribution } from '../engine/distributions/distribution.ts';
import { CHECKPOINT_EVERY, queueTicksPerSec, type QueueParams } from './ggcQueue.ts';
import { NS_PER_SEC } from '../units.ts';

export const QUEUE_RUN_DEFAULTS = Object.freeze({
  /** Arrivals per replication: enough for a Student-t half-width of a few % at rho = 0.9. */
  customers: 100_000, // calibration-exempt: run design (customers per replication), not a model quantity
  replications: 10, // calibration-exempt: run design (independent replications)
  seed: 1,
});

/** MSER-5 needs at least two batches of CHECKPOINT_EVERY customers. */
export const QUEUE_MIN_CUSTOMERS = 2 * CHECKPOINT_EVERY;
/** Each replication keeps 8 bytes per customer (its wait) in memory: 1e8 customers are 800 MB. */
export const QUEUE_MAX_CUSTOMERS = 100_000_000;
/** The Student-t interval needs two replications. */
export const QUEUE_MIN_REPLICATIONS = 2;
/** Means below this many engine ticks are visibly distorted by rounding to the time grid. */
export const QUEUE_MIN_MEAN_TICKS = 1_000;

/** Offered load per server, rho = E[S] / (c E[A]). A queue with unlimited room is stable iff rho < 1. */
export function offeredLoad(interarrival: Distribution, service: Distribution, servers: number): number {
  return service.mean / (servers * interarrival.mean);
}

export function isStable(rho: number): boolean {
  return rho < 1;
}

/** A fixed warm-up of `customers` rounded up to a multiple of CHECKPOINT_EVERY (the unit it can be cut in). */
export function alignedWarmup(customers: number): number {
  return Math.ceil(customers / CHECKPOINT_EVERY) * CHECKPOINT_EVERY;
}

/**
 * When the engine's time grid is coarse for the queue's smallest mean: the grid step in ns and
 * that mean in seconds; null when every mean spans at least QUEUE_MIN_MEAN_TICKS grid steps.
 */
export function timeGridDistortion(params: QueueParams): { gridNs: number; smallestMeanSec: number } | null {
  const ticksPerSec = queueTicksPerSec(params);
  const smallestMeanSec = Math.min(params.interarrivalSec.mean, params.serviceSec.mean);
  if (smallestMeanSec * ticksPerSec >= QUEUE_MIN_MEAN_TICKS) return null;
  return { gridNs: NS_PER_SEC / ticksPerSec, smallestMeanSec };
}
