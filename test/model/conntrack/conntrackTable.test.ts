import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../../model/engine/index.ts';
import {
  ConntrackTable,
  ciliumCtPolicy,
  nfConntrackPolicy,
  defaultNfConntrackSizingParams,
  type ConntrackPolicy,
  type ConntrackRemovalReason,
} from '../../../model/conntrack/index.ts';

const BUCKETS = 16;
const nf = (over: Partial<ConntrackPolicy> = {}): ConntrackPolicy => ({ ...nfConntrackPolicy({ buckets: BUCKETS }), ...over });
const cilium = (over: Partial<ConntrackPolicy> = {}): ConntrackPolicy => ({ ...ciliumCtPolicy(), ...over });

function tableWithLog(policy: ConntrackPolicy, capacity: number) {
  const sim = new Simulation();
  const log: [flow: number, timeNs: number, reason: ConntrackRemovalReason][] = [];
  const table = new ConntrackTable(sim, policy, capacity, { onRemoved: (f, _s, reason) => log.push([f, sim.nowNs, reason]) });
  return { sim, table, log };
}

describe('ConntrackTable with the nf_conntrack policy', () => {
  it('drops a new flow at a full table and keeps the existing ones', () => {
    const { table, log } = tableWithLog(nf(), 3);
    expect([1, 2, 3].map((f) => table.insert(f))).toEqual(['inserted', 'inserted', 'inserted']);
    expect(table.insert(4)).toBe('dropped');
    expect(table.insert(1)).toBe('exists');
    expect(table.droppedNewConnections).toBe(1);
    expect(table.evictedEntries).toBe(0);
    expect(table.size).toBe(3);
    expect([1, 2, 3].map((f) => table.touch(f))).toEqual([true, true, true]);
    expect(log).toEqual([]);
  });

  it('frees expired entries on demand when a new flow finds the table full', () => {
    const { sim, table, log } = tableWithLog(nf({ establishedTimeoutNs: 100 }), 3);
    [1, 2, 3].forEach((f) => table.insert(f));
    sim.runUntil(150);
    expect(table.insert(4)).toBe('inserted');
    expect(log).toEqual([[1, 150, 'expired'], [2, 150, 'expired'], [3, 150, 'expired']]);
  });

  it('GC early drop needs a refused insert: a nearly full table of closing entries is left alone without one', () => {
    const { sim, table, log } = tableWithLog(nf({ gcIntervalNs: 50, gcEarlyDropThresholdFraction: 0.5 }), 4);
    [1, 2, 3].forEach((f) => table.insert(f));
    table.close(1);
    table.startGc();
    sim.runUntil(60);
    expect(log).toEqual([]);
    expect(table.earlyDroppedEntries).toBe(0);
    expect(table.isEarlyDropArmed).toBe(false);
  });

  it('a refusal arms the next GC pass: it frees closing entries, oldest first, down to the threshold and no further', () => {
    const { sim, table, log } = tableWithLog(nf({ gcIntervalNs: 50, gcEarlyDropThresholdFraction: 0.5, gcEarlyDropPerRun: 10 }), 4);
    [1, 2, 3, 4].forEach((f) => table.insert(f));
    [3, 1, 2].forEach((f) => table.close(f));
    expect(table.insert(5)).toBe('dropped');
    expect(table.isEarlyDropArmed).toBe(true);
    table.startGc();
    sim.runUntil(49);
    expect(log).toEqual([]); // nothing before the pass: a refusal does not wake the GC
    sim.runUntil(60);
    // 4 entries, threshold 0.5 x 4 = 2: kills while size >= 2, so down to 1; flow 4 (established) stays.
    expect(log).toEqual([[3, 50, 'early-dropped'], [1, 50, 'early-dropped'], [2, 50, 'early-dropped']]);
    expect(table.size).toBe(1);
    expect(table.stateOf(4)).toBe('established');
    expect(table.isEarlyDropArmed).toBe(false);
    expect(table.insert(5)).toBe('inserted');
  });

  it('early drop frees at most gcEarlyDropPerRun per run, one jiffy apart, for as long as refusals re-arm it', () => {
    const spacing = 10;
    const { sim, table } = tableWithLog(nf({ gcIntervalNs: 1000, gcRunSpacingNs: spacing, gcEarlyDropThresholdFraction: 0, gcEarlyDropPerRun: 2 }), 20);
    for (let f = 0; f < 20; f++) table.insert(f);
    for (let f = 0; f < 20; f++) table.close(f);
    expect(table.insert(100)).toBe('dropped');
    table.startGc();
    // A new flow knocks at 1001, 1003, ..., 1033: two take each run's room, the rest are refused
    // and re-arm the following run; after 1033 nobody knocks.
    let next = 1000;
    const knock = (): void => {
      table.insert(next++);
      if (sim.nowNs < 1033) sim.schedule(2, knock);
    };
    sim.schedule(1001, knock);
    sim.runUntil(1001);
    expect(table.earlyDroppedEntries).toBe(2); // the pass at 1000: one run
    sim.runUntil(1100);
    // Runs at 1000, 1010, 1020, 1030 freed 2 each; at 1040 nothing had re-armed it: the scan ended.
    expect(table.earlyDropRuns).toBe(4);
    expect(table.earlyDroppedEntries).toBe(8);
    expect(table.isEarlyDropArmed).toBe(false);
  });

  it('memory follows occupancy: entries x bytes per entry + buckets x bytes per bucket, time-weighted', () => {
    const { sim, table } = tableWithLog(nf(), 10);
    const p = defaultNfConntrackSizingParams;
    const mem = (n: number) => n * p.entryBytes + BUCKETS * p.bucketBytes;
    table.insert(1);
    sim.runUntil(100);
    table.insert(2);
    sim.runUntil(300);
    table.remove(1);
    sim.runUntil(400);
    expect(table.entriesMonitor.meanAt(400)).toBeCloseTo((1 * 100 + 2 * 200 + 1 * 100) / 400, 12);
    expect(table.memoryMonitor.meanAt(400)).toBeCloseTo((mem(1) * 100 + mem(2) * 200 + mem(1) * 100) / 400, 6);
    expect(table.peakEntries).toBe(2);
    expect(table.memoryMonitor.max).toBe(mem(2));
  });
});

