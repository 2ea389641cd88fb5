import { describe, expect, it } from 'vitest';
import { RandomStreams, Simulation, exponential, confidenceInterval } from '../../../model/engine/index.ts';
import {
  RxRing, rxRingParamsFor, defaultIxgbeRxRingParams, defaultMlx5RxRingParams, defaultEnaRxRingParams, defaultVirtioRxRingParams,
} from '../../../model/nic/index.ts';
import { md1kBlocking, md1kBlockingPowerIteration, mm1kBlocking } from './queueTheory.ts';

/** Poisson arrivals into an RxRing drained by one server at a fixed time per packet; returns the drop fraction. */
function simulateRingDropFraction(ringSizePackets: number, rho: number, serviceNs: number, arrivals: number, replication: number): number {
  const sim = new Simulation();
  const ring = new RxRing<number>(sim, { ringSizePackets });
  const next = exponential(serviceNs / rho).sampler(new RandomStreams(7, replication).stream('arrivals'));
  let busy = false;
  const serve = (): void => {
    if (ring.take() === undefined) { busy = false; return; }
    busy = true;
    sim.schedule(serviceNs, serve);
  };
  let tNs = 0;
  let n = 0;
  const arrive = (): void => {
    ring.arrive(n);
    if (!busy) serve();
    if (++n < arrivals) {
      tNs += next();
      sim.scheduleAt(Math.max(sim.nowNs, Math.round(tNs)), arrive);
    }
  };
  sim.schedule(0, arrive);
  sim.run();
  return ring.dropFraction;
}

describe('RxRing', () => {
  it('default ring sizes per driver: ixgbe 512, mlx5 1024, ENA 1024, virtio 256', () => {
    expect(defaultIxgbeRxRingParams.ringSizePackets).toBe(512);
    expect(defaultMlx5RxRingParams.ringSizePackets).toBe(1024);
    expect(defaultEnaRxRingParams.ringSizePackets).toBe(1024);
    expect(defaultVirtioRxRingParams.ringSizePackets).toBe(256);
    expect(rxRingParamsFor('mlx5')).toBe(defaultMlx5RxRingParams);
    expect(() => rxRingParamsFor('e1000' as never)).toThrow(/ixgbe, mlx5, ena, virtio/);
  });

  it('arrive() is drop-tail: a full ring refuses and counts the packet', () => {
    const sim = new Simulation();
    const ring = new RxRing<string>(sim, { ringSizePackets: 2 });
    expect(['a', 'b', 'c'].map((p) => ring.arrive(p))).toEqual([true, true, false]);
    expect(ring.droppedPackets).toBe(1);
    expect(ring.take()).toBe('a');
    expect(ring.arrive('d')).toBe(true);
    expect([ring.take(), ring.take(), ring.take()]).toEqual(['b', 'd', undefined]);
    expect(ring.dropFraction).toBeCloseTo(1 / 4, 12);
  });

  it('md1kBlocking (test helper) agrees with Erlang loss at K = 1 and stays below M/M/1/K', () => {
    // M/G/1/1: B = r / (1 + r) for any service distribution.
    expect(md1kBlocking(0.9 / 100, 100, 1)).toBeCloseTo(0.9 / 1.9, 10);
    for (const [rho, k] of [[0.7, 3], [1.0, 6], [1.4, 10]] as const) {
      expect(md1kBlocking(rho / 100, 100, k)).toBeCloseTo(md1kBlockingPowerIteration(rho / 100, 100, k), 9);
    }
    for (const rho of [0.5, 0.9, 1.2]) {
      for (const k of [2, 5, 9]) expect(md1kBlocking(rho / 100, 100, k)).toBeLessThan(mm1kBlocking(rho / 100, 100, k));
    }
  });

  it.each([
    [8, 0.9],
    [8, 1.1],
    [32, 1.0],
  ])('ring of %d at load %d: simulated drop fraction matches M/D/1/K with K = ring + 1', (ring, rho) => {
    const serviceNs = 200;
    const drops = Array.from({ length: 8 }, (_, rep) => simulateRingDropFraction(ring, rho, serviceNs, 40_000, rep));
    const ci = confidenceInterval(drops, 0.99);
    const theory = md1kBlocking(rho / serviceNs, serviceNs, ring + 1);
    expect(Math.abs(ci.mean - theory)).toBeLessThan(Math.max(ci.halfWidth, 0.002));
    // And the deterministic server drops less than an exponential one would.
    expect(theory).toBeLessThan(mm1kBlocking(rho / serviceNs, serviceNs, ring + 1));
  });

  it('an ixgbe ring (512) at 25 % overload drops about 1 - 1/rho, as M/D/1/K predicts', () => {
    const rho = 1.25;
    const drop = simulateRingDropFraction(512, rho, 100, 200_000, 0);
    const theory = md1kBlocking(rho / 100, 100, 513);
    expect(theory).toBeCloseTo(1 - 1 / rho, 3);
    expect(Math.abs(drop - theory)).toBeLessThan(0.01);
  });
});
