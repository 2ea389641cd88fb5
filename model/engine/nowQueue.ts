/**
 * The zero-delay lane of the future-event list: a FIFO ring of events scheduled for the current
 * instant. Every entry's time equals the clock (the clock cannot pass it), so only `seq` is kept;
 * the simulation merges this lane with the heap by comparing sequence numbers, which preserves the
 * global (timeNs, seq) order while skipping heap work for the many "resume now" events. Like the
 * heap, `pop` returns where the entry is and the caller reads it into locals (no write barrier).
 */
import type { EventFn } from './eventQueue.ts';

export class NowQueue {
  private seq: Float64Array;
  private tag: Float64Array;
  private fn: (EventFn | undefined)[];
  private arg: unknown[];
  private head = 0;
  private count = 0;
  private mask: number;

  constructor(initialCapacityPow2 = 64) { // calibration-exempt: initial ring size; it doubles as needed
    this.seq = new Float64Array(initialCapacityPow2);
    this.tag = new Float64Array(initialCapacityPow2);
    this.fn = new Array(initialCapacityPow2);
    this.arg = new Array(initialCapacityPow2);
    this.mask = initialCapacityPow2 - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Sequence number of the oldest entry; Infinity when empty. */
  peekSeq(): number {
    return this.count > 0 ? this.seq[this.head]! : Infinity;
  }

  push(seq: number, fn: EventFn, arg: unknown, tag: number): void {
    if (this.count > this.mask) this.grow();
    const i = (this.head + this.count) & this.mask;
    this.seq[i] = seq;
    this.tag[i] = tag;
    this.fn[i] = fn;
    this.arg[i] = arg;
    this.count++;
  }

  /**
   * Removes the oldest entry and returns its index, or -1 when empty. It stays readable (fnOf,
   * argOf, tagOf) until `free(index)`, which the caller must call before the next push.
   */
  pop(): number {
    if (this.count === 0) return -1;
    const i = this.head;
    this.head = (i + 1) & this.mask;
    this.count--;
    return i;
  }

  fnOf(i: number): EventFn {
    return this.fn[i]!;
  }

  argOf(i: number): unknown {
    return this.arg[i];
  }

  tagOf(i: number): number {
    return this.tag[i]!;
  }

  /** Drops a popped entry's references so its closure and payload can be collected. */
  free(i: number): void {
    this.fn[i] = undefined;
    this.arg[i] = undefined;
  }

  clear(): void {
    for (let i = this.pop(); i >= 0; i = this.pop()) this.free(i);
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    const seq = new Float64Array(capacity);
    const tag = new Float64Array(capacity);
    const fn: (EventFn | undefined)[] = new Array(capacity);
    const arg: unknown[] = new Array(capacity);
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) & this.mask;
      seq[k] = this.seq[i]!;
      tag[k] = this.tag[i]!;
      fn[k] = this.fn[i];
      arg[k] = this.arg[i];
    }
    this.seq = seq;
    this.tag = tag;
    this.fn = fn;
    this.arg = arg;
    this.head = 0;
    this.mask = capacity - 1;
  }
}
