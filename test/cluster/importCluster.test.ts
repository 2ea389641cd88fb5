/**
 * `importCluster` on fixtures built with kubernetes-models (clusterFixtures.ts): what the profile
 * says is checked against what the definitions say kube-proxy programs (expectedPrograms), and
 * the nat table kube-proxy would write for them parses back to the same profile, whose rule
 * counts are those of model/lookup/kubeProxyIptablesRules.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importCluster } from '../../experiments/cluster/importCluster.ts';
import { parseIptablesSave } from '../../experiments/cluster/parseIptablesSave.ts';
import { profileProblem } from '../../experiments/cluster/profileSchema.ts';
import { histogramOfValues, summarizeHistogram } from '../../model/cluster/countSummary.ts';
import { natRuleCount, kubeServicesChainRules, sharedNatRules } from '../../model/lookup/kubeProxyIptablesRules.ts';
import type { ClusterProfile, IpFamily } from '../../model/cluster/clusterProfile.ts';
import { DaemonSet } from 'kubernetes-models/apps/v1';
import {
  MAX_ENDPOINTS_PER_SLICE, ciliumObjects, clusterItems, devCluster, expectedPrograms, kubeProxyConfigMap, kubeProxyNatTable, kubectlList, multiTenantCluster, skewedCluster,
  sliceObjects, type ServiceDef,
} from './clusterFixtures.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'svcpath-import-'));
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** What the profile's family should hold, from the definitions. */
function expectedFamily(defs: readonly ServiceDef[], family: IpFamily) {
  const programs = expectedPrograms(defs).filter((p) => p.family === family);
  const withEndpoints = programs.filter((p) => p.endpoints > 0);
  const histogram = histogramOfValues(withEndpoints.map((p) => p.endpoints));
  const kubeServices = withEndpoints.reduce((s, p) => s + 1 + (p.def.externalIPs?.length ?? 0) + (p.def.loadBalancerIngress?.length ?? 0), 0);
  return { servicePorts: programs.length, withEndpoints: withEndpoints.length, histogram, summary: summarizeHistogram(histogram), kubeServicesRules: kubeServices + 1 };
}

function checkFamilies(p: ClusterProfile, defs: readonly ServiceDef[]): void {
  for (const family of ['IPv4', 'IPv6'] as const) {
    const e = expectedFamily(defs, family);
    const f = p.families[family];
    if (e.servicePorts === 0) {
      expect(f).toBeNull();
      continue;
    }
    expect(f, family).not.toBeNull();
    expect(f!.servicePorts, family).toBe(e.servicePorts);
    expect(f!.servicePortsWithEndpoints, family).toBe(e.withEndpoints);
    expect(f!.endpointsHistogram, family).toEqual(e.histogram);
    expect(f!.endpointsPerServicePort, family).toEqual(e.summary);
    expect(f!.kubeServicesRulesPredicted, family).toBe(e.kubeServicesRules);
  }
}

