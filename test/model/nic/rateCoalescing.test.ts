import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../../model/engine/index.ts';
import { InterruptCoalescer, defaultVirtioCoalescingParams, type InterruptCoalescingParams } from '../../../model/nic/index.ts';

const rate = (intervalUs: number): InterruptCoalescingParams => ({ ...defaultVirtioCoalescingParams, rxCoalesceUs: intervalUs, rxCoalescePackets: 0, timerMode: 'rate' });

function interrupts(params: InterruptCoalescingParams, arrivalsNs: number[]): number[] {
  const sim = new Simulation();
  const log: number[] = [];
  // NAPI takes the packets at once and re-arms (an empty ring), as a lightly loaded queue does.
  const c: InterruptCoalescer = new InterruptCoalescer(sim, params, () => {
    log.push(sim.nowNs);
    c.rearm(0);
  });
  for (const t of arrivalsNs) sim.scheduleAt(t, () => c.packetArrived());
  sim.run();
  return log;
}

describe("InterruptCoalescer 'rate' mode (an interrupt throttling interval: gVNIC, VMXNET3)", () => {
  it('the first packet is signalled at once; the next no sooner than the interval after the last interrupt', () => {
    expect(interrupts(rate(250), [1_000, 50_000, 400_000])).toEqual([1_000, 251_000, 501_000]);
    expect(interrupts(rate(20), [0, 100_000])).toEqual([0, 100_000]);
  });

  it('property: interrupts are at least the interval apart, and every packet is signalled within the interval of its arrival', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 1, maxLength: 50 }), (intervalUs, raw) => {
      const arrivals = [...raw].sort((a, b) => a - b);
      const log = interrupts(rate(intervalUs), arrivals);
      for (let i = 1; i < log.length; i++) expect(log[i]! - log[i - 1]!).toBeGreaterThanOrEqual(intervalUs * 1000);
      for (const t of arrivals) expect(log.some((irq) => irq >= t && irq <= t + intervalUs * 1000)).toBe(true);
    }));
  });

  it('a longer interval never signals a packet sooner (virtual coalescing delays grow with the interval)', () => {
    const arrivals = Array.from({ length: 40 }, (_, i) => i * 37_000);
    const meanDelay = (us: number): number => {
      const log = interrupts(rate(us), arrivals);
      return arrivals.reduce((s, t) => s + (log.find((irq) => irq >= t)! - t), 0) / arrivals.length;
    };
    const delays = [0, 20, 50, 100, 250].map(meanDelay);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(delays[0]).toBe(0);
  });
});
