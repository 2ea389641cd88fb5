import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { workNs } from '../../../model/cpu/index.ts';
import {
  defaultMapLookupParams, htabBucketCount, htabElementBytes, mapLineTraffic, mapLookupWork, type MapLookupSpec,
} from '../../../model/ebpf/index.ts';

const BENCH_HZ = 3.5e9;
const hash = (entries: number, keyBytes: number, maxEntries = 65_536): MapLookupSpec =>
  ({ kind: 'hash', maxEntries, entries, keyBytes, valueBytes: 8 });
const ns = (spec: MapLookupSpec, f = BENCH_HZ) => workNs(mapLookupWork(spec), f);

describe('mapLookup', () => {
  it.each([
    ['6 % full, 4 B key', hash(Math.round(0.06 * 65_536), 4), 50.7],
    ['50 % full, 4 B key', hash(32_768, 4), 38.3],
    ['100 % full, 64 B key', hash(65_536, 64), 17.7],
  ])('reproduces the hash-map benchmark point %s (%d M lookups/s)', (_label, spec, mops) => {
    // The three points fixed the three derived parameters: this checks the implementation, not the model.
    expect(Math.abs(ns(spec) / (1e3 / mops) - 1)).toBeLessThan(0.01);
  });

  it('derived parameters are physically plausible: ~1.5 cycles/B hashing, a few ns per L2 miss', () => {
    expect(defaultMapLookupParams.hashKeyByteCycles).toBeGreaterThan(0.5);
    expect(defaultMapLookupParams.hashKeyByteCycles).toBeLessThan(4);
    expect(defaultMapLookupParams.llcHitStallNs).toBeGreaterThan(1);
    expect(defaultMapLookupParams.llcHitStallNs).toBeLessThan(15);
  });

  it('cost never falls as occupancy grows, for every map kind and key size (property)', () => {
    fc.assert(fc.property(
      fc.constantFrom('hash', 'lru-hash', 'lpm' as const), fc.integer({ min: 1, max: 1 << 22 }),
      fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 128 }),
      (kind, maxEntries, a, b, keyBytes) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const spec = (x: number): MapLookupSpec => ({ kind, maxEntries, entries: Math.floor(x * maxEntries), keyBytes, valueBytes: 56, prefixLengths: 4 });
        expect(ns(spec(lo))).toBeLessThanOrEqual(ns(spec(hi)) + 1e-9);
      },
    ));
  });

  it('longer keys cost more; an LRU hash costs at least a plain hash', () => {
    expect(ns(hash(1000, 64))).toBeGreaterThan(ns(hash(1000, 4)));
    expect(ns({ ...hash(1000, 16), kind: 'lru-hash' })).toBeGreaterThanOrEqual(ns(hash(1000, 16)));
  });

  it('a 1M-entry Cilium CT map (14 B key, 56 B value) outgrows the LLC: lookups pay DRAM misses', () => {
    const ct: MapLookupSpec = { kind: 'lru-hash', maxEntries: 1 << 20, entries: 900_000, keyBytes: 14, valueBytes: 56 };
    const w = mapLookupWork(ct);
    expect(w.dramMisses).toBeGreaterThan(1);
    expect(workNs(w, 3.6e9)).toBeGreaterThan(100);
    expect(mapLineTraffic(ct).workingSetBytes).toBeGreaterThan(100 * 2 ** 20);
  });

  it('LPM: cost grows linearly with the prefix lengths on the path', () => {
    const lpm = (n: number): MapLookupSpec => ({ kind: 'lpm', maxEntries: 1000, entries: 100, keyBytes: 8, valueBytes: 8, prefixLengths: n });
    const d1 = ns(lpm(2)) - ns(lpm(1));
    expect(ns(lpm(10)) - ns(lpm(1))).toBeCloseTo(9 * d1, 9);
    expect(d1).toBeGreaterThan(0);
  });

  it('bucket count is max_entries rounded up to a power of two; elements are 48 B + key + value rounded to 8', () => {
    expect([htabBucketCount(1), htabBucketCount(1000), htabBucketCount(65_536)]).toEqual([1, 1024, 65_536]);
    expect(htabElementBytes(14, 56)).toBe(48 + 16 + 56);
  });

  it('rejects entries above max_entries, naming the field', () => {
    expect(() => mapLookupWork(hash(70_000, 4))).toThrow(/entries must be in \[0, maxEntries/);
  });
});
