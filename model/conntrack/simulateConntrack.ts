/**
 * Offers N connections to one node's connection-tracking table and reports what the table did:
 * capacity and memory, peak occupancy, new connections dropped (nf_conntrack) or entries evicted
 * (Cilium LRU), and flows that lost their entry while still open.
 *
 * Workload: connections open as a Poisson stream at `openRatePerSec` and each stays open for
 * `holdSec`, so with holdSec > connections / openRatePerSec all N are open at once at the peak. A
 * fraction `idleFraction` sends nothing between its first packet and its FIN; the others send a
 * packet every `packetIntervalSec`, which refreshes the entry's lifetime and LRU position. A
 * connection whose SYN is dropped retransmits it as TCP does (model/tcp: after the initial RTO,
 * 1 s, doubling the wait each time; attempts at 0, 1, 3, 7, 15, 31, 63 s with the defaults), and
 * connect() fails when the wait after its last retransmission runs out. A connection whose entry
 * is evicted or expires while it is open counts as broken (its next packet would be NAT'd afresh
 * or dropped) and sends nothing more.
 * One entry per connection (see README for when a datapath keeps two).
 *
 * A pure function of (scenario, params): the engine runs it, the seed drives the arrival times and
 * the idle choice.
 */
import { Simulation, RandomStreams, exponential } from '../engine/index.ts';
import { defaultRetransmissionParams, RetransmissionPolicy, type RetransmissionParams } from '../tcp/retransmission.ts';
import { nsToSec, secToNs } from '../units.ts';
import { defaultNfConntrackSizingParams, nfConntrackSizing, type NfConntrackSizingParams } from './nfConntrackSizing.ts';
import { ciliumCtSizing, defaultCiliumCtSizingParams, type CiliumCtSizingParams } from './ciliumCtSizing.ts';
import {
  defaultCiliumCtTimeoutsParams,
  defaultKubeProxyConntrackTimeoutsParams,
  type CiliumCtTimeoutsParams,
  type NfConntrackTimeoutsParams,
} from './conntrackTimeouts.ts';
import {
  ciliumCtPolicy,
  defaultConntrackGcParams,
  nfConntrackPolicy,
  type ConntrackGcParams,
  type ConntrackImpl,
  type ConntrackPolicy,
} from './conntrackPolicy.ts';
import { ConntrackTable, type ConntrackEntryState, type ConntrackRemovalReason } from './conntrackTable.ts';

/** The node whose table is simulated. */
export interface ConntrackNode {
  /** Total RAM, B. */
  readonly memoryBytes: number;
  /** CPU cores (kube-proxy sizes nf_conntrack by them). */
  readonly cores: number;
  /** Kernel version for nf_conntrack's defaults, e.g. "6.1". */
  readonly kernelVersion: string;
  /** nf_conntrack: kube-proxy manages the table (its max and timeouts). Default true. */
  readonly kubeProxy?: boolean;
  /** Cilium: dynamic map sizing on. Default true. */
  readonly dynamicSizing?: boolean;
  /** Explicit table size (nf_conntrack_max or bpf-ct-global-tcp-max). */
  readonly maxEntries?: number;
}

export interface ConntrackScenario {
  readonly impl: ConntrackImpl;
  readonly node: ConntrackNode;
  /** Connections offered. */
  readonly connections: number;
  /** Poisson opening rate, connections/s. */
  readonly openRatePerSec: number;
  /** Time each connection stays open, s. */
  readonly holdSec: number;
  /** Fraction of connections that stay idle between open and close, in [0, 1]. */
  readonly idleFraction: number;
  /** Active connections send a packet this often, s. */
  readonly packetIntervalSec: number;
  readonly seed: number;
  /** Default 0. */
  readonly replication?: number;
}

/** The calibrated side of a run; every field defaults to the table's values. */
export interface ConntrackModelParams {
  readonly nfSizing?: NfConntrackSizingParams;
  readonly ciliumSizing?: CiliumCtSizingParams;
  /** Default: kube-proxy's when node.kubeProxy (the default), else the kernel's. */
  readonly nfTimeouts?: NfConntrackTimeoutsParams;
  readonly ciliumTimeouts?: CiliumCtTimeoutsParams;
  readonly gc?: ConntrackGcParams;
  /** The client's SYN retransmissions (initialRtoSec and retries; SYNs are all it sends that can be refused). */
  readonly retransmission?: RetransmissionParams;
}

