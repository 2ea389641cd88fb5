/**
 * simulatePath against properties that must hold and against the sourced facts: iptables grows
 * with #Services (common random numbers), the others are flat; socket-LB does no per-packet
 * Service lookup; the workload shape decides the iptables/eBPF gap (TCP_RR vs TCP_CRR,
 * docs/sources.md#cilium-benchmarks); a full nf_conntrack table costs the retried flows >= 1 s while
 * Cilium evicts (docs/sources.md#nf-conntrack-table-full, #bpf-lru-eviction); drops appear above
 * the CPU's capacity and not below; Little's law; determinism; frequency and JIT.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibrated } from '../../../model/calibration/index.ts';
import { defaultSchedulerWakeupParams } from '../../../model/cpu/schedulerWakeup.ts';
import { datapathSpec, simulatePath, DATAPATH_NAMES, type DatapathSpec, type PathResult } from '../../../model/datapaths/index.ts';

/** Wake-ups without their random parts (the floor only). */
const FIXED_WAKEUP = { ...defaultSchedulerWakeupParams, spreadMeanNs: 0, otherTaskBusyFraction: 0 };

/** Short runs: a few hundred connections at the default rate. */
const short = (o: Partial<DatapathSpec>): DatapathSpec => datapathSpec({ durationSec: 0.3, warmupSec: 0.05, ...o });

describe('simulatePath: invariants', () => {
  it('is a pure function of (spec, seed, replication)', () => {
    const spec = short({ datapath: 'cilium-tc', services: 2000 });
    const a = simulatePath(spec, 7);
    expect(simulatePath(spec, 7)).toEqual(a);
    expect(simulatePath(spec, 7, 1)).not.toEqual(a);
    expect(simulatePath(spec, 8).firstPacketRttUs).not.toEqual(a.firstPacketRttUs);
  });

  it("Little's law holds for the node's packets in system: L = lambda W", () => {
    for (const datapath of DATAPATH_NAMES) {
      const r = simulatePath(short({ datapath, connectionsPerSec: 20_000, cores: 2 }), 3);
      const { meanPacketsInNode: L, arrivalRatePps: lambda, meanSojournNs: W } = r.littlesLaw;
      expect(L, datapath).toBeGreaterThan(0);
      expect(Math.abs(L - (lambda * W) / 1e9) / L, datapath).toBeLessThan(1e-9);
    }
  });

  it('more Services never make the iptables first-packet RTT smaller (property, same seed)', () => {
    const cache = new Map<number, PathResult>();
    const run = (services: number): PathResult => {
      let r = cache.get(services);
      if (r === undefined) {
        r = simulatePath(short({ datapath: 'kube-proxy-iptables', services, durationSec: 0.2 }), 11);
        cache.set(services, r);
      }
      return r;
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30_000 }), fc.integer({ min: 1, max: 30_000 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const rLo = run(lo).firstPacketRttUs;
        const rHi = run(hi).firstPacketRttUs;
        expect(rHi.mean).toBeGreaterThanOrEqual(rLo.mean);
        expect(rHi.p50).toBeGreaterThanOrEqual(rLo.p50);
        expect(rHi.p99).toBeGreaterThanOrEqual(rLo.p99);
      }),
      { numRuns: 12, seed: 42 },
    );
  });

  it('nftables, cilium-tc and cilium-socket-lb first-packet RTT is flat in #Services (100 vs 30,000 within 2%)', () => {
    for (const datapath of ['kube-proxy-nftables', 'cilium-tc', 'cilium-socket-lb'] as const) {
      const small = simulatePath(short({ datapath, services: 100 }), 5).firstPacketRttUs;
      const large = simulatePath(short({ datapath, services: 30_000 }), 5).firstPacketRttUs;
      for (const q of ['p50', 'p99', 'mean'] as const) expect(Math.abs(large[q] / small[q] - 1), `${datapath} ${q}`).toBeLessThan(0.02);
    }
  });

  it('socket-LB does zero per-packet Service lookups (one per connect()); the others count theirs', () => {
    const spec = { services: 5000, durationSec: 0.3, warmupSec: 0.05 };
    const socket = simulatePath(short({ ...spec, datapath: 'cilium-socket-lb' }), 2);
    expect(socket.serviceLookups.perPacket).toBe(0);
    expect(socket.perPacketNs.lookupNs).toBe(0);
    expect(socket.serviceLookups.atConnect).toBeGreaterThan(0);
    const tc = simulatePath(short({ ...spec, datapath: 'cilium-tc' }), 2);
    const ipt = simulatePath(short({ ...spec, datapath: 'kube-proxy-iptables' }), 2);
    // iptables: one nat walk per connection (its SYN); tc: every client->Service packet (about half).
    expect(ipt.serviceLookups.perPacket / ipt.connections.measured).toBeCloseTo(1, 1);
    expect(tc.serviceLookups.perPacket / tc.packets.processed).toBeGreaterThan(0.4);
    expect(tc.serviceLookups.atConnect + ipt.serviceLookups.atConnect).toBe(0);
  });

  it('long-lived connections: established RTT of all four within 5%; 1 request per connection at 30k Services: iptables costs far more', () => {
    const long = DATAPATH_NAMES.map((datapath) => simulatePath(short({ datapath, services: 30_000, requestsPerConnection: 100, connectionsPerSec: 200 }), 4));
    const est = long.map((r) => r.establishedRttUs.p50);
    expect(Math.max(...est) / Math.min(...est) - 1).toBeLessThan(0.05);
    // Long-lived: iptables' per-packet CPU within 2x of nftables'.
    expect(long[0]!.cpuNsPerPacket / long[1]!.cpuNsPerPacket).toBeLessThan(2);
    const crr = DATAPATH_NAMES.map((datapath) => simulatePath(short({ datapath, services: 30_000, requestsPerConnection: 1 }), 4));
    const [ipt, nft, tc, sock] = crr;
    for (const other of [nft!, tc!, sock!]) {
      expect(ipt!.cpuNsPerPacket / other.cpuNsPerPacket, other.datapath).toBeGreaterThan(5);
      expect(ipt!.firstPacketRttUs.p50 / other.firstPacketRttUs.p50, other.datapath).toBeGreaterThan(5);
    }
  });
});

