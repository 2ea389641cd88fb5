/**
 * A binary min-heap of items ordered by (priority, seq): lower priority numbers first, FIFO among
 * equals. Used for priority waiting lines; same push/shift/remove/length shape as FifoQueue.
 */
export interface Prioritised {
  readonly priority: number;
  readonly seq: number;
}

export class PriorityQueue<T extends Prioritised> {
  private heap: T[] = [];

  get length(): number {
    return this.heap.length;
  }

  push(item: T): void {
    const h = this.heap;
    let i = h.length;
    h.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = item;
  }

  peek(): T | undefined {
    return this.heap[0];
  }

  shift(): T | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) this.siftDown(0, last);
    return top;
  }

  remove(item: T): boolean {
    const h = this.heap;
    const i = h.indexOf(item);
    if (i < 0) return false;
    const last = h.pop()!;
    if (i < h.length) {
      this.siftDown(i, last);
      // The moved item may also need to go up (it came from another branch).
      let k = h.indexOf(last);
      while (k > 0) {
        const parent = (k - 1) >> 1;
        if (!before(h[k]!, h[parent]!)) break;
        [h[k], h[parent]] = [h[parent]!, h[k]!];
        k = parent;
      }
    }
    return true;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    yield* [...this.heap].sort((a, b) => (before(a, b) ? -1 : 1));
  }

  private siftDown(start: number, item: T): void {
    const h = this.heap;
    const n = h.length;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(h[child + 1]!, h[child]!)) child++;
      if (!before(h[child]!, item)) break;
      h[i] = h[child]!;
      i = child;
    }
    h[i] = item;
  }
}

function before(a: Prioritised, b: Prioritised): boolean {
  return a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq);
}
