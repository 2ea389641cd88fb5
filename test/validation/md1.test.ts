/**
 * M/D/1: Poisson arrivals, constant service s. Pollaczek-Khinchine with E[S^2] = s^2 gives
 * Wq = lambda s^2 / (2 (1 - rho)), half the M/M/1 wait at the same load.
 */
import { describe, expect, it } from 'vitest';
import { deterministic, exponential } from '../../model/engine/distributions/index.ts';
import { pollaczekKhinchine } from '../../model/queueing/pollaczekKhinchine.ts';
import { runQueueStudy } from '../../model/queueing/queueStudy.ts';
import { expectTheoryInInterval, lazy, LONG } from './helpers.ts';
import { pkMeanWait, relClose } from './theory.ts';

const S = 1e-3;
const SEED = 3;

describe.each([{ rho: 0.5 }, { rho: 0.85 }])('M/D/1 at rho $rho (20 replications x 100k customers)', ({ rho }) => {
  const lambda = rho / S;
  const wq = (lambda * S * S) / (2 * (1 - rho));
  const s = lazy(() =>
    runQueueStudy(
      { servers: 1, interarrivalSec: exponential(1 / lambda), serviceSec: deterministic(S), customers: 100_000 },
      { replications: 20, seed: SEED, warmup: 'auto' },
    ),
  );

  it('M/D/1 mean wait matches lambda s^2/(2(1-rho))', () => {
    expectTheoryInInterval(`M/D/1 rho ${rho} Wq`, s().meanWaitSec, wq);
  }, LONG);

  it('M/D/1 mean sojourn is the mean wait plus s exactly (every service takes s)', () => {
    const { meanSojournSec: w, meanWaitSec: q } = s();
    expect(Math.abs(w.mean - q.mean - S)).toBeLessThanOrEqual(1e-12);
  }, LONG);

  it('M/D/1 utilization matches rho', () => {
    expectTheoryInInterval(`M/D/1 rho ${rho} utilization`, s().utilization, rho);
  }, LONG);

  it('M/D/1 closed form used by the study is P-K with E[S^2] = s^2', () => {
    expect(relClose(pkMeanWait(lambda, S, S * S), wq)).toBe(true);
    expect(relClose(pollaczekKhinchine(lambda, S, S * S).meanWait, wq)).toBe(true);
    const a = s().analytic!;
    expect(a.model).toMatch(/Pollaczek-Khinchine/);
    expect(relClose(a.meanWaitSec, wq)).toBe(true);
  }, LONG);
});
