/**
 * Finite waiting room: M/M/1/K and M/M/c/K (K customers at most, in service included; arrivals
 * finding K are lost), under load (rho 0.8) and overload (rho 1.5, stable because the room is
 * finite). Blocking probability and admitted customers' mean wait against the
 * birth-death stationary distribution (by PASTA, blocking = p_K). Then a second, independent
 * model of M/M/1/K written on the engine's process API and Store: drop-tail `tryPut` into a
 * buffer of K-1 in front of one server process, whose blocking fraction must match p_K too.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../model/engine/simulation.ts';
import { Store } from '../../model/engine/store.ts';
import { RandomStreams } from '../../model/engine/randomStreams.ts';
import { exponential } from '../../model/engine/distributions/index.ts';
import type { ProcessBody } from '../../model/engine/process.ts';
import { mmckBlocking } from '../../model/queueing/mmckBlocking.ts';
import { runQueueStudy } from '../../model/queueing/queueStudy.ts';
import { expectTheoryInInterval, interval, lazy, LONG } from './helpers.ts';
import { mmck, relClose } from './theory.ts';

const SERVICE_SEC = 1e-3;
const MU = 1 / SERVICE_SEC;
const SEED = 5;
/** The Store model draws its own, independent sample (a different seed from the G/G/c/K runs). */
const STORE_SEED = 50;

describe.each([
  { c: 1, k: 5, rho: 0.8 },
  { c: 1, k: 5, rho: 1.5 },
  { c: 3, k: 8, rho: 0.8 },
  { c: 3, k: 8, rho: 1.5 },
])('M/M/$c/$k at rho $rho (20 replications x 100k customers)', ({ c, k, rho }) => {
  const lambda = rho * c * MU;
  const theory = mmck(lambda, MU, c, k);
  const s = lazy(() =>
    runQueueStudy(
      { servers: c, interarrivalSec: exponential(1 / lambda), serviceSec: exponential(SERVICE_SEC), customers: 100_000, capacity: k },
      { replications: 20, seed: SEED, warmup: 'auto' },
    ),
  );
  const label = `M/M/${c}/${k} rho ${rho}`;

  it(`M/M/${c}/${k} blocking probability matches p_K of the birth-death chain`, () => {
    expectTheoryInInterval(`${label} blocking`, s().blockingProbability, theory.blocking);
  }, LONG);

  it(`M/M/${c}/${k} mean wait of admitted customers matches Lq/(lambda(1-p_K))`, () => {
    expectTheoryInInterval(`${label} Wq`, s().meanWaitSec, theory.meanWait);
  }, LONG);

  it(`mmckBlocking(lambda, mu, ${c}, ${k}) agrees with the closed-form p_n`, () => {
    const m = mmckBlocking(lambda, MU, c, k);
    expect(relClose(m.blockingProbability, theory.blocking, 1e-10)).toBe(true);
    expect(relClose(m.meanInSystem, theory.meanInSystem, 1e-10)).toBe(true);
    expect(relClose(m.meanQueueLength, theory.meanQueueLength, 1e-10)).toBe(true);
    expect(relClose(m.meanWait, theory.meanWait, 1e-10)).toBe(true);
    expect(relClose(m.utilization, theory.utilization, 1e-10)).toBe(true);
    // Flow balance: carried load lambda (1 - p_K) / mu equals the mean number of busy servers.
    expect(relClose((lambda * (1 - m.blockingProbability)) / MU, c * m.utilization, 1e-10)).toBe(true);
  });
});

/**
 * M/M/1/K on the process API: a source process offers customers to a Store of capacity K-1 with
 * tryPut (drop-tail); one server process loops `yield* store.get()` then `yield* sim.timeout(s)`.
 * The customer in service has left the store, so the system holds at most (K-1) + 1 = K.
 * Returns the blocking fraction and the time-average buffer level (= number waiting, Lq) over
 * the arrivals after `warmupNs` (stats are reset then).
 */
function storeMm1k(lambda: number, mu: number, k: number, arrivals: number, warmupNs: number, streams: RandomStreams) {
  const sim = new Simulation();
  const store = new Store<number>(sim, { capacity: k - 1, name: 'waiting-room' });
  const nextGapNs = exponential(1e9 / lambda).sampler(streams.stream('arrivals'));
  const nextServiceNs = exponential(1e9 / mu).sampler(streams.stream('services'));
  let levelMean = NaN;
  sim.process((function* source(): ProcessBody {
    for (let i = 0; i < arrivals; i++) {
      yield* sim.timeout(Math.round(nextGapNs()));
      store.tryPut(i);
    }
    levelMean = store.level.meanAt(sim.nowNs);
  })(), 'source');
  sim.process((function* server(): ProcessBody {
    for (;;) {
      yield* store.get();
      yield* sim.timeout(Math.round(nextServiceNs()));
    }
  })(), 'server');
  sim.schedule(warmupNs, () => store.resetStats());
  sim.run(); // ends when the source is done and the server waits on an empty store
  return { blocking: store.drops / (store.drops + store.puts), meanWaiting: levelMean };
}

describe.each([
  { k: 5, rho: 0.8 },
  { k: 5, rho: 1.5 },
  { k: 2, rho: 1.5 },
])('M/M/1/$k at rho $rho as a Store (drop-tail, room K-1) + server process (20 replications x 50k arrivals)', ({ k, rho }) => {
  const lambda = rho * MU;
  const theory = mmck(lambda, MU, 1, k);
  const arrivals = 50_000;
  const warmupNs = Math.round((1000 / lambda) * 1e9); // about 1000 arrivals
  const run = lazy(() => {
    const blocking: number[] = [];
    const waiting: number[] = [];
    for (let r = 0; r < 20; r++) {
      const x = storeMm1k(lambda, MU, k, arrivals, warmupNs, new RandomStreams(STORE_SEED, r));
      blocking.push(x.blocking);
      waiting.push(x.meanWaiting);
    }
    return { blocking: interval(blocking), waiting: interval(waiting) };
  });

  it(`Store-based M/M/1/${k} blocking fraction matches mmckBlocking(lambda, mu, 1, ${k})`, () => {
    expectTheoryInInterval(`Store M/M/1/${k} rho ${rho} blocking`, run().blocking, mmckBlocking(lambda, MU, 1, k).blockingProbability);
  }, LONG);

  it(`Store-based M/M/1/${k} mean buffer level matches Lq = sum (n-1) p_n`, () => {
    expectTheoryInInterval(`Store M/M/1/${k} rho ${rho} Lq`, run().waiting, theory.meanQueueLength);
  }, LONG);
});
