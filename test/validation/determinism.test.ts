/**
 * Determinism and exactness. A run is a pure function of its inputs, so: the same seed gives
 * the same study; the callback (event) queue and a process-API queue written here give the
 * same per-customer waits; and both equal the Lindley / Kiefer-Wolfowitz recursion evaluated
 * directly on the same two random streams, tick for tick (integer ns, no tolerance).
 *
 * Draw order, as simulateQueue does it: stream "arrivals" yields the gap before arrival 0, then
 * one gap per arrival for the next one (the last arrival draws none); stream "services" yields
 * one service time per customer at service start, and under FCFS service starts in arrival
 * order. Every draw x (seconds) becomes Math.round(x * ticksPerSec) ticks.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../model/engine/simulation.ts';
import { Resource } from '../../model/engine/resource.ts';
import { RandomStreams } from '../../model/engine/randomStreams.ts';
import type { ProcessBody } from '../../model/engine/process.ts';
import { queueTicksPerSec, simulateQueue, type QueueParams } from '../../model/queueing/ggcQueue.ts';
import { runQueueStudy } from '../../model/queueing/queueStudy.ts';
import { LAWS_WITH_MEAN, LONG } from './helpers.ts';

const MEAN_SERVICE = 1e-3;
const LAWS = LAWS_WITH_MEAN;

function params(servers: number, rho: number, service: string, interarrival: string, customers: number, capacity = Infinity): QueueParams {
  const lambda = (rho * servers) / MEAN_SERVICE;
  return {
    servers,
    interarrivalSec: LAWS[interarrival]!(1 / lambda),
    serviceSec: LAWS[service]!(MEAN_SERVICE),
    customers,
    capacity,
  };
}

/** The same FCFS G/G/c queue on the process API: one generator process per customer. */
function processApiWaits(p: QueueParams, streams: RandomStreams): Float64Array {
  const tps = queueTicksPerSec(p);
  const sim = new Simulation();
  const servers = new Resource(sim, { capacity: p.servers });
  const nextGap = p.interarrivalSec.sampler(streams.stream('arrivals'));
  const nextService = p.serviceSec.sampler(streams.stream('services'));
  const waits = new Float64Array(p.customers);
  function* customer(i: number): ProcessBody {
    const arrivedAt = sim.nowNs;
    const slot = yield* servers.request();
    waits[i] = sim.nowNs - arrivedAt;
    yield* sim.timeout(Math.round(nextService() * tps)); // service drawn at service start
    servers.release(slot);
  }
  sim.process((function* source(): ProcessBody {
    for (let i = 0; i < p.customers; i++) {
      yield* sim.timeout(Math.round(nextGap() * tps));
      sim.process(customer(i));
    }
  })(), 'source');
  sim.run();
  return waits;
}

/** Lindley: W_0 = 0, W_{n+1} = max(0, W_n + S_n - A_{n+1}). */
function lindleyWaits(p: QueueParams, streams: RandomStreams): Float64Array {
  const tps = queueTicksPerSec(p);
  const nextGap = p.interarrivalSec.sampler(streams.stream('arrivals'));
  const nextService = p.serviceSec.sampler(streams.stream('services'));
  const waits = new Float64Array(p.customers);
  Math.round(nextGap() * tps); // the gap before the first arrival, who finds the system empty
  let w = 0;
  for (let n = 0; n < p.customers; n++) {
    if (n > 0) w = Math.max(0, w - Math.round(nextGap() * tps));
    waits[n] = w;
    w += Math.round(nextService() * tps);
  }
  return waits;
}

/**
 * Kiefer-Wolfowitz: V_n is the ascending vector of the c servers' remaining work seen by
 * arrival n; W_n = V_n[0]; V_{n+1} = sort((V_n + S_n e_1 - A_{n+1} 1)^+).
 */
function kieferWolfowitzWaits(p: QueueParams, streams: RandomStreams): Float64Array {
  const tps = queueTicksPerSec(p);
  const nextGap = p.interarrivalSec.sampler(streams.stream('arrivals'));
  const nextService = p.serviceSec.sampler(streams.stream('services'));
  const waits = new Float64Array(p.customers);
  Math.round(nextGap() * tps);
  let v = new Array<number>(p.servers).fill(0);
  for (let n = 0; n < p.customers; n++) {
    if (n > 0) {
      const a = Math.round(nextGap() * tps);
      v = v.map((x) => Math.max(0, x - a)).sort((x, y) => x - y);
    }
    waits[n] = v[0]!;
    v[0] = v[0]! + Math.round(nextService() * tps);
    v.sort((x, y) => x - y);
  }
  return waits;
}

const law = fc.constantFrom(...Object.keys(LAWS));

describe('determinism', () => {
  it('runQueueStudy with the same seed gives deep-equal summaries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0.3, max: 0.95, noNaN: true }),
        law,
        fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
        fc.constantFrom<'auto' | number>('auto', 200),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (c, rho, service, extraRoom, warmup, seed) => {
          const p = params(c, rho, service, 'exp', 2_000, extraRoom === null ? Infinity : c + extraRoom);
          const a = runQueueStudy(p, { replications: 3, seed, warmup });
          const b = runQueueStudy(p, { replications: 3, seed, warmup });
          expect(b).toEqual(a);
          const other = runQueueStudy(p, { replications: 3, seed: seed + 1, warmup });
          expect(other.perReplication).not.toEqual(a.perReplication); // the seed matters
        },
      ),
      { seed: 1, numRuns: 25 },
    );
  }, LONG);

  it.each([1, 3])('event API and process API give identical per-customer waits (M/M/%i)', (c) => {
    fc.assert(
      fc.property(fc.double({ min: 0.3, max: 0.95, noNaN: true }), fc.integer({ min: 0, max: 2 ** 40 }), (rho, seed) => {
        const p = params(c, rho, 'exp', 'exp', 5_000);
        const event = simulateQueue(p, new RandomStreams(seed, 0)).waitTicks;
        const proc = processApiWaits(p, new RandomStreams(seed, 0));
        expect(proc).toEqual(event);
        expect(event.some((w) => w > 0)).toBe(true); // a queue formed, so the check had teeth
      }),
      { seed: 2, numRuns: 15 },
    );
  }, LONG);

  it('single-server waits equal the Lindley recursion on the same streams, tick for tick', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.3, max: 0.95, noNaN: true }), law, law, fc.integer({ min: 0, max: 2 ** 40 }), (rho, s, a, seed) => {
        const p = params(1, rho, s, a, 5_000);
        expect(simulateQueue(p, new RandomStreams(seed, 0)).waitTicks).toEqual(lindleyWaits(p, new RandomStreams(seed, 0)));
      }),
      { seed: 3, numRuns: 30 },
    );
  }, LONG);

  it('multi-server waits equal the Kiefer-Wolfowitz recursion on the same streams, tick for tick', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.double({ min: 0.3, max: 0.95, noNaN: true }),
        law,
        law,
        fc.integer({ min: 0, max: 2 ** 40 }),
        (c, rho, s, a, seed) => {
          const p = params(c, rho, s, a, 5_000);
          const kw = kieferWolfowitzWaits(p, new RandomStreams(seed, 0));
          expect(simulateQueue(p, new RandomStreams(seed, 0)).waitTicks).toEqual(kw);
          if (c === 1) expect(kw).toEqual(lindleyWaits(p, new RandomStreams(seed, 0)));
          if (s === 'exp' && a === 'exp') expect(processApiWaits(p, new RandomStreams(seed, 0))).toEqual(kw);
        },
      ),
      { seed: 4, numRuns: 40 },
    );
  }, LONG);
});