describe('a small dev cluster with every awkward case', () => {
  const dev = devCluster();
  let profile: ClusterProfile;
  beforeAll(async () => {
    const objects = file('dev.json', kubectlList(clusterItems(dev.services, dev.nodes, dev.extras)));
    const cm = file('kube-proxy-cm.json', JSON.stringify(kubeProxyConfigMap('', '10s'), null, 2));
    profile = await importCluster([{ path: objects }, { path: cm }], { name: 'dev' });
  });

  it('is a valid profile', () => {
    expect(profileProblem(profile)).toBeNull();
  });

  it('counts Services by type, selector and family as the definitions have them', () => {
    const s = dev.services;
    expect(profile.services).toEqual({
      total: s.length,
      clusterIP: s.filter((d) => (d.type ?? 'ClusterIP') === 'ClusterIP' && !d.headless).length,
      nodePort: s.filter((d) => d.type === 'NodePort').length,
      loadBalancer: s.filter((d) => d.type === 'LoadBalancer').length,
      externalName: s.filter((d) => d.type === 'ExternalName').length,
      headless: s.filter((d) => d.headless).length,
      withoutSelector: s.filter((d) => d.selector === false && d.type !== 'ExternalName').length,
      dualStack: s.filter((d) => d.families?.length === 2).length,
      ipv6Only: s.filter((d) => d.families?.length === 1 && d.families[0] === 'IPv6').length,
      withExternalIPs: s.filter((d) => (d.externalIPs?.length ?? 0) > 0).length,
      ports: s.filter((d) => !d.headless && d.type !== 'ExternalName').reduce((n, d) => n + d.ports.length, 0),
    });
  });

  it('programs per family with kube-proxy\'s usable endpoints (ready, else serving and terminating); headless and ExternalName program nothing', () => {
    checkFamilies(profile, dev.services);
    expect(profile.primaryFamily).toBe('IPv4');
    expect(profile.servicePorts).toBe(profile.families.IPv4!.servicePorts);
    // The draining Service has no ready endpoint: its two serving, terminating ones carry traffic.
    const draining = expectedPrograms(dev.services).find((p) => p.service === 'shop/draining')!;
    expect(draining.endpoints).toBe(2);
    // The empty Service's port is programmed but has no endpoints.
    expect(profile.families.IPv4!.servicePorts - profile.families.IPv4!.servicePortsWithEndpoints).toBe(1);
  });

  it('counts skipped objects by reason: unknown kinds, custom resources, FQDN and unlabelled slices, slices of missing Services', () => {
    expect(profile.skipped).toMatchObject({
      'kind Pod (not used)': 1,
      'custom resource CiliumNetworkPolicy (cilium.io)': 1,
      'EndpointSlice of addressType FQDN (kube-proxy ignores them)': 1,
      'EndpointSlice without a kubernetes.io/service-name label (kube-proxy ignores it)': 1,
      'EndpointSlice whose Service is not in the dumps': 1,
    });
  });

  it('groups nodes into classes with cores, memory and kernel; cloud nodes are cloud VMs', () => {
    expect(profile.nodes).toBe(dev.nodes.length);
    const workers = profile.nodeClasses.find((k) => k.instanceType === 'm5.2xlarge')!;
    expect(workers).toMatchObject({ count: 3, cpuCores: 8, kernelVersion: '5.15.0-1051-aws', provider: 'aws', nodePreset: 'cloud-up-to-10g', controlPlaneNodes: 0 });
    expect(workers.memoryBytes).toBe(32_386_280 * 1024);
    const cp = profile.nodeClasses.find((k) => k.instanceType === 'm5.xlarge')!;
    expect(cp).toMatchObject({ count: 1, cpuCores: 4, memoryBytes: 16 * 2 ** 30, controlPlaneNodes: 1 });
    expect(profile.nodeClasses[0]!.name).toBe('m5.2xlarge');
  });

  it('reads the proxy mode and sync period from the kube-proxy ConfigMap (mode "" is iptables)', () => {
    expect(profile.proxyMode).toBe('iptables');
    expect(profile.proxy.datapath).toBe('kube-proxy-iptables');
    expect(profile.proxy.kubeProxy).toMatchObject({ configuredMode: '', minSyncPeriodSec: 10, syncPeriodSec: 30, conntrackMaxPerCore: 65536, conntrackMin: null });
  });

  it('the nat table kube-proxy writes for it parses back to the same programs, and its rule counts are the model\'s', async () => {
    const nat = kubeProxyNatTable(dev.services, 7);
    const [ipt] = parseIptablesSave(nat.text, 'dev-nat');
    const f = profile.families.IPv4!;
    expect(ipt!.family).toBe('IPv4');
    expect(ipt!.servicePortsWithEndpoints).toBe(f.servicePortsWithEndpoints);
    expect(ipt!.endpointsHistogram).toEqual(f.endpointsHistogram);
    expect(ipt!.kubeServicesRules).toBe(nat.kubeServicesRules);
    expect(ipt!.kubeServicesRules).toBe(f.kubeServicesRulesPredicted);
    expect(ipt!.servicePositions).toEqual([...nat.positions.values()].sort((a, b) => a - b));
    expect(ipt!.programsNotMatchingModel).toBe(0);
    expect(ipt!.kubeProxyNatRules).toBe(f.natRulesPredicted);
    // Imported together, objects and rules agree: no warning, and the positions are the dump's.
    const withRules = await importCluster(
      [{ path: file('dev2.json', kubectlList(clusterItems(dev.services, dev.nodes))) }, { path: file('dev-nat.txt', nat.text) }],
      { name: 'dev' },
    );
    expect(withRules.warnings).toEqual([]);
    expect(withRules.kubeServicesRules).toBe(nat.kubeServicesRules);
    expect(withRules.servicePositions).toEqual(ipt!.servicePositions);
  });
});

