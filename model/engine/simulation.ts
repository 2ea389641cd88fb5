/**
 * The kernel: an integer-nanosecond clock and a future-event list ordered by (timeNs, seq).
 * Two styles share it: callbacks (`schedule(delayNs, fn, arg)`) for hot paths, and generator
 * processes (`sim.process(body)`, `yield* sim.timeout(ns)`) for readable models. A run is a pure
 * function of its inputs: no wall clock, no Math.random, and ties run in scheduling order.
 */
import { EventQueue, type EventFn } from './eventQueue.ts';
import { NowQueue } from './nowQueue.ts';
import { Process, resumeProcess, startProcess, type ProcessBody, type Wait } from './process.ts';
import { ReusableWait, SUSPENDS } from './reusableWait.ts';
import { SimEvent, allOf, anyOf } from './simEvent.ts';
import { MAX_TIME_NS } from '../units.ts';

export class Simulation {
  private clockNs = 0;
  private nextSeq = 0;
  private readonly heap = new EventQueue();
  private readonly lane = new NowQueue();
  private running = false;
  private stopRequested = false;
  private processCount = 0;
  private readonly timeoutWait = new TimeoutWait(this);

  /** The process whose body is executing right now, or null in callback code. */
  activeProcess: Process<any> | null = null;
  /** Events executed so far (including stale wake-ups that turned out to be no-ops). */
  eventsProcessed = 0;

  /** Current simulated time, integer nanoseconds. */
  get nowNs(): number {
    return this.clockNs;
  }

  /** Number of events waiting to run. */
  get pendingEvents(): number {
    return this.heap.size + this.lane.size;
  }

  /** Time of the next event, or Infinity when there is none. */
  peekNs(): number {
    return this.lane.size > 0 ? this.clockNs : this.heap.peekTimeNs();
  }

  /**
   * Runs `fn(arg, tag)` after `delayNs` (a non-negative integer). Events at the same time run in
   * the order they were scheduled.
   */
  schedule(delayNs: number, fn: EventFn, arg?: unknown, tag = 0): void {
    if (delayNs === 0) {
      this.lane.push(this.nextSeq++, fn, arg, tag);
      return;
    }
    if (!(delayNs > 0) || !Number.isInteger(delayNs)) throw invalidDelay(delayNs);
    const timeNs = this.clockNs + delayNs;
    if (timeNs > MAX_TIME_NS) throw timeOverflow(timeNs);
    this.heap.push(timeNs, this.nextSeq++, fn, arg, tag);
  }

  /** Runs `fn(arg, tag)` at absolute time `timeNs` (not in the past). */
  scheduleAt(timeNs: number, fn: EventFn, arg?: unknown, tag = 0): void {
    if (!Number.isInteger(timeNs) || timeNs < this.clockNs) {
      throw new RangeError(
        `timeNs must be an integer >= the current time ${this.clockNs} ns, got ${timeNs}`,
      );
    }
    this.schedule(timeNs - this.clockNs, fn, arg, tag);
  }

  /** Executes the next event. Returns false when there is none. */
  step(): boolean {
    return this.stepBefore(Infinity);
  }

  /** Runs until no event is left or `stop()` is called. */
  run(): void {
    this.enterRun();
    try {
      this.runBefore(Infinity);
    } finally {
      this.running = false;
    }
  }

  /**
   * Runs every event scheduled strictly before `untilNs`, then sets the clock to `untilNs`.
   * Consecutive calls therefore cover half-open windows [t0, t1), [t1, t2), ...
   */
  runUntil(untilNs: number): void {
    if (!Number.isInteger(untilNs) || untilNs < this.clockNs || untilNs > MAX_TIME_NS) {
      throw new RangeError(
        `untilNs must be an integer between the current time ${this.clockNs} and ${MAX_TIME_NS} ns, got ${untilNs}`,
      );
    }
    this.enterRun();
    try {
      this.runBefore(untilNs);
      if (!this.stopRequested) this.clockNs = untilNs;
    } finally {
      this.running = false;
    }
  }

  /** The event loop of run and runUntil. */
  private runBefore(untilNs: number): void {
    while (!this.stopRequested && this.stepBefore(untilNs));
  }

