import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IdleGovernor } from '../../../model/cpu/idleGovernor.ts';
import { allowedIdleStates, cpuIdleModel } from '../../../model/cpu/idleStates.ts';
import {
  defaultEthernetFramingParams, defaultIxgbeCoalescingParams, defaultVirtioNetParams, defaultVmxnet3CoalescingParams, serializationNs, vhostServiceNs, VhostThreads,
} from '../../../model/nic/index.ts';
import {
  HostRxPath, HostWorkerWake, RemoteVmSide, VmHost, defaultHostNicParams, defaultVmExitParams, esxiVmxnet3Boundary, kvmVhostBoundary, nitroEnaBoundary, andromedaGvnicBoundary,
  vmExitTimes, withVmOverrides, type VmCrossingNs,
} from '../../../model/hypervisor/index.ts';
import { calibrated } from '../../../model/calibration/index.ts';

const GHZ = 1e9;
const FREQ = 3.6 * GHZ;

describe('exit costs', () => {
  it('a kick is the exit plus its handling; a running vCPU takes a posted interrupt at no exit and a non-posted one at the measured injection cost', () => {
    const posted = vmExitTimes(defaultVmExitParams, FREQ, true);
    const notPosted = vmExitTimes(defaultVmExitParams, FREQ, false);
    expect(posted.kickNs).toBeCloseTo(((calibrated('hypervisor.vmExitCycles') + calibrated('hypervisor.kickHandlingCycles')) / FREQ) * 1e9, 9);
    expect(posted.runningInjectionNs).toBe(0);
    expect(notPosted.runningInjectionNs).toBeCloseTo((4781 / FREQ) * 1e9, 9);
    // The halted vCPU's wake-up is the sourced IPI + exit + injection (kvm-unit-tests vmexit ipi, 4238 cycles).
    expect(posted.haltWakeupNs).toBeCloseTo((4238 / FREQ) * 1e9, 9);
    expect(() => vmExitTimes(defaultVmExitParams, 0, true)).toThrow(/freqHz must be a finite number > 0, got 0/);
  });
});

describe('host worker wake-up', () => {
  it('a sleeping worker costs the scheduler plus its core\'s idle exit; one busy-polling within its window costs nothing', () => {
    const hostIdle = new IdleGovernor(1, { states: allowedIdleStates(cpuIdleModel('icelake-sp'), 'c1e') });
    const w = new HostWorkerWake({ workers: 1, hostThreadWakeupNs: 3000, busyPollNs: 0, hostIdle });
    let last = 0;
    for (let i = 0; i < 12; i++) last = w.wakeNs(0, 300_000);
    expect(last).toBeCloseTo(3000 + 4000, 6);
    const poll = new HostWorkerWake({ workers: 1, hostThreadWakeupNs: 3000, busyPollNs: 50_000, hostIdle: undefined });
    expect(poll.wakeNs(0, 20_000)).toBe(0);
    expect(poll.wakeNs(0, 80_000)).toBe(3000);
    expect(poll.busyPollNs).toBe(70_000);
  });

  it('VhostThreads with a wake model: a frame that finds its thread idle waits the wake-up first; one that finds it busy does not', () => {
    const wake = new HostWorkerWake({ workers: 1, hostThreadWakeupNs: 3000, busyPollNs: 0, hostIdle: undefined });
    const t = new VhostThreads(1, defaultVirtioNetParams, wake);
    const s = vhostServiceNs(64);
    expect(t.serve(0, 64, 10_000)).toBeCloseTo(10_000 + 3000 + s, 9);
    expect(t.lastWakeNs).toBe(3000);
    expect(t.serve(0, 64, 10_000)).toBeCloseTo(10_000 + 3000 + 2 * s, 9);
    expect(t.lastWakeNs).toBe(0);
    expect(t.busyNs).toBeCloseTo(2 * s, 9);
  });
});

