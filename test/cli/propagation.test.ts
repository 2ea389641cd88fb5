import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './runCli.ts';
import { kubeProxySyncSec } from '../../model/controlplane/index.ts';

function parseJsonOnly(r: CliResult): Record<string, any> {
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, any>;
}

const common = ['--nodes', '200', '--services', '5000', '--endpoints', '3', '--duration-sec', '120', '--json'];

describe('svcpath propagation --json', () => {
  it('gives programmingLatencySec {p50, p90, p99, mean} and fullSyncSec for each proxy; minSyncPeriod 10 s is slower than 1 s', async () => {
    const [ipt1, ipt10, nft, cil] = (await Promise.all([
      runCli(['propagation', '--proxy', 'kube-proxy-iptables', ...common]),
      runCli(['propagation', '--proxy', 'kube-proxy-iptables', '--min-sync-period-sec', '10', ...common]),
      runCli(['propagation', '--proxy', 'kube-proxy-nftables', ...common]),
      runCli(['propagation', '--proxy', 'cilium', ...common]),
    ])).map(parseJsonOnly);
    for (const out of [ipt1!, ipt10!, nft!, cil!]) {
      for (const q of ['p50', 'p90', 'p99', 'mean']) expect(typeof out.programmingLatencySec[q], q).toBe('number');
      expect(typeof out.fullSyncSec).toBe('number');
      expect(out).toMatchObject({ nodes: 200, services: 5000, endpointsPerService: 3, durationSec: 120, seed: 1, unprogrammed: 0 });
    }
    expect(ipt1!.minSyncPeriodSec).toBe(1);
    expect(ipt10!.minSyncPeriodSec).toBe(10);
    expect(cil!.minSyncPeriodSec).toBeNull();
    expect(ipt1!.fullSyncSec).toBeCloseTo(kubeProxySyncSec('iptables', 5000, 3, 5000, true), 9);
    expect(nft!.fullSyncSec).toBeCloseTo(kubeProxySyncSec('nftables', 5000, 3, 5000, true), 9);
    expect(ipt10!.programmingLatencySec.p50).toBeGreaterThan(ipt1!.programmingLatencySec.p50);
    expect(cil!.programmingLatencySec.p50).toBeLessThan(ipt1!.programmingLatencySec.p50);
  });

  it('the same seed gives the same answer', async () => {
    const args = ['propagation', '--proxy', 'kube-proxy-nftables', ...common, '--seed', '7'];
    const [a, b] = (await Promise.all([runCli(args), runCli(args)])).map(parseJsonOnly);
    expect(a).toEqual(b);
  });
});

describe('svcpath propagation table and help', () => {
  it('prints the latency quantiles and the sync costs', async () => {
    const r = await runCli(['propagation', '--proxy', 'kube-proxy-iptables', '--nodes', '100', '--services', '30000', '--endpoints', '3', '--duration-sec', '60']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^kube-proxy-iptables: 100 nodes, 30,000 Services x 3 endpoints, 1 endpoint changes\/s/);
    expect(r.stdout).toMatch(/^pod change -> programmed on a node +[\d.]+ +[\d.]+ +[\d.]+/m);
    expect(r.stdout).toMatch(/^full sync \(whole ruleset\) +[\d.]+ s \(iptables-restore of [\d,]+ lines\)$/m);
  });

  it('--help names every flag and the defaults', async () => {
    const r = await runCli(['propagation', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: svcpath propagation --proxy kube-proxy-iptables\|kube-proxy-nftables\|cilium/);
    for (const flag of ['--nodes', '--services', '--endpoints', '--min-sync-period-sec', '--churn-per-sec', '--duration-sec', '--seed', '--json']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toMatch(/default 1; large\s+clusters' perf tests use 10/);
  });
});

describe('svcpath propagation usage errors (exit 2, stderr names the flag, the value and what is allowed)', () => {
  const req = ['--nodes', '10', '--services', '10', '--endpoints', '1'];
  const cases: [string, string[], RegExp][] = [
    ['unknown proxy', ['--proxy', 'ipvs', ...req], /--proxy: "ipvs" is not allowed; allowed: kube-proxy-iptables, kube-proxy-nftables, cilium/],
    ['nodes 0', ['--proxy', 'cilium', '--nodes', '0', '--services', '10', '--endpoints', '1'], /--nodes: expected an integer in \[1, 100000\], got "0"/],
    ['missing services', ['--proxy', 'cilium', '--nodes', '10', '--endpoints', '1'], /--services is required/],
    ['negative min sync', ['--proxy', 'kube-proxy-iptables', ...req, '--min-sync-period-sec', '-1'], /--min-sync-period-sec: expected a number in \[0, 3600\], got "-1"/],
    ['min sync on cilium', ['--proxy', 'cilium', ...req, '--min-sync-period-sec', '1'], /--min-sync-period-sec applies to kube-proxy only/],
    ['churn 0', ['--proxy', 'cilium', ...req, '--churn-per-sec', '0'], /--churn-per-sec: expected a number > 0, got "0"/],
    ['unknown flag', ['--proxy', 'cilium', ...req, '--bogus', '1'], /unknown flag --bogus; allowed: --proxy/],
  ];

  it('rejects each malformed invocation', async () => {
    const results = await Promise.all(cases.map(([, args]) => runCli(['propagation', ...args])));
    results.forEach((r, i) => {
      const [name, args, pattern] = cases[i]!;
      const where = `${name}: ${args.join(' ')}\n${r.stderr}`;
      expect(r.status, where).toBe(2);
      expect(r.stdout, where).toBe('');
      expect(r.stderr, where).toMatch(pattern);
      expect(r.stderr, where).toMatch(/usage: svcpath propagation --proxy/);
    });
  });
});
