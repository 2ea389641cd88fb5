/**
 * cpufreq governors: which frequency a core is asked to run at, given its recent utilisation.
 * performance = max and (generic) powersave = min are sourced (cpufreq.rst). ondemand and schedutil
 * follow utilisation (the thresholds are assumptions). intel_pstate's own "powersave" is *not* the
 * generic one: it is dynamic (roughly schedutil/ondemand; with HWP only an energy hint), so it is
 * modelled with the schedutil rule.
 */
import { calibratedParams } from '../calibration/index.ts';
import { clampFreqHz, type CpuFrequencyParams } from './cpuFrequency.ts';

export type GovernorName = 'performance' | 'powersave' | 'ondemand' | 'schedutil' | 'intel_pstate-powersave';

export const GOVERNOR_NAMES: readonly GovernorName[] = ['performance', 'powersave', 'ondemand', 'schedutil', 'intel_pstate-powersave'];

export interface GovernorParams {
  /** ondemand: utilisation (0..1) at or above which max is requested; below it f = min + util (max - min). */
  readonly ondemandUpThresholdFraction: number;
  /** schedutil: requested f = factor x util x max (clamped). */
  readonly schedutilHeadroomFactor: number;
  /** Load-dependent governors re-evaluate at most this often, us. */
  readonly samplingPeriodUs: number;
}

export const defaultGovernorParams: GovernorParams = calibratedParams({
  ondemandUpThresholdFraction: 'cpu.ondemandUpThresholdFraction',
  schedutilHeadroomFactor: 'cpu.schedutilHeadroomFactor',
  samplingPeriodUs: 'cpu.governorSamplingPeriodUs',
});

/** True when the governor's choice depends on load (so it must be re-evaluated as load changes). */
export function isLoadDependent(governor: GovernorName): boolean {
  return governor !== 'performance' && governor !== 'powersave';
}

/** Throws a RangeError that lists the allowed names when `name` is not a governor. */
export function parseGovernorName(name: string): GovernorName {
  if ((GOVERNOR_NAMES as readonly string[]).includes(name)) return name as GovernorName;
  throw new RangeError(`governor must be one of ${GOVERNOR_NAMES.join(', ')}, got "${name}"`);
}

/**
 * Frequency the governor requests for a core whose utilisation over the last period was
 * `utilFraction` (0..1), Hz, always within [minFreqHz, maxFreqHz].
 */
export function governorFreqHz(
  governor: GovernorName,
  utilFraction: number,
  freq: CpuFrequencyParams,
  params: GovernorParams = defaultGovernorParams,
): number {
  if (!(utilFraction >= 0 && utilFraction <= 1)) throw new RangeError(`utilFraction must be in [0, 1], got ${utilFraction}`);
  switch (governor) {
    case 'performance':
      return freq.maxFreqHz;
    case 'powersave':
      return freq.minFreqHz;
    case 'ondemand':
      // drivers/cpufreq/cpufreq_ondemand.c od_update(): max above up_threshold, else proportional to load.
      if (utilFraction >= params.ondemandUpThresholdFraction) return freq.maxFreqHz;
      return clampFreqHz(freq.minFreqHz + utilFraction * (freq.maxFreqHz - freq.minFreqHz), freq);
    case 'schedutil':
    case 'intel_pstate-powersave':
      return clampFreqHz(params.schedutilHeadroomFactor * utilFraction * freq.maxFreqHz, freq);
    default:
      throw new RangeError(`governor must be one of ${GOVERNOR_NAMES.join(', ')}, got "${String(governor)}"`);
  }
}
