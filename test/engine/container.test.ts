import { describe, expect, it } from 'vitest';
import { Simulation } from '../../model/engine/simulation.ts';
import { Container } from '../../model/engine/container.ts';
import { Interrupt, type ProcessBody } from '../../model/engine/process.ts';

describe('Container', () => {
  it('get(amount) waits until enough is there; put(amount) waits until it fits', () => {
    const sim = new Simulation();
    const tank = new Container(sim, { capacity: 100, initialLevel: 10 });
    const log: [string, number, number][] = [];
    sim.process((function* (): ProcessBody {
      yield* tank.get(50);
      log.push(['got 50', sim.nowNs, tank.level]);
    })());
    sim.process((function* (): ProcessBody {
      yield* sim.timeout(5);
      yield* tank.put(60);
      log.push(['put 60', sim.nowNs, tank.level]);
      yield* tank.put(90);
      log.push(['put 90', sim.nowNs, tank.level]);
    })());
    sim.schedule(8, () => tank.tryGet(20));
    sim.run();
    expect(log).toEqual([['put 60', 5, 20], ['got 50', 5, 20], ['put 90', 8, 90]]);
  });

  it('strict FIFO: a large get at the head holds back smaller ones', () => {
    const sim = new Simulation();
    const c = new Container(sim, { capacity: 10 });
    const order: string[] = [];
    const getter = (name: string, amount: number) => c.getThen(amount, () => order.push(name), null);
    getter('big', 8);
    getter('small', 1);
    c.tryPut(5);
    expect(order).toEqual([]);
    c.tryPut(4);
    expect(order).toEqual(['big', 'small']);
    expect(c.level).toBe(0);
  });

  it('callback gets and puts report how long they waited', () => {
    const sim = new Simulation();
    const c = new Container(sim, { capacity: 10, initialLevel: 2 });
    const log: string[] = [];
    c.getThen(2, (amount, name, waitedNs) => log.push(`${name}:${amount}:${waitedNs}`), 'now');
    c.getThen(3, (amount, name, waitedNs) => log.push(`${name}:${amount}:${waitedNs}`), 'get');
    sim.schedule(4, () => c.tryPut(10));
    sim.schedule(5, () => c.putThen(6, (amount, name, waitedNs) => log.push(`${name}:${amount}:${waitedNs}`), 'put'));
    sim.schedule(9, () => c.tryGet(4));
    sim.run();
    expect(log).toEqual(['now:2:0', 'get:3:4', 'put:6:4']);
  });

  it('time-weighted level', () => {
    const sim = new Simulation();
    const mem = new Container(sim, { capacity: 1000 });
    sim.schedule(10, () => mem.tryPut(100));
    sim.schedule(30, () => mem.tryGet(50));
    sim.runUntil(40);
    // 0 for 10 ns, 100 for 20 ns, 50 for 10 ns.
    expect(mem.levelMonitor.meanAt(40)).toBeCloseTo((100 * 20 + 50 * 10) / 40, 12);
  });

  it('an interrupted getter leaves the line and unblocks those behind it', () => {
    const sim = new Simulation();
    const c = new Container(sim, { capacity: 10, initialLevel: 3 });
    const log: string[] = [];
    const big = sim.process((function* (): ProcessBody {
      try { yield* c.get(9); } catch (e) { log.push(`big gave up: ${(e as Interrupt).cause}`); }
    })());
    sim.process((function* (): ProcessBody {
      yield* c.get(2);
      log.push(`small got 2 at ${sim.nowNs}`);
    })());
    sim.schedule(7, () => big.interrupt('deadline'));
    sim.run();
    expect(log).toEqual(['big gave up: deadline', 'small got 2 at 7']);
    expect(c.level).toBe(1);
  });

  it('rejects amounts outside (0, capacity]', () => {
    const sim = new Simulation();
    const c = new Container(sim, { capacity: 10, name: 'ct-memory' });
    expect(() => c.tryGet(0)).toThrow(/ct-memory.tryGet: amount must be in \(0, capacity=10\], got 0/);
    expect(() => c.tryPut(11)).toThrow(/got 11/);
    expect(() => new Container(sim, { capacity: 5, initialLevel: 6 })).toThrow(/initialLevel must be in \[0, 5\]/);
  });
});
