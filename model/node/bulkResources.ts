/**
 * The resources a bulk flow needs, as the fluid model sees them: each with a capacity and, per
 * flow class, how much of it a bit/s of goodput takes. Flows are grouped by the RSS queue they hash
 * to (flow id -> queue -> core, the same on both nodes: same preset, same hash), so a class is "the
 * flows on queue q". What each resource is (all per bit/s of goodput; MSS = payload per segment):
 *   line-rate            physical NIC (or a virtio NIC's host link, when given), data direction: wire bits
 *                        (frame + preamble + gap) / MSS bits
 *   sender-vhost q       virtio: the sender's queue-pair thread: its time per TSO packet and per ACK
 *   receiver-vhost q     virtio: the receiver's queue-pair thread: per GRO aggregate and per ACK sent
 *   sender-core c        the flow's core on the sender: one TSO packet out, the ACKs in
 *   receiver-softirq c   the flow's queue core on the receiver: per frame (physical) + per aggregate + ACK out
 *   bandwidth-allowance  cloud: the VM's aggregate allowance (frame bytes) per direction: the sender's out
 *                        and the receiver's in are the same number, so one resource stands for both
 *   per-flow-cap         cloud: each flow's cap (frame bytes)
 *   pps-allowance        cloud: data frames and ACKs, both directions share it (the sender's and the
 *                        receiver's see the same packets)
 *   receive-window       each flow: window / RTT (never the limit in a data centre; kept so the sender is
 *                        the window-limited one the model says it is)
 * The ACK direction's wire and bandwidth allowance carry about 5 % of the data direction's bytes and
 * are left out.
 */
import { wireBitsPerFrame } from '../nic/lineRate.ts';
import { vhostServiceNs } from '../nic/virtioNet.ts';
import type { NicModel } from '../nic/nicModel.ts';
import { bytesToBits, durationNsAtRate, NS_PER_SEC } from '../units.ts';
import type { BulkCpuCosts, BulkSegments } from './bulkCosts.ts';
import type { BulkModelParams } from './bulkSpec.ts';
import type { FairClass, FairResource, FairUse } from './maxMinFair.ts';
import type { CloudAllowanceParams } from './nodePreset.ts';

export const BULK_LIMITERS = [
  'line-rate', 'sender-vhost', 'receiver-vhost', 'sender-core', 'receiver-softirq',
  'bandwidth-allowance', 'per-flow-cap', 'pps-allowance', 'receive-window', 'conntrack-allowance',
] as const;
export type BulkLimiter = (typeof BULK_LIMITERS)[number];

/** A readable name of each limiter, for tables and charts. */
export const BULK_LIMITER_LABELS: Readonly<Record<BulkLimiter, string>> = {
  'line-rate': 'line rate',
  'sender-vhost': "the sender's vhost thread",
  'receiver-vhost': "the receiver's vhost thread",
  'sender-core': "a sender core",
  'receiver-softirq': "a receiver core's softirq",
  'bandwidth-allowance': 'the instance bandwidth allowance',
  'per-flow-cap': 'the per-flow cap',
  'pps-allowance': 'the PPS allowance',
  'receive-window': 'the receive window',
  'conntrack-allowance': 'the conntrack allowance',
};

export interface BulkNetwork {
  readonly nic: NicModel;
  readonly queueCount: number;
  readonly coreCount: number;
  readonly cloud: CloudAllowanceParams | undefined;
  /** A virtio NIC's host link, bit/s, if it counts (NodePreset.hostLinkBitsPerSec). */
  readonly hostLinkBitsPerSec: number | undefined;
  readonly segments: BulkSegments;
  readonly cpu: BulkCpuCosts;
  readonly params: BulkModelParams;
  /** One-way wire and switch delay, ns. */
  readonly wireOneWayNs: number;
}

export interface BulkResourceModel {
  readonly resources: readonly (FairResource & { readonly kind: BulkLimiter })[];
  /** One class per queue (count = admitted flows on it). */
  readonly classes: readonly FairClass[];
  /** Round-trip time of a flow without queueing, ns (for the window resource). */
  readonly baseRttNs: number;
}

/** Goodput bits per second a flow gets through one bit per second of data frames on the wire or in an allowance. */
function perGoodputBit(frameBitsPerSegment: number, s: BulkSegments): number {
  return frameBitsPerSegment / bytesToBits(s.mssBytes);
}

