/**
 * cilium-agent's API rate limiter for endpoint creation (PUT /endpoint, the CNI ADD), as
 * Documentation/configuration/api-rate-limiting.rst describes it (docs/sources.md#cilium-control-plane):
 * a request reserves a token of a rate limiter (0.5/s, burst 4; x/time/rate semantics, FIFO); if it
 * would wait longer than the max wait (15 s) it fails at once (the CNI ADD errors and the kubelet
 * retries later); otherwise it waits for its token, then for one of the parallel slots (4), and is
 * processed. With auto-adjust on, each completion recomputes
 *   factor = clamp(estimated / mean processing over the last `meanOver` requests, 1/max, max)
 * and sets the rate to base x factor, and moves burst and parallel slots `delayedAdjustmentFactor`
 * of the way to base x factor (so an agent that creates endpoints faster than the 2 s estimate
 * lets more through). This reading of "applied to rate-limit, rate-burst and parallel-requests"
 * (relative to the configured base values) is the model's.
 */
import { calibratedParams } from '../calibration/index.ts';
import type { Simulation } from '../engine/index.ts';
import { amountInNsAtRate, durationNsAtRate, roundNs, secToNs } from '../units.ts';

export interface EndpointApiLimiterParams {
  readonly ratePerSec: number;
  readonly burst: number;
  readonly parallel: number;
  readonly maxWaitSec: number;
  readonly estimatedProcessingSec: number;
  readonly meanOver: number;
  readonly delayedAdjustmentFactor: number;
  readonly maxAdjustmentFactor: number;
}

export const defaultEndpointApiLimiterParams: EndpointApiLimiterParams = calibratedParams({
  ratePerSec: 'controlPlane.ciliumEndpointCreateRatePerSec',
  burst: 'controlPlane.ciliumEndpointCreateBurst',
  parallel: 'controlPlane.ciliumEndpointCreateParallel',
  maxWaitSec: 'controlPlane.ciliumEndpointCreateMaxWaitSec',
  estimatedProcessingSec: 'controlPlane.ciliumEndpointCreateEstimatedSec',
  meanOver: 'controlPlane.ciliumApiLimiterMeanOver',
  delayedAdjustmentFactor: 'controlPlane.ciliumApiLimiterDelayedAdjustmentFactor',
  maxAdjustmentFactor: 'controlPlane.ciliumApiLimiterMaxAdjustmentFactor',
});

export function checkEndpointApiLimiterParams(p: EndpointApiLimiterParams): void {
  const positive = (n: string, v: number): void => {
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`endpointApiLimiter.${n} must be a finite number > 0, got ${v}`);
  };
  positive('ratePerSec', p.ratePerSec);
  positive('burst', p.burst);
  positive('estimatedProcessingSec', p.estimatedProcessingSec);
  if (!Number.isSafeInteger(p.parallel) || p.parallel < 1) throw new RangeError(`endpointApiLimiter.parallel must be an integer >= 1, got ${p.parallel}`);
  if (!Number.isSafeInteger(p.meanOver) || p.meanOver < 1) throw new RangeError(`endpointApiLimiter.meanOver must be an integer >= 1, got ${p.meanOver}`);
  if (!(p.maxWaitSec >= 0)) throw new RangeError(`endpointApiLimiter.maxWaitSec must be >= 0, got ${p.maxWaitSec}`);
  if (!(p.delayedAdjustmentFactor > 0 && p.delayedAdjustmentFactor <= 1)) throw new RangeError(`endpointApiLimiter.delayedAdjustmentFactor must be in (0, 1], got ${p.delayedAdjustmentFactor}`);
  if (!(p.maxAdjustmentFactor >= 1)) throw new RangeError(`endpointApiLimiter.maxAdjustmentFactor must be >= 1, got ${p.maxAdjustmentFactor}`);
}

export interface EndpointApiLimiterOptions {
  readonly params?: EndpointApiLimiterParams;
  /** Steer the limits by the measured processing time. Default true (the documented default). */
  readonly autoAdjust?: boolean;
}

