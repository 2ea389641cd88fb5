/**
 * The future-event list: a binary min-heap ordered by (timeNs, seq). `seq` is a counter the
 * simulation hands out, so events at the same time pop in the order they were scheduled (FIFO),
 * which makes a run a pure function of its inputs.
 *
 * Layout: an event's payload (fn, arg, tag, seq) is written once into a slot of a pooled arena;
 * the heap itself is two typed arrays, the time and the slot number, so sifting moves two numbers
 * per level and no object references (no write barriers). `seq` is read from the arena only to
 * break a tie in time. Nothing is allocated once the arrays have grown. `pop` hands back the slot
 * and the caller reads the payload from it into locals: storing a just-created object (a new
 * process, a packet) into a field of the long-lived queue would cost a generational write barrier
 * on every event.
 */

/** An event's action: called with the argument and numeric tag it was scheduled with. */
export type EventFn = (arg: any, tag: number) => void;

export class EventQueue {
  // The heap, in heap order.
  private timeNs: Float64Array;
  private slotOf: Int32Array;
  private count = 0;
  // The arena, indexed by slot.
  private seqAt: Float64Array;
  private tagAt: Float64Array;
  private fnAt: (EventFn | undefined)[];
  private argAt: unknown[];
  private freeSlots: Int32Array;
  private freeCount: number;

  /** Time of the event `pop()` removed last. */
  poppedTimeNs = 0;

  constructor(initialCapacity = 64) { // calibration-exempt: initial array size; the heap grows as needed
    this.timeNs = new Float64Array(initialCapacity);
    this.slotOf = new Int32Array(initialCapacity);
    this.seqAt = new Float64Array(initialCapacity);
    this.tagAt = new Float64Array(initialCapacity);
    this.fnAt = new Array(initialCapacity).fill(undefined);
    this.argAt = new Array(initialCapacity).fill(undefined);
    this.freeSlots = new Int32Array(initialCapacity);
    // Hand out slot 0 first.
    for (let i = 0; i < initialCapacity; i++) this.freeSlots[i] = initialCapacity - 1 - i;
    this.freeCount = initialCapacity;
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTimeNs(): number {
    return this.count > 0 ? this.timeNs[0]! : Infinity;
  }

  /** Sequence number of the earliest event; Infinity when empty. */
  peekSeq(): number {
    return this.count > 0 ? this.seqAt[this.slotOf[0]!]! : Infinity;
  }

  push(timeNs: number, seq: number, fn: EventFn, arg: unknown, tag: number): void {
    if (this.freeCount === 0) this.grow();
    const slot = this.freeSlots[--this.freeCount]!;
    this.seqAt[slot] = seq;
    this.tagAt[slot] = tag;
    this.fnAt[slot] = fn;
    this.argAt[slot] = arg;
    const times = this.timeNs;
    const slots = this.slotOf;
    // Sift up by moving parents down into the hole, then write the new entry once.
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < timeNs || (pt === timeNs && this.seqAt[slots[parent]!]! < seq)) break;
      times[i] = pt;
      slots[i] = slots[parent]!;
      i = parent;
    }
    times[i] = timeNs;
    slots[i] = slot;
  }

  /**
   * Removes the earliest event (its time goes to `poppedTimeNs`) and returns its slot, or -1 when
   * empty. The payload stays readable (fnOf, argOf, tagOf) until `free(slot)`, which the caller
   * must call before the next push.
   */
  pop(): number {
    if (this.count === 0) return -1;
    const slot = this.slotOf[0]!;
    this.poppedTimeNs = this.timeNs[0]!;
    const last = --this.count;
    if (last > 0) this.siftDownFrom(last);
    return slot;
  }

  fnOf(slot: number): EventFn {
    return this.fnAt[slot]!;
  }

  argOf(slot: number): unknown {
    return this.argAt[slot];
  }

  tagOf(slot: number): number {
    return this.tagAt[slot]!;
  }

  /** Gives a popped slot back, dropping its references so its closure and payload can be collected. */
  free(slot: number): void {
    this.fnAt[slot] = undefined;
    this.argAt[slot] = undefined;
    this.freeSlots[this.freeCount++] = slot;
  }

  clear(): void {
    for (let i = 0; i < this.count; i++) {
      const slot = this.slotOf[i]!;
      this.fnAt[slot] = undefined;
      this.argAt[slot] = undefined;
      this.freeSlots[this.freeCount++] = slot;
    }
    this.count = 0;
  }

  /** Moves the entry at index `from` (the old last one) into the hole at the root, sifting down. */
  private siftDownFrom(from: number): void {
    const times = this.timeNs;
    const slots = this.slotOf;
    const seqAt = this.seqAt;
    const t = times[from]!;
    const slot = slots[from]!;
    const n = this.count;
    const half = n >> 1;
    let i = 0;
    while (i < half) {
      let child = 2 * i + 1;
      let ct = times[child]!;
      const right = child + 1;
      if (right < n) {
        const rt = times[right]!;
        if (rt < ct || (rt === ct && seqAt[slots[right]!]! < seqAt[slots[child]!]!)) {
          child = right;
          ct = rt;
        }
      }
      if (t < ct || (t === ct && seqAt[slot]! < seqAt[slots[child]!]!)) break;
      times[i] = ct;
      slots[i] = slots[child]!;
      i = child;
    }
    times[i] = t;
    slots[i] = slot;
  }

  /** Doubles the heap and the arena; the new slots join the free list. */
  private grow(): void {
    const old = this.timeNs.length;
    const capacity = old * 2;
    this.timeNs = grownFloat64(this.timeNs, capacity);
    this.seqAt = grownFloat64(this.seqAt, capacity);
    this.tagAt = grownFloat64(this.tagAt, capacity);
    const slots = new Int32Array(capacity);
    slots.set(this.slotOf);
    this.slotOf = slots;
    for (let i = old; i < capacity; i++) {
      this.fnAt.push(undefined);
      this.argAt.push(undefined);
    }
    // Every slot is in use when the arena grows: the free list holds exactly the new ones.
    const free = new Int32Array(capacity);
    for (let i = 0; i < old; i++) free[i] = capacity - 1 - i;
    this.freeSlots = free;
    this.freeCount = old;
  }
}

function grownFloat64(a: Float64Array, capacity: number): Float64Array {
  const grown = new Float64Array(capacity);
  grown.set(a);
  return grown;
}
