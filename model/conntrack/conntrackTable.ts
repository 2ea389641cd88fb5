/**
 * A connection-tracking table on the engine: a bounded set of flow entries with per-state
 * lifetimes, a garbage-collection process, and a policy (nf_conntrack or Cilium CT, see
 * conntrackPolicy.ts) that decides what a new flow at a full table gets. Like a car park with a
 * fixed number of spaces: nf_conntrack turns the new car away at the gate; Cilium tows the car that
 * has stood untouched the longest to make room, whether or not its owner is coming back.
 *
 * Entries are found through a Map and linked into two intrusive lists: one over all entries in
 * least-recently-used order (a touch moves an entry to the back), and one per state in expiry order
 * (every entry of a state has the same lifetime, so refresh order is expiry order). Every operation
 * is O(1) and garbage collection costs O(entries freed).
 *
 * Monitors: entries and memory bytes over time (time-weighted); counters of inserts, dropped new
 * connections, evictions (LRU evictions and GC early drops) and expiries.
 */
import type { Simulation, ProcessBody, Process } from '../engine/index.ts';
import { TimeWeighted } from '../engine/index.ts';
import type { ConntrackPolicy } from './conntrackPolicy.ts';

export type ConntrackEntryState = 'established' | 'closing';
export type ConntrackInsertResult = 'inserted' | 'exists' | 'dropped';
/** Why an entry left the table: lru eviction, GC early drop, lifetime expiry, or removed by the owner. */
export type ConntrackRemovalReason = 'evicted' | 'early-dropped' | 'expired' | 'removed';

interface Entry {
  readonly flowId: number;
  state: ConntrackEntryState;
  expiresNs: number;
  // Intrusive links: the LRU list over all entries, and the list of the entry's state.
  lruPrev: Entry | null;
  lruNext: Entry | null;
  statePrev: Entry | null;
  stateNext: Entry | null;
}

/** A doubly linked list through the lru* or state* links of entries: O(1) append and unlink. */
class EntryList {
  head: Entry | null = null;
  private tail: Entry | null = null;
  constructor(private readonly lru: boolean) {}

  append(e: Entry): void {
    if (this.lru) {
      e.lruPrev = this.tail;
      e.lruNext = null;
      if (this.tail === null) this.head = e;
      else this.tail.lruNext = e;
    } else {
      e.statePrev = this.tail;
      e.stateNext = null;
      if (this.tail === null) this.head = e;
      else this.tail.stateNext = e;
    }
    this.tail = e;
  }

  /** The last entry (for lists in expiry order: the one that expires last), or null. */
  get last(): Entry | null {
    return this.tail;
  }

  unlink(e: Entry): void {
    const prev = this.lru ? e.lruPrev : e.statePrev;
    const next = this.lru ? e.lruNext : e.stateNext;
    if (prev === null) this.head = next;
    else if (this.lru) prev.lruNext = next;
    else prev.stateNext = next;
    if (next === null) this.tail = prev;
    else if (this.lru) next.lruPrev = prev;
    else next.statePrev = prev;
  }
}

export interface ConntrackTableOptions {
  /** Called for every entry that leaves the table, after it has left. */
  readonly onRemoved?: (flowId: number, state: ConntrackEntryState, reason: ConntrackRemovalReason) => void;
}

export class ConntrackTable {
  /** Entries over time. */
  readonly entriesMonitor: TimeWeighted;
  /** Memory bytes over time (constant for a preallocated Cilium map). */
  readonly memoryMonitor: TimeWeighted;
  insertedEntries = 0;
  /** New flows turned away because the table was full (nf_conntrack). */
  droppedNewConnections = 0;
  /** Entries evicted to make room (Cilium LRU). */
  evictedEntries = 0;
  /** Closing entries freed early by GC when the table was nearly full (nf_conntrack). */
  earlyDroppedEntries = 0;
  /** GC runs that early-dropped (armed by refusals). */
  earlyDropRuns = 0;
  /** Entries freed because their lifetime ran out. */
  expiredEntries = 0;

  private readonly byFlow = new Map<number, Entry>();
  private readonly lru = new EntryList(true);
  private readonly established = new EntryList(false);
  private readonly closing = new EntryList(false);
  private readonly onRemoved: ConntrackTableOptions['onRemoved'];
  /** A refused insert arms early drop for the next GC run (gc_work->early_drop). */
  private earlyDropArmed = false;

