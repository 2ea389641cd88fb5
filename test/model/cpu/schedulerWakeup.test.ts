/**
 * Scheduler wake-up latency: never below its floor, its mean the floor + spread + P(busy) x slice/2
 * (inside the 95 % interval of 200k draws), and the slice waits appear with the busy probability.
 */
import { describe, expect, it } from 'vitest';
import { RandomStreams, confidenceInterval } from '../../../model/engine/index.ts';
import { defaultSchedulerWakeupParams, meanSchedulerWakeupNs, schedulerWakeupSampler } from '../../../model/cpu/schedulerWakeup.ts';

const N = 200_000;

function draws(p = defaultSchedulerWakeupParams, seed = 1): Float64Array {
  const next = schedulerWakeupSampler(new RandomStreams(seed, 0).stream('wakeup'), p);
  const xs = new Float64Array(N);
  for (let i = 0; i < N; i++) xs[i] = next();
  return xs;
}

describe('scheduler wake-up latency', () => {
  it('defaults: a 5 us floor (cyclictest minimum) and a 3 ms slice (0.75 ms x 4 for 8 cores)', () => {
    expect(defaultSchedulerWakeupParams.minNs).toBe(5000);
    expect(defaultSchedulerWakeupParams.baseSliceNs).toBe(3_000_000);
  });

  it('never wakes faster than the floor, and is an integer number of ns', () => {
    const xs = draws();
    expect(xs.reduce((m, x) => Math.min(m, x), Infinity)).toBeGreaterThanOrEqual(defaultSchedulerWakeupParams.minNs);
    expect(xs.every(Number.isInteger)).toBe(true);
  });

  it('its mean is floor + spread + P(busy) x slice / 2', () => {
    const p = { ...defaultSchedulerWakeupParams, otherTaskBusyFraction: 0.05 };
    const ci = confidenceInterval(draws(p));
    expect(Math.abs(ci.mean - meanSchedulerWakeupNs(p))).toBeLessThanOrEqual(ci.halfWidth);
  });

  it('slice waits (beyond any plausible exponential draw) occur with the busy probability', () => {
    const p = { ...defaultSchedulerWakeupParams, otherTaskBusyFraction: 0.02 };
    const xs = draws(p, 2);
    // An exponential of mean 5 us exceeds 150 us with probability e^-30: anything past that is a slice wait.
    const threshold = p.minNs + 30 * p.spreadMeanNs;
    const slowShare = xs.filter((x) => x > threshold).length / N;
    // Slice waits land uniformly in [0, 3 ms]; those above the threshold are (3000 - 155) / 3000 of them.
    const expected = p.otherTaskBusyFraction * (1 - threshold / p.baseSliceNs);
    const sd = Math.sqrt((expected * (1 - expected)) / N);
    expect(Math.abs(slowShare - expected)).toBeLessThan(4 * sd);
    const none = draws({ ...p, otherTaskBusyFraction: 0 }, 2);
    expect(none.filter((x) => x > threshold).length).toBe(0);
  });

  it('refuses impossible parameters, naming them', () => {
    const s = new RandomStreams(1, 0).stream('w');
    expect(() => schedulerWakeupSampler(s, { ...defaultSchedulerWakeupParams, otherTaskBusyFraction: 2 })).toThrow(/otherTaskBusyFraction must be in \[0, 1\], got 2/);
    expect(() => schedulerWakeupSampler(s, { ...defaultSchedulerWakeupParams, minNs: -1 })).toThrow(/minNs/);
  });
});
