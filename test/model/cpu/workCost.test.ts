import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addWork, defaultKernelPacketCostParams, defaultWorkCostParams, kernelPacketWork, loadedMemoryWorkCostParams, scaleWork, workNs,
} from '../../../model/cpu/index.ts';

const REF_HZ = 3.6e9;

describe('workNs', () => {
  it('workNs({cycles, dramMisses}) = cycles / f + misses x DRAM latency (82 ns light, 130 ns loaded)', () => {
    expect(workNs({ cycles: 3600, dramMisses: 1 }, REF_HZ)).toBeCloseTo(1000 + 82, 9);
    expect(workNs({ cycles: 0, dramMisses: 2 }, REF_HZ, loadedMemoryWorkCostParams)).toBe(260);
    expect(defaultWorkCostParams.dramMissLatencyNs).toBe(82);
  });

  it.each([
    ['xdp-drop', 41.6, 24],
    ['linux-raw-drop', 208, 4.8],
    ['linux-conntrack-drop', 556, 1.8],
    ['linux-ip-forward', 575, 1.74],
    ['linux-ip-forward-full-table', 728, 1.37],
  ] as const)('kernelPacketWork(%s) at 3.6 GHz reproduces the XDP paper: %d ns, %d Mpps per core', (stage, ns, mpps) => {
    const t = workNs(kernelPacketWork(stage), REF_HZ);
    expect(Math.abs(t / ns - 1)).toBeLessThan(0.005);
    expect(1e3 / t).toBeCloseTo(mpps, 2);
  });

  it('conntrack adds about +350 ns per packet; a function call is 1.3 ns (at 3.6 GHz)', () => {
    expect(workNs(kernelPacketWork('conntrack-extra'), REF_HZ)).toBeCloseTo(347.2, 1);
    expect(workNs(kernelPacketWork('function-call'), REF_HZ)).toBeCloseTo(1.3, 9);
    expect(defaultKernelPacketCostParams.referenceFreqHz).toBe(REF_HZ);
  });

  it('more frequency is never slower, and cycle-bound time scales as 1 / f (property)', () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: 1e7, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }),
      fc.double({ min: 0.5e9, max: 6e9, noNaN: true }), fc.double({ min: 1, max: 4, noNaN: true }),
      (cycles, misses, f, k) => {
        const w = { cycles, dramMisses: misses };
        expect(workNs(w, f * k)).toBeLessThanOrEqual(workNs(w, f) + 1e-9);
        const cyclePart = (x: number) => workNs({ cycles, dramMisses: 0 }, x);
        expect(cyclePart(f * k) * k).toBeCloseTo(cyclePart(f), 6);
      },
    ));
  });

  it('memory stalls do not scale with f (property)', () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 500, noNaN: true }),
      fc.double({ min: 0.5e9, max: 6e9, noNaN: true }), fc.double({ min: 0.5e9, max: 6e9, noNaN: true }),
      (cycles, misses, stallNs, f1, f2) => {
        const stall = (f: number) => workNs({ cycles, dramMisses: misses, stallNs }, f) - workNs({ cycles, dramMisses: 0 }, f);
        expect(stall(f1)).toBeCloseTo(stall(f2), 6);
        expect(stall(f1)).toBeCloseTo(misses * 82 + stallNs, 6);
      },
    ));
  });

  it('addWork and scaleWork add componentwise', () => {
    const w = addWork({ cycles: 1, dramMisses: 2 }, { cycles: 3, dramMisses: 0, stallNs: 5 });
    expect(w).toEqual({ cycles: 4, dramMisses: 2, stallNs: 5 });
    expect(scaleWork(w, 3)).toEqual({ cycles: 12, dramMisses: 6, stallNs: 15 });
  });

  it('rejects negative work or a non-positive frequency, naming the field', () => {
    expect(() => workNs({ cycles: -1, dramMisses: 0 }, REF_HZ)).toThrow(/cycles/);
    expect(() => workNs({ cycles: 1, dramMisses: 0 }, 0)).toThrow(/freqHz/);
  });
});