/** Round trip of one aggregate and its ACK without queueing, ns. */
export function bulkBaseRttNs(n: BulkNetwork): number {
  const s = n.segments;
  const c = n.cpu;
  const transferNs = n.nic.virtio !== undefined
    ? vhostServiceNs(s.tsoPacketBytes, n.nic.virtio) + vhostServiceNs(s.groAggregateBytes, n.nic.virtio) + 2 * vhostServiceNs(s.ackFrameBytes, n.nic.virtio)
    : durationNsAtRate(s.tsoSegments * wireBitsPerFrame(s.dataFrameBytes, n.nic.framing), n.nic.linkRateBitsPerSec!);
  return 2 * n.wireOneWayNs + transferNs + c.senderPacket.ns + s.groSegments * c.receiverFrame.ns + c.receiverAggregate.ns + c.receiverAck.ns + c.senderAck.ns;
}

/**
 * Resources and classes for `flowsPerQueue` admitted flows with the bandwidth allowance at
 * `allowanceBitsPerSec` (ignored without cloud allowances).
 */
export function bulkResourceModel(n: BulkNetwork, flowsPerQueue: readonly number[], allowanceBitsPerSec: number): BulkResourceModel {
  const s = n.segments;
  const c = n.cpu;
  const p = n.params;
  const resources: (FairResource & { kind: BulkLimiter })[] = [];
  const add = (kind: BulkLimiter, capacity: number, perFlow = false): number => resources.push({ kind, capacity, perFlow }) - 1;
  const mssBits = bytesToBits(s.mssBytes);
  const acksPerSegment = p.acksPerAggregate / s.groSegments;
  const frameCoef = perGoodputBit(bytesToBits(s.dataFrameBytes), s);

  const link = n.nic.linkRateBitsPerSec ?? n.hostLinkBitsPerSec;
  const wire = link === undefined ? -1 : add('line-rate', link);
  const wireCoef = wire < 0 ? 0 : perGoodputBit(wireBitsPerFrame(s.dataFrameBytes, n.nic.framing), s);
  const virtio = n.nic.virtio;
  const senderVhost = virtio === undefined ? [] : Array.from({ length: n.queueCount }, () => add('sender-vhost', NS_PER_SEC));
  const receiverVhost = virtio === undefined ? [] : Array.from({ length: n.queueCount }, () => add('receiver-vhost', NS_PER_SEC));
  const ackVhostNs = virtio === undefined ? 0 : vhostServiceNs(s.ackFrameBytes, virtio);
  const senderVhostCoef = virtio === undefined ? 0 : (vhostServiceNs(s.tsoPacketBytes, virtio) / s.tsoSegments + acksPerSegment * ackVhostNs) / mssBits;
  const receiverVhostCoef = virtio === undefined ? 0 : (vhostServiceNs(s.groAggregateBytes, virtio) / s.groSegments + acksPerSegment * ackVhostNs) / mssBits;
  const senderCores = Array.from({ length: n.coreCount }, () => add('sender-core', NS_PER_SEC));
  const receiverCores = Array.from({ length: n.coreCount }, () => add('receiver-softirq', NS_PER_SEC));
  const senderCoreCoef = (c.senderPacket.ns / s.tsoSegments + acksPerSegment * c.senderAck.ns) / mssBits;
  const receiverCoreCoef = (c.receiverFrame.ns + (c.receiverAggregate.ns + p.acksPerAggregate * c.receiverAck.ns) / s.groSegments) / mssBits;
  const cloud = n.cloud;
  const allowance = cloud === undefined ? -1 : add('bandwidth-allowance', allowanceBitsPerSec);
  const pps = cloud === undefined ? -1 : add('pps-allowance', cloud.ppsAllowancePps);
  const ppsCoef = (1 + acksPerSegment) / mssBits;
  const baseRttNs = bulkBaseRttNs(n);
  const windowBitsPerSec = bytesToBits(p.receiveWindowBytes) / (baseRttNs / NS_PER_SEC);

  const classes: FairClass[] = flowsPerQueue.map((count, q) => {
    const core = q % n.coreCount;
    const uses: FairUse[] = [];
    if (wire >= 0) uses.push({ resource: wire, coef: wireCoef });
    if (virtio !== undefined) {
      uses.push({ resource: senderVhost[q]!, coef: senderVhostCoef });
      uses.push({ resource: receiverVhost[q]!, coef: receiverVhostCoef });
    }
    uses.push({ resource: senderCores[core]!, coef: senderCoreCoef });
    uses.push({ resource: receiverCores[core]!, coef: receiverCoreCoef });
    if (cloud !== undefined) {
      uses.push({ resource: allowance, coef: frameCoef });
      uses.push({ resource: add('per-flow-cap', cloud.perFlowCapBitsPerSec, true), coef: frameCoef });
      uses.push({ resource: pps, coef: ppsCoef });
    }
    uses.push({ resource: add('receive-window', windowBitsPerSec, true), coef: 1 });
    return { count, uses };
  });
  return { resources, classes, baseRttNs };
}