describe('the host receive path under a paravirtual NIC', () => {
  const irqNs = 500;
  const stackNs = 600;
  const path = (coalescing = defaultIxgbeCoalescingParams) => new HostRxPath({
    queues: 2, nic: { ...defaultHostNicParams, coalescing }, irqNs, stackNs, hostIdle: undefined,
  });
  const ser = serializationNs(10e9, 64, defaultEthernetFramingParams);

  it('a lone frame: the port, the host NIC\'s adaptive minimum (2 us at a low rate), the interrupt and the stack', () => {
    const h = path();
    const ready = h.arrive(0, 64, 1_000_000);
    expect(ready).toBeCloseTo(1_000_000 + ser + 2000 + irqNs + stackNs, 6);
    expect(h.lastWireNs).toBeCloseTo(ser, 6);
    expect([h.lastModerationNs, h.lastWakeNs]).toEqual([2000, 0]);
    expect(h.interrupts).toBe(1);
  });

  it('frames before the pending interrupt join it; frames while NAPI still polls are taken in the poll; each costs its stack time after the other', () => {
    const h = path({ ...defaultIxgbeCoalescingParams, adaptive: false, rxCoalesceUs: 10 });
    const a = h.arrive(0, 64, 0);
    const b = h.arrive(0, 64, 5_000);
    expect(h.lastModerationNs).toBeCloseTo(10_000 + ser - (5_000 + ser), 6);
    expect(b).toBeCloseTo(a + stackNs, 6);
    const c = h.arrive(0, 64, b - 200 - ser);
    expect(h.lastModerationNs).toBe(0);
    expect(c).toBeCloseTo(b + stackNs, 6);
    expect(h.interrupts).toBe(1);
    // Queue 1 has its own interrupt and core.
    h.arrive(1, 64, 0);
    expect(h.interrupts).toBe(2);
  });

  it('property: a frame is never ready before its port, moderation and one stack pass are done, and a queue hands frames on in arrival order', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 1, maxLength: 40 }), (raw) => {
      const h = path();
      let last = -Infinity;
      for (const t of [...raw].sort((x, y) => x - y)) {
        const ready = h.arrive(0, 64, t);
        expect(ready).toBeGreaterThanOrEqual(t + h.lastWireNs + h.lastModerationNs + stackNs - 1e-6);
        expect(ready).toBeGreaterThanOrEqual(last);
        last = ready;
      }
    }));
  });
});

