import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../model/engine/simulation.ts';

describe('Simulation', () => {
  it('schedule(delayNs, fn) runs callbacks in time order and advances the clock', () => {
    const sim = new Simulation();
    const log: [string, number][] = [];
    sim.schedule(30, (name: string) => log.push([name, sim.nowNs]), 'c');
    sim.schedule(10, (name: string) => log.push([name, sim.nowNs]), 'a');
    sim.schedule(20, (name: string) => log.push([name, sim.nowNs]), 'b');
    sim.run();
    expect(log).toEqual([['a', 10], ['b', 20], ['c', 30]]);
  });

  it('same-time events run in scheduling order, whatever mix of zero and positive delays', () => {
    // Property: the log equals the stable sort of the schedule by absolute time.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 60 }),
        (plan) => {
          // Each entry: at time `at` (reached via a first event), schedule with delay `d`.
          const sim = new Simulation();
          const log: number[] = [];
          const expected: { t: number; order: number; id: number }[] = [];
          let order = 0;
          // Phase 1: registration events at time `at`, in plan order.
          plan.forEach(([at, d], id) => {
            sim.schedule(at, () => {
              expected.push({ t: at + d, order: order++, id });
              sim.schedule(d, () => log.push(id));
            });
          });
          sim.run();
          const sorted = [...expected].sort((a, b) => a.t - b.t || a.order - b.order).map((e) => e.id);
          expect(log).toEqual(sorted);
        },
      ),
    );
  });

  it('zero-delay events scheduled now run after earlier-scheduled events at the same time', () => {
    const sim = new Simulation();
    const log: string[] = [];
    sim.schedule(5, () => {
      log.push('first@5');
      sim.schedule(0, () => log.push('zero-delay from first'));
    });
    sim.schedule(5, () => log.push('second@5'));
    sim.run();
    expect(log).toEqual(['first@5', 'second@5', 'zero-delay from first']);
  });

  it('runUntil(t) runs events strictly before t and leaves the clock at t', () => {
    const sim = new Simulation();
    const log: number[] = [];
    for (const t of [1, 5, 10, 15]) sim.schedule(t, () => log.push(sim.nowNs));
    sim.runUntil(10);
    expect(log).toEqual([1, 5]);
    expect(sim.nowNs).toBe(10);
    sim.runUntil(20);
    expect(log).toEqual([1, 5, 10, 15]);
    expect(sim.nowNs).toBe(20);
  });

  it('step() executes one event at a time and returns false when none is left', () => {
    const sim = new Simulation();
    let n = 0;
    sim.schedule(3, () => n++);
    sim.schedule(4, () => n++);
    expect(sim.step()).toBe(true);
    expect([n, sim.nowNs]).toEqual([1, 3]);
    expect(sim.step()).toBe(true);
    expect(sim.step()).toBe(false);
    expect(sim.eventsProcessed).toBe(2);
  });

  it('stop() ends run() after the current event', () => {
    const sim = new Simulation();
    const log: number[] = [];
    sim.schedule(1, () => log.push(1));
    sim.schedule(2, () => {
      log.push(2);
      sim.stop();
    });
    sim.schedule(3, () => log.push(3));
    sim.run();
    expect(log).toEqual([1, 2]);
    sim.run();
    expect(log).toEqual([1, 2, 3]);
  });

  it('rejects negative, NaN, infinite and fractional delays with a clear error', () => {
    const sim = new Simulation();
    for (const bad of [-1, NaN, Infinity, 1.5]) {
      expect(() => sim.schedule(bad, () => {})).toThrow(/delayNs must be a non-negative integer/);
    }
    expect(() => sim.schedule(0.5, () => {})).toThrow(/got 0.5 \(round it/);
  });

  it('rejects simulated time beyond 2^53 ns', () => {
    const sim = new Simulation();
    sim.schedule(Number.MAX_SAFE_INTEGER - 10, () => {
      expect(() => sim.schedule(11, () => {})).toThrow(/beyond the engine's limit of 2\^53-1 ns/);
    });
    sim.run();
    expect(sim.nowNs).toBe(Number.MAX_SAFE_INTEGER - 10);
    expect(() => sim.schedule(2 ** 54, () => {})).toThrow(RangeError);
  });

  it('scheduleAt refuses the past and runUntil refuses going back', () => {
    const sim = new Simulation();
    sim.runUntil(100);
    expect(() => sim.scheduleAt(99, () => {})).toThrow(/>= the current time 100 ns, got 99/);
    expect(() => sim.runUntil(50)).toThrow(/untilNs must be an integer between the current time 100/);
  });

  it('refuses a re-entrant run() from inside an event', () => {
    const sim = new Simulation();
    sim.schedule(1, () => sim.run());
    expect(() => sim.run()).toThrow(/already running/);
  });
});
