/**
 * The vhost worker threads of one virtio-net device: one per queue pair, and each serves both
 * virtqueues of its pair (vhost-net opens one device per queue pair; its single worker handles the
 * TX kick and the RX refill of that pair, drivers/vhost/net.c handle_tx / handle_rx). A thread is a
 * FIFO server: a frame is done (perPacket + perByte x frame) x noisy-neighbour factor after the
 * thread is free, in the order frames reach it from either direction. Event-free: `serve` reserves
 * the thread and returns when the frame is done. Times are exact (fractional ns).
 * With a `wake` model (a VM's host side, model/hypervisor/hostWorkerWake.ts), a frame that finds its
 * thread idle first waits for the thread's wake-up (it sleeps when it has no work); without one the
 * thread takes it at once (the throughput models, where the threads are busy anyway).
 */
import type { NicModel } from './nicModel.ts';
import { vhostServiceNs, type VirtioNetParams } from './virtioNet.ts';

/**
 * The vhost threads a NIC side (NicRx or NicTx) with `queueCount` queues uses: the device's `given`
 * ones (checked to have one per queue), or threads of its own; undefined for a physical NIC, which
 * must not be given any.
 */
export function vhostThreadsFor(nic: NicModel, queueCount: number, given: VhostThreads | undefined): VhostThreads | undefined {
  if (nic.virtio === undefined) {
    if (given !== undefined) throw new RangeError(`vhostThreads are for a virtio NIC, got a ${nic.kind} one (${nic.name})`);
    return undefined;
  }
  return given?.forQueues(queueCount) ?? new VhostThreads(queueCount, nic.virtio);
}

/** What delays a frame that finds its thread idle (a sleeping thread's wake-up). */
export interface VhostThreadWake {
  /** Work reaches thread `queuePair`, idle for `idleNs`: the delay before it runs, ns. */
  wakeNs(queuePair: number, idleNs: number): number;
}

export class VhostThreads {
  /** Frames served, over all threads and both directions. */
  servedPackets = 0;
  /** Time the threads spent serving frames (host CPU), ns. */
  busyNs = 0;
  /** The wake-up the last `serve` waited for, ns (0 if its thread was busy or there is no wake model). */
  lastWakeNs = 0;
  private readonly freeAtNs: Float64Array;

  constructor(
    readonly queuePairs: number,
    readonly params: VirtioNetParams,
    readonly wake?: VhostThreadWake,
  ) {
    if (!(Number.isInteger(queuePairs) && queuePairs >= 1)) throw new RangeError(`queuePairs must be a positive integer, got ${queuePairs}`);
    vhostServiceNs(1, params); // validates params (throws on a bad one)
    this.freeAtNs = new Float64Array(queuePairs);
  }

  /** Queues a `frameBytes` frame on the thread of `queuePair` at `nowNs`; returns when it is done, ns (not rounded). */
  serve(queuePair: number, frameBytes: number, nowNs: number): number {
    if (!(queuePair >= 0 && queuePair < this.queuePairs && Number.isInteger(queuePair))) throw badQueuePair(queuePair, this.queuePairs);
    const freeAtNs = this.freeAtNs[queuePair]!;
    let startNs = freeAtNs;
    let wakeNs = 0;
    if (nowNs > freeAtNs) {
      startNs = nowNs;
      if (this.wake !== undefined) wakeNs = this.wake.wakeNs(queuePair, nowNs - freeAtNs);
    }
    const serviceNs = vhostServiceNs(frameBytes, this.params);
    const doneNs = startNs + wakeNs + serviceNs;
    this.freeAtNs[queuePair] = doneNs;
    this.servedPackets++;
    this.busyNs += serviceNs;
    this.lastWakeNs = wakeNs;
    return doneNs;
  }

  /** These threads, checked to have one per queue of a device with `queueCount` queues. */
  forQueues(queueCount: number): this {
    if (this.queuePairs !== queueCount) throw new RangeError(`vhostThreads must have one thread per queue (${queueCount}), got ${this.queuePairs}`);
    return this;
  }

  /** When the thread of `queuePair` is next free, ns. */
  freeAt(queuePair: number): number {
    return this.freeAtNs[queuePair]!;
  }
}

// Built out of line: serve() runs for every frame through the device.
function badQueuePair(queuePair: number, queuePairs: number): RangeError {
  return new RangeError(`queuePair must be an integer in [0, ${queuePairs - 1}], got ${queuePair}`);
}
