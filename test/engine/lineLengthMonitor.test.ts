/**
 * Resource.queueLength is derived from the waits (LineLengthMonitor); it must equal a TimeWeighted
 * updated with the line's length after every event, whatever the discipline, interrupts and resets.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../model/engine/simulation.ts';
import { Resource } from '../../model/engine/resource.ts';
import { Interrupt, type Process, type ProcessBody } from '../../model/engine/process.ts';
import { TimeWeighted } from '../../model/engine/stats/timeWeighted.ts';

const customer = fc.record({
  gapNs: fc.integer({ min: 0, max: 50 }),
  holdNs: fc.integer({ min: 1, max: 120 }),
  priority: fc.integer({ min: 0, max: 2 }),
  /** Interrupt it this long after it arrives (if it is still waiting then), or never. */
  patienceNs: fc.option(fc.integer({ min: 0, max: 80 }), { nil: undefined }),
});

describe('LineLengthMonitor (Resource.queueLength)', () => {
  it('equals a time-weighted length updated at every event: area, mean and max, across resets (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 3 }), fc.constantFrom('fifo' as const, 'priority' as const),
      fc.array(customer, { minLength: 1, maxLength: 60 }), fc.array(fc.integer({ min: 1, max: 3000 }), { maxLength: 3 }),
      (capacity, discipline, customers, resetTimes) => {
        const sim = new Simulation();
        const r = new Resource(sim, { capacity, discipline });
        const shadow = new TimeWeighted(0, 0);
        function* visit(holdNs: number, priority: number): ProcessBody {
          let slot: number;
          try {
            slot = yield* r.request(priority);
          } catch (e) {
            if (e instanceof Interrupt) return;
            throw e;
          }
          yield* sim.timeout(holdNs);
          r.release(slot);
        }
        let t = 0;
        for (const c of customers) {
          t += c.gapNs;
          sim.schedule(t, () => {
            const proc: Process<void> = sim.process(visit(c.holdNs, c.priority));
            if (c.patienceNs !== undefined) {
              sim.schedule(c.patienceNs + 1, () => {
                if (proc.isAlive && proc.waitToken === -1) proc.interrupt('gave up');
              });
            }
          });
        }
        for (const at of resetTimes) {
          sim.schedule(at, () => {
            r.resetStats();
            shadow.reset(sim.nowNs);
          });
        }
        while (sim.step()) shadow.update(sim.nowNs, r.waiting);
        const endNs = sim.nowNs + 7;
        expect(r.queueLength.areaAt(endNs)).toBeCloseTo(shadow.areaAt(endNs), 6);
        expect(r.queueLength.max).toBe(shadow.max);
        expect(r.queueLength.value).toBe(0);
        if (endNs > 0) expect(r.queueLength.meanAt(endNs)).toBeCloseTo(shadow.meanAt(endNs), 9);
      },
    ), { numRuns: 300 });
  });

  it('counts the requests still waiting when read', () => {
    const sim = new Simulation();
    const r = new Resource(sim, { capacity: 1 });
    r.acquire(() => {}, undefined);
    sim.schedule(10, () => r.acquire(() => {}, undefined));
    sim.schedule(20, () => r.acquire(() => {}, undefined));
    sim.run();
    // Two waiting since 10 and 20: at 50 the area is 40 + 30.
    expect(r.queueLength.areaAt(50)).toBe(70);
    expect(r.queueLength.max).toBe(2);
    r.resetStats();
    expect(r.queueLength.areaAt(30)).toBe(20);
    expect(() => r.queueLength.areaAt(5)).toThrow(/nowNs must be a finite time >= the monitor's start 20, got 5/);
  });
});
