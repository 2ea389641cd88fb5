/**
 * The NET_RX budget and the ksoftirqd hand-off: a round takes at most netdev_budget packets
 * (checked when a poll yields, after dev_weight), counts a time_squeeze when it runs out, restarts
 * up to MAX_SOFTIRQ_RESTART times while no task waits, and then hands the rest to ksoftirqd, which
 * waits for its wake-up and then for the core like a task.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../model/engine/index.ts';
import { CpuCores, type Work } from '../../../model/cpu/index.ts';
import { NapiPoll, NetRxSoftirq, RxRing, defaultMlx5CoalescingParams, defaultNetRxSoftirqParams } from '../../../model/nic/index.ts';

const IMMEDIATE = { ...defaultMlx5CoalescingParams, rxCoalesceUs: 0, rxCoalescePackets: 0 };
const ONE_GHZ = { minFreqHz: 1e9, maxFreqHz: 1e9 };
const cycles = (n: number): Work => ({ cycles: n, dramMisses: 0 });

function setup(perPacketCycles: number, wakeupNs = 0, params = defaultNetRxSoftirqParams) {
  const sim = new Simulation();
  const cores = new CpuCores(sim, { params: { coreCount: 1, irqEntryCycles: 0 }, frequency: ONE_GHZ });
  const softirq = new NetRxSoftirq(cores, () => wakeupNs, params);
  const ring = new RxRing<number>(sim, { ringSizePackets: 100_000 });
  const done: [number, number][] = [];
  const napi = new NapiPoll<number>({
    ring, cores, core: 0, coalescing: IMMEDIATE, softirq,
    perPacketWork: () => cycles(perPacketCycles),
    onDone: (pkt, nowNs) => done.push([pkt, nowNs]),
  });
  return { sim, cores, softirq, napi, done };
}

describe('NetRxSoftirq', () => {
  it('defaults: netdev_budget 300 packets, 8000 us at HZ 250, 10 restarts, MAX_SOFTIRQ_TIME one 4 ms jiffy', () => {
    expect(defaultNetRxSoftirqParams).toMatchObject({ budgetPackets: 300, budgetUsecs: 8000, maxRestarts: 10, maxSoftirqTimeUs: 4000 });
  });

  it('a burst within one round neither squeezes nor leaves softirq', () => {
    const { sim, napi, softirq, done } = setup(10);
    sim.schedule(0, () => { for (let i = 0; i < 250; i++) napi.arrive(i); });
    sim.run();
    expect(done.length).toBe(250);
    expect(softirq.timeSqueeze[0]).toBe(0);
    expect(softirq.ksoftirqdHandoffs[0]).toBe(0);
  });

  it('every 5 polls of 64 (320 packets >= 300) a round runs out: one time_squeeze each, softirq restarts', () => {
    const { sim, napi, softirq, done } = setup(10);
    sim.schedule(0, () => { for (let i = 0; i < 1000; i++) napi.arrive(i); });
    sim.run();
    expect(done.length).toBe(1000);
    // Rounds end after 320 and 640 packets at a weight boundary with packets left; at 960 too.
    expect(softirq.timeSqueeze[0]).toBe(3);
    expect(softirq.ksoftirqdHandoffs[0]).toBe(0);
    expect(done.map(([p]) => p)).toEqual([...Array(1000).keys()]);
  });

  it('after 10 restarts the rest goes to ksoftirqd: it waits the wake-up, then runs as a task, and no packet is lost or reordered', () => {
    const wakeupNs = 50_000;
    const { sim, napi, softirq, done } = setup(10, wakeupNs);
    sim.schedule(0, () => { for (let i = 0; i < 5000; i++) napi.arrive(i); });
    sim.run();
    expect(done.length).toBe(5000);
    expect(softirq.timeSqueeze[0]).toBeGreaterThanOrEqual(10);
    expect(softirq.ksoftirqdHandoffs[0]).toBe(1);
    expect(done.map(([p]) => p)).toEqual([...Array(5000).keys()]);
    // The hand-off came after 10 rounds of 320 packets at 10 ns; the next packet waited the wake-up.
    const gaps = done.slice(1).map(([, t], i) => t - done[i]![1]);
    expect(Math.max(...gaps)).toBe(wakeupNs + 10);
    expect(softirq.isInKsoftirqd(0)).toBe(false);
  });

  it('a task waiting for the core (need_resched) makes the first exhausted round hand off', () => {
    const { sim, napi, softirq, cores, done } = setup(10);
    const task: number[] = [];
    sim.schedule(0, () => { for (let i = 0; i < 1000; i++) napi.arrive(i); });
    sim.schedule(5, () => cores.runThen(0, cycles(1000), () => task.push(sim.nowNs), undefined));
    sim.run();
    expect(softirq.ksoftirqdHandoffs[0]).toBe(1);
    // The task ran once ksoftirqd's polls queued behind it: right after the round of 320 packets.
    expect(task[0]).toBe(320 * 10 + 1000);
    expect(done.length).toBe(1000);
  });

  it('the time budget ends a round too (slow packets: 300 us each reach 8000 us before 300 packets)', () => {
    const { sim, napi, softirq, done } = setup(300_000);
    sim.schedule(0, () => { for (let i = 0; i < 200; i++) napi.arrive(i); });
    sim.run();
    expect(done.length).toBe(200);
    // 64 packets x 300 us = 19.2 ms > 8 ms: the first weight boundary already ends the round, and
    // the run is past MAX_SOFTIRQ_TIME (4 ms), so the work moves to ksoftirqd at once.
    expect(softirq.timeSqueeze[0]).toBe(1);
    expect(softirq.ksoftirqdHandoffs[0]).toBe(1);
  });
});