describe('simulatePath: conntrack table full', () => {
  const full = { conntrackMaxEntries: 1000, preexistingIdleConnections: 995, connectionsPerSec: 200, durationSec: 0.2, warmupSec: 0 };

  it('nf_conntrack drops the SYNs of new flows: the retried ones see >= 1 s first-packet RTT', () => {
    const r = simulatePath(datapathSpec({ datapath: 'kube-proxy-nftables', ...full }), 1);
    expect(r.conntrackDroppedNewConnections).toBeGreaterThan(0);
    expect(r.conntrackEvictedEntries).toBe(0);
    expect(r.connections.retried).toBeGreaterThan(0);
    expect(r.packets.droppedConntrackFull).toBeGreaterThan(0);
    // Retried connections (their SYN was sent again) are at least the initial RTO late; the ones that got in are not.
    const retriedShare = r.connections.retried / r.connections.measured;
    expect(retriedShare).toBeGreaterThan(0.5);
    expect(r.firstPacketRttUs.p50).toBeGreaterThanOrEqual(calibrated('conntrack.synInitialRtoSec') * 1e6);
    expect(r.firstPacketRttUs.max).toBeGreaterThanOrEqual(calibrated('conntrack.synInitialRtoSec') * 1e6);
  });

  it('Cilium CT evicts the least recently used (idle) entries instead: no drops, no retries, idle flows broken', () => {
    for (const datapath of ['cilium-socket-lb', 'cilium-tc'] as const) {
      const r = simulatePath(datapathSpec({ datapath, ...full }), 1);
      expect(r.conntrackDroppedNewConnections, datapath).toBe(0);
      expect(r.conntrackEvictedEntries, datapath).toBeGreaterThan(0);
      expect(r.brokenIdleFlows, datapath).toBeGreaterThan(0);
      expect(r.connections.retried, datapath).toBe(0);
      expect(r.dropFraction, datapath).toBe(0);
      expect(r.firstPacketRttUs.max, datapath).toBeLessThan(1000);
    }
  });
});