  /**
   * Executes the next event if it is before `untilNs`; false when there is none. Lane entries are
   * all at the current time (before the bound); a heap entry at the same time that was scheduled
   * earlier (smaller seq) goes first.
   */
  private stepBefore(untilNs: number): boolean {
    const heap = this.heap;
    const lane = this.lane;
    if (lane.size > 0 && !(heap.peekTimeNs() === this.clockNs && heap.peekSeq() < lane.peekSeq())) {
      const i = lane.pop();
      const fn = lane.fnOf(i);
      const arg = lane.argOf(i);
      const tag = lane.tagOf(i);
      lane.free(i);
      this.eventsProcessed++;
      fn(arg, tag);
      return true;
    }
    if (!(heap.peekTimeNs() < untilNs)) return false;
    const slot = heap.pop();
    if (slot < 0) return false;
    this.clockNs = heap.poppedTimeNs;
    const fn = heap.fnOf(slot);
    const arg = heap.argOf(slot);
    const tag = heap.tagOf(slot);
    heap.free(slot);
    this.eventsProcessed++;
    fn(arg, tag);
    return true;
  }

  /** Ends the current `run`/`runUntil` after the event that is executing. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Discards every pending event (the clock stays where it is). */
  clearEvents(): void {
    this.heap.clear();
    this.lane.clear();
  }

  // ---- processes -------------------------------------------------------------------------

  /** Starts a process at the current time (after the events already scheduled for now). */
  process<R>(body: ProcessBody<R>, name?: string): Process<R> {
    const proc = new Process<R>(this, body, this.processCount++, name);
    this.schedule(0, startProcess, proc, 0);
    return proc;
  }

  /** The running process; throws a clear error when a wait is used outside one. */
  requireActiveProcess(what: string): Process<any> {
    const p = this.activeProcess;
    if (p === null) throw this.outsideProcess(what);
    return p;
  }

  /** The error for a wait used outside a process (built out of line, off the hot paths). */
  outsideProcess(what: string): Error {
    return new Error(`${what} can only be used inside a process (yield* it from a generator started with sim.process)`);
  }

  /** Suspends the calling process for `delayNs` (`yield*` it at once: the wait object is reused). */
  timeout(delayNs: number): Wait<void> {
    const op = this.timeoutWait;
    op.delayNs = delayNs;
    return op;
  }

  /** Resumes `proc` at the current time with `value` as the result of its wait (kernel internal). */
  wake(proc: Process<any>, value: unknown): void {
    proc.resumeValue = value;
    this.schedule(0, resumeProcess, proc, proc.epoch);
  }

  // ---- events ------------------------------------------------------------------------------

  /** A fresh, untriggered event. */
  event<T = void>(): SimEvent<T> {
    return new SimEvent<T>(this);
  }

  /** An event that succeeds with `value` after `delayNs`. */
  timeoutEvent<T = void>(delayNs: number, value?: T): SimEvent<T> {
    const ev = new SimEvent<T>(this);
    this.schedule(delayNs, succeedEvent, { ev, value }, 0);
    return ev;
  }

  /** Waits until the first of `events` succeeds; returns its index and value. */
  anyOf<T>(events: readonly SimEvent<T>[]): Wait<{ index: number; value: T }> {
    return anyOf(this, events).wait();
  }

  /** Waits until all of `events` have succeeded; returns their values in order. */
  allOf<T>(events: readonly SimEvent<T>[]): Wait<T[]> {
    return allOf(this, events).wait();
  }

  private enterRun(): void {
    if (this.running) throw new Error('run()/runUntil() called from inside an event: the simulation is already running');
    this.running = true;
    this.stopRequested = false;
  }
}

class TimeoutWait extends ReusableWait<void> {
  delayNs = 0;
  protected readonly label = 'sim.timeout()';
  protected begin(proc: Process<any>): typeof SUSPENDS {
    this.sim.schedule(this.delayNs, resumeProcess, proc, proc.epoch);
    return SUSPENDS;
  }
}

function succeedEvent(x: { ev: SimEvent<unknown>; value: unknown }): void {
  x.ev.succeed(x.value);
}

function invalidDelay(delayNs: number): RangeError {
  return new RangeError(
    `delayNs must be a non-negative integer number of nanoseconds, got ${delayNs}` +
      (Number.isFinite(delayNs) && delayNs > 0 ? ' (round it, e.g. with Math.round)' : ''),
  );
}

function timeOverflow(timeNs: number): RangeError {
  return new RangeError(
    `event time ${timeNs} ns is beyond the engine's limit of 2^53-1 ns (about 104 days of simulated time)`,
  );
}
