import { describe, expect, it } from 'vitest';
import { Simulation } from '../../model/engine/simulation.ts';
import { Interrupt, ProcessError, type ProcessBody } from '../../model/engine/process.ts';

describe('Process', () => {
  it('yield* sim.timeout(ns) suspends a process for that long', () => {
    const sim = new Simulation();
    const log: [string, number][] = [];
    function* clock(name: string, tickNs: number): ProcessBody {
      for (let i = 0; i < 3; i++) {
        log.push([name, sim.nowNs]);
        yield* sim.timeout(tickNs);
      }
    }
    sim.process(clock('fast', 5));
    sim.process(clock('slow', 10));
    sim.run();
    // At t=10 both wake: slow's timeout was scheduled at t=0, fast's at t=5, so slow goes first.
    expect(log).toEqual([
      ['fast', 0], ['slow', 0], ['fast', 5], ['slow', 10], ['fast', 10], ['slow', 20],
    ]);
  });

  it('a process starts after the events already scheduled for the current time', () => {
    const sim = new Simulation();
    const log: string[] = [];
    sim.schedule(0, () => log.push('callback'));
    sim.process((function* () { log.push('process'); })());
    sim.run();
    expect(log).toEqual(['callback', 'process']);
  });

  it('join() waits for another process and returns its result', () => {
    const sim = new Simulation();
    const log: [string, number | string][] = [];
    function* child(): ProcessBody<string> {
      yield* sim.timeout(7);
      return 'done';
    }
    sim.process((function* (): ProcessBody {
      const c = sim.process(child(), 'child');
      const r = yield* c.join();
      log.push([r, sim.nowNs]);
      // Joining a finished process returns at once.
      log.push([yield* c.join(), sim.nowNs]);
    })());
    sim.run();
    expect(log).toEqual([['done', 7], ['done', 7]]);
  });

  it('interrupt(cause) throws Interrupt at the current wait and cancels it', () => {
    const sim = new Simulation();
    const log: [string, number][] = [];
    const sleeper = sim.process((function* (): ProcessBody {
      try {
        yield* sim.timeout(100);
        log.push(['woke normally', sim.nowNs]);
      } catch (e) {
        expect(e).toBeInstanceOf(Interrupt);
        log.push([`interrupted: ${(e as Interrupt).cause}`, sim.nowNs]);
      }
      yield* sim.timeout(5);
      log.push(['after', sim.nowNs]);
    })(), 'sleeper');
    sim.schedule(30, () => sleeper.interrupt('wake up'));
    sim.run();
    // The cancelled timeout at t=100 must not resume the process a second time.
    expect(log).toEqual([['interrupted: wake up', 30], ['after', 35]]);
  });

  it('an uncaught error in a process stops run() with the process name', () => {
    const sim = new Simulation();
    sim.process((function* (): ProcessBody {
      yield* sim.timeout(1);
      throw new Error('boom');
    })(), 'faulty');
    expect(() => sim.run()).toThrow(ProcessError);
    const sim2 = new Simulation();
    sim2.process((function* (): ProcessBody { throw new Error('boom'); })(), 'faulty');
    expect(() => sim2.run()).toThrow(/process "faulty" failed: boom/);
  });

  it('a failure is delivered to a process that joins the failing one', () => {
    const sim = new Simulation();
    const log: string[] = [];
    const bad = sim.process((function* (): ProcessBody {
      yield* sim.timeout(2);
      throw new Error('bad');
    })(), 'bad');
    sim.process((function* (): ProcessBody {
      try {
        yield* bad.join();
      } catch (e) {
        log.push(`caught ${(e as Error).message} at ${sim.nowNs}`);
      }
    })());
    sim.run();
    expect(log).toEqual(['caught bad at 2']);
  });

  it('yielding anything but an engine wait is a clear error', () => {
    const sim = new Simulation();
    sim.process((function* () {
      yield 5 as never;
    })(), 'wrong');
    expect(() => sim.run()).toThrow(/may only yield\* engine waits/);
  });

  it('waits used outside a process say so', () => {
    const sim = new Simulation();
    expect(() => sim.timeout(5)[Symbol.iterator]().next()).toThrow(/can only be used inside a process/);
  });

  it('interrupting a finished process is an error', () => {
    const sim = new Simulation();
    const p = sim.process((function* (): ProcessBody {})());
    sim.run();
    expect(() => p.interrupt()).toThrow(/already finished/);
  });
});