describe('ConntrackTable with the Cilium CT (LRU) policy', () => {
  it('evicts the least recently used entry to make room; a touch makes an entry recent', () => {
    const { table, log } = tableWithLog(cilium(), 3);
    [1, 2, 3].forEach((f) => table.insert(f));
    table.touch(1);
    expect(table.insert(4)).toBe('inserted');
    expect(table.insert(5)).toBe('inserted');
    expect(log).toEqual([[2, 0, 'evicted'], [3, 0, 'evicted']]);
    expect(table.droppedNewConnections).toBe(0);
    expect(table.evictedEntries).toBe(2);
    expect(table.touch(2)).toBe(false);
  });

  it('does not know about lifetimes: at a full table it evicts by recency even when entries have expired', () => {
    const { sim, table, log } = tableWithLog(cilium({ establishedTimeoutNs: 100 }), 3);
    [1, 2, 3].forEach((f) => table.insert(f));
    sim.runUntil(150);
    table.insert(4);
    expect(log).toEqual([[1, 150, 'evicted']]);
    expect(table.size).toBe(3);
  });

  it('the GC process frees an entry at the first pass after its lifetime ends; a touch extends the lifetime', () => {
    const { sim, table, log } = tableWithLog(cilium({ establishedTimeoutNs: 120, closingTimeoutNs: 30, gcIntervalNs: 50 }), 10);
    table.startGc();
    table.insert(1);
    table.insert(2);
    table.insert(3);
    sim.runUntil(100);
    table.touch(2); // now expires at 220
    table.close(3); // closing: expires at 130
    sim.runUntil(400);
    expect(log).toEqual([[1, 150, 'expired'], [3, 150, 'expired'], [2, 250, 'expired']]);
  });

  it('memory is the preallocated map, whatever the occupancy', () => {
    const { sim, table } = tableWithLog(cilium(), 1000);
    const full = table.memoryMonitor.value;
    table.insert(1);
    sim.runUntil(10);
    expect(table.memoryMonitor.value).toBe(full);
    expect(full).toBe(ciliumCtPolicy().memoryBytes(1000, 1000));
  });
});

