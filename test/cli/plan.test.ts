/**
 * `svcpath plan` as a user runs it after `svcpath import`: the plan as JSON, its page (plan.json,
 * the charts, a copy of the profile), the link from the main report, and usage errors with exit 2.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, jsonOnly } from './runCli.ts';
import { clusterItems, devCluster, kubeProxyConfigMap, kubeProxyNatTable, kubectlList } from '../cluster/clusterFixtures.ts';

let dir: string;
let profile: string;
const path = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'svcpath-plan-'));
  const dev = devCluster();
  writeFileSync(path('dev.json'), kubectlList(clusterItems(dev.services, dev.nodes, dev.extras)));
  writeFileSync(path('cm.json'), JSON.stringify(kubeProxyConfigMap('', '1s')));
  writeFileSync(path('nat.txt'), kubeProxyNatTable(dev.services, 5).text);
  profile = path('dev-profile.json');
  const r = await runCli(['import', path('dev.json'), path('cm.json'), path('nat.txt'), '--conntrack-count', '30000', '--name', 'dev', '--out', profile]);
  expect(r.status, r.stderr).toBe(0);
});

describe('svcpath plan', () => {
  const quick = ['--quick', '--growth', '1,4', '--datapaths', 'kube-proxy-iptables,cilium-socket-lb'];

  it('--json prints the plan: a point per datapath, dimension and factor, the first breaks, and writes its page', async () => {
    const results = path('results');
    const out = join(results, 'plan-dev');
    const plan = jsonOnly(await runCli(['plan', '--cluster', profile, ...quick, '--out', out, '--json']));
    expect(plan).toMatchObject({ cluster: 'dev', proxyMode: 'iptables', currentDatapath: 'kube-proxy-iptables', nodes: 4, conntrackEntriesMeasured: 30000 });
    expect(plan.points).toHaveLength(2 * 3 * 2);
    for (const p of plan.points) {
      for (const f of ['firstPacketP50Us', 'firstPacketP99Us', 'conntrackFill', 'programmingP99Sec']) expect(typeof p[f], f).toBe('number');
      expect(p.nodeClass).toBe('m5.2xlarge');
    }
    expect(plan.points.filter((p: { datapath: string }) => p.datapath === 'kube-proxy-iptables').every((p: { positionsFrom: string }) => p.positionsFrom === 'iptables-save')).toBe(true);
    expect(plan.firstBreaks).toHaveLength(2 * 3);
    for (const f of ['index.html', 'plan.json', 'cluster-profile.json', 'chart-first-packet.svg', 'chart-programming.png', 'chart-conntrack.vl.json']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'))).toEqual(plan);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    for (const h of ['Capacity plan: dev', 'What breaks first', 'Today', 'As the cluster grows', 'Assumptions', 'Every point']) expect(html).toContain(h);
    expect(html).not.toMatch(/<script/);
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3);
    // The main report links it.
    mkdirSync(results, { recursive: true });
    const r = await runCli(['report', '--results', results]);
    expect(r.status, r.stderr).toBe(0);
    const index = readFileSync(join(results, 'index.html'), 'utf8');
    expect(index).toContain('<section id="plans">');
    expect(index).toContain('href="plan-dev/index.html"');
  });

  it('prints a summary table: today per datapath and what breaks first as each quantity grows', async () => {
    const r = await runCli(['plan', '--cluster', profile, ...quick, '--out', path('plan-table')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^capacity plan for "dev": 4 nodes, 10 Service ports with endpoints/);
    expect(r.stdout).toMatch(/^node class +datapath +p50 µs +p99 µs +conntrack +prog\. p99 s +Services grow +endpoints grow +connections grow$/m);
    expect(r.stdout).toMatch(/^m5\.2xlarge +kube-proxy-iptables +[\d.]+ +[\d.]+ +[\d.]+% +[\d.]+ /m);
    expect(r.stdout).toMatch(/^page: .*plan-table\/index\.html$/m);
  });

  it('usage errors exit 2 naming the flag, the value and what is allowed', async () => {
    const cases: [string[], RegExp][] = [
      [[], /--cluster is required/],
      [['--cluster', path('nope.json')], /--cluster: .*nope\.json: cannot read the cluster profile/],
      [['--cluster', path('dev.json')], /--cluster: .*dev\.json: not a cluster profile/],
      [['--cluster', profile, '--growth', '1,0'], /--growth: "0" is not allowed; allowed: numbers in \(0, 1000\]/],
      [['--cluster', profile, '--datapaths', 'ipvs'], /--datapaths: "ipvs" is not allowed; allowed: kube-proxy-iptables, kube-proxy-nftables, cilium-tc, cilium-socket-lb/],
      [['--cluster', profile, '--node-class', 'big'], /--node-class: "big" is not in .*; allowed: "m5\.2xlarge", "m5\.xlarge"/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(['plan', ...args])));
    results.forEach((r, i) => {
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(cases[i]![1]);
    });
  });

  it('a hand-edited profile with a bad value is refused naming the field', async () => {
    const edited = JSON.parse(readFileSync(profile, 'utf8'));
    edited.nodeClasses[0].cpuGhz = -1;
    writeFileSync(path('edited.json'), JSON.stringify(edited));
    const r = await runCli(['plan', '--cluster', path('edited.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--cluster: .*edited\.json: nodeClasses\[0\]\.cpuGhz: .*\(got -1\)/);
  });

  it('--help names every flag and the limits', async () => {
    const r = await runCli(['plan', '--help']);
    expect(r.status).toBe(0);
    for (const f of ['--cluster', '--datapaths', '--growth', '--node-class', '--connections-per-sec', '--slo-p99-us', '--programming-slo-sec', '--churn-per-sec', '--out', '--quick', '--seed', '--json']) {
      expect(r.stdout).toContain(f);
    }
  });
});
