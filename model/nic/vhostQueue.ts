/**
 * The host side of one virtio queue pair: a FIFO single server (the vhost thread) in front of the
 * guest's RX ring. A packet waits for the thread, takes vhostServiceNs, and is then handed to the
 * guest (`deliver`). More than `hostBacklogPackets` waiting or in service: the host drops it.
 * Times are kept exact (fractional ns) and rounded only when scheduling, so there is no drift.
 */
import type { Simulation } from '../engine/index.ts';
import { vhostServiceNs, type VirtioNetParams } from './virtioNet.ts';
import type { NicPacket } from './nicPacket.ts';

export class VhostQueue<T extends NicPacket> {
  /** Packets dropped on the host because the backlog was full. */
  hostDroppedPackets = 0;
  /** Packets handed to the guest. */
  deliveredPackets = 0;
  private busyUntilNs = 0;
  private backlog = 0;

  constructor(
    readonly sim: Simulation,
    readonly params: VirtioNetParams,
    private readonly deliver: (pkt: T, nowNs: number) => void,
  ) {
    if (!(Number.isInteger(params.hostBacklogPackets) && params.hostBacklogPackets >= 1)) {
      throw new RangeError(`hostBacklogPackets must be a positive integer, got ${params.hostBacklogPackets}`);
    }
  }

  /** Packets waiting for or in vhost service. */
  get backlogPackets(): number {
    return this.backlog;
  }

  /** A packet for this queue reaches the host; false if dropped. */
  arrive(pkt: T): boolean {
    if (this.backlog >= this.params.hostBacklogPackets) {
      this.hostDroppedPackets++;
      return false;
    }
    const nowNs = this.sim.nowNs;
    const doneNs = Math.max(nowNs, this.busyUntilNs) + vhostServiceNs(pkt.frameBytes, this.params);
    this.busyUntilNs = doneNs;
    this.backlog++;
    this.sim.schedule(Math.max(0, Math.round(doneNs) - nowNs), () => {
      this.backlog--;
      this.deliveredPackets++;
      this.deliver(pkt, this.sim.nowNs);
    });
    return true;
  }
}
