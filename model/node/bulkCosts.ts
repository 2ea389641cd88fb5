/**
 * What a bulk flow costs per byte of goodput at each stage, from the datapath model's per-packet
 * costs (model/datapaths packetCosts) and the segmentation offloads:
 *   sender    one TSO packet (up to gso_max_size: 45 segments of 1448 B) crosses the pod's veth, the
 *             stack and the datapath (Service translation, conntrack, BPF programs) once; the NIC cuts
 *             it into frames (TSO), so per-frame work on the sender is the NIC's, not a core's; every
 *             pure ACK that comes back pays the client node's ingress path
 *   receiver  physical NIC: the driver and GRO handle every wire frame (per-frame driver work, skb
 *             build and GRO merge), then the aggregate crosses the stack and the datapath once and
 *             the receiver sends a pure ACK per aggregate; virtio NIC: the host hands the guest the
 *             aggregate whole (vhost-net with TSO/GRO offloads), so the guest pays per aggregate only
 *   vhost     (virtio) the queue pair's host thread moves each TSO packet or GRO aggregate once: its
 *             per-packet time once, its per-byte time for every byte
 * A core's clock is the governor's choice for a saturated core: the maximum, except under the
 * generic powersave governor (the minimum); load-following governors only run a core below the
 * maximum while it has room, so they never lower what a saturated core can carry.
 * Interrupts: none on a bottleneck core. NAPI re-arms a queue's interrupt only when its ring is
 * empty (napi_complete_done), so a saturated queue is polled without interrupts; the fluid model
 * asks what a saturated core carries, so it charges none (a core with room also takes interrupts,
 * which the utilisations it reports leave out; the packet-level run charges every one).
 */
import { ciliumCtSizing } from '../conntrack/ciliumCtSizing.ts';
import { nfConntrackSizing } from '../conntrack/nfConntrackSizing.ts';
import { defaultCpuFrequencyParams, type CpuFrequencyParams } from '../cpu/cpuFrequency.ts';
import { governorFreqHz } from '../cpu/governor.ts';
import { addWork, defaultWorkCostParams, NO_WORK, workNs, type Work } from '../cpu/workCost.ts';
import { datapathFor } from '../datapaths/datapath.ts';
import { specKernelVersion, type DatapathSpec } from '../datapaths/datapathSpec.ts';
import {
  clientEgressCost, clientIngressCost, remoteEgressCost, remoteIngressCost, STAGE_INDEX, type PathCostContext, type StagedCost,
} from '../datapaths/packetCosts.ts';
import { defaultPathFramingParams, pathModelParams, type PathFramingParams } from '../datapaths/pathParams.ts';
import { mssBytes } from '../datapaths/segmentFrames.ts';
import { defaultEthernetFramingParams, frameBytesForIpPacket, type EthernetFramingParams } from '../nic/lineRate.ts';
import { nicModelByName } from '../nic/nicModel.ts';
import { cyclesToNs } from '../units.ts';
import { checkBulkModelParams, defaultBulkModelParams, type BulkModelParams } from './bulkSpec.ts';

/** Segment and frame sizes of a bulk flow. */
export interface BulkSegments {
  /** Payload per segment, B (1448 at a 1500 B MTU with timestamps). */
  readonly mssBytes: number;
  /** IPv4 + TCP + timestamp option, B. */
  readonly headerBytes: number;
  /** A full segment's Ethernet frame (FCS included), B. */
  readonly dataFrameBytes: number;
  /** A pure ACK's frame, B. */
  readonly ackFrameBytes: number;
  /** Segments per TSO packet. */
  readonly tsoSegments: number;
  /** Segments per GRO aggregate at the receiver. */
  readonly groSegments: number;
  /** One TSO packet as the host thread of a virtio NIC moves it, B. */
  readonly tsoPacketBytes: number;
  /** One GRO aggregate as the host thread moves it, B. */
  readonly groAggregateBytes: number;
}

export function bulkSegments(
  params: BulkModelParams = defaultBulkModelParams,
  framing: PathFramingParams = defaultPathFramingParams,
  ethernet: EthernetFramingParams = defaultEthernetFramingParams,
): BulkSegments {
  checkBulkModelParams(params);
  const mss = mssBytes(framing);
  const headerBytes = framing.ipv4HeaderBytes + framing.tcpHeaderBytes + framing.tcpTimestampOptionBytes;
  const maxSegments = (limitBytes: number): number => Math.max(1, Math.floor((limitBytes - headerBytes) / mss));
  const tsoSegments = maxSegments(params.gsoMaxBytes);
  const groSegments = Math.min(maxSegments(params.groMaxBytes), Math.max(1, Math.round(tsoSegments * params.groFramesPerAggregateFraction)));
  return {
    mssBytes: mss,
    headerBytes,
    dataFrameBytes: frameBytesForIpPacket(headerBytes + mss, ethernet),
    ackFrameBytes: frameBytesForIpPacket(headerBytes, ethernet),
    tsoSegments,
    groSegments,
    tsoPacketBytes: frameBytesForIpPacket(headerBytes + tsoSegments * mss, ethernet),
    groAggregateBytes: frameBytesForIpPacket(headerBytes + groSegments * mss, ethernet),
  };
}

/** One piece of bulk work: the Work a core does and the part of its cycles that is BPF instructions. */
export interface BulkWork {
  readonly work: Work;
  readonly bpfInstructionCycles: number;
}

