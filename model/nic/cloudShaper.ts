/**
 * Cloud network allowances (AWS ENA style) as shapers that queue or drop. Each packet passes, in
 * order: the connection-tracking allowance (a new flow beyond `conntrackAllowanceFlows` tracked
 * flows is dropped: "failure in establishment of new connections"), a per-flow bandwidth cap
 * (5 Gbit/s outside a placement group; one token bucket per flow and direction), then the
 * aggregate allowances: bandwidth per direction and packets per second (one bucket for both
 * directions). A bucket that is short of tokens delays the packet (FIFO) if the delay stays within
 * `maxShapingDelayUs`, else drops it; mode 'drop' drops at once. Counters carry the ENA names and
 * count packets "shaped" (delayed or dropped) by each allowance. The PPS and conntrack allowance
 * values are unpublished: their defaults are guesses to be swept.
 */
import type { Simulation } from '../engine/index.ts';
import { calibratedParams } from '../calibration/index.ts';
import { bytesToBits, nsToSec, usToNs } from '../units.ts';
import { TokenBucket } from './tokenBucket.ts';
import type { NicPacket } from './nicPacket.ts';

export type ShapingMode = 'queue' | 'drop';
export type ShaperDirection = 'in' | 'out';

export interface CloudShaperParams {
  /** Aggregate inbound bandwidth allowance, bit/s. Assumption 1 Gbit/s. */
  readonly bwInAllowanceBitsPerSec: number;
  /** Aggregate outbound bandwidth allowance, bit/s. Assumption 1 Gbit/s. */
  readonly bwOutAllowanceBitsPerSec: number;
  /** Packets per second, both directions together. Unpublished [U]: assumption 1 Mpps (50 kpps-10 Mpps). */
  readonly ppsAllowancePps: number;
  /** Tracked flows. Unpublished: assumption 100k (10k-10M). */
  readonly conntrackAllowanceFlows: number;
  /** Single-flow cap, bit/s. 5 Gbit/s outside a placement group (sourced). */
  readonly perFlowCapBitsPerSec: number;
  /** Bucket depth as time at the allowance rate, us. Assumption 1000. */
  readonly burstDurationUs: number;
  /** Longest delay before a packet is dropped instead, us. Assumption 1000. */
  readonly maxShapingDelayUs: number;
  readonly mode: ShapingMode;
}

const ALLOWANCE_KEYS = {
  bwInAllowanceBitsPerSec: 'nic.cloud.bwAllowanceBitsPerSec',
  bwOutAllowanceBitsPerSec: 'nic.cloud.bwAllowanceBitsPerSec',
  ppsAllowancePps: 'nic.cloud.ppsAllowancePps',
  conntrackAllowanceFlows: 'nic.cloud.conntrackAllowanceFlows',
  burstDurationUs: 'nic.cloud.burstDurationUs',
  maxShapingDelayUs: 'nic.cloud.maxShapingDelayUs',
} as const;

/** AWS-like allowances outside a cluster placement group (per-flow cap 5 Gbit/s), queueing. */
export const defaultCloudShaperParams: CloudShaperParams = calibratedParams(
  { ...ALLOWANCE_KEYS, perFlowCapBitsPerSec: 'nic.cloud.perFlowCapBitsPerSec' },
  { mode: 'queue' as ShapingMode },
);

/** As the default, inside a cluster placement group (per-flow cap 10 Gbit/s). */
export const defaultPlacementGroupCloudShaperParams: CloudShaperParams = calibratedParams(
  { ...ALLOWANCE_KEYS, perFlowCapBitsPerSec: 'nic.cloud.perFlowCapPlacementGroupBitsPerSec' },
  { mode: 'queue' as ShapingMode },
);

/** Packets shaped (delayed or dropped) per allowance, named as `ethtool -S` on ENA names them. */
export interface EnaAllowanceCounters {
  bw_in_allowance_exceeded: number;
  bw_out_allowance_exceeded: number;
  pps_allowance_exceeded: number;
  conntrack_allowance_exceeded: number;
  /** Not an ENA counter (ENA reports none for the per-flow cap): packets shaped by it. */
  per_flow_allowance_exceeded: number;
}

export type ShaperDropReason = keyof EnaAllowanceCounters;

/** Largest sustained rate the aggregate allowances pass for frames of `frameBytes`, per direction, pps. */
export function cloudAllowancePps(frameBytes: number, direction: ShaperDirection, p: CloudShaperParams = defaultCloudShaperParams): number {
  const bw = direction === 'in' ? p.bwInAllowanceBitsPerSec : p.bwOutAllowanceBitsPerSec;
  return Math.min(p.ppsAllowancePps, bw / bytesToBits(frameBytes));
}

export function checkCloudShaperParams(p: CloudShaperParams): void {
  for (const k of ['bwInAllowanceBitsPerSec', 'bwOutAllowanceBitsPerSec', 'ppsAllowancePps', 'perFlowCapBitsPerSec', 'burstDurationUs'] as const) {
    if (!(p[k] > 0) || !Number.isFinite(p[k])) throw new RangeError(`${k} must be a finite number > 0, got ${p[k]}`);
  }
  if (!(Number.isInteger(p.conntrackAllowanceFlows) && p.conntrackAllowanceFlows >= 1)) {
    throw new RangeError(`conntrackAllowanceFlows must be a positive integer, got ${p.conntrackAllowanceFlows}`);
  }
  if (!(p.maxShapingDelayUs >= 0)) throw new RangeError(`maxShapingDelayUs must be >= 0, got ${p.maxShapingDelayUs}`);
  if (p.mode !== 'queue' && p.mode !== 'drop') throw new RangeError(`mode must be 'queue' or 'drop', got "${String(p.mode)}"`);
}

