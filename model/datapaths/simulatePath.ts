/**
 * One datapath on one node, packet by packet: `simulatePath(spec, seed, replication?)`.
 *
 * Topology (README): client pods on the modelled node open connections to ClusterIP Services whose
 * backends run on a remote node. The client node is modelled in full: its cores (CpuCores, clock
 * by governor), its NIC receive path (NicRx: wire, RX ring, interrupt moderation, NAPI on the
 * queue's core), its conntrack table (ConntrackTable) and the datapath's per-packet work
 * (packetCosts.ts). The wire and the remote node are a delay: serialisation on the client's TX link,
 * propagation, and the remote node's own work for the same datapath (no Service lookup there,
 * no queueing).
 *
 *   connect() [socket-LB: the translation, charged with the SYN on the flow's core]
 *   SYN:      client pod -veth-> input backlog -> softirq on the flow's core: conntrack (new entry),
 *             Service lookup / DNAT or BPF, forward -> TX link -> wire -> remote node
 *   SYN-ACK:  remote node -> wire -> NIC RX ring -> interrupt -> NAPI on the queue's core:
 *             conntrack (reply), reverse NAT, forward -> veth or bpf_redirect_peer -> client socket
 *   then K x (request -> response), each after the application's wake-up, then FIN -> FIN-ACK.
 *
 * A packet dropped at the node (input backlog or RX ring full, nf_conntrack full) is retransmitted
 * after the RTO (SYN and SYN-ACK: 1 s; data: TCP_RTO_MIN), doubling, until the connection gives up.
 * Hot path: engine callbacks with an argument (no closures per packet), precomputed per-stage work,
 * and packet objects reused once their journey is over (+4 % packets/s in an alternating A/B).
 * A pure function of (spec, seed, replication, params): no clock, no I/O.
 */
import { Simulation, RandomStreams, exponential, QuantileHistogram } from '../engine/index.ts';
import { CpuCores, defaultCpuCoresParams, SOFTIRQ_PRIORITY } from '../cpu/cpuCores.ts';
import { defaultCpuFrequencyParams } from '../cpu/cpuFrequency.ts';
import { governorFreqHz, isLoadDependent } from '../cpu/governor.ts';
import { defaultWorkCostParams } from '../cpu/workCost.ts';
import { nfConntrackSizing } from '../conntrack/nfConntrackSizing.ts';
import { ciliumCtSizing } from '../conntrack/ciliumCtSizing.ts';
import { ciliumCtPolicy, nfConntrackPolicy, type ConntrackPolicy } from '../conntrack/conntrackPolicy.ts';
import { defaultKubeProxyConntrackTimeoutsParams } from '../conntrack/conntrackTimeouts.ts';
import { ConntrackTable, type ConntrackEntryState, type ConntrackRemovalReason } from '../conntrack/conntrackTable.ts';
import { defaultSynRetryParams } from '../conntrack/simulateConntrack.ts';
import { endpointSelector } from '../lookup/endpointSelection.ts';
import type { LookupContext } from '../lookup/lookupModel.ts';
import { frameBytesForIpPacket } from '../nic/lineRate.ts';
import { nicModelByName } from '../nic/nicModel.ts';
import { NicRx, type NicDropReason } from '../nic/nicRx.ts';
import { NicTx } from '../nic/nicTx.ts';
import { VhostThreads } from '../nic/vhostThreads.ts';
import type { NicPacket } from '../nic/nicPacket.ts';
import { NS_PER_SEC, nsToSec, nsToUs, secToNs, usToNs } from '../units.ts';
import { datapathFor } from './datapath.ts';
import { checkDatapathSpec, specKernelVersion, type DatapathSpec } from './datapathSpec.ts';
import {
  clientEgressCost, clientIngressCost, combinedCost, connectCost, remoteEgressCost, remoteIngressCost, serviceContext, stagedCostNs,
  STAGE_COUNT, type PathCostContext, type StagedCost,
} from './packetCosts.ts';
import { pathModelParams, type PathModelParams } from './pathParams.ts';
import type { LatencySummaryUs, PacketCostNs, PathResult } from './pathResult.ts';

