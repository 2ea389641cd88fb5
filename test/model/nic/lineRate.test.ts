import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { frameBytesForIpPacket, lineRatePps, serializationNs, wireBitsPerFrame, wireOverheadBytes } from '../../../model/nic/index.ts';

// Line rates derived from IEEE 802.3 framing (docs/sources.md#line-rate): rate, Mpps at 64 B, Mpps at
// 1518 B, ns per 64 B frame.
const rows: [number, number, number, number][] = [
  [10e9, 14.881, 0.8127, 67.2],
  [25e9, 37.202, 2.032, 26.9],
  [40e9, 59.524, 3.251, 16.8],
  [100e9, 148.81, 8.127, 6.72],
];

describe('lineRate', () => {
  it('wireOverheadBytes() is the 20 B of preamble + SFD + inter-packet gap', () => {
    expect(wireOverheadBytes()).toBe(20);
  });

  it.each(rows)('lineRatePps(%d, 64 | 1518) matches the published Mpps rows', (rate, mpps64, mpps1518, ns64) => {
    // Published to 4-5 significant digits: compare at that precision.
    expect(lineRatePps(rate, 64) / 1e6).toBeCloseTo(mpps64, 2);
    expect(Math.abs(lineRatePps(rate, 64) / 1e6 / mpps64 - 1)).toBeLessThan(5e-5);
    expect(Math.abs(lineRatePps(rate, 1518) / 1e6 / mpps1518 - 1)).toBeLessThan(5e-4);
    expect(Math.abs(serializationNs(rate, 64) / ns64 - 1)).toBeLessThan(5e-3);
  });

  it('wireBitsPerFrame pads short frames to the 64 B minimum', () => {
    expect(wireBitsPerFrame(40)).toBe(wireBitsPerFrame(64));
    expect(wireBitsPerFrame(64)).toBe(84 * 8);
  });

  it('frameBytesForIpPacket(1500) is the 1518 B frame; small packets pad to 64 B', () => {
    expect(frameBytesForIpPacket(1500)).toBe(1518);
    expect(frameBytesForIpPacket(20)).toBe(64);
  });

  it('pps x wire bits = link rate, and serialisation x pps = 1 s (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9216 }), fc.double({ min: 1e6, max: 4e11, noNaN: true }), (frame, rate) => {
      const pps = lineRatePps(rate, frame);
      expect(pps * wireBitsPerFrame(frame)).toBeCloseTo(rate, -Math.floor(Math.log10(rate)) + 9);
      expect(serializationNs(rate, frame) * pps).toBeCloseTo(1e9, 0);
    }));
  });

  it('rejects a non-positive frame size or link rate, naming the field', () => {
    expect(() => lineRatePps(10e9, 0)).toThrow(/frameBytes/);
    expect(() => lineRatePps(-1, 64)).toThrow(/linkRateBitsPerSec/);
  });
});
