/**
 * A G/G/c FCFS queue (optionally with room for at most K customers, G/G/c/K), simulated on the
 * engine's callback API: the reference model behind `svcpath queue`, the validation suite and the
 * speed benchmark. One call runs one replication of exactly `customers` arrivals and records, per
 * customer, the wait in queue; every 5 arrivals it checkpoints the time integrals of the queue
 * length and of the busy servers, so any warm-up chosen afterwards (MSER-5 works in batches of 5)
 * can be cut out of every statistic exactly.
 */
import { Simulation } from '../engine/simulation.ts';
import { Resource } from '../engine/resource.ts';
import type { Distribution } from '../engine/distributions/distribution.ts';
import type { RandomStreams } from '../engine/randomStreams.ts';

export interface QueueParams {
  /** Number of servers c, a positive integer. */
  servers: number;
  /** Inter-arrival time distribution, seconds. */
  interarrivalSec: Distribution;
  /** Service time distribution, seconds. */
  serviceSec: Distribution;
  /** Arrivals to simulate (the run drains the queue after the last one). */
  customers: number;
  /** Room for at most this many customers in the system (waiting + in service); Infinity = unlimited. */
  capacity?: number;
}

/** Everything one replication measured, in engine ticks (see `ticksPerSec`). */
export interface QueueTrace {
  readonly customers: number;
  readonly servers: number;
  /** Engine ticks per simulated second: 1e9 (ns) unless the run needed another grid. */
  readonly ticksPerSec: number;
  /** Wait in queue of customer i, ticks; NaN if i was blocked. */
  readonly waitTicks: Float64Array;
  /** Sum of the service times of customers [5b, 5b+5), ticks (blocked customers add 0). */
  readonly serviceTicksPerBatch: Float64Array;
  /** Time of arrival 5b, ticks; entry `checkpoints` is the time of the last arrival. */
  readonly checkpointTimeTicks: Float64Array;
  /** Integral of the number waiting up to that checkpoint, customer-ticks. */
  readonly checkpointQueueArea: Float64Array;
  /** Integral of the number of busy servers up to that checkpoint, server-ticks. */
  readonly checkpointBusyArea: Float64Array;
  /** Blocked customers among arrivals [0, 5b). */
  readonly checkpointBlocked: Float64Array;
  /** Engine events executed. */
  readonly events: number;
}

export const CHECKPOINT_EVERY = 5; // calibration-exempt: MSER-5's batch size, so any MSER-5 warm-up falls on a checkpoint

/** Chooses the engine's time grid for a queue: ns, unless the run would not fit in 2^53 ticks. */
export function queueTicksPerSec(params: QueueParams): number {
  // Expected horizon with a 4x margin for the drain after the last arrival and for variability.
  const horizonSec = 4 * params.customers * params.interarrivalSec.mean + 1000 * params.serviceSec.mean; // calibration-exempt: a generous horizon for choosing the time grid (4x the arrivals' span plus a long drain), not a model quantity
  let ticksPerSec = 1e9;
  while (horizonSec * ticksPerSec > Number.MAX_SAFE_INTEGER && ticksPerSec > 1) ticksPerSec /= 10;
  return ticksPerSec;
}

export function validateQueueParams(p: QueueParams): void {
  if (!Number.isInteger(p.servers) || p.servers < 1) throw new RangeError(`servers must be a positive integer, got ${p.servers}`);
  if (!Number.isInteger(p.customers) || p.customers < 1) {
    throw new RangeError(`customers must be a positive integer, got ${p.customers}`);
  }
  const capacity = p.capacity ?? Infinity;
  if (!(capacity === Infinity || (Number.isInteger(capacity) && capacity >= p.servers))) {
    throw new RangeError(`capacity must be an integer >= servers (${p.servers}) or Infinity, got ${capacity}`);
  }
}

/** Runs one replication; the streams `arrivals` and `services` of `streams` drive it. */
export function simulateQueue(params: QueueParams, streams: RandomStreams): QueueTrace {
  validateQueueParams(params);
  const { servers: c, customers: n } = params;
  const capacity = params.capacity ?? Infinity;
  const ticksPerSec = queueTicksPerSec(params);
  const sim = new Simulation();
  const servers = new Resource(sim, { capacity: c, name: 'servers' });
  const nextGapSec = params.interarrivalSec.sampler(streams.stream('arrivals'));
  const nextServiceSec = params.serviceSec.sampler(streams.stream('services'));

  const batches = Math.ceil(n / CHECKPOINT_EVERY);
  const waitTicks = new Float64Array(n);
  const serviceTicksPerBatch = new Float64Array(batches);
  const checkpointTimeTicks = new Float64Array(batches + 1);
  const checkpointQueueArea = new Float64Array(batches + 1);
  const checkpointBusyArea = new Float64Array(batches + 1);
  const checkpointBlocked = new Float64Array(batches + 1);
  let arrived = 0;
  let inSystem = 0;
  let blocked = 0;

  const checkpoint = (k: number): void => {
    const now = sim.nowNs;
    checkpointTimeTicks[k] = now;
    checkpointQueueArea[k] = servers.queueLength.areaAt(now);
    checkpointBusyArea[k] = servers.busy.areaAt(now);
    checkpointBlocked[k] = blocked;
  };

  // waitTicks[i] holds the arrival time until service starts, then the wait itself.
  const startService = (_slot: number, i: number): void => {
    const now = sim.nowNs;
    waitTicks[i] = now - waitTicks[i]!;
    const serviceTicks = Math.round(nextServiceSec() * ticksPerSec);
    serviceTicksPerBatch[(i / CHECKPOINT_EVERY) | 0]! += serviceTicks;
    sim.schedule(serviceTicks, depart, _slot);
  };
  const depart = (slot: number): void => {
    inSystem--;
    servers.release(slot);
  };
  const arrive = (): void => {
    const i = arrived++;
    if (i % CHECKPOINT_EVERY === 0) checkpoint(i / CHECKPOINT_EVERY);
    if (inSystem >= capacity) {
      waitTicks[i] = NaN;
      blocked++;
    } else {
      inSystem++;
      waitTicks[i] = sim.nowNs;
      servers.acquire(startService, i);
    }
    if (arrived < n) sim.schedule(Math.round(nextGapSec() * ticksPerSec), arrive);
    else checkpoint(batches);
  };

  sim.schedule(Math.round(nextGapSec() * ticksPerSec), arrive);
  sim.run();
  return {
    customers: n,
    servers: c,
    ticksPerSec,
    waitTicks,
    serviceTicksPerBatch,
    checkpointTimeTicks,
    checkpointQueueArea,
    checkpointBusyArea,
    checkpointBlocked,
    events: sim.eventsProcessed,
  };
}