describe('simulatePath: what the output says is what happened', () => {
  it('drops at the RX ring are sent again by the remote node (SYN-ACK, response, FIN-ACK kinds), counted by kind and by connection', () => {
    const r = simulatePath(datapathSpec({ datapath: 'cilium-socket-lb', services: 100, cores: 1, governor: 'powersave', connectionsPerSec: 25_000, durationSec: 0.25, warmupSec: 0.05 }), 4);
    const t = r.retransmissions;
    expect(r.packets.droppedRxRing).toBeGreaterThan(0);
    // Nothing was dropped on the way out, so the client retransmitted nothing.
    expect(r.packets.droppedCpuBacklog + r.packets.droppedTxQueue + r.packets.droppedConntrackFull).toBe(0);
    expect(t.syn + t.request + t.fin).toBe(0);
    expect(t.synAck + t.response + t.finAck).toBeGreaterThan(0);
    expect(r.connections.retried).toBeGreaterThan(0);
    expect(r.connections.retried).toBeLessThanOrEqual(r.connections.measured);
    // Every retransmission in the window is also a packet offered to the node in it.
    expect(t.syn + t.synAck + t.request + t.response + t.fin + t.finAck).toBeLessThanOrEqual(r.packets.offered);
  });

  it('drops at a full TX queue are sent again by the client (request segments)', () => {
    // Twice the 10 GbE line rate (see the TX queue test below); the window outlasts the 200 ms data RTO.
    const r = simulatePath(datapathSpec({ datapath: 'cilium-tc', requestBytes: 65_536, requestsPerConnection: 10, connectionsPerSec: 4000, durationSec: 0.5, warmupSec: 0.05 }), 2);
    expect(r.packets.droppedTxQueue).toBeGreaterThan(0);
    expect(r.retransmissions.request).toBeGreaterThan(0);
    expect(r.retransmissions.synAck + r.retransmissions.response + r.retransmissions.finAck).toBe(0);
    expect(r.connections.retried).toBeGreaterThan(0);
  });

  it('no drop, no retransmission', () => {
    const r = simulatePath(short({ datapath: 'kube-proxy-nftables' }), 1);
    expect(r.dropFraction).toBe(0);
    expect(Object.values(r.retransmissions)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(r.connections.retried).toBe(0);
  });

  it('measuredSec is the window the rates refer to: throughput x measuredSec = packets processed in it', () => {
    for (const spec of [short({ datapath: 'cilium-tc' }), datapathSpec({ datapath: 'kube-proxy-iptables', durationSec: 0.4, warmupSec: 0.1 })]) {
      const r = simulatePath(spec, 5);
      expect(r.measuredSec).toBeCloseTo(spec.durationSec - spec.warmupSec, 12);
      expect(r.throughputPps * r.measuredSec).toBeCloseTo(r.packets.processed, 6);
      expect(r.simulatedSec).toBeGreaterThanOrEqual(spec.durationSec);
    }
  });
});

describe('simulatePath: capacity, clock and JIT', () => {
  it('drops appear when the offered load exceeds the cores and not below', () => {
    const base = { datapath: 'cilium-socket-lb' as const, cores: 1, requestsPerConnection: 10, durationSec: 0.25, warmupSec: 0.05 };
    const probe = simulatePath(datapathSpec({ ...base, connectionsPerSec: 1000 }), 1);
    // Offered CPU load = packets/s x CPU ns per packet (measured at light load).
    const packetsPerConnection = probe.packets.processed / (probe.connectionsPerSec * 0.2);
    const capacityPerSec = 1e9 / (probe.cpuNsPerPacket * packetsPerConnection);
    const below = simulatePath(datapathSpec({ ...base, connectionsPerSec: 0.5 * capacityPerSec }), 1);
    const above = simulatePath(datapathSpec({ ...base, connectionsPerSec: 2 * capacityPerSec }), 1);
    expect(below.dropFraction).toBe(0);
    expect(below.coreUtilization).toBeLessThan(0.7);
    expect(above.dropFraction).toBeGreaterThan(0);
    expect(above.coreUtilization).toBeGreaterThan(0.95);
  });

  it('egress above the 10 GbE line rate fills the TX queue and its qdisc drops; at half the line rate nothing drops', () => {
    // 64 KiB requests: 46 full-size frames each; the link sends 10e9 / ((1518 + 20) x 8) = 0.81 Mpps.
    const base = { datapath: 'cilium-tc' as const, nic: 'physical-10g' as const, cores: 8, requestBytes: 65_536, requestsPerConnection: 10, durationSec: 0.25, warmupSec: 0.05 };
    const probe = simulatePath(datapathSpec({ ...base, connectionsPerSec: 200 }), 2);
    const framesPerConnection = base.requestsPerConnection * Math.ceil(65_536 / 1448);
    const linkConnectionsPerSec = 10e9 / ((1518 + 20) * 8) / framesPerConnection;
    expect(probe.packets.droppedTxQueue).toBe(0);
    const below = simulatePath(datapathSpec({ ...base, connectionsPerSec: 0.5 * linkConnectionsPerSec }), 2);
    const above = simulatePath(datapathSpec({ ...base, connectionsPerSec: 2 * linkConnectionsPerSec }), 2);
    expect(below.packets.droppedTxQueue).toBe(0);
    expect(below.dropFraction).toBe(0);
    expect(above.packets.droppedTxQueue).toBeGreaterThan(0);
    expect(above.dropFraction).toBeGreaterThan(0);
    // The cores are not what limits it: the other drop counters stay at zero.
    expect(above.packets.droppedCpuBacklog + above.packets.droppedRxRing + above.packets.droppedConntrackFull).toBe(0);
  });

  it('a lower clock (powersave, or a lower --cpu-ghz) never speeds anything up (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DATAPATH_NAMES), fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 0, max: 1000 }), (datapath, services, seed) => {
        // The clock alone: no idle states, cache pressure or random wake-ups, whose draws a change in timing reshuffles.
        const spec = { datapath, services, durationSec: 0.15, warmupSec: 0.05, idleState: 'poll' as const, cachePressureBytesPerUs: 0 };
        const run = (s: Partial<DatapathSpec>) => simulatePath(datapathSpec(s), seed, 0, { wakeup: FIXED_WAKEUP });
        const fast = run(spec);
        const slow = run({ ...spec, governor: 'powersave' });
        const slower = run({ ...spec, cpuFreqHz: 1.8e9 });
        for (const r of [slow, slower]) {
          for (const q of ['p50', 'p99', 'mean'] as const) {
            expect(r.firstPacketRttUs[q]).toBeGreaterThanOrEqual(fast.firstPacketRttUs[q]);
            expect(r.establishedRttUs[q]).toBeGreaterThanOrEqual(fast.establishedRttUs[q]);
          }
          expect(r.cpuNsPerPacket).toBeGreaterThan(fast.cpuNsPerPacket);
        }
      }),
      { numRuns: 6, seed: 7 },
    );
  });

  it('JIT off slows the Cilium programs by the interpreter factor (3-5x, sourced range) on instruction cost only', () => {
    const factor = calibrated('ebpf.interpreterSlowdownFactor');
    expect(factor).toBeGreaterThanOrEqual(3);
    expect(factor).toBeLessThanOrEqual(5);
    for (const datapath of ['cilium-tc', 'cilium-socket-lb'] as const) {
      const on = simulatePath(short({ datapath }), 3);
      const off = simulatePath(short({ datapath, jit: false }), 3);
      expect(off.perPacketNs.bpfInstructionNs / on.perPacketNs.bpfInstructionNs, datapath).toBeCloseTo(factor, 6);
      const bpfRatio = off.perPacketNs.bpfNs / on.perPacketNs.bpfNs;
      expect(bpfRatio, datapath).toBeGreaterThan(1);
      expect(bpfRatio, datapath).toBeLessThan(factor);
      // Everything but the instructions is unchanged.
      const rest = (r: PathResult): number => r.perPacketNs.bpfNs - r.perPacketNs.bpfInstructionNs;
      expect(rest(off) / rest(on), datapath).toBeCloseTo(1, 6);
      for (const stage of ['stackNs', 'conntrackNs', 'lookupNs'] as const) expect(off.perPacketNs[stage], `${datapath} ${stage}`).toBeCloseTo(on.perPacketNs[stage], 6);
      expect(off.firstPacketRttUs.p50, datapath).toBeGreaterThan(on.firstPacketRttUs.p50);
    }
    // kube-proxy runs no BPF: the flag changes nothing.
    const ipt = short({ datapath: 'kube-proxy-iptables' });
    expect(simulatePath({ ...ipt, jit: false }, 3).firstPacketRttUs).toEqual(simulatePath(ipt, 3).firstPacketRttUs);
  });
});

