import { describe, expect, it } from 'vitest';
import { Simulation } from '../../model/engine/simulation.ts';
import { Store } from '../../model/engine/store.ts';
import type { ProcessBody } from '../../model/engine/process.ts';

describe('Store', () => {
  it('get() waits for an item; items come out in FIFO order', () => {
    const sim = new Simulation();
    const ring = new Store<string>(sim, { capacity: 4 });
    const log: [string, number][] = [];
    sim.process((function* (): ProcessBody {
      for (let i = 0; i < 3; i++) log.push([yield* ring.get(), sim.nowNs]);
    })());
    sim.schedule(5, () => { ring.tryPut('p1'); ring.tryPut('p2'); });
    sim.schedule(9, () => ring.tryPut('p3'));
    sim.run();
    expect(log).toEqual([['p1', 5], ['p2', 5], ['p3', 9]]);
  });

  it('tryPut drops when full (drop-tail) and counts the drops', () => {
    const sim = new Simulation();
    const ring = new Store<number>(sim, { capacity: 2 });
    expect([1, 2, 3, 4].map((x) => ring.tryPut(x))).toEqual([true, true, false, false]);
    expect(ring.drops).toBe(2);
    expect(ring.tryGet()).toBe(1);
    expect(ring.tryPut(5)).toBe(true);
    expect([ring.tryGet(), ring.tryGet(), ring.tryGet()]).toEqual([2, 5, undefined]);
  });

  it('put() waits for room when full', () => {
    const sim = new Simulation();
    const s = new Store<string>(sim, { capacity: 1 });
    const log: [string, number][] = [];
    sim.process((function* (): ProcessBody {
      yield* s.put('a');
      log.push(['put a', sim.nowNs]);
      yield* s.put('b');
      log.push(['put b', sim.nowNs]);
    })());
    sim.process((function* (): ProcessBody {
      yield* sim.timeout(10);
      log.push([`got ${yield* s.get()}`, sim.nowNs]);
      log.push([`got ${yield* s.get()}`, sim.nowNs]);
    })());
    sim.run();
    expect(log).toEqual([['put a', 0], ['got a', 10], ['got b', 10], ['put b', 10]]);
  });

  it('items put = items got + items held + drops (conservation) under random traffic', () => {
    const sim = new Simulation();
    const s = new Store<number>(sim, { capacity: 3 });
    let offered = 0;
    let got = 0;
    // Deterministic pseudo-random pattern without Math.random.
    let x = 12345;
    const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let t = 1; t <= 2000; t++) {
      sim.schedule(t, () => {
        if (next() < 0.6) { offered++; s.tryPut(t); }
        if (next() < 0.5 && s.tryGet() !== undefined) got++;
      });
    }
    sim.run();
    expect(offered).toBe(got + s.size + s.drops);
    expect(s.puts).toBe(offered - s.drops);
    expect(s.gets).toBe(got);
  });

  it('getThen(fn) calls back with the next item', () => {
    const sim = new Simulation();
    const s = new Store<string>(sim);
    const log: string[] = [];
    s.getThen((item, tag, waitedNs) => log.push(`${tag}:${item}:${waitedNs}`), 'cb');
    s.tryPut('x');
    s.tryPut('y');
    sim.schedule(7, () => s.getThen((item, tag, waitedNs) => log.push(`${tag}:${item}:${waitedNs}`), 'now'));
    sim.schedule(8, () => s.getThen((item, tag, waitedNs) => log.push(`${tag}:${item}:${waitedNs}`), 'later'));
    sim.schedule(10, () => s.tryPut('z'));
    sim.run();
    expect(log).toEqual(['cb:x:0', 'now:y:0', 'later:z:2']);
  });

  it('validates capacity', () => {
    const sim = new Simulation();
    expect(() => new Store(sim, { capacity: 0, name: 'rx-ring' })).toThrow(/rx-ring: capacity must be a positive integer or Infinity, got 0/);
  });
});
