/**
 * Time-weighted average of a piecewise-constant signal (queue length, busy servers, buffer level): the signal
 * holds its value until the next update, so the integral is the sum of value × duration over the steps.
 * Times are in the caller's clock units (ns in the engine) and must never decrease.
 */

export class TimeWeighted {
  private startTimeNs: number;
  private lastTimeNs: number;
  private current: number;
  private area = 0;
  private maxValue: number;

  constructor(startNs: number, initialValue = 0) {
    if (!Number.isFinite(startNs)) throw notFinite('startNs', startNs);
    if (!Number.isFinite(initialValue)) throw notFinite('initialValue', initialValue);
    this.startTimeNs = startNs;
    this.lastTimeNs = startNs;
    this.current = initialValue;
    this.maxValue = initialValue;
  }

  /** The signal becomes value at nowNs (nowNs may equal the previous update time). */
  update(nowNs: number, value: number): void {
    // Written as !(>=) so that NaN is rejected as well as a clock going backwards.
    if (!(nowNs >= this.lastTimeNs) || nowNs === Infinity) throw timeBackwards(this.lastTimeNs, nowNs);
    if (value - value !== 0) throw notFinite('value', value);
    this.area += this.current * (nowNs - this.lastTimeNs);
    this.lastTimeNs = nowNs;
    this.current = value;
    if (value > this.maxValue) this.maxValue = value;
  }

  /** Current value of the signal. */
  get value(): number {
    return this.current;
  }

  /** Integral of the signal from the start (or last reset) to nowNs. */
  areaAt(nowNs: number): number {
    if (!(nowNs >= this.lastTimeNs) || nowNs === Infinity) throw timeBackwards(this.lastTimeNs, nowNs);
    return this.area + this.current * (nowNs - this.lastTimeNs);
  }

  /** Time average over [start, nowNs]; NaN when that interval has zero length. */
  meanAt(nowNs: number): number {
    const area = this.areaAt(nowNs);
    const lengthNs = nowNs - this.startTimeNs;
    return lengthNs === 0 ? NaN : area / lengthNs;
  }

  /** Largest value the signal has held since the start (or last reset). */
  get max(): number {
    return this.maxValue;
  }

  /** Restarts integration at nowNs, keeping the current value: deletes a warm-up period. */
  reset(nowNs: number): void {
    if (!(nowNs >= this.lastTimeNs) || nowNs === Infinity) throw timeBackwards(this.lastTimeNs, nowNs);
    this.startTimeNs = nowNs;
    this.lastTimeNs = nowNs;
    this.area = 0;
    this.maxValue = this.current;
  }
}

// Errors are built out of line so the hot update() stays small enough to inline.
function timeBackwards(lastTimeNs: number, nowNs: number): RangeError {
  return new RangeError(`nowNs must be a finite time >= the last update time ${lastTimeNs}, got ${nowNs}`);
}

function notFinite(name: string, value: number): RangeError {
  return new RangeError(`${name} must be a finite number, got ${value}`);
}
