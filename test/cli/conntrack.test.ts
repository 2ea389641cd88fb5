import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './runCli.ts';
import { calibrated } from '../../model/calibration/index.ts';

function parseJsonOnly(r: CliResult): Record<string, number | string | null> {
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, number | string | null>;
}

const GiB = 2 ** 30;

describe('svcpath conntrack --json', () => {
  it('nf_conntrack on the default node (8 cores): kube-proxy size, memory per entry and bucket, no drops below capacity', async () => {
    const out = parseJsonOnly(await runCli(['conntrack', '--impl', 'nf_conntrack', '--connections', '2000', '--json']));
    const capacity = Math.max(32_768 * 8, 131_072);
    expect(out).toMatchObject({ impl: 'nf_conntrack', capacityEntries: capacity, cores: 8, nodeMemoryBytes: 32 * GiB, droppedNewConnections: 0, evictedEntries: 0, peakEntries: 2000 });
    // 32 GiB / 16384 clamps to 262,144 kernel buckets, already >= capacity / 4.
    const buckets = 262_144;
    expect(out.buckets).toBe(buckets);
    expect(out.memoryBytes).toBe(capacity * calibrated('conntrack.nfEntryBytes') + buckets * calibrated('conntrack.nfBucketBytes'));
  });

  it('cilium-ct with 16 GiB: the maps.rst example size 1,060,485 and a preallocated 120-B-per-element map', async () => {
    const out = parseJsonOnly(await runCli(['conntrack', '--impl', 'cilium-ct', '--connections', '500', '--memory-bytes', String(16 * GiB), '--json']));
    expect(out).toMatchObject({ capacityEntries: 1_060_485, capacityFrom: 'dynamic', droppedNewConnections: 0, evictedEntries: 0 });
    expect(out.memoryBytes).toBe(1_060_485 * 120 + 2 ** 21 * calibrated('ebpf.htabBucketBytes'));
    expect(out.peakMemoryBytes).toBe(out.memoryBytes);
  });

  it('over capacity: nf_conntrack drops SYNs (1 + 6 retransmissions per failed connection), Cilium evicts', async () => {
    const args = ['--connections', '800', '--max-entries', '500', '--json'];
    const [nf, cilium] = (await Promise.all([runCli(['conntrack', '--impl', 'nf_conntrack', ...args]), runCli(['conntrack', '--impl', 'cilium-ct', ...args])])).map(parseJsonOnly);
    expect(nf).toMatchObject({ capacityEntries: 500, capacityFrom: 'explicit', connectionsFailed: 300, droppedNewConnections: 300 * 7, evictedEntries: 0 });
    expect(cilium).toMatchObject({ capacityEntries: 500, connectionsFailed: 0, droppedNewConnections: 0, evictedEntries: 300 });
  });

  it('--without-kube-proxy on an old kernel uses 4 x buckets', async () => {
    const out = parseJsonOnly(
      await runCli(['conntrack', '--impl', 'nf_conntrack', '--connections', '10', '--memory-bytes', String(GiB), '--kernel-version', '5.10', '--without-kube-proxy', '--json']),
    );
    expect(out).toMatchObject({ capacityEntries: 4 * (GiB / 16_384), capacityFrom: 'kernel-default', kubeProxy: false });
  });
});

describe('svcpath conntrack table and help', () => {
  it('prints the node, the capacity and the counters', async () => {
    const r = await runCli(['conntrack', '--impl', 'cilium-ct', '--connections', '300', '--max-entries', '200', '--idle-fraction', '0.5']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Cilium CT map \(LRU\) on 8 cores, 32\.0 GiB RAM, kernel 6\.1; 300 connections/);
    expect(r.stdout).toMatch(/^capacity +200 entries \(--max-entries\)$/m);
    expect(r.stdout).toMatch(/^entries evicted \(LRU\) +100$/m);
    expect(r.stdout).toMatch(/^broken idle flows +\d+$/m);
  });

  it('--help describes the default node', async () => {
    const r = await runCli(['conntrack', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: svcpath conntrack --impl nf_conntrack\|cilium-ct --connections N/);
    expect(r.stdout).toMatch(/8 cores, 32 GiB of RAM/);
  });
});

describe('svcpath conntrack usage errors (exit 2, stderr names the flag, the value and what is allowed)', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown impl', ['--impl', 'ipvs', '--connections', '10'], /--impl: "ipvs" is not allowed; allowed: nf_conntrack, cilium-ct/],
    ['connections 0', ['--impl', 'cilium-ct', '--connections', '0'], /--connections: expected an integer in \[1, 10000000\], got "0"/],
    ['idle fraction 1.5', ['--impl', 'cilium-ct', '--connections', '10', '--idle-fraction', '1.5'], /--idle-fraction: expected a number in \[0, 1\], got "1\.5"/],
    ['kernel version', ['--impl', 'nf_conntrack', '--connections', '10', '--kernel-version', 'latest'], /--kernel-version: expected MAJOR\.MINOR .*got "latest"/],
    ['kube-proxy flag on cilium', ['--impl', 'cilium-ct', '--connections', '10', '--without-kube-proxy'], /--without-kube-proxy applies to --impl nf_conntrack only/],
    ['unknown flag', ['--impl', 'cilium-ct', '--connections', '10', '--bogus'], /unknown flag --bogus; allowed: --impl/],
  ];

  it('rejects each malformed invocation', async () => {
    const results = await Promise.all(cases.map(([, args]) => runCli(['conntrack', ...args])));
    results.forEach((r, i) => {
      const [name, args, pattern] = cases[i]!;
      const where = `${name}: ${args.join(' ')}\n${r.stderr}`;
      expect(r.status, where).toBe(2);
      expect(r.stdout, where).toBe('');
      expect(r.stderr, where).toMatch(/^svcpath conntrack: error: /);
      expect(r.stderr, where).toMatch(pattern);
      expect(r.stderr, where).toMatch(/\nusage: svcpath conntrack --impl /);
    });
  });
});