  constructor(
    readonly sim: Simulation,
    readonly policy: ConntrackPolicy,
    readonly capacityEntries: number,
    options: ConntrackTableOptions = {},
  ) {
    if (!Number.isSafeInteger(capacityEntries) || capacityEntries < 1) {
      throw new RangeError(`capacityEntries must be an integer >= 1, got ${capacityEntries}`);
    }
    this.onRemoved = options.onRemoved;
    this.entriesMonitor = new TimeWeighted(sim.nowNs, 0);
    this.memoryMonitor = new TimeWeighted(sim.nowNs, policy.memoryBytes(0, capacityEntries));
  }

  get size(): number {
    return this.byFlow.size;
  }

  /** Largest number of entries held at once. */
  get peakEntries(): number {
    return this.entriesMonitor.max;
  }

  has(flowId: number): boolean {
    return this.byFlow.has(flowId);
  }

  stateOf(flowId: number): ConntrackEntryState | undefined {
    return this.byFlow.get(flowId)?.state;
  }

  /**
   * The first packet of a new flow: creates an established entry. At a full table the policy
   * decides: nf_conntrack first frees expired entries, then drops the flow; Cilium evicts the
   * least recently used entry.
   */
  insert(flowId: number): ConntrackInsertResult {
    if (this.byFlow.has(flowId)) return 'exists';
    if (this.byFlow.size >= this.capacityEntries) {
      if (this.policy.reapExpiredWhenFull) this.collectExpired();
      if (this.byFlow.size >= this.capacityEntries) {
        if (this.policy.whenFull === 'drop-new') {
          this.droppedNewConnections++;
          this.earlyDropArmed = true;
          return 'dropped';
        }
        this.evictedEntries++;
        this.delete(this.lru.head!, 'evicted');
      }
    }
    const entry: Entry = {
      flowId,
      state: 'established',
      expiresNs: this.sim.nowNs + this.policy.establishedTimeoutNs,
      lruPrev: null,
      lruNext: null,
      statePrev: null,
      stateNext: null,
    };
    this.byFlow.set(flowId, entry);
    this.lru.append(entry);
    this.established.append(entry);
    this.insertedEntries++;
    this.recordLevel();
    return 'inserted';
  }

  /**
   * Seeds an entry that is already closing and expires at `expiresNs`, for a table that starts in
   * steady state (e.g. the TIME_WAIT entries of earlier connections). Seeds must come in
   * non-decreasing expiry order, not after any entry closing later, so the closing list stays in
   * expiry order. Returns false, inserting nothing, when the flow has an entry or the table is full.
   */
  seedClosing(flowId: number, expiresNs: number): boolean {
    if (this.byFlow.has(flowId) || this.byFlow.size >= this.capacityEntries) return false;
    const tail = this.closing.last;
    if (!(Number.isInteger(expiresNs) && expiresNs > this.sim.nowNs) || (tail !== null && expiresNs < tail.expiresNs)) {
      throw new RangeError(
        `seedClosing: expiresNs must be an integer after now (${this.sim.nowNs}) and >= the last closing entry's expiry (${tail?.expiresNs ?? '-'}), got ${expiresNs}`,
      );
    }
    const entry: Entry = { flowId, state: 'closing', expiresNs, lruPrev: null, lruNext: null, statePrev: null, stateNext: null };
    this.byFlow.set(flowId, entry);
    this.lru.append(entry);
    this.closing.append(entry);
    this.insertedEntries++;
    this.recordLevel();
    return true;
  }

  /**
   * A packet of an existing flow: refreshes the lifetime and the LRU position. Returns false when
   * the flow has no entry; an entry found expired is removed (reason `expired`) and also gives false.
   */
  touch(flowId: number): boolean {
    const entry = this.byFlow.get(flowId);
    if (entry === undefined) return false;
    if (entry.expiresNs <= this.sim.nowNs) {
      this.expiredEntries++;
      this.delete(entry, 'expired');
      return false;
    }
    this.refresh(entry, entry.state);
    return true;
  }

  /** The FIN of a flow: the entry moves to the closing state (and its lifetime). Returns false without an entry. */
  close(flowId: number): boolean {
    if (!this.touch(flowId)) return false;
    this.refresh(this.byFlow.get(flowId)!, 'closing');
    return true;
  }

