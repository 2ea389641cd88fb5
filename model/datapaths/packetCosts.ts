/**
 * The CPU work of one packet at one node, composed from the components and split by stage, so a
 * run can say where the time goes:
 *   nic        driver work at the NIC end (XDP paper: driver RX + XDP drop); interrupts are added by the run
 *   stack      the rest of the kernel forwarding path (XDP paper IP forward minus the driver part),
 *              the veth hop between pod and host, TCP segment work at the end point
 *   conntrack  nf_conntrack (XDP paper +347 ns per packet) or Cilium CT map lookups (model/ebpf)
 *   lookup     the Service lookup strategy (model/lookup): nat walk / verdict maps / BPF service maps,
 *              and the per-packet filter rules kube-proxy installs (KUBE-FORWARD)
 *   bpf        Cilium's programs (model/ebpf): invocation, instructions, tail calls, stats, policy and
 *              ipcache lookups
 *   connect    socket-LB translation in connect() (task context, not a packet)
 * Packets of the client node: egress (client pod -> wire: SYN, request segments, FIN) and ingress
 * (wire -> client pod: SYN-ACK, response segments, FIN-ACK). The remote (backend) node is composed
 * the same way without a Service lookup and timed without queueing (see simulatePath).
 */
import { addWork, defaultWorkCostParams, NO_WORK, scaleWork, type Work, type WorkCostParams } from '../cpu/workCost.ts';
import { defaultKernelPacketCostParams, type KernelPacketCostParams } from '../cpu/kernelPacketCost.ts';
import { nfConntrackPacketWork, ciliumCtLookupWork } from '../conntrack/conntrackPacketCost.ts';
import { ciliumProgram, type CiliumProgramName } from '../ebpf/ciliumPrograms.ts';
import type { MapLookupSpec } from '../ebpf/mapLookup.ts';
import { instructionCycles } from '../ebpf/programCost.ts';
import { iptablesPerRuleWork } from '../lookup/iptablesLookup.ts';
import { kubeServicesChainRules } from '../lookup/kubeProxyIptablesRules.ts';
import type { LookupContext } from '../lookup/lookupModel.ts';
import { NS_PER_SEC } from '../units.ts';
import type { Datapath } from './datapath.ts';
import type { DatapathSpec } from './datapathSpec.ts';
import type { PathModelParams } from './pathParams.ts';

export const PATH_STAGES = ['nic', 'stack', 'conntrack', 'lookup', 'bpf', 'connect'] as const;
export type PathStage = (typeof PATH_STAGES)[number];
export const STAGE_COUNT = PATH_STAGES.length;
/** Where each stage sits in a StagedCost's arrays (and any per-stage array). */
export const STAGE_INDEX: Readonly<Record<PathStage, number>> = Object.freeze(Object.fromEntries(PATH_STAGES.map((s, i) => [s, i])) as Record<PathStage, number>);

/** One packet's work: the total (for CpuCores) and its split by stage. */
export interface StagedCost {
  readonly work: Work;
  /** Cycles per stage (index as PATH_STAGES). */
  readonly cycles: Float64Array;
  /** Frequency-independent ns per stage (DRAM misses, LLC-hit stalls, tail calls, stats). */
  readonly fixedNs: Float64Array;
  /** BPF instruction cycles (JIT or interpreted), a part of the bpf stage. */
  readonly bpfInstructionCycles: number;
  /** Service lookups this packet performs on the packet path (0 or 1). */
  readonly serviceLookups: number;
  /** Service translations done in connect() and charged with this packet (socket-LB's SYN: 1). */
  readonly connectTranslations: number;
  /**
   * Extra time of the Service lookup (lookup and connect stages) when none of its structures is
   * cached, ns (DRAM stalls: frequency-independent). A run adds (1 - warm fraction) of it (cacheWarmth.ts).
   */
  readonly coldExtraNs: number;
}

export function stagedCost(
  parts: Partial<Record<PathStage, readonly Work[]>>,
  workCost: WorkCostParams = defaultWorkCostParams,
  bpfInstructionCycles = 0,
  serviceLookups = 0,
  connectTranslations = 0,
  coldExtraNs = 0,
): StagedCost {
  const cycles = new Float64Array(STAGE_COUNT);
  const fixedNs = new Float64Array(STAGE_COUNT);
  const all: Work[] = [];
  for (const stage of PATH_STAGES) {
    const w = addWork(...(parts[stage] ?? []));
    const i = STAGE_INDEX[stage];
    cycles[i] = w.cycles;
    fixedNs[i] = w.dramMisses * workCost.dramMissLatencyNs + (w.stallNs ?? 0);
    all.push(w);
  }
  return Object.freeze({ work: Object.freeze(addWork(...all)), cycles, fixedNs, bpfInstructionCycles, serviceLookups, connectTranslations, coldExtraNs });
}

