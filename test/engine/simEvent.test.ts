import { describe, expect, it } from 'vitest';
import { Simulation } from '../../model/engine/simulation.ts';
import type { ProcessBody } from '../../model/engine/process.ts';

describe('SimEvent', () => {
  it('event.wait() resumes every waiter, in arrival order, when it succeeds', () => {
    const sim = new Simulation();
    const ev = sim.event<string>();
    const log: [string, string, number][] = [];
    for (const name of ['a', 'b', 'c']) {
      sim.process((function* (): ProcessBody {
        const v = yield* ev.wait();
        log.push([name, v, sim.nowNs]);
      })());
    }
    sim.schedule(12, () => ev.succeed('go'));
    sim.run();
    expect(log).toEqual([['a', 'go', 12], ['b', 'go', 12], ['c', 'go', 12]]);
  });

  it('anyOf returns the first event to fire; later ones do not resume the process again', () => {
    const sim = new Simulation();
    const log: [number, string, number][] = [];
    sim.process((function* (): ProcessBody {
      const r = yield* sim.anyOf([sim.timeoutEvent(50, 'slow'), sim.timeoutEvent(20, 'fast')]);
      log.push([r.index, r.value, sim.nowNs]);
      yield* sim.timeout(100);
      log.push([-1, 'end', sim.nowNs]);
    })());
    sim.run();
    expect(log).toEqual([[1, 'fast', 20], [-1, 'end', 120]]);
  });

  it('allOf returns all values in order once the last one fires', () => {
    const sim = new Simulation();
    let got: [number[], number] | null = null;
    sim.process((function* (): ProcessBody {
      const values = yield* sim.allOf([sim.timeoutEvent(30, 1), sim.timeoutEvent(10, 2), sim.timeoutEvent(20, 3)]);
      got = [values, sim.nowNs];
    })());
    sim.run();
    expect(got).toEqual([[1, 2, 3], 30]);
  });

  it('fail(error) throws into waiting processes', () => {
    const sim = new Simulation();
    const ev = sim.event();
    const log: string[] = [];
    sim.process((function* (): ProcessBody {
      try {
        yield* ev.wait();
      } catch (e) {
        log.push((e as Error).message);
      }
    })());
    sim.schedule(1, () => ev.fail(new Error('link down')));
    sim.run();
    expect(log).toEqual(['link down']);
  });

  it('an event triggers only once', () => {
    const sim = new Simulation();
    const ev = sim.event<number>().succeed(1);
    expect(() => ev.succeed(2)).toThrow(/already been triggered/);
    expect(ev.value).toBe(1);
  });
});
