import { describe, expect, it } from 'vitest';
import { Simulation, RandomStreams, exponential } from '../../../model/engine/index.ts';
import { CpuCores } from '../../../model/cpu/cpuCores.ts';
import { NO_WORK } from '../../../model/cpu/workCost.ts';
import {
  NicRx, NIC_MODEL_NAMES, nicModelByName, vmxnet3Nic, gvnicNic, enaNic, virtioNic, defaultVmxnet3CoalescingParams, type NicPacket, type NicModel,
} from '../../../model/nic/index.ts';
import { isVmNicName, VM_NIC_MODEL_NAMES } from '../../../model/nic/nicModel.ts';
import { datapathSpec, simulatePath } from '../../../model/datapaths/index.ts';
import { simulateBulkThroughput, bulkSpec, nodePreset } from '../../../model/node/index.ts';

describe('guest NIC presets', () => {
  it('each guest NIC carries its VM boundary; the physical ones none', () => {
    expect(NIC_MODEL_NAMES).toEqual(['physical-10g', 'physical-25g', 'virtio', 'ena', 'gvnic', 'vmxnet3']);
    for (const name of NIC_MODEL_NAMES) expect(nicModelByName(name).vm !== undefined, name).toBe(isVmNicName(name));
    expect(VM_NIC_MODEL_NAMES).toEqual(['virtio', 'ena', 'gvnic', 'vmxnet3']);
  });

  it('are built from the same parts with their drivers\' numbers: rings, moderation, who serves the queues', () => {
    const [v, e, g, x] = [virtioNic(), enaNic(), gvnicNic(), vmxnet3Nic()];
    expect([v.kind, e.kind, g.kind, x.kind]).toEqual(['virtio', 'vf', 'virtio', 'virtio']);
    expect([v.rxRing.ringSizePackets, e.rxRing.ringSizePackets, x.rxRing.ringSizePackets, x.txQueue.ringSizePackets]).toEqual([256, 1024, 1024, 512]);
    // No virtual coalescing on KVM (QEMU offers no NOTF_COAL); ENA adaptive; gVNIC a 20 us and VMXNET3 a 250 us interrupt rate limit.
    expect([v.coalescing.rxCoalesceUs, v.coalescing.adaptive]).toEqual([0, false]);
    expect(e.coalescing.adaptive).toBe(true);
    expect([g.coalescing.timerMode, g.coalescing.rxCoalesceUs]).toEqual(['rate', 20]);
    expect([x.coalescing.timerMode, x.coalescing.rxCoalesceUs]).toEqual(['rate', 250]);
    expect([v.vm!.hostWorker, e.vm!.hostWorker, g.vm!.hostWorker, x.vm!.hostWorker]).toEqual(['sleeps', 'device', 'polls', 'sleeps']);
    expect([v.vm!.kickExits, e.vm!.kickExits, g.vm!.kickExits, x.vm!.kickExits]).toEqual([true, false, false, true]);
    expect(e.linkRateBitsPerSec).toBe(25e9);
  });

  it('take the VM boundary\'s changes, and refuse them on a physical NIC', () => {
    expect(nicModelByName('virtio', { vm: { haltPolling: 'off', postedInterrupts: false } }).vm).toMatchObject({ haltPolling: 'off', postedInterrupts: false });
    expect(() => nicModelByName('physical-10g', { vm: { haltPolling: 'on' } })).toThrow(/applies to a guest NIC \(virtio, ena, gvnic, vmxnet3\), got nic "physical-10g"/);
    expect(nicModelByName('physical-10g', { vm: { haltPolling: undefined } }).vm).toBeUndefined();
    expect(() => datapathSpec({ nic: 'physical-25g', haltPolling: 'on' })).toThrow(/haltPolling applies to a guest NIC/);
    expect(() => datapathSpec({ nic: 'virtio', cpuModel: 'kvm-guest-haltpoll' })).toThrow(/cpuModel "kvm-guest-haltpoll" describes a guest/);
    expect(() => datapathSpec({ fabricOneWayUs: -2 })).toThrow(/fabricOneWayUs must be a finite number >= 0 or undefined, got -2/);
  });
});

