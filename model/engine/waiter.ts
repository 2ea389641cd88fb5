/**
 * A place in a waiting line (resource, store, container): either a suspended process or a
 * callback. Granting a process wakes it through the event list at the current time; granting a
 * callback calls it at once. `granted` lets an interrupted process tell "still queued" (leave the
 * line) from "already served, not yet resumed" (give back what it was handed).
 */
import type { Simulation } from './simulation.ts';
import type { Process } from './process.ts';

/**
 * A callback waiter: called with what was granted, the argument it was queued with, and how long
 * it waited for it (ns; 0 when granted at once), so a model need not carry its request time along.
 */
export type GrantCallback<V, A> = (value: V, arg: A, waitedNs: number) => void;

export interface Waiter {
  readonly proc: Process<any> | null;
  readonly fn: GrantCallback<any, any> | null;
  readonly arg: unknown;
  /** Lower runs first (priority lines only). */
  readonly priority: number;
  /** Arrival order in the line: FIFO among equal priorities. */
  readonly seq: number;
  /** When the wait began, ns. */
  readonly sinceNs: number;
  /** What the waiter brings or asks for (an item to put, an amount). */
  readonly payload: unknown;
  granted: boolean;
  /** What the grant handed over (a slot, an item), kept for an interrupted process to give back. */
  grantedValue: unknown;
}

export function processWaiter(proc: Process<any>, priority: number, seq: number, sinceNs: number, payload: unknown): Waiter {
  return { proc, fn: null, arg: undefined, priority, seq, sinceNs, payload, granted: false, grantedValue: undefined };
}

export function callbackWaiter(
  fn: GrantCallback<any, any>,
  arg: unknown,
  priority: number,
  seq: number,
  sinceNs: number,
  payload: unknown,
): Waiter {
  return { proc: null, fn, arg, priority, seq, sinceNs, payload, granted: false, grantedValue: undefined };
}

/** Hands `value` to the waiter: wakes its process now, or calls its callback. */
export function grant(sim: Simulation, w: Waiter, value: unknown): void {
  w.granted = true;
  w.grantedValue = value;
  if (w.proc !== null) sim.wake(w.proc, value);
  else w.fn!(value, w.arg, sim.nowNs - w.sinceNs);
}
