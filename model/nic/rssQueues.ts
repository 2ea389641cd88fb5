/**
 * Receive-side scaling: the NIC hashes each packet's flow (Toeplitz over the 5-tuple in hardware;
 * here a deterministic integer mix of the flow id), looks the hash up in an indirection table whose
 * entry i holds queue i mod queueCount (the ethtool default spread), and queues the packet there.
 * Each queue's interrupt is pinned to one core (queue q -> core q mod cores by default). All packets
 * of a flow land on one queue, so one elephant flow loads one core however many cores there are.
 */
import { calibratedParams } from '../calibration/index.ts';

export interface RssParams {
  /** Entries of the indirection table. Default 128 (assumption). */
  readonly indirectionTableEntries: number;
}

export const defaultRssParams: RssParams = calibratedParams({ indirectionTableEntries: 'nic.rssIndirectionTableEntries' });

/**
 * A 32-bit avalanche hash of a flow id (murmur3's fmix32 over the low and high 32-bit halves):
 * deterministic, uniform enough to stand in for the NIC's Toeplitz hash.
 */
export function rssHash32(flowId: number): number {
  if (!(Number.isSafeInteger(flowId) && flowId >= 0)) throw new RangeError(`flowId must be a non-negative safe integer, got ${flowId}`);
  const lo = flowId >>> 0;
  const hi = Math.floor(flowId / 2 ** 32) >>> 0; // calibration-exempt: the high 32-bit half of the flow id
  return fmix32(fmix32(lo) ^ hi);
}

function fmix32(x: number): number {
  let h = x >>> 0;
  // calibration-exempt-begin: murmur3 fmix32 shifts and constants (algorithm, not a measurement)
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  // calibration-exempt-end
  return h >>> 0;
}

/** The queue RSS assigns to `flowId` with `queueCount` queues. */
export function rssQueueForFlow(flowId: number, queueCount: number, p: RssParams = defaultRssParams): number {
  checkCount('queueCount', queueCount);
  checkCount('indirectionTableEntries', p.indirectionTableEntries);
  return (rssHash32(flowId) % p.indirectionTableEntries) % queueCount;
}

/** RSS queues of one NIC and the core each queue's interrupt is pinned to. */
export class RssQueues {
  readonly queueToCore: readonly number[];

  constructor(
    readonly queueCount: number,
    readonly coreCount: number,
    readonly params: RssParams = defaultRssParams,
    queueToCore?: readonly number[],
  ) {
    checkCount('queueCount', queueCount);
    checkCount('coreCount', coreCount);
    checkCount('indirectionTableEntries', params.indirectionTableEntries);
    const map = queueToCore ?? Array.from({ length: queueCount }, (_, q) => q % coreCount);
    if (map.length !== queueCount || !map.every((c) => Number.isInteger(c) && c >= 0 && c < coreCount)) {
      throw new RangeError(`queueToCore must list ${queueCount} cores in [0, ${coreCount - 1}], got [${map.join(', ')}]`);
    }
    this.queueToCore = Object.freeze([...map]);
  }

  /** rssQueueForFlow with the counts checked once, at construction. */
  queueForFlow(flowId: number): number {
    return (rssHash32(flowId) % this.params.indirectionTableEntries) % this.queueCount;
  }

  coreForQueue(queue: number): number {
    const c = this.queueToCore[queue];
    if (c === undefined) throw new RangeError(`queue must be an integer in [0, ${this.queueCount - 1}], got ${queue}`);
    return c;
  }
}

function checkCount(name: string, n: number): void {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`${name} must be a positive integer, got ${n}`);
}
