/**
 * The client node's conntrack table in a path run, started in its steady state. A run lasts
 * seconds while closed connections keep their entries for the closing timeout (nf_conntrack's
 * TIME_WAIT 120 s, Cilium's FIN 10 s), so the table starts with the closing entries of the
 * connections of the last closing timeout (rate x timeout, with staggered expiries), plus the
 * preexisting idle connections, as many as fit. When they do not all fit (nf_conntrack near full:
 * only refused inserts arm the GC's early drop, which then frees closing entries at a limited rate
 * at the next pass), what happens depends on when that pass comes: the run starts at a random
 * phase of the GC cycle.
 *
 * Seeds that cannot matter (the table cannot fill during the run) are counted, not stored: a run
 * at 100k connections/s would otherwise hold about a million entries. Under LRU eviction the
 * oldest seeds are the first victims, so only as many as the run can evict are stored and the
 * table's room shrinks by the rest ("virtual" seeds): the same evictions, fewer entries.
 */
import { ciliumCtSizing } from '../conntrack/ciliumCtSizing.ts';
import { ciliumCtPolicy, nfConntrackPolicy, type ConntrackImpl, type ConntrackPolicy } from '../conntrack/conntrackPolicy.ts';
import { ConntrackTable, type ConntrackEntryState, type ConntrackRemovalReason } from '../conntrack/conntrackTable.ts';
import { defaultKubeProxyConntrackTimeoutsParams } from '../conntrack/conntrackTimeouts.ts';
import { nfConntrackSizing } from '../conntrack/nfConntrackSizing.ts';
import type { RandomStreams, Simulation } from '../engine/index.ts';
import { nsToSec } from '../units.ts';
import type { Datapath } from './datapath.ts';
import { specKernelVersion, type DatapathSpec } from './datapathSpec.ts';

/** Flow ids of seeded entries (not simulated connections), above every connection id. */
const IDLE_FLOW_BASE = 2 ** 40; // calibration-exempt: an id range, not a quantity
const CLOSING_FLOW_BASE = 2 ** 41; // calibration-exempt: an id range, not a quantity

/** The table's size and the state a run starts from. */
export interface ConntrackSteadyState {
  readonly impl: ConntrackImpl;
  readonly policy: ConntrackPolicy;
  /** The whole map or table (nf_conntrack_max, the CT map's max_entries), entries. */
  readonly capacityEntries: number;
  /** Entries one connection keeps (Cilium per-packet LB: 2). */
  readonly entriesPerConnection: number;
  /** The simulated table holds one entry per connection: its room, connections. */
  readonly tableCapacity: number;
  /** Preexisting idle connections seeded (as many as fit). */
  readonly idleConnections: number;
  /** Closing entries of earlier connections in the steady state (as many as fit beside the idle ones). */
  readonly seededClosing: number;
  /** When the first GC pass comes: the phase of the GC cycle the run starts at, ns (0 unless the table is pressured). */
  readonly gcPhaseNs: number;
  /** Entries in the map at the start (the Cilium CT lookup cost depends on the fill). */
  readonly occupancyEntries: number;
  /** Kernel memory of the table at `entries`, B. */
  readonly memoryBytesAt: (entries: number) => number;
}

export function conntrackSteadyState(spec: DatapathSpec, dp: Datapath, streams: RandomStreams): ConntrackSteadyState {
  const lambda = spec.connectionsPerSec;
  const maxEntries = spec.conntrackMaxEntries === undefined ? {} : { maxEntries: spec.conntrackMaxEntries };
  let policy: ConntrackPolicy;
  let capacityEntries: number;
  let memoryBytesAt: (entries: number) => number;
  if (dp.conntrack === 'nf_conntrack') {
    const sizing = nfConntrackSizing({ memoryBytes: spec.nodeMemoryBytes, cores: spec.cores, kernelVersion: specKernelVersion(spec), kubeProxy: true, ...maxEntries });
    const nfPolicy = nfConntrackPolicy({ buckets: sizing.buckets, timeouts: defaultKubeProxyConntrackTimeoutsParams });
    policy = nfPolicy;
    capacityEntries = sizing.capacityEntries;
    memoryBytesAt = (entries) => nfPolicy.memoryBytes(entries, sizing.capacityEntries);
  } else {
    const sizing = ciliumCtSizing({ memoryBytes: spec.nodeMemoryBytes, ...maxEntries });
    policy = ciliumCtPolicy();
    capacityEntries = sizing.capacityEntries;
    memoryBytesAt = () => sizing.memoryBytesAtCapacity;
  }
  const perConn = dp.ctEntriesPerConnection;
  const tableCapacity = Math.max(1, Math.floor(capacityEntries / perConn));
  const idle = Math.min(spec.preexistingIdleConnections, tableCapacity);
  const pressured = idle + lambda * nsToSec(policy.closingTimeoutNs) > policy.gcEarlyDropThresholdFraction * tableCapacity;
  const phaseFraction = spec.conntrackGcPhaseFraction ?? streams.stream('datapath.conntrackGcPhase').uniform();
  const seededClosing = Math.max(0, Math.min(Math.round(lambda * nsToSec(policy.closingTimeoutNs)), tableCapacity - idle));
  return {
    impl: dp.conntrack,
    policy,
    capacityEntries,
    entriesPerConnection: perConn,
    tableCapacity,
    idleConnections: idle,
    seededClosing,
    gcPhaseNs: pressured ? Math.floor(phaseFraction * policy.gcIntervalNs) : 0,
    occupancyEntries: Math.min(capacityEntries, perConn * (spec.preexistingIdleConnections + seededClosing)),
    memoryBytesAt,
  };
}

