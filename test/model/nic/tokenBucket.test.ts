import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TokenBucket } from '../../../model/nic/index.ts';

describe('TokenBucket', () => {
  it('a full bucket passes `depth` at once, then one unit per 1/rate', () => {
    const b = new TokenBucket(1e6, 10); // 1 token per us, depth 10
    const times = Array.from({ length: 12 }, () => b.reserve(0, 1));
    expect(times.slice(0, 10)).toEqual(new Array(10).fill(0));
    expect(times[10]).toBeCloseTo(1_000, 6);
    expect(times[11]).toBeCloseTo(2_000, 6);
  });

  it('never passes more than rate x t + depth in any window (property)', () => {
    fc.assert(fc.property(
      fc.double({ min: 1e3, max: 1e10, noNaN: true }),
      fc.double({ min: 1, max: 1e4, noNaN: true }),
      fc.array(fc.tuple(fc.double({ min: 0, max: 1e5, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true })), { minLength: 1, maxLength: 60 }),
      (rate, depth, offers) => {
        const b = new TokenBucket(rate, depth);
        let now = 0;
        const taken: [number, number][] = [];
        for (const [gapNs, frac] of offers) {
          now += gapNs;
          const amount = frac * depth;
          const t = b.reserve(now, amount);
          expect(t).toBeGreaterThanOrEqual(now);
          if (taken.length > 0) expect(t).toBeGreaterThanOrEqual(taken[taken.length - 1]![0]);
          taken.push([t, amount]);
        }
        for (let i = 0; i < taken.length; i++) {
          let sum = 0;
          for (let j = i; j < taken.length; j++) {
            sum += taken[j]![1];
            const windowSec = (taken[j]![0] - taken[i]![0]) / 1e9;
            expect(sum).toBeLessThanOrEqual(rate * windowSec + depth * (1 + 1e-6));
          }
        }
      },
    ));
  });

  it('tryTake refuses when tokens are short and rejects amounts above the depth', () => {
    const b = new TokenBucket(1e6, 2);
    expect([b.tryTake(0, 1), b.tryTake(0, 1), b.tryTake(0, 1)]).toEqual([true, true, false]);
    expect(b.tryTake(1_000, 1)).toBe(true);
    expect(() => b.reserve(0, 3)).toThrow(/depth/);
  });
});
