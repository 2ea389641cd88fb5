/**
 * Deterministic (constant) distribution: every draw equals `value` (M/D/1 service, fixed delays).
 * It consumes no random draws, so switching a stage to it shifts no other stage's stream.
 */

import type { RandomStream } from '../randomStreams.ts';
import type { Distribution } from './distribution.ts';
import { requirePositive } from './argumentChecks.ts';

export function deterministic(value: number): Distribution {
  requirePositive('value', value);
  return Object.freeze({
    kind: 'deterministic' as const,
    mean: value,
    variance: 0,
    scv: 0,
    secondMoment: value * value,
    laplace: (s: number): number => Math.exp(-s * value),
    sampler(_stream: RandomStream): () => number {
      return () => value;
    },
    describe: (): string => `det:${value}`,
  });
}
