/**
 * Running count, mean, sample variance (n − 1 divisor), min and max of a stream, in one pass and O(1) memory.
 * Welford's update keeps the sum of squared deviations (m2) directly, so it does not lose precision the way
 * sum-of-squares formulas do when the mean is large relative to the spread. Empty: mean/min/max are NaN.
 */

export class Welford {
  private n = 0;
  private meanValue = 0;
  private m2 = 0;
  private minValue = Infinity;
  private maxValue = -Infinity;

  add(x: number): void {
    // x - x is 0 for every finite number and NaN for NaN/±Infinity: one cheap test instead of Number.isFinite.
    if (x - x !== 0) throw notFinite(x);
    const n = this.n + 1;
    const delta = x - this.meanValue;
    this.n = n;
    this.meanValue += delta / n;
    this.m2 += delta * (x - this.meanValue);
    if (x < this.minValue) this.minValue = x;
    if (x > this.maxValue) this.maxValue = x;
  }

  get count(): number {
    return this.n;
  }

  get mean(): number {
    return this.n === 0 ? NaN : this.meanValue;
  }

  /** Sample variance (divisor n − 1); NaN when fewer than 2 values. */
  get variance(): number {
    return this.n < 2 ? NaN : this.m2 / (this.n - 1);
  }

  get stdDev(): number {
    return Math.sqrt(this.variance);
  }

  get min(): number {
    return this.n === 0 ? NaN : this.minValue;
  }

  get max(): number {
    return this.n === 0 ? NaN : this.maxValue;
  }

  /** Folds other into this as if all of other's values had been added here (Chan, Golub & LeVeque 1979). */
  merge(other: Welford): void {
    if (!(other instanceof Welford)) throw new TypeError(`other must be a Welford, got ${String(other)}`);
    const nb = other.n;
    if (nb === 0) return;
    const na = this.n;
    if (na === 0) {
      this.n = nb;
      this.meanValue = other.meanValue;
      this.m2 = other.m2;
      this.minValue = other.minValue;
      this.maxValue = other.maxValue;
      return;
    }
    const n = na + nb;
    const delta = other.meanValue - this.meanValue;
    // Read everything from other before writing, so w.merge(w) doubles correctly.
    const m2 = this.m2 + other.m2 + ((delta * delta * na) / n) * nb;
    const minValue = Math.min(this.minValue, other.minValue);
    const maxValue = Math.max(this.maxValue, other.maxValue);
    this.meanValue += (delta * nb) / n;
    this.m2 = m2;
    this.n = n;
    this.minValue = minValue;
    this.maxValue = maxValue;
  }

  reset(): void {
    this.n = 0;
    this.meanValue = 0;
    this.m2 = 0;
    this.minValue = Infinity;
    this.maxValue = -Infinity;
  }
}

// Built out of line so the hot add() stays small enough to inline.
function notFinite(x: number): RangeError {
  return new RangeError(`x must be a finite number, got ${x}`);
}
