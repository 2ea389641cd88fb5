/**
 * Resource: `capacity` identical slots (CPU cores, servers) that users hold exclusively. Like the
 * pumps of a petrol station: a car takes a free pump or joins the line, and a pump that frees up
 * goes to the first car in line (FIFO) or to the most urgent one (priority: lower number first,
 * FIFO among equals; no pre-emption). A grant returns the slot index, which is what `release`
 * takes back, so releasing a slot that is not held is caught. Monitors: slots busy and line
 * length (time-weighted) and waiting time per grant.
 */
import type { Simulation } from './simulation.ts';
import type { Process, Wait } from './process.ts';
import { ReusableWait, SUSPENDS } from './reusableWait.ts';
import { FifoLine, PriorityLine, type LineWaiter, type RequestLine } from './requestLine.ts';
import type { GrantCallback } from './waiter.ts';
import { TimeWeighted } from './stats/timeWeighted.ts';
import { LineLengthMonitor } from './lineLengthMonitor.ts';
import { Welford } from './stats/welford.ts';

export interface ResourceOptions {
  /** Number of slots, a positive integer. */
  capacity: number;
  /** Order of the waiting line. Default 'fifo'. */
  discipline?: 'fifo' | 'priority';
  /** Used in error messages. */
  name?: string;
}

export class Resource {
  readonly capacity: number;
  readonly name: string;
  /** Slots in use over time; `busy.meanAt(now) / capacity` is the utilisation. */
  readonly busy: TimeWeighted;
  /** Requests waiting over time (time-weighted, derived from the waits). */
  readonly queueLength: LineLengthMonitor;
  /** Waiting time of every grant (0 for immediate ones), ns. */
  readonly waitNs = new Welford();

  private readonly freeSlots: Int32Array;
  private freeCount: number;
  private readonly held: Uint8Array;
  private readonly line: RequestLine;
  private readonly requestWait: RequestWait;

