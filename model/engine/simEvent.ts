/**
 * A one-shot event that processes can wait on and callbacks can subscribe to: it is triggered
 * once, with a value (`succeed`) or an error (`fail`). Waiters are released at the current time
 * through the event list, in the order they started waiting, so triggering is deterministic and
 * never re-enters the code that triggered it. `anyOf` / `allOf` compose events (SimPy's Condition).
 */
import type { Simulation } from './simulation.ts';
import { SUSPEND, type Process, type Wait } from './process.ts';

type Subscriber<T> = (ev: SimEvent<T>) => void;

interface ProcessWaiter {
  proc: Process<unknown>;
  epoch: number;
}

export class SimEvent<T = void> {
  private triggeredFlag = false;
  private okFlag = true;
  private valueOrError: unknown = undefined;
  private waiters: (ProcessWaiter | Subscriber<T>)[] = [];

  constructor(readonly sim: Simulation) {}

  get triggered(): boolean {
    return this.triggeredFlag;
  }

  /** True once triggered with `succeed`; false after `fail`. */
  get ok(): boolean {
    return this.triggeredFlag && this.okFlag;
  }

  get value(): T {
    if (!this.triggeredFlag) throw new Error('event has not been triggered yet');
    if (!this.okFlag) throw this.valueOrError;
    return this.valueOrError as T;
  }

  get hasWaiters(): boolean {
    return this.waiters.length > 0;
  }

  succeed(value: T): this {
    this.trigger(true, value);
    return this;
  }

  fail(error: Error): this {
    this.trigger(false, error);
    return this;
  }

  /** Calls `fn(event)` once the event is triggered (at the time of triggering, in order). */
  subscribe(fn: Subscriber<T>): void {
    if (this.triggeredFlag) {
      this.sim.schedule(0, callSubscriber, { fn, ev: this }, 0);
    } else {
      this.waiters.push(fn);
    }
  }

  /** Suspends the calling process until the event is triggered; returns its value. */
  *wait(): Wait<T> {
    if (this.triggeredFlag) return this.value;
    const proc = this.sim.requireActiveProcess('event.wait()');
    const waiter: ProcessWaiter = { proc, epoch: proc.epoch };
    this.waiters.push(waiter);
    try {
      yield SUSPEND;
    } catch (e) {
      const i = this.waiters.indexOf(waiter);
      if (i >= 0) this.waiters.splice(i, 1);
      throw e;
    }
    return this.value;
  }

  private trigger(ok: boolean, valueOrError: unknown): void {
    if (this.triggeredFlag) throw new Error('event has already been triggered');
    this.triggeredFlag = true;
    this.okFlag = ok;
    this.valueOrError = valueOrError;
    if (this.waiters.length > 0) this.sim.schedule(0, dispatch, this, 0);
  }

  /** Kernel internal: release every waiter, in the order they arrived. */
  releaseWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (typeof w === 'function') {
        w(this);
      } else if (w.epoch === w.proc.epoch && w.proc.state === 'suspended') {
        if (this.okFlag) w.proc.step(this.valueOrError);
        else w.proc.step(undefined, this.valueOrError as Error);
      }
    }
  }
}

function dispatch(ev: SimEvent<unknown>): void {
  ev.releaseWaiters();
}

function callSubscriber(x: { fn: Subscriber<unknown>; ev: SimEvent<unknown> }): void {
  x.fn(x.ev);
}

/** Succeeds with `{ index, value }` of the first of `events` to succeed (fails if it fails). */
export function anyOf<T>(sim: Simulation, events: readonly SimEvent<T>[]): SimEvent<{ index: number; value: T }> {
  if (events.length === 0) throw new RangeError('anyOf needs at least one event, got 0');
  const cond = new SimEvent<{ index: number; value: T }>(sim);
  events.forEach((ev, index) => {
    ev.subscribe((e) => {
      if (cond.triggered) return;
      if (e.ok) cond.succeed({ index, value: e.value });
      else cond.fail(errorOf(e));
    });
  });
  return cond;
}

/** Succeeds with every value, in order, once all of `events` have succeeded (fails on the first failure). */
export function allOf<T>(sim: Simulation, events: readonly SimEvent<T>[]): SimEvent<T[]> {
  const cond = new SimEvent<T[]>(sim);
  let remaining = events.length;
  if (remaining === 0) return cond.succeed([]);
  for (const ev of events) {
    ev.subscribe((e) => {
      if (cond.triggered) return;
      if (!e.ok) {
        cond.fail(errorOf(e));
        return;
      }
      if (--remaining === 0) cond.succeed(events.map((x) => x.value));
    });
  }
  return cond;
}

function errorOf<T>(ev: SimEvent<T>): Error {
  try {
    void ev.value;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
  return new Error('event failed');
}
