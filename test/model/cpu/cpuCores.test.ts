import { describe, expect, it } from 'vitest';
import { Simulation, type Interrupt, type ProcessBody } from '../../../model/engine/index.ts';
import { CpuCores, SOFTIRQ_PRIORITY, TASK_PRIORITY, kernelPacketWork, type Work } from '../../../model/cpu/index.ts';

const ONE_GHZ = { minFreqHz: 1e9, maxFreqHz: 1e9 };
const cycles = (n: number): Work => ({ cycles: n, dramMisses: 0 });

describe('CpuCores', () => {
  it('work on one core runs one piece at a time; other cores run in parallel', () => {
    const sim = new Simulation();
    const cpu = new CpuCores(sim, { params: { coreCount: 2, irqEntryCycles: 0 }, frequency: ONE_GHZ });
    const log: [string, number][] = [];
    const job = (name: string, core: number): ProcessBody => (function* (): ProcessBody {
      yield* cpu.run(core, cycles(100));
      log.push([name, sim.nowNs]);
    })();
    sim.process(job('a', 0));
    sim.process(job('b', 0));
    sim.process(job('c', 1));
    sim.run();
    expect(log).toEqual([['a', 100], ['c', 100], ['b', 200]]);
    expect(cpu.busyFraction(0)).toBe(1);
    expect(cpu.busyFraction(1)).toBe(0.5);
  });

  it('softirq work is served before task work waiting for the same core', () => {
    const sim = new Simulation();
    const cpu = new CpuCores(sim, { params: { coreCount: 1, irqEntryCycles: 0 }, frequency: ONE_GHZ });
    const log: [string, number][] = [];
    cpu.runThen(0, cycles(10), () => log.push(['first', sim.nowNs]), undefined, TASK_PRIORITY);
    cpu.runThen(0, cycles(10), () => log.push(['task', sim.nowNs]), undefined, TASK_PRIORITY);
    cpu.runThen(0, cycles(10), () => log.push(['softirq', sim.nowNs]), undefined, SOFTIRQ_PRIORITY);
    sim.run();
    expect(log).toEqual([['first', 10], ['softirq', 20], ['task', 30]]);
  });

  it('rounds to integer ns but carries the remainder, so 1000 XDP drops take exactly 1000 x 41.67 ns', () => {
    const sim = new Simulation();
    const cpu = new CpuCores(sim, { params: { coreCount: 1, irqEntryCycles: 0 } });
    sim.process((function* (): ProcessBody {
      for (let i = 0; i < 1000; i++) yield* cpu.softirq(0, kernelPacketWork('xdp-drop'));
    })());
    sim.run();
    expect(Math.abs(sim.nowNs - 41_666.67)).toBeLessThanOrEqual(1);
    expect(cpu.workDoneNs[0]).toBe(sim.nowNs);
  });

  it('performance never runs the same cycle-bound work slower than powersave or ondemand', () => {
    const finish = (governor: 'performance' | 'powersave' | 'ondemand') => {
      const sim = new Simulation();
      const cpu = new CpuCores(sim, { params: { coreCount: 1, irqEntryCycles: 0 }, governor });
      sim.process((function* (): ProcessBody {
        for (let i = 0; i < 200; i++) {
          yield* cpu.run(0, cycles(360_000)); // 100 us at 3.6 GHz
          yield* sim.timeout(50_000);
        }
      })());
      sim.run();
      return sim.nowNs;
    };
    const perf = finish('performance');
    expect(perf).toBeLessThan(finish('ondemand'));
    expect(finish('ondemand')).toBeLessThan(finish('powersave'));
  });

  it('a load-dependent governor starts low on an idle core and ramps to max under load', () => {
    const sim = new Simulation();
    const cpu = new CpuCores(sim, { params: { coreCount: 1, irqEntryCycles: 0 }, governor: 'ondemand' });
    expect(cpu.freqHz(0)).toBe(cpu.frequency.minFreqHz);
    sim.process((function* (): ProcessBody {
      for (let i = 0; i < 100; i++) yield* cpu.run(0, cycles(3_600_000)); // back-to-back work
    })());
    sim.run();
    expect(cpu.freqHz(0)).toBe(cpu.frequency.maxFreqHz);
  });

  it('rejects a bad core index, a priority other than softirq or task, or releasing a core that is not held', () => {
    const cpu = new CpuCores(new Simulation(), { params: { coreCount: 2, irqEntryCycles: 0 } });
    expect(() => cpu.freqHz(2)).toThrow(/core must be an integer in \[0, 1\]/);
    expect(() => cpu.release(0)).toThrow(/not held/);
    expect(() => cpu.acquire(0, () => {}, undefined, 2 as never)).toThrow(/priority must be SOFTIRQ_PRIORITY \(0\) or TASK_PRIORITY \(1\), got 2/);
    expect(cpu.isBusy(0)).toBe(false);
    expect(() => cpu.request(1, -1 as never)).toThrow(/priority must be SOFTIRQ_PRIORITY/);
  });

  it('processes and callbacks share one line per core: softirq first, then tasks, each in arrival order', () => {
    const sim = new Simulation();
    const cpu = new CpuCores(sim, { params: { coreCount: 2, irqEntryCycles: 0 }, frequency: ONE_GHZ });
    const log: string[] = [];
    const proc = (name: string, priority: 0 | 1): ProcessBody => (function* (): ProcessBody {
      const core = yield* cpu.request(0, priority);
      log.push(`${name}@${sim.nowNs}`);
      yield* sim.timeout(10);
      cpu.release(core);
    })();
    cpu.acquire(0, () => log.push(`holder@${sim.nowNs}`), undefined);
    sim.process(proc('taskProc', TASK_PRIORITY));
    sim.schedule(1, () => cpu.acquire(0, (core: number) => {
      log.push(`taskCb@${sim.nowNs}`);
      sim.schedule(10, () => cpu.release(core));
    }, undefined, TASK_PRIORITY));
    sim.schedule(2, () => sim.process(proc('softProc', SOFTIRQ_PRIORITY)));
    sim.schedule(3, () => cpu.acquire(0, (core: number) => {
      log.push(`softCb@${sim.nowNs}`);
      sim.schedule(10, () => cpu.release(core));
    }, undefined, SOFTIRQ_PRIORITY));
    sim.schedule(5, () => cpu.release(0));
    sim.run();
    expect(log).toEqual(['holder@0', 'softProc@5', 'softCb@15', 'taskProc@25', 'taskCb@35']);
    expect(cpu.isBusy(0)).toBe(false);
    expect(cpu.busyFraction(0)).toBe(1);
    expect(cpu.isBusy(1)).toBe(false);
  });

  it('an interrupted request leaves the line; one interrupted after its grant gives the core back', () => {
    const sim = new Simulation();
    const cpu = new CpuCores(sim, { params: { coreCount: 2, irqEntryCycles: 0 }, frequency: ONE_GHZ });
    const log: string[] = [];
    const waiter = (name: string, priority: 0 | 1): ProcessBody => (function* (): ProcessBody {
      try {
        yield* cpu.request(1, priority);
        log.push(`${name} granted@${sim.nowNs}`);
        yield* sim.timeout(7);
        cpu.release(1);
      } catch (e) {
        log.push(`${name} interrupted: ${String((e as Interrupt).cause)}`);
      }
    })();
    cpu.acquire(1, () => {}, undefined);
    const early = sim.process(waiter('early', SOFTIRQ_PRIORITY));
    sim.process(waiter('next', TASK_PRIORITY));
    sim.schedule(5, () => early.interrupt('gave up'));
    // The race: grant and interrupt at the same instant, the interrupt first. The core goes to the
    // first in line ('late'), whose interrupt then hands it on to 'next'.
    const late = sim.process(waiter('late', SOFTIRQ_PRIORITY));
    sim.schedule(9, () => {
      late.interrupt('race');
      cpu.release(1);
    });
    sim.run();
    expect(log).toEqual(['early interrupted: gave up', 'late interrupted: race', 'next granted@9']);
    expect(cpu.isBusy(1)).toBe(false);
    expect(cpu.busyFraction(1)).toBe(1);
  });
});