  constructor(
    readonly sim: Simulation,
    options: ResourceOptions,
  ) {
    const { capacity, discipline = 'fifo', name = 'resource' } = options;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`${name}: capacity must be a positive integer, got ${capacity}`);
    }
    if (discipline !== 'fifo' && discipline !== 'priority') {
      throw new RangeError(`${name}: discipline must be 'fifo' or 'priority', got ${String(discipline)}`);
    }
    this.capacity = capacity;
    this.name = name;
    this.freeSlots = new Int32Array(capacity);
    // Hand out slot 0 first: a pop from the end of [capacity-1, ..., 0].
    for (let i = 0; i < capacity; i++) this.freeSlots[i] = capacity - 1 - i;
    this.freeCount = capacity;
    this.held = new Uint8Array(capacity);
    this.line = discipline === 'fifo' ? new FifoLine() : new PriorityLine();
    this.requestWait = new RequestWait(this);
    this.busy = new TimeWeighted(sim.nowNs, 0);
    this.queueLength = new LineLengthMonitor(this.line, sim.nowNs);
  }

  /** Slots currently held. */
  get inUse(): number {
    return this.capacity - this.freeCount;
  }

  /** Requests currently waiting. */
  get waiting(): number {
    return this.line.length;
  }

  /** Utilisation since the last reset: mean busy slots / capacity. */
  utilization(): number {
    return this.busy.meanAt(this.sim.nowNs) / this.capacity;
  }

  /** Takes a free slot now if there is one and nobody is waiting; returns it, or -1. */
  tryAcquire(): number {
    if (this.freeCount === 0 || this.line.length > 0) return -1;
    this.waitNs.add(0);
    return this.take();
  }

  /**
   * Callback style: `fn(slot, arg, waitedNs)` runs as soon as a slot is granted — immediately,
   * inside this call (waitedNs 0), when one is free and nobody is waiting.
   */
  acquire<A>(fn: GrantCallback<number, A>, arg: A, priority = 0): void {
    if (this.freeCount > 0 && this.line.length === 0) {
      this.waitNs.add(0);
      fn(this.take(), arg, 0);
      return;
    }
    this.enqueue(fn, arg, priority);
  }

  /**
   * Process style: `const slot = yield* cores.request()`. Lower `priority` is served first.
   * `yield*` it at once: the wait object is reused.
   */
  request(priority = 0): Wait<number> {
    const op = this.requestWait;
    op.priority = priority;
    return op;
  }

  /** Gives `slot` back; the first waiter in line (if any) gets it at once. */
  release(slot: number): void {
    if (!(slot >= 0 && slot < this.capacity && Number.isInteger(slot)) || this.held[slot] === 0) {
      throw notHeld(this, slot);
    }
    if (this.line.length === 0) {
      this.held[slot] = 0;
      this.freeSlots[this.freeCount++] = slot;
      this.busy.update(this.sim.nowNs, this.capacity - this.freeCount);
      return;
    }
    this.handOver(slot);
  }

  /** Hands `slot` straight to the first in line: it stays held, busy count unchanged. */
  private handOver(slot: number): void {
    const line = this.line;
    const waiter = line.headWaiter();
    const arg = line.headArg();
    const sinceNs = line.headSinceNs();
    line.dropHead();
    const nowNs = this.sim.nowNs;
    const waitedNs = nowNs - sinceNs;
    this.queueLength.left(sinceNs, nowNs);
    this.waitNs.add(waitedNs);
    if (typeof waiter === 'function') {
      waiter(slot, arg, waitedNs);
    } else {
      // Until it resumes, an interrupt must give this slot back (see cancel).
      waiter.waitToken = slot;
      this.sim.wake(waiter, slot);
    }
  }

  /** Restarts the monitors at the current time (warm-up deletion). */
  resetStats(): void {
    const nowNs = this.sim.nowNs;
    this.busy.reset(nowNs);
    this.queueLength.reset(nowNs);
    this.waitNs.reset();
  }

  /** Kernel internal: a free slot now, or -1 after putting `proc` in line. */
  beginRequest(proc: Process<any>, priority: number): number {
    if (this.freeCount > 0 && this.line.length === 0) {
      this.waitNs.add(0);
      return this.take();
    }
    proc.waitToken = IN_LINE;
    this.enqueue(proc, undefined, priority);
    return -1;
  }

  private take(): number {
    const slot = this.freeSlots[--this.freeCount]!;
    this.held[slot] = 1;
    this.busy.update(this.sim.nowNs, this.capacity - this.freeCount);
    return slot;
  }

  private enqueue(waiter: LineWaiter, arg: unknown, priority: number): void {
    this.line.push(waiter, arg, this.sim.nowNs, priority);
    this.queueLength.joined(this.line.length);
  }

  /** An interrupted process leaves the line, or returns the slot it was handed but never saw. */
  cancel(proc: Process<any>): void {
    const token = proc.waitToken as number;
    proc.waitToken = undefined;
    if (token !== IN_LINE) {
      this.release(token);
    } else {
      const sinceNs = this.line.remove(proc);
      if (sinceNs >= 0) this.queueLength.left(sinceNs, this.sim.nowNs);
    }
  }
}

/** `waitToken` of a process still in line; once granted it holds the slot (>= 0). */
const IN_LINE = -1;

class RequestWait extends ReusableWait<number> {
  priority = 0;
  protected readonly label: string;
  constructor(private readonly resource: Resource) {
    super(resource.sim);
    this.label = `${resource.name}.request()`;
  }
  protected begin(proc: Process<any>): number | typeof SUSPENDS {
    const slot = this.resource.beginRequest(proc, this.priority);
    return slot >= 0 ? slot : SUSPENDS;
  }
  protected override cancel(proc: Process<any>): void {
    this.resource.cancel(proc);
  }
}

// Built out of line so the hot release() stays small enough to inline.
function notHeld(resource: Resource, slot: number): Error {
  return new Error(
    `${resource.name}: release(${slot}) of a slot that is not held (held slots are integers in [0, ${resource.capacity - 1}] returned by a grant)`,
  );
}
