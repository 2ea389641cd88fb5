/**
 * The fluid bulk-throughput model against what must hold independently of it: line rate from the
 * framing, the allowances' levels, the credit arithmetic, goodput under every resource's own
 * bound (property), the interpreter factor on CPU per packet, determinism; and against a short
 * packet-level run of the same workload through the NIC, CPU and shaper components.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calibrated } from '../../../model/calibration/index.ts';
import { DATAPATH_NAMES } from '../../../model/datapaths/index.ts';
import { GOVERNOR_NAMES } from '../../../model/cpu/governor.ts';
import { lineRatePps } from '../../../model/nic/lineRate.ts';
import {
  BULK_LIMITERS, NODE_PRESET_NAMES, bulkSegments, bulkSpec, bulkWindowBytes, nodePreset, simulateBulkPackets, simulateBulkThroughput,
  type BulkSpec, type BulkThroughputResult,
} from '../../../model/node/index.ts';

const MSS = 1500 - 20 - 20 - 12;
const FRAME = 1500 + 14 + 4;

describe('bulk segments', () => {
  it('TSO packets and GRO aggregates hold 45 full segments of 1448 B (64 KiB, MTU 1500 with timestamps)', () => {
    const s = bulkSegments();
    expect(s.mssBytes).toBe(MSS);
    expect(s.dataFrameBytes).toBe(FRAME);
    expect(s.tsoSegments).toBe(Math.floor((65_536 - 52) / MSS));
    expect(s.groSegments).toBe(s.tsoSegments);
  });
});

describe('simulateBulkThroughput', () => {
  it('bare metal: goodput is the line rate x MSS / frame for any flow count and datapath, and the limiter says so', () => {
    for (const node of ['bare-metal-10g', 'bare-metal-25g'] as const) {
      const link = node === 'bare-metal-10g' ? 10e9 : 25e9;
      const expected = (lineRatePps(link, FRAME) * MSS * 8) / 1e9;
      for (const flows of [1, 8, 64]) {
        for (const datapath of DATAPATH_NAMES) {
          const r = simulateBulkThroughput(bulkSpec({ node, datapath, flows, durationSec: 600 }), 1);
          expect(r.limitedBy, `${node} ${flows} ${datapath}`).toBe('line-rate');
          expect(r.meanGbps).toBeCloseTo(expected, 9);
          expect(r.finalGbps).toBeCloseTo(expected, 9);
        }
      }
    }
  });

  it('cloud VM, several flows: the burst allowance until the credits run out after exactly the credit time, then the baseline', () => {
    const spec = bulkSpec({ node: 'cloud-up-to-10g', datapath: 'cilium-tc', flows: 8, durationSec: 3600, sampleSec: 60 });
    const r = simulateBulkThroughput(spec, 1);
    const c = spec.node.cloud!;
    const goodput = (frameBitsPerSec: number) => (frameBitsPerSec * MSS) / FRAME / 1e9;
    expect(r.phases.map((p) => p.limitedBy)).toEqual(['bandwidth-allowance', 'bandwidth-allowance']);
    expect(r.phases[0]!.totalGbps).toBeCloseTo(goodput(c.burstBitsPerSec), 9);
    // Used at the burst rate, the balance of credit x (burst - baseline) lasts exactly the credit time.
    expect(r.burstCreditsExhaustedSec).toBeCloseTo(c.burstCreditSec, 6);
    expect(r.finalGbps).toBeCloseTo(goodput(c.baselineBitsPerSec), 9);
    expect(r.series[0]!.totalGbps).toBeCloseTo(goodput(c.burstBitsPerSec), 9);
    expect(r.series.at(-1)!.totalGbps).toBeCloseTo(goodput(c.baselineBitsPerSec), 9);
    expect(r.series[0]!.burstCreditSec!).toBeCloseTo(c.burstCreditSec - 60, 6);
    expect(r.series.at(-1)!.burstCreditSec).toBe(0);
    // Every data frame the sending VM sends while an allowance binds is shaped; the receiver's equal allowance meets a paced stream.
    const frames = (r.meanGbps * 1e9 * 3600) / (MSS * 8);
    expect(r.allowanceCounters.sender.bw_out_allowance_exceeded).toBeCloseTo(frames, -1);
    expect(r.allowanceCounters.receiver.bw_in_allowance_exceeded).toBe(0);
  });

  it('cloud VM, one flow: held by the per-flow cap during the burst, so the credits last longer (credit x (burst - baseline) / (cap - baseline))', () => {
    const spec = bulkSpec({ node: 'cloud-up-to-10g', datapath: 'cilium-tc', flows: 1, durationSec: 3600 });
    const r = simulateBulkThroughput(spec, 1);
    const c = spec.node.cloud!;
    expect(r.phases[0]!.limitedBy).toBe('per-flow-cap');
    expect(r.burstCreditsExhaustedSec).toBeCloseTo((c.burstCreditSec * (c.burstBitsPerSec - c.baselineBitsPerSec)) / (c.perFlowCapBitsPerSec - c.baselineBitsPerSec), 6);
    expect(r.limitedBy).toBe('bandwidth-allowance');
  });

  it('the credits never run out when the flows use less than the baseline', () => {
    const node = nodePreset('cloud-up-to-10g', { cloud: { baselineBitsPerSec: 8e9 } });
    const r = simulateBulkThroughput(bulkSpec({ node, datapath: 'cilium-tc', flows: 1, durationSec: 3600 }), 1);
    expect(r.burstCreditsExhaustedSec).toBeNull();
    expect(r.limitedBy).toBe('per-flow-cap');
    expect(r.series.at(-1)!.burstCreditSec).toBeCloseTo(node.cloud!.burstCreditSec, 6);
  });

  it("virtio: without allowances the queue pairs' vhost threads cap the flows; a 10 GbE host link behind them caps the total like bare metal", () => {
    const free = simulateBulkThroughput(bulkSpec({ node: nodePreset('bare-metal-10g', { nic: 'virtio' }), datapath: 'cilium-tc', flows: 1, durationSec: 60 }), 1);
    expect(['sender-vhost', 'receiver-vhost']).toContain(free.limitedBy);
    // One queue pair moves a 64 KiB aggregate in (955 + 0.696 ns/B x 65,230 B) ns: about 11 Gbit/s of frames.
    expect(free.finalGbps).toBeGreaterThan(9);
    expect(free.finalGbps).toBeLessThan(12);
    const linked = simulateBulkThroughput(bulkSpec({ node: nodePreset('bare-metal-10g', { nic: 'virtio', hostLinkBitsPerSec: 10e9 }), datapath: 'cilium-tc', flows: 8, durationSec: 60 }), 1);
    expect(linked.limitedBy).toBe('line-rate');
    expect(linked.finalGbps).toBeCloseTo((lineRatePps(10e9, FRAME) * MSS * 8) / 1e9, 9);
  });

  it('flows beyond the conntrack allowance are refused and retransmit their SYN 6 times within the run', () => {
    const node = nodePreset('cloud-up-to-10g', { cloud: { conntrackAllowanceFlows: 10 } });
    const r = simulateBulkThroughput(bulkSpec({ node, datapath: 'cilium-tc', flows: 13, durationSec: 600 }), 1);
    expect(r.flowsAdmitted).toBe(10);
    expect(r.flowsRefused).toBe(3);
    expect(r.phases[0]!.flowsLimitedBy['conntrack-allowance']).toBe(3);
    expect(r.allowanceCounters.sender.conntrack_allowance_exceeded).toBe(3 * (1 + calibrated('conntrack.synRetries')));
    expect(r.series[0]!.perFlowMinGbps).toBe(0);
  });

  it('JIT off multiplies the BPF instruction time by exactly the interpreter factor and changes nothing else; goodput moves only when a core is the limiter', () => {
    const factor = calibrated('ebpf.interpreterSlowdownFactor');
    for (const [node, governor] of [['bare-metal-10g', 'performance'], ['bare-metal-25g', 'powersave']] as const) {
      const on = simulateBulkThroughput(bulkSpec({ node, datapath: 'cilium-tc', flows: 1, durationSec: 60, governor, jit: true }), 1);
      const off = simulateBulkThroughput(bulkSpec({ node, datapath: 'cilium-tc', flows: 1, durationSec: 60, governor, jit: false }), 1);
      for (const piece of ['senderPacket', 'senderAck', 'receiverFrame', 'receiverAggregate', 'receiverAck'] as const) {
        const a = on.cpu[piece];
        const b = off.cpu[piece];
        expect(b.bpfInstructionNs, piece).toBeCloseTo(a.bpfInstructionNs * factor, 9);
        expect(b.ns - a.ns, piece).toBeCloseTo(a.bpfInstructionNs * (factor - 1), 9);
      }
      const cpuLimited = (r: BulkThroughputResult) => r.limitedBy === 'receiver-softirq' || r.limitedBy === 'sender-core';
      if (cpuLimited(on) || cpuLimited(off)) expect(off.finalGbps).toBeLessThan(on.finalGbps);
      else expect(off.finalGbps).toBe(on.finalGbps);
    }
    // The powersave 25G case is the CPU-limited one (a core at 1.2 GHz), the 10G one is not.
    expect(simulateBulkThroughput(bulkSpec({ node: 'bare-metal-25g', datapath: 'cilium-tc', flows: 1, durationSec: 60, governor: 'powersave', jit: false }), 1).limitedBy).toBe('receiver-softirq');
    // kube-proxy datapaths run no BPF: the flag changes nothing at all.
    const kp = (jit: boolean) => simulateBulkThroughput(bulkSpec({ node: 'bare-metal-10g', datapath: 'kube-proxy-iptables', flows: 1, durationSec: 60, jit }), 1);
    expect(kp(false)).toEqual(kp(true));
  });

  it('property: total goodput never exceeds what any one kind of resource allows, and flows are never above their own caps', () => {
    const arb = fc.record({
      node: fc.constantFrom(...NODE_PRESET_NAMES),
      datapath: fc.constantFrom(...DATAPATH_NAMES),
      flows: fc.integer({ min: 1, max: 300 }),
      jit: fc.boolean(),
      governor: fc.constantFrom(...GOVERNOR_NAMES),
      cpuGhz: fc.double({ min: 0.8, max: 4, noNaN: true }),
      baselineGbps: fc.double({ min: 0.1, max: 5, noNaN: true }),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(fc.property(arb, (a) => {
      const node = a.node === 'cloud-up-to-10g' ? nodePreset(a.node, { cloud: { baselineBitsPerSec: a.baselineGbps * 1e9 } }) : nodePreset(a.node);
      const r = simulateBulkThroughput(bulkSpec({ node, datapath: a.datapath, flows: a.flows, durationSec: 3600, jit: a.jit, governor: a.governor, path: { cpuFreqHz: a.cpuGhz * 1e9 } }), a.seed);
      const finalPhase = r.phases.at(-1)!;
      for (const kind of BULK_LIMITERS) {
        if (kind === 'conntrack-allowance') continue;
        const bound = r.boundsGbps[kind];
        if (bound !== null) expect(finalPhase.totalGbps).toBeLessThanOrEqual(bound * (1 + 1e-9));
      }
      const cap = node.cloud?.perFlowCapBitsPerSec;
      if (cap !== undefined) for (const p of r.phases) expect(p.perFlowMaxGbps).toBeLessThanOrEqual(((cap * MSS) / FRAME / 1e9) * (1 + 1e-9));
      expect(r.meanGbps).toBeGreaterThanOrEqual(r.finalGbps * (1 - 1e-9));
    }), { numRuns: 60 });
  });

  it('is a pure function of (spec, seed): the same run twice is identical; the seed moves flows between queues', () => {
    const spec = bulkSpec({ node: 'cloud-up-to-10g', datapath: 'cilium-socket-lb', flows: 16, durationSec: 3600 });
    expect(simulateBulkThroughput(spec, 7)).toEqual(simulateBulkThroughput(spec, 7));
    const spreads = new Set([1, 2, 3, 4, 5].map((seed) => simulateBulkThroughput(spec, seed).flowsPerQueue.join(',')));
    expect(spreads.size).toBeGreaterThan(1);
  });

  it('refuses bad specs, naming the field', () => {
    expect(() => bulkSpec({ node: 'bare-metal-10g', datapath: 'cilium-tc', flows: 0, durationSec: 1 })).toThrow(/flows must be an integer in \[1, 1000000\], got 0/);
    expect(() => bulkSpec({ node: 'bare-metal-10g', datapath: 'cilium-tc', flows: 1, durationSec: -1 })).toThrow(/durationSec must be a finite number > 0, got -1/);
    expect(() => bulkSpec({ node: 'bare-metal-10g', datapath: 'cilium-tc', flows: 1, durationSec: 1e6, sampleSec: 1 })).toThrow(/at most 100000 samples/);
  });
});

describe('fluid vs packet-level run (the same workload through NicTx/NicRx, CpuCores and CloudShaper)', () => {
  /** Packet-level goodput of the final phase, with a window covering the RTT plus a little queueing. */
  function crossCheck(spec: BulkSpec, phase: 'first' | 'last' = 'last') {
    const fluid = simulateBulkThroughput(spec, 1);
    const ph = phase === 'first' ? fluid.phases[0]! : fluid.phases.at(-1)!;
    const window = bulkWindowBytes(ph.perFlowMaxGbps * 1e9, fluid.baseRttUs * 1e-6, 3e-4 / spec.flows, spec);
    const allowance = ph.allowanceBitsPerSec !== null && ph.allowanceBitsPerSec === spec.node.cloud?.burstBitsPerSec ? 'burst' : 'baseline';
    const packets = simulateBulkPackets(spec, 1, { horizonSec: 0.04, warmupSec: 0.01, allowance, windowBytes: window, shaperMaxDelayUs: 20_000 });
    return { fluid, ph, packets };
  }

  const cases: [string, BulkSpec, 'first' | 'last'][] = [
    ['bare metal 10G, 1 flow, cilium-tc: line rate', bulkSpec({ node: 'bare-metal-10g', datapath: 'cilium-tc', flows: 1, durationSec: 1 }), 'last'],
    ['bare metal 10G, 8 flows, iptables: line rate', bulkSpec({ node: 'bare-metal-10g', datapath: 'kube-proxy-iptables', flows: 8, durationSec: 1 }), 'last'],
    ['bare metal 25G, powersave, JIT off: a receiver core', bulkSpec({ node: 'bare-metal-25g', datapath: 'cilium-tc', flows: 1, durationSec: 1, governor: 'powersave', jit: false }), 'last'],
    ['cloud VM, 1 flow, burst: the per-flow cap', bulkSpec({ node: 'cloud-up-to-10g', datapath: 'cilium-tc', flows: 1, durationSec: 3600 }), 'first'],
    ['cloud VM, 8 flows, burst: the bandwidth allowance', bulkSpec({ node: 'cloud-up-to-10g', datapath: 'cilium-tc', flows: 8, durationSec: 3600 }), 'first'],
    ['cloud VM, 8 flows, baseline', bulkSpec({ node: 'cloud-up-to-10g', datapath: 'cilium-tc', flows: 8, durationSec: 3600 }), 'last'],
  ];
  for (const [name, spec, phase] of cases) {
    it(`${name}: goodput within 2 %, no drops`, () => {
      const { ph, packets } = crossCheck(spec, phase);
      expect(Object.values(packets.drops).every((d) => d === 0), JSON.stringify(packets.drops)).toBe(true);
      expect(packets.totalGbps / ph.totalGbps - 1).toBeGreaterThan(-0.02);
      expect(packets.totalGbps / ph.totalGbps - 1).toBeLessThan(0.02);
      if (ph.limitedBy === 'receiver-softirq') expect(Math.max(...packets.receiverCoreUtilization)).toBeGreaterThan(0.99);
    });
  }

  it('the sending VM shapes every data frame at a binding allowance, as the fluid counters assume', () => {
    const spec = bulkSpec({ node: 'cloud-up-to-10g', datapath: 'cilium-tc', flows: 8, durationSec: 3600 });
    const { ph, packets } = crossCheck(spec, 'first');
    const framesPerSec = (ph.totalGbps * 1e9) / (MSS * 8);
    // The counter covers the whole run (warm-up included: 0.05 s).
    expect(packets.counters.sender.bw_out_allowance_exceeded / (framesPerSec * 0.05)).toBeGreaterThan(0.95);
    expect(packets.counters.sender.bw_out_allowance_exceeded / (framesPerSec * 0.05)).toBeLessThan(1.05);
  });
});
