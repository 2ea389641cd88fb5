/**
 * The waiting line of a Resource, kept in parallel arrays so that queueing a request allocates
 * nothing once the arrays have grown (a resource line is on the hot path of every queueing model).
 * Each entry is a waiter (a suspended process, or a callback with its argument) and the time it
 * joined. Two orders share one shape: `FifoLine` (a ring, O(1)) and `PriorityLine` (a binary heap
 * on (priority, arrival), lower priority first, FIFO among equals). The first entry is read in
 * place (headWaiter, headArg, headSinceNs) and then dropped: copying it into fields of the
 * long-lived line would cost a generational write barrier per grant when the waiter or its
 * argument is a young object (a new process, a packet).
 */
import type { Process } from './process.ts';
import type { GrantCallback } from './waiter.ts';

/** A waiter: the process to wake, or the callback to call. */
export type LineWaiter = Process<any> | GrantCallback<any, any>;

export interface RequestLine {
  readonly length: number;
  push(waiter: LineWaiter, arg: unknown, sinceNs: number, priority: number): void;
  /** The first entry's waiter, argument and join time (the line must not be empty). */
  headWaiter(): LineWaiter;
  headArg(): unknown;
  headSinceNs(): number;
  /** Removes the first entry (read it first). */
  dropHead(): void;
  /** Removes `waiter` (an interrupted process), keeping the others' order; returns when it joined, or -1 if absent. */
  remove(waiter: LineWaiter): number;
  /** The sum over waiting entries of nowNs - max(their sinceNs, fromNs): their waits so far, counted from `fromNs`. */
  waitedNsSince(nowNs: number, fromNs: number): number;
}

export class FifoLine implements RequestLine {
  private waiters: (LineWaiter | undefined)[];
  private args: unknown[];
  private sinceNs: Float64Array;
  private head = 0;
  private count = 0;
  private mask: number;

  constructor(initialCapacityPow2 = 16) { // calibration-exempt: initial array size; it grows as needed
    this.waiters = new Array(initialCapacityPow2);
    this.args = new Array(initialCapacityPow2);
    this.sinceNs = new Float64Array(initialCapacityPow2);
    this.mask = initialCapacityPow2 - 1;
  }

  get length(): number {
    return this.count;
  }

  push(waiter: LineWaiter, arg: unknown, sinceNs: number, _priority: number): void {
    if (this.count > this.mask) this.grow();
    const i = (this.head + this.count) & this.mask;
    this.waiters[i] = waiter;
    this.args[i] = arg;
    this.sinceNs[i] = sinceNs;
    this.count++;
  }

  headWaiter(): LineWaiter {
    return this.waiters[this.head]!;
  }

  headArg(): unknown {
    return this.args[this.head];
  }

  headSinceNs(): number {
    return this.sinceNs[this.head]!;
  }

  dropHead(): void {
    const i = this.head;
    this.waiters[i] = undefined;
    this.args[i] = undefined;
    this.head = (i + 1) & this.mask;
    this.count--;
  }

  remove(waiter: LineWaiter): number {
    const mask = this.mask;
    for (let k = 0; k < this.count; k++) {
      if (this.waiters[(this.head + k) & mask] !== waiter) continue;
      const sinceNs = this.sinceNs[(this.head + k) & mask]!;
      for (let j = k; j < this.count - 1; j++) {
        const to = (this.head + j) & mask;
        const from = (to + 1) & mask;
        this.waiters[to] = this.waiters[from];
        this.args[to] = this.args[from];
        this.sinceNs[to] = this.sinceNs[from]!;
      }
      const last = (this.head + this.count - 1) & mask;
      this.waiters[last] = undefined;
      this.args[last] = undefined;
      this.count--;
      return sinceNs;
    }
    return -1;
  }

  waitedNsSince(nowNs: number, fromNs: number): number {
    let sum = 0;
    for (let k = 0; k < this.count; k++) sum += nowNs - Math.max(this.sinceNs[(this.head + k) & this.mask]!, fromNs);
    return sum;
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    const waiters: (LineWaiter | undefined)[] = new Array(capacity);
    const args: unknown[] = new Array(capacity);
    const sinceNs = new Float64Array(capacity);
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) & this.mask;
      waiters[k] = this.waiters[i];
      args[k] = this.args[i];
      sinceNs[k] = this.sinceNs[i]!;
    }
    this.waiters = waiters;
    this.args = args;
    this.sinceNs = sinceNs;
    this.head = 0;
    this.mask = capacity - 1;
  }
}

export class PriorityLine implements RequestLine {
  private waiters: (LineWaiter | undefined)[] = [];
  private args: unknown[] = [];
  private sinceNs: number[] = [];
  private priority: number[] = [];
  private seq: number[] = [];
  private nextSeq = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(waiter: LineWaiter, arg: unknown, sinceNs: number, priority: number): void {
    const seq = this.nextSeq++;
    this.set(this.siftUp(this.count++, priority, seq), waiter, arg, sinceNs, priority, seq);
  }

  headWaiter(): LineWaiter {
    return this.waiters[0]!;
  }

  headArg(): unknown {
    return this.args[0];
  }

  headSinceNs(): number {
    return this.sinceNs[0]!;
  }

  dropHead(): void {
    this.removeAt(0);
  }

  remove(waiter: LineWaiter): number {
    for (let i = 0; i < this.count; i++) {
      if (this.waiters[i] === waiter) {
        const sinceNs = this.sinceNs[i]!;
        this.removeAt(i);
        return sinceNs;
      }
    }
    return -1;
  }

  waitedNsSince(nowNs: number, fromNs: number): number {
    let sum = 0;
    for (let i = 0; i < this.count; i++) sum += nowNs - Math.max(this.sinceNs[i]!, fromNs);
    return sum;
  }

  /** Fills hole `i` with the last entry, which then moves down or up to its place. */
  private removeAt(i: number): void {
    const last = --this.count;
    const w = this.waiters[last]!;
    const a = this.args[last];
    const s = this.sinceNs[last]!;
    const p = this.priority[last]!;
    const q = this.seq[last]!;
    this.waiters[last] = undefined;
    this.args[last] = undefined;
    if (i === last) return;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && this.precedes(this.priority[child + 1]!, this.seq[child + 1]!, child)) child++;
      if (!before(this.priority[child]!, this.seq[child]!, p, q)) break;
      this.move(child, i);
      i = child;
    }
    this.set(this.siftUp(i, p, q), w, a, s, p, q);
  }

  /** Moves the parents of hole `i` that (priority, seq) precedes down into it; returns where the hole ends up. */
  private siftUp(i: number, priority: number, seq: number): number {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.precedes(priority, seq, parent)) break;
      this.move(parent, i);
      i = parent;
    }
    return i;
  }

  /** Whether (priority, seq) goes before entry `k`. */
  private precedes(priority: number, seq: number, k: number): boolean {
    return before(priority, seq, this.priority[k]!, this.seq[k]!);
  }

  private move(from: number, to: number): void {
    this.set(to, this.waiters[from]!, this.args[from], this.sinceNs[from]!, this.priority[from]!, this.seq[from]!);
  }

  private set(i: number, waiter: LineWaiter, arg: unknown, sinceNs: number, priority: number, seq: number): void {
    this.waiters[i] = waiter;
    this.args[i] = arg;
    this.sinceNs[i] = sinceNs;
    this.priority[i] = priority;
    this.seq[i] = seq;
  }
}

/** (p1, s1) before (p2, s2): lower priority first, then earlier arrival. */
function before(p1: number, s1: number, p2: number, s2: number): boolean {
  return p1 < p2 || (p1 === p2 && s1 < s2);
}
