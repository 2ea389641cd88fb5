import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bpfStatsOverheadNs, ciliumProgram, defaultProgramCostParams, ebpfModel, instructionCycles, noopXdpProgram, parseKernelVersion, tailCallNs,
  type MapLookupSpec,
} from '../../../model/ebpf/index.ts';

const REF_HZ = 3.6e9;
const ct: MapLookupSpec = { kind: 'lru-hash', maxEntries: 262_144, entries: 50_000, keyBytes: 14, valueBytes: 56 };
const policy: MapLookupSpec = { kind: 'hash', maxEntries: 16_384, entries: 200, keyBytes: 8, valueBytes: 8 };
const ipcache: MapLookupSpec = { kind: 'lpm', maxEntries: 512_000, entries: 5_000, keyBytes: 8, valueBytes: 12, prefixLengths: 3 };

describe('tail calls', () => {
  it('cost 20-30 ns before Linux 5.5 (retpoline) and < 10 ns from 5.5 on', () => {
    for (const v of ['4.19', '5.4', '5.4.0-150-generic']) {
      expect(tailCallNs(v)).toBeGreaterThanOrEqual(20);
      expect(tailCallNs(v)).toBeLessThanOrEqual(30);
    }
    for (const v of ['5.5', '5.10', 'v6.1', { major: 6, minor: 8 }]) expect(tailCallNs(v)).toBeLessThan(10);
  });

  it('parseKernelVersion rejects what is not major.minor', () => {
    expect(parseKernelVersion('5.10.0-21-amd64')).toEqual({ major: 5, minor: 10 });
    expect(() => parseKernelVersion('latest')).toThrow(/major\.minor/);
  });
});

describe('bpf stats', () => {
  it('kernel.bpf_stats_enabled costs two ktime_get_ns (about 20 ns each) per run, nothing when off', () => {
    expect(bpfStatsOverheadNs(true)).toBe(40);
    expect(bpfStatsOverheadNs(false)).toBe(0);
  });
});

describe('program cost: JIT vs interpreter', () => {
  it('the interpreter multiplies instruction time by 3-5x (classic-BPF evidence), not 10-100x', () => {
    const ratio = instructionCycles(1000, false) / instructionCycles(1000, true);
    expect(ratio).toBeGreaterThanOrEqual(3);
    expect(ratio).toBeLessThanOrEqual(5);
    expect(defaultProgramCostParams.interpreterSlowdownFactor).toBe(ratio);
  });

  it('a whole Cilium program, helpers included, slows by less than the instruction factor (property over instruction counts)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 20_000 }), (n) => {
      const prog = { ...ciliumProgram('from-container', [ct, policy, ipcache]), instructions: n };
      const jit = ebpfModel({ jit: true, kernelVersion: '5.10', statsEnabled: false }).programNs(prog, REF_HZ);
      const interp = ebpfModel({ jit: false, kernelVersion: '5.10', statsEnabled: false }).programNs(prog, REF_HZ);
      expect(interp).toBeGreaterThanOrEqual(jit);
      expect(interp / jit).toBeLessThanOrEqual(defaultProgramCostParams.interpreterSlowdownFactor);
    }));
  });
});

describe('EbpfModel', () => {
  it('the no-op XDP program costs the order of the measured 13.3 ns/packet (a check, not a calibration)', () => {
    const m = ebpfModel({ jit: true, kernelVersion: '4.18', statsEnabled: false });
    const ns = m.programNs(noopXdpProgram(), REF_HZ);
    expect(Math.abs(Math.log10(ns / 13.3))).toBeLessThan(0.5); // within a factor of ~3
  });

  it('is a named strategy value whose cost follows the configuration', () => {
    const prog = ciliumProgram('from-container', [ct, policy, ipcache]);
    const base = ebpfModel({ jit: true, kernelVersion: '5.10', statsEnabled: false });
    expect(base.name).toBe('ebpf(jit, 5.10, stats off)');
    const old = ebpfModel({ jit: true, kernelVersion: '5.4', statsEnabled: false });
    expect(old.programNs(prog, REF_HZ) - base.programNs(prog, REF_HZ)).toBeCloseTo(prog.tailCalls * (old.tailCallNs - base.tailCallNs), 9);
    const stats = ebpfModel({ jit: true, kernelVersion: '5.10', statsEnabled: true });
    expect(stats.programNs(prog, REF_HZ) - base.programNs(prog, REF_HZ)).toBeCloseTo(40, 9);
  });

  it('a Cilium from-container run stays in the sub-microsecond range with default assumptions', () => {
    const ns = ebpfModel({ jit: true, kernelVersion: '5.10', statsEnabled: false }).programNs(ciliumProgram('from-container', [ct, policy, ipcache]), REF_HZ);
    expect(ns).toBeGreaterThan(100);
    expect(ns).toBeLessThan(2_000);
  });

  it('higher frequency never makes a program slower (property)', () => {
    const m = ebpfModel({ jit: true, kernelVersion: '5.10', statsEnabled: true });
    const prog = ciliumProgram('to-container', [ct, policy]);
    fc.assert(fc.property(fc.double({ min: 0.8e9, max: 5e9, noNaN: true }), fc.double({ min: 1, max: 3, noNaN: true }), (f, k) => {
      expect(m.programNs(prog, f * k)).toBeLessThanOrEqual(m.programNs(prog, f) + 1e-9);
    }));
  });

  it('JIT off is impossible with CONFIG_BPF_JIT_ALWAYS_ON (the interpreter is compiled out)', () => {
    expect(() => ebpfModel({ jit: false, kernelVersion: '5.10', statsEnabled: false, jitAlwaysOn: true })).toThrow(/JIT_ALWAYS_ON/);
    expect(ebpfModel({ jit: true, kernelVersion: '5.10', statsEnabled: false, jitAlwaysOn: true }).config.jitAlwaysOn).toBe(true);
  });
});
