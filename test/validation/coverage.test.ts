/**
 * Are the confidence intervals honest? Every other file asserts "theory inside the 95% interval"
 * once per case; that is only meaningful if the interval really covers the true value about 95%
 * of the time. Here 100 independent small M/M/1 studies (rho 0.7, 5 replications x 5k customers,
 * warm-up 500 customers) each produce a 95% Student-t interval for the mean wait, and the share
 * of them that contain rho/(mu - lambda) must be at least 85% (a 95% procedure falls below 85%
 * out of 100 with probability 4e-5; a slightly under-covering one, e.g. from skewed replication
 * means or initialisation bias, can sit near 90%).
 */
import { describe, expect, it } from 'vitest';
import { exponential } from '../../model/engine/distributions/index.ts';
import { runQueueStudy } from '../../model/queueing/queueStudy.ts';
import { LONG, report } from './helpers.ts';
import { mm1 } from './theory.ts';

const SERVICE_SEC = 1e-3;
const RHO = 0.7;
const STUDIES = 100;

describe('calibration of the replication confidence intervals (M/M/1, rho 0.7)', () => {
  it('95% t-intervals of 100 independent studies cover the true mean wait 85%-100% of the time', () => {
    const lambda = RHO / SERVICE_SEC;
    const truth = mm1(lambda, 1 / SERVICE_SEC).meanWait;
    const params = { servers: 1, interarrivalSec: exponential(1 / lambda), serviceSec: exponential(SERVICE_SEC), customers: 5_000 };
    let covered = 0;
    let coveredWrong = 0;
    let relHalfWidth = 0;
    for (let study = 0; study < STUDIES; study++) {
      const { meanWaitSec: w } = runQueueStudy(params, { replications: 5, seed: 1_000 + study, warmup: 500 });
      if (Math.abs(w.mean - truth) <= w.ci95HalfWidth) covered++;
      if (Math.abs(w.mean - 1.3 * truth) <= w.ci95HalfWidth) coveredWrong++;
      relHalfWidth += w.ci95HalfWidth / truth / STUDIES;
    }
    report(
      `coverage: ${covered}/${STUDIES} intervals contain Wq = ${truth}, ${coveredWrong}/${STUDIES} contain 1.3 Wq; ` +
        `mean relative half-width ${relHalfWidth.toFixed(3)}`,
    );
    expect(covered / STUDIES).toBeGreaterThanOrEqual(0.85);
    expect(covered / STUDIES).toBeLessThanOrEqual(1);
    // Not vacuous: the intervals are narrow enough to tell a 30% error apart from the truth.
    expect(relHalfWidth).toBeLessThan(0.3);
    expect(coveredWrong / STUDIES).toBeLessThan(0.25);
  }, LONG);
});