type PassFn<T> = (pkt: T, nowNs: number) => void;
type DropFn<T> = (pkt: T, reason: ShaperDropReason, nowNs: number) => void;

export class CloudShaper<T extends NicPacket> {
  readonly counters: EnaAllowanceCounters = {
    bw_in_allowance_exceeded: 0,
    bw_out_allowance_exceeded: 0,
    pps_allowance_exceeded: 0,
    conntrack_allowance_exceeded: 0,
    per_flow_allowance_exceeded: 0,
  };
  passedPackets = 0;
  droppedPackets = 0;

  private readonly bwIn: TokenBucket;
  private readonly bwOut: TokenBucket;
  private readonly pps: TokenBucket;
  private readonly flowBuckets: Record<ShaperDirection, Map<number, TokenBucket>> = { in: new Map(), out: new Map() };
  private readonly tracked = new Set<number>();
  private readonly maxDelayNs: number;
  private readonly burstSec: number;

  constructor(readonly sim: Simulation, readonly params: CloudShaperParams = defaultCloudShaperParams) {
    checkCloudShaperParams(params);
    this.burstSec = nsToSec(usToNs(params.burstDurationUs));
    this.bwIn = new TokenBucket(params.bwInAllowanceBitsPerSec, params.bwInAllowanceBitsPerSec * this.burstSec, sim.nowNs);
    this.bwOut = new TokenBucket(params.bwOutAllowanceBitsPerSec, params.bwOutAllowanceBitsPerSec * this.burstSec, sim.nowNs);
    this.pps = new TokenBucket(params.ppsAllowancePps, params.ppsAllowancePps * this.burstSec, sim.nowNs);
    this.maxDelayNs = params.mode === 'drop' ? 0 : usToNs(params.maxShapingDelayUs);
  }

  /** Flows currently tracked against the conntrack allowance. */
  get trackedFlows(): number {
    return this.tracked.size;
  }

  /** The flow ended (FIN/RST or idle timeout): it no longer counts against the conntrack allowance. */
  closeFlow(flowId: number): void {
    this.tracked.delete(flowId);
    this.flowBuckets.in.delete(flowId);
    this.flowBuckets.out.delete(flowId);
  }

  /** Offers `pkt` in `direction`; `onPass` runs when it leaves the shaper, `onDrop` if it is dropped. */
  offer(pkt: T, direction: ShaperDirection, onPass: PassFn<T>, onDrop?: DropFn<T>): void {
    const nowNs = this.sim.nowNs;
    if (!this.tracked.has(pkt.flowId)) {
      if (this.tracked.size >= this.params.conntrackAllowanceFlows) {
        this.counters.conntrack_allowance_exceeded++;
        this.drop(pkt, 'conntrack_allowance_exceeded', onDrop);
        return;
      }
      this.tracked.add(pkt.flowId);
    }
    const bits = bytesToBits(pkt.frameBytes);
    const flows = this.flowBuckets[direction];
    let flow = flows.get(pkt.flowId);
    if (flow === undefined) {
      const cap = this.params.perFlowCapBitsPerSec;
      flow = new TokenBucket(cap, Math.max(cap * this.burstSec, bits), nowNs);
      flows.set(pkt.flowId, flow);
    }
    const tFlow = flow.earliestNs(nowNs, bits);
    if (tFlow > nowNs) {
      this.counters.per_flow_allowance_exceeded++;
      if (tFlow - nowNs > this.maxDelayNs) {
        this.drop(pkt, 'per_flow_allowance_exceeded', onDrop);
        return;
      }
    }
    flow.take(tFlow, bits);
    const delayNs = Math.max(0, Math.round(tFlow) - nowNs);
    if (delayNs === 0) this.aggregate(pkt, direction, bits, onPass, onDrop);
    else this.sim.schedule(delayNs, () => this.aggregate(pkt, direction, bits, onPass, onDrop));
  }

  private aggregate(pkt: T, direction: ShaperDirection, bits: number, onPass: PassFn<T>, onDrop: DropFn<T> | undefined): void {
    const nowNs = this.sim.nowNs;
    const bw = direction === 'in' ? this.bwIn : this.bwOut;
    const tBw = bw.earliestNs(nowNs, bits);
    const tPps = this.pps.earliestNs(nowNs, 1);
    const t = Math.max(tBw, tPps);
    const bwReason: ShaperDropReason = direction === 'in' ? 'bw_in_allowance_exceeded' : 'bw_out_allowance_exceeded';
    if (tBw > nowNs) this.counters[bwReason]++;
    if (tPps > nowNs) this.counters.pps_allowance_exceeded++;
    if (t - nowNs > this.maxDelayNs) {
      this.drop(pkt, tBw >= tPps ? bwReason : 'pps_allowance_exceeded', onDrop);
      return;
    }
    bw.take(t, bits);
    this.pps.take(t, 1);
    this.passedPackets++;
    const delayNs = Math.max(0, Math.round(t) - nowNs);
    if (delayNs === 0) onPass(pkt, nowNs);
    else this.sim.schedule(delayNs, () => onPass(pkt, this.sim.nowNs));
  }

  private drop(pkt: T, reason: ShaperDropReason, onDrop: DropFn<T> | undefined): void {
    this.droppedPackets++;
    onDrop?.(pkt, reason, this.sim.nowNs);
  }
}
