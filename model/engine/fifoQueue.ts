/**
 * A growable ring-buffer FIFO of items: the waiting lines of resources, stores and containers.
 * O(1) push/shift; `remove` (a waiter that gave up or was interrupted) is O(n), which is rare.
 */
export class FifoQueue<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;
  private mask: number;

  constructor(initialCapacityPow2 = 16) { // calibration-exempt: initial ring size; it doubles as needed
    this.items = new Array(initialCapacityPow2);
    this.mask = initialCapacityPow2 - 1;
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count > this.mask) this.grow();
    this.items[(this.head + this.count) & this.mask] = item;
    this.count++;
  }

  /** Puts an item back at the front (it becomes the oldest). */
  unshift(item: T): void {
    if (this.count > this.mask) this.grow();
    this.head = (this.head - 1) & this.mask;
    this.items[this.head] = item;
    this.count++;
  }

  /** Removes and returns the oldest item; undefined when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.count--;
    return item;
  }

  /** The oldest item without removing it. */
  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  /** The k-th oldest item (0 = oldest). */
  at(k: number): T | undefined {
    return k >= 0 && k < this.count ? this.items[(this.head + k) & this.mask] : undefined;
  }

  /** Removes the first occurrence of `item`, keeping the order of the rest. */
  remove(item: T): boolean {
    for (let k = 0; k < this.count; k++) {
      if (this.items[(this.head + k) & this.mask] === item) {
        for (let j = k; j < this.count - 1; j++) {
          this.items[(this.head + j) & this.mask] = this.items[(this.head + j + 1) & this.mask];
        }
        this.items[(this.head + this.count - 1) & this.mask] = undefined;
        this.count--;
        return true;
      }
    }
    return false;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let k = 0; k < this.count; k++) yield this.items[(this.head + k) & this.mask] as T;
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    const items: (T | undefined)[] = new Array(capacity);
    for (let k = 0; k < this.count; k++) items[k] = this.items[(this.head + k) & this.mask];
    this.items = items;
    this.head = 0;
    this.mask = capacity - 1;
  }
}