/**
 * The table during a run: seeded, GC started, and what its evictions broke. The per-packet
 * methods (touch, open, close) are arrow functions made once per run, for the packet journey's
 * closures to hold in constants.
 */
export class PathConntrack {
  readonly table: ConntrackTable;
  /** Closing seeds counted but not stored. */
  readonly virtualSeeded: number;
  /** Preexisting idle connections whose entry was evicted. */
  brokenIdleFlows = 0;
  /** Open connections whose entry was evicted. */
  evictedOpenConnections = 0;

  /**
   * `runConnectionsBound`: at least the connections the run can open (retransmissions included).
   * `isOpen(id)`: whether simulated connection `id` is still open.
   */
  constructor(sim: Simulation, readonly state: ConntrackSteadyState, runConnectionsBound: number, private readonly isOpen: (id: number) => boolean) {
    const s = state;
    const mayFill = s.idleConnections + s.seededClosing + runConnectionsBound >= s.tableCapacity;
    const stored = !mayFill ? 0 : s.policy.whenFull === 'evict-lru' ? Math.min(s.seededClosing, runConnectionsBound) : s.seededClosing;
    this.virtualSeeded = s.seededClosing - stored;
    const onRemoved = (flowId: number, entryState: ConntrackEntryState, reason: ConntrackRemovalReason): void => this.removed(flowId, entryState, reason);
    this.table = new ConntrackTable(sim, s.policy, mayFill ? s.tableCapacity - this.virtualSeeded : s.tableCapacity, { onRemoved });
    for (let i = 0; i < s.idleConnections; i++) this.table.insert(IDLE_FLOW_BASE + i);
    // The stored seeds are the youngest: seed i closed (stored - i) / rate s ago (evenly over the closing timeout).
    const spanNs = s.policy.closingTimeoutNs;
    for (let i = 0; i < stored; i++) {
      const closedAgoNs = ((stored - i) / s.seededClosing) * spanNs;
      this.table.seedClosing(CLOSING_FLOW_BASE + i, Math.max(1, Math.round(s.policy.closingTimeoutNs - closedAgoNs)));
    }
    // GC passes at (period - phase), then every period.
    this.table.startGc(s.policy.gcIntervalNs - s.gcPhaseNs);
  }

  /** A packet of a flow that should have an entry: refresh it, or create it again (false when the table refuses). */
  readonly touch = (id: number): boolean => this.table.touch(id) || this.table.insert(id) !== 'dropped';

  /** A connection's first packet: false when the table refuses the new entry. */
  readonly open = (id: number): boolean => this.table.insert(id) !== 'dropped';

  readonly close = (id: number): void => {
    this.table.close(id);
  };

  /**
   * Entries in steady state at this load (Little's law: entries per connection x rate x (lifetime +
   * closing timeout), plus the preexisting idle connections), capped at the capacity.
   */
  steadyStateEntries(spec: DatapathSpec, meanOpenSec: number): number {
    const s = this.state;
    const demand = s.entriesPerConnection * (spec.preexistingIdleConnections + spec.connectionsPerSec * (meanOpenSec + nsToSec(s.policy.closingTimeoutNs)));
    return Math.min(s.capacityEntries, Math.round(demand));
  }

  /** Most entries the map held, the uncounted seeds included. */
  get peakEntries(): number {
    return Math.min(this.state.capacityEntries, this.state.entriesPerConnection * (this.table.peakEntries + this.virtualSeeded));
  }

  /** Map entries evicted to make room. */
  get evictedEntries(): number {
    return this.table.evictedEntries * this.state.entriesPerConnection;
  }

  private removed(flowId: number, entryState: ConntrackEntryState, reason: ConntrackRemovalReason): void {
    if (reason !== 'evicted') return;
    if (flowId >= IDLE_FLOW_BASE) {
      if (flowId < CLOSING_FLOW_BASE && entryState === 'established') this.brokenIdleFlows++;
      return;
    }
    if (entryState === 'established' && this.isOpen(flowId)) this.evictedOpenConnections++;
  }
}
