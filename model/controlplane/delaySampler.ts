/**
 * Random delays of the control plane (watch delivery, pod start, a proxy pass): a positive
 * duration with a given mean and coefficient of variation, drawn from a lognormal (heavy right
 * tail) or constant when the coefficient of variation is 0. Returned in integer nanoseconds, the
 * engine's clock unit.
 */
import { deterministic, lognormal, type RandomStream } from '../engine/index.ts';
import { roundNs, secToNs } from '../units.ts';

/** A sampler of delays in ns with mean `meanSec` and coefficient of variation `cv` (>= 0). */
export function delaySamplerNs(meanSec: number, cv: number, stream: RandomStream): () => number {
  if (!(meanSec >= 0) || !Number.isFinite(meanSec)) throw new RangeError(`meanSec must be a finite number >= 0, got ${meanSec}`);
  if (!(cv >= 0) || !Number.isFinite(cv)) throw new RangeError(`cv must be a finite number >= 0, got ${cv}`);
  if (meanSec === 0) return () => 0;
  const draw = (cv === 0 ? deterministic(meanSec) : lognormal(meanSec, cv)).sampler(stream);
  return () => roundNs(secToNs(draw()));
}
