import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FifoLine, PriorityLine, type RequestLine } from '../../model/engine/requestLine.ts';

// Random sequences of push / take-the-head / remove, checked against a plain array kept in the expected
// order: (priority, arrival) for the priority line, arrival for the FIFO line.
type Op = { kind: 'push'; priority: number } | { kind: 'shift' } | { kind: 'remove'; pick: number };
const ops = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('push' as const), priority: fc.integer({ min: -2, max: 2 }) }),
    fc.record({ kind: fc.constant('shift' as const) }),
    fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  ),
  { maxLength: 200 },
);

function check(line: RequestLine, ordered: boolean, sequence: Op[]): void {
  const model: { waiter: () => void; priority: number; seq: number; sinceNs: number }[] = [];
  let seq = 0;
  for (const op of sequence) {
    if (op.kind === 'push') {
      const entry = { waiter: () => {}, priority: ordered ? op.priority : 0, seq: seq++, sinceNs: seq * 10 };
      line.push(entry.waiter, entry.seq, entry.sinceNs, entry.priority);
      model.push(entry);
      model.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    } else if (op.kind === 'shift') {
      const expected = model.shift();
      if (expected) {
        expect(line.headWaiter()).toBe(expected.waiter);
        expect(line.headArg()).toBe(expected.seq);
        expect(line.headSinceNs()).toBe(expected.sinceNs);
        line.dropHead();
      }
    } else if (model.length > 0) {
      const [gone] = model.splice(op.pick % model.length, 1);
      expect(line.remove(gone!.waiter)).toBe(gone!.sinceNs);
      expect(line.remove(gone!.waiter)).toBe(-1);
    }
    expect(line.length).toBe(model.length);
  }
  // Drain: what is left comes out in the expected order.
  for (const expected of model) {
    expect(line.headWaiter()).toBe(expected.waiter);
    line.dropHead();
  }
  expect(line.length).toBe(0);
}

describe('request lines', () => {
  it('FifoLine serves in arrival order through growth and removals', () => {
    fc.assert(fc.property(ops, (sequence) => check(new FifoLine(2), false, sequence)), { numRuns: 300 });
  });

  it('PriorityLine serves lower priority first, FIFO among equals, through removals anywhere', () => {
    fc.assert(fc.property(ops, (sequence) => check(new PriorityLine(), true, sequence)), { numRuns: 300 });
  });
});
