/**
 * The frequency range a core may run at: cpufreq's scaling_min_freq .. scaling_max_freq. The
 * default maximum is the 3.6 GHz of the machine the per-packet costs were measured on, so the
 * calibrated cycle counts reproduce their sourced ns there.
 */
import { calibratedParams } from '../calibration/index.ts';

export interface CpuFrequencyParams {
  /** Lowest frequency the governor may request, Hz. Default 1.2 GHz (assumption). */
  readonly minFreqHz: number;
  /** Highest frequency the governor may request, Hz. Default 3.6 GHz (XDP paper machine). */
  readonly maxFreqHz: number;
}

export const defaultCpuFrequencyParams: CpuFrequencyParams = calibratedParams({
  minFreqHz: 'cpu.minFreqHz',
  maxFreqHz: 'cpu.referenceFreqHz',
});

/** Throws a RangeError naming the field when the bounds are not 0 < min <= max < Infinity. */
export function checkCpuFrequencyParams(p: CpuFrequencyParams): void {
  if (!(p.minFreqHz > 0) || !Number.isFinite(p.minFreqHz)) throw new RangeError(`minFreqHz must be a finite number > 0, got ${p.minFreqHz}`);
  if (!(p.maxFreqHz >= p.minFreqHz) || !Number.isFinite(p.maxFreqHz)) {
    throw new RangeError(`maxFreqHz must be finite and >= minFreqHz (${p.minFreqHz}), got ${p.maxFreqHz}`);
  }
}

/** `freqHz` limited to [minFreqHz, maxFreqHz]. */
export function clampFreqHz(freqHz: number, p: CpuFrequencyParams): number {
  return Math.min(p.maxFreqHz, Math.max(p.minFreqHz, freqHz));
}
