/**
 * Picks the closed form that applies to a queue, if any: M/M/c/K (birth-death), M/M/c (Erlang C),
 * M/G/1 (Pollaczek-Khinchine). Returns null for anything else (G/G/c has no exact formula).
 */
import type { QueueParams } from './ggcQueue.ts';
import type { Distribution } from '../engine/distributions/distribution.ts';
import { erlangC } from './erlangC.ts';
import { pollaczekKhinchine } from './pollaczekKhinchine.ts';
import { mmckBlocking } from './mmckBlocking.ts';

export interface QueueAnalytic {
  /** Which closed form, e.g. "M/M/c (Erlang C)". */
  model: string;
  meanWaitSec: number;
  meanSojournSec: number;
  meanQueueLength: number;
  utilization: number;
  /** Waiting-time quantiles where the formula gives them (M/M/c), else null. */
  waitQuantilesSec: { p50: number; p90: number; p99: number } | null;
  /** Blocking probability where there is a capacity limit, else null. */
  blockingProbability: number | null;
}

/**
 * Exponential in law, whatever the spelling: Erlang-1, and a hyperexponential whose branches have
 * equal means (or probability 0 or 1), have scv exactly 1 and are exponential.
 */
function isExponential(d: Distribution): boolean {
  if (d.kind === 'exponential') return true;
  return (d.kind === 'erlang' || d.kind === 'hyperexponential') && Math.abs(d.scv - 1) < 1e-12;
}

export function queueAnalytic(p: QueueParams): QueueAnalytic | null {
  if (!isExponential(p.interarrivalSec)) return null;
  const lambda = 1 / p.interarrivalSec.mean;
  const capacity = p.capacity ?? Infinity;
  const s = p.serviceSec;
  if (capacity !== Infinity) {
    if (!isExponential(s)) return null;
    const r = mmckBlocking(lambda, 1 / s.mean, p.servers, capacity);
    return {
      model: 'M/M/c/K (birth-death)',
      meanWaitSec: r.meanWait,
      meanSojournSec: r.meanSojourn,
      meanQueueLength: r.meanQueueLength,
      utilization: r.utilization,
      waitQuantilesSec: null,
      blockingProbability: r.blockingProbability,
    };
  }
  if (lambda * s.mean >= p.servers) return null;
  if (isExponential(s)) {
    const r = erlangC(lambda, 1 / s.mean, p.servers);
    return {
      model: p.servers === 1 ? 'M/M/1 (Erlang C with c = 1)' : 'M/M/c (Erlang C)',
      meanWaitSec: r.meanWait,
      meanSojournSec: r.meanSojourn,
      meanQueueLength: r.meanQueueLength,
      utilization: r.utilization,
      waitQuantilesSec: { p50: r.waitQuantile(0.5), p90: r.waitQuantile(0.9), p99: r.waitQuantile(0.99) },
      blockingProbability: null,
    };
  }
  if (p.servers === 1) {
    const r = pollaczekKhinchine(lambda, s.mean, s.secondMoment);
    return {
      model: 'M/G/1 (Pollaczek-Khinchine)',
      meanWaitSec: r.meanWait,
      meanSojournSec: r.meanSojourn,
      meanQueueLength: r.meanQueueLength,
      utilization: r.utilization,
      waitQuantilesSec: null,
      blockingProbability: null,
    };
  }
  return null;
}