// Packet kinds: three leave the client pod (egress), three come back (ingress).
const SYN = 0;
const REQ = 1;
const FIN = 2;
const SYNACK = 3; // calibration-exempt: an enum code, not a quantity
const RESP = 4; // calibration-exempt: an enum code, not a quantity
const FINACK = 5; // calibration-exempt: an enum code, not a quantity

// Flow ids of conntrack entries that are not simulated connections.
const IDLE_FLOW_BASE = 2 ** 40;
const CLOSING_FLOW_BASE = 2 ** 41;

class Conn {
  requestsLeft: number;
  msgStartNs = 0;
  /** Segments of the outgoing message not yet handed to the TX link. */
  pendingTx = 0;
  lastTxDoneNs = 0;
  txKind = SYN;
  /** Segments of the incoming message not yet delivered. */
  pendingRx = 0;
  failed = false;
  done = false;
  retried = false;
  constructor(
    readonly id: number,
    readonly core: number,
    readonly recorded: boolean,
    readonly startNs: number,
    readonly synCost: StagedCost,
    requests: number,
  ) {
    this.requestsLeft = requests;
  }
}

/**
 * Sums updated for every packet. They live in the fields of one object rather than in closure
 * variables: V8 (Node 20) allocates a new heap number for every double stored in a closure
 * variable, but updates a double field of an object in place.
 */
class RunningSums {
  bpfInstructionNs = 0;
  openTimeNs = 0;
  /** Packets-in-node x time, integrated by hand (two updates per packet), and the last update's time. */
  inNodeAreaNs = 0;
  inNodeSinceNs = 0;
  sojournNs = 0;
}

class Pkt implements NicPacket {
  attempt = 0;
  enteredNs = 0;
  /** Offered to the node while the measured window was open (its drop counts). */
  inWindow = false;
  ctDropped = false;
  constructor(
    public conn: Conn,
    public kind: number,
    public frameBytes: number,
  ) {}
  /** Makes a finished packet a new one (packets are pooled). */
  reuse(conn: Conn, kind: number, frameBytes: number): this {
    this.conn = conn;
    this.kind = kind;
    this.frameBytes = frameBytes;
    this.attempt = 0;
    this.enteredNs = 0;
    this.inWindow = false;
    this.ctDropped = false;
    return this;
  }
  get flowId(): number {
    return this.conn.id;
  }
}

/** A cost by stage at `freqHz`, ns. */
function packetCostNs(freqHz: number, cost: StagedCost): PacketCostNs {
  const nsPerCycle = NS_PER_SEC / freqHz;
  const at = (s: number): number => cost.cycles[s]! * nsPerCycle + cost.fixedNs[s]!;
  const ns = { nicNs: at(0), stackNs: at(1), conntrackNs: at(2), lookupNs: at(3), bpfNs: at(4), connectNs: at(5) };
  return { ...ns, totalNs: ns.nicNs + ns.stackNs + ns.conntrackNs + ns.lookupNs + ns.bpfNs + ns.connectNs };
}

function latencySummaryUs(h: QuantileHistogram): LatencySummaryUs {
  const q = (p: number): number => nsToUs(h.quantile(p));
  const pct = 100;
  return { p01: q(1 / pct), p50: q(0.5), p90: q(90 / pct), p99: q(99 / pct), mean: nsToUs(h.mean), max: nsToUs(h.max), count: h.count };
}

