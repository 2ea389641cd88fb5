/**
 * Discrete empirical distribution over given non-negative values (e.g. measured latencies), with
 * optional non-negative weights (default equal). Sampled by Walker's alias method: one uniform and
 * O(1) per draw. Moments are exact for the discrete distribution, not for what it was measured from.
 */

import type { RandomStream } from '../randomStreams.ts';
import type { Distribution } from './distribution.ts';
import { requireNonNegative } from './argumentChecks.ts';

/** describe() lists every value up to this many; beyond it a summary (not parseable either way). */
const DESCRIBE_MAX_VALUES = 16; // calibration-exempt: presentation: how many values describe() lists

interface AliasTable {
  readonly values: Float64Array;
  /** Probability of keeping column i rather than jumping to alias[i]. */
  readonly keep: Float64Array;
  readonly alias: Uint32Array;
}

function buildAliasTable(values: Float64Array, probabilities: Float64Array): AliasTable {
  const n = values.length;
  const keep = new Float64Array(n);
  const alias = new Uint32Array(n);
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < n; i++) {
    keep[i] = probabilities[i]! * n;
    alias[i] = i;
    (keep[i]! < 1 ? small : large).push(i);
  }
  // Vose's variant: pair each under-full column with an over-full one.
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    alias[s] = l;
    keep[l] = keep[l]! + keep[s]! - 1;
    (keep[l]! < 1 ? small : large).push(l);
  }
  // Leftovers are 1 up to rounding; pinning them to 1 keeps rounding from creating phantom jumps.
  for (const i of large) keep[i] = 1;
  for (const i of small) keep[i] = 1;
  return { values, keep, alias };
}

export function empirical(values: number[], weights?: number[]): Distribution {
  if (!Array.isArray(values)) {
    throw new TypeError(`values must be an array of numbers, got ${typeof values}`);
  }
  if (values.length === 0) {
    throw new RangeError('values must hold at least one value, got an empty array');
  }
  if (weights !== undefined) {
    if (!Array.isArray(weights)) {
      throw new TypeError(`weights must be an array of numbers or undefined, got ${typeof weights}`);
    }
    if (weights.length !== values.length) {
      throw new RangeError(
        `weights must have one entry per value: values.length=${values.length}, weights.length=${weights.length}`,
      );
    }
  }
  const n = values.length;
  const xs = new Float64Array(n);
  const probabilities = new Float64Array(n);
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    xs[i] = requireNonNegative(`values[${i}]`, values[i]);
    const w = weights === undefined ? 1 : requireNonNegative(`weights[${i}]`, weights[i]);
    probabilities[i] = w;
    weightSum += w;
  }
  if (!(weightSum > 0) || !Number.isFinite(weightSum)) {
    throw new RangeError(`weights must have a positive finite sum, got ${weightSum}`);
  }
  let mean = 0;
  for (let i = 0; i < n; i++) {
    probabilities[i] = probabilities[i]! / weightSum;
    mean += probabilities[i]! * xs[i]!;
  }
  if (!(mean > 0)) {
    throw new RangeError('values must include a positive value with positive weight (the mean must be > 0), got mean 0');
  }
  // Central form (sum p (x - mean)^2) avoids the cancellation of E[X^2] - mean^2 for low-spread data.
  let variance = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - mean;
    variance += probabilities[i]! * d * d;
  }
  const table = buildAliasTable(xs, probabilities);
  const describeText =
    n <= DESCRIBE_MAX_VALUES
      ? `empirical:${Array.from(xs, (x, i) => `${x}@${probabilities[i]}`).join(',')}`
      : `empirical:n=${n},mean=${mean}`;
  return Object.freeze({
    kind: 'empirical' as const,
    mean,
    variance,
    scv: variance / (mean * mean),
    secondMoment: variance + mean * mean,
    sampler(stream: RandomStream): () => number {
      const u = stream.uniformFn;
      const { values: vs, keep, alias } = table;
      return () => {
        const x = u() * n;
        const column = Math.floor(x);
        // Column and fractional part of U*n are independent uniforms; the fraction keeps 53 - log2(n) bits.
        return x - column < keep[column]! ? vs[column]! : vs[alias[column]!]!;
      };
    },
    /** Human-readable only: parseDistribution does not accept empirical specs. */
    describe: (): string => describeText,
  });
}
