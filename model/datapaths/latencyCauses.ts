/**
 * Where a round trip's time goes. Every message's RTT is split, exactly, into causes along its
 * critical path: the request's last segment to leave the node, the fabric and the remote node, the
 * answer's last segment to arrive, and the client application's wake-up. A VM's boundary (its
 * exits, its host's wake-ups and work) has causes of its own, so the NIC's share and the
 * fabric's are apart. `LatencyAttribution`
 * keeps, per RTT bucket (1/32 of an octave, about 2.2 % wide), the number of messages and the time spent in each cause, so a run can report
 * the mean split of the messages at or above its p99 (or p99.9) next to the median message without
 * keeping every message.
 */
import { NS_PER_US } from '../units.ts';

export const LATENCY_CAUSES = [
  /** Waiting for a bare-metal core to leave its idle state (client or remote node). */
  'idleExit',
  /** Waiting for a core held by other work (softirq of earlier packets, interrupts). */
  'coreWait',
  /** Waiting for ksoftirqd (its wake-up, then the core as a task) after the NET_RX budget ran out. */
  'ksoftirqd',
  /** The Service lookup of a first packet (iptables walk, verdict maps, BPF LB maps), as if cached. */
  'warmWalk',
  /** The same lookup's extra time for the part of its structures no longer cached. */
  'coldWalk',
  /** All other CPU work of the node's packets (driver, stack, conntrack, BPF programs, interrupts). */
  'otherWork',
  /** Interrupt moderation: a packet waiting for its interrupt (either node; a VM's host NIC and its virtual NIC's coalescing too). */
  'nicModeration',
  /** VM exits on the path: the guest's kicks, interrupt delivery into a running vCPU without posted interrupts, a halted vCPU's IPI, exit and injection. */
  'vmExit',
  /** A VM host's threads woken from sleep (the vhost worker, a descheduled vCPU thread): the host scheduler, and its cores' idle-state exits. */
  'hostWakeup',
  /** A VM's host side: waiting for and working in its worker, its receive stack (host NIC interrupt, driver, bridge, tap), or an offload card's pipeline. */
  'host',
  /** TX queue and serialisation on the ports (the node's or its host's). */
  'wire',
  /** Propagation and switching between the nodes: one switch hop, or a cloud provider's network. */
  'fabric',
  /** The remote node's packet work, its TCP handshake and the server's processing. */
  'remote',
  /** Scheduler wake-up of the applications: the server's before it answers a request, the client's after the answer. */
  'appWakeup',
  /** Retransmission timeouts and the attempts that were lost or dropped. */
  'retransmission',
] as const;
export type LatencyCause = (typeof LATENCY_CAUSES)[number];
export const CAUSE_COUNT = LATENCY_CAUSES.length;
export const CAUSE: Readonly<Record<LatencyCause, number>> = Object.freeze(Object.fromEntries(LATENCY_CAUSES.map((c, i) => [c, i])) as Record<LatencyCause, number>);

/** Buckets per doubling of the RTT. */
const BUCKETS_PER_OCTAVE = 32; // calibration-exempt: resolution of the attribution buckets (about 2.2 % wide), not a model quantity
/** RTTs up to 2^44 ns (about 4.9 hours) get their own bucket; longer ones share the last. */
const MAX_OCTAVES = 44; // calibration-exempt: range of the attribution buckets, not a model quantity
const BUCKETS = BUCKETS_PER_OCTAVE * MAX_OCTAVES + 1;

export function attributionBucket(rttNs: number): number {
  if (!(rttNs >= 1)) return 0;
  return Math.min(BUCKETS - 1, Math.floor(Math.log2(rttNs) * BUCKETS_PER_OCTAVE));
}

/** The mean split of a set of messages, µs per cause, and how many messages it averages. */
export interface CauseSplitUs {
  readonly messages: number;
  readonly rttUs: number;
  readonly causesUs: Readonly<Record<LatencyCause, number>>;
}

export class LatencyAttribution {
  readonly counts = new Float64Array(BUCKETS);
  readonly rttSumNs = new Float64Array(BUCKETS);
  readonly causeSumNs = new Float64Array(BUCKETS * CAUSE_COUNT);
  /** Largest |RTT - sum of its causes| seen, ns: 0 unless the bookkeeping misses a part of the path. */
  maxResidualNs = 0;

  /** A message's RTT and its split (`parts` are added: egress + remote + ingress). */
  record(rttNs: number, a: Float64Array, b: Float64Array, c: Float64Array): void {
    const k = attributionBucket(rttNs);
    this.counts[k] = this.counts[k]! + 1;
    this.rttSumNs[k] = this.rttSumNs[k]! + rttNs;
    const base = k * CAUSE_COUNT;
    const sums = this.causeSumNs;
    let total = 0;
    for (let i = 0; i < CAUSE_COUNT; i++) {
      const v = a[i]! + b[i]! + c[i]!;
      sums[base + i] = sums[base + i]! + v;
      total += v;
    }
    const residual = Math.abs(total - rttNs);
    if (residual > this.maxResidualNs) this.maxResidualNs = residual;
  }

  /** The mean split of the messages whose RTT bucket is that of `thresholdNs` or above (`atOrAbove`), or exactly that bucket. */
  split(thresholdNs: number, atOrAbove: boolean): CauseSplitUs {
    const from = attributionBucket(thresholdNs);
    const to = atOrAbove ? BUCKETS - 1 : from;
    let n = 0;
    let rtt = 0;
    const sums = new Float64Array(CAUSE_COUNT);
    for (let k = from; k <= to; k++) {
      const count = this.counts[k]!;
      if (count === 0) continue;
      n += count;
      rtt += this.rttSumNs[k]!;
      for (let i = 0; i < CAUSE_COUNT; i++) sums[i] = sums[i]! + this.causeSumNs[k * CAUSE_COUNT + i]!;
    }
    const us = (ns: number): number => (n > 0 ? ns / n / NS_PER_US : NaN);
    const causesUs = Object.fromEntries(LATENCY_CAUSES.map((c, i) => [c, us(sums[i]!)])) as Record<LatencyCause, number>;
    return { messages: n, rttUs: us(rtt), causesUs };
  }
}
