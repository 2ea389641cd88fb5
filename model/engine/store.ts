/**
 * Store: a bounded FIFO buffer of items (a NIC ring, a socket backlog). Producers put items,
 * consumers get them in arrival order. When it is full, `put` waits for room and `tryPut` refuses
 * (drop-tail, counted in `drops`); when it is empty, `get` waits. An item put while a consumer is
 * waiting goes straight to that consumer. Monitors: level (time-weighted) and counters.
 */
import type { Simulation } from './simulation.ts';
import { SUSPEND, type Wait } from './process.ts';
import { FifoQueue } from './fifoQueue.ts';
import { callbackWaiter, grant, processWaiter, type GrantCallback, type Waiter } from './waiter.ts';
import { TimeWeighted } from './stats/timeWeighted.ts';

export interface StoreOptions {
  /** Maximum items held, a positive integer or Infinity. Default Infinity. */
  capacity?: number;
  /** Used in error messages. */
  name?: string;
}

export class Store<T> {
  readonly capacity: number;
  readonly name: string;
  /** Items in the buffer over time. */
  readonly level: TimeWeighted;
  /** Items refused by `tryPut` because the store was full. */
  drops = 0;
  /** Items accepted (into the buffer or handed to a waiting consumer). */
  puts = 0;
  /** Items handed to consumers. */
  gets = 0;

  private readonly items = new FifoQueue<T>();
  private readonly getters = new FifoQueue<Waiter>();
  private readonly putters = new FifoQueue<Waiter>();
  private lineSeq = 0;

  constructor(
    readonly sim: Simulation,
    options: StoreOptions = {},
  ) {
    const { capacity = Infinity, name = 'store' } = options;
    if (!(capacity === Infinity || (Number.isInteger(capacity) && capacity >= 1))) {
      throw new RangeError(`${name}: capacity must be a positive integer or Infinity, got ${capacity}`);
    }
    this.capacity = capacity;
    this.name = name;
    this.level = new TimeWeighted(sim.nowNs, 0);
  }

  /** Items in the buffer now. */
  get size(): number {
    return this.items.length;
  }

  get isFull(): boolean {
    return this.items.length >= this.capacity;
  }

  /** Consumers waiting for an item. */
  get waitingGetters(): number {
    return this.getters.length;
  }

  /** Producers waiting for room. */
  get waitingPutters(): number {
    return this.putters.length;
  }

  /** Drop-tail put: accepts the item if there is room (or a waiting consumer), else counts a drop. */
  tryPut(item: T): boolean {
    if (this.putters.length === 0 && this.accept(item)) return true;
    this.drops++;
    return false;
  }

  /** Takes the oldest item now; undefined when the store is empty. */
  tryGet(): T | undefined {
    if (this.items.length === 0) return undefined;
    return this.takeOldest();
  }

  /** Process style: waits for room if the store is full. */
  *put(item: T): Wait<void> {
    if (this.putters.length === 0 && this.accept(item)) return;
    const proc = this.sim.requireActiveProcess(`${this.name}.put()`);
    const w = processWaiter(proc, 0, this.lineSeq++, this.sim.nowNs, item);
    this.putters.push(w);
    try {
      yield SUSPEND;
    } catch (e) {
      if (!w.granted) this.putters.remove(w);
      // A granted put already placed its item; the interrupt does not take it back.
      throw e;
    }
  }

  /** Process style: `const item = yield* ring.get()`, waiting while the store is empty. */
  *get(): Wait<T> {
    if (this.items.length > 0) return this.takeOldest();
    const proc = this.sim.requireActiveProcess(`${this.name}.get()`);
    const w = processWaiter(proc, 0, this.lineSeq++, this.sim.nowNs, undefined);
    this.getters.push(w);
    try {
      return (yield SUSPEND) as T;
    } catch (e) {
      if (!w.granted) this.getters.remove(w);
      // The item handed over but not yet seen goes back to the front, so it is not lost.
      else this.returnToFront(w.grantedValue as T);
      throw e;
    }
  }

  /** Callback style get: `fn(item, arg, waitedNs)` runs when an item is available (at once, waitedNs 0, if there is one). */
  getThen<A>(fn: GrantCallback<T, A>, arg: A): void {
    if (this.items.length > 0) {
      fn(this.takeOldest(), arg, 0);
      return;
    }
    this.getters.push(callbackWaiter(fn, arg, 0, this.lineSeq++, this.sim.nowNs, undefined));
  }

  /** Restarts the level monitor at the current time (warm-up deletion) and zeroes the counters. */
  resetStats(): void {
    this.level.reset(this.sim.nowNs);
    this.drops = 0;
    this.puts = 0;
    this.gets = 0;
  }

  /** Places an item if possible (to a waiting consumer first). */
  private accept(item: T): boolean {
    const getter = this.getters.shift();
    if (getter !== undefined) {
      this.puts++;
      this.gets++;
      grant(this.sim, getter, item);
      return true;
    }
    if (this.items.length >= this.capacity) return false;
    this.items.push(item);
    this.puts++;
    this.level.update(this.sim.nowNs, this.items.length);
    return true;
  }

  private takeOldest(): T {
    const item = this.items.shift() as T;
    this.gets++;
    // Room has opened: admit the first waiting producer.
    const putter = this.putters.shift();
    if (putter !== undefined) {
      this.items.push(putter.payload as T);
      this.puts++;
      grant(this.sim, putter, undefined);
    }
    this.level.update(this.sim.nowNs, this.items.length);
    return item;
  }

  /**
   * An interrupted consumer never saw the item it was handed: the next waiting consumer gets it,
   * else it goes back to the front if there is room, else it is counted as a drop.
   */
  private returnToFront(item: T): void {
    this.gets--;
    const getter = this.getters.shift();
    if (getter !== undefined) {
      this.gets++;
      grant(this.sim, getter, item);
    } else if (this.items.length < this.capacity) {
      this.items.unshift(item);
      this.level.update(this.sim.nowNs, this.items.length);
    } else {
      this.drops++;
    }
  }
}
