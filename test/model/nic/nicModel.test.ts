import { describe, expect, it } from 'vitest';
import { RandomStreams, Simulation, exponential } from '../../../model/engine/index.ts';
import { CpuCores, kernelPacketWork, type GovernorName } from '../../../model/cpu/index.ts';
import {
  NicRx, nicModelByName, physical10gNic, physical25gNic, virtioNic, type NicModel, type NicPacket,
} from '../../../model/nic/index.ts';

describe('NicModel presets', () => {
  it('physical-10g: ixgbe, ring 512, line rate 14.881 Mpps at 64 B, one queue per core', () => {
    const nic = physical10gNic();
    expect([nic.name, nic.driver, nic.kind, nic.rxRing.ringSizePackets, nic.linkRateBitsPerSec]).toEqual(['physical-10g', 'ixgbe', 'physical', 512, 10e9]);
    expect(nic.maxDeliveryPps(64, 8) / 1e6).toBeCloseTo(14.881, 3);
    expect(nic.frameServiceNs(64)).toBeCloseTo(67.2, 1);
    expect(nic.queueCount(8)).toBe(8);
  });

  it('physical-25g: mlx5, ring 1024, coalescing 16 us / 32 packets, 37.202 Mpps at 64 B', () => {
    const nic = physical25gNic();
    expect([nic.driver, nic.rxRing.ringSizePackets, nic.coalescing.rxCoalesceUs, nic.coalescing.rxCoalescePackets]).toEqual(['mlx5', 1024, 16, 32]);
    expect(nic.maxDeliveryPps(64, 1) / 1e6).toBeCloseTo(37.202, 3);
  });

  it('virtio: ring 256, queues = vCPUs (or 1), ~1 Mpps per queue; cloud allowance caps it further', () => {
    const nic = virtioNic();
    expect([nic.kind, nic.rxRing.ringSizePackets, nic.queueCount(4), virtioNic({ multiqueue: false }).queueCount(4)]).toEqual(['virtio', 256, 4, 1]);
    expect(nic.maxDeliveryPps(64, 4) / 1e6).toBeCloseTo(4, 1);
    const cloud = nicModelByName('virtio', { cloudAllowance: true });
    expect(cloud.cloud).toBeDefined();
    expect(cloud.maxDeliveryPps(64, 4)).toBe(cloud.cloud!.ppsAllowancePps);
    // 1500 B frames at a 1 Gbit/s allowance: the allowance, not virtio, is the 1 Gbit/s cap.
    expect(cloud.maxDeliveryPps(1500, 4) * 1500 * 8).toBeCloseTo(1e9, -3);
  });

  it('nicModelByName rejects unknown names', () => {
    expect(() => nicModelByName('e1000' as never)).toThrow(/physical-10g, physical-25g, virtio/);
  });
});

/** Poisson 64 B traffic over `flows` flows at `offeredPps` for `horizonNs`; every packet pays the Linux raw-drop cost. */
function runRx(nic: NicModel, o: { cores: number; offeredPps: number; flows: number; horizonNs: number; governor?: GovernorName; frameBytes?: number }) {
  const sim = new Simulation();
  const cpu = new CpuCores(sim, { params: { coreCount: o.cores, irqEntryCycles: 2000 }, governor: o.governor ?? 'performance' });
  const deliveredAt: number[] = [];
  const rx = new NicRx<NicPacket>({
    nic, cores: cpu,
    perPacketWork: () => kernelPacketWork('linux-raw-drop'),
    onDelivered: (_p, now) => deliveredAt.push(now),
  });
  const streams = new RandomStreams(3, 0);
  const gap = exponential(1e9 / o.offeredPps).sampler(streams.stream('arrivals'));
  const flow = streams.stream('flows');
  let t = 0;
  const arrive = (): void => {
    rx.receive({ flowId: Math.floor(flow.uniform() * o.flows), frameBytes: o.frameBytes ?? 64 });
    t += gap();
    if (t < o.horizonNs) sim.scheduleAt(Math.max(sim.nowNs, Math.round(t)), arrive);
  };
  sim.schedule(0, arrive);
  sim.run();
  const ratePps = (fromNs: number, toNs: number) => deliveredAt.filter((x) => x >= fromNs && x < toNs).length / ((toNs - fromNs) / 1e9);
  return { rx, cpu, ratePps };
}

describe('NicRx (receive path assembled from a NicModel)', () => {
  it('one core overloaded at 6 Mpps delivers the CPU capacity 1 / 208 ns = 4.8 Mpps and drops the rest in the ring', () => {
    const { rx, ratePps } = runRx(physical10gNic(), { cores: 1, offeredPps: 6e6, flows: 100, horizonNs: 2e6 });
    expect(ratePps(0.5e6, 2e6) / 4.8e6).toBeCloseTo(1, 2);
    expect(rx.drops['rx-ring-full']).toBeGreaterThan(1000);
    expect(rx.interrupts).toBe(1); // NAPI never completes under overload
  });

  it('four cores take 12 Mpps over many flows without loss (below line rate and per-core capacity)', () => {
    const { rx } = runRx(physical10gNic(), { cores: 4, offeredPps: 12e6, flows: 1000, horizonNs: 1e6 });
    expect(rx.deliveredPackets).toBe(rx.receivedPackets);
  });

  it('powersave (1.2 GHz) cuts the cycle-bound capacity to 4.8 x 1.2 / 3.6 = 1.6 Mpps', () => {
    const { ratePps } = runRx(physical10gNic(), { cores: 1, offeredPps: 3e6, flows: 100, horizonNs: 2e6, governor: 'powersave' });
    expect(ratePps(0.5e6, 2e6) / 1.6e6).toBeCloseTo(1, 2);
  });

  it('virtio, single queue: the vhost thread caps delivery at about 1 Mpps; the host drops the excess', () => {
    const { rx, ratePps } = runRx(virtioNic({ multiqueue: false }), { cores: 4, offeredPps: 2e6, flows: 1000, horizonNs: 3e6 });
    expect(ratePps(1e6, 3e6) / 1e6).toBeCloseTo(1, 1);
    expect(rx.drops['host-backlog-full']).toBeGreaterThan(0);
  });

  it('virtio behind cloud allowances: 64 B packets are held to the PPS allowance (counted as pps_allowance_exceeded)', () => {
    const nic = virtioNic({ cloudAllowance: true });
    const { rx, ratePps } = runRx(nic, { cores: 4, offeredPps: 2e6, flows: 1000, horizonNs: 4e6 });
    expect(ratePps(1.5e6, 4e6) / nic.cloud!.ppsAllowancePps).toBeCloseTo(1, 1);
    expect(rx.shaper!.counters.pps_allowance_exceeded).toBeGreaterThan(0);
    expect(rx.drops.pps_allowance_exceeded).toBeGreaterThan(0);
  });
});
