/**
 * Bulk throughput of F long-lived TCP flows over one datapath between two nodes of a preset, for
 * as long as asked (an hour at 10 Gbit/s is 3 billion frames: too many for a packet-per-event run).
 *
 * The model: a fluid one. Each flow is a window-limited sender whose window (tcp_rmem max, 6 MiB)
 * is far above any data-centre bandwidth-delay product, so it sends as fast as the path lets it
 * and flows that share a bottleneck share it evenly: the flows' rates are the max-min fair
 * allocation over the path's resources (maxMinFair.ts; resources in bulkResources.ts, costs per
 * byte with TSO/GRO in bulkCosts.ts). Why this is enough: the question is which resource caps
 * goodput and at what level; congestion control decides how a flow oscillates around that level
 * (CUBIC's sawtooth would lower it by a few percent at a shaper that drops, not modelled) but not
 * which resource binds. A short packet-level run (bulkPacketRun.ts) checks the fluid rates.
 *
 * Time enters through the cloud VM's burst credits only: the allocation is recomputed whenever
 * the credit balance empties (the allowance falls from the burst to the baseline) or refills, so
 * the run is a few exact phases however long it is; the time series samples them. Every flow
 * starts at t = 0 (slow start, a few RTTs, is not modelled). Flows beyond the cloud's conntrack
 * allowance are refused: their SYNs are dropped (ENA's conntrack_allowance_exceeded), they
 * retransmit on TCP's schedule and give up.
 *
 * Allowance counters estimate ENA's: while the bandwidth or PPS allowance binds, its bucket is
 * empty and every packet through it waits (is "shaped"), so the counter grows by all the packets
 * that cross it; the per-flow counter by the packets of the flows the per-flow cap holds. The
 * sending VM's shaper meets the data first; the receiving VM has the same allowances and meets a
 * stream the sender's already paced to them, so its counters stay at zero (the packet-level run
 * shows the same, up to sub-nanosecond rounding of arrival times).
 * A pure function of (spec, seed, params): the seed draws the flows' ids (their source ports),
 * which decide how RSS spreads them over queues and cores.
 */
import { RandomStreams } from '../engine/index.ts';
import { nodeNicModel } from './nodePreset.ts';
import { rssQueueForFlow } from '../nic/rssQueues.ts';
import { defaultPathRemoteParams } from '../datapaths/pathParams.ts';
import { RetransmissionPolicy } from '../tcp/retransmission.ts';
import { bitsPerSecToGbitPerSec, bytesToBits, NS_PER_SEC, nsToSec, nsToUs, SEC_PER_MIN } from '../units.ts';
import type { EnaAllowanceCounters } from '../nic/cloudShaper.ts';
import { bulkCpuCosts, bulkSegments, type BulkCpuCosts, type BulkSegments } from './bulkCosts.ts';
import { BULK_LIMITERS, bulkResourceModel, type BulkLimiter, type BulkNetwork } from './bulkResources.ts';
import { checkBulkSpec, defaultBulkModelParams, type BulkModelParams, type BulkSpec } from './bulkSpec.ts';
import { maxMinFair, type FairAllocation } from './maxMinFair.ts';

/** One stretch of time with one allocation. */
export interface BulkPhase {
  readonly startSec: number;
  readonly endSec: number;
  /** The bandwidth allowance in force, bit/s (null without cloud allowances). */
  readonly allowanceBitsPerSec: number | null;
  readonly totalGbps: number;
  /** Per admitted flow. */
  readonly perFlowMinGbps: number;
  readonly perFlowMaxGbps: number;
  /** What holds the largest share of the goodput. */
  readonly limitedBy: BulkLimiter;
  /** Flows held by each limiter (refused flows: conntrack-allowance). */
  readonly flowsLimitedBy: Partial<Record<BulkLimiter, number>>;
  /** Busiest core's utilisation on the sender and on the receiver, fraction. */
  readonly senderCoreUtilization: number;
  readonly receiverCoreUtilization: number;
}

export interface BulkSample {
  /** Start of the sample, s. */
  readonly tSec: number;
  /** Mean goodput over the sample, all flows, Gbit/s. */
  readonly totalGbps: number;
  readonly perFlowMeanGbps: number;
  readonly perFlowMinGbps: number;
  readonly perFlowMaxGbps: number;
  /** The limiter of the phase that covers most of the sample. */
  readonly limitedBy: BulkLimiter;
  /** Burst credits left at the end of the sample, as seconds of full burst (null without burst). */
  readonly burstCreditSec: number | null;
}

