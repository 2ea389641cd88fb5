/**
 * Idle states and the menu-like governor: the intel_idle tables as the calibration table gives
 * them, the typical-interval rule, the state choice (deepest fitting state under the PM QoS
 * limit), halt polling, and CpuCores making the work that wakes a core wait the exit latency.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation, type ProcessBody } from '../../../model/engine/index.ts';
import { calibrated } from '../../../model/calibration/index.ts';
import { CpuCores, type Work } from '../../../model/cpu/index.ts';
import { allowedIdleStates, cpuIdleModel, CPU_MODEL_NAMES, IDLE_LIMIT_NAMES } from '../../../model/cpu/idleStates.ts';
import { defaultIdleGovernorParams, IdleGovernor, typicalIdleIntervalNs } from '../../../model/cpu/idleGovernor.ts';

const US = 1000;
const ONE_GHZ = { minFreqHz: 1e9, maxFreqHz: 1e9 };
const cycles = (n: number): Work => ({ cycles: n, dramMisses: 0 });
const P = defaultIdleGovernorParams;

/** A governor whose core 0 has seen `periodNs` idle periods `times` times. */
function trained(states = allowedIdleStates(cpuIdleModel('icelake-sp'), 'c6'), periodNs = 1000 * US, times = 8, pmQosLatencyNs?: number): IdleGovernor {
  const g = new IdleGovernor(1, { states, ...(pmQosLatencyNs === undefined ? {} : { pmQosLatencyNs }) });
  for (let i = 0; i < times; i++) g.wake(0, periodNs);
  return g;
}

describe('idle-state tables', () => {
  it('match intel_idle: Ice Lake-SP C1 1/1 us, C1E 4/4 us, C6 170/600 us (exit / target residency)', () => {
    const icx = cpuIdleModel('icelake-sp').states.map((s) => [s.name, s.exitLatencyNs / US, s.targetResidencyNs / US]);
    expect(icx).toEqual([['c1', 1, 1], ['c1e', 4, 4], ['c6', 170, 600]]);
    expect(cpuIdleModel('skylake-sp').states.map((s) => s.exitLatencyNs / US)).toEqual([2, 10, 133]);
    expect(cpuIdleModel('sapphire-rapids').states.map((s) => s.exitLatencyNs / US)).toEqual([1, 2, 290]);
  });

  it('every model orders its states shallow to deep (exit latency and residency non-decreasing)', () => {
    for (const name of CPU_MODEL_NAMES) {
      const s = cpuIdleModel(name).states;
      for (let i = 1; i < s.length; i++) {
        expect(s[i]!.exitLatencyNs).toBeGreaterThanOrEqual(s[i - 1]!.exitLatencyNs);
        expect(s[i]!.targetResidencyNs).toBeGreaterThanOrEqual(s[i - 1]!.targetResidencyNs);
      }
    }
  });

  it('a limit allows the states up to its depth; poll allows none; unknown names are refused with the allowed list', () => {
    const icx = cpuIdleModel('icelake-sp');
    expect(allowedIdleStates(icx, 'poll')).toEqual([]);
    expect(allowedIdleStates(icx, 'c1').map((s) => s.name)).toEqual(['c1']);
    expect(allowedIdleStates(icx, 'c1e').map((s) => s.name)).toEqual(['c1', 'c1e']);
    expect(allowedIdleStates(icx, 'c6').map((s) => s.name)).toEqual(['c1', 'c1e', 'c6']);
    expect(() => allowedIdleStates(icx, 'c7' as never)).toThrow(/one of poll, c1, c1e, c6, got "c7"/);
    expect(() => cpuIdleModel('z80' as never)).toThrow(/cpu model must be one of/);
  });

  it('the guest halt costs the IPI + exit + injection cycles at the reference clock', () => {
    const halt = cpuIdleModel('kvm-guest-haltpoll').states[0]!;
    expect(halt.name).toBe('halt');
    expect(halt.exitLatencyNs).toBe(Math.round((calibrated('cpu.haltWakeupCycles') / calibrated('cpu.referenceFreqHz')) * 1e9));
    expect(cpuIdleModel('kvm-guest-haltpoll').haltPollNs).toBe(200 * US);
  });
});

describe('typical idle interval (menu)', () => {
  it('regular periods predict their average', () => {
    expect(typicalIdleIntervalNs([1000, 1010, 990, 1000, 1005, 995, 1000, 1000].map((v) => v * US), 8, P)).toBeCloseTo(1000 * US, 6);
  });

  it('one outlier is dropped and the rest predict', () => {
    const periods = [100, 100, 100, 100, 100, 100, 100, 50_000].map((v) => v * US);
    expect(typicalIdleIntervalNs(periods, 8, P)).toBeCloseTo(100 * US, 6);
  });

  it('irregular periods predict nothing (Infinity): the next timer decides', () => {
    const periods = [10, 2000, 50, 900, 5, 3000, 300, 70].map((v) => v * US);
    expect(typicalIdleIntervalNs(periods, 8, P)).toBe(Infinity);
  });

  it('with fewer than three quarters of the history, only a tiny variance is trusted', () => {
    expect(typicalIdleIntervalNs([500 * US, 900 * US], 2, P)).toBe(Infinity);
    expect(typicalIdleIntervalNs([500 * US, 510 * US], 2, P)).toBeCloseTo(505 * US, 6);
  });
});