/** Outcome callbacks of one request. */
export interface EndpointApiRequest {
  /** Processing time of this request, s. */
  readonly processingSec: number;
  /** Processing started (after the token and a parallel slot). */
  readonly onStart?: (startNs: number) => void;
  readonly onDone: (doneNs: number) => void;
  /** The limiter refused it (the wait would exceed the max wait). */
  readonly onRejected: (rejectedNs: number) => void;
}

export class EndpointApiLimiter {
  readonly params: EndpointApiLimiterParams;
  private readonly autoAdjust: boolean;
  private rate: number;
  private burst: number;
  private parallel: number;
  private tokens: number;
  private lastNs: number;
  private inFlight = 0;
  private readonly slotWaiters: (() => void)[] = [];
  private readonly recentSec: number[] = [];
  private readonly maxWaitNs: number;
  accepted = 0;
  rejected = 0;
  /** Total time accepted requests waited for a token and a slot, ns. */
  waitedNs = 0;
  maxWaitedNs = 0;

  constructor(private readonly sim: Simulation, opts: EndpointApiLimiterOptions = {}) {
    this.params = opts.params ?? defaultEndpointApiLimiterParams;
    checkEndpointApiLimiterParams(this.params);
    this.autoAdjust = opts.autoAdjust ?? true;
    this.rate = this.params.ratePerSec;
    this.burst = this.params.burst;
    this.parallel = this.params.parallel;
    this.tokens = this.burst;
    this.lastNs = sim.nowNs;
    this.maxWaitNs = roundNs(secToNs(this.params.maxWaitSec));
  }

  /** Current limits (they move with auto-adjustment). */
  get limits(): { readonly ratePerSec: number; readonly burst: number; readonly parallel: number } {
    return { ratePerSec: this.rate, burst: this.burst, parallel: this.parallel };
  }

  private advance(nowNs: number): void {
    if (nowNs > this.lastNs) {
      this.tokens = Math.min(this.burst, this.tokens + amountInNsAtRate(nowNs - this.lastNs, this.rate));
      this.lastNs = nowNs;
    }
  }

  request(req: EndpointApiRequest): void {
    const now = this.sim.nowNs;
    this.advance(now);
    const waitNs = this.tokens >= 1 ? 0 : Math.ceil(durationNsAtRate(1 - this.tokens, this.rate));
    if (waitNs > this.maxWaitNs) {
      this.rejected++;
      this.sim.schedule(0, () => req.onRejected(now));
      return;
    }
    this.tokens -= 1;
    this.accepted++;
    this.sim.schedule(waitNs, () => this.acquireSlot(req, now));
  }

  private acquireSlot(req: EndpointApiRequest, arrivedNs: number): void {
    const start = (): void => {
      this.inFlight++;
      const startNs = this.sim.nowNs;
      const waited = startNs - arrivedNs;
      this.waitedNs += waited;
      this.maxWaitedNs = Math.max(this.maxWaitedNs, waited);
      req.onStart?.(startNs);
      this.sim.schedule(roundNs(secToNs(req.processingSec)), () => this.finish(req));
    };
    if (this.inFlight < this.parallel) start();
    else this.slotWaiters.push(start);
  }

  private finish(req: EndpointApiRequest): void {
    this.inFlight--;
    if (this.autoAdjust) this.adjust(req.processingSec);
    req.onDone(this.sim.nowNs);
    while (this.inFlight < this.parallel && this.slotWaiters.length > 0) this.slotWaiters.shift()!();
  }

  private adjust(processingSec: number): void {
    const p = this.params;
    this.recentSec.push(processingSec);
    if (this.recentSec.length > p.meanOver) this.recentSec.shift();
    const mean = this.recentSec.reduce((a, b) => a + b, 0) / this.recentSec.length;
    const raw = mean > 0 ? p.estimatedProcessingSec / mean : p.maxAdjustmentFactor;
    const factor = Math.min(p.maxAdjustmentFactor, Math.max(1 / p.maxAdjustmentFactor, raw));
    this.advance(this.sim.nowNs);
    this.rate = p.ratePerSec * factor;
    this.burst = Math.max(1, this.burst + (p.burst * factor - this.burst) * p.delayedAdjustmentFactor);
    this.tokens = Math.min(this.tokens, this.burst);
    this.parallel = Math.max(1, Math.round(this.parallel + (p.parallel * factor - this.parallel) * p.delayedAdjustmentFactor));
  }
}