export interface ConntrackResult {
  readonly impl: ConntrackImpl;
  /** Table size (nf_conntrack_max or the TCP CT map's max_entries), entries. */
  readonly capacityEntries: number;
  /** Where the size came from. */
  readonly capacityFrom: string;
  /** Hash buckets. */
  readonly buckets: number;
  /** Memory of the table when full, B (Cilium: always, the map is preallocated). */
  readonly memoryBytes: number;
  /** Memory at the peak occupancy of this run, B. */
  readonly peakMemoryBytes: number;
  /** Time-averaged memory over the run, B. */
  readonly meanMemoryBytes: number;
  readonly peakEntries: number;
  /** Time-averaged entries over the run. */
  readonly meanEntries: number;
  readonly connectionsOffered: number;
  /** Connections that got an entry (possibly after SYN retransmissions). */
  readonly connectionsEstablished: number;
  /** Connections that needed at least one SYN retransmission. */
  readonly connectionsRetried: number;
  /** Connections whose every SYN was dropped. */
  readonly connectionsFailed: number;
  /** SYNs (new-flow packets) the table dropped, retransmissions included. */
  readonly droppedNewConnections: number;
  /** Entries evicted to make room (Cilium LRU). */
  readonly evictedEntries: number;
  /** Closing entries freed early by GC (nf_conntrack near full). */
  readonly earlyDroppedEntries: number;
  /** Entries freed by lifetime expiry. */
  readonly expiredEntries: number;
  /** Idle connections that lost their entry while open. */
  readonly brokenIdleFlows: number;
  /** Active connections that lost their entry while open. */
  readonly brokenActiveFlows: number;
  /** Mean time from the first SYN to the entry, over established connections, s. */
  readonly meanSetupDelaySec: number;
  /** Largest such time, s. */
  readonly maxSetupDelaySec: number;
  /** Simulated time until the last connection finished, s. */
  readonly simulatedSec: number;
  /** Engine events executed. */
  readonly events: number;
}

// Connection states (0 = waiting for its first SYN to get an entry).
const OPEN = 1;
const CLOSED = 2;
const BROKEN = 3; // calibration-exempt: a state code, not a quantity
const FAILED = 4; // calibration-exempt: a state code, not a quantity

