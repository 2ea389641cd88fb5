/**
 * The transmit side of a node's NIC. A packet the stack hands to the device goes to the TX queue
 * its core maps to (XPS: one queue per core), waits in the queue's qdisc while the queue's TX ring
 * is full, and leaves the ring when the NIC has sent its last bit. The qdisc drops (drop-tail) a
 * packet that finds `qdiscLimitPackets` packets already waiting behind a full ring, so a queue
 * holds at most ring + qdisc limit packets that have not finished transmitting.
 *   physical: all queues share the wire (line rate incl. preamble and IFG); frames are sent in the
 *             order they were handed over (the NIC's round-robin between queues is approximated by
 *             arrival order).
 *   virtio:   each queue is served by the vhost thread of its queue pair (frameServiceNs per frame),
 *             no shared wire; the thread also serves the pair's RX direction when NicRx is given the
 *             same VhostThreads (one worker per queue pair, drivers/vhost/net.c).
 *   guest NIC with its VM's host side (`vmHost`): the host worker (woken if it sleeps) and the host's
 *             port, or a VF's pipeline and link (model/hypervisor/vmHost.ts).
 * Event-free: `send` returns when the frame will have left, from the queue's and the wire's state.
 * Not modelled: BQL's byte limit on the ring (it moves packets from the ring to the qdisc, the total
 * is unchanged), fq_codel's per-flow queues and CoDel drops (a plain FIFO with the qdisc's limit),
 * TCP small queues (local sockets are paced before the qdisc; the client pods' packets are forwarded).
 */
import { calibratedParams } from '../calibration/index.ts';
import type { NicModel } from './nicModel.ts';
import type { NicDriver } from './rxRing.ts';
import { NIC_DRIVERS } from './rxRing.ts';
import { vhostThreadsFor, type VhostThreads } from './vhostThreads.ts';
import type { VmHost } from '../hypervisor/vmHost.ts';

export interface TxQueueParams {
  /** TX descriptors per queue (ethtool -g "TX"). */
  readonly ringSizePackets: number;
  /** Packets the queue's qdisc holds while the ring is full (pfifo_fast: the device's txqueuelen). */
  readonly qdiscLimitPackets: number;
}

const QDISC = { qdiscLimitPackets: 'nic.qdiscLimitPackets' } as const;

/** ixgbe: 512 descriptors. */
export const defaultIxgbeTxQueueParams: TxQueueParams = calibratedParams({ ringSizePackets: 'nic.ixgbe.txRingSizePackets', ...QDISC });
/** mlx5: 1024 descriptors (log_sq_size 0xa). */
export const defaultMlx5TxQueueParams: TxQueueParams = calibratedParams({ ringSizePackets: 'nic.mlx5.txRingSizePackets', ...QDISC });
/** ENA: 1024 descriptors. */
export const defaultEnaTxQueueParams: TxQueueParams = calibratedParams({ ringSizePackets: 'nic.ena.txRingSizePackets', ...QDISC });
/** QEMU virtio-net: 256 (tx_queue_size). */
export const defaultVirtioTxQueueParams: TxQueueParams = calibratedParams({ ringSizePackets: 'nic.virtio.txRingSizePackets', ...QDISC });
/** gVNIC: set by the device (assumption 1024). */
export const defaultGvnicTxQueueParams: TxQueueParams = calibratedParams({ ringSizePackets: 'nic.gvnic.ringSizePackets', ...QDISC });
/** VMXNET3: 512. */
export const defaultVmxnet3TxQueueParams: TxQueueParams = calibratedParams({ ringSizePackets: 'nic.vmxnet3.txRingSizePackets', ...QDISC });

/** The default TX queue of `driver`. */
export function txQueueParamsFor(driver: NicDriver): TxQueueParams {
  switch (driver) {
    case 'ixgbe': return defaultIxgbeTxQueueParams;
    case 'mlx5': return defaultMlx5TxQueueParams;
    case 'ena': return defaultEnaTxQueueParams;
    case 'virtio': return defaultVirtioTxQueueParams;
    case 'gve': return defaultGvnicTxQueueParams;
    case 'vmxnet3': return defaultVmxnet3TxQueueParams;
    default: throw new RangeError(`driver must be one of ${NIC_DRIVERS.join(', ')}, got "${String(driver)}"`);
  }
}

