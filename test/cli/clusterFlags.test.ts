/**
 * `--cluster profile.json [--node-class NAME]` on path, capacity, conntrack, propagation and
 * throughput: each takes its defaults from the profile (the datapath, Services, endpoints and
 * positions, the node class's cores, clock, NIC, RAM, kernel and conntrack size, the cluster's
 * nodes and minSyncPeriod), flags given explicitly win, and mistakes exit 2 naming the flag.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, jsonOnly } from './runCli.ts';
import { clusterItems, devCluster, kubeProxyConfigMap, kubeProxyNatTable, kubectlList } from '../cluster/clusterFixtures.ts';
import type { ClusterProfile } from '../../model/cluster/clusterProfile.ts';
import { nodePreset } from '../../model/node/nodePreset.ts';

let dir: string;
let profilePath: string;
let profile: ClusterProfile;
const path = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'svcpath-cluster-flags-'));
  const dev = devCluster();
  writeFileSync(path('dev.json'), kubectlList(clusterItems(dev.services, dev.nodes, dev.extras)));
  writeFileSync(path('cm.json'), JSON.stringify(kubeProxyConfigMap('', '5s')));
  writeFileSync(path('nat.txt'), kubeProxyNatTable(dev.services, 5).text);
  profilePath = path('dev-profile.json');
  const r = await runCli(['import', path('dev.json'), path('cm.json'), path('nat.txt'), '--conntrack-count', '40000', '--name', 'dev', '--out', profilePath]);
  expect(r.status, r.stderr).toBe(0);
  profile = JSON.parse(readFileSync(profilePath, 'utf8')) as ClusterProfile;
});

describe('--cluster on the one-off commands', () => {
  it('path: the cluster\'s datapath, its KUBE-SERVICES chain, endpoints and the largest worker class\'s node; an explicit flag wins', async () => {
    const workers = profile.nodeClasses.find((k) => k.controlPlaneNodes === 0)!;
    const preset = nodePreset(workers.nodePreset);
    const [fromProfile, withFlag, again] = await Promise.all([
      runCli(['path', '--cluster', profilePath, '--json']),
      runCli(['path', '--cluster', profilePath, '--services', String(profile.kubeServicesRules! - 1), '--cores', '4', '--json']),
      runCli(['path', '--cluster', profilePath, '--json']),
    ]);
    const p = jsonOnly(fromProfile);
    expect(p).toMatchObject({
      datapath: 'kube-proxy-iptables', services: profile.kubeServicesRules! - 1, endpointsPerService: Math.round(profile.endpointsPerServicePort.mean),
      cores: workers.cpuCores, cpuFreqHz: preset.cpuMaxFreqHz, nic: 'ena',
    });
    expect(p.conntrackCapacityEntries).toBe(Math.max(65_536 * workers.cpuCores, 131_072));
    const f = jsonOnly(withFlag);
    expect(f).toMatchObject({ services: profile.kubeServicesRules! - 1, cores: 4 });
    // With --services the positions are uniform, so the first packets differ; the profile's own run repeats exactly.
    expect(f.firstPacketRttUs).not.toEqual(p.firstPacketRttUs);
    expect(jsonOnly(again)).toEqual(p);
  });

  it('capacity: the same defaults', async () => {
    const c = jsonOnly(await runCli(['capacity', '--cluster', profilePath, '--slo-p99-us', '400', '--json']));
    expect(c).toMatchObject({ datapath: 'kube-proxy-iptables', services: profile.kubeServicesRules! - 1 });
    expect(c.connectionsPerSec).toBeGreaterThan(0);
  });

  it('conntrack: nf_conntrack for kube-proxy, the measured count offered, the class\'s node and the configured table size', async () => {
    const workers = profile.nodeClasses[0]!;
    const c = jsonOnly(await runCli(['conntrack', '--cluster', profilePath, '--json']));
    expect(c).toMatchObject({
      impl: 'nf_conntrack', connectionsOffered: 40_000, cores: workers.cpuCores, nodeMemoryBytes: workers.memoryBytes, kernelVersion: workers.kernelVersion,
      capacityEntries: 65_536 * workers.cpuCores, capacityFrom: 'explicit',
    });
  });

  it('propagation: the cluster\'s proxy, nodes, Services, endpoints and minSyncPeriod', async () => {
    const p = jsonOnly(await runCli(['propagation', '--cluster', profilePath, '--duration-sec', '60', '--json']));
    expect(p).toMatchObject({
      proxy: 'kube-proxy-iptables', nodes: profile.nodes, services: profile.servicePortsWithEndpoints, endpointsPerService: Math.round(profile.endpointsPerServicePort.mean), minSyncPeriodSec: 5,
    });
  });

  it('throughput: the class\'s preset with its cores and RAM', async () => {
    const workers = profile.nodeClasses[0]!;
    const t = jsonOnly(await runCli(['throughput', '--cluster', profilePath, '--flows', '2', '--duration-sec', '30', '--json']));
    expect(t.datapath).toBe('kube-proxy-iptables');
    expect(t.node).toMatchObject({ name: workers.nodePreset, cores: workers.cpuCores, memoryBytes: workers.memoryBytes, nic: 'ena' });
  });

  it('--node-class picks another class', async () => {
    const cp = profile.nodeClasses.find((k) => k.controlPlaneNodes > 0)!;
    const p = jsonOnly(await runCli(['path', '--cluster', profilePath, '--node-class', cp.name, '--json']));
    expect(p.cores).toBe(cp.cpuCores);
  });

  it('mistakes exit 2 naming the flag', async () => {
    const ipvs = { ...profile, proxyMode: 'ipvs', proxy: { ...profile.proxy, mode: 'ipvs', datapath: null } };
    writeFileSync(path('ipvs.json'), JSON.stringify(ipvs));
    const cases: [string[], RegExp][] = [
      [['path', '--node-class', 'x', '--services', '10', '--endpoints', '3', '--datapath', 'cilium-tc'], /--node-class needs --cluster/],
      [['path', '--cluster', profilePath, '--node-class', 'x'], /--node-class: node class "x" is not in .*dev-profile\.json; allowed: /],
      [['conntrack', '--cluster', path('missing.json')], /--cluster: .*missing\.json: cannot read the cluster profile/],
      [['path', '--cluster', path('ipvs.json')], /--cluster: .*ipvs\.json runs proxy mode "ipvs", which svcpath does not model; give --datapath/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach((r, i) => {
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(cases[i]![1]);
    });
    // With --datapath the ipvs cluster's Services and nodes still serve as defaults.
    const p = jsonOnly(await runCli(['path', '--cluster', path('ipvs.json'), '--datapath', 'kube-proxy-nftables', '--json']));
    expect(p.services).toBe(profile.servicePortsWithEndpoints);
  });

  it('each command\'s --help describes --cluster and --node-class', async () => {
    const rs = await Promise.all(['path', 'capacity', 'conntrack', 'propagation', 'throughput'].map((c) => runCli([c, '--help'])));
    for (const r of rs) {
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/--cluster FILE +a cluster profile \(svcpath import\) supplies the defaults/);
      expect(r.stdout).toContain('--node-class NAME');
    }
  });
});
