import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../model/engine/index.ts';
import { CpuCores } from '../../../model/cpu/cpuCores.ts';
import { NO_WORK } from '../../../model/cpu/workCost.ts';
import {
  NicRx, NicTx, VhostQueue, physical10gNic, defaultIxgbeTxQueueParams, VhostThreads, defaultVirtioNetParams, defaultVirtioTxQueueParams, vhostServiceNs, virtioNic, virtioQueueCapacityPps, virtioQueueCount, type NicPacket,
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
    const q = new VhostQueue<NicPacket>(sim, new VhostThreads(1, { ...defaultVirtioNetParams, hostBacklogPackets: 100 }), 0, (_p, now) => delivered.push(now));
    // 3000 packets offered at 2 Mpps (every 500 ns) for 1.5 ms.
    for (let i = 0; i < 3000; i++) sim.scheduleAt(i * 500, () => q.arrive({ flowId: 1, frameBytes: 64 }));
    sim.run();
    const serviceNs = vhostServiceNs(64);
    const gaps = delivered.slice(1).map((t, i) => t - delivered[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(Math.ceil(serviceNs));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(Math.floor(serviceNs));
    expect(q.hostDroppedPackets + q.deliveredPackets).toBe(3000);
    expect(q.hostDroppedPackets).toBeGreaterThan(1000);
  });

  it('VhostThreads: one FIFO server per queue pair, whichever direction a frame comes from', () => {
    const threads = new VhostThreads(2, defaultVirtioNetParams);
    const s64 = vhostServiceNs(64);
    const s1500 = vhostServiceNs(1500);
    // Two frames at t = 0 on pair 0 (say TX then RX) are served one after the other; pair 1 is independent.
    expect(threads.serve(0, 64, 0)).toBeCloseTo(s64, 9);
    expect(threads.serve(0, 1500, 0)).toBeCloseTo(s64 + s1500, 9);
    expect(threads.serve(1, 64, 0)).toBeCloseTo(s64, 9);
    // An idle thread starts at the arrival.
    expect(threads.serve(1, 64, 10_000)).toBeCloseTo(10_000 + s64, 9);
    expect(threads.servedPackets).toBe(4);
    expect(() => threads.serve(2, 64, 0)).toThrow(/queuePair must be an integer in \[0, 1\], got 2/);
    expect(() => new VhostThreads(0, defaultVirtioNetParams)).toThrow(/queuePairs must be a positive integer, got 0/);
  });

  it('TX and RX of one queue pair share its vhost thread: a TX burst delays that pair\'s RX, not the other pair\'s', () => {
    const sim = new Simulation();
    const threads = new VhostThreads(2, defaultVirtioNetParams);
    const tx = new NicTx(virtioNic(), 2, defaultVirtioTxQueueParams, threads);
    const deliveredNs: number[][] = [[], []];
    const rx = [0, 1].map((q) => new VhostQueue<NicPacket>(sim, threads, q, (_p, now) => deliveredNs[q]!.push(now)));
    const burst = 100;
    for (let i = 0; i < burst; i++) tx.send(0, 1500, 0);
    rx[0]!.arrive({ flowId: 1, frameBytes: 64 });
    rx[1]!.arrive({ flowId: 2, frameBytes: 64 });
    sim.run();
    // Pair 0's RX frame waits behind 100 TX frames of 1500 B; pair 1's is served at once.
    expect(deliveredNs[0]![0]).toBe(Math.round(burst * vhostServiceNs(1500) + vhostServiceNs(64)));
    expect(deliveredNs[1]![0]).toBe(Math.round(vhostServiceNs(64)));
    expect(() => new NicTx(virtioNic(), 3, defaultVirtioTxQueueParams, threads)).toThrow(/one thread per queue \(3\), got 2/);
    // A physical NIC has no vhost threads: both sides refuse them, and a virtio NicRx checks their count too.
    const cores = new CpuCores(sim, { params: { coreCount: 2, irqEntryCycles: 0 } });
    const rxOptions = { cores, perPacketWork: () => NO_WORK, onDelivered: () => {}, vhostThreads: threads };
    expect(() => new NicTx(physical10gNic(), 2, defaultIxgbeTxQueueParams, threads)).toThrow(/vhostThreads are for a virtio NIC, got a physical one \(physical-10g\)/);
    expect(() => new NicRx<NicPacket>({ nic: physical10gNic(), ...rxOptions })).toThrow(/vhostThreads are for a virtio NIC, got a physical one/);
    expect(() => new NicRx<NicPacket>({ nic: virtioNic(), queueCount: 3, ...rxOptions })).toThrow(/one thread per queue \(3\), got 2/);
    expect(new NicRx<NicPacket>({ nic: virtioNic(), ...rxOptions }).vhosts).toHaveLength(2);
  });
});

