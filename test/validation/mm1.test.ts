/**
 * M/M/1 (Poisson arrivals, one exponential server, FCFS): the replication study's 95% intervals
 * must contain the closed forms, and its pooled waiting-time quantiles must match the exact
 * quantiles of P(Wq > t) = rho e^{-(mu - lambda) t}.
 */
import { describe, expect, it } from 'vitest';
import { exponential } from '../../model/engine/distributions/index.ts';
import { runQueueStudy } from '../../model/queueing/queueStudy.ts';
import { expectTheoryInInterval, lazy, LONG, report } from './helpers.ts';
import { mm1, relClose } from './theory.ts';

const SERVICE_SEC = 1e-3; // mu = 1000 / s
const MU = 1 / SERVICE_SEC;
const SEED = 1;

function study(rho: number, customers: number) {
  const lambda = rho * MU;
  return runQueueStudy(
    { servers: 1, interarrivalSec: exponential(1 / lambda), serviceSec: exponential(SERVICE_SEC), customers },
    { replications: 20, seed: SEED, warmup: 'auto' },
  );
}

describe.each([
  { rho: 0.5, customers: 50_000 },
  { rho: 0.9, customers: 200_000 },
])('M/M/1 at rho $rho (20 replications x $customers customers, MSER-5 warm-up)', ({ rho, customers }) => {
  const s = lazy(() => study(rho, customers));
  const theory = mm1(rho * MU, MU);

  it('M/M/1 mean wait matches rho/(mu-lambda)', () => {
    expectTheoryInInterval(`M/M/1 rho ${rho} Wq`, s().meanWaitSec, theory.meanWait);
  }, LONG);

  it('M/M/1 mean sojourn matches 1/(mu-lambda)', () => {
    expectTheoryInInterval(`M/M/1 rho ${rho} W`, s().meanSojournSec, theory.meanSojourn);
  }, LONG);

  it('M/M/1 mean queue length matches rho^2/(1-rho)', () => {
    expectTheoryInInterval(`M/M/1 rho ${rho} Lq`, s().meanQueueLength, theory.meanQueueLength);
  }, LONG);

  it('M/M/1 utilization matches rho', () => {
    expectTheoryInInterval(`M/M/1 rho ${rho} utilization`, s().utilization, rho);
  }, LONG);

  it('M/M/1 study reports the textbook closed form as its analytic reference', () => {
    const a = s().analytic!;
    expect(a.model).toMatch(/M\/M\/1/);
    expect(relClose(a.meanWaitSec, theory.meanWait)).toBe(true);
    expect(relClose(a.meanSojournSec, theory.meanSojourn)).toBe(true);
    expect(relClose(a.meanQueueLength, theory.meanQueueLength)).toBe(true);
    expect(relClose(a.utilization, rho)).toBe(true);
    expect(s().blockingProbability).toEqual({ mean: 0, ci95HalfWidth: 0 });
  }, LONG);
});

describe('M/M/1 waiting-time quantiles at rho 0.8 (20 replications x 200k customers, pooled)', () => {
  const rho = 0.8;
  const s = lazy(() => study(rho, 200_000));
  const theory = mm1(rho * MU, MU);
  // 3% sampling allowance (the pooled sample is ~4M autocorrelated waits) plus the histogram's
  // 3-significant-digit bucket precision (relative 1e-3).
  const REL_TOL = 0.03 + 1e-3;

  it.each([
    { q: 0.5, key: 'p50' },
    { q: 0.9, key: 'p90' },
    { q: 0.99, key: 'p99' },
  ] as const)('M/M/1 wait $key matches ln(rho/(1-q))/(mu-lambda)', ({ q, key }) => {
    const expected = theory.waitQuantile(q);
    expect(expected).toBeGreaterThan(0); // a non-trivial quantile: q > P(no wait) = 1 - rho
    const simulated = s().waitQuantilesSec[key];
    report(`M/M/1 rho 0.8 wait ${key}: sim ${simulated}, theory ${expected}, rel err ${((simulated - expected) / expected).toFixed(4)}`);
    expect(
      Math.abs(simulated - expected),
      `${key}: simulated ${simulated} s, theory ${expected} s`,
    ).toBeLessThanOrEqual(REL_TOL * expected);
  }, LONG);

  it('M/M/1 study reports the Erlang C quantile formula', () => {
    const a = s().analytic!.waitQuantilesSec!;
    expect(relClose(a.p50, theory.waitQuantile(0.5))).toBe(true);
    expect(relClose(a.p90, theory.waitQuantile(0.9))).toBe(true);
    expect(relClose(a.p99, theory.waitQuantile(0.99))).toBe(true);
  }, LONG);
});