export interface BulkThroughputResult {
  readonly flows: number;
  readonly flowsAdmitted: number;
  readonly flowsRefused: number;
  /** Mean goodput over the run, Gbit/s. */
  readonly meanGbps: number;
  /** Mean goodput over the last minute (or the whole run if shorter), Gbit/s. */
  readonly finalGbps: number;
  /** What limits the goodput at the end of the run. */
  readonly limitedBy: BulkLimiter;
  /** When the burst credits ran out, s (null: never, or no burst). */
  readonly burstCreditsExhaustedSec: number | null;
  readonly phases: readonly BulkPhase[];
  readonly series: readonly BulkSample[];
  /** Packets shaped per ENA allowance counter, on the sending and on the receiving VM (zeros without allowances). */
  readonly allowanceCounters: { readonly sender: EnaAllowanceCounters; readonly receiver: EnaAllowanceCounters };
  /**
   * Total goodput each kind of resource would allow if it were the only limit, in the final phase,
   * Gbit/s (null: the node has none of it).
   */
  readonly boundsGbps: Readonly<Record<Exclude<BulkLimiter, 'conntrack-allowance'>, number | null>>;
  readonly segments: BulkSegments;
  readonly cpu: BulkCpuCosts;
  /** Flows per RSS queue (admitted). */
  readonly flowsPerQueue: readonly number[];
  /** Round trip of one aggregate without queueing, µs. */
  readonly baseRttUs: number;
}

const zeroCounters = (): EnaAllowanceCounters => ({
  bw_in_allowance_exceeded: 0, bw_out_allowance_exceeded: 0, pps_allowance_exceeded: 0, conntrack_allowance_exceeded: 0, per_flow_allowance_exceeded: 0,
});

/** Flow ids (the flows' source ports and addresses as one number), drawn from the seed. */
export function bulkFlowIds(flows: number, seed: number, replication = 0): number[] {
  const u = new RandomStreams(seed, replication).stream('node.bulk.flowIds').uniformFn;
  return Array.from({ length: flows }, () => Math.floor(u() * 2 ** 32)); // calibration-exempt: a 32-bit id space
}

/** The network a bulk spec runs over (NIC, queues, costs), shared by the fluid and the packet-level runs. */
export function bulkNetwork(spec: BulkSpec, params: BulkModelParams = defaultBulkModelParams): BulkNetwork {
  checkBulkSpec(spec);
  const nic = nodeNicModel(spec.node);
  return {
    nic,
    queueCount: nic.queueCount(spec.path.cores),
    coreCount: spec.path.cores,
    cloud: spec.node.cloud,
    hostLinkBitsPerSec: spec.node.hostLinkBitsPerSec,
    segments: bulkSegments(params),
    cpu: bulkCpuCosts(spec.path, spec.flows, params),
    params,
    wireOneWayNs: defaultPathRemoteParams.wireOneWayNs,
  };
}

interface PhaseAllocation {
  readonly alloc: FairAllocation;
  readonly kinds: readonly BulkLimiter[];
  readonly dataFrameBitsPerSec: number;
  readonly totalBitsPerSec: number;
}

