/**
 * A finished path run's PathResult: the monitors' totals turned into per-packet costs by stage,
 * latency quantiles, drop fraction and throughput over the measured window, the conntrack table's
 * steady state, and the whole run's Little's law terms.
 */
import type { CpuFrequencyParams } from '../cpu/cpuFrequency.ts';
import { governorFreqHz } from '../cpu/governor.ts';
import { P01, P50, P90, P99, P999, type QuantileHistogram } from '../engine/index.ts';
import type { CoreIdleModel } from '../cpu/cpuCores.ts';
import type { HaltPollingMode } from '../hypervisor/vcpuIdle.ts';
import type { VmHost } from '../hypervisor/vmHost.ts';
import type { NetRxSoftirq } from '../nic/netRxSoftirq.ts';
import type { LatencyAttribution } from './latencyCauses.ts';
import { NS_PER_SEC, nsToSec, nsToUs } from '../units.ts';
import type { Datapath } from './datapath.ts';
import type { DatapathSpec } from './datapathSpec.ts';
import { STAGE_COUNT, STAGE_INDEX, type StagedCost } from './packetCosts.ts';
import type { PathConntrack } from './pathConntrack.ts';
import type { PathMonitors } from './pathMonitors.ts';
import { PACKET_KIND } from './pathPackets.ts';
import type { LatencySummaryUs, PacketCostNs, PathResult, PathVmResult, TailAttribution } from './pathResult.ts';

/** What a VM's host side counted over the measured window (snapshot when the window closes). */
export interface VmRunStats {
  readonly hypervisor: string;
  readonly haltPolling: HaltPollingMode;
  readonly postedInterrupts: boolean;
  readonly kicks: number;
  readonly kickNs: number;
  readonly runningInjections: number;
  readonly injectionNs: number;
  readonly guestPollWakeups: number;
  readonly hostPollWakeups: number;
  readonly sleepWakeups: number;
  readonly workerWakeups: number;
  /** Host CPU of the workers and the host stack; of polling (guest and host) and HLT exits, ns. */
  readonly hostWorkNs: number;
  readonly haltPollNs: number;
}

/** The counters of `vm` now. */
export function vmRunStats(vm: VmHost): VmRunStats {
  const v = vm.vcpuIdle;
  const pollNs = v.guestPollNs + v.hostPollNs + v.haltExitNs + (vm.workerWake?.busyPollNs ?? 0);
  return {
    hypervisor: vm.boundary.hypervisor,
    haltPolling: vm.boundary.haltPolling,
    postedInterrupts: vm.boundary.postedInterrupts,
    kicks: vm.kicks,
    kickNs: vm.kickNs,
    runningInjections: vm.runningInjections,
    injectionNs: vm.injectionNs,
    guestPollWakeups: v.guestPollWakeups,
    hostPollWakeups: v.hostPollWakeups,
    sleepWakeups: v.sleepWakeups,
    workerWakeups: vm.workerWake?.wakeups ?? 0,
    hostWorkNs: (vm.threads?.busyNs ?? 0) + (vm.hostRx?.cpuNs ?? 0),
    haltPollNs: pollNs,
  };
}

/** A cost by stage at `freqHz`, ns. */
function packetCostNs(freqHz: number, cost: StagedCost): PacketCostNs {
  const nsPerCycle = NS_PER_SEC / freqHz;
  const at = (s: number): number => cost.cycles[s]! * nsPerCycle + cost.fixedNs[s]!;
  const i = STAGE_INDEX;
  const ns = { nicNs: at(i.nic), stackNs: at(i.stack), conntrackNs: at(i.conntrack), lookupNs: at(i.lookup), bpfNs: at(i.bpf), connectNs: at(i.connect) };
  return { ...ns, totalNs: ns.nicNs + ns.stackNs + ns.conntrackNs + ns.lookupNs + ns.bpfNs + ns.connectNs };
}

function latencySummaryUs(h: QuantileHistogram): LatencySummaryUs {
  const q = (p: number): number => nsToUs(h.quantile(p));
  return { p01: q(P01), p50: q(P50), p90: q(P90), p99: q(P99), p999: q(P999), mean: nsToUs(h.mean), max: nsToUs(h.max), count: h.count };
}

function tailAttribution(h: QuantileHistogram, a: LatencyAttribution): TailAttribution {
  return {
    p50: a.split(h.quantile(P50), false),
    p99: a.split(h.quantile(P99), true),
    p999: a.split(h.quantile(P999), true),
    maxResidualNs: a.maxResidualNs,
  };
}

