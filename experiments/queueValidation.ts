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
import type { TopLevelSpec } from 'vega-lite';
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

const meanWaitChart = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: 'Simulated mean wait (95% CI) vs the closed form',
  data: { name: 'summary' },
  width: 420,
  height: 300,
  transform: [
    { calculate: "(datum.service == 'exp' ? 'M/M/' : 'M/D/') + datum.servers", as: 'queue' },
    { calculate: 'datum.meanWaitSec_mean - datum.meanWaitSec_ci95HalfWidth', as: 'waitLowSec' },
    { calculate: 'datum.meanWaitSec_mean + datum.meanWaitSec_ci95HalfWidth', as: 'waitHighSec' },
  ],
  encoding: {
    x: { field: 'rho', type: 'quantitative', title: 'offered load per server (rho)', scale: { zero: false, padding: 12 } },
    color: { field: 'servers', type: 'nominal', title: 'servers (c)' },
  },
  layer: [
    {
      mark: { type: 'line', strokeDash: [4, 3] },
      encoding: {
        y: { field: 'analyticMeanWaitSec_mean', type: 'quantitative', title: 'mean wait (service times)' },
        detail: { field: 'queue', type: 'nominal' },
      },
    },
    {
      mark: { type: 'rule' },
      encoding: { y: { field: 'waitLowSec', type: 'quantitative' }, y2: { field: 'waitHighSec' } },
    },
    {
      mark: { type: 'point', filled: true, size: 50 },
      encoding: {
        y: { field: 'meanWaitSec_mean', type: 'quantitative' },
        shape: { field: 'service', type: 'nominal', title: 'service' },
        tooltip: [
          { field: 'queue', type: 'nominal' },
          { field: 'rho', type: 'quantitative' },
          { field: 'meanWaitSec_mean', type: 'quantitative', title: 'simulated', format: '.4f' },
          { field: 'meanWaitSec_ci95HalfWidth', type: 'quantitative', title: '± 95%', format: '.4f' },
          { field: 'analyticMeanWaitSec_mean', type: 'quantitative', title: 'closed form', format: '.4f' },
          { field: 'n', type: 'quantitative', title: 'replications' },
        ],
      },
    },
  ],
} as const satisfies TopLevelSpec;

const relativeErrorChart = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: 'Simulated / closed-form mean wait - 1, with 95% CI',
  data: { name: 'summary' },
  width: 420,
  height: 240,
  transform: [
    { calculate: 'datum.meanWaitSec_mean / datum.analyticMeanWaitSec_mean - 1', as: 'relativeError' },
    { calculate: 'datum.meanWaitSec_ci95HalfWidth / datum.analyticMeanWaitSec_mean', as: 'relativeHalfWidth' },
    { calculate: 'datum.relativeError - datum.relativeHalfWidth', as: 'relativeLow' },
    { calculate: 'datum.relativeError + datum.relativeHalfWidth', as: 'relativeHigh' },
    // Points of one rho side by side (by servers, M/D/1 after M/M/1) so their intervals do not overlap.
    { calculate: "datum.rho + 0.012 * (log(datum.servers) / log(2) - 1) + (datum.service == 'det' ? 0.006 : 0)", as: 'rhoDodged' },
  ],
  encoding: {
    x: { field: 'rhoDodged', type: 'quantitative', title: 'offered load per server (rho)', scale: { zero: false, padding: 12 } },
    color: { field: 'servers', type: 'nominal', title: 'servers (c)' },
  },
  layer: [
    { mark: { type: 'rule', color: 'gray' }, encoding: { y: { datum: 0 }, color: { value: 'gray' } } },
    { mark: 'rule', encoding: { y: { field: 'relativeLow', type: 'quantitative' }, y2: { field: 'relativeHigh' } } },
    {
      mark: { type: 'point', filled: true },
      encoding: {
        y: { field: 'relativeError', type: 'quantitative', title: 'relative error of the mean wait', axis: { format: '%' } },
        shape: { field: 'service', type: 'nominal' },
      },
    },
  ],
} as const satisfies TopLevelSpec;

export default defineExperiment({
  name: 'queue-validation',
  question: 'Does the engine reproduce queueing theory?',
  scenario: queueValidationScenario,
  base: { servers: 1, rho: 0.5, service: 'exp', meanServiceSec: 1, customers: 200_000, warmupFraction: 0.05 },
  sweep: [
    { grid: { servers: [1, 2, 4], rho: [0.3, 0.5, 0.7, 0.8, 0.9], service: ['exp'] } },
    { grid: { servers: [1], rho: [0.5, 0.8], service: ['det'] } },
  ],
  replications: 20,
  metrics: ['meanWaitSec', 'meanSojournSec', 'meanQueueLength', 'utilization', 'analyticMeanWaitSec'],
  charts: [
    { name: 'mean-wait', spec: meanWaitChart },
    { name: 'relative-error', spec: relativeErrorChart },
  ],
  quick: {
    base: { customers: 5_000 },
    sweep: [
      { grid: { servers: [1, 2], rho: [0.5, 0.8], service: ['exp'] } },
      { list: [{ servers: 1, rho: 0.5, service: 'det' }] },
    ],
    replications: 3,
  },
});
