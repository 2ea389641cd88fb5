/**
 * The future-event list: a binary min-heap ordered by (timeNs, seq). `seq` is a counter the
 * simulation hands out, so events at the same time pop in the order they were scheduled (FIFO),
 * which makes a run a pure function of its inputs. Entries live in parallel arrays (flatqueue
 * style) so that pushing and popping allocate nothing once the arrays have grown.
 */

/** An event's action: called with the argument and numeric tag it was scheduled with. */
export type EventFn = (arg: any, tag: number) => void;

export class EventQueue {
  private timeNs: Float64Array;
  private seq: Float64Array;
  private tag: Float64Array;
  private fn: (EventFn | undefined)[];
  private arg: unknown[];
  private count = 0;

  /** Filled by `pop()`: the popped event (read them before the next pop). */
  poppedTimeNs = 0;
  poppedFn: EventFn | undefined = undefined;
  poppedArg: unknown = undefined;
  poppedTag = 0;

  constructor(initialCapacity = 64) {
    this.timeNs = new Float64Array(initialCapacity);
    this.seq = new Float64Array(initialCapacity);
    this.tag = new Float64Array(initialCapacity);
    this.fn = new Array(initialCapacity);
    this.arg = new Array(initialCapacity);
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
    return this.count > 0 ? this.seq[0]! : Infinity;
  }

  push(timeNs: number, seq: number, fn: EventFn, arg: unknown, tag: number): void {
    if (this.count === this.timeNs.length) this.grow();
    const times = this.timeNs;
    const seqs = this.seq;
    // Sift up by moving parents down into the hole, then write the new entry once.
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < timeNs || (pt === timeNs && seqs[parent]! < seq)) break;
      this.move(parent, i);
      i = parent;
    }
    times[i] = timeNs;
    seqs[i] = seq;
    this.tag[i] = tag;
    this.fn[i] = fn;
    this.arg[i] = arg;
  }

  /** Removes the earliest event into the `popped*` fields. Returns false when empty. */
  pop(): boolean {
    if (this.count === 0) return false;
    this.poppedTimeNs = this.timeNs[0]!;
    this.poppedFn = this.fn[0];
    this.poppedArg = this.arg[0];
    this.poppedTag = this.tag[0]!;
    const last = --this.count;
    if (last > 0) this.siftDownFrom(last);
    // Drop references so popped closures and payloads can be collected.
    this.fn[last] = undefined;
    this.arg[last] = undefined;
    return true;
  }

  clear(): void {
    this.fn.fill(undefined, 0, this.count);
    this.arg.fill(undefined, 0, this.count);
    this.count = 0;
  }

  /** Moves the entry at index `from` (the old last one) into the hole at the root, sifting down. */
  private siftDownFrom(from: number): void {
    const times = this.timeNs;
    const seqs = this.seq;
    const t = times[from]!;
    const s = seqs[from]!;
    const tg = this.tag[from]!;
    const f = this.fn[from];
    const a = this.arg[from];
    const n = this.count;
    const half = n >> 1;
    let i = 0;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < n) {
        const ct = times[child]!;
        const rt = times[right]!;
        if (rt < ct || (rt === ct && seqs[right]! < seqs[child]!)) child = right;
      }
      const ct = times[child]!;
      if (t < ct || (t === ct && s < seqs[child]!)) break;
      this.move(child, i);
      i = child;
    }
    times[i] = t;
    seqs[i] = s;
    this.tag[i] = tg;
    this.fn[i] = f;
    this.arg[i] = a;
  }

  private move(from: number, to: number): void {
    this.timeNs[to] = this.timeNs[from]!;
    this.seq[to] = this.seq[from]!;
    this.tag[to] = this.tag[from]!;
    this.fn[to] = this.fn[from];
    this.arg[to] = this.arg[from];
  }

  private grow(): void {
    const capacity = this.timeNs.length * 2;
    const grownTimes = new Float64Array(capacity);
    grownTimes.set(this.timeNs);
    this.timeNs = grownTimes;
    const grownSeq = new Float64Array(capacity);
    grownSeq.set(this.seq);
    this.seq = grownSeq;
    const grownTag = new Float64Array(capacity);
    grownTag.set(this.tag);
    this.tag = grownTag;
    this.fn.length = capacity;
    this.arg.length = capacity;
  }
}