describe('virtual interrupt coalescing', () => {
  /** Mean time from a frame's arrival at the guest NIC to its delivery, light Poisson traffic on one queue, µs. */
  function meanDeliveryUs(nic: NicModel): number {
    const sim = new Simulation();
    const cores = new CpuCores(sim, { params: { coreCount: 1, irqEntryCycles: 0 } });
    let sum = 0;
    let n = 0;
    const rx = new NicRx<NicPacket & { t: number }>({
      nic, cores, queueCount: 1, perPacketWork: () => NO_WORK,
      onDelivered: (p, now) => { sum += now - p.t; n++; },
    });
    const gap = exponential(100e-6).sampler(new RandomStreams(1, 0).stream('arrivals'));
    let t = 0;
    for (let i = 0; i < 4000; i++) {
      t += Math.round(gap() * 1e9);
      const at = t;
      sim.scheduleAt(at, () => rx.receive({ flowId: 1, frameBytes: 128, t: at }));
    }
    sim.run();
    return sum / n / 1000;
  }

  it('delays grow with the interval (VMXNET3\'s rate-based scheme from 0 to 1000 us between interrupts)', () => {
    const delays = [0, 20, 100, 250, 500, 1000].map((us) => meanDeliveryUs(vmxnet3Nic({ coalescing: { ...defaultVmxnet3CoalescingParams, rxCoalesceUs: us } })));
    for (let i = 1; i < delays.length; i++) expect(delays[i]!, `interval #${i}`).toBeGreaterThan(delays[i - 1]!);
    // Frames every 100 us on average against a 1 ms interval: they wait about half of it.
    expect(delays.at(-1)!).toBeGreaterThan(300);
  });

  it('in the path: VMXNET3\'s rate limit shows as moderation in the established RTT, gVNIC\'s shorter one barely, virtio\'s not at all beyond the host NIC\'s', () => {
    const mod = (nic: 'virtio' | 'gvnic' | 'vmxnet3'): number =>
      simulatePath(datapathSpec({ datapath: 'cilium-tc', nic, durationSec: 0.4, warmupSec: 0.05 }), 1).tailAttribution.established.p50.causesUs.nicModeration;
    const [v, g, x] = [mod('virtio'), mod('gvnic'), mod('vmxnet3')];
    expect(x).toBeGreaterThan(100);
    expect(x).toBeGreaterThan(g);
    expect(v).toBeLessThan(10);
  });
});

describe('throughput with the guest NICs (the bulk model)', () => {
  it('paravirtual NICs are capped by their host workers like virtio; ENA by its link; behind a cloud VM\'s allowances all carry the same', () => {
    const run = (nic: 'virtio' | 'gvnic' | 'vmxnet3' | 'ena', preset: 'bare-metal-10g' | 'cloud-up-to-10g') =>
      simulateBulkThroughput(bulkSpec({ node: nodePreset(preset, { nic }), datapath: 'cilium-tc', flows: 8, durationSec: 60 }), 1);
    const virtio = run('virtio', 'bare-metal-10g');
    for (const nic of ['gvnic', 'vmxnet3'] as const) expect(run(nic, 'bare-metal-10g').series.at(-1)!.totalGbps).toBeCloseTo(virtio.series.at(-1)!.totalGbps, 6);
    const ena = run('ena', 'bare-metal-10g').series.at(-1)!;
    expect(ena.limitedBy).toBe('line-rate');
    expect(ena.totalGbps).toBeLessThan(25);
    const cloud = run('virtio', 'cloud-up-to-10g').series.at(-1)!.totalGbps;
    expect(run('ena', 'cloud-up-to-10g').series.at(-1)!.totalGbps).toBeCloseTo(cloud, 6);
  });
});
