/**
 * Cold caches: survival of a structure's cached lines under displacement by other work, and the
 * cold cost of an iptables walk and a BPF map lookup (every line from DRAM) against the warm one.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CacheWarmth, warmFraction, defaultCacheWarmthParams, iptablesFirstPacketColdWork, iptablesFirstPacketWork, iptablesPerRuleColdWork, defaultIptablesCostParams } from '../../../model/lookup/index.ts';
import { mapLineTraffic, mapLookupColdWork, mapLookupWork } from '../../../model/ebpf/index.ts';

describe('warmFraction', () => {
  it('is 1 at once, exp(-1) after the time it takes to displace the whole share, and 1 with no pressure', () => {
    const p = { pressureBytesPerUs: 1000, cacheShareBytes: 8_000_000 };
    expect(warmFraction(0, p)).toBe(1);
    expect(warmFraction(8_000_000, p)).toBeCloseTo(Math.exp(-1), 12);
    expect(warmFraction(1e12, { ...p, pressureBytesPerUs: 0 })).toBe(1);
  });

  it('falls with the gap and with the pressure, and stays in (0, 1] (random inputs)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e10, noNaN: true }), fc.double({ min: 0, max: 1e10, noNaN: true }), fc.double({ min: 0, max: 1e4, noNaN: true }), (a, b, pressure) => {
        const p = { ...defaultCacheWarmthParams, pressureBytesPerUs: pressure };
        const [short, long] = a <= b ? [a, b] : [b, a];
        const w = warmFraction(long, p);
        return w <= warmFraction(short, p) && w >= 0 && w <= 1 && warmFraction(long, { ...p, pressureBytesPerUs: pressure * 2 }) <= w;
      }),
    );
  });

  it('CacheWarmth tracks each structure on its own and answers from the last use', () => {
    const c = new CacheWarmth(2, 0, { pressureBytesPerUs: 1000, cacheShareBytes: 8_000_000 });
    expect(c.touch(0, 8_000_000)).toBeCloseTo(Math.exp(-1), 12);
    expect(c.touch(0, 8_000_000)).toBe(1);
    expect(c.touch(1, 16_000_000)).toBeCloseTo(Math.exp(-2), 12);
  });
});

describe('cold lookups', () => {
  it('a cold iptables walk costs the same cycles and missLinesPerRule / MLP DRAM latencies per rule', () => {
    const p = defaultIptablesCostParams;
    expect(iptablesPerRuleColdWork(p)).toEqual({ cycles: p.ruleCycles, dramMisses: p.missLinesPerRule / p.memoryLevelParallelism });
    for (const servicePorts of [100, 5000, 30_000]) {
      const pkt = { servicePorts, endpoints: 3 };
      const warm = iptablesFirstPacketWork(pkt);
      const cold = iptablesFirstPacketColdWork(pkt);
      expect(cold.cycles).toBeCloseTo(warm.cycles, 6);
      expect(cold.dramMisses).toBeGreaterThan(warm.dramMisses);
      // Once the chain outgrows the cache share the warm walk already misses part of it.
      if (servicePorts * p.ruleBytes * 2 > p.cacheShareBytes) expect(warm.dramMisses).toBeGreaterThan(0);
    }
  });

  it('a cold map lookup reads every line it touches from DRAM, with the same cycles', () => {
    const spec = { kind: 'hash' as const, maxEntries: 65_536, entries: 20_000, keyBytes: 12, valueBytes: 12 };
    const warm = mapLookupWork(spec);
    const cold = mapLookupColdWork(spec);
    expect(cold.cycles).toBe(warm.cycles);
    expect(cold.dramMisses).toBe(mapLineTraffic(spec).lines);
    expect(cold.dramMisses).toBeGreaterThanOrEqual(warm.dramMisses);
  });
});
