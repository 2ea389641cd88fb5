import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from '../../model/engine/eventQueue.ts';

describe('EventQueue', () => {
  it('pop() returns events in (timeNs, seq) order for any push order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (times) => {
        const q = new EventQueue(2);
        const noop = () => {};
        times.forEach((t, seq) => q.push(t, seq, noop, seq, seq));
        const expected = times.map((t, seq) => [t, seq] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        const got: [number, number][] = [];
        for (let slot = q.pop(); slot >= 0; slot = q.pop()) {
          // fn, arg and tag travel together with their event.
          expect(q.argOf(slot)).toBe(q.tagOf(slot));
          expect(q.fnOf(slot)).toBe(noop);
          got.push([q.poppedTimeNs, q.tagOf(slot)]);
          q.free(slot);
        }
        expect(got).toEqual(expected.map(([t, s]) => [t, s]));
      }),
    );
  });

  it('interleaved pushes and pops keep the heap order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 })), { maxLength: 400 }), (ops) => {
        const q = new EventQueue(1);
        const ref: [number, number][] = [];
        let seq = 0;
        for (const [isPush, t] of ops) {
          if (isPush || ref.length === 0) {
            q.push(t, seq, () => {}, seq, seq);
            ref.push([t, seq++]);
          } else {
            ref.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
            const [et, es] = ref.shift()!;
            const slot = q.pop();
            expect(slot).toBeGreaterThanOrEqual(0);
            expect([q.poppedTimeNs, q.tagOf(slot), q.argOf(slot)]).toEqual([et, es, es]);
            q.free(slot);
            // A freed slot holds no reference any more.
            expect(q.argOf(slot)).toBeUndefined();
          }
        }
        expect(q.size).toBe(ref.length);
      }),
    );
  });
});
