/**
 * A short packet-level run of the bulk workload, to check the fluid model (simulateBulkThroughput)
 * with the components it abstracts: window-limited senders, each TSO packet's egress work on the
 * sender's core (CpuCores, softirq), the sender's NicTx (one wire at line rate, or the queue pair's
 * vhost thread moving the whole TSO packet), the cloud shapers of both VMs (CloudShaper: per-flow
 * cap, bandwidth and PPS allowances, queueing up to their delay limit) frame by frame, the wire,
 * and the receiver's NicRx (ring, interrupt moderation, NAPI on the queue's core) with per-frame
 * driver and GRO work and, on the frame that closes a GRO aggregate, the aggregate's stack and
 * datapath work and the ACK it sends; a virtio receiver's host hands the guest each aggregate
 * whole. ACKs go back through the receiver's NicTx, the shapers and the sender's NicRx, and open
 * the window.
 *
 * The bandwidth allowance is held at the burst or the baseline rate (a run of milliseconds sits in
 * one phase of the credit balance). A sender never retransmits: the run reports drops, and a
 * window that fits the path's queues (ring, qdisc, the shapers' delay limit) has none.
 */
import { Simulation } from '../engine/index.ts';
import { CpuCores, defaultCpuCoresParams, SOFTIRQ_PRIORITY } from '../cpu/cpuCores.ts';
import { CloudShaper, defaultCloudShaperParams, type CloudShaperParams, type EnaAllowanceCounters, type ShaperDirection } from '../nic/cloudShaper.ts';
import type { NicPacket } from '../nic/nicPacket.ts';
import { NicRx, type NicDropReason } from '../nic/nicRx.ts';
import { NicTx } from '../nic/nicTx.ts';
import { VhostThreads } from '../nic/vhostThreads.ts';
import { rssQueueForFlow } from '../nic/rssQueues.ts';
import { BITS_PER_BYTE, bitsPerSecToGbitPerSec, bytesToBits, secToNs } from '../units.ts';
import { addWork } from '../cpu/workCost.ts';
import { bulkCpuWork, specFrequency } from './bulkCosts.ts';
import { defaultBulkModelParams, type BulkModelParams, type BulkSpec } from './bulkSpec.ts';
import { bulkFlowIds, bulkNetwork } from './simulateBulkThroughput.ts';

export interface BulkPacketRunOptions {
  /** Measured time after the warm-up, s. */
  readonly horizonSec: number;
  /** Time before measuring (the windows fill, queues settle), s. */
  readonly warmupSec: number;
  /** Which bandwidth allowance is in force (cloud allowances only). */
  readonly allowance: 'burst' | 'baseline';
  /** Bytes each flow may have in flight. */
  readonly windowBytes: number;
  /**
   * The shapers' delay limit before they drop, us (default the calibrated one). A window-limited
   * sender without loss recovery keeps its whole window queued at a binding allowance: a check run
   * raises the limit so that the queue fits.
   */
  readonly shaperMaxDelayUs?: number;
}

export interface BulkPacketRunResult {
  readonly totalGbps: number;
  /** Goodput of each admitted flow, in flow order. */
  readonly perFlowGbps: readonly number[];
  /** Packets dropped, by where (a sender does not retransmit them). */
  readonly drops: Readonly<Record<'tx-queue' | NicDropReason, number>>;
  /** Counters of the sending and receiving VM's shapers over the whole run (zeros without allowances). */
  readonly counters: { readonly sender: EnaAllowanceCounters; readonly receiver: EnaAllowanceCounters };
  /** Busy fraction of each core over the measured window. */
  readonly senderCoreUtilization: readonly number[];
  readonly receiverCoreUtilization: readonly number[];
  readonly events: number;
}

interface BulkPacket extends NicPacket {
  /** Index of the flow. */
  readonly flow: number;
  /** 0 data, 1 ACK. */
  readonly ack: boolean;
  /** Data: payload of the aggregate this frame closes (0 if it closes none); ACK: bytes acknowledged. */
  readonly bytes: number;
}

const zeroCounters = (): EnaAllowanceCounters => ({
  bw_in_allowance_exceeded: 0, bw_out_allowance_exceeded: 0, pps_allowance_exceeded: 0, conntrack_allowance_exceeded: 0, per_flow_allowance_exceeded: 0,
});

