/**
 * queue-validation: the engine against queueing theory. M/M/c queues at several loads and server
 * counts, plus M/D/1 points, each replication one run of the G/G/c model (model/queueing) with a
 * warm-up deleted; the closed form (Erlang C, Pollaczek-Khinchine) rides along as a metric so the
 * chart can overlay it. Time is in units of the mean service time (meanServiceSec = 1).
 * Warm-up: a fixed 5% of each replication's customers. Each replication is its own task here, so
 * MSER-5 could only look at one replication's waits, and truncating each run on its own data is
 * selection that biases the mean low (model/queueing/queueSummary.ts `mser5Warmup`); the runs
 * start empty, and 5% of 200,000 customers is hundreds of relaxation times even at rho = 0.9.
 */
import { ciChart } from './lib/ciChart.ts';
import { defineExperiment, type ScenarioContext } from './lib/defineExperiment.ts';
import { deterministic, exponential } from '../model/engine/distributions/index.ts';
import { simulateQueue, type QueueParams } from '../model/queueing/ggcQueue.ts';
import { summarizeTrace } from '../model/queueing/queueSummary.ts';
import { queueAnalytic } from '../model/queueing/queueAnalytic.ts';

export interface QueueValidationParams {
  /** Number of servers c. */
  servers: number;
  /** Offered load per server, lambda * E[S] / c, in (0, 1). */
  rho: number;
  /** Service time distribution: exponential (M/M/c) or constant (M/D/c). */
  service: 'exp' | 'det';
  /** Mean service time, seconds. */
  meanServiceSec: number;
  /** Arrivals per replication. */
  customers: number;
  /** Share of each replication's first customers deleted as warm-up, in [0, 1). */
  warmupFraction: number;
}

/** One replication: simulate, delete the warm-up (the fixed fraction), summarize. */
export function queueValidationScenario(p: QueueValidationParams, ctx: ScenarioContext) {
  const arrivalRatePerSec = (p.rho * p.servers) / p.meanServiceSec;
  const queue: QueueParams = {
    servers: p.servers,
    interarrivalSec: exponential(1 / arrivalRatePerSec),
    serviceSec: p.service === 'exp' ? exponential(p.meanServiceSec) : deterministic(p.meanServiceSec),
    customers: p.customers,
  };
  const trace = simulateQueue(queue, ctx.streams);
  const s = summarizeTrace(trace, Math.round(p.customers * p.warmupFraction));
  const analytic = queueAnalytic(queue);
  return {
    meanWaitSec: s.meanWaitSec,
    meanSojournSec: s.meanSojournSec,
    meanQueueLength: s.meanQueueLength,
    utilization: s.utilization,
    analyticMeanWaitSec: analytic?.meanWaitSec ?? NaN,
  };
}

// calibration-exempt-begin: chart geometry (panel sizes in pixels, the dodge between series in units of rho)
/** "M/M/2", "M/D/1": one series per queue, the closed form in the same colour. */
const queueLabel = { queue: "(datum.service == 'exp' ? 'M/M/' : 'M/D/') + datum.servers" };
const queueSeries = { field: 'queue', title: 'queue', sort: ['M/M/1', 'M/M/2', 'M/M/4', 'M/D/1'] };
const rhoAxis = { field: 'rho', title: 'offered load per server (rho)' };
const closedForm = { metric: 'analyticMeanWaitSec', title: 'closed form (Erlang C, P-K)' };

const meanWaitChart = ciChart({
  title: 'Simulated mean wait (95% CI) vs the closed form',
  derive: queueLabel,
  x: rhoAxis,
  series: queueSeries,
  panels: [
    {
      metric: 'meanWaitSec',
      y: { title: 'mean wait in queue (service times)', zero: true },
      reference: closedForm,
      lines: false,
    },
  ],
  width: 420,
  height: 300,
});

const relativeErrorChart = ciChart({
  title: 'Simulated / closed-form mean wait - 1, with 95% CI',
  derive: queueLabel,
  // Points of one rho side by side, so that their intervals do not overlap.
  x: { ...rhoAxis, dodge: 0.006 },
  series: queueSeries,
  panels: [
    {
      metric: 'meanWaitSec',
      label: 'mean wait in queue (service times)',
      y: { title: 'relative error of the mean wait', format: '.0%' },
      reference: closedForm,
      relative: true,
    },
  ],
  width: 420,
  height: 240,
});
// calibration-exempt-end

export default defineExperiment({
  name: 'queue-validation',
  question: 'Does the engine reproduce queueing theory?',
  answer:
    'Yes, within the 95 % confidence intervals: the simulated mean wait of M/M/1, M/M/2 and M/M/4 queues at loads from 0.3 to 0.9, and of M/D/1, lands on Erlang C and Pollaczek-Khinchine, and the relative-error chart stays within a few percent around zero. Every datapath and control-plane result rests on this engine, so this is the check that its clock, queues and random streams are right.',
  scenario: queueValidationScenario,
  // calibration-exempt-begin: the experiment's design (loads from light to heavy, 1-4 servers, a fixed 5 % warm-up)
  base: { servers: 1, rho: 0.5, service: 'exp', meanServiceSec: 1, customers: 200_000, warmupFraction: 0.05 },
  sweep: [
    { grid: { servers: [1, 2, 4], rho: [0.3, 0.5, 0.7, 0.8, 0.9], service: ['exp'] } },
    { grid: { servers: [1], rho: [0.5, 0.8], service: ['det'] } },
  ],
  replications: 20,
  // calibration-exempt-end
  metrics: ['meanWaitSec', 'meanSojournSec', 'meanQueueLength', 'utilization', 'analyticMeanWaitSec'],
  charts: [
    { name: 'mean-wait', spec: meanWaitChart },
    { name: 'relative-error', spec: relativeErrorChart },
  ],
  // Small enough for seconds (2.5 million customers), large enough that the quick run is a check
  // (test/experiments/defaultExperiments.test.ts): 10 replications give the Student-t interval 9
  // degrees of freedom (with 3 it has 2, and a check against the closed form needs 5 half-widths
  // to stay quiet), and 50,000 customers make the half-width 1.5-2.5 % of the wait, so a closed
  // form or a sampler off by a few percent shows.
  // calibration-exempt-begin: the quick mode's design
  quick: {
    base: { customers: 50_000 },
    sweep: [
      { grid: { servers: [1, 2], rho: [0.5, 0.8], service: ['exp'] } },
      { list: [{ servers: 1, rho: 0.5, service: 'det' }] },
    ],
    replications: 10,
  },
  // calibration-exempt-end
});
