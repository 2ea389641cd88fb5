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
 * Layout: an entry is an index into parallel typed arrays (flow id, state, expiry, the four links),
 * reused through a free list, and the Map holds indices. A touch then rewrites a few numbers: no
 * object per entry, and no object references whose stores would run V8's write barrier on every
 * packet (entries of live connections are young objects; the table is old).
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

/** Entry states as stored: index of the state's expiry-ordered list. */
const ESTABLISHED = 0;
const CLOSING = 1;
const STATE_NAMES: readonly ConntrackEntryState[] = ['established', 'closing'];
/** "No entry" in a link or a list end. */
const NONE = -1;
const INITIAL_SLOTS = 256; // calibration-exempt: initial array size (the arrays double as needed), not a quantity of the model

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

  /** Flow id -> entry index. */
  private readonly byFlow = new Map<number, number>();
  // The entries, by index.
  private flowIdAt = new Float64Array(INITIAL_SLOTS);
  private stateAt = new Uint8Array(INITIAL_SLOTS);
  private expiresAt = new Float64Array(INITIAL_SLOTS);
  private lruPrev = new Int32Array(INITIAL_SLOTS);
  private lruNext = new Int32Array(INITIAL_SLOTS);
  private statePrev = new Int32Array(INITIAL_SLOTS);
  private stateNext = new Int32Array(INITIAL_SLOTS);
  private freeSlots = new Int32Array(INITIAL_SLOTS);
  private freeCount = 0;
  private usedSlots = 0;
  // List ends: the LRU list, and the list of each state (by state index).
  private lruHead = NONE;
  private lruTail = NONE;
  private readonly stateHead = new Int32Array([NONE, NONE]);
  private readonly stateTail = new Int32Array([NONE, NONE]);
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
    const i = this.byFlow.get(flowId);
    return i === undefined ? undefined : STATE_NAMES[this.stateAt[i]!];
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
        this.delete(this.lruHead, 'evicted');
      }
    }
    this.add(flowId, ESTABLISHED, this.sim.nowNs + this.policy.establishedTimeoutNs);
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
    const tail = this.stateTail[CLOSING]!;
    const tailExpiresNs = tail === NONE ? -Infinity : this.expiresAt[tail]!;
    if (!(Number.isInteger(expiresNs) && expiresNs > this.sim.nowNs) || expiresNs < tailExpiresNs) {
      throw new RangeError(
        `seedClosing: expiresNs must be an integer after now (${this.sim.nowNs}) and >= the last closing entry's expiry (${tail === NONE ? '-' : tailExpiresNs}), got ${expiresNs}`,
      );
    }
    this.add(flowId, CLOSING, expiresNs);
    return true;
  }

  /**
   * A packet of an existing flow: refreshes the lifetime and the LRU position. Returns false when
   * the flow has no entry; an entry found expired is removed (reason `expired`) and also gives false.
   */
  touch(flowId: number): boolean {
    const i = this.liveEntry(flowId);
    if (i === NONE) return false;
    this.refresh(i, this.stateAt[i]!);
    return true;
  }

  /** The FIN of a flow: the entry moves to the closing state (and its lifetime). Returns false without an entry. */
  close(flowId: number): boolean {
    const i = this.liveEntry(flowId);
    if (i === NONE) return false;
    this.refresh(i, CLOSING);
    return true;
  }

  /** Removes a flow's entry, if any (e.g. an RST seen by the owner). */
  remove(flowId: number): boolean {
    const i = this.byFlow.get(flowId);
    if (i === undefined) return false;
    this.delete(i, 'removed');
    return true;
  }

  /** Frees every entry whose lifetime has run out; returns how many. */
  collectExpired(): number {
    const now = this.sim.nowNs;
    let freed = 0;
    for (const state of [ESTABLISHED, CLOSING]) {
      for (let i = this.stateHead[state]!; i !== NONE && this.expiresAt[i]! <= now; i = this.stateHead[state]!) {
        this.expiredEntries++;
        this.delete(i, 'expired');
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
    for (let i = this.stateHead[CLOSING]!; i !== NONE && freed < this.policy.gcEarlyDropPerRun && this.byFlow.size >= floor; i = this.stateHead[CLOSING]!) {
      this.earlyDroppedEntries++;
      this.delete(i, 'early-dropped');
      freed++;
    }
    return freed;
  }

  /** Starts the garbage-collection process: a pass after `firstPassInNs`, then every policy.gcIntervalNs, for as long as the simulation runs. */
  startGc(firstPassInNs = this.policy.gcIntervalNs): Process<void> {
    return this.sim.process(conntrackGc(this.sim, this, firstPassInNs), `${this.policy.name} gc`);
  }

  /** The entry of `flowId`, or NONE when it has none; an entry found expired is removed first (reason `expired`). */
  private liveEntry(flowId: number): number {
    const i = this.byFlow.get(flowId);
    if (i === undefined) return NONE;
    if (this.expiresAt[i]! <= this.sim.nowNs) {
      this.expiredEntries++;
      this.delete(i, 'expired');
      return NONE;
    }
    return i;
  }

  private lifetimeNs(state: number): number {
    return state === ESTABLISHED ? this.policy.establishedTimeoutNs : this.policy.closingTimeoutNs;
  }

  private add(flowId: number, state: number, expiresNs: number): void {
    const i = this.freeCount > 0 ? this.freeSlots[--this.freeCount]! : this.newSlot();
    this.flowIdAt[i] = flowId;
    this.stateAt[i] = state;
    this.expiresAt[i] = expiresNs;
    this.byFlow.set(flowId, i);
    this.lruAppend(i);
    this.stateAppend(state, i);
    this.insertedEntries++;
    this.recordLevel();
  }

  /** Moves entry `i` to the back of the LRU list and of `state`'s list, with `state`'s full lifetime. */
  private refresh(i: number, state: number): void {
    this.stateUnlink(this.stateAt[i]!, i);
    this.stateAt[i] = state;
    this.expiresAt[i] = this.sim.nowNs + this.lifetimeNs(state);
    this.stateAppend(state, i);
    if (this.lruTail !== i) {
      this.lruUnlink(i);
      this.lruAppend(i);
    }
  }

  private delete(i: number, reason: ConntrackRemovalReason): void {
    const flowId = this.flowIdAt[i]!;
    const state = this.stateAt[i]!;
    this.byFlow.delete(flowId);
    this.lruUnlink(i);
    this.stateUnlink(state, i);
    this.freeSlots[this.freeCount++] = i;
    this.recordLevel();
    this.onRemoved?.(flowId, STATE_NAMES[state]!, reason);
  }

  private lruAppend(i: number): void {
    const tail = this.lruTail;
    this.lruPrev[i] = tail;
    this.lruNext[i] = NONE;
    if (tail === NONE) this.lruHead = i;
    else this.lruNext[tail] = i;
    this.lruTail = i;
  }

  private lruUnlink(i: number): void {
    const prev = this.lruPrev[i]!;
    const next = this.lruNext[i]!;
    if (prev === NONE) this.lruHead = next;
    else this.lruNext[prev] = next;
    if (next === NONE) this.lruTail = prev;
    else this.lruPrev[next] = prev;
  }

  private stateAppend(state: number, i: number): void {
    const tail = this.stateTail[state]!;
    this.statePrev[i] = tail;
    this.stateNext[i] = NONE;
    if (tail === NONE) this.stateHead[state] = i;
    else this.stateNext[tail] = i;
    this.stateTail[state] = i;
  }

  private stateUnlink(state: number, i: number): void {
    const prev = this.statePrev[i]!;
    const next = this.stateNext[i]!;
    if (prev === NONE) this.stateHead[state] = next;
    else this.stateNext[prev] = next;
    if (next === NONE) this.stateTail[state] = prev;
    else this.statePrev[next] = prev;
  }

  /** A never-used index, growing the arrays (doubling) when they are full. */
  private newSlot(): number {
    if (this.usedSlots === this.flowIdAt.length) {
      const n = this.usedSlots * 2;
      this.flowIdAt = grown(this.flowIdAt, new Float64Array(n));
      this.stateAt = grown(this.stateAt, new Uint8Array(n));
      this.expiresAt = grown(this.expiresAt, new Float64Array(n));
      this.lruPrev = grown(this.lruPrev, new Int32Array(n));
      this.lruNext = grown(this.lruNext, new Int32Array(n));
      this.statePrev = grown(this.statePrev, new Int32Array(n));
      this.stateNext = grown(this.stateNext, new Int32Array(n));
      this.freeSlots = grown(this.freeSlots, new Int32Array(n));
    }
    return this.usedSlots++;
  }

  private recordLevel(): void {
    const now = this.sim.nowNs;
    const entries = this.byFlow.size;
    this.entriesMonitor.update(now, entries);
    this.memoryMonitor.update(now, this.policy.memoryBytes(entries, this.capacityEntries));
  }
}

function grown<A extends Float64Array | Int32Array | Uint8Array>(from: A, to: A): A {
  to.set(from);
  return to;
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
