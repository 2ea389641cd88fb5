/**
 * Latency quantiles in bounded memory via HdrHistogram (pure-JS Float64 counts): any recorded value is
 * reported to within a relative error of 10^-significantDigits. Values are rounded to integers (the unit is the
 * caller's, e.g. ns). count, mean, min and max are tracked exactly on the side, and quantiles are clamped to
 * [min, max]. quantile(q) is the smallest recorded value with at least ceil(q·count) values at or below it.
 */
import { build } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

export interface QuantileHistogramOptions {
  /** Smallest value distinguished from 0; default 1. May be rounded down to a power of 2 internally. */
  lowestDiscernibleValue?: number;
  /** Fixed upper bound; default: none (storage grows on demand up to 2^53 − 1). */
  highestTrackableValue?: number;
  /** Decimal digits of relative precision, an integer in [1, 5]; default 3. */
  significantDigits?: number;
}

/** The JsHistogram internals the fast record path uses (hdr-histogram-js 3.x, pure-JS histograms). */
interface HistogramInternals {
  readonly subBucketHalfCountMagnitude: number;
  readonly subBucketHalfCount: number;
  readonly unitMagnitude: number;
  readonly countsArrayLength: number;
  incrementCountAtIndex(index: number): void;
  updateMinAndMax(value: number): void;
  incrementTotalCount(): void;
}

export class QuantileHistogram {
  private readonly histogram: Histogram;
  private readonly limit: number;
  private sum = 0;
  private minValue = Infinity;
  private maxValue = -Infinity;

  constructor(opts: QuantileHistogramOptions = {}) {
    if (opts === null || typeof opts !== 'object') {
      throw new TypeError(`opts must be an object, got ${String(opts)}`);
    }
    const lowest = opts.lowestDiscernibleValue ?? 1;
    if (!Number.isSafeInteger(lowest) || lowest < 1) {
      throw new RangeError(`lowestDiscernibleValue must be an integer >= 1, got ${lowest}`);
    }
    const digits = opts.significantDigits ?? 3; // calibration-exempt: 3 significant digits: 0.1 % value resolution, HdrHistogram's usual default
    if (!Number.isInteger(digits) || digits < 1 || digits > 5) { // calibration-exempt: HdrHistogram accepts 1 to 5 significant digits
      throw new RangeError(`significantDigits must be an integer in [1, 5], got ${digits}`); // calibration-exempt: HdrHistogram accepts 1 to 5 significant digits
    }
    const highest = opts.highestTrackableValue;
    if (highest !== undefined && (!Number.isSafeInteger(highest) || highest < 2 * lowest)) {
      throw new RangeError(
        `highestTrackableValue must be an integer in [2 * lowestDiscernibleValue = ${2 * lowest}, ` +
          `${Number.MAX_SAFE_INTEGER}], got ${highest}`,
      );
    }
    // Without a bound, start small and let the library grow the counts array: a full 2^53 range at 3 digits
    // would allocate ~350 kB per histogram up front.
    this.histogram = build({
      bitBucketSize: 64, // calibration-exempt: 64-bit counts (hdr-histogram-js option)
      useWebAssembly: false,
      autoResize: highest === undefined,
      lowestDiscernibleValue: lowest,
      highestTrackableValue: highest ?? 2 * lowest,
      numberOfSignificantValueDigits: digits as 1 | 2 | 3 | 4 | 5, // calibration-exempt: the library's type for 1 to 5 digits
    });
    this.limit = highest ?? Number.MAX_SAFE_INTEGER;
  }

  /** Records one non-negative value, rounded to the nearest integer. */
  record(value: number): void {
    if (!(value >= 0 && value <= this.limit)) {
      throw new RangeError(`value must be in [0, ${this.limit}], got ${value}`);
    }
    const rounded = Math.round(value);
    this.recordInHistogram(rounded);
    this.sum += rounded;
    if (rounded < this.minValue) this.minValue = rounded;
    if (rounded > this.maxValue) this.maxValue = rounded;
  }

  /**
   * histogram.recordValue(v), with the counts index computed by integer operations for 0 < v < 2^31
   * (the library computes the same index with Math.log2 and two Math.pow calls, which made recording
   * a tenth of a datapath run's time). floor(log2 v) = 31 - clz32(v) exactly in that range; the
   * library's own path handles 0, larger values and growing the counts array. A test checks that
   * both paths leave identical counts.
   */
  private recordInHistogram(v: number): void {
    const h = this.histogram as unknown as HistogramInternals;
    if (v > 0 && v < 2_147_483_648) { // calibration-exempt: 2^31: clz32 gives floor(log2 v) exactly below it
      const bucketIndex = Math.max(0, 31 - Math.clz32(v) - h.subBucketHalfCountMagnitude - h.unitMagnitude); // calibration-exempt: floor(log2 v) = 31 - clz32(v) for 0 < v < 2^31
      const subBucketIndex = v >>> (bucketIndex + h.unitMagnitude);
      const index = (bucketIndex + 1) * h.subBucketHalfCount + subBucketIndex - h.subBucketHalfCount;
      if (index < h.countsArrayLength) {
        h.incrementCountAtIndex(index);
        h.updateMinAndMax(v);
        h.incrementTotalCount();
        return;
      }
    }
    this.histogram.recordValue(v);
  }

  /** Value at quantile q in [0, 1]; NaN when nothing has been recorded. */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`q must be in [0, 1], got ${q}`);
    if (this.histogram.totalCount === 0) return NaN;
    // The library answers with an edge of the value's bucket, which can fall outside the recorded range; the
    // true sample quantile never does, so clamping only removes error (and makes q = 0 and q = 1 exact).
    const v = this.histogram.getValueAtPercentile(q * 100);
    return Math.min(Math.max(v, this.minValue), this.maxValue);
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** Exact mean of the recorded (rounded) values; NaN when empty. */
  get mean(): number {
    const n = this.histogram.totalCount;
    return n === 0 ? NaN : this.sum / n;
  }

  /** Exact smallest recorded (rounded) value; NaN when empty. */
  get min(): number {
    return this.histogram.totalCount === 0 ? NaN : this.minValue;
  }

  /** Exact largest recorded (rounded) value; NaN when empty. */
  get max(): number {
    return this.histogram.totalCount === 0 ? NaN : this.maxValue;
  }

  /** Adds other's recorded values to this one; precision is the coarser of the two configurations. */
  merge(other: QuantileHistogram): void {
    if (!(other instanceof QuantileHistogram)) {
      throw new TypeError(`other must be a QuantileHistogram, got ${String(other)}`);
    }
    if (other.histogram.totalCount === 0) return;
    if (other.maxValue > this.limit) {
      throw new RangeError(
        `other holds values up to ${other.maxValue}, above this histogram's highestTrackableValue ${this.limit}`,
      );
    }
    const otherSum = other.sum;
    this.histogram.add(other.histogram);
    this.sum += otherSum;
    if (other.minValue < this.minValue) this.minValue = other.minValue;
    if (other.maxValue > this.maxValue) this.maxValue = other.maxValue;
  }

  reset(): void {
    this.histogram.reset();
    this.sum = 0;
    this.minValue = Infinity;
    this.maxValue = -Infinity;
  }
}
