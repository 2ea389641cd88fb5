import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  kubeProxyConntrackMaxEntries,
  nfConntrackDefaultBuckets,
  nfConntrackDefaultMaxEntries,
  nfConntrackSizing,
  nfConntrackMemoryBytes,
  hasSanitizedConntrackDefaults,
  defaultNfConntrackSizingParams,
} from '../../../model/conntrack/index.ts';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

describe('kube-proxy nf_conntrack_max = max(32768 x cores, 131072) (kube-proxy defaults.go)', () => {
  it('matches the kube-proxy column of the Cilium maps.rst table: 1, 8, 16, 32, 96 vCPUs', () => {
    const docs: [number, number][] = [[1, 131_072], [8, 262_144], [16, 524_288], [32, 1_048_576], [96, 3_145_728]];
    for (const [cores, entries] of docs) expect(kubeProxyConntrackMaxEntries(cores), `${cores} cores`).toBe(entries);
  });

  it('is the formula for any core count (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1024 }), (c) => {
        expect(kubeProxyConntrackMaxEntries(c)).toBe(Math.max(32_768 * c, 131_072));
      }),
    );
  });
});

describe('kernel defaults (nf_conntrack-sysctl.rst)', () => {
  it('buckets = memory / 16384, clamped to [1024, 262144]', () => {
    expect(nfConntrackDefaultBuckets(8 * MiB)).toBe(1024);
    expect(nfConntrackDefaultBuckets(512 * MiB)).toBe(32_768);
    expect(nfConntrackDefaultBuckets(1 * GiB)).toBe(65_536);
    expect(nfConntrackDefaultBuckets(4 * GiB)).toBe(262_144);
    expect(nfConntrackDefaultBuckets(32 * GiB)).toBe(262_144);
  });

  it('max = buckets from 5.15 on, 4 x buckets before', () => {
    expect(nfConntrackDefaultMaxEntries(1 * GiB, '5.15')).toBe(65_536);
    expect(nfConntrackDefaultMaxEntries(1 * GiB, '6.1.0-13-amd64')).toBe(65_536);
    expect(nfConntrackDefaultMaxEntries(1 * GiB, '5.14')).toBe(4 * 65_536);
    expect(nfConntrackDefaultMaxEntries(1 * GiB, '4.19')).toBe(4 * 65_536);
  });

  it('rejects a kernel version it cannot read, naming it', () => {
    expect(() => hasSanitizedConntrackDefaults('six')).toThrow(/got "six"/);
    expect(hasSanitizedConntrackDefaults('v5.4')).toBe(false);
    expect(hasSanitizedConntrackDefaults('5.15.0-91-generic')).toBe(true);
  });
});

describe('nfConntrackSizing: what a node ends up with', () => {
  it('kube-proxy sets the max and raises hashsize to max / 4 when that is larger', () => {
    // 8 cores, 1 GiB: kernel buckets 65,536 = 262,144 / 4.
    expect(nfConntrackSizing({ memoryBytes: 1 * GiB, cores: 8, kernelVersion: '6.1' })).toMatchObject({ capacityEntries: 262_144, buckets: 65_536, maxFrom: 'kube-proxy' });
    // 32 cores, 1 GiB: max 1,048,576, so hashsize 262,144 > 65,536.
    expect(nfConntrackSizing({ memoryBytes: 1 * GiB, cores: 32, kernelVersion: '6.1' })).toMatchObject({ capacityEntries: 1_048_576, buckets: 262_144 });
    // 8 cores, 32 GiB: kernel buckets already 262,144 > 65,536, kept.
    expect(nfConntrackSizing({ memoryBytes: 32 * GiB, cores: 8, kernelVersion: '6.1' }).buckets).toBe(262_144);
  });

  it('without kube-proxy the kernel defaults apply; an explicit max wins', () => {
    expect(nfConntrackSizing({ memoryBytes: 1 * GiB, cores: 8, kernelVersion: '5.10', kubeProxy: false })).toMatchObject({ capacityEntries: 262_144, buckets: 65_536, maxFrom: 'kernel-default' });
    expect(nfConntrackSizing({ memoryBytes: 1 * GiB, cores: 8, kernelVersion: '6.1', maxEntries: 1000 })).toMatchObject({ capacityEntries: 1000, maxFrom: 'explicit' });
  });

  it('memory = entries x bytes per nf_conn + buckets x bytes per bucket, within the sourced 300-400 B per entry', () => {
    const p = defaultNfConntrackSizingParams;
    expect(p.entryBytes).toBeGreaterThanOrEqual(300);
    expect(p.entryBytes).toBeLessThanOrEqual(400);
    expect(nfConntrackMemoryBytes(1_048_576, 262_144)).toBe(1_048_576 * p.entryBytes + 262_144 * p.bucketBytes);
    // Third-party figure, docs/sources.md#nf-conntrack-memory: "1,048,576 entries is ~320 MB" (entries only).
    expect(nfConntrackMemoryBytes(1_048_576, 0) / 1e6).toBeGreaterThan(300);
    expect(nfConntrackMemoryBytes(1_048_576, 0) / 1e6).toBeLessThan(420);
    const s = nfConntrackSizing({ memoryBytes: 32 * GiB, cores: 8, kernelVersion: '6.1' });
    expect(s.memoryBytesAtCapacity).toBe(nfConntrackMemoryBytes(s.capacityEntries, s.buckets));
  });
});

describe('per-packet cost of connection tracking', () => {
  it('nf_conntrack adds the XDP paper\'s 1.8 vs 4.8 Mpps difference (≈347 ns at 3.6 GHz); Cilium CT one LRU-hash lookup', async () => {
    const { nfConntrackPacketWork, ciliumCtLookupWork } = await import('../../../model/conntrack/index.ts');
    const { workNs } = await import('../../../model/cpu/index.ts');
    expect(workNs(nfConntrackPacketWork(), 3.6e9)).toBeCloseTo(1e9 / 1.8e6 - 1e9 / 4.8e6, 6);
    // A fuller, bigger map never costs less (model/ebpf's cache mechanism).
    const small = workNs(ciliumCtLookupWork(131_072, 1000), 3.6e9);
    const big = workNs(ciliumCtLookupWork(2_097_152, 2_000_000), 3.6e9);
    expect(big).toBeGreaterThan(small);
  });
});
