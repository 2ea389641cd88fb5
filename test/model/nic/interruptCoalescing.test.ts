import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../../model/engine/index.ts';
import {
  InterruptCoalescer, adaptiveCoalesceUs, defaultMlx5CoalescingParams, defaultIxgbeCoalescingParams, type InterruptCoalescingParams,
} from '../../../model/nic/index.ts';

function logInterrupts(params: InterruptCoalescingParams, arrivalsNs: number[], rearmAtNs?: number) {
  const sim = new Simulation();
  const log: number[] = [];
  const c = new InterruptCoalescer(sim, params, () => log.push(sim.nowNs));
  for (const t of arrivalsNs) sim.scheduleAt(t, () => c.packetArrived());
  if (rearmAtNs !== undefined) sim.scheduleAt(rearmAtNs, () => c.rearm(0));
  sim.run();
  return { log, c };
}

describe('InterruptCoalescer', () => {
  it('mlx5 defaults are 16 us / 32 packets, EQE timer, static', () => {
    expect(defaultMlx5CoalescingParams.rxCoalesceUs).toBe(16);
    expect(defaultMlx5CoalescingParams.rxCoalescePackets).toBe(32);
    expect(defaultMlx5CoalescingParams.timerMode).toBe('eqe');
    expect(defaultMlx5CoalescingParams.adaptive).toBe(false);
  });

  it('a lone packet is signalled rx-usecs (16 us) after it arrives', () => {
    expect(logInterrupts(defaultMlx5CoalescingParams, [1_000]).log).toEqual([17_000]);
  });

  it('the 32nd waiting packet triggers the interrupt at once', () => {
    const arrivals = Array.from({ length: 40 }, (_, i) => 100 * (i + 1));
    expect(logInterrupts(defaultMlx5CoalescingParams, arrivals).log).toEqual([3_200]);
  });

  it('EQE: the timer runs from the first packet; CQE: it restarts with every packet', () => {
    const p = { ...defaultMlx5CoalescingParams, rxCoalescePackets: 0 };
    const arrivals = [0, 10_000, 20_000];
    expect(logInterrupts(p, arrivals).log).toEqual([16_000]);
    expect(logInterrupts({ ...p, timerMode: 'cqe' }, arrivals).log).toEqual([36_000]);
  });

  it('raises nothing while NAPI polls (disarmed) until rearm()', () => {
    const p = { ...defaultMlx5CoalescingParams, rxCoalesceUs: 0, rxCoalescePackets: 0 };
    const { log } = logInterrupts(p, [0, 5, 6, 7], 100);
    expect(log).toEqual([0]);
    // Packets that arrived while disarmed are NAPI's to take; rearm(n > 0) restarts the timer.
    const sim = new Simulation();
    const fired: number[] = [];
    const c = new InterruptCoalescer(sim, { ...defaultMlx5CoalescingParams, rxCoalescePackets: 0 }, () => fired.push(sim.nowNs));
    c.packetArrived();
    sim.run();
    sim.schedule(100, () => c.rearm(3));
    sim.run();
    expect(fired).toEqual([16_000, 32_100]);
  });

  it('adaptiveCoalesceUs stays within [min, max] and never falls as the rate rises (property)', () => {
    const p = defaultIxgbeCoalescingParams;
    fc.assert(fc.property(fc.double({ min: 0, max: 1e8, noNaN: true }), fc.double({ min: 0, max: 1e8, noNaN: true }), (r1, r2) => {
      const [lo, hi] = r1 <= r2 ? [r1, r2] : [r2, r1];
      const a = adaptiveCoalesceUs(lo, p);
      const b = adaptiveCoalesceUs(hi, p);
      expect(a).toBeLessThanOrEqual(b);
      expect(a).toBeGreaterThanOrEqual(p.adaptiveMinUs);
      expect(b).toBeLessThanOrEqual(p.adaptiveMaxUs);
    }));
  });

  it('adaptive: a sparse queue gets the short delay, a busy one the long delay', () => {
    const p = defaultIxgbeCoalescingParams;
    // 1 packet per ms = 1 kpps, below the low rate; NAPI re-arms right after each interrupt.
    const sim0 = new Simulation();
    const sparse = new InterruptCoalescer(sim0, p, () => sim0.schedule(0, () => sparse.rearm(0)));
    for (let i = 0; i < 5; i++) sim0.scheduleAt(i * 1_000_000, () => sparse.packetArrived());
    sim0.run();
    expect(sparse.currentDelayUs).toBe(p.adaptiveMinUs);
    const sim = new Simulation();
    const c = new InterruptCoalescer(sim, p, () => sim.schedule(0, () => c.rearm(0)));
    for (let i = 0; i < 20_000; i++) sim.scheduleAt(i * 100, () => c.packetArrived()); // 10 Mpps
    sim.run();
    expect(c.currentDelayUs).toBe(p.adaptiveMaxUs);
  });

  it('rejects bad params, naming the field', () => {
    const sim = new Simulation();
    expect(() => new InterruptCoalescer(sim, { ...defaultMlx5CoalescingParams, rxCoalescePackets: 1.5 }, () => {})).toThrow(/rxCoalescePackets/);
    expect(() => new InterruptCoalescer(sim, { ...defaultMlx5CoalescingParams, rxCoalesceUs: -1 }, () => {})).toThrow(/rxCoalesceUs/);
  });
});
