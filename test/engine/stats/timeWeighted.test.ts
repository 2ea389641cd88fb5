import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TimeWeighted } from '../../../model/engine/stats/timeWeighted.ts';

describe('TimeWeighted', () => {
  it('timeWeighted integrates a hand-computed step function', () => {
    // 0 on [0,2), 3 on [2,5), 1 on [5,10), 0 on [10,12): area 0·2 + 3·3 + 1·5 + 0·2 = 14.
    const tw = new TimeWeighted(0);
    tw.update(2, 3);
    tw.update(5, 1);
    tw.update(10, 0);
    expect(tw.value).toBe(0);
    expect(tw.areaAt(12)).toBe(14);
    expect(tw.meanAt(12)).toBeCloseTo(14 / 12, 15);
    expect(tw.max).toBe(3);
  });

  it('timeWeighted.areaAt(t) extends the current value to t', () => {
    const tw = new TimeWeighted(100, 2);
    tw.update(110, 5);
    expect(tw.areaAt(110)).toBe(20);
    expect(tw.areaAt(114)).toBe(40);
    expect(tw.meanAt(114)).toBeCloseTo(40 / 14, 15);
  });

  it('timeWeighted.meanAt(start) is NaN (zero-length window)', () => {
    const tw = new TimeWeighted(5, 3);
    expect(tw.meanAt(5)).toBeNaN();
    expect(tw.areaAt(5)).toBe(0);
  });

  it('timeWeighted.reset(t) deletes the warm-up and keeps the current value', () => {
    const tw = new TimeWeighted(0, 10);
    tw.update(50, 1);
    tw.reset(60);
    expect(tw.value).toBe(1);
    expect(tw.max).toBe(1);
    expect(tw.areaAt(60)).toBe(0);
    tw.update(70, 4);
    // 1 on [60,70), 4 on [70,80): mean (10 + 40) / 20.
    expect(tw.meanAt(80)).toBe(2.5);
    expect(tw.max).toBe(4);
  });

  it('timeWeighted.update(t, v) with several updates at one instant keeps only the last value', () => {
    const tw = new TimeWeighted(0);
    tw.update(1, 100);
    tw.update(1, 2);
    expect(tw.areaAt(3)).toBe(4);
    expect(tw.max).toBe(100);
  });

  it('timeWeighted throws a RangeError when time goes backwards or is NaN', () => {
    const tw = new TimeWeighted(0);
    tw.update(10, 1);
    expect(() => tw.update(9, 2)).toThrow(RangeError);
    expect(() => tw.update(NaN, 2)).toThrow(/nowNs must be/);
    expect(() => tw.areaAt(5)).toThrow(RangeError);
    expect(() => tw.reset(5)).toThrow(RangeError);
    expect(() => tw.update(11, NaN)).toThrow(/value must be a finite number, got NaN/);
    expect(() => new TimeWeighted(NaN)).toThrow(/startNs/);
  });

  it('timeWeighted.meanAt equals the average of the signal sampled at every integer instant', () => {
    // Integer-time steps: the exact integral is the sum of the value held over each unit interval.
    const steps = fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: -50, max: 50 })), {
      minLength: 1,
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -5, max: 5 }), steps, (start, v0, ss) => {
        const tw = new TimeWeighted(start, v0);
        const perUnit: number[] = [];
        let t = start;
        let v = v0;
        let max = v0;
        for (const [dt, value] of ss) {
          for (let i = 0; i < dt; i++) perUnit.push(v);
          t += dt;
          tw.update(t, value);
          v = value;
          max = Math.max(max, value);
        }
        perUnit.push(v);
        const end = t + 1;
        const exact = perUnit.reduce((a, b) => a + b, 0);
        expect(tw.areaAt(end)).toBe(exact);
        expect(tw.meanAt(end)).toBeCloseTo(exact / (end - start), 12);
        expect(tw.max).toBe(max);
      }),
    );
  });
});
