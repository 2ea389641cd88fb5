/**
 * Allocation-free waits for the hottest operations (timeouts, resource requests). A generator per
 * wait costs an object and a frame each time; this iterator is created once per owner and reused:
 * the owner writes the call's parameters into it and returns it, and `yield*` drives it at once.
 * Whether a `next()` call begins a wait or ends it is read from the process (`waitingIn`), since a
 * process is in at most one wait at a time, so the shared object carries no per-wait state.
 */
import type { Simulation } from './simulation.ts';
import type { Process, Suspend } from './process.ts';
import { SUSPEND } from './process.ts';

/** Returned by `begin` when the process must suspend. */
export const SUSPENDS: unique symbol = Symbol('svcpath.suspends');

const SUSPENDED_RESULT: IteratorYieldResult<Suspend> = { done: false, value: SUSPEND };
// yield* reads a result's fields at once, so one mutable record serves every completion.
const DONE_RESULT: { done: true; value: unknown } = { done: true, value: undefined };

export abstract class ReusableWait<T> implements Iterator<Suspend, T, unknown>, Iterable<Suspend, T, unknown> {
  constructor(readonly sim: Simulation) {}

  /** Starts the wait for `proc`: returns the result at once, or SUSPENDS after arranging a wake-up. */
  protected abstract begin(proc: Process<any>): T | typeof SUSPENDS;

  /** Undoes a wait that ends by an exception (an interrupt) instead of a wake-up. */
  protected cancel(_proc: Process<any>): void {}

  /** Names the operation in the "outside a process" error. */
  protected abstract readonly label: string;

  [Symbol.iterator](): this {
    return this;
  }

  next(resumeValue?: unknown): IteratorResult<Suspend, T> {
    const proc = this.sim.activeProcess;
    if (proc === null) throw this.sim.outsideProcess(this.label);
    if (proc.waitingIn === this) {
      proc.waitingIn = null;
      DONE_RESULT.value = resumeValue;
      return DONE_RESULT as IteratorReturnResult<T>;
    }
    const r = this.begin(proc);
    if (r === SUSPENDS) {
      proc.waitingIn = this;
      return SUSPENDED_RESULT;
    }
    DONE_RESULT.value = r;
    return DONE_RESULT as IteratorReturnResult<T>;
  }

  throw(error: unknown): IteratorResult<Suspend, T> {
    this.leave();
    throw error;
  }

  return(value?: unknown): IteratorResult<Suspend, T> {
    this.leave();
    return { done: true, value: value as T };
  }

  private leave(): void {
    const proc = this.sim.activeProcess;
    if (proc !== null && proc.waitingIn === this) {
      proc.waitingIn = null;
      this.cancel(proc);
    }
  }
}