describe('IdleGovernor', () => {
  it('long regular idle periods choose the deepest state; a PM QoS limit caps the exit latency', () => {
    expect(trained().stateOnIdle(0)?.name).toBe('c6');
    expect(trained(undefined, 1000 * US, 8, 10 * US).stateOnIdle(0)?.name).toBe('c1e');
    expect(trained(undefined, 1000 * US, 8, 0).stateOnIdle(0)).toBeUndefined();
  });

  it('short regular idle periods choose a shallow state (target residency must fit the prediction)', () => {
    expect(trained(undefined, 10 * US).stateOnIdle(0)?.name).toBe('c1e');
    expect(trained(undefined, 2 * US).stateOnIdle(0)?.name).toBe('c1');
    expect(trained(undefined, 500).stateOnIdle(0)).toBeUndefined();
  });

  it('with no history the next timer bounds the prediction', () => {
    const g = new IdleGovernor(1, { states: allowedIdleStates(cpuIdleModel('icelake-sp'), 'c6') });
    const expected = P.nextTimerUs * US >= 600 * US ? 'c6' : 'c1e';
    expect(g.stateOnIdle(0)?.name).toBe(expected);
  });

  it('a deeper allowed limit never shortens the exit latency paid (random histories)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 1, maxLength: 20 }), fc.constantFrom(...CPU_MODEL_NAMES), (periods, model) => {
        let previous = -1;
        for (const limit of IDLE_LIMIT_NAMES) {
          const g = new IdleGovernor(1, { states: allowedIdleStates(cpuIdleModel(model), limit) });
          let exit = 0;
          for (const p of periods) exit = g.wake(0, p);
          if (exit < previous) return false;
          previous = exit;
        }
        return true;
      }),
    );
  });

  it('halt polling: a vCPU woken within the poll window pays nothing, later it pays the halt exit', () => {
    const model = cpuIdleModel('kvm-guest-haltpoll');
    const g = new IdleGovernor(1, { states: model.states, haltPollNs: model.haltPollNs });
    expect(g.wake(0, 150 * US)).toBe(0);
    expect(g.lastState).toBe('poll');
    expect(g.wake(0, 250 * US)).toBe(model.states[0]!.exitLatencyNs);
    expect(g.lastState).toBe('halt');
    expect(g.wakeups).toMatchObject({ poll: 1, halt: 1 });
  });
});

describe('CpuCores with an idle governor', () => {
  const c6Cores = (sim: Simulation, coreCount = 1): CpuCores =>
    new CpuCores(sim, {
      params: { coreCount, irqEntryCycles: 0 },
      frequency: ONE_GHZ,
      idleGovernor: new IdleGovernor(coreCount, { states: allowedIdleStates(cpuIdleModel('icelake-sp'), 'c6') }),
    });

  it('work reaching a core idle in C6 waits 170 us, reported as its wait and as grantExitNs; the wake is not busy time', () => {
    const sim = new Simulation();
    const cpu = c6Cores(sim);
    const seen: [number, number, number][] = [];
    sim.schedule(5_000 * US, () => {
      cpu.acquire(0, (_core, _arg, waitedNs) => {
        seen.push([sim.nowNs, waitedNs, cpu.grantExitNs]);
        sim.schedule(100, () => cpu.release(0));
      }, undefined);
    });
    sim.run();
    expect(seen).toEqual([[5_170 * US, 170 * US, 170 * US]]);
    expect(cpu.busyFraction(0)).toBeCloseTo(100 / (5_170 * US + 100), 12);
    expect(cpu.grantExitNs).toBe(0);
  });

  it('work arriving while the core wakes waits behind the first, in class order, and pays no second exit', () => {
    const sim = new Simulation();
    const cpu = c6Cores(sim);
    const log: [string, number, number][] = [];
    sim.schedule(5_000 * US, () => {
      cpu.runThen(0, cycles(1000), () => log.push(['first', sim.nowNs, 0]), undefined);
      sim.schedule(10 * US, () => cpu.runThen(0, cycles(1000), () => log.push(['second', sim.nowNs, 0]), undefined));
    });
    sim.run();
    expect(log.map(([n, t]) => [n, t])).toEqual([['first', 5_171 * US], ['second', 5_172 * US]]);
    expect(cpu.idleGovernor!.wakeups.c6).toBe(1);
  });

  it('processes pay the exit latency too (a process request on an idle core)', () => {
    const sim = new Simulation();
    const cpu = c6Cores(sim);
    let doneAt = 0;
    sim.process((function* (): ProcessBody {
      yield* sim.timeout(5_000 * US);
      yield* cpu.run(0, cycles(1000));
      doneAt = sim.nowNs;
    })());
    sim.run();
    expect(doneAt).toBe(5_171 * US);
  });

  it('without a governor an idle core takes work at once (unchanged behaviour)', () => {
    const sim = new Simulation();
    const cpu = new CpuCores(sim, { params: { coreCount: 1, irqEntryCycles: 0 }, frequency: ONE_GHZ });
    let at = -1;
    sim.schedule(5_000 * US, () => cpu.runThen(0, cycles(1000), () => (at = sim.nowNs), undefined));
    sim.run();
    expect(at).toBe(5_001 * US);
  });
});
