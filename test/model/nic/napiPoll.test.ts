import { describe, expect, it } from 'vitest';
import { RandomStreams, Simulation, confidenceInterval, exponential } from '../../../model/engine/index.ts';
import { CpuCores, type Work } from '../../../model/cpu/index.ts';
import { NapiPoll, RxRing, defaultMlx5CoalescingParams, defaultNapiParams } from '../../../model/nic/index.ts';
import { md1kBlocking } from './queueTheory.ts';

const IMMEDIATE = { ...defaultMlx5CoalescingParams, rxCoalesceUs: 0, rxCoalescePackets: 0 };
// At 1 GHz one cycle is 1 ns, which keeps the expected times readable.
const ONE_GHZ = { minFreqHz: 1e9, maxFreqHz: 1e9 };
const cycles = (n: number): Work => ({ cycles: n, dramMisses: 0 });

function setup(opts: { ringSize?: number; irqCycles?: number; perPacketCycles: number; coalescing?: typeof IMMEDIATE }) {
  const sim = new Simulation();
  const cores = new CpuCores(sim, { params: { coreCount: 1, irqEntryCycles: opts.irqCycles ?? 0 }, frequency: ONE_GHZ });
  const ring = new RxRing<number>(sim, { ringSizePackets: opts.ringSize ?? 1024 });
  const done: [number, number][] = [];
  const napi = new NapiPoll<number>({
    ring, cores, core: 0, coalescing: opts.coalescing ?? IMMEDIATE,
    perPacketWork: () => cycles(opts.perPacketCycles),
    onDone: (pkt, nowNs) => done.push([pkt, nowNs]),
  });
  return { sim, cores, ring, napi, done };
}

describe('NapiPoll', () => {
  it('dev_weight is 64 packets per poll', () => {
    expect(defaultNapiParams.weightPackets).toBe(64);
  });

  it('processes packets one after another after the interrupt cost', () => {
    const { sim, napi, done } = setup({ irqCycles: 500, perPacketCycles: 100 });
    sim.schedule(1_000, () => { napi.arrive(1); napi.arrive(2); napi.arrive(3); });
    sim.run();
    expect(done).toEqual([[1, 1_600], [2, 1_700], [3, 1_800]]);
    expect(napi.interrupts).toBe(1);
  });

  it('a lone packet waits the mlx5 16 us coalescing delay: its latency includes it', () => {
    const { sim, napi, done } = setup({ irqCycles: 500, perPacketCycles: 100, coalescing: defaultMlx5CoalescingParams });
    sim.schedule(1_000, () => napi.arrive(7));
    sim.run();
    expect(done).toEqual([[7, 1_000 + 16_000 + 500 + 100]]);
  });

  it('a poll takes at most 64 packets, then yields the core and polls again', () => {
    const { sim, napi, done, cores } = setup({ perPacketCycles: 10 });
    const otherWork: number[] = [];
    sim.schedule(0, () => {
      for (let i = 0; i < 200; i++) napi.arrive(i);
    });
    // Task work queued behind the softirq does not get in: softirq has priority on the core.
    sim.schedule(5, () => cores.runThen(0, cycles(1), () => otherWork.push(sim.nowNs), undefined));
    sim.run();
    expect(done.length).toBe(200);
    expect(napi.packetsPerPoll.max).toBe(64);
    expect(napi.polls).toBe(4); // 64 + 64 + 64 + 8
    expect(napi.interrupts).toBe(1);
    expect(otherWork).toEqual([2_001]);
  });

  it('with immediate interrupts and no IRQ cost, the ring + NAPI core is an M/D/1/K queue (K = ring + 1)', () => {
    const ringSize = 16;
    const serviceNs = 200;
    for (const rho of [0.95, 1.2]) {
      const fractions: number[] = [];
      for (let rep = 0; rep < 6; rep++) {
        const { sim, napi, ring } = setup({ ringSize, perPacketCycles: serviceNs });
        const next = exponential(serviceNs / rho).sampler(new RandomStreams(11, rep).stream('arrivals'));
        let t = 0;
        let n = 0;
        const arrive = (): void => {
          napi.arrive(n);
          if (++n < 30_000) {
            t += next();
            sim.scheduleAt(Math.max(sim.nowNs, Math.round(t)), arrive);
          }
        };
        sim.schedule(0, arrive);
        sim.run();
        fractions.push(ring.dropFraction);
      }
      const ci = confidenceInterval(fractions, 0.99);
      const theory = md1kBlocking(rho / serviceNs, serviceNs, ringSize + 1);
      expect(Math.abs(ci.mean - theory)).toBeLessThan(Math.max(ci.halfWidth, 0.003));
    }
  });
});