export interface FinishedPathRun {
  readonly spec: DatapathSpec;
  readonly seed: number;
  readonly replication: number;
  readonly datapath: Datapath;
  readonly frequency: CpuFrequencyParams;
  readonly monitors: PathMonitors;
  readonly conntrack: PathConntrack;
  /** The per-kind costs reported (the SYN's without a Service position). */
  readonly costs: { readonly firstPacket: StagedCost; readonly establishedEgress: StagedCost; readonly ingress: StagedCost };
  /** The measured window, ns. */
  readonly windowNs: number;
  /** Simulated time when the run ended, ns. */
  readonly endNs: number;
  readonly events: number;
  /** Connections still open when the run ended. */
  readonly unfinished: number;
  /** The client node's idle governor (undefined with idle=poll; a VM's vCPU idle model) and NET_RX softirq. */
  readonly idleGovernor: CoreIdleModel | undefined;
  readonly softirq: NetRxSoftirq;
  /** A VM's host-side counters over the window (undefined for a physical NIC). */
  readonly vm: VmRunStats | undefined;
  /** The fabric between the nodes, one way, ns. */
  readonly fabricOneWayNs: number;
}

function vmResult(vm: VmRunStats | undefined, processed: number, guestCpuNsPerPacket: number): PathVmResult | null {
  if (vm === undefined) return null;
  const per = (x: number): number => (processed > 0 ? x / processed : NaN);
  const hostNs = per(vm.hostWorkNs);
  const pollNs = per(vm.haltPollNs);
  return {
    hypervisor: vm.hypervisor,
    haltPolling: vm.haltPolling,
    postedInterrupts: vm.postedInterrupts,
    kicksPerPacket: per(vm.kicks),
    runningInjectionsPerPacket: per(vm.runningInjections),
    vcpuWakeupsPerPacket: { guestPoll: per(vm.guestPollWakeups), hostPoll: per(vm.hostPollWakeups), asleep: per(vm.sleepWakeups) },
    hostWorkerWakeupsPerPacket: per(vm.workerWakeups),
    guestExitNsPerPacket: per(vm.kickNs + vm.injectionNs),
    hostNsPerPacket: hostNs,
    haltPollNsPerPacket: pollNs,
    totalCpuNsPerPacket: guestCpuNsPerPacket + hostNs + pollNs,
  };
}