  /** Removes a flow's entry, if any (e.g. an RST seen by the owner). */
  remove(flowId: number): boolean {
    const entry = this.byFlow.get(flowId);
    if (entry === undefined) return false;
    this.delete(entry, 'removed');
    return true;
  }

  /** Frees every entry whose lifetime has run out; returns how many. */
  collectExpired(): number {
    const now = this.sim.nowNs;
    let freed = 0;
    for (const byExpiry of [this.established, this.closing]) {
      for (let e = byExpiry.head; e !== null && e.expiresNs <= now; e = byExpiry.head) {
        this.expiredEntries++;
        this.delete(e, 'expired');
        freed++;
      }
    }
    return freed;
  }

  /** Whether a refused insert has armed early drop for the next GC run. */
  get isEarlyDropArmed(): boolean {
    return this.earlyDropArmed;
  }

  /**
   * One GC run with early drop (nf_conntrack gc_worker): if a refused insert armed it, disarms it
   * and frees closing entries, oldest first, while the table is at or above the policy's threshold,
   * at most `gcEarlyDropPerRun` of them. Returns the entries freed, or -1 when it was not armed.
   */
  earlyDrop(): number {
    if (!this.earlyDropArmed) return -1;
    this.earlyDropArmed = false;
    this.earlyDropRuns++;
    const floor = this.policy.gcEarlyDropThresholdFraction * this.capacityEntries;
    let freed = 0;
    for (let e = this.closing.head; e !== null && freed < this.policy.gcEarlyDropPerRun && this.byFlow.size >= floor; e = this.closing.head) {
      this.earlyDroppedEntries++;
      this.delete(e, 'early-dropped');
      freed++;
    }
    return freed;
  }

  /** Starts the garbage-collection process: a pass after `firstPassInNs`, then every policy.gcIntervalNs, for as long as the simulation runs. */
  startGc(firstPassInNs = this.policy.gcIntervalNs): Process<void> {
    return this.sim.process(conntrackGc(this.sim, this, firstPassInNs), `${this.policy.name} gc`);
  }

  private listOf(state: ConntrackEntryState): EntryList {
    return state === 'established' ? this.established : this.closing;
  }

  private refresh(entry: Entry, state: ConntrackEntryState): void {
    this.listOf(entry.state).unlink(entry);
    entry.state = state;
    entry.expiresNs = this.sim.nowNs + (state === 'established' ? this.policy.establishedTimeoutNs : this.policy.closingTimeoutNs);
    this.listOf(state).append(entry);
    this.lru.unlink(entry);
    this.lru.append(entry);
  }

  private delete(entry: Entry, reason: ConntrackRemovalReason): void {
    this.byFlow.delete(entry.flowId);
    this.lru.unlink(entry);
    this.listOf(entry.state).unlink(entry);
    this.recordLevel();
    this.onRemoved?.(entry.flowId, entry.state, reason);
  }

  private recordLevel(): void {
    const now = this.sim.nowNs;
    const entries = this.byFlow.size;
    this.entriesMonitor.update(now, entries);
    this.memoryMonitor.update(now, this.policy.memoryBytes(entries, this.capacityEntries));
  }
}

/**
 * The garbage collector: a pass after `firstPassInNs`, then every `policy.gcIntervalNs`, forever
 * (run the simulation with runUntil or stop()). A pass frees expired entries; when refused inserts
 * have armed early drop, the scan goes on in runs one jiffy apart, each freeing up to
 * `gcEarlyDropPerRun` closing entries, for as long as new refusals re-arm it (the kernel disarms
 * it after every run that hit its limit).
 */
export function* conntrackGc(sim: Simulation, table: ConntrackTable, firstPassInNs: number): ProcessBody {
  const { gcIntervalNs, gcRunSpacingNs } = table.policy;
  for (const [name, ns] of [['firstPassInNs', firstPassInNs], ['gcIntervalNs', gcIntervalNs], ['gcRunSpacingNs', gcRunSpacingNs]] as const) {
    if (!Number.isSafeInteger(ns) || ns < 1) throw new RangeError(`${name} must be an integer >= 1, got ${ns}`);
  }
  yield* sim.timeout(firstPassInNs);
  for (;;) {
    table.collectExpired();
    while (table.earlyDrop() >= 0) yield* sim.timeout(gcRunSpacingNs);
    yield* sim.timeout(gcIntervalNs);
  }
}
