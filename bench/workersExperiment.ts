/**
 * The study `npm run bench -- workers` times: 96 independent M/M/1 replications (rho 0.8,
 * 100,000 customers each, ~0.1 s of CPU apiece), so the work is CPU-bound and divides evenly.
 */
import { defineExperiment, type ScenarioContext } from '../experiments/lib/defineExperiment.ts';
import { exponential } from '../model/engine/distributions/index.ts';
import { simulateQueue } from '../model/queueing/ggcQueue.ts';
import { summarizeTrace } from '../model/queueing/queueSummary.ts';

interface Params {
  rho: number;
  customers: number;
}

function scenario(p: Params, ctx: ScenarioContext) {
  const trace = simulateQueue(
    { servers: 1, interarrivalSec: exponential(1 / p.rho), serviceSec: exponential(1), customers: p.customers },
    ctx.streams,
  );
  return { meanWaitSec: summarizeTrace(trace, p.customers / 20).meanWaitSec };
}

export default defineExperiment({
  name: 'bench-workers',
  question: 'How much faster do two workers run a CPU-bound study than one?',
  scenario,
  base: { rho: 0.8, customers: 100_000 },
  sweep: { grid: { rho: [0.5, 0.6, 0.7, 0.8] } },
  replications: 24,
  metrics: ['meanWaitSec'],
});