describe('a 5,000-Service multi-tenant cluster', () => {
  const mt = multiTenantCluster();
  let profile: ClusterProfile;
  beforeAll(async () => {
    profile = await importCluster([{ path: file('mt.json', kubectlList(clusterItems(mt.services, mt.nodes))) }], { name: 'mt' });
  });

  it('has every Service port, endpoints per port as defined, and the predicted KUBE-SERVICES length', () => {
    expect(profile.services.total).toBe(5000);
    checkFamilies(profile, mt.services);
    expect(profile.families.IPv6).toBeNull();
  });

  it('splits nodes by size and kernel into three classes', () => {
    expect(profile.nodeClasses.map((k) => [k.count, k.cpuCores, k.kernelVersion])).toEqual([
      [40, 16, '6.1.0-18-amd64'],
      [10, 32, '6.1.0-18-amd64'],
      [10, 32, '6.1.0-21-amd64'],
    ]);
    expect(new Set(profile.nodeClasses.map((k) => k.name)).size).toBe(3);
    expect(profile.nodeClasses.every((k) => k.nodePreset === 'bare-metal-10g')).toBe(true);
  });

  it('with the nat table: the cross-check of rule counts against kubeProxyIptablesRules for ClusterIP-only Services', () => {
    const clusterIpOnly = mt.services.filter((d) => d.type === undefined);
    const nat = kubeProxyNatTable(clusterIpOnly, 3);
    const [ipt] = parseIptablesSave(nat.text);
    const programs = expectedPrograms(clusterIpOnly).filter((p) => p.endpoints > 0);
    expect(ipt!.servicePortsWithEndpoints).toBe(programs.length);
    expect(ipt!.kubeServicesRules).toBe(kubeServicesChainRules(programs.length));
    expect(ipt!.kubeProxyNatRules).toBe(natRuleCount(programs.length, programs.map((p) => p.endpoints)));
    // The three jumps from the built-in chains are the only rules that are not kube-proxy's chains.
    expect(ipt!.natRules - ipt!.kubeProxyNatRules).toBe(3);
    expect(sharedNatRules()).toBe((ipt!.rulesByChainKind['KUBE-MARK-MASQ'] ?? 0) + (ipt!.rulesByChainKind['KUBE-POSTROUTING'] ?? 0) + 1);
  });
});