describe('ConntrackTable invariants (property)', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), flow: fc.integer({ min: 0, max: 9 }) }),
    fc.record({ kind: fc.constant('touch' as const), flow: fc.integer({ min: 0, max: 9 }) }),
    fc.record({ kind: fc.constant('close' as const), flow: fc.integer({ min: 0, max: 9 }) }),
    fc.record({ kind: fc.constant('remove' as const), flow: fc.integer({ min: 0, max: 9 }) }),
    fc.record({ kind: fc.constant('wait' as const), flow: fc.integer({ min: 1, max: 80 }) }),
  );

  it('size <= capacity; nf_conntrack never evicts, Cilium never drops; inserts - removals = size', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 60 }), (isNf, capacity, ops) => {
        const over = { establishedTimeoutNs: 100, closingTimeoutNs: 20, gcIntervalNs: 30 };
        const { sim, table, log } = tableWithLog(isNf ? nf(over) : cilium(over), capacity);
        table.startGc();
        for (const o of ops) {
          if (o.kind === 'wait') sim.runUntil(sim.nowNs + o.flow);
          else table[o.kind](o.flow);
          expect(table.size).toBeLessThanOrEqual(capacity);
        }
        expect(table.insertedEntries - log.length).toBe(table.size);
        if (isNf) expect(table.evictedEntries).toBe(0);
        else expect(table.droppedNewConnections).toBe(0);
        expect(table.peakEntries).toBeLessThanOrEqual(capacity);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * A reference table written for clarity, not speed: entries in a plain array, LRU order from a
 * touch counter, expiry order within a state from (expiry, refresh counter). The engine's table
 * must match it operation by operation: results, removals (flow, time, reason) and every state.
 */
class ReferenceTable {
  entries: { flow: number; state: 'established' | 'closing'; expiresNs: number; lruSeq: number; stateSeq: number }[] = [];
  log: [number, number, ConntrackRemovalReason][] = [];
  armed = false;
  private seq = 0;
  constructor(private readonly policy: ConntrackPolicy, private readonly capacity: number, private readonly now: () => number) {}

  private find(flow: number) {
    return this.entries.find((e) => e.flow === flow);
  }
  private drop(flow: number, reason: ConntrackRemovalReason): void {
    this.entries = this.entries.filter((e) => e.flow !== flow);
    this.log.push([flow, this.now(), reason]);
  }
  private byExpiry(state: 'established' | 'closing') {
    return this.entries.filter((e) => e.state === state).sort((a, b) => a.expiresNs - b.expiresNs || a.stateSeq - b.stateSeq);
  }
  private refresh(e: ReferenceTable['entries'][number], state: 'established' | 'closing'): void {
    e.state = state;
    e.expiresNs = this.now() + (state === 'established' ? this.policy.establishedTimeoutNs : this.policy.closingTimeoutNs);
    e.lruSeq = ++this.seq;
    e.stateSeq = ++this.seq;
  }
  insert(flow: number): string {
    if (this.find(flow)) return 'exists';
    if (this.entries.length >= this.capacity) {
      if (this.policy.reapExpiredWhenFull) this.collectExpired();
      if (this.entries.length >= this.capacity) {
        if (this.policy.whenFull === 'drop-new') {
          this.armed = true;
          return 'dropped';
        }
        const oldest = [...this.entries].sort((a, b) => a.lruSeq - b.lruSeq)[0]!;
        this.drop(oldest.flow, 'evicted');
      }
    }
    const e = { flow, state: 'established' as const, expiresNs: 0, lruSeq: 0, stateSeq: 0 };
    this.entries.push(e);
    this.refresh(e, 'established');
    return 'inserted';
  }
  touch(flow: number): boolean {
    const e = this.find(flow);
    if (!e) return false;
    if (e.expiresNs <= this.now()) {
      this.drop(flow, 'expired');
      return false;
    }
    this.refresh(e, e.state);
    return true;
  }
  close(flow: number): boolean {
    if (!this.touch(flow)) return false;
    this.refresh(this.find(flow)!, 'closing');
    return true;
  }
  remove(flow: number): boolean {
    if (!this.find(flow)) return false;
    this.drop(flow, 'removed');
    return true;
  }
  collectExpired(): number {
    let freed = 0;
    for (const state of ['established', 'closing'] as const) {
      for (const e of this.byExpiry(state)) {
        if (e.expiresNs > this.now()) break;
        this.drop(e.flow, 'expired');
        freed++;
      }
    }
    return freed;
  }
  earlyDrop(): number {
    if (!this.armed) return -1;
    this.armed = false;
    let freed = 0;
    for (const e of this.byExpiry('closing')) {
      if (freed >= this.policy.gcEarlyDropPerRun || this.entries.length < this.policy.gcEarlyDropThresholdFraction * this.capacity) break;
      this.drop(e.flow, 'early-dropped');
      freed++;
    }
    return freed;
  }
}

describe('ConntrackTable against a reference implementation (property)', () => {
  const flow = fc.integer({ min: 0, max: 7 });
  const op = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('insert' as const), flow }), weight: 4 },
    { arbitrary: fc.record({ kind: fc.constant('touch' as const), flow }), weight: 4 },
    fc.record({ kind: fc.constant('close' as const), flow }),
    fc.record({ kind: fc.constant('remove' as const), flow }),
    fc.record({ kind: fc.constant('collectExpired' as const) }),
    fc.record({ kind: fc.constant('earlyDrop' as const) }),
    fc.record({ kind: fc.constant('wait' as const), ns: fc.integer({ min: 1, max: 60 }) }),
  );

  it('same results, same removals in the same order, same states, for nf_conntrack and Cilium', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 120 }), (isNf, capacity, ops) => {
        const over = { establishedTimeoutNs: 100, closingTimeoutNs: 30, gcEarlyDropPerRun: 2, gcEarlyDropThresholdFraction: 0.5 };
        const policy = isNf ? nf(over) : cilium(over);
        const { sim, table, log } = tableWithLog(policy, capacity);
        const ref = new ReferenceTable(policy, capacity, () => sim.nowNs);
        for (const o of ops) {
          if (o.kind === 'wait') sim.runUntil(sim.nowNs + o.ns);
          else if (o.kind === 'collectExpired' || o.kind === 'earlyDrop') expect(table[o.kind]()).toBe(ref[o.kind]());
          else expect(table[o.kind](o.flow)).toBe(ref[o.kind](o.flow));
          expect(log).toEqual(ref.log);
          expect(table.size).toBe(ref.entries.length);
          for (let f = 0; f <= 7; f++) expect(table.stateOf(f)).toBe(ref.entries.find((e) => e.flow === f)?.state);
        }
      }),
      { numRuns: 500 },
    );
  });
});