function validateScenario(s: ConntrackScenario): void {
  const positive = (name: string, v: number): void => {
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be a finite number > 0, got ${v}`);
  };
  if (!Number.isSafeInteger(s.connections) || s.connections < 1) throw new RangeError(`connections must be an integer >= 1, got ${s.connections}`);
  positive('openRatePerSec', s.openRatePerSec);
  positive('holdSec', s.holdSec);
  positive('packetIntervalSec', s.packetIntervalSec);
  if (!(s.idleFraction >= 0 && s.idleFraction <= 1)) throw new RangeError(`idleFraction must be in [0, 1], got ${s.idleFraction}`);
}

interface TableSpec {
  readonly policy: ConntrackPolicy;
  readonly capacityEntries: number;
  readonly buckets: number;
  readonly capacityFrom: string;
}

function tableSpec(s: ConntrackScenario, params: ConntrackModelParams): TableSpec {
  const gc = params.gc ?? defaultConntrackGcParams;
  if (s.impl === 'nf_conntrack') {
    const sizingParams = params.nfSizing ?? defaultNfConntrackSizingParams;
    const kubeProxy = s.node.kubeProxy ?? true;
    const sizing = nfConntrackSizing({ ...s.node, kubeProxy }, sizingParams);
    const timeouts = params.nfTimeouts ?? (kubeProxy ? defaultKubeProxyConntrackTimeoutsParams : undefined);
    const policy = nfConntrackPolicy({ buckets: sizing.buckets, gc, sizing: sizingParams, ...(timeouts ? { timeouts } : {}) });
    return { policy, capacityEntries: sizing.capacityEntries, buckets: sizing.buckets, capacityFrom: sizing.maxFrom };
  }
  const sizingParams = params.ciliumSizing ?? defaultCiliumCtSizingParams;
  const sizing = ciliumCtSizing(s.node, sizingParams);
  const policy = ciliumCtPolicy({ timeouts: params.ciliumTimeouts ?? defaultCiliumCtTimeoutsParams, gc, sizing: sizingParams });
  return { policy, capacityEntries: sizing.capacityEntries, buckets: sizing.buckets, capacityFrom: sizing.maxFrom };
}

export function simulateConntrack(scenario: ConntrackScenario, params: ConntrackModelParams = {}): ConntrackResult {
  validateScenario(scenario);
  const spec = tableSpec(scenario, params);
  const rto = new RetransmissionPolicy(params.retransmission ?? defaultRetransmissionParams);
  const n = scenario.connections;
  const sim = new Simulation();
  const streams = new RandomStreams(scenario.seed, scenario.replication ?? 0);
  const nextGapSec = exponential(1 / scenario.openRatePerSec).sampler(streams.stream('conntrack.arrivals'));
  const uIdle = streams.stream('conntrack.idle').uniformFn;
  const holdNs = Math.max(1, Math.round(secToNs(scenario.holdSec)));
  const packetNs = Math.max(1, Math.round(secToNs(scenario.packetIntervalSec)));

  const state = new Uint8Array(n);
  const idle = new Uint8Array(n);
  const attempts = new Uint32Array(n);
  const firstSynNs = new Float64Array(n);
  const closeAtNs = new Float64Array(n);
  let finished = 0;
  let established = 0;
  let retried = 0;
  let failed = 0;
  let brokenIdle = 0;
  let brokenActive = 0;
  let setupDelaySumNs = 0;
  let setupDelayMaxNs = 0;
  let nextArrival = 0;

  const finish = (): void => {
    if (++finished === n) sim.stop();
  };

  const onRemoved = (flow: number, entryState: ConntrackEntryState, _reason: ConntrackRemovalReason): void => {
    if (entryState !== 'established' || state[flow] !== OPEN) return;
    state[flow] = BROKEN;
    if (idle[flow] === 1) brokenIdle++;
    else brokenActive++;
    finish();
  };
  const table = new ConntrackTable(sim, spec.policy, spec.capacityEntries, { onRemoved });

  const sendPacket = (arg: unknown): void => {
    const flow = arg as number;
    if (state[flow] !== OPEN) return;
    // A missing or expired entry has already been reported through onRemoved.
    if (!table.touch(flow)) return;
    scheduleNext(flow);
  };

  // One pending event per open connection: its next packet, or its FIN when no packet comes first.
  const scheduleNext = (flow: number): void => {
    const untilCloseNs = closeAtNs[flow]! - sim.nowNs;
    if (idle[flow] === 0 && packetNs < untilCloseNs) sim.schedule(packetNs, sendPacket, flow);
    else sim.schedule(untilCloseNs, closeFlow, flow);
  };

  const closeFlow = (arg: unknown): void => {
    const flow = arg as number;
    if (state[flow] !== OPEN) return;
    if (table.close(flow)) {
      state[flow] = CLOSED;
      finish();
    }
  };

  const giveUp = (arg: unknown): void => {
    state[arg as number] = FAILED;
    failed++;
    finish();
  };

  const trySyn = (arg: unknown): void => {
    const flow = arg as number;
    const outcome = table.insert(flow);
    if (outcome === 'dropped') {
      // Every SYN sent so far has been dropped.
      const drops = attempts[flow]!;
      if (drops === 1) retried++;
      const waitNs = rto.rtoNs(true, drops);
      if (rto.givesUp(drops)) {
        sim.schedule(waitNs, giveUp, flow);
        return;
      }
      attempts[flow] = drops + 1;
      sim.schedule(waitNs, trySyn, flow);
      return;
    }
    state[flow] = OPEN;
    established++;
    const delayNs = sim.nowNs - firstSynNs[flow]!;
    setupDelaySumNs += delayNs;
    if (delayNs > setupDelayMaxNs) setupDelayMaxNs = delayNs;
    closeAtNs[flow] = sim.nowNs + holdNs;
    scheduleNext(flow);
  };

  const arrive = (): void => {
    const flow = nextArrival++;
    idle[flow] = uIdle() < scenario.idleFraction ? 1 : 0;
    firstSynNs[flow] = sim.nowNs;
    attempts[flow] = 1;
    trySyn(flow);
    if (nextArrival < n) scheduleArrival();
  };
  const scheduleArrival = (): void => {
    sim.schedule(Math.round(secToNs(nextGapSec())), arrive);
  };

  table.startGc();
  scheduleArrival();
  sim.run();

  const now = sim.nowNs;
  return {
    impl: scenario.impl,
    capacityEntries: spec.capacityEntries,
    capacityFrom: spec.capacityFrom,
    buckets: spec.buckets,
    memoryBytes: spec.policy.memoryBytes(spec.capacityEntries, spec.capacityEntries),
    peakMemoryBytes: table.memoryMonitor.max,
    meanMemoryBytes: now > 0 ? table.memoryMonitor.meanAt(now) : table.memoryMonitor.value,
    peakEntries: table.peakEntries,
    meanEntries: now > 0 ? table.entriesMonitor.meanAt(now) : table.entriesMonitor.value,
    connectionsOffered: n,
    connectionsEstablished: established,
    connectionsRetried: retried,
    connectionsFailed: failed,
    droppedNewConnections: table.droppedNewConnections,
    evictedEntries: table.evictedEntries,
    earlyDroppedEntries: table.earlyDroppedEntries,
    expiredEntries: table.expiredEntries,
    brokenIdleFlows: brokenIdle,
    brokenActiveFlows: brokenActive,
    meanSetupDelaySec: established > 0 ? nsToSec(setupDelaySumNs / established) : 0,
    maxSetupDelaySec: nsToSec(setupDelayMaxNs),
    simulatedSec: nsToSec(now),
    events: sim.eventsProcessed,
  };
}