/** Runs `spec` once. `replication` selects independent random streams for the same seed. */
export function simulatePath(spec: DatapathSpec, seed: number, replication = 0, modelParams: Partial<PathModelParams> = {}): PathResult {
  checkDatapathSpec(spec);
  const params = pathModelParams(modelParams);
  const dp = datapathFor(spec, params.cilium);
  const sim = new Simulation();
  const streams = new RandomStreams(seed, replication);
  const workCost = defaultWorkCostParams;
  const frequency = { minFreqHz: Math.min(defaultCpuFrequencyParams.minFreqHz, spec.cpuFreqHz), maxFreqHz: spec.cpuFreqHz };
  const cores = new CpuCores(sim, {
    params: { coreCount: spec.cores, irqEntryCycles: defaultCpuCoresParams.irqEntryCycles },
    governor: spec.governor,
    frequency,
    workCost,
  });
  const nic = nicModelByName(spec.nic);
  const retry = defaultSynRetryParams;
  const framing = params.framing;
  const remote = params.remote;
  const lambda = spec.connectionsPerSec;

  // ---- conntrack table ------------------------------------------------------------------------
  const kernelVersion = specKernelVersion(spec);
  let policy: ConntrackPolicy;
  let mapCapacity: number;
  let memoryAt: (entries: number) => number;
  if (dp.conntrack === 'nf_conntrack') {
    const sizing = nfConntrackSizing({
      memoryBytes: spec.nodeMemoryBytes, cores: spec.cores, kernelVersion, kubeProxy: true,
      ...(spec.conntrackMaxEntries === undefined ? {} : { maxEntries: spec.conntrackMaxEntries }),
    });
    policy = nfConntrackPolicy({ buckets: sizing.buckets, timeouts: defaultKubeProxyConntrackTimeoutsParams });
    mapCapacity = sizing.capacityEntries;
    memoryAt = (entries) => policy.memoryBytes(entries, sizing.capacityEntries);
  } else {
    const sizing = ciliumCtSizing({ memoryBytes: spec.nodeMemoryBytes, ...(spec.conntrackMaxEntries === undefined ? {} : { maxEntries: spec.conntrackMaxEntries }) });
    policy = ciliumCtPolicy();
    mapCapacity = sizing.capacityEntries;
    memoryAt = () => sizing.memoryBytesAtCapacity;
  }
  const perConn = dp.ctEntriesPerConnection;
  // The simulated table holds one entry per connection; a datapath with two per connection gets half the room.
  const tableCapacity = Math.max(1, Math.floor(mapCapacity / perConn));
  const closingSec = nsToSec(policy.closingTimeoutNs);
  // The run starts in the table's steady state: the closing entries of the connections of the last
  // closingTimeout seconds are still there, as many as fit. When they do not all fit (nf_conntrack
  // near full: only refused inserts arm the GC's early drop, which then frees closing entries at a
  // limited rate), what happens depends on when the next GC pass comes: the run starts at a random
  // phase of the GC cycle.
  const idle = Math.min(spec.preexistingIdleConnections, tableCapacity);
  const gcPeriodNs = policy.gcIntervalNs;
  const pressured = idle + lambda * closingSec > policy.gcEarlyDropThresholdFraction * tableCapacity;
  const phaseFraction = spec.conntrackGcPhaseFraction ?? streams.stream('datapath.conntrackGcPhase').uniform();
  const gcPhaseNs = pressured ? Math.floor(phaseFraction * gcPeriodNs) : 0;
  const seededSpanNs = policy.closingTimeoutNs;
  const seededClosing = Math.max(0, Math.min(Math.round(lambda * nsToSec(seededSpanNs)), tableCapacity - idle));
  const ctOccupancyEntries = Math.min(mapCapacity, perConn * (spec.preexistingIdleConnections + seededClosing));

  // ---- per-packet work -------------------------------------------------------------------------
  const costCtx: PathCostContext = { datapath: dp, spec, params, workCost, ctCapacityEntries: mapCapacity, ctOccupancyEntries };
  // The SYN carries socket-LB's connect() translation (same core, just before; zero elsewhere).
  const connCost = connectCost(costCtx);
  const synCostFor = (lookup?: LookupContext): StagedCost => combinedCost(clientEgressCost(costCtx, 'syn', lookup), connCost);
  const constantSynCost = dp.name === 'kube-proxy-iptables' ? undefined : synCostFor();
  const dataCost = clientEgressCost(costCtx, 'data');
  const finCost = clientEgressCost(costCtx, 'fin');
  const ingressCost = clientIngressCost(costCtx);

  // ---- segments and frames ---------------------------------------------------------------------
  const mssBytes = framing.mtuBytes - framing.ipv4HeaderBytes - framing.tcpHeaderBytes - framing.tcpTimestampOptionBytes;
  const dataHeaderBytes = framing.ipv4HeaderBytes + framing.tcpHeaderBytes + framing.tcpTimestampOptionBytes;
  const synFrameBytes = frameBytesForIpPacket(framing.ipv4HeaderBytes + framing.tcpHeaderBytes + framing.tcpSynOptionBytes, nic.framing);
  const finFrameBytes = frameBytesForIpPacket(dataHeaderBytes, nic.framing);
  const segmentFrames = (payloadBytes: number): number[] => {
    const n = Math.ceil(payloadBytes / mssBytes);
    return Array.from({ length: n }, (_, i) => frameBytesForIpPacket(dataHeaderBytes + (i < n - 1 ? mssBytes : payloadBytes - mssBytes * (n - 1)), nic.framing));
  };
  const requestFrames = segmentFrames(spec.requestBytes);
  const responseFrames = segmentFrames(spec.responseBytes);

  // ---- the remote node and the wire: delays ------------------------------------------------------
  const remoteFreqHz = governorFreqHz(spec.governor, 0, frequency);
  const c = nic.coalescing;
  const remoteNicNs = usToNs(c.adaptive ? c.adaptiveMinUs : c.rxCoalesceUs) + (defaultCpuCoresParams.irqEntryCycles / remoteFreqHz) * NS_PER_SEC;
  const remoteInFirstNs = stagedCostNs(remoteIngressCost(costCtx, true), remoteFreqHz);
  const remoteInNs = stagedCostNs(remoteIngressCost(costCtx, false), remoteFreqHz);
  const remoteOutNs = stagedCostNs(remoteEgressCost(costCtx), remoteFreqHz);
  const handshakeNs = (params.costs.tcpHandshakeCycles / remoteFreqHz) * NS_PER_SEC;
  const turnaroundNs = [
    remoteNicNs + remoteInFirstNs + handshakeNs + remoteOutNs,
    remoteNicNs + requestFrames.length * remoteInNs + remote.appWakeupNs + remote.serverProcessingNs + responseFrames.length * remoteOutNs,
    remoteNicNs + remoteInNs + handshakeNs + remoteOutNs,
  ];
  const wireNs = remote.wireOneWayNs;
  const initialRtoNs = Math.round(secToNs(retry.initialRtoSec));
  const dataRtoNs = Math.round(secToNs(remote.tcpRtoMinSec));
  const wakeupNs = Math.round(remote.appWakeupNs);

  // ---- measurement state ----------------------------------------------------------------------------
  const durationNs = Math.round(secToNs(spec.durationSec));
  const warmupNs = Math.round(secToNs(spec.warmupSec));
  const firstRtt = new QuantileHistogram();
  const estRtt = new QuantileHistogram();
  const stageNs = new Float64Array(STAGE_COUNT);
  let windowOpen = false;
  let offered = 0;
  let processed = 0;
  let processedTotal = 0;
  let perPacketLookups = 0;
  let connectLookups = 0;
  const drops = { rx: 0, host: 0, cpu: 0, ct: 0, tx: 0 };
  let workAtCloseNs = NaN;
  let utilAtClose = NaN;
  let opened = 0;
  let measured = 0;
  let retried = 0;
  let failed = 0;
  let active = 0;
  let arrivalsDone = false;
  let openTimeCount = 0;
  let brokenIdleFlows = 0;
  let evictedOpen = 0;
  // Little's law over the whole run.
  let inNode = 0;
  let enteredTotal = 0;
  const conns: Conn[] = [];
  const sums = new RunningSums();
  // Packets whose journey is over, for reuse.
  const pktPool: Pkt[] = [];
  const newPkt = (conn: Conn, kind: number, frameBytes: number): Pkt => pktPool.pop()?.reuse(conn, kind, frameBytes) ?? new Pkt(conn, kind, frameBytes);

  const enterNode = (p: Pkt): void => {
    p.enteredNs = sim.nowNs;
    const nowNs = sim.nowNs;
    sums.inNodeAreaNs += inNode * (nowNs - sums.inNodeSinceNs);
    sums.inNodeSinceNs = nowNs;
    inNode++;
    enteredTotal++;
    p.inWindow = windowOpen;
    if (windowOpen) offered++;
  };
  const leaveNode = (p: Pkt): void => {
    const nowNs = sim.nowNs;
    sums.inNodeAreaNs += inNode * (nowNs - sums.inNodeSinceNs);
    sums.inNodeSinceNs = nowNs;
    inNode--;
    sums.sojournNs += sim.nowNs - p.enteredNs;
  };

  const loadDependent = isLoadDependent(spec.governor);
  const fixedNsPerCycle = NS_PER_SEC / governorFreqHz(spec.governor, 0, frequency);
  /** Adds a packet's stage times at `core`'s current clock (measured window only). */
  const account = (cost: StagedCost, core: number): void => {
    if (!windowOpen) return;
    perPacketLookups += cost.serviceLookups;
    connectLookups += cost.connectTranslations;
    const nsPerCycle = loadDependent ? NS_PER_SEC / cores.freqHz(core) : fixedNsPerCycle;
    const cy = cost.cycles;
    const fx = cost.fixedNs;
    for (let s = 0; s < STAGE_COUNT; s++) stageNs[s] = stageNs[s]! + cy[s]! * nsPerCycle + fx[s]!;
    sums.bpfInstructionNs += cost.bpfInstructionCycles * nsPerCycle;
  };

  // ---- conntrack ----------------------------------------------------------------------------------
  const onRemoved = (flowId: number, state: ConntrackEntryState, reason: ConntrackRemovalReason): void => {
    if (reason !== 'evicted') return;
    if (flowId >= IDLE_FLOW_BASE) {
      if (flowId < CLOSING_FLOW_BASE && state === 'established') brokenIdleFlows++;
      return;
    }
    const conn = conns[flowId];
    if (conn !== undefined && !conn.done && state === 'established') evictedOpen++;
  };
  // Seeds can only matter when the table may fill during the run (a drop or an eviction); otherwise
  // they are counted, not stored (a run at 100k connections/s would otherwise hold ~1M objects).
  // Under LRU eviction the oldest seeds are the first victims, so only as many as the run can evict
  // are stored and the table's room shrinks by the rest: the same evictions, fewer objects.
  const runConnectionsBound = Math.ceil(lambda * (spec.durationSec + retry.initialRtoSec) * 2) + 100;
  const mayFill = idle + seededClosing + runConnectionsBound >= tableCapacity;
  const stored = !mayFill ? 0 : policy.whenFull === 'evict-lru' ? Math.min(seededClosing, runConnectionsBound) : seededClosing;
  const virtualSeeded = seededClosing - stored;
  const table = new ConntrackTable(sim, policy, mayFill ? tableCapacity - virtualSeeded : tableCapacity, { onRemoved });
  for (let i = 0; i < idle; i++) table.insert(IDLE_FLOW_BASE + i);
  // The stored seeds are the youngest: seed i closed (stored - i) / lambda s ago (evenly over the seeded span).
  for (let i = 0; i < stored; i++) {
    const closedAgoNs = ((stored - i) / seededClosing) * seededSpanNs;
    table.seedClosing(CLOSING_FLOW_BASE + i, Math.max(1, Math.round(policy.closingTimeoutNs - closedAgoNs)));
  }
  // GC passes at (period - phase), then every period.
  table.startGc(gcPeriodNs - gcPhaseNs);

  /** A packet of a flow that should have an entry: refresh it, or create it again (false when the table refuses). */
  const ctTouch = (id: number): boolean => table.touch(id) || table.insert(id) !== 'dropped';

  // ---- NIC receive path (the client node) -----------------------------------------------------------
  // virtio: one vhost thread per queue pair serves both directions.
  const queueCount = nic.queueCount(spec.cores);
  const vhostThreads = nic.virtio === undefined ? undefined : new VhostThreads(queueCount, nic.virtio);
  const rx: NicRx<Pkt> = new NicRx<Pkt>({
    nic,
    cores,
    queueCount,
    ...(vhostThreads === undefined ? {} : { vhostThreads }),
    perPacketWork: (p: Pkt, core: number) => {
      if (!ctTouch(p.conn.id)) p.ctDropped = true;
      account(ingressCost, core);
      return ingressCost.work;
    },
    onDelivered: (p: Pkt) => ingressDone(p),
    onDropped: (p: Pkt, reason: NicDropReason) => {
      leaveNode(p);
      if (p.inWindow) {
        if (reason === 'rx-ring-full') drops.rx++;
        else drops.host++;
      }
      dropped(p);
    },
  });
  const coreOfFlow = (id: number): number => rx.rss.coreForQueue(rx.rss.queueForFlow(id));

  // ---- egress: client pod -> input backlog -> softirq -> TX link -------------------------------------
  const backlog = new Int32Array(spec.cores);
  const maxBacklog = params.costs.netdevMaxBacklogPackets;
  const tx = new NicTx(nic, queueCount, nic.txQueue, vhostThreads);

  const egress = (p: Pkt): void => {
    enterNode(p);
    const core = p.conn.core;
    if (backlog[core]! >= maxBacklog) {
      leaveNode(p);
      if (p.inWindow) drops.cpu++;
      dropped(p);
      return;
    }
    backlog[core]!++;
    cores.acquire(core, egressStart, p, SOFTIRQ_PRIORITY);
  };

  const egressStart = (core: number, p: Pkt): void => {
    backlog[core]!--;
    const conn = p.conn;
    let cost: StagedCost;
    if (p.kind === SYN) {
      cost = conn.synCost;
      if (table.insert(conn.id) === 'dropped') p.ctDropped = true;
    } else if (p.kind === REQ) {
      cost = dataCost;
      if (!ctTouch(conn.id)) p.ctDropped = true;
    } else {
      cost = finCost;
      if (!ctTouch(conn.id)) p.ctDropped = true;
      else table.close(conn.id);
    }
    account(cost, core);
    const ns = cores.workNs(core, cost.work);
    cores.chargeNs(core, ns);
    sim.schedule(ns, egressDone, p);
  };

  /** A packet's work on this node is over: count it; false if conntrack dropped it. */
  const nodeWorkDone = (p: Pkt): boolean => {
    leaveNode(p);
    processedTotal++;
    if (windowOpen) processed++;
    if (!p.ctDropped) return true;
    if (p.inWindow) drops.ct++;
    dropped(p);
    return false;
  };

  const egressDone = (arg: unknown): void => {
    const p = arg as Pkt;
    const conn = p.conn;
    cores.release(conn.core);
    if (!nodeWorkDone(p)) return;
    const nowNs = sim.nowNs;
    const doneNs = tx.send(tx.queueForCore(conn.core), p.frameBytes, nowNs);
    if (doneNs < 0) {
      // The TX queue (ring + qdisc) is full: the qdisc drops it, TCP retransmits after the RTO.
      if (p.inWindow) drops.tx++;
      dropped(p);
      return;
    }
    pktPool.push(p);
    if (doneNs > conn.lastTxDoneNs) conn.lastTxDoneNs = doneNs;
    if (--conn.pendingTx === 0 && !conn.failed) {
      const backNs = conn.lastTxDoneNs + wireNs + turnaroundNs[conn.txKind]! + wireNs;
      sim.schedule(Math.max(0, Math.round(backNs) - nowNs), remoteReply, conn);
    }
  };

  /** The remote node's answer reaches the client node's NIC. */
  const remoteReply = (arg: unknown): void => {
    const conn = arg as Conn;
    if (conn.failed) return;
    if (conn.txKind === REQ) {
      conn.pendingRx = responseFrames.length;
      for (const frame of responseFrames) receive(newPkt(conn, RESP, frame));
    } else {
      conn.pendingRx = 1;
      receive(newPkt(conn, conn.txKind === SYN ? SYNACK : FINACK, conn.txKind === SYN ? synFrameBytes : finFrameBytes));
    }
  };

  const receive = (p: Pkt): void => {
    enterNode(p);
    rx.receive(p);
  };

  const ingressDone = (p: Pkt): void => {
    if (!nodeWorkDone(p)) return;
    const conn = p.conn;
    const kind = p.kind;
    pktPool.push(p);
    if (conn.failed || --conn.pendingRx > 0) return;
    const nowNs = sim.nowNs;
    if (kind === SYNACK) {
      if (conn.recorded) firstRtt.record(nowNs - conn.startNs);
      sim.schedule(wakeupNs, sendNext, conn);
    } else if (kind === RESP) {
      if (conn.recorded) estRtt.record(nowNs - conn.msgStartNs);
      conn.requestsLeft--;
      sim.schedule(wakeupNs, sendNext, conn);
    } else {
      if (conn.recorded) {
        sums.openTimeNs += nowNs - conn.startNs;
        openTimeCount++;
      }
      finish(conn);
    }
  };

  // ---- connections -------------------------------------------------------------------------------
  const sendMessage = (conn: Conn, kind: number): void => {
    const nowNs = sim.nowNs;
    conn.txKind = kind;
    conn.lastTxDoneNs = 0;
    if (kind === REQ) {
      conn.msgStartNs = nowNs;
      conn.pendingTx = requestFrames.length;
      for (const frame of requestFrames) egress(newPkt(conn, REQ, frame));
    } else {
      conn.pendingTx = 1;
      egress(newPkt(conn, kind, kind === SYN ? synFrameBytes : finFrameBytes));
    }
  };

  const sendNext = (arg: unknown): void => {
    const conn = arg as Conn;
    if (conn.failed) return;
    sendMessage(conn, conn.requestsLeft > 0 ? REQ : FIN);
  };

  const finish = (conn: Conn): void => {
    if (conn.done) return;
    conn.done = true;
    active--;
    maybeStop();
  };

  /** The run ends when the window has closed, no connection will arrive and none is open. */
  const maybeStop = (): void => {
    if (arrivalsDone && active === 0 && !windowOpen && sim.nowNs >= durationNs) sim.stop();
  };

  const dropped = (p: Pkt): void => {
    const conn = p.conn;
    if (conn.failed) return;
    p.attempt++;
    if (p.kind === SYN && !conn.retried) {
      conn.retried = true;
      if (conn.recorded) retried++;
    }
    if (p.attempt > retry.synRetries) {
      conn.failed = true;
      if (conn.recorded) failed++;
      finish(conn);
      return;
    }
    const rtoNs = (p.kind === SYN || p.kind === SYNACK ? initialRtoNs : dataRtoNs) * 2 ** (p.attempt - 1);
    sim.schedule(rtoNs, retransmit, p);
  };

  const retransmit = (arg: unknown): void => {
    const p = arg as Pkt;
    if (p.conn.failed) return;
    p.ctDropped = false;
    if (p.kind <= FIN) egress(p);
    else receive(p);
  };

  // ---- arrivals ----------------------------------------------------------------------------------
  const nextGapSec = exponential(1 / lambda).sampler(streams.stream('datapath.arrivals'));
  const uService = streams.stream('datapath.service').uniformFn;
  const selector = endpointSelector(dp.endpointSelection, streams.stream('datapath.endpoint'));
  const baseCtx = serviceContext(spec);

  const arrive = (): void => {
    const nowNs = sim.nowNs;
    const id = opened++;
    const servicePosition = 1 + Math.floor(uService() * spec.services);
    const endpointIndex = selector.next(spec.endpointsPerService);
    const synCost = constantSynCost ?? synCostFor({ ...baseCtx, servicePosition, endpointIndex });
    const recorded = nowNs >= warmupNs;
    const conn = new Conn(id, coreOfFlow(id), recorded, nowNs, synCost, spec.requestsPerConnection);
    conns.push(conn);
    active++;
    if (recorded) measured++;
    sendMessage(conn, SYN);
    scheduleArrival();
  };

  const scheduleArrival = (): void => {
    const gapNs = Math.round(secToNs(nextGapSec()));
    if (sim.nowNs + gapNs >= durationNs) {
      arrivalsDone = true;
      maybeStop();
      return;
    }
    sim.schedule(gapNs, arrive);
  };

  // ---- the measured window -----------------------------------------------------------------------
  sim.schedule(warmupNs, () => {
    cores.resetStats();
    windowOpen = true;
  });
  sim.schedule(durationNs, () => {
    windowOpen = false;
    let work = 0;
    let busy = 0;
    for (let core = 0; core < spec.cores; core++) {
      work += cores.workDoneNs[core]!;
      busy += cores.busyFraction(core);
    }
    workAtCloseNs = work;
    utilAtClose = busy / spec.cores;
    maybeStop();
  });

  scheduleArrival();
  // Drain: the longest SYN retransmission schedule after the last arrival, then stop regardless.
  const drainNs = initialRtoNs * 2 ** (retry.synRetries + 2);
  sim.runUntil(durationNs + drainNs);
  const endNs = sim.nowNs;

  // ---- results -------------------------------------------------------------------------------------
  const windowSec = nsToSec(durationNs - warmupNs);
  const perPacket = (ns: number): number => (processed > 0 ? ns / processed : NaN);
  let accountedNs = 0;
  for (let s = 0; s < STAGE_COUNT; s++) accountedNs += stageNs[s]!;
  // What CpuCores charged beyond the accounted packet work is the interrupts' (NAPI charges them itself).
  const irqNs = Math.max(0, workAtCloseNs - accountedNs);
  const meanOpenSec = openTimeCount > 0 ? nsToSec(sums.openTimeNs / openTimeCount) : 0;
  const demandEntries = perConn * (spec.preexistingIdleConnections + lambda * (meanOpenSec + closingSec));
  const conntrackEntries = Math.min(mapCapacity, Math.round(demandEntries));
  const costFreqHz = governorFreqHz(spec.governor, Number.isFinite(utilAtClose) ? Math.min(1, Math.max(0, utilAtClose)) : 0, frequency);
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
    seed,
    replication,
    firstPacketRttUs: latencySummaryUs(firstRtt),
    establishedRttUs: latencySummaryUs(estRtt),
    cpuNsPerPacket: perPacket(workAtCloseNs),
    perPacketNs: {
      nicNs: perPacket(stageNs[0]! + irqNs),
      stackNs: perPacket(stageNs[1]!),
      conntrackNs: perPacket(stageNs[2]!),
      lookupNs: perPacket(stageNs[3]!),
      bpfNs: perPacket(stageNs[4]!),
      bpfInstructionNs: perPacket(sums.bpfInstructionNs),
      connectNs: perPacket(stageNs[5]!),
      totalNs: perPacket(accountedNs + irqNs),
    },
    packetCostNs: {
      atFreqHz: costFreqHz,
      firstPacket: packetCostNs(costFreqHz, constantSynCost ?? synCostFor()),
      establishedEgress: packetCostNs(costFreqHz, dataCost),
      ingress: packetCostNs(costFreqHz, ingressCost),
    },
    dropFraction: offered > 0 ? (drops.rx + drops.host + drops.cpu + drops.ct + drops.tx) / offered : 0,
    throughputPps: processed / windowSec,
    coreUtilization: utilAtClose,
    conntrackImpl: dp.conntrack,
    conntrackCapacityEntries: mapCapacity,
    conntrackEntries,
    conntrackMemoryBytes: memoryAt(conntrackEntries),
    conntrackPeakEntries: Math.min(mapCapacity, perConn * (table.peakEntries + virtualSeeded)),
    conntrackDroppedNewConnections: table.droppedNewConnections,
    conntrackEvictedEntries: table.evictedEntries * perConn,
    brokenIdleFlows,
    evictedOpenConnections: evictedOpen,
    serviceLookups: { perPacket: perPacketLookups, atConnect: connectLookups },
    packets: { offered, processed, droppedRxRing: drops.rx, droppedHostBacklog: drops.host, droppedCpuBacklog: drops.cpu, droppedConntrackFull: drops.ct, droppedTxQueue: drops.tx },
    connections: { opened, measured, retried, failed, unfinished: active },
    littlesLaw: {
      meanPacketsInNode: endNs > 0 ? (sums.inNodeAreaNs + inNode * (endNs - sums.inNodeSinceNs)) / endNs : 0,
      arrivalRatePps: endNs > 0 ? enteredTotal / nsToSec(endNs) : 0,
      meanSojournNs: enteredTotal > 0 ? sums.sojournNs / enteredTotal : 0,
    },
    lbMapMaxEntries: dp.lbMapMaxEntries ?? null,
    simulatedSec: nsToSec(endNs),
    packetsSimulated: processedTotal,
    events: sim.eventsProcessed,
  };
}