export function simulateBulkPackets(
  spec: BulkSpec, seed: number, options: BulkPacketRunOptions, replication = 0, params: BulkModelParams = defaultBulkModelParams,
): BulkPacketRunResult {
  const { horizonSec, warmupSec, windowBytes } = options;
  if (!(horizonSec > 0) || !Number.isFinite(horizonSec)) throw new RangeError(`horizonSec must be a finite number > 0, got ${horizonSec}`);
  if (!(warmupSec >= 0) || !Number.isFinite(warmupSec)) throw new RangeError(`warmupSec must be a finite number >= 0, got ${warmupSec}`);
  const net = bulkNetwork(spec, params);
  const s = net.segments;
  const packetPayload = s.tsoSegments * s.mssBytes;
  if (!(windowBytes >= packetPayload)) throw new RangeError(`windowBytes must be at least one TSO packet (${packetPayload} B), got ${windowBytes}`);
  const cloud = net.cloud;
  const admitted = cloud === undefined ? spec.flows : Math.min(spec.flows, cloud.conntrackAllowanceFlows);
  const ids = bulkFlowIds(spec.flows, seed, replication).slice(0, admitted);
  const work = bulkCpuWork(spec.path, spec.flows, params);
  const sim = new Simulation();
  const frequency = specFrequency(spec.path);
  const coresOf = (name: string): CpuCores => new CpuCores(sim, {
    params: { coreCount: spec.path.cores, irqEntryCycles: defaultCpuCoresParams.irqEntryCycles }, governor: spec.path.governor, frequency, name,
  });
  const senderCores = coresOf('sender');
  const receiverCores = coresOf('receiver');
  const nic = net.nic;
  const senderThreads = nic.virtio === undefined ? undefined : new VhostThreads(net.queueCount, nic.virtio);
  const receiverThreads = nic.virtio === undefined ? undefined : new VhostThreads(net.queueCount, nic.virtio);
  const senderTx = new NicTx(nic, net.queueCount, nic.txQueue, senderThreads);
  const receiverTx = new NicTx(nic, net.queueCount, nic.txQueue, receiverThreads);
  const drops: Record<'tx-queue' | NicDropReason, number> = {
    'tx-queue': 0, 'rx-ring-full': 0, 'host-backlog-full': 0, bw_in_allowance_exceeded: 0, bw_out_allowance_exceeded: 0,
    pps_allowance_exceeded: 0, conntrack_allowance_exceeded: 0, per_flow_allowance_exceeded: 0,
  };
  const dropped = (_pkt: BulkPacket, reason: 'tx-queue' | NicDropReason): void => { drops[reason]++; };

  let shaperParams: CloudShaperParams | undefined;
  if (cloud !== undefined) {
    const bw = options.allowance === 'burst' ? cloud.burstBitsPerSec : cloud.baselineBitsPerSec;
    shaperParams = {
      ...defaultCloudShaperParams, bwInAllowanceBitsPerSec: bw, bwOutAllowanceBitsPerSec: bw, ppsAllowancePps: cloud.ppsAllowancePps,
      perFlowCapBitsPerSec: cloud.perFlowCapBitsPerSec, conntrackAllowanceFlows: cloud.conntrackAllowanceFlows,
      maxShapingDelayUs: options.shaperMaxDelayUs ?? defaultCloudShaperParams.maxShapingDelayUs,
    };
  }
  const senderShaper = shaperParams === undefined ? undefined : new CloudShaper<BulkPacket>(sim, shaperParams);
  const receiverShaper = shaperParams === undefined ? undefined : new CloudShaper<BulkPacket>(sim, shaperParams);
  const shaped = (shaper: CloudShaper<BulkPacket> | undefined, dir: ShaperDirection, next: (pkt: BulkPacket) => void) =>
    shaper === undefined ? next : (pkt: BulkPacket): void => shaper.offer(pkt, dir, next, dropped);

  const warmupNs = Math.round(secToNs(warmupSec));
  const endNs = warmupNs + Math.round(secToNs(horizonSec));
  const deliveredBytes = new Float64Array(admitted);
  const inflight = new Float64Array(admitted);
  const queueOf = ids.map((id) => rssQueueForFlow(id, net.queueCount, nic.rss));
  const coreOf = queueOf.map((q) => q % spec.path.cores);
  const virtio = nic.virtio !== undefined;

  // ---- sender ------------------------------------------------------------------------------------
  const trySend = (f: number): void => {
    while (inflight[f]! + packetPayload <= windowBytes) {
      inflight[f]! += packetPayload;
      senderCores.runThen(coreOf[f]!, work.senderPacket.work, transmit, f, SOFTIRQ_PRIORITY);
    }
  };
  const frameOut = shaped(senderShaper, 'out', (pkt) => sim.schedule(Math.round(net.wireOneWayNs), frameIn, pkt));
  const transmit = (f: number): void => {
    const nowNs = sim.nowNs;
    const queue = senderTx.queueForCore(coreOf[f]!);
    const frames: BulkPacket[] = [];
    for (let i = 0; i < s.tsoSegments; i++) {
      const closes = (i + 1) % s.groSegments === 0 || i === s.tsoSegments - 1;
      const segs = closes ? (i % s.groSegments) + 1 : 0;
      frames.push({ flowId: ids[f]!, frameBytes: s.dataFrameBytes, flow: f, ack: false, bytes: segs * s.mssBytes });
    }
    if (virtio) {
      // The vhost thread moves the TSO packet whole; the host's NIC then sends its frames.
      const doneNs = senderTx.send(queue, s.tsoPacketBytes, nowNs);
      if (doneNs < 0) { drops['tx-queue']++; return; }
      sim.schedule(Math.max(0, Math.round(doneNs) - nowNs), () => { for (const fr of frames) frameOut(fr); });
      return;
    }
    for (const fr of frames) {
      const doneNs = senderTx.send(queue, fr.frameBytes, nowNs);
      if (doneNs < 0) { drops['tx-queue']++; continue; }
      sim.schedule(Math.max(0, Math.round(doneNs) - nowNs), frameOut, fr);
    }
  };

  // ---- receiver ----------------------------------------------------------------------------------
  const rxFrameWork = work.receiverFrame.work;
  // The frame that closes a GRO aggregate carries the aggregate's stack and datapath work and the ACK it sends.
  const rxCloseWork = addWork(rxFrameWork, work.receiverAggregate.work, work.receiverAck.work);
  const receiverRx = new NicRx<BulkPacket>({
    nic, cores: receiverCores, vhostThreads: receiverThreads,
    perPacketWork: (pkt) => (pkt.bytes > 0 ? rxCloseWork : rxFrameWork),
    onDelivered: (pkt, nowNs) => {
      if (pkt.bytes === 0) return;
      if (nowNs >= warmupNs && nowNs < endNs) deliveredBytes[pkt.flow]! += pkt.bytes;
      const ack: BulkPacket = { flowId: pkt.flowId, frameBytes: s.ackFrameBytes, flow: pkt.flow, ack: true, bytes: pkt.bytes };
      const doneNs = receiverTx.send(receiverTx.queueForCore(coreOf[pkt.flow]!), ack.frameBytes, nowNs);
      if (doneNs < 0) { drops['tx-queue']++; return; }
      sim.schedule(Math.max(0, Math.round(doneNs) - nowNs), ackOut, ack);
    },
    onDropped: dropped,
  });
  // A virtio receiver's host aggregates the frames (GRO) and hands the guest the aggregate.
  const toReceiver = virtio
    ? (pkt: BulkPacket): void => {
      if (pkt.bytes > 0) receiverRx.receive({ ...pkt, frameBytes: s.groAggregateBytes });
    }
    : (pkt: BulkPacket): void => receiverRx.receive(pkt);
  const frameIn = shaped(receiverShaper, 'in', toReceiver);

  // ---- ACKs ----------------------------------------------------------------------------------------
  const senderRx = new NicRx<BulkPacket>({
    nic, cores: senderCores, vhostThreads: senderThreads,
    perPacketWork: () => work.senderAck.work,
    onDelivered: (pkt) => {
      inflight[pkt.flow]! -= pkt.bytes;
      trySend(pkt.flow);
    },
    onDropped: dropped,
  });
  const ackIn = shaped(senderShaper, 'in', (pkt) => senderRx.receive(pkt));
  const ackOut = shaped(receiverShaper, 'out', (pkt) => sim.schedule(Math.round(net.wireOneWayNs), ackIn, pkt));

  for (let f = 0; f < admitted; f++) trySend(f);
  sim.schedule(warmupNs, () => { senderCores.resetStats(); receiverCores.resetStats(); });
  sim.runUntil(endNs);

  const perFlowGbps = Array.from(deliveredBytes, (b) => bitsPerSecToGbitPerSec(bytesToBits(b) / horizonSec));
  const util = (cores: CpuCores): number[] => Array.from({ length: cores.coreCount }, (_, c) => cores.busyFraction(c));
  return {
    totalGbps: perFlowGbps.reduce((a, b) => a + b, 0),
    perFlowGbps,
    drops,
    counters: { sender: senderShaper?.counters ?? zeroCounters(), receiver: receiverShaper?.counters ?? zeroCounters() },
    senderCoreUtilization: util(senderCores),
    receiverCoreUtilization: util(receiverCores),
    events: sim.eventsProcessed,
  };
}

/** A window that keeps a flow at `rateBitsPerSec` over `rttSec` plus `queueSec` of queueing at its bottleneck, B (at least two TSO packets). */
export function bulkWindowBytes(rateBitsPerSec: number, rttSec: number, queueSec: number, spec: BulkSpec, params: BulkModelParams = defaultBulkModelParams): number {
  const s = bulkNetwork(spec, params).segments;
  const packet = s.tsoSegments * s.mssBytes;
  return Math.max(2 * packet, Math.ceil((rateBitsPerSec * (rttSec + queueSec)) / BITS_PER_BYTE / packet) * packet);
}