describe('VmHost: the host side of one guest', () => {
  const hostIdle = (): undefined => undefined;
  const kvm = (b = kvmVhostBoundary()) => new VmHost({
    boundary: b, queuePairs: 2, vcpus: 2, worker: defaultVirtioNetParams, deviceLinkBitsPerSec: undefined, framing: defaultEthernetFramingParams,
    freqHz: FREQ, irqCycles: 2000, hostIdle,
  });

  it('virtio on KVM: a kick traps only when the vhost worker is idle (event-idx suppresses it while the worker runs)', () => {
    const h = kvm();
    expect(h.kickNsAt(0, 1000)).toBeCloseTo(h.exits.kickNs, 9);
    const done = h.tx(0, 64, 1000 + h.exits.kickNs);
    expect(h.lastTxWakeNs).toBe(calibrated('hypervisor.hostThreadWakeupNs'));
    expect(done).toBeGreaterThan(h.lastTxHostDoneNs);
    expect(h.kickNsAt(0, h.lastTxHostDoneNs - 10)).toBe(0);
    expect(h.kickNsAt(1, h.lastTxHostDoneNs - 10)).toBeGreaterThan(0);
    expect(h.kicks).toBe(2);
  });

  it('the host\'s port carries a frame after the worker is done', () => {
    const h = kvm();
    const done = h.tx(0, 1518, 0);
    expect(done - h.lastTxHostDoneNs).toBeCloseTo(serializationNs(10e9, 1518, defaultEthernetFramingParams), 6);
  });

  it('interrupt delivery: nothing extra for a vCPU that was woken (its wake-up injected it), an exit and injection for a running one unless posted', () => {
    const posted = kvm();
    expect(posted.deliveryNs(0, 1500)).toBe(0);
    expect(posted.deliveryNs(0, 0)).toBe(0);
    const notPosted = kvm(withVmOverrides(kvmVhostBoundary(), { postedInterrupts: false }));
    expect(notPosted.deliveryNs(0, 0)).toBeCloseTo(vmExitTimes(defaultVmExitParams, FREQ, false).runningInjectionNs, 9);
    expect(notPosted.runningInjections).toBe(1);
  });

  it('a VF (ENA on Nitro): no kick, no host thread; each way the card\'s pipeline and the device link', () => {
    const h = new VmHost({
      boundary: nitroEnaBoundary(), queuePairs: 1, vcpus: 1, worker: undefined, deviceLinkBitsPerSec: 25e9, framing: defaultEthernetFramingParams,
      freqHz: FREQ, irqCycles: 2000, hostIdle,
    });
    const pipeline = calibrated('hypervisor.ena.devicePipelineNs');
    const ser = serializationNs(25e9, 64, defaultEthernetFramingParams);
    expect(h.kickNsAt(0, 0)).toBe(0);
    expect(h.tx(0, 64, 0)).toBeCloseTo(pipeline + ser, 6);
    expect(h.rxHost(0, 64, 0)).toBeCloseTo(ser + pipeline, 6);
    expect(h.threads).toBeUndefined();
  });

  it('gVNIC: a busy-polling engine is never woken and needs no kick', () => {
    const h = new VmHost({
      boundary: andromedaGvnicBoundary(), queuePairs: 1, vcpus: 1, worker: defaultVirtioNetParams, deviceLinkBitsPerSec: undefined, framing: defaultEthernetFramingParams,
      freqHz: FREQ, irqCycles: 2000, hostIdle,
    });
    expect(h.kickNsAt(0, 1e6)).toBe(0);
    h.tx(0, 64, 1e6);
    expect(h.lastTxWakeNs).toBe(0);
    expect(h.rxHost(0, 64, 2e6)).toBe(2e6);
  });

  it('refuses an inconsistent boundary, naming the field', () => {
    expect(() => withVmOverrides(kvmVhostBoundary(), { fabricOneWayNs: -1 })).toThrow(/fabricOneWayNs must be a finite number >= 0, got -1/);
    expect(() => withVmOverrides(kvmVhostBoundary(), { haltPolling: 'sometimes' as never })).toThrow(/haltPolling must be one of off, host, on, got "sometimes"/);
  });
});

describe('the remote VM\'s boundary (timed without queueing)', () => {
  const remote = (coalescingUs: number) => new RemoteVmSide({
    boundary: esxiVmxnet3Boundary(), queuePairs: 1, vcpus: 1, worker: defaultVirtioNetParams, deviceLinkBitsPerSec: undefined, framing: defaultEthernetFramingParams,
    guestCoalescing: { ...defaultVmxnet3CoalescingParams, rxCoalesceUs: coalescingUs }, freqHz: FREQ, irqCycles: 2000, hostIdle: () => undefined,
  });
  const zero = (): VmCrossingNs => ({ wireNs: 0, moderationNs: 0, vmExitNs: 0, hostWakeupNs: 0, hostNs: 0 });

  it('messages arriving faster than the rate limit join the pending interrupt: none waits more than the interval', () => {
    const r = remote(250);
    for (let i = 0; i < 2000; i++) {
      const out = zero();
      r.receive(0, 0, [128], i * 5_000, out);
      expect(out.moderationNs).toBeLessThanOrEqual(250_000 + 1e-6);
    }
  });

  it('a message\'s parts add up to its crossing, each way', () => {
    const r = remote(250);
    const inOut = zero();
    const rx = r.receive(0, 0, [1518, 200], 1e6, inOut);
    expect(inOut.wireNs + inOut.moderationNs + inOut.vmExitNs + inOut.hostWakeupNs + inOut.hostNs).toBeCloseTo(rx, 6);
    const out = zero();
    const tx = r.send(0, [1518, 1518, 90], 2e6, out);
    expect(out.wireNs + out.moderationNs + out.vmExitNs + out.hostWakeupNs + out.hostNs).toBeCloseTo(tx, 6);
    expect(out.vmExitNs).toBeGreaterThan(0);
  });
});