export function simulateBulkThroughput(spec: BulkSpec, seed: number, replication = 0, params: BulkModelParams = defaultBulkModelParams): BulkThroughputResult {
  const net = bulkNetwork(spec, params);
  const s = net.segments;
  const cloud = net.cloud;
  const admitted = cloud === undefined ? spec.flows : Math.min(spec.flows, cloud.conntrackAllowanceFlows);
  const refused = spec.flows - admitted;
  const flowsPerQueue = new Array<number>(net.queueCount).fill(0);
  const ids = bulkFlowIds(spec.flows, seed, replication);
  for (let f = 0; f < admitted; f++) flowsPerQueue[rssQueueForFlow(ids[f]!, net.queueCount, net.nic.rss)]!++;
  const frameBitsPerGoodputBit = s.dataFrameBytes / s.mssBytes;

  const allocate = (allowanceBitsPerSec: number): PhaseAllocation => {
    const model = bulkResourceModel(net, flowsPerQueue, allowanceBitsPerSec);
    const alloc = maxMinFair(model.resources, model.classes);
    let total = 0;
    for (const [q, n] of flowsPerQueue.entries()) total += n * alloc.rates[q]!;
    return { alloc, kinds: model.resources.map((r) => r.kind), dataFrameBitsPerSec: total * frameBitsPerGoodputBit, totalBitsPerSec: total };
  };

  // ---- phases: the credit balance decides the allowance ---------------------------------------
  const T = spec.durationSec;
  const baseline = cloud?.baselineBitsPerSec ?? Infinity;
  const burst = cloud?.burstBitsPerSec ?? Infinity;
  const creditCapBits = cloud === undefined ? 0 : cloud.burstCreditSec * (burst - baseline);
  const burstAlloc = allocate(burst);
  const baselineAlloc = cloud === undefined ? burstAlloc : allocate(baseline);
  interface RawPhase { start: number; end: number; a: PhaseAllocation; allowance: number | null; creditsStart: number; creditRate: number }
  const raw: RawPhase[] = [];
  let creditsExhaustedSec: number | null = null;
  if (cloud === undefined || burstAlloc.dataFrameBitsPerSec <= baseline) {
    // The allowance never drains the credits (or there is none): one phase.
    raw.push({ start: 0, end: T, a: burstAlloc, allowance: cloud === undefined ? null : burst, creditsStart: creditCapBits, creditRate: 0 });
  } else {
    const drainRate = burstAlloc.dataFrameBitsPerSec - baseline;
    const emptyAt = creditCapBits / drainRate;
    if (emptyAt > 0) raw.push({ start: 0, end: Math.min(T, emptyAt), a: burstAlloc, allowance: burst, creditsStart: creditCapBits, creditRate: -drainRate });
    if (emptyAt < T) {
      creditsExhaustedSec = emptyAt;
      raw.push({ start: emptyAt, end: T, a: baselineAlloc, allowance: baseline, creditsStart: 0, creditRate: 0 });
    }
  }

  const limiterOf = (a: PhaseAllocation, q: number): BulkLimiter => a.kinds[a.alloc.limiter[q]!]!;
  const phases: BulkPhase[] = raw.map((r) => {
    const byLimiter: Partial<Record<BulkLimiter, number>> = {};
    const goodputBy = new Map<BulkLimiter, number>();
    let minRate = Infinity;
    let maxRate = 0;
    for (const [q, n] of flowsPerQueue.entries()) {
      if (n === 0) continue;
      const rate = r.a.alloc.rates[q]!;
      const lim = limiterOf(r.a, q);
      byLimiter[lim] = (byLimiter[lim] ?? 0) + n;
      goodputBy.set(lim, (goodputBy.get(lim) ?? 0) + n * rate);
      minRate = Math.min(minRate, rate);
      maxRate = Math.max(maxRate, rate);
    }
    if (refused > 0) byLimiter['conntrack-allowance'] = refused;
    let limitedBy: BulkLimiter = refused > 0 && admitted === 0 ? 'conntrack-allowance' : BULK_LIMITERS[0];
    let best = -1;
    for (const kind of BULK_LIMITERS) {
      const g = goodputBy.get(kind);
      if (g !== undefined && g > best) { best = g; limitedBy = kind; }
    }
    const util = (kind: BulkLimiter): number => Math.max(0, ...r.a.alloc.load.filter((_, i) => r.a.kinds[i] === kind)) / NS_PER_SEC;
    return {
      startSec: r.start,
      endSec: r.end,
      allowanceBitsPerSec: r.allowance,
      totalGbps: bitsPerSecToGbitPerSec(r.a.totalBitsPerSec),
      perFlowMinGbps: admitted === 0 ? 0 : bitsPerSecToGbitPerSec(minRate),
      perFlowMaxGbps: bitsPerSecToGbitPerSec(maxRate),
      limitedBy,
      flowsLimitedBy: byLimiter,
      senderCoreUtilization: util('sender-core'),
      receiverCoreUtilization: util('receiver-softirq'),
    };
  });

  // ---- the time series ----------------------------------------------------------------------------
  const meanOver = (a: number, b: number): { total: number; perClass: number[]; limiter: BulkLimiter } => {
    let total = 0;
    const perClass = new Array<number>(net.queueCount).fill(0);
    let longest = -1;
    let limiter: BulkLimiter = phases[phases.length - 1]!.limitedBy;
    for (const [i, r] of raw.entries()) {
      const overlap = Math.max(0, Math.min(b, r.end) - Math.max(a, r.start));
      if (overlap <= 0) continue;
      total += overlap * r.a.totalBitsPerSec;
      for (let q = 0; q < net.queueCount; q++) perClass[q]! += overlap * r.a.alloc.rates[q]!;
      if (overlap > longest) { longest = overlap; limiter = phases[i]!.limitedBy; }
    }
    const len = b - a;
    return { total: total / len, perClass: perClass.map((v) => v / len), limiter };
  };
  const creditsAt = (t: number): number | null => {
    if (cloud === undefined || burst === baseline || cloud.burstCreditSec === 0) return null;
    const r = raw.find((x) => t >= x.start && t <= x.end) ?? raw[raw.length - 1]!;
    const bits = Math.max(0, Math.min(creditCapBits, r.creditsStart + r.creditRate * (t - r.start)));
    return bits / (burst - baseline);
  };
  const series: BulkSample[] = [];
  for (let a = 0; a < T - 1e-9 * T; a += spec.sampleSec) {
    const b = Math.min(T, a + spec.sampleSec);
    const m = meanOver(a, b);
    const rates = flowsPerQueue.flatMap((n, q) => (n > 0 ? [m.perClass[q]!] : []));
    if (refused > 0) rates.push(0);
    series.push({
      tSec: a,
      totalGbps: bitsPerSecToGbitPerSec(m.total),
      perFlowMeanGbps: bitsPerSecToGbitPerSec(m.total / spec.flows),
      perFlowMinGbps: bitsPerSecToGbitPerSec(Math.min(...rates)),
      perFlowMaxGbps: bitsPerSecToGbitPerSec(Math.max(...rates)),
      limitedBy: m.limiter,
      burstCreditSec: creditsAt(b),
    });
  }

  // ---- counters -------------------------------------------------------------------------------------
  const sender = zeroCounters();
  const receiver = zeroCounters();
  const segmentsPerGoodputBit = 1 / bytesToBits(s.mssBytes);
  const acksPerSegment = params.acksPerAggregate / s.groSegments;
  for (const [i, r] of raw.entries()) {
    const dt = r.end - r.start;
    const ph = phases[i]!;
    const dataFrames = r.a.totalBitsPerSec * segmentsPerGoodputBit * dt;
    if (ph.flowsLimitedBy['bandwidth-allowance'] !== undefined) sender.bw_out_allowance_exceeded += dataFrames;
    if (ph.flowsLimitedBy['pps-allowance'] !== undefined) sender.pps_allowance_exceeded += dataFrames * (1 + acksPerSegment);
    let capped = 0;
    for (const [q, n] of flowsPerQueue.entries()) if (n > 0 && limiterOf(r.a, q) === 'per-flow-cap') capped += n * r.a.alloc.rates[q]!;
    sender.per_flow_allowance_exceeded += capped * segmentsPerGoodputBit * dt;
  }
  if (refused > 0) {
    const rto = new RetransmissionPolicy();
    let attempts = 1;
    let tNs = 0;
    for (let drops = 1; !rto.givesUp(drops); drops++) {
      tNs += rto.rtoNs(true, drops);
      if (nsToSec(tNs) >= T) break;
      attempts++;
    }
    sender.conntrack_allowance_exceeded = refused * attempts;
  }
  for (const c of [sender, receiver]) for (const k of Object.keys(c) as (keyof EnaAllowanceCounters)[]) c[k] = Math.round(c[k]);

  // ---- summary ----------------------------------------------------------------------------------------
  const finalStart = Math.max(0, T - SEC_PER_MIN);
  const last = raw[raw.length - 1]!;
  const boundsGbps = {} as Record<Exclude<BulkLimiter, 'conntrack-allowance'>, number | null>;
  const finalModel = bulkResourceModel(net, flowsPerQueue, last.allowance ?? Infinity);
  for (const kind of BULK_LIMITERS) {
    if (kind === 'conntrack-allowance') continue;
    const keep = finalModel.resources.map((r) => r.kind === kind);
    if (!keep.some(Boolean) || admitted === 0) {
      boundsGbps[kind] = null;
      continue;
    }
    const classes = finalModel.classes.map((c) => ({ count: c.count, uses: c.uses.filter((u) => keep[u.resource]) }));
    const alone = maxMinFair(finalModel.resources, classes);
    let total = 0;
    for (const [q, n] of flowsPerQueue.entries()) total += n * alone.rates[q]!;
    boundsGbps[kind] = bitsPerSecToGbitPerSec(total);
  }
  const mean = meanOver(0, T);
  return {
    flows: spec.flows,
    flowsAdmitted: admitted,
    flowsRefused: refused,
    meanGbps: bitsPerSecToGbitPerSec(mean.total),
    finalGbps: bitsPerSecToGbitPerSec(meanOver(finalStart, T).total),
    limitedBy: phases[phases.length - 1]!.limitedBy,
    burstCreditsExhaustedSec: creditsExhaustedSec,
    phases,
    series,
    allowanceCounters: { sender, receiver },
    boundsGbps,
    segments: s,
    cpu: net.cpu,
    flowsPerQueue,
    baseRttUs: nsToUs(finalModel.baseRttNs),
  };
}