describe('a 30,000-Service cluster with skewed endpoints', () => {
  const sk = skewedCluster();
  let profile: ClusterProfile;
  let nat: ReturnType<typeof kubeProxyNatTable>;
  beforeAll(async () => {
    nat = kubeProxyNatTable(sk.services, 11);
    profile = await importCluster([{ path: file('sk.json', kubectlList(clusterItems(sk.services, sk.nodes))) }, { path: file('sk-nat.txt', nat.text) }], { name: 'sk' });
  }, 120_000);

  it('joins slices split at 100 endpoints, and its endpoint percentiles are those of the definitions', () => {
    const slices = sk.services.reduce((n, d) => n + sliceObjects(d).length, 0);
    expect(slices).toBeGreaterThan(sk.services.length);
    expect(sk.services.some((d) => (d.endpoints?.IPv4?.length ?? 0) > 10 * MAX_ENDPOINTS_PER_SLICE)).toBe(true);
    checkFamilies(profile, sk.services);
    const e = expectedFamily(sk.services, 'IPv4').summary;
    expect(profile.endpointsPerServicePort).toEqual(e);
    expect(e.max).toBeGreaterThan(10 * e.p50);
  });

  it('reads the real positions of a large cluster\'s table (no endpoint comments above 1000 endpoints)', () => {
    expect(profile.warnings).toEqual([]);
    expect(profile.kubeServicesRules).toBe(nat.kubeServicesRules);
    expect(profile.servicePositions).toHaveLength(profile.servicePortsWithEndpoints);
    expect(profile.servicePositions).toEqual([...nat.positions.values()].sort((a, b) => a - b));
    expect(profile.iptables[0]!.programsNotMatchingModel).toBe(0);
    expect(profile.iptables[0]!.kubeProxyNatRules).toBe(profile.families.IPv4!.natRulesPredicted);
  });
});

describe('the proxy mode, from the settings a cluster has', () => {
  const dev = devCluster();
  const objects = (): string => file('modes.json', kubectlList(clusterItems(dev.services.slice(0, 3), dev.nodes)));
  const mode = async (extra: unknown[]): Promise<ClusterProfile> =>
    importCluster([{ path: objects() }, { path: file(`settings-${Math.random().toString(36).slice(2)}.json`, kubectlList(extra)) }], { name: 'm' });
  const kubeProxyDs = (args: string[]): unknown => {
    const ds = new DaemonSet({
      metadata: { name: 'kube-proxy', namespace: 'kube-system' },
      spec: {
        selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
        template: { metadata: { labels: { 'k8s-app': 'kube-proxy' } }, spec: { containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.29.0', command: ['/usr/local/bin/kube-proxy'], args }] } },
      },
    });
    ds.validate();
    return ds.toJSON();
  };

  it('Cilium with kube-proxy replacement: socket LB unless bpf-lb-sock is false', async () => {
    expect((await mode(ciliumObjects('true', null))).proxy).toMatchObject({ mode: 'cilium-kube-proxy-replacement', datapath: 'cilium-socket-lb', cilium: { kubeProxyReplacement: 'true', ctGlobalTcpMax: 524288 } });
    expect((await mode(ciliumObjects('strict', false))).proxy.datapath).toBe('cilium-tc');
  });

  it('Cilium without kube-proxy replacement leaves Services to kube-proxy, whose ConfigMap names the mode', async () => {
    const p = await mode([...ciliumObjects('false', null), kubeProxyConfigMap('nftables', '1s')]);
    expect(p.proxy).toMatchObject({ mode: 'nftables', datapath: 'kube-proxy-nftables' });
  });

  it('the kube-proxy DaemonSet\'s flags: IPVS is recognised and not modelled', async () => {
    const p = await mode([kubeProxyDs(['--proxy-mode=ipvs', '--iptables-min-sync-period=10s'])]);
    expect(p.proxy).toMatchObject({ mode: 'ipvs', datapath: null, kubeProxy: { minSyncPeriodSec: 10 } });
    expect(p.warnings.join('\n')).toMatch(/IPVS mode, which svcpath does not model/);
    expect((await mode([kubeProxyDs(['--config=/var/lib/kube-proxy/config.conf'])])).proxy.mode).toBe('iptables');
  });

  it('nothing about the proxy in the dumps: unknown, and the profile says what to add', async () => {
    const p = await mode([]);
    expect(p.proxy).toMatchObject({ mode: 'unknown', datapath: null });
    expect(p.proxy.decidedBy).toMatch(/add the kube-proxy ConfigMap or the kube-system DaemonSets/);
  });
});
