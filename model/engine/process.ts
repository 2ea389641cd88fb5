/**
 * Processes: synchronous generators that suspend by `yield*`-ing a wait (a timeout, a resource
 * request, a store get, an event) and are resumed by the simulation. Generators rather than
 * async functions: a resume is a plain function call, not a microtask, so the engine stays
 * deterministic and fast, and `yield*` hands each wait's typed result back to the caller.
 */
import type { Simulation } from './simulation.ts';
import { SimEvent } from './simEvent.ts';

/** The one value a process yields to the kernel: "I am suspended; something will resume me". */
export const SUSPEND: unique symbol = Symbol('svcpath.suspend');
export type Suspend = typeof SUSPEND;

/** Something a process can `yield*`: it may suspend the process and finally returns a T. */
export type Wait<T> = Iterable<Suspend, T, unknown>;

/** The body of a process: `function* customer(): ProcessBody { yield* sim.timeout(5); }`. */
export type ProcessBody<R = void> = Generator<Suspend, R, unknown>;

/** Thrown into a process at its current wait by `Process.interrupt(cause)`. */
export class Interrupt extends Error {
  constructor(
    override readonly cause: unknown,
    /** The process it is delivered to. */
    readonly target?: Process<any>,
  ) {
    super(`interrupted${cause === undefined ? '' : `: ${String(cause)}`}`);
    this.name = 'Interrupt';
  }
}

/** Raised out of `Simulation.run()` when a process throws and nobody waits on it. */
export class ProcessError extends Error {
  constructor(readonly processName: string, readonly error: unknown) {
    super(`process "${processName}" failed: ${error instanceof Error ? error.message : String(error)}`);
    this.name = 'ProcessError';
  }
}

export type ProcessState = 'scheduled' | 'suspended' | 'running' | 'finished' | 'failed';

export class Process<R = void> {
  /**
   * Incremented every time the process is resumed. A wake-up carries the epoch it was issued
   * for, so a stale one (the process was interrupted, or another wait of an any-of won) is
   * recognised and ignored without having to find and cancel it in the event heap.
   */
  epoch = 0;
  state: ProcessState = 'scheduled';
  result: R | undefined = undefined;
  /** Value handed to the process by the wait that resumes it (kernel internal). */
  resumeValue: unknown = undefined;
  /** The reusable wait the process is suspended in, if any (kernel internal). */
  waitingIn: object | null = null;
  /** What that wait needs to undo itself on an interrupt, e.g. the place in a line (kernel internal). */
  waitToken: unknown = undefined;
  private doneEvent: SimEvent<R> | null = null;

  constructor(
    readonly sim: Simulation,
    private readonly body: ProcessBody<R>,
    /** Creation number within the simulation. */
    readonly id: number,
    private readonly givenName?: string,
  ) {}

  /** The name given at creation, else `process-<id>` (built only when asked for). */
  get name(): string {
    return this.givenName ?? `process-${this.id}`;
  }

  get isAlive(): boolean {
    return this.state !== 'finished' && this.state !== 'failed';
  }

  /** An event that succeeds with the process's return value when it finishes. */
  get done(): SimEvent<R> {
    if (this.doneEvent === null) {
      this.doneEvent = new SimEvent<R>(this.sim);
      if (this.state === 'finished') this.doneEvent.succeed(this.result as R);
    }
    return this.doneEvent;
  }

  /** Waits for this process to finish and returns its result (rethrows its failure). */
  join(): Wait<R> {
    return this.done.wait();
  }

  /**
   * Throws an `Interrupt(cause)` into the process at its current wait, at the current time
   * (after events already scheduled for this instant). The wait it was in is cancelled.
   */
  interrupt(cause?: unknown): void {
    if (!this.isAlive) {
      throw new Error(`cannot interrupt process "${this.name}": it has already ${this.state}`);
    }
    if (this.sim.activeProcess === this) {
      throw new Error(`process "${this.name}" cannot interrupt itself`);
    }
    this.sim.schedule(0, deliverInterrupt, new Interrupt(cause, this), 0);
  }

  /** Runs the body until its next suspension or its end. Kernel internal. */
  step(value: unknown, error?: Interrupt | Error): void {
    const sim = this.sim;
    const previous = sim.activeProcess;
    sim.activeProcess = this;
    this.state = 'running';
    this.epoch++;
    let r: IteratorResult<Suspend, R>;
    try {
      r = error === undefined ? this.body.next(value) : this.body.throw(error);
    } catch (e) {
      sim.activeProcess = previous;
      this.fail(e);
      return;
    }
    sim.activeProcess = previous;
    if (r.done) {
      this.state = 'finished';
      this.result = r.value;
      if (this.doneEvent !== null) this.doneEvent.succeed(r.value);
    } else if (r.value === SUSPEND) {
      this.state = 'suspended';
    } else {
      this.fail(
        new TypeError(
          `process "${this.name}" yielded ${String(r.value)}; a process may only yield* engine waits ` +
            '(sim.timeout, resource.request, store.get, event.wait, ...)',
        ),
      );
    }
  }

  private fail(e: unknown): void {
    this.state = 'failed';
    const ev = this.doneEvent;
    if (ev !== null && ev.hasWaiters) {
      ev.fail(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    throw e instanceof ProcessError ? e : new ProcessError(this.name, e);
  }
}

/** Event action: resume `proc` with its stored resume value if the wake-up is not stale. */
export function resumeProcess(proc: Process<unknown>, epoch: number): void {
  if (epoch !== proc.epoch || proc.state !== 'suspended') return;
  const value = proc.resumeValue;
  proc.resumeValue = undefined;
  proc.step(value);
}

function deliverInterrupt(interrupt: Interrupt): void {
  const proc = interrupt.target!;
  // It may have finished between the call to interrupt() and now: nothing left to interrupt.
  if (proc.state !== 'suspended') return;
  proc.resumeValue = undefined;
  proc.step(undefined, interrupt);
}

/** Event action: start a freshly created process. */
export function startProcess(proc: Process<unknown>): void {
  if (proc.state === 'scheduled') proc.step(undefined);
}
