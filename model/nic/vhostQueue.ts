/**
 * The host side of one RX virtqueue: frames for the guest wait for the vhost thread of their queue
 * pair (shared with the pair's TX direction, see vhostThreads.ts), take vhostServiceNs, and are then
 * handed to the guest (`deliver`); a packet with a `hostWakeNs` field adds the thread's wake-up to it
 * (see vhostThreads.ts). More than `hostBacklogPackets` RX frames waiting or in service:
 * the host drops the frame (the tap device's queue). Times are kept exact (fractional ns) and
 * rounded only when scheduling, so there is no drift.
 */
import type { Simulation } from '../engine/index.ts';
import type { NicPacket } from './nicPacket.ts';
import type { VhostThreads } from './vhostThreads.ts';

export class VhostQueue<T extends NicPacket> {
  /** Packets dropped on the host because the backlog was full. */
  hostDroppedPackets = 0;
  /** Packets handed to the guest. */
  deliveredPackets = 0;
  private backlog = 0;
  private readonly hostBacklogPackets: number;
  private readonly deliverFn = (pkt: T): void => {
    this.backlog--;
    this.deliveredPackets++;
    this.deliver(pkt, this.sim.nowNs);
  };

  constructor(
    readonly sim: Simulation,
    readonly threads: VhostThreads,
    readonly queuePair: number,
    private readonly deliver: (pkt: T, nowNs: number) => void,
  ) {
    const backlog = threads.params.hostBacklogPackets;
    if (!(Number.isInteger(backlog) && backlog >= 1)) throw new RangeError(`hostBacklogPackets must be a positive integer, got ${backlog}`);
    if (!(Number.isInteger(queuePair) && queuePair >= 0 && queuePair < threads.queuePairs)) {
      throw new RangeError(`queuePair must be an integer in [0, ${threads.queuePairs - 1}], got ${queuePair}`);
    }
    this.hostBacklogPackets = backlog;
  }

  /** Packets waiting for or in vhost service. */
  get backlogPackets(): number {
    return this.backlog;
  }

  /** A packet for this queue reaches the host; false if dropped. */
  arrive(pkt: T): boolean {
    if (this.backlog >= this.hostBacklogPackets) {
      this.hostDroppedPackets++;
      return false;
    }
    const nowNs = this.sim.nowNs;
    const doneNs = this.threads.serve(this.queuePair, pkt.frameBytes, nowNs);
    // A packet that keeps its host-side wake-ups (the path model's) gets this thread's.
    const stamped = pkt as { hostWakeNs?: number };
    if (stamped.hostWakeNs !== undefined) stamped.hostWakeNs += this.threads.lastWakeNs;
    this.backlog++;
    this.sim.schedule(Math.max(0, Math.round(doneNs) - nowNs), this.deliverFn, pkt);
    return true;
  }
}
