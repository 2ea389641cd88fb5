/**
 * The aggregate kernel-memory model against Little's law, against the discrete-event conntrack
 * table (simulateConntrack) on horizons both can run, and against the properties the question
 * turns on: preallocated maps never grow, nf_conntrack never passes its size, policy maps are
 * capped per endpoint.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { calibrated } from '../../../model/calibration/index.ts';
import { simulateConntrack, type ConntrackImpl } from '../../../model/conntrack/index.ts';
import { conntrackOccupancy, kernelMemorySpec, simulateKernelMemory, KERNEL_MEMORY_OWNERS } from '../../../model/node/index.ts';

const DAY = 86_400;

describe('conntrackOccupancy (aggregate entries)', () => {
  it("steady state: Little's law with the GC's half interval, rate x (lifetime + interval / 2), exactly", () => {
    const r = conntrackOccupancy([{ name: 'c', ratePerSec: 1000, startSec: 0, endSec: Infinity, lifetimeSec: 121 }], 60, 1e9, 3600, 600);
    for (const s of r.samples.slice(1)) expect(s.meanEntries).toBeCloseTo(1000 * (121 + 30), 6);
    expect(r.fullAtSec).toBeNull();
  });

  it('a class that never expires grows linearly; a full table caps the held entries and says when it filled', () => {
    const r = conntrackOccupancy([{ name: 'leak', ratePerSec: 2, startSec: 0, endSec: Infinity, lifetimeSec: Infinity }], 60, 1000, 2000, 100);
    expect(r.samples[0]!.meanEntries).toBeCloseTo(100, 9);
    expect(r.fullAtSec).toBeCloseTo(500, 9);
    expect(r.samples.at(-1)!.meanEntries).toBe(1000);
    expect(r.samples.at(-1)!.meanNeededEntries).toBeCloseTo(2 * 1950, 9);
  });

  it('refuses bad classes, naming them', () => {
    expect(() => conntrackOccupancy([{ name: 'x', ratePerSec: -1, startSec: 0, endSec: 1, lifetimeSec: 1 }], 60, 10, 10, 1)).toThrow(/x: ratePerSec must be a finite number >= 0, got -1/);
    expect(() => conntrackOccupancy([{ name: 'x', ratePerSec: 1, startSec: 5, endSec: 1, lifetimeSec: 1 }], 60, 10, 10, 1)).toThrow(/x: arrivals must run over/);
  });
});

describe('aggregate vs the discrete-event table (simulateConntrack), same horizon', () => {
  /** Each replication's DES time-averaged entries and the aggregate model's for the same arrival window and horizon. */
  function pairs(impl: ConntrackImpl, o: { connections: number; ratePerSec: number; holdSec: number; idle: boolean }, replications: number) {
    const gcSec = impl === 'nf_conntrack' ? calibrated('conntrack.nfGcIntervalSec') : calibrated('conntrack.ciliumGcIntervalSec');
    const closing = impl === 'nf_conntrack' ? calibrated('conntrack.nfTcpTimeWaitTimeoutSec') : calibrated('conntrack.ciliumTcpFinTimeoutSec');
    const established = impl === 'nf_conntrack' ? calibrated('conntrack.kubeProxyTcpEstablishedTimeoutSec') : calibrated('conntrack.ciliumTcpRegularTimeoutSec');
    const out: { des: number; agg: number }[] = [];
    for (let rep = 0; rep < replications; rep++) {
      const des = simulateConntrack({
        impl, node: { memoryBytes: 32 * 2 ** 30, cores: 8, kernelVersion: '6.1' }, connections: o.connections, openRatePerSec: o.ratePerSec,
        holdSec: o.holdSec, idleFraction: o.idle ? 1 : 0, packetIntervalSec: 10, seed: 11, replication: rep,
      });
      // The DES's arrivals end when its last connection opened: the run's end less the hold (or, for idle
      // flows that expire first, the expiry and its GC pass); the aggregate model uses the same window.
      const lifetime = o.idle && o.holdSec > established ? established : o.holdSec + closing;
      const lastArrival = o.idle && o.holdSec > established ? o.connections / o.ratePerSec : des.simulatedSec - o.holdSec;
      const agg = conntrackOccupancy(
        [{ name: 'c', ratePerSec: o.connections / lastArrival, startSec: 0, endSec: lastArrival, lifetimeSec: lifetime }],
        gcSec, 1e12, des.simulatedSec, des.simulatedSec,
      ).samples[0]!.meanEntries;
      out.push({ des: des.meanEntries, agg });
    }
    return out;
  }

  /** The mean relative difference lies within its 99 % interval of 0 (plus 0.5 % for the arrival-window approximation). */
  function expectAgree(ps: { des: number; agg: number }[]) {
    const d = ps.map((p) => p.des / p.agg - 1);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
    const hw = tQuantile(0.995, d.length - 1) * (sd / Math.sqrt(d.length));
    expect(Math.abs(mean), `mean difference ${mean} ± ${hw}`).toBeLessThanOrEqual(hw + 0.005);
  }

  it('nf_conntrack: 20,000 connections at 100/s held 30 s (TIME_WAIT 120 s, GC every 60 s)', () => {
    expectAgree(pairs('nf_conntrack', { connections: 20_000, ratePerSec: 100, holdSec: 30, idle: false }, 8));
  });

  it('Cilium CT: 20,000 connections at 100/s held 30 s (FIN 10 s, GC every 300 s)', () => {
    expectAgree(pairs('cilium-ct', { connections: 20_000, ratePerSec: 100, holdSec: 30, idle: false }, 8));
  });

  it('Cilium CT: idle connections that outlive the 8000 s established timeout expire at the GC pass after it', () => {
    expectAgree(pairs('cilium-ct', { connections: 2_000, ratePerSec: 100, holdSec: 20_000, idle: true }, 6));
  });
});

