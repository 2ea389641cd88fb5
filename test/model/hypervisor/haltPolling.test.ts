import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultGuestHaltPollParams, defaultHostHaltPollParams, HaltPollWindows, VcpuIdle, vmExitTimes, defaultVmExitParams } from '../../../model/hypervisor/index.ts';
import { IdleGovernor } from '../../../model/cpu/idleGovernor.ts';
import { allowedIdleStates, cpuIdleModel } from '../../../model/cpu/idleStates.ts';

const US = 1000;

describe('host halt polling (KVM halt_poll_ns)', () => {
  it('has the documented defaults: 200 us ceiling, grow x2 from 10 us, shrink to zero', () => {
    expect(defaultHostHaltPollParams).toMatchObject({ maxNs: 200_000, grow: 2, growStartNs: 10_000, shrink: 0 });
  });

  it('grows 10, 20, 40, 80 us while 50 us halts outlast it, then holds: the doc\'s rule', () => {
    const w = new HaltPollWindows(1, defaultHostHaltPollParams, 'host');
    const hits: boolean[] = [];
    const windows: number[] = [];
    for (let i = 0; i < 6; i++) {
      hits.push(w.hostBlock(0, 50 * US));
      windows.push(w.window(0));
    }
    expect(windows).toEqual([10 * US, 20 * US, 40 * US, 80 * US, 80 * US, 80 * US]);
    expect(hits).toEqual([false, false, false, false, true, true]);
  });

  it('a halt longer than the ceiling resets the interval to zero (halt_poll_ns_shrink 0)', () => {
    const w = new HaltPollWindows(1, defaultHostHaltPollParams, 'host');
    for (let i = 0; i < 5; i++) w.hostBlock(0, 150 * US);
    expect(w.window(0)).toBe(160 * US);
    expect(w.hostBlock(0, 1000 * US)).toBe(false);
    expect(w.window(0)).toBe(0);
  });

  it('property: the interval stays in [0, ceiling], and a wake-up is a hit exactly when the halt fits the interval it started with', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 1, max: 2e6, noNaN: true }), { minLength: 1, maxLength: 60 }), (halts) => {
      const w = new HaltPollWindows(1, defaultHostHaltPollParams, 'host');
      for (const h of halts) {
        const before = w.window(0);
        expect(w.hostBlock(0, h)).toBe(before > 0 && h <= before);
        expect(w.window(0)).toBeGreaterThanOrEqual(0);
        expect(w.window(0)).toBeLessThanOrEqual(defaultHostHaltPollParams.maxNs);
      }
    }));
  });
});

describe('guest halt polling (the haltpoll governor)', () => {
  it('has the documented defaults: 200 us ceiling, grow x2 from 50 us, shrink /2', () => {
    expect(defaultGuestHaltPollParams).toMatchObject({ maxNs: 200_000, grow: 2, growStartNs: 50_000, shrink: 2 });
  });

  it('grows 10k, 20k, 40k with grow_start 10000 (the doc\'s example), caps at the ceiling, halves after a long halt', () => {
    const w = new HaltPollWindows(1, { ...defaultGuestHaltPollParams, growStartNs: 10_000 }, 'guest');
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      w.guestHalted(0, 190 * US);
      seen.push(w.window(0));
    }
    expect(seen).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 200_000]);
    w.guestHalted(0, 500 * US);
    expect(w.window(0)).toBe(100_000);
  });
});

describe('VcpuIdle: waking a vCPU', () => {
  const exits = vmExitTimes(defaultVmExitParams, 3.6e9, true);
  const wakeupNs = 3000;
  const vcpu = (haltPolling: 'off' | 'host' | 'on', hostIdle?: IdleGovernor) => new VcpuIdle({ vcpus: 1, haltPolling, exits, hostThreadWakeupNs: wakeupNs, hostIdle });

  it('halt polling off: every wake-up is the IPI/exit/injection plus the host scheduler plus the host core\'s idle exit', () => {
    const icx = cpuIdleModel('icelake-sp');
    const hostIdle = new IdleGovernor(1, { states: allowedIdleStates(icx, 'c1e') });
    const v = vcpu('off', hostIdle);
    // A long regular idle lets menu pick C1E (4 us exit) on the host core.
    let last = 0;
    for (let i = 0; i < 20; i++) last = v.wake(0, 500 * US);
    expect(last).toBeCloseTo(exits.haltWakeupNs + wakeupNs + 4 * US, 6);
    expect(v.lastHostPartNs(0)).toBeCloseTo(wakeupNs + 4 * US, 6);
    expect(v.hostPollNs + v.guestPollNs).toBe(0);
  });

  it('host polling: regular short halts are soon caught while the host polls (IPI/exit/injection only); long ones still sleep', () => {
    const v = vcpu('host');
    const costs = Array.from({ length: 8 }, () => v.wake(0, 50 * US));
    expect(costs.at(-1)).toBeCloseTo(exits.haltWakeupNs, 9);
    expect(v.hostPollWakeups).toBeGreaterThan(0);
    expect(v.wake(0, 5000 * US)).toBeCloseTo(exits.haltWakeupNs + wakeupNs, 9);
  });

  it('guest polling: regular short idle periods are caught in the guest at no wake-up cost, and the guest burns their CPU', () => {
    const v = vcpu('on');
    const costs = Array.from({ length: 6 }, () => v.wake(0, 30 * US));
    expect(costs.at(-1)).toBe(0);
    expect(v.guestPollWakeups).toBeGreaterThan(0);
    expect(v.guestPollNs).toBeGreaterThan(0);
  });

  it('property: without host idle states, host polling never makes a wake-up slower than no polling, and polling never takes more CPU than the idle time', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 80 }), (idles) => {
      const off = vcpu('off');
      const host = vcpu('host');
      const on = vcpu('on');
      let total = 0;
      for (const idle of idles) {
        total += idle;
        expect(host.wake(0, idle)).toBeLessThanOrEqual(off.wake(0, idle) + 1e-9);
        on.wake(0, idle);
      }
      expect(host.hostPollNs).toBeLessThanOrEqual(total + 1e-6);
      expect(on.hostPollNs + on.guestPollNs).toBeLessThanOrEqual(total + 1e-6);
    }));
  });
});
