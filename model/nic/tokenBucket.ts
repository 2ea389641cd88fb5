/**
 * A token bucket: tokens accrue at `ratePerSec` up to `depth`; sending `amount` needs that many.
 * FIFO reservation: `reserve(nowNs, amount)` returns the earliest time at or after both `nowNs`
 * and the previous reservation when the tokens are there, and takes them at that time, so a queue
 * of packets drains at the rate. Over any interval of length t it passes at most rate x t + depth.
 * Times are fractional ns; callers round when scheduling.
 */
import { amountInNsAtRate, durationNsAtRate } from '../units.ts';

export class TokenBucket {
  private tokens: number;
  private lastNs: number;

  constructor(
    readonly ratePerSec: number,
    readonly depth: number,
    startNs = 0,
  ) {
    if (!(ratePerSec > 0) || !Number.isFinite(ratePerSec)) throw new RangeError(`ratePerSec must be a finite number > 0, got ${ratePerSec}`);
    if (!(depth > 0) || !Number.isFinite(depth)) throw new RangeError(`depth must be a finite number > 0, got ${depth}`);
    this.tokens = depth;
    this.lastNs = startNs;
  }

  /** Tokens at time `tNs` (not before the last reservation). */
  tokensAt(tNs: number): number {
    const t = Math.max(tNs, this.lastNs);
    return Math.min(this.depth, this.tokens + amountInNsAtRate(t - this.lastNs, this.ratePerSec));
  }

  /** Earliest time >= nowNs (and >= the last reservation) with `amount` tokens, ns. */
  earliestNs(nowNs: number, amount: number): number {
    this.checkAmount(amount);
    const t = Math.max(nowNs, this.lastNs);
    const have = this.tokensAt(t);
    return have >= amount ? t : t + durationNsAtRate(amount - have, this.ratePerSec);
  }

  /** Takes `amount` tokens at `tNs` (>= earliestNs(tNs, amount)). */
  take(tNs: number, amount: number): void {
    this.checkAmount(amount);
    if (tNs < this.lastNs) throw new RangeError(`take at ${tNs} ns is before the last reservation at ${this.lastNs} ns`);
    const have = this.tokensAt(tNs);
    // A reservation computed by earliestNs may fall short by floating-point rounding only
    // (times are ns near 1e6-1e12, so relative errors reach ~1e-12); allow 1e-9 of the depth.
    if (have < amount - this.depth * 1e-9) { // calibration-exempt: floating-point tolerance, not a model number
      throw new RangeError(`take(${tNs}, ${amount}): only ${have} tokens at that time`);
    }
    this.tokens = Math.max(0, have - amount);
    this.lastNs = tNs;
  }

  /** Reserves `amount` at the earliest possible time and returns that time, ns. */
  reserve(nowNs: number, amount: number): number {
    const t = this.earliestNs(nowNs, amount);
    this.take(t, amount);
    return t;
  }

  /** Takes `amount` now if the tokens are there (and nothing is reserved ahead); else false. */
  tryTake(nowNs: number, amount: number): boolean {
    if (this.earliestNs(nowNs, amount) > nowNs) return false;
    this.take(nowNs, amount);
    return true;
  }

  private checkAmount(amount: number): void {
    if (!(amount > 0) || !Number.isFinite(amount)) throw new RangeError(`amount must be a finite number > 0, got ${amount}`);
    if (amount > this.depth) throw new RangeError(`amount ${amount} exceeds the bucket depth ${this.depth}: it could never pass (raise the burst)`);
  }
}
