import { describe, expect, it } from 'vitest';
import { Simulation } from '../../model/engine/simulation.ts';
import { Resource } from '../../model/engine/resource.ts';
import { Interrupt, type ProcessBody } from '../../model/engine/process.ts';

describe('Resource', () => {
  it('request() grants up to capacity at once and queues the rest FIFO', () => {
    const sim = new Simulation();
    const pumps = new Resource(sim, { capacity: 2 });
    const log: [string, string, number][] = [];
    function* car(name: string, holdNs: number): ProcessBody {
      const slot = yield* pumps.request();
      log.push([name, 'got', sim.nowNs]);
      yield* sim.timeout(holdNs);
      pumps.release(slot);
      log.push([name, 'left', sim.nowNs]);
    }
    for (const [name, hold] of [['a', 10], ['b', 20], ['c', 5], ['d', 5]] as const) sim.process(car(name, hold));
    sim.run();
    expect(log).toEqual([
      ['a', 'got', 0], ['b', 'got', 0],
      ['a', 'left', 10], ['c', 'got', 10],
      ['c', 'left', 15], ['d', 'got', 15],
      ['b', 'left', 20], ['d', 'left', 20],
    ]);
  });

  it('priority discipline serves lower numbers first, FIFO among equals', () => {
    const sim = new Simulation();
    const cpu = new Resource(sim, { capacity: 1, discipline: 'priority' });
    const order: string[] = [];
    function* job(name: string, prio: number, atNs: number): ProcessBody {
      yield* sim.timeout(atNs);
      const slot = yield* cpu.request(prio);
      order.push(name);
      yield* sim.timeout(10);
      cpu.release(slot);
    }
    sim.process(job('first', 5, 0));
    sim.process(job('low-1', 5, 1));
    sim.process(job('high', 1, 2));
    sim.process(job('low-2', 5, 3));
    sim.process(job('mid', 3, 4));
    sim.run();
    expect(order).toEqual(['first', 'high', 'mid', 'low-1', 'low-2']);
  });

  it('acquire(fn, arg) calls back at once when free and on release otherwise, with the wait', () => {
    const sim = new Simulation();
    const r = new Resource(sim, { capacity: 1 });
    const log: [string, number, number, number][] = [];
    r.acquire((slot, name, waitedNs) => {
      log.push([name, slot, sim.nowNs, waitedNs]);
      sim.schedule(4, () => r.release(slot));
    }, 'x');
    sim.schedule(1, () => r.acquire((slot, name, waitedNs) => log.push([name, slot, sim.nowNs, waitedNs]), 'y'));
    expect(log).toEqual([['x', 0, 0, 0]]);
    sim.run();
    expect(log).toEqual([['x', 0, 0, 0], ['y', 0, 4, 3]]);
    expect(r.waitNs.mean).toBe(1.5); // waits 0 and 3
  });

  it('release() of a slot that is not held is an error', () => {
    const sim = new Simulation();
    const r = new Resource(sim, { capacity: 2, name: 'cores' });
    expect(() => r.release(0)).toThrow(/cores: release\(0\) of a slot that is not held/);
    const s = r.tryAcquire();
    r.release(s);
    expect(() => r.release(s)).toThrow(/not held/);
    expect(() => r.release(7)).toThrow(/not held/);
  });

  it('monitors utilisation and time-weighted queue length', () => {
    const sim = new Simulation();
    const r = new Resource(sim, { capacity: 1 });
    // One holder for [0, 10); a second waits [0, 10) then holds [10, 15); idle [15, 20).
    for (let i = 0; i < 2; i++) {
      sim.process((function* (): ProcessBody {
        const s = yield* r.request();
        yield* sim.timeout(i === 0 ? 10 : 5);
        r.release(s);
      })());
    }
    sim.runUntil(20);
    expect(r.utilization()).toBeCloseTo(15 / 20, 12);
    expect(r.queueLength.meanAt(sim.nowNs)).toBeCloseTo(10 / 20, 12);
    expect(r.waitNs.mean).toBe(5);
  });

  it('an interrupted waiter leaves the line; one interrupted after its grant gives the slot back', () => {
    const sim = new Simulation();
    const r = new Resource(sim, { capacity: 1 });
    const log: string[] = [];
    const holder = r.tryAcquire();
    const waiter = sim.process((function* (): ProcessBody {
      try {
        yield* r.request();
        log.push('granted');
      } catch (e) {
        log.push(`left line: ${(e as Interrupt).cause}`);
      }
    })());
    sim.schedule(5, () => waiter.interrupt('timeout'));
    sim.runUntil(6);
    expect(r.waiting).toBe(0);
    // Now the race: grant and interrupt at the same instant, interrupt scheduled first.
    const late = sim.process((function* (): ProcessBody {
      try {
        yield* r.request();
        log.push('late granted');
      } catch {
        log.push('late interrupted');
      }
    })());
    sim.schedule(4, () => {
      late.interrupt('race');
      r.release(holder);
    });
    sim.run();
    expect(log).toEqual(['left line: timeout', 'late interrupted']);
    expect(r.inUse).toBe(0);
  });

  it('validates its options', () => {
    const sim = new Simulation();
    expect(() => new Resource(sim, { capacity: 0, name: 'cpu' })).toThrow(/cpu: capacity must be a positive integer, got 0/);
    expect(() => new Resource(sim, { capacity: 1, discipline: 'lifo' as never })).toThrow(/discipline must be 'fifo' or 'priority'/);
  });
});
