/**
 * M/M/c (Erlang C) for c = 2, 4, 16: mean wait, probability of waiting and utilisation of the
 * G/G/c model with exponential times against Erlang C (computed here from the Erlang B
 * recursion). P(wait > 0) is read off the per-customer waits of each replication's trace.
 */
import { describe, expect, it } from 'vitest';
import { exponential } from '../../model/engine/distributions/index.ts';
import { erlangC } from '../../model/queueing/erlangC.ts';
import type { QueueParams } from '../../model/queueing/ggcQueue.ts';
import { expectTheoryInInterval, forEachReplication, interval, lazy, LONG, waitedFraction } from './helpers.ts';
import { mmc, relClose } from './theory.ts';

const SERVICE_SEC = 1e-3;
const MU = 1 / SERVICE_SEC;
const SEED = 2;
const REPLICATIONS = 20;

describe.each([
  { c: 2, rho: 0.7, customers: 50_000 },
  { c: 4, rho: 0.8, customers: 80_000 },
  { c: 16, rho: 0.9, customers: 100_000 },
])('M/M/$c at rho $rho ($customers customers x 20 replications)', ({ c, rho, customers }) => {
  const lambda = rho * c * MU;
  const theory = mmc(lambda, MU, c);
  const params: QueueParams = {
    servers: c,
    interarrivalSec: exponential(1 / lambda),
    serviceSec: exponential(SERVICE_SEC),
    customers,
  };
  const run = lazy(() => {
    const wait: number[] = [];
    const waited: number[] = [];
    const util: number[] = [];
    forEachReplication(params, { replications: REPLICATIONS, seed: SEED, warmup: 'auto' }, (rep) => {
      wait.push(rep.stats.meanWaitSec);
      util.push(rep.stats.utilization);
      waited.push(waitedFraction(rep));
    });
    return { wait: interval(wait), waited: interval(waited), util: interval(util) };
  });

  it(`M/M/${c} mean wait matches C(c, a)/(c mu - lambda)`, () => {
    expectTheoryInInterval(`M/M/${c} Wq`, run().wait, theory.meanWait);
  }, LONG);

  it(`M/M/${c} probability of waiting matches Erlang C`, () => {
    expectTheoryInInterval(`M/M/${c} P(wait>0)`, run().waited, theory.waitProbability);
  }, LONG);

  it(`M/M/${c} utilization matches lambda/(c mu)`, () => {
    expectTheoryInInterval(`M/M/${c} utilization`, run().util, rho);
  }, LONG);

  it(`erlangC(lambda, mu, ${c}) agrees with the Erlang B recursion`, () => {
    const e = erlangC(lambda, MU, c);
    expect(relClose(e.waitProbability, theory.waitProbability, 1e-10)).toBe(true);
    expect(relClose(e.meanWait, theory.meanWait, 1e-10)).toBe(true);
    expect(relClose(e.meanSojourn, theory.meanSojourn, 1e-10)).toBe(true);
    expect(relClose(e.meanQueueLength, theory.meanQueueLength, 1e-10)).toBe(true);
    expect(relClose(e.utilization, rho, 1e-12)).toBe(true);
    // Quantile formula: P(Wq > t) = C e^{-(c mu - lambda) t} evaluated at the returned t.
    for (const q of [0.9, 0.99]) {
      const t = e.waitQuantile(q);
      expect(relClose(theory.waitProbability * Math.exp(-(c * MU - lambda) * t), 1 - q, 1e-9)).toBe(true);
    }
  });
});
