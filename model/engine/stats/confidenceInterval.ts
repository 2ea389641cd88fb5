/**
 * Student-t confidence interval for the mean of independent, identically distributed samples (approximately
 * normal means): mean ± t_{(1+c)/2, n−1} · s/√n with s the sample standard deviation. With n < 2 there is no
 * variance estimate, so stdDev, halfWidth, lower and upper are NaN.
 */
import { Welford } from './welford.ts';
import { tQuantile } from './studentT.ts';
import { DEFAULT_CONFIDENCE } from './percentiles.ts';

export interface ConfidenceInterval {
  mean: number;
  halfWidth: number;
  lower: number;
  upper: number;
  /** Number of samples (independent observations: replications, batch means) the interval is built from. */
  n: number;
  confidence: number;
  /** Sample standard deviation of those n samples (n − 1 divisor). */
  stdDev: number;
}

export function confidenceInterval(samples: ArrayLike<number>, confidence = DEFAULT_CONFIDENCE): ConfidenceInterval {
  checkConfidence(confidence);
  if (samples === null || typeof samples !== 'object' || typeof samples.length !== 'number') {
    throw new TypeError(`samples must be an array-like of numbers, got ${String(samples)}`);
  }
  const n = samples.length;
  if (n === 0) throw new RangeError('samples must contain at least one value, got 0 values');
  const w = new Welford();
  for (let i = 0; i < n; i++) {
    const x = samples[i] as number;
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new RangeError(`samples[${i}] must be a finite number, got ${String(x)}`);
    }
    w.add(x);
  }
  return confidenceIntervalFromMoments(n, w.mean, w.stdDev, confidence);
}

/**
 * The same interval from summary statistics (count, mean, sample standard deviation), for callers that keep
 * running moments instead of the samples. n = 0 yields an all-NaN interval.
 */
export function confidenceIntervalFromMoments(
  n: number,
  mean: number,
  stdDev: number,
  confidence = DEFAULT_CONFIDENCE,
): ConfidenceInterval {
  checkConfidence(confidence);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (n >= 1 && !Number.isFinite(mean)) throw new RangeError(`mean must be a finite number, got ${mean}`);
  if (n >= 2 && !(stdDev >= 0 && stdDev < Infinity)) {
    throw new RangeError(`stdDev must be a finite number >= 0, got ${stdDev}`);
  }
  if (n === 0) {
    return { mean: NaN, halfWidth: NaN, lower: NaN, upper: NaN, n: 0, confidence, stdDev: NaN };
  }
  const sd = n < 2 ? NaN : stdDev;
  const halfWidth = n < 2 ? NaN : (tQuantile((1 + confidence) / 2, n - 1) * sd) / Math.sqrt(n);
  return { mean, halfWidth, lower: mean - halfWidth, upper: mean + halfWidth, n, confidence, stdDev: sd };
}

/** halfWidth / |mean|: Infinity when the mean is 0 (no relative precision is possible), NaN when n < 2. */
export function relativeHalfWidth(ci: ConfidenceInterval): number {
  const absMean = Math.abs(ci.mean);
  if (Number.isNaN(ci.halfWidth)) return NaN;
  return absMean === 0 ? Infinity : ci.halfWidth / absMean;
}

function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  }
}
