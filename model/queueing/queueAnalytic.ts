/**
 * Picks the theory that applies to a queue: an exact closed form where one exists (M/M/c/K by
 * birth-death, M/M/c by Erlang C, M/G/1 by Pollaczek-Khinchine, GI/M/1 from its root sigma), else
 * the Allen-Cunneen approximation for a stable G/G/c (Kingman's formula when c = 1), marked
 * `exact: false`. Returns null for an unstable queue and for a finite room with anything but
 * exponential arrivals and service.
 */
import type { QueueParams } from './ggcQueue.ts';
import type { Distribution } from '../engine/distributions/distribution.ts';
import { erlangC } from './erlangC.ts';
import { pollaczekKhinchine } from './pollaczekKhinchine.ts';
import { mmckBlocking } from './mmckBlocking.ts';
import { giM1 } from './giM1.ts';
import { allenCunneen } from './allenCunneen.ts';
import { P50, P90, P99 } from '../engine/stats/percentiles.ts';

export interface QueueAnalytic {
  /** Which formula, e.g. "M/M/c (Erlang C)" or "G/G/c (Allen-Cunneen approximation)". */
  model: string;
  /** True for a closed form, false for an approximation (expect differences of several %). */
  exact: boolean;
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

/** The mean values every formula gives. */
interface MeanValues {
  readonly meanWait: number;
  readonly meanSojourn: number;
  readonly meanQueueLength: number;
  readonly utilization: number;
}

function result(
  model: string,
  exact: boolean,
  r: MeanValues,
  quantile: ((q: number) => number) | null = null,
  blockingProbability: number | null = null,
): QueueAnalytic {
  return {
    model,
    exact,
    meanWaitSec: r.meanWait,
    meanSojournSec: r.meanSojourn,
    meanQueueLength: r.meanQueueLength,
    utilization: r.utilization,
    waitQuantilesSec: quantile === null ? null : { p50: quantile(P50), p90: quantile(P90), p99: quantile(P99) },
    blockingProbability,
  };
}

export function queueAnalytic(p: QueueParams): QueueAnalytic | null {
  const a = p.interarrivalSec;
  const s = p.serviceSec;
  const lambda = 1 / a.mean;
  const capacity = p.capacity ?? Infinity;
  const poissonArrivals = isExponential(a);
  if (capacity !== Infinity) {
    if (!poissonArrivals || !isExponential(s)) return null;
    const r = mmckBlocking(lambda, 1 / s.mean, p.servers, capacity);
    return result('M/M/c/K (birth-death)', true, r, null, r.blockingProbability);
  }
  if (lambda * s.mean >= p.servers) return null;
  if (poissonArrivals && isExponential(s)) {
    const r = erlangC(lambda, 1 / s.mean, p.servers);
    return result(p.servers === 1 ? 'M/M/1 (Erlang C with c = 1)' : 'M/M/c (Erlang C)', true, r, r.waitQuantile);
  }
  if (poissonArrivals && p.servers === 1) {
    return result('M/G/1 (Pollaczek-Khinchine)', true, pollaczekKhinchine(lambda, s.mean, s.secondMoment));
  }
  if (p.servers === 1 && isExponential(s) && a.laplace !== undefined) {
    const r = giM1(a.laplace, a.mean, 1 / s.mean);
    return result('GI/M/1 (exact, from the root sigma)', true, r, r.waitQuantile);
  }
  const r = allenCunneen(lambda, s.mean, p.servers, a.scv, s.scv);
  return result(p.servers === 1 ? 'G/G/1 (Kingman approximation)' : 'G/G/c (Allen-Cunneen approximation)', false, r);
}
