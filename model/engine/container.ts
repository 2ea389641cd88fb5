/**
 * Container: an amount of something between 0 and `capacity` (memory bytes, tokens in a bucket),
 * like a fuel tank. `get(amount)` waits until that much is there; `put(amount)` waits until it
 * fits. Both lines are strict FIFO: a large request at the head holds back smaller ones behind it
 * (no overtaking), which is what a kernel allocator queue or SimPy's Container does.
 * Monitors: level (time-weighted).
 */
import type { Simulation } from './simulation.ts';
import { SUSPEND, type Wait } from './process.ts';
import { FifoQueue } from './fifoQueue.ts';
import { callbackWaiter, grant, processWaiter, type GrantCallback, type Waiter } from './waiter.ts';
import { TimeWeighted } from './stats/timeWeighted.ts';

export interface ContainerOptions {
  /** Largest level, > 0 (Infinity allowed). Default Infinity. */
  capacity?: number;
  /** Starting level, 0..capacity. Default 0. */
  initialLevel?: number;
  /** Used in error messages. */
  name?: string;
}

export class Container {
  readonly capacity: number;
  readonly name: string;
  /** The level over time. */
  readonly levelMonitor: TimeWeighted;

  private amount: number;
  private readonly getters = new FifoQueue<Waiter>();
  private readonly putters = new FifoQueue<Waiter>();
  private lineSeq = 0;

  constructor(
    readonly sim: Simulation,
    options: ContainerOptions = {},
  ) {
    const { capacity = Infinity, initialLevel = 0, name = 'container' } = options;
    if (!(capacity > 0)) throw new RangeError(`${name}: capacity must be > 0, got ${capacity}`);
    if (!(initialLevel >= 0 && initialLevel <= capacity)) {
      throw new RangeError(`${name}: initialLevel must be in [0, ${capacity}], got ${initialLevel}`);
    }
    this.capacity = capacity;
    this.name = name;
    this.amount = initialLevel;
    this.levelMonitor = new TimeWeighted(sim.nowNs, initialLevel);
  }

  get level(): number {
    return this.amount;
  }

  /** Adds `amount` now if it fits and nobody is waiting to put; returns whether it did. */
  tryPut(amount: number): boolean {
    this.check(amount, 'tryPut');
    if (this.putters.length > 0 || this.amount + amount > this.capacity) return false;
    this.change(amount);
    return true;
  }

  /** Removes `amount` now if it is there and nobody is waiting to get; returns whether it did. */
  tryGet(amount: number): boolean {
    this.check(amount, 'tryGet');
    if (this.getters.length > 0 || this.amount < amount) return false;
    this.change(-amount);
    return true;
  }

  /** Process style: waits until `amount` fits, then adds it. */
  *put(amount: number): Wait<void> {
    if (this.tryPut(amount)) return;
    yield* this.waitIn(this.putters, amount, 'put');
  }

  /** Process style: waits until `amount` is there, then removes it. */
  *get(amount: number): Wait<void> {
    if (this.tryGet(amount)) return;
    yield* this.waitIn(this.getters, amount, 'get');
  }

  /** Callback style get: `fn(amount, arg, waitedNs)` runs once the amount has been taken. */
  getThen<A>(amount: number, fn: GrantCallback<number, A>, arg: A): void {
    if (this.tryGet(amount)) {
      fn(amount, arg, 0);
      return;
    }
    this.getters.push(callbackWaiter(fn, arg, 0, this.lineSeq++, this.sim.nowNs, amount));
  }

  /** Callback style put: `fn(amount, arg, waitedNs)` runs once the amount has been added. */
  putThen<A>(amount: number, fn: GrantCallback<number, A>, arg: A): void {
    if (this.tryPut(amount)) {
      fn(amount, arg, 0);
      return;
    }
    this.putters.push(callbackWaiter(fn, arg, 0, this.lineSeq++, this.sim.nowNs, amount));
  }

  /** Restarts the level monitor at the current time (warm-up deletion). */
  resetStats(): void {
    this.levelMonitor.reset(this.sim.nowNs);
  }

  private *waitIn(line: FifoQueue<Waiter>, amount: number, what: 'put' | 'get'): Wait<void> {
    const proc = this.sim.requireActiveProcess(`${this.name}.${what}()`);
    const w = processWaiter(proc, 0, this.lineSeq++, this.sim.nowNs, amount);
    line.push(w);
    try {
      yield SUSPEND;
    } catch (e) {
      if (!w.granted) {
        line.remove(w);
        // Leaving the head of a line can unblock the requests behind it.
        this.settle();
      } else {
        // Granted but not yet resumed: undo it so nothing is created or lost.
        this.change(what === 'get' ? amount : -amount);
        this.settle();
      }
      throw e;
    }
  }

  private change(delta: number): void {
    this.amount += delta;
    this.levelMonitor.update(this.sim.nowNs, this.amount);
    this.settle();
  }

  /** Serves the heads of both lines for as long as they fit. */
  private settle(): void {
    for (let progress = true; progress; ) {
      progress = false;
      const put = this.putters.peek();
      if (put !== undefined && this.amount + (put.payload as number) <= this.capacity) {
        this.putters.shift();
        this.amount += put.payload as number;
        this.levelMonitor.update(this.sim.nowNs, this.amount);
        grant(this.sim, put, put.payload);
        progress = true;
      }
      const get = this.getters.peek();
      if (get !== undefined && this.amount >= (get.payload as number)) {
        this.getters.shift();
        this.amount -= get.payload as number;
        this.levelMonitor.update(this.sim.nowNs, this.amount);
        grant(this.sim, get, get.payload);
        progress = true;
      }
    }
  }

  private check(amount: number, what: string): void {
    if (!(amount > 0 && amount <= this.capacity)) {
      throw new RangeError(`${this.name}.${what}: amount must be in (0, capacity=${this.capacity}], got ${amount}`);
    }
  }
}
