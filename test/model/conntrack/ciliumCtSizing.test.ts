import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ciliumCtDynamicEntries,
  ciliumCtElementBytes,
  ciliumCtMemoryBytes,
  ciliumCtSizing,
  defaultCiliumCtSizingParams,
} from '../../../model/conntrack/index.ts';
import { htabBucketCount } from '../../../model/ebpf/index.ts';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

// cilium/cilium pkg/maps/mapsize code examples (before floors), docs/sources.md#cilium-ct-sizing: RAM → TCP / any.
const EXAMPLES: [number, number, number][] = [
  [512 * MiB, 33_140, 16_570],
  [1 * GiB, 66_280, 33_140],
  [4 * GiB, 265_121, 132_560],
  [16 * GiB, 1_060_485, 530_242],
];

describe('Cilium CT dynamic sizing (cilium/cilium pkg/maps/mapsize)', () => {
  it('reproduces the four maps.rst examples for the TCP and the any map before the floors', () => {
    for (const [ram, tcp, any] of EXAMPLES) {
      expect(ciliumCtDynamicEntries(ram, 'tcp', undefined, { clamp: false }), `${ram / MiB} MiB tcp`).toBe(tcp);
      expect(ciliumCtDynamicEntries(ram, 'any', undefined, { clamp: false }), `${ram / MiB} MiB any`).toBe(any);
    }
  });

  it('the derived defaults budget lies in the interval the examples allow (recomputed here)', () => {
    // floor(524288 x floor(RAM x 0.0025) / B) = TCP  <=>  B in (524288 a / (TCP + 1), 524288 a / TCP].
    let lo = 0;
    let hi = Infinity;
    for (const [ram, tcp, any] of EXAMPLES) {
      const a = Math.trunc(ram * 0.0025);
      lo = Math.max(lo, (524_288 * a) / (tcp + 1), (262_144 * a) / (any + 1));
      hi = Math.min(hi, (524_288 * a) / tcp, (262_144 * a) / any);
    }
    const b = defaultCiliumCtSizingParams.defaultMapsBudgetBytes;
    expect(b).toBeGreaterThan(lo);
    expect(b).toBeLessThanOrEqual(hi);
  });

  it('applies the floors 131,072 / 65,536 and the ceiling 16,777,216', () => {
    expect(ciliumCtDynamicEntries(512 * MiB, 'tcp')).toBe(131_072);
    expect(ciliumCtDynamicEntries(512 * MiB, 'any')).toBe(65_536);
    expect(ciliumCtDynamicEntries(16 * GiB, 'tcp')).toBe(1_060_485);
    expect(ciliumCtDynamicEntries(1024 * GiB, 'tcp')).toBe(16_777_216);
  });

  it('grows with RAM and stays within [floor, ceiling] (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 1, max: 4096 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const x = ciliumCtDynamicEntries(lo * 256 * MiB, 'tcp');
        const y = ciliumCtDynamicEntries(hi * 256 * MiB, 'tcp');
        expect(y).toBeGreaterThanOrEqual(x);
        expect(x).toBeGreaterThanOrEqual(131_072);
        expect(y).toBeLessThanOrEqual(16_777_216);
      }),
    );
  });

  it('uses the static defaults 524,288 / 262,144 with dynamic sizing off; an explicit size wins', () => {
    expect(ciliumCtSizing({ memoryBytes: 32 * GiB, dynamicSizing: false })).toMatchObject({ capacityEntries: 524_288, anyCapacityEntries: 262_144, maxFrom: 'static-default' });
    expect(ciliumCtSizing({ memoryBytes: 32 * GiB, maxEntries: 1000 })).toMatchObject({ capacityEntries: 1000, maxFrom: 'explicit' });
  });
});

describe('Cilium CT memory (ctmap/types.go, kernel/bpf/hashtab.c)', () => {
  it('an element is 120 B: htab_elem 48 + key (daddr 4, saddr 4, dport 2, sport 2, nexthdr 1, flags 1) rounded to 8 + CtEntry value', () => {
    const key = 4 + 4 + 2 + 2 + 1 + 1;
    // 4 x u64 counters, lifetime u32, flags u16, rev_nat u16, ifindex u16, 2 x u8, src_sec_id u32, 2 x u32.
    const value = 4 * 8 + 4 + 2 + 2 + 2 + 2 * 1 + 4 + 2 * 4;
    expect(key).toBe(defaultCiliumCtSizingParams.keyBytes);
    expect(value).toBe(defaultCiliumCtSizingParams.valueBytes);
    expect(48 + Math.ceil(key / 8) * 8 + Math.ceil(value / 8) * 8).toBe(120);
    expect(ciliumCtElementBytes()).toBe(120);
  });

  it('is preallocated: max_entries x 120 B + a power-of-two bucket array', () => {
    expect(htabBucketCount(524_288)).toBe(524_288);
    expect(htabBucketCount(1_060_485)).toBe(2_097_152);
    const bucket = defaultCiliumCtSizingParams.bucketBytes;
    expect(ciliumCtMemoryBytes(1_060_485)).toBe(1_060_485 * 120 + 2_097_152 * bucket);
  });
});