/** Two costs charged together (e.g. socket-LB's connect() and the SYN it sends). */
export function combinedCost(a: StagedCost, b: StagedCost): StagedCost {
  const cycles = a.cycles.map((c, i) => c + b.cycles[i]!);
  const fixedNs = a.fixedNs.map((f, i) => f + b.fixedNs[i]!);
  return Object.freeze({
    work: Object.freeze(addWork(a.work, b.work)),
    cycles,
    fixedNs,
    bpfInstructionCycles: a.bpfInstructionCycles + b.bpfInstructionCycles,
    serviceLookups: a.serviceLookups + b.serviceLookups,
    connectTranslations: a.connectTranslations + b.connectTranslations,
    coldExtraNs: a.coldExtraNs + b.coldExtraNs,
  });
}

/** A cost's total time at `freqHz`, ns (not rounded): what workNs gives for `work`. */
export function stagedCostNs(c: StagedCost, freqHz: number): number {
  const nsPerCycle = NS_PER_SEC / freqHz;
  let ns = 0;
  for (let s = 0; s < STAGE_COUNT; s++) ns += c.cycles[s]! * nsPerCycle + c.fixedNs[s]!;
  return ns;
}

/** Inputs of the composition. */
export interface PathCostContext {
  readonly datapath: Datapath;
  readonly spec: DatapathSpec;
  readonly params: PathModelParams;
  readonly kernel?: KernelPacketCostParams;
  readonly workCost?: WorkCostParams;
  /** Cilium CT map max_entries and entries in use (the lookup cost depends on both). */
  readonly ctCapacityEntries: number;
  readonly ctOccupancyEntries: number;
}

const cyclesWork = (cycles: number): Work => ({ cycles, dramMisses: 0 });

/** How much longer `cold` takes than `warm`, ns (their cycles are the same; only memory stalls differ). */
function coldExtraNs(warm: Work, cold: Work, workCost: WorkCostParams = defaultWorkCostParams): number {
  return Math.max(0, (cold.dramMisses - warm.dramMisses) * workCost.dramMissLatencyNs + (cold.stallNs ?? 0) - (warm.stallNs ?? 0));
}

/** The pieces every packet of a node pays, whatever the datapath. */
function basePieces(ctx: PathCostContext, vethHop: boolean): { nic: Work[]; stack: Work[] } {
  const k = ctx.kernel ?? defaultKernelPacketCostParams;
  const c = ctx.params.costs;
  const stack = [cyclesWork(k.linuxIpForwardCycles - k.xdpDropCycles), cyclesWork(c.tcpSegmentCycles)];
  if (vethHop) stack.push(cyclesWork(c.vethHopCycles));
  return { nic: [cyclesWork(k.xdpDropCycles)], stack };
}

/** Conntrack work of one packet: `lookups` table lookups, the first `creates` of them creating the entry. */
function conntrackWork(ctx: PathCostContext, lookups: number, creates: boolean): Work {
  const factor = creates ? ctx.params.costs.ctNewEntryCostFactor : 1;
  if (ctx.datapath.conntrack === 'nf_conntrack') return scaleWork(nfConntrackPacketWork(ctx.kernel ?? defaultKernelPacketCostParams), factor);
  const one = ciliumCtLookupWork(ctx.ctCapacityEntries, Math.min(ctx.ctOccupancyEntries, ctx.ctCapacityEntries));
  // The creating lookup costs `factor` lookups, the others one each.
  return scaleWork(one, lookups - 1 + factor);
}

function policyLookup(ctx: PathCostContext): MapLookupSpec {
  const m = ctx.params.cilium;
  return { kind: 'hash', maxEntries: m.policyMapMaxEntries, entries: m.policyMapEntries, keyBytes: m.policyKeyBytes, valueBytes: m.policyValueBytes };
}

function ipcacheLookup(ctx: PathCostContext): MapLookupSpec {
  const m = ctx.params.cilium;
  return {
    kind: 'lpm', maxEntries: m.ipcacheMaxEntries, entries: m.ipcacheEntries, keyBytes: m.ipcacheKeyBytes, valueBytes: m.ipcacheValueBytes,
    prefixLengths: m.ipcachePrefixLengths,
  };
}

/** Cilium programs on a packet leaving a pod (bpf_lxc from-container) or entering one (bpf_host from-netdev + bpf_lxc to-container). */
function ciliumPrograms(ctx: PathCostContext, direction: 'from-pod' | 'to-pod'): { work: Work[]; instructionCycles: number } {
  const bpf = ctx.datapath.bpf;
  if (bpf === undefined) return { work: [], instructionCycles: 0 };
  const runs: [CiliumProgramName, MapLookupSpec[]][] =
    direction === 'from-pod'
      ? [['from-container', [policyLookup(ctx), ipcacheLookup(ctx)]]]
      : [['from-netdev', [ipcacheLookup(ctx)]], ['to-container', [policyLookup(ctx)]]];
  const work: Work[] = [];
  let insnCycles = 0;
  for (const [name, maps] of runs) {
    const spec = ciliumProgram(name, maps);
    work.push(bpf.programWork(spec));
    insnCycles += instructionCycles(spec.instructions, bpf.config.jit);
  }
  return { work, instructionCycles: insnCycles };
}

/** The mean-free context of a lookup (no position: every packet but an iptables first packet). */
export function serviceContext(spec: DatapathSpec): LookupContext {
  return { servicePorts: spec.services, endpoints: spec.endpointsPerService };
}