describe('simulatePath vs the nftables blog (a check, not a calibration)', () => {
  // docs/sources.md#nftables-first-packet-rtt (Kubernetes nftables blog, 2025-02-28): nftables
  // first-packet RTT ≈ 8 / 12 / 20 / 36 µs (p01/p50/p90/p99) at 5k, 10k and 30k
  // Services; iptables p50 - nftables p50 ≈ 10-17 ns per rule over N/2 rules.
  const runs = [5000, 10_000, 30_000].map((services) => ({
    services,
    nft: simulatePath(datapathSpec({ datapath: 'kube-proxy-nftables', services }), 1).firstPacketRttUs,
    ipt: simulatePath(datapathSpec({ datapath: 'kube-proxy-iptables', services }), 1).firstPacketRttUs,
  }));

  // The level is not checked: on the default node the model's p50 is about three times the blog's
  // (idle-state exits, wake-ups and moderation of hardware the blog does not describe; see
  // model/datapaths/README.md), and nothing is tuned to close that gap.
  it('nftables: flat across 5k-30k (p50 within 2 %)', () => {
    expect(Math.abs(runs[2]!.nft.p50 / runs[0]!.nft.p50 - 1)).toBeLessThan(0.02);
    expect(Math.abs(runs[1]!.nft.p50 / runs[0]!.nft.p50 - 1)).toBeLessThan(0.02);
  });

  it('iptables - nftables p50 per rule walked (N/2) lies in the derived 10-17 ns band (±30%)', () => {
    for (const { services, nft, ipt } of runs) {
      const perRuleNs = ((ipt.p50 - nft.p50) * 1000) / (services / 2);
      expect(perRuleNs, String(services)).toBeGreaterThan(7);
      expect(perRuleNs, String(services)).toBeLessThan(22);
    }
  });
});