describe('simulateKernelMemory', () => {
  it('three weeks of a Cilium node: every owner is flat; the CT, NAT and LB maps are preallocated', () => {
    const r = simulateKernelMemory(kernelMemorySpec({ datapath: 'cilium-tc', days: 21, sampleSec: 3600 }));
    expect(r.series).toHaveLength(21 * 24);
    for (const o of r.owners) expect(o.growthBytes, o.owner).toBe(0);
    expect(r.unboundedOwners).toEqual([]);
    // The TCP CT map at 32 GiB: the 306.7 MiB of the datapath README (2,120,971 x 120 B + 2^22 x 16 B) is part of it.
    expect(r.owners.find((o) => o.owner === 'cilium-ct-nat')!.lastBytes).toBeGreaterThan(2_120_971 * 120 + 2 ** 22 * 16);
  });

  it('policy maps: rules x peers x ports x 72 B per endpoint, capped at bpf-policy-map-max, and the regeneration grows with the rules', () => {
    const at = (policyRules: number) => simulateKernelMemory(kernelMemorySpec({ datapath: 'cilium-tc', days: 1, policyRules, endpointsPerNode: 30 }));
    const small = at(100);
    const big = at(10_000);
    const over = at(20_000);
    const entryBytes = calibrated('controlPlane.policyMapEntryBytes');
    expect(big.series[0]!.bytes['policy-maps']).toBe(30 * 10_000 * entryBytes);
    expect(over.series[0]!.bytes['policy-maps']).toBe(30 * 16_384 * entryBytes);
    expect(over.policy.regenerationFails).toBe(true);
    expect(big.policy.regenerationFails).toBe(false);
    expect(big.policy.regenerationSec).toBeGreaterThan(small.policy.regenerationSec);
  });

  it('kube-proxy: a refreshed leak fills nf_conntrack when the normal entries\' peak (just before a GC pass) plus the leak reach the size, then its memory stays at the table size', () => {
    const r = simulateKernelMemory(kernelMemorySpec({ datapath: 'kube-proxy-nftables', days: 21, leakConnectionsPerSec: 1, sampleSec: 3600 }));
    const size = r.conntrack.capacityEntries;
    const rate = calibrated('datapath.connectionsPerSec');
    const life = calibrated('node.memory.connectionHoldSec') + calibrated('conntrack.nfTcpTimeWaitTimeoutSec');
    const gc = calibrated('conntrack.nfGcIntervalSec');
    const peak = rate * (life + gc);
    expect(r.conntrack.fullAtSec! / (size - peak)).toBeGreaterThan(0.999);
    expect(r.conntrack.fullAtSec! / (size - peak)).toBeLessThan(1.001);
    const steady = rate * (life + gc / 2);
    const nf = r.owners.find((o) => o.owner === 'nf_conntrack')!;
    expect(nf.lastBytes).toBeCloseTo(nf.boundBytes, 6);
    // A slower leak of idle flows: they expire after kube-proxy's 24 h, so the table settles below its size.
    const idle = simulateKernelMemory(kernelMemorySpec({ datapath: 'kube-proxy-nftables', days: 21, leakConnectionsPerSec: 0.5, leakRefreshed: false, sampleSec: DAY }));
    expect(idle.conntrack.fullAtSec).toBeNull();
    expect(idle.series.at(-1)!.conntrackEntries).toBeCloseTo(steady + 0.5 * (calibrated('conntrack.kubeProxyTcpEstablishedTimeoutSec') + gc / 2), 0);
  });

  it('property: preallocated maps never grow, nothing passes its bound, the total is the sum of the owners', () => {
    const arb = fc.record({
      datapath: fc.constantFrom('kube-proxy-iptables', 'kube-proxy-nftables', 'cilium-tc', 'cilium-socket-lb' as const),
      days: fc.integer({ min: 1, max: 30 }),
      policyRules: fc.integer({ min: 0, max: 40_000 }),
      endpointsPerNode: fc.integer({ min: 0, max: 110 }),
      connectionsPerSec: fc.double({ min: 0, max: 5000, noNaN: true }),
      leakConnectionsPerSec: fc.double({ min: 0, max: 20, noNaN: true }),
      leakRefreshed: fc.boolean(),
    });
    fc.assert(fc.property(arb, (a) => {
      const r = simulateKernelMemory(kernelMemorySpec({ ...a, sampleSec: 6 * 3600 }));
      for (const s of r.series) {
        let sum = 0;
        for (const owner of KERNEL_MEMORY_OWNERS) {
          const o = r.owners.find((x) => x.owner === owner)!;
          expect(s.bytes[owner]).toBeLessThanOrEqual(o.boundBytes * (1 + 1e-12));
          if (o.preallocated) expect(s.bytes[owner]).toBe(r.series[0]!.bytes[owner]);
          sum += s.bytes[owner];
        }
        expect(s.totalBytes).toBeCloseTo(sum, 3);
        expect(s.conntrackEntries).toBeLessThanOrEqual(r.conntrack.capacityEntries);
      }
    }), { numRuns: 40 });
  });

  it('is a pure function of its spec; bad specs name the field', () => {
    const spec = kernelMemorySpec({ datapath: 'cilium-tc', days: 3, leakConnectionsPerSec: 5 });
    expect(simulateKernelMemory(spec)).toEqual(simulateKernelMemory(spec));
    expect(() => kernelMemorySpec({ datapath: 'cilium-tc', days: 0 })).toThrow(/days must be in \(0, 366\], got 0/);
    expect(() => kernelMemorySpec({ datapath: 'cilium-tc', days: 1, policyMapMaxEntries: 100 })).toThrow(/policyMapMaxEntries must be an integer in \[256, 65536\], got 100/);
    expect(() => kernelMemorySpec({ datapath: 'cilium-tc', days: 1, leakConnectionsPerSec: -1 })).toThrow(/leakConnectionsPerSec must be a finite number >= 0, got -1/);
  });
});