export function assemblePathResult(run: FinishedPathRun): PathResult {
  const { spec, monitors: m, conntrack: ct, endNs } = run;
  const i = STAGE_INDEX;
  const stageNs = m.stageNs;
  const processed = m.processed;
  const perPacket = (ns: number): number => (processed > 0 ? ns / processed : NaN);
  let accountedNs = 0;
  for (let s = 0; s < STAGE_COUNT; s++) accountedNs += stageNs[s]!;
  // What CpuCores charged beyond the accounted packet work is the interrupts' (NAPI charges them itself).
  const irqNs = Math.max(0, m.workAtCloseNs - accountedNs);
  const meanOpenSec = m.openTimeCount > 0 ? nsToSec(m.openTimeNs / m.openTimeCount) : 0;
  const conntrackEntries = ct.steadyStateEntries(spec, meanOpenSec);
  const util = m.utilAtClose;
  const costFreqHz = governorFreqHz(spec.governor, Number.isFinite(util) ? Math.min(1, Math.max(0, util)) : 0, run.frequency);
  const re = m.retransmissions;
  const k = PACKET_KIND;
  const dropped = m.droppedRxRing + m.droppedHostBacklog + m.droppedCpuBacklog + m.droppedConntrackFull + m.droppedTxQueue;
  return {
    datapath: spec.datapath,
    services: spec.services,
    endpointsPerService: spec.endpointsPerService,
    connectionsPerSec: spec.connectionsPerSec,
    requestsPerConnection: spec.requestsPerConnection,
    cores: spec.cores,
    cpuFreqHz: spec.cpuFreqHz,
    governor: spec.governor,
    nic: spec.nic,
    jit: spec.jit,
    seed: run.seed,
    replication: run.replication,
    firstPacketRttUs: latencySummaryUs(m.firstRtt),
    establishedRttUs: latencySummaryUs(m.estRtt),
    cpuNsPerPacket: perPacket(m.workAtCloseNs),
    perPacketNs: {
      nicNs: perPacket(stageNs[i.nic]! + irqNs),
      stackNs: perPacket(stageNs[i.stack]!),
      conntrackNs: perPacket(stageNs[i.conntrack]!),
      lookupNs: perPacket(stageNs[i.lookup]!),
      bpfNs: perPacket(stageNs[i.bpf]!),
      bpfInstructionNs: perPacket(m.bpfInstructionNs),
      connectNs: perPacket(stageNs[i.connect]!),
      totalNs: perPacket(accountedNs + irqNs),
    },
    packetCostNs: {
      atFreqHz: costFreqHz,
      firstPacket: packetCostNs(costFreqHz, run.costs.firstPacket),
      establishedEgress: packetCostNs(costFreqHz, run.costs.establishedEgress),
      ingress: packetCostNs(costFreqHz, run.costs.ingress),
    },
    dropFraction: m.offered > 0 ? dropped / m.offered : 0,
    throughputPps: processed / nsToSec(run.windowNs),
    coreUtilization: util,
    conntrackImpl: ct.state.impl,
    conntrackCapacityEntries: ct.state.capacityEntries,
    conntrackEntries,
    conntrackMemoryBytes: ct.state.memoryBytesAt(conntrackEntries),
    conntrackPeakEntries: ct.peakEntries,
    conntrackDroppedNewConnections: ct.table.droppedNewConnections,
    conntrackEvictedEntries: ct.evictedEntries,
    brokenIdleFlows: ct.brokenIdleFlows,
    evictedOpenConnections: ct.evictedOpenConnections,
    serviceLookups: { perPacket: m.perPacketLookups, atConnect: m.connectLookups },
    packets: {
      offered: m.offered, processed, droppedRxRing: m.droppedRxRing, droppedHostBacklog: m.droppedHostBacklog,
      droppedCpuBacklog: m.droppedCpuBacklog, droppedConntrackFull: m.droppedConntrackFull, droppedTxQueue: m.droppedTxQueue,
      lostOnWire: m.lostOnWire, fastRetransmits: m.fastRetransmits,
    },
    connections: { opened: m.opened, measured: m.measured, retried: m.retried, failed: m.failed, unfinished: run.unfinished },
    retransmissions: {
      syn: re[k.syn]!, synAck: re[k.synAck]!, request: re[k.request]!, response: re[k.response]!, fin: re[k.fin]!, finAck: re[k.finAck]!,
    },
    fabricOneWayUs: nsToUs(run.fabricOneWayNs),
    vm: vmResult(run.vm, processed, perPacket(m.workAtCloseNs)),
    idle: {
      cpuModel: spec.cpuModel,
      idleState: spec.idleState,
      pmQosLatencyUs: spec.pmQosLatencyUs ?? null,
      wakeups: { ...(run.idleGovernor?.wakeups ?? { poll: 0, c1: 0, c1e: 0, c6: 0, halt: 0 }) },
      meanExitLatencyUs: meanExitUs(run.idleGovernor),
    },
    softirq: { timeSqueeze: sum(run.softirq.timeSqueeze), ksoftirqdHandoffs: sum(run.softirq.ksoftirqdHandoffs) },
    coldWalkNsPerFirstPacket: m.measured > 0 ? m.coldWalkNs / m.measured : 0,
    tailAttribution: { firstPacket: tailAttribution(m.firstRtt, m.firstCauses), established: tailAttribution(m.estRtt, m.estCauses) },
    littlesLaw: {
      meanPacketsInNode: m.meanPacketsInNode(endNs),
      arrivalRatePps: endNs > 0 ? m.enteredTotal / nsToSec(endNs) : 0,
      meanSojournNs: m.enteredTotal > 0 ? m.sojournNs / m.enteredTotal : 0,
    },
    lbMapMaxEntries: run.datapath.lbMapMaxEntries ?? null,
    measuredSec: nsToSec(run.windowNs),
    simulatedSec: nsToSec(endNs),
    packetsSimulated: m.processedTotal,
    events: run.events,
  };
}

function sum(xs: Float64Array): number {
  let total = 0;
  for (const x of xs) total += x;
  return total;
}

function meanExitUs(g: CoreIdleModel | undefined): number {
  if (g === undefined) return 0;
  const w = g.wakeups;
  const n = w.poll + w.c1 + w.c1e + w.c6 + w.halt;
  return n > 0 ? nsToUs(g.exitLatencyTotalNs / n) : 0;
}
