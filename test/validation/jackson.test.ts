/**
 * A tandem Jackson network built from the engine's process API: Poisson arrivals at 0.8 per ms
 * pass three single-server FCFS stations with exponential service (means 0.5, 0.8, 1.0 ms). By
 * Burke's and Jackson's theorems each station behaves as an independent M/M/1 with the same
 * arrival rate, so the mean end-to-end sojourn is sum_i 1/(mu_i - lambda) and station i is busy
 * lambda/mu_i of the time.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../model/engine/simulation.ts';
import { Resource } from '../../model/engine/resource.ts';
import { RandomStreams } from '../../model/engine/randomStreams.ts';
import { exponential } from '../../model/engine/distributions/index.ts';
import { Welford } from '../../model/engine/stats/welford.ts';
import type { ProcessBody } from '../../model/engine/process.ts';
import { NS_PER_MS } from '../../model/units.ts';
import { expectTheoryInInterval, interval, lazy, LONG } from './helpers.ts';

const LAMBDA_PER_MS = 0.8;
const SERVICE_MS = [0.5, 0.8, 1.0] as const;
const SEED = 7;
const REPLICATIONS = 20;
const ARRIVALS = 60_000;
/** Customers arriving before this time are not counted; station monitors restart at it. */
const WARMUP_NS = 2_000 * (NS_PER_MS / LAMBDA_PER_MS); // about 2000 arrivals

/** One replication: mean end-to-end sojourn (ms) of customers arriving after the warm-up, utilisations. */
function tandem(streams: RandomStreams): { sojournMs: number; utilization: number[] } {
  const sim = new Simulation();
  const stations = SERVICE_MS.map((_, i) => new Resource(sim, { capacity: 1, name: `station-${i + 1}` }));
  const nextGapNs = exponential(NS_PER_MS / LAMBDA_PER_MS).sampler(streams.stream('arrivals'));
  const nextServiceNs = SERVICE_MS.map((ms, i) => exponential(ms * NS_PER_MS).sampler(streams.stream(`service-${i + 1}`)));
  const sojourn = new Welford();
  let utilization: number[] = [];

  function* customer(): ProcessBody {
    const arrivedNs = sim.nowNs;
    for (let i = 0; i < stations.length; i++) {
      const slot = yield* stations[i]!.request();
      yield* sim.timeout(Math.round(nextServiceNs[i]!()));
      stations[i]!.release(slot);
    }
    if (arrivedNs >= WARMUP_NS) sojourn.add(sim.nowNs - arrivedNs);
  }
  sim.process((function* source(): ProcessBody {
    for (let n = 0; n < ARRIVALS; n++) {
      yield* sim.timeout(Math.round(nextGapNs()));
      sim.process(customer());
    }
    // Observation window for the time averages: [warm-up, last arrival].
    utilization = stations.map((s) => s.utilization());
  })(), 'source');
  sim.schedule(WARMUP_NS, () => stations.forEach((s) => s.resetStats()));
  sim.run(); // drains: every counted customer leaves the network
  return { sojournMs: sojourn.mean / NS_PER_MS, utilization };
}

describe('tandem Jackson network of 3 M/M/1 stations (process API, 20 replications x 60k customers)', () => {
  const run = lazy(() => {
    const reps = Array.from({ length: REPLICATIONS }, (_, r) => tandem(new RandomStreams(SEED, r)));
    return {
      sojourn: interval(reps.map((x) => x.sojournMs)),
      utilization: SERVICE_MS.map((_, i) => interval(reps.map((x) => x.utilization[i]!))),
    };
  });

  it('Jackson network mean end-to-end sojourn matches sum 1/(mu_i - lambda)', () => {
    const theory = SERVICE_MS.reduce((sum, s) => sum + 1 / (1 / s - LAMBDA_PER_MS), 0);
    expect(theory).toBeCloseTo(1 / 1.2 + 1 / 0.45 + 1 / 0.2, 12);
    expectTheoryInInterval('tandem sojourn (ms)', run().sojourn, theory);
  }, LONG);

  it.each([1, 2, 3])('Jackson network station %i utilization matches lambda/mu_i', (station) => {
    const i = station - 1;
    expectTheoryInInterval(`station ${station} utilization`, run().utilization[i]!, LAMBDA_PER_MS * SERVICE_MS[i]!);
  }, LONG);
});
