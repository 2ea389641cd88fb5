import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  GOVERNOR_NAMES, defaultCpuFrequencyParams, defaultGovernorParams, governorFreqHz, isLoadDependent, parseGovernorName,
} from '../../../model/cpu/index.ts';

const F = defaultCpuFrequencyParams;

describe('governors', () => {
  it('performance requests the maximum, generic powersave the minimum, at any load', () => {
    for (const u of [0, 0.3, 1]) {
      expect(governorFreqHz('performance', u, F)).toBe(F.maxFreqHz);
      expect(governorFreqHz('powersave', u, F)).toBe(F.minFreqHz);
    }
    expect(F.maxFreqHz).toBe(3.6e9);
  });

  it('every governor stays within [powersave, performance] = [min, max] (property)', () => {
    fc.assert(fc.property(fc.constantFrom(...GOVERNOR_NAMES), fc.double({ min: 0, max: 1, noNaN: true }), (g, u) => {
      const f = governorFreqHz(g, u, F);
      expect(f).toBeGreaterThanOrEqual(governorFreqHz('powersave', u, F));
      expect(f).toBeLessThanOrEqual(governorFreqHz('performance', u, F));
    }));
  });

  it('load-dependent governors never lower the frequency as utilisation rises (property)', () => {
    fc.assert(fc.property(
      fc.constantFrom('ondemand', 'schedutil', 'intel_pstate-powersave' as const),
      fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      (g, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(governorFreqHz(g, lo, F)).toBeLessThanOrEqual(governorFreqHz(g, hi, F));
      },
    ));
  });

  it('ondemand jumps to max at its up-threshold; schedutil reaches max at util 1 / 1.25', () => {
    expect(governorFreqHz('ondemand', defaultGovernorParams.ondemandUpThresholdFraction, F)).toBe(F.maxFreqHz);
    expect(governorFreqHz('ondemand', 0, F)).toBe(F.minFreqHz);
    expect(governorFreqHz('schedutil', 1 / defaultGovernorParams.schedutilHeadroomFactor, F)).toBeCloseTo(F.maxFreqHz, 0);
  });

  it("intel_pstate's powersave is dynamic, not the generic pin-to-min", () => {
    expect(isLoadDependent('intel_pstate-powersave')).toBe(true);
    expect(isLoadDependent('powersave')).toBe(false);
    expect(governorFreqHz('intel_pstate-powersave', 0.9, F)).toBeGreaterThan(governorFreqHz('powersave', 0.9, F));
  });

  it('parseGovernorName lists the allowed names on a bad one', () => {
    expect(parseGovernorName('schedutil')).toBe('schedutil');
    expect(() => parseGovernorName('userspace')).toThrow(/performance, powersave/);
    expect(() => governorFreqHz('performance', 1.5, F)).toThrow(/utilFraction/);
  });
});