export function checkTxQueueParams(p: TxQueueParams): void {
  if (!(Number.isInteger(p.ringSizePackets) && p.ringSizePackets >= 1)) {
    throw new RangeError(`ringSizePackets must be a positive integer, got ${p.ringSizePackets}`);
  }
  if (!(Number.isInteger(p.qdiscLimitPackets) && p.qdiscLimitPackets >= 0)) {
    throw new RangeError(`qdiscLimitPackets must be an integer >= 0, got ${p.qdiscLimitPackets}`);
  }
}

export class NicTx {
  readonly queueCount: number;
  /** Packets a queue holds at most (ring + qdisc). */
  readonly capacityPackets: number;
  /** Frames accepted, over all queues. */
  sentPackets = 0;
  /** Frames the qdisc dropped because their queue was full. */
  droppedPackets = 0;

  /** When the wire (physical) is next free, ns. */
  private wireFreeAtNs = 0;
  /** Per queue: a ring of the completion times of its frames not yet sent (ascending). */
  private readonly pendingDoneNs: Float64Array[];
  private readonly pendingHead: Int32Array;
  private readonly pendingCount: Int32Array;

  /** virtio: the device's vhost threads (shared with NicRx when the caller passes the same object). */
  readonly vhostThreads: VhostThreads | undefined;

  constructor(
    readonly nic: NicModel,
    queueCount: number,
    readonly params: TxQueueParams = nic.txQueue,
    vhostThreads?: VhostThreads,
    readonly vmHost?: VmHost,
  ) {
    if (!(Number.isInteger(queueCount) && queueCount >= 1)) throw new RangeError(`queueCount must be a positive integer, got ${queueCount}`);
    checkTxQueueParams(params);
    this.queueCount = queueCount;
    this.capacityPackets = params.ringSizePackets + params.qdiscLimitPackets;
    if (vmHost !== undefined && vhostThreads !== undefined && vmHost.threads !== vhostThreads) {
      throw new RangeError('vhostThreads must be the vmHost\'s threads when both are given');
    }
    this.vhostThreads = vhostThreadsFor(nic, queueCount, vmHost?.threads ?? vhostThreads);
    this.pendingDoneNs = Array.from({ length: queueCount }, () => new Float64Array(this.capacityPackets));
    this.pendingHead = new Int32Array(queueCount);
    this.pendingCount = new Int32Array(queueCount);
  }

  /** The TX queue of a packet sent from `core` (XPS: one queue per core, wrapping). */
  queueForCore(core: number): number {
    return core % this.queueCount;
  }

  /**
   * Hands a `frameBytes` frame to `queue` at `nowNs`: returns when its last bit has left (ns), or
   * -1 when the queue is full and the qdisc drops it.
   */
  send(queue: number, frameBytes: number, nowNs: number): number {
    if (!(queue >= 0 && queue < this.queueCount && Number.isInteger(queue))) throw badQueue(queue, this.queueCount);
    const count = this.drain(queue, nowNs);
    if (count >= this.capacityPackets) {
      this.droppedPackets++;
      return -1;
    }
    let doneNs: number;
    if (this.vmHost !== undefined) {
      doneNs = this.vmHost.tx(queue, frameBytes, nowNs);
    } else if (this.vhostThreads !== undefined) {
      doneNs = this.vhostThreads.serve(queue, frameBytes, nowNs);
    } else {
      doneNs = Math.max(nowNs, this.wireFreeAtNs) + this.nic.frameServiceNs(frameBytes);
      this.wireFreeAtNs = doneNs;
    }
    const ring = this.pendingDoneNs[queue]!;
    ring[(this.pendingHead[queue]! + count) % this.capacityPackets] = doneNs;
    this.pendingCount[queue] = count + 1;
    this.sentPackets++;
    return doneNs;
  }

  /** Frames of `queue` handed over and not yet sent at `nowNs` (in its ring or qdisc). */
  queuedPackets(queue: number, nowNs: number): number {
    return this.drain(queue, nowNs);
  }

  /** Forgets the frames of `queue` sent by `nowNs`; returns how many remain. */
  private drain(queue: number, nowNs: number): number {
    const ring = this.pendingDoneNs[queue]!;
    let head = this.pendingHead[queue]!;
    let count = this.pendingCount[queue]!;
    while (count > 0 && ring[head]! <= nowNs) {
      head = head + 1 === this.capacityPackets ? 0 : head + 1;
      count--;
    }
    this.pendingHead[queue] = head;
    this.pendingCount[queue] = count;
    return count;
  }
}

// Built out of line: send() runs for every packet leaving the node.
function badQueue(queue: number, queueCount: number): RangeError {
  return new RangeError(`queue must be an integer in [0, ${queueCount - 1}], got ${queue}`);
}