export type EgressKind = 'syn' | 'data' | 'fin';

/**
 * A client-node packet from the client pod to the wire. `firstPacketLookup` is the Service-lookup
 * context of this connection's first packet (for iptables, with its Service's position and the
 * chosen endpoint); it is used only for kind 'syn'.
 */
export function clientEgressCost(ctx: PathCostContext, kind: EgressKind, firstPacketLookup: LookupContext = serviceContext(ctx.spec)): StagedCost {
  const dp = ctx.datapath;
  const { nic, stack } = basePieces(ctx, true);
  const first = kind === 'syn';
  const lookup: Work[] = [];
  let serviceLookups = 0;
  let cold = 0;
  if (first && dp.translation !== 'connect') {
    cold = coldExtraNs(dp.lookup.firstPacketWork(firstPacketLookup), dp.lookup.firstPacketColdWork(firstPacketLookup), ctx.workCost);
  }
  if (dp.translation === 'first-packet') {
    if (first) {
      lookup.push(dp.lookup.firstPacketWork(firstPacketLookup));
      serviceLookups = 1;
    }
    lookup.push(dp.lookup.establishedPacketWork(serviceContext(ctx.spec)));
  } else if (dp.translation === 'every-packet') {
    lookup.push(first ? dp.lookup.firstPacketWork(firstPacketLookup) : dp.lookup.establishedPacketWork(serviceContext(ctx.spec)));
    serviceLookups = 1;
  }
  const progs = ciliumPrograms(ctx, 'from-pod');
  return stagedCost(
    { nic, stack, conntrack: [conntrackWork(ctx, dp.ctLookupsPerServicePacket, first)], lookup, bpf: progs.work },
    ctx.workCost,
    progs.instructionCycles,
    serviceLookups,
    0,
    cold,
  );
}

/** A client-node packet from the wire to the client pod (SYN-ACK, response segment, FIN-ACK): translated back from the conntrack entry. */
export function clientIngressCost(ctx: PathCostContext): StagedCost {
  const dp = ctx.datapath;
  const { nic, stack } = basePieces(ctx, !dp.redirectPeerIngress);
  const lookup = dp.filterRulesOnEveryPacket ? [dp.lookup.establishedPacketWork(serviceContext(ctx.spec))] : [];
  const progs = ciliumPrograms(ctx, 'to-pod');
  return stagedCost({ nic, stack, conntrack: [conntrackWork(ctx, 1, false)], lookup, bpf: progs.work }, ctx.workCost, progs.instructionCycles);
}

/**
 * socket-LB's translation in connect() (no work for the other datapaths). It runs in the client's
 * task context on the flow's core right before the SYN is sent, so a run charges it with the SYN.
 */
export function connectCost(ctx: PathCostContext): StagedCost {
  const socketLb = ctx.datapath.translation === 'connect';
  const service = serviceContext(ctx.spec);
  const w = socketLb ? ctx.datapath.lookup.connectWork(service) : NO_WORK;
  const cold = socketLb ? coldExtraNs(w, ctx.datapath.lookup.connectColdWork(service), ctx.workCost) : 0;
  return stagedCost({ connect: [w] }, ctx.workCost, 0, 0, socketLb ? 1 : 0, cold);
}

/**
 * A packet entering the backend pod on the remote node (from the wire). No Service lookup there: the
 * packet is already addressed to the pod. `first`: it creates the remote node's conntrack entry
 * (and, with spec.remoteNodeKubeServicesWalk under iptables, walks the whole KUBE-SERVICES chain).
 */
export function remoteIngressCost(ctx: PathCostContext, first: boolean): StagedCost {
  const dp = ctx.datapath;
  const { nic, stack } = basePieces(ctx, !dp.redirectPeerIngress);
  const lookup: Work[] = [];
  if (dp.filterRulesOnEveryPacket) lookup.push(dp.lookup.establishedPacketWork(serviceContext(ctx.spec)));
  if (first && ctx.spec.remoteNodeKubeServicesWalk && dp.name === 'kube-proxy-iptables') {
    const rules = kubeServicesChainRules(ctx.spec.services);
    lookup.push(scaleWork(iptablesPerRuleWork(rules), rules));
  }
  const progs = ciliumPrograms(ctx, 'to-pod');
  return stagedCost({ nic, stack, conntrack: [conntrackWork(ctx, 1, first)], lookup, bpf: progs.work }, ctx.workCost, progs.instructionCycles);
}

/** A packet leaving the backend pod on the remote node (SYN-ACK, response segment, FIN-ACK). */
export function remoteEgressCost(ctx: PathCostContext): StagedCost {
  const dp = ctx.datapath;
  const { nic, stack } = basePieces(ctx, true);
  const lookup = dp.filterRulesOnEveryPacket ? [dp.lookup.establishedPacketWork(serviceContext(ctx.spec))] : [];
  const progs = ciliumPrograms(ctx, 'from-pod');
  return stagedCost({ nic, stack, conntrack: [conntrackWork(ctx, 1, false)], lookup, bpf: progs.work }, ctx.workCost, progs.instructionCycles);
}
