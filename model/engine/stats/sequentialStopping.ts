/**
 * Sequential replication until a relative precision target (Law & Kelton, "Simulation Modeling and Analysis",
 * sequential procedure): after each replication recompute the t-interval over all values so far and stop once
 * n >= minReplications and halfWidth/|mean| <= relHalfWidth, or n reaches maxReplications. Values must be added in
 * replication order for reproducible results. A mean of exactly 0 never meets a relative target (runs to max).
 */
import {
  type ConfidenceInterval,
  confidenceIntervalFromMoments,
  relativeHalfWidth,
} from './confidenceInterval.ts';
import { Welford } from './welford.ts';
import { DEFAULT_CONFIDENCE } from './percentiles.ts';

/** Replications before the sample variance is trusted to decide whether to stop. */
export const DEFAULT_MIN_REPLICATIONS = 3; // calibration-exempt: a method default (a variance from fewer is too noisy), not a model quantity

export interface PrecisionTarget {
  relHalfWidth: number;
  /** Default 0.95. */
  confidence?: number;
  /** Default 3; must be >= 2. */
  minReplications?: number;
  maxReplications: number;
}

export class SequentialStopper {
  private readonly relTarget: number;
  private readonly confidence: number;
  private readonly minReplications: number;
  private readonly maxReplications: number;
  private readonly moments = new Welford();
  private readonly samples: number[] = [];
  private isDone = false;
  private hitTarget = false;

  constructor(target: PrecisionTarget) {
    if (target === null || typeof target !== 'object') {
      throw new TypeError(`target must be a PrecisionTarget object, got ${String(target)}`);
    }
    const { relHalfWidth, confidence = DEFAULT_CONFIDENCE, minReplications = DEFAULT_MIN_REPLICATIONS, maxReplications } = target;
    if (!(relHalfWidth > 0 && relHalfWidth < Infinity)) {
      throw new RangeError(`target.relHalfWidth must be a finite number > 0, got ${relHalfWidth}`);
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new RangeError(`target.confidence must be in (0, 1), got ${confidence}`);
    }
    if (!Number.isSafeInteger(minReplications) || minReplications < 2) {
      throw new RangeError(`target.minReplications must be an integer >= 2, got ${minReplications}`);
    }
    if (!Number.isSafeInteger(maxReplications) || maxReplications < minReplications) {
      throw new RangeError(
        `target.maxReplications must be an integer >= minReplications (${minReplications}), got ${maxReplications}`,
      );
    }
    this.relTarget = relHalfWidth;
    this.confidence = confidence;
    this.minReplications = minReplications;
    this.maxReplications = maxReplications;
  }

  /** Adds the next replication's value; throws once done, since the stopping decision has been made. */
  add(value: number): void {
    if (this.isDone) {
      throw new Error(`SequentialStopper is done after ${this.samples.length} replications; add() is not allowed`);
    }
    if (!Number.isFinite(value)) throw new RangeError(`value must be a finite number, got ${value}`);
    this.moments.add(value);
    this.samples.push(value);
    const n = this.samples.length;
    if (n >= this.minReplications && relativeHalfWidth(this.ci) <= this.relTarget) {
      this.hitTarget = true;
      this.isDone = true;
    } else if (n >= this.maxReplications) {
      this.isDone = true;
    }
  }

  /** True once the target was met or maxReplications values were added. */
  get done(): boolean {
    return this.isDone;
  }

  /** True when stopping was because the relative half-width target was met. */
  get reachedTarget(): boolean {
    return this.hitTarget;
  }

  /** Interval over the values so far (all-NaN with n = 0 before the first add). */
  get ci(): ConfidenceInterval {
    const w = this.moments;
    return confidenceIntervalFromMoments(w.count, w.mean, w.stdDev, this.confidence);
  }

  get count(): number {
    return this.samples.length;
  }

  /** The values added so far, in order (a copy). */
  get values(): number[] {
    return this.samples.slice();
  }
}

/** Runs runReplication(0), runReplication(1), ... until the SequentialStopper for target is done. */
export function runToPrecision(
  target: PrecisionTarget,
  runReplication: (replication: number) => number,
): { values: number[]; ci: ConfidenceInterval; reachedTarget: boolean } {
  if (typeof runReplication !== 'function') {
    throw new TypeError(`runReplication must be a function, got ${String(runReplication)}`);
  }
  const stopper = new SequentialStopper(target);
  for (let replication = 0; !stopper.done; replication++) {
    const value = runReplication(replication);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`runReplication(${replication}) must return a finite number, got ${String(value)}`);
    }
    stopper.add(value);
  }
  return { values: stopper.values, ci: stopper.ci, reachedTarget: stopper.reachedTarget };
}