/** The CPU work of a bulk flow per packet kind (interrupts not included: NAPI charges them per interrupt). */
export interface BulkCpuWork {
  /** Sender: one TSO packet out through the datapath. */
  readonly senderPacket: BulkWork;
  /** Sender: one pure ACK in. */
  readonly senderAck: BulkWork;
  /** Receiver: per wire frame (physical NIC: driver, skb build, GRO; virtio: none, the host aggregates). */
  readonly receiverFrame: BulkWork;
  /** Receiver: one aggregate through the stack and the datapath (virtio: with its driver work). */
  readonly receiverAggregate: BulkWork;
  /** Receiver: one pure ACK out. */
  readonly receiverAck: BulkWork;
}

/** CPU time of one piece of bulk work and the part of it that is BPF instructions (JIT or interpreted), ns. */
export interface BulkWorkNs {
  readonly ns: number;
  readonly bpfInstructionNs: number;
}

export interface BulkCpuCosts {
  /** Clock of a saturated core, Hz. */
  readonly freqHz: number;
  /** Sender: one TSO packet out through the datapath. */
  readonly senderPacket: BulkWorkNs;
  /** Sender: one pure ACK in. */
  readonly senderAck: BulkWorkNs;
  /** Receiver: per wire frame (physical NIC: driver, GRO; virtio: none). */
  readonly receiverFrame: BulkWorkNs;
  /** Receiver: one aggregate through the stack and the datapath (virtio: with its driver work). */
  readonly receiverAggregate: BulkWorkNs;
  /** Receiver: one pure ACK out. */
  readonly receiverAck: BulkWorkNs;
}

/** The frequency bounds simulatePath uses for a spec: the calibrated minimum (or the spec's clock, if lower) to the spec's clock. */
export function specFrequency(spec: DatapathSpec): CpuFrequencyParams {
  return { minFreqHz: Math.min(defaultCpuFrequencyParams.minFreqHz, spec.cpuFreqHz), maxFreqHz: spec.cpuFreqHz };
}

/** Clock of a core that is the bottleneck: the governor's choice at full utilisation, Hz. */
export function saturatedFreqHz(spec: DatapathSpec): number {
  return governorFreqHz(spec.governor, 1, specFrequency(spec));
}

/** The per-packet cost context of a bulk run (conntrack size from the node, `flows` entries in use). */
export function bulkCostContext(spec: DatapathSpec, flows: number): PathCostContext {
  const dp = datapathFor(spec);
  const maxEntries = spec.conntrackMaxEntries === undefined ? {} : { maxEntries: spec.conntrackMaxEntries };
  const capacity = dp.conntrack === 'cilium-ct'
    ? ciliumCtSizing({ memoryBytes: spec.nodeMemoryBytes, ...maxEntries }).capacityEntries
    : nfConntrackSizing({ memoryBytes: spec.nodeMemoryBytes, cores: spec.cores, kernelVersion: specKernelVersion(spec), kubeProxy: true, ...maxEntries }).capacityEntries;
  return {
    datapath: dp, spec, params: pathModelParams(), workCost: defaultWorkCostParams,
    ctCapacityEntries: capacity, ctOccupancyEntries: Math.min(capacity, flows * dp.ctEntriesPerConnection),
  };
}

const whole = (c: StagedCost): BulkWork => ({ work: c.work, bpfInstructionCycles: c.bpfInstructionCycles });

export function bulkCpuWork(spec: DatapathSpec, flows: number, params: BulkModelParams = defaultBulkModelParams): BulkCpuWork {
  checkBulkModelParams(params);
  const ctx = bulkCostContext(spec, flows);
  // A paravirtual NIC's host worker hands the guest whole aggregates (virtio, gvnic, vmxnet3); a VF's driver sees every frame.
  const virtio = nicModelByName(spec.nic).kind === 'virtio';
  const ingress = remoteIngressCost(ctx, false);
  const nic = STAGE_INDEX.nic;
  // The driver's part of the ingress path: its cycles and its fixed-latency stalls.
  const driver: Work = { cycles: ingress.cycles[nic]!, dramMisses: 0, stallNs: ingress.fixedNs[nic]! };
  const fixedNs = ingress.fixedNs.reduce((a, b) => a + b, 0);
  const rest: Work = { cycles: ingress.work.cycles - driver.cycles, dramMisses: 0, stallNs: fixedNs - driver.stallNs! };
  return {
    senderPacket: whole(clientEgressCost(ctx, 'data')),
    senderAck: whole(clientIngressCost(ctx)),
    receiverFrame: virtio ? { work: NO_WORK, bpfInstructionCycles: 0 } : { work: addWork(driver, { cycles: params.groPerFrameCycles, dramMisses: 0 }), bpfInstructionCycles: 0 },
    receiverAggregate: virtio ? whole(ingress) : { work: rest, bpfInstructionCycles: ingress.bpfInstructionCycles },
    receiverAck: whole(remoteEgressCost(ctx)),
  };
}

export function bulkCpuCosts(spec: DatapathSpec, flows: number, params: BulkModelParams = defaultBulkModelParams): BulkCpuCosts {
  const w = bulkCpuWork(spec, flows, params);
  const freqHz = saturatedFreqHz(spec);
  const ns = (b: BulkWork): BulkWorkNs => ({ ns: workNs(b.work, freqHz, defaultWorkCostParams), bpfInstructionNs: cyclesToNs(b.bpfInstructionCycles, freqHz) });
  return {
    freqHz,
    senderPacket: ns(w.senderPacket),
    senderAck: ns(w.senderAck),
    receiverFrame: ns(w.receiverFrame),
    receiverAggregate: ns(w.receiverAggregate),
    receiverAck: ns(w.receiverAck),
  };
}
