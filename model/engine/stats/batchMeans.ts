/**
 * Non-overlapping batch means for one long, autocorrelated, stationary run (warm-up already deleted): split xs
 * into batchCount batches of floor(n / batchCount) consecutive observations, treat the batch means as
 * approximately iid normal and build a Student-t interval on them (ci.n is batchCount, not n). The remainder
 * n mod batchCount is dropped from the END. lag1Autocorrelation of the batch means near 0 supports the batch size.
 */
import { type ConfidenceInterval, confidenceInterval } from './confidenceInterval.ts';
import { DEFAULT_CONFIDENCE } from './percentiles.ts';

export function batchMeans(
  xs: ArrayLike<number>,
  batchCount = 20, // calibration-exempt: 10-30 batches is the usual advice (Law & Kelton, ch. 9.5.3); a method default, not a model quantity
  confidence = DEFAULT_CONFIDENCE,
): ConfidenceInterval & { batchSize: number; lag1Autocorrelation: number } {
  if (xs === null || typeof xs !== 'object' || typeof xs.length !== 'number') {
    throw new TypeError(`xs must be an array-like of numbers, got ${String(xs)}`);
  }
  if (!Number.isSafeInteger(batchCount) || batchCount < 2) {
    throw new RangeError(`batchCount must be an integer >= 2, got ${batchCount}`);
  }
  const n = xs.length;
  const batchSize = Math.floor(n / batchCount);
  if (batchSize < 2) {
    throw new RangeError(
      `xs must hold at least 2 observations per batch (2 * batchCount = ${2 * batchCount}), got ${n}`,
    );
  }
  const means = new Float64Array(batchCount);
  for (let b = 0; b < batchCount; b++) {
    let sum = 0;
    const end = (b + 1) * batchSize;
    for (let i = b * batchSize; i < end; i++) {
      const x = xs[i] as number;
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new RangeError(`xs[${i}] must be a finite number, got ${String(x)}`);
      }
      sum += x;
    }
    means[b] = sum / batchSize;
  }
  const ci = confidenceInterval(means, confidence);
  return { ...ci, batchSize, lag1Autocorrelation: lag1Autocorrelation(means, ci.mean) };
}

/** Standard estimator r1 = Σ (Y_i − Ȳ)(Y_{i+1} − Ȳ) / Σ (Y_i − Ȳ)²; NaN when all means are equal. */
function lag1Autocorrelation(ys: Float64Array, mean: number): number {
  let num = 0;
  let den = 0;
  let prev = (ys[0] as number) - mean;
  den += prev * prev;
  for (let i = 1; i < ys.length; i++) {
    const d = (ys[i] as number) - mean;
    num += prev * d;
    den += d * d;
    prev = d;
  }
  return den === 0 ? NaN : num / den;
}
