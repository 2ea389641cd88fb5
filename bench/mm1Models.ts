/**
 * The M/M/1 benchmark model (rho = 0.9, mean service 1 ms) written twice on our engine, exactly as
 * bench/peers/simpy_mm1.py writes it on SimPy: (process) a source process that starts one
 * generator process per customer, which requests a Resource, holds it for its service time and
 * releases it; (event) the same queue with callbacks. Both draw inter-arrival times from stream
 * "arrivals" and service times from stream "services", so they produce the same waits.
 */
import { Simulation } from '../model/engine/simulation.ts';
import { Resource } from '../model/engine/resource.ts';
import { RandomStreams } from '../model/engine/randomStreams.ts';
import { exponential } from '../model/engine/distributions/exponential.ts';
import { Welford } from '../model/engine/stats/welford.ts';
import type { ProcessBody } from '../model/engine/process.ts';
import { NS_PER_MS } from '../model/units.ts';

export type BenchApi = 'process' | 'event';

export interface Mm1BenchResult {
  api: BenchApi;
  customers: number;
  events: number;
  wallSec: number;
  customersPerSec: number;
  eventsPerSec: number;
  meanWaitMs: number;
  theoryWaitMs: number;
}

const RHO = 0.9;
const SERVICE_MEAN_NS = NS_PER_MS;

export function runMm1(api: BenchApi, customers: number, seed: number): Mm1BenchResult {
  const sim = new Simulation();
  const server = new Resource(sim, { capacity: 1 });
  const streams = new RandomStreams(seed, 0);
  const nextGapNs = exponential(SERVICE_MEAN_NS / RHO).sampler(streams.stream('arrivals'));
  const nextServiceNs = exponential(SERVICE_MEAN_NS).sampler(streams.stream('services'));
  const waits = new Welford();

  if (api === 'process') {
    function* customer(arrivalNs: number, serviceNs: number): ProcessBody {
      const slot = yield* server.request();
      waits.add(sim.nowNs - arrivalNs);
      yield* sim.timeout(serviceNs);
      server.release(slot);
    }
    function* source(): ProcessBody {
      for (let i = 0; i < customers; i++) {
        yield* sim.timeout(Math.round(nextGapNs()));
        sim.process(customer(sim.nowNs, Math.round(nextServiceNs())));
      }
    }
    sim.process(source(), 'source');
  } else {
    let arrived = 0;
    const depart = (slot: number): void => server.release(slot);
    // The grant reports the request's wait: no arrival time to carry along.
    const startService = (slot: number, _arg: undefined, waitedNs: number): void => {
      waits.add(waitedNs);
      sim.schedule(Math.round(nextServiceNs()), depart, slot);
    };
    const arrive = (): void => {
      server.acquire(startService, undefined);
      if (++arrived < customers) sim.schedule(Math.round(nextGapNs()), arrive);
    };
    sim.schedule(Math.round(nextGapNs()), arrive);
  }

  const t0 = performance.now();
  sim.run();
  const wallSec = (performance.now() - t0) / 1000;
  return {
    api,
    customers,
    events: sim.eventsProcessed,
    wallSec,
    customersPerSec: customers / wallSec,
    eventsPerSec: sim.eventsProcessed / wallSec,
    meanWaitMs: waits.mean / NS_PER_MS,
    theoryWaitMs: RHO / (1 - RHO),
  };
}
