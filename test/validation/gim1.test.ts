/**
 * GI/M/1 with inter-arrival laws below and above exponential variability (deterministic,
 * Erlang-2, uniform, hyperexponential), exponential service at rho 0.7: the simulated mean wait
 * against the exact solution, whose root sigma is computed here by fixed-point iteration from each
 * law's Laplace transform written out from its parameters (not from the distribution object).
 * Then the Allen-Cunneen approximation for G/G/c: exact where it must be (M/M/c, M/G/1), and
 * within its documented accuracy of the simulation for moderate variability.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deterministic, erlang, exponential, hyperexponential, uniform, type Distribution } from '../../model/engine/distributions/index.ts';
import { runQueueStudy } from '../../model/queueing/queueStudy.ts';
import { queueAnalytic } from '../../model/queueing/queueAnalytic.ts';
import { giM1 } from '../../model/queueing/giM1.ts';
import { allenCunneen } from '../../model/queueing/allenCunneen.ts';
import { erlangC } from '../../model/queueing/erlangC.ts';
import { pollaczekKhinchine } from '../../model/queueing/pollaczekKhinchine.ts';
import { expectTheoryInInterval, lazy } from './helpers.ts';
import { gim1MeanWait, relClose } from './theory.ts';

const MEAN_A = 1e-3;
const RHO = 0.7;
const MU = 1 / (RHO * MEAN_A);
const WARMUP = 2_000;

// Laplace transforms E[e^{-sA}] from each law's parameters.
const cases: { name: string; dist: Distribution; laplace: (s: number) => number }[] = [
  { name: 'deterministic', dist: deterministic(MEAN_A), laplace: (s) => Math.exp(-s * MEAN_A) },
  { name: 'erlang(2)', dist: erlang(2, MEAN_A), laplace: (s) => (2 / MEAN_A / (2 / MEAN_A + s)) ** 2 },
  { name: 'uniform(0.5m, 1.5m)', dist: uniform(0.5 * MEAN_A, 1.5 * MEAN_A), laplace: (s) => (Math.exp(-0.5 * MEAN_A * s) - Math.exp(-1.5 * MEAN_A * s)) / (s * MEAN_A) },
  {
    name: 'hyperexp(p=0.2, 3m, 0.5m)',
    dist: hyperexponential(0.2, 3 * MEAN_A, 0.5 * MEAN_A),
    laplace: (s) => 0.2 / (1 + 3 * MEAN_A * s) + 0.8 / (1 + 0.5 * MEAN_A * s),
  },
];

describe.each(cases)('GI/M/1 with $name arrivals at rho 0.7 (20 replications x 60000 customers)', ({ name, dist, laplace }) => {
  const theory = gim1MeanWait(laplace, MU);
  const s = lazy(() =>
    runQueueStudy({ servers: 1, interarrivalSec: dist, serviceSec: exponential(1 / MU), customers: 60_000 }, { replications: 20, seed: 7, warmup: WARMUP }),
  );

  it(`the library's GI/M/1 root agrees with the fixed-point root (${name})`, () => {
    const lib = giM1(dist.laplace!, dist.mean, MU);
    expect(relClose(lib.waitProbability, theory.sigma, 1e-9)).toBe(true);
    expect(relClose(lib.meanWait, theory.meanWait, 1e-8)).toBe(true);
  });

  it(`simulated mean wait matches the exact GI/M/1 solution (${name})`, () => {
    const a = s().analytic!;
    expect(a.exact).toBe(true);
    expect(a.model).toMatch(/GI\/M\/1/);
    expectTheoryInInterval(`GI/M/1 ${name} Wq`, s().meanWaitSec, theory.meanWait);
  });
});

describe('GI/M/1 reduces to M/M/1 for Poisson arrivals', () => {
  it('sigma = rho and Wq = rho / (mu - lambda) for any stable rho', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (rho, mean) => {
        const mu = 1 / (rho * mean);
        const r = giM1(exponential(mean).laplace!, mean, mu);
        return relClose(r.waitProbability, rho, 1e-9) && relClose(r.meanWait, rho / (mu - 1 / mean), 1e-8);
      }),
    );
  });
});

describe('Allen-Cunneen G/G/c approximation', () => {
  it('is Erlang C for M/M/c and Pollaczek-Khinchine for M/G/1 (random inputs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.double({ min: 0, max: 8, noNaN: true }),
        (c, rho, cs2) => {
          const meanS = 1;
          const lambda = (rho * c) / meanS;
          const mmc = allenCunneen(lambda, meanS, c, 1, 1);
          const mg1 = allenCunneen(rho, meanS, 1, 1, cs2);
          return (
            relClose(mmc.meanWait, erlangC(lambda, 1 / meanS, c).meanWait, 1e-12) &&
            relClose(mg1.meanWait, pollaczekKhinchine(rho, meanS, meanS * meanS * (1 + cs2)).meanWait, 1e-9)
          );
        },
      ),
    );
  });

  it('grows with either variability (more variable arrivals or service never shorten the wait)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.double({ min: 0.1, max: 0.9, noNaN: true }), fc.double({ min: 0, max: 4, noNaN: true }), fc.double({ min: 0, max: 4, noNaN: true }), (c, rho, ca2, extra) => {
        const lambda = rho * c;
        return allenCunneen(lambda, 1, c, ca2 + extra, 1).meanWait >= allenCunneen(lambda, 1, c, ca2, 1).meanWait;
      }),
    );
  });

  // Allen (1990) section 6.2 and Gross & Harris section 7.2 put the approximation within about 10 %
  // for moderate variability and load; 15 % leaves room for the simulation's own interval. (With
  // deterministic arrivals it is much worse: D/M/2 at rho 0.7 is 30 % high; no case of that kind here.)
  const ggc: { name: string; a: Distribution; s: Distribution; c: number }[] = [
    { name: 'E2/E2/2 at rho 0.8', a: erlang(2, 1), s: erlang(2, 1.6), c: 2 },
    { name: 'E2/M/3 at rho 0.85', a: erlang(2, 1), s: exponential(2.55), c: 3 },
    { name: 'H2/E4/4 at rho 0.75', a: hyperexponential(0.3, 2, 0.571_428_571_428_571_4), s: erlang(4, 3), c: 4 },
  ];
  it.each(ggc)('$name: the study reports it as an approximation, within 15 % of the simulated mean wait', ({ a, s, c }) => {
    const study = runQueueStudy({ servers: c, interarrivalSec: a, serviceSec: s, customers: 40_000 }, { replications: 10, seed: 3, warmup: WARMUP });
    const approx = queueAnalytic({ servers: c, interarrivalSec: a, serviceSec: s, customers: 1 })!;
    expect(approx.exact).toBe(false);
    expect(study.analytic?.model).toBe(approx.model);
    expect(Math.abs(study.meanWaitSec.mean / approx.meanWaitSec - 1)).toBeLessThan(0.15);
  });
});
