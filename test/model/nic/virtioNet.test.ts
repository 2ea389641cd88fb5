import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../model/engine/index.ts';
import {
  VhostQueue, defaultVirtioNetParams, vhostServiceNs, virtioQueueCapacityPps, virtioQueueCount, type NicPacket,
} from '../../../model/nic/index.ts';

describe('virtio-net', () => {
  it('ring 256; queues = vCPUs with multiqueue, else 1', () => {
    expect(defaultVirtioNetParams.ringSizePackets).toBe(256);
    expect(virtioQueueCount(8, true)).toBe(8);
    expect(virtioQueueCount(8, false)).toBe(1);
  });

  it('one queue pair carries about 1 Mpps of short frames (Rizzo et al.: "> 1 Mpps")', () => {
    const pps = virtioQueueCapacityPps(64);
    expect(pps).toBeGreaterThanOrEqual(1e6 * 0.999);
    expect(pps).toBeLessThan(1.1e6);
  });

  it('one queue pair carries about 6 Gbit/s of 1500 B frames (Rizzo et al.)', () => {
    const bitsPerSec = virtioQueueCapacityPps(1500) * 1500 * 8;
    expect(bitsPerSec / 1e9).toBeCloseTo(6, 1);
  });

  it('disagrees with the seed: virtio itself does not cap a VM at 1 Gbit/s (a cloud allowance does)', () => {
    expect((virtioQueueCapacityPps(1518) * 1518 * 8) / 1e9).toBeGreaterThan(5);
  });

  it('host contention (noisy-neighbour factor) slows vhost proportionally', () => {
    const slow = { ...defaultVirtioNetParams, noisyNeighbourFactor: 2 };
    expect(vhostServiceNs(64, slow)).toBeCloseTo(2 * vhostServiceNs(64), 9);
    expect(() => vhostServiceNs(64, { ...defaultVirtioNetParams, noisyNeighbourFactor: 0.5 })).toThrow(/noisyNeighbourFactor/);
  });

  it('VhostQueue is a FIFO single server: overloaded, it delivers at its capacity and drops beyond its backlog', () => {
    const sim = new Simulation();
    const delivered: number[] = [];
    const q = new VhostQueue<NicPacket>(sim, { ...defaultVirtioNetParams, hostBacklogPackets: 100 }, (_p, now) => delivered.push(now));
    // 3000 packets offered at 2 Mpps (every 500 ns) for 1.5 ms.
    for (let i = 0; i < 3000; i++) sim.scheduleAt(i * 500, () => q.arrive({ flowId: 1, frameBytes: 64, arrivalNs: sim.nowNs }));
    sim.run();
    const serviceNs = vhostServiceNs(64);
    const gaps = delivered.slice(1).map((t, i) => t - delivered[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(Math.ceil(serviceNs));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(Math.floor(serviceNs));
    expect(q.hostDroppedPackets + q.deliveredPackets).toBe(3000);
    expect(q.hostDroppedPackets).toBeGreaterThan(1000);
  });
});
