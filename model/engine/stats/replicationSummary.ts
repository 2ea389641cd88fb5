/**
 * Across-replication summary of one metric: each independent replication contributes one value (its mean
 * latency, throughput, ...), and the Student-t interval over those values is the answer. requiredReplications
 * is Law & Kelton's approximation n* = ceil(n · (halfWidth / (target · |mean|))²), which assumes the sample
 * variance stays put as n grows; it returns the total count needed (≤ ci.n means the target is already met).
 */
import { type ConfidenceInterval, confidenceInterval } from './confidenceInterval.ts';
import { DEFAULT_CONFIDENCE } from './percentiles.ts';

export function summarizeReplications(values: ArrayLike<number>, confidence = DEFAULT_CONFIDENCE): ConfidenceInterval {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new TypeError(`values must be an array-like of numbers, got ${String(values)}`);
  }
  // One replication gives no variance estimate; refuse rather than hand back a NaN half-width.
  if (values.length < 2) {
    throw new RangeError(`values must hold at least 2 replications, got ${values.length}`);
  }
  return confidenceInterval(values, confidence);
}

export function requiredReplications(ci: ConfidenceInterval, targetRelHalfWidth: number): number {
  if (!(targetRelHalfWidth > 0 && targetRelHalfWidth < Infinity)) {
    throw new RangeError(`targetRelHalfWidth must be a finite number > 0, got ${targetRelHalfWidth}`);
  }
  if (ci === null || typeof ci !== 'object') throw new TypeError(`ci must be a ConfidenceInterval, got ${String(ci)}`);
  if (!Number.isSafeInteger(ci.n) || ci.n < 2) throw new RangeError(`ci.n must be an integer >= 2, got ${ci.n}`);
  if (!(ci.halfWidth >= 0 && ci.halfWidth < Infinity)) {
    throw new RangeError(`ci.halfWidth must be a finite number >= 0, got ${ci.halfWidth}`);
  }
  if (!Number.isFinite(ci.mean)) throw new RangeError(`ci.mean must be a finite number, got ${ci.mean}`);
  const absMean = Math.abs(ci.mean);
  // As in relativeHalfWidth: a relative target is unreachable around a zero mean.
  if (absMean === 0) return Infinity;
  const ratio = ci.halfWidth / (targetRelHalfWidth * absMean);
  // Shave a few ulps so that an exact integer (e.g. 4n) is not pushed to the next one by rounding in ratio².
  return Math.ceil(ci.n * ratio * ratio * (1 - 1e-12));
}
