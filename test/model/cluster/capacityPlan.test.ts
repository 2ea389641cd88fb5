/**
 * From a cluster profile to the model's inputs (clusterSpecs.ts) and the capacity plan
 * (capacityPlan.ts): node classes become the spec's node, configured conntrack sizes are
 * kube-proxy's max(maxPerCore x cores, min), growth scales exactly the quantity it names, the
 * first break of a series is its first point past a limit, and the iptables walk grows with the
 * Services while the maps stay flat.
 */
import { describe, expect, it } from 'vitest';
import { CLUSTER_PROFILE_SCHEMA, type ClusterProfile, type NodeClass } from '../../../model/cluster/clusterProfile.ts';
import { clusterPropagationFields, clusterServices, clusterSpecFields, configuredConntrackEntries, nodeClassOf, nodeClassSpec, workerClasses } from '../../../model/cluster/clusterSpecs.ts';
import { firstBreaks, planCapacity, PLAN_DIMENSIONS, type PlanPoint } from '../../../model/cluster/capacityPlan.ts';
import { nodePreset } from '../../../model/node/nodePreset.ts';
import { defaultNfConntrackSizingParams } from '../../../model/conntrack/nfConntrackSizing.ts';

const workers: NodeClass = {
  name: 'm5.2xlarge', count: 12, cpuCores: 8, memoryBytes: 32 * 2 ** 30, kernelVersion: '5.15.0-1051-aws', architecture: 'amd64', instanceType: 'm5.2xlarge',
  provider: 'aws', controlPlaneNodes: 0, nodePreset: 'cloud-up-to-10g', cpuGhz: null, exampleNodes: ['w1'],
};
const controlPlane: NodeClass = { ...workers, name: 'm5.xlarge', count: 3, cpuCores: 4, controlPlaneNodes: 3, instanceType: 'm5.xlarge' };

/** A profile as svcpath import writes it, with `services` ClusterIP ports of 3 endpoints and, optionally, KUBE-SERVICES positions. */
function profile(services: number, positions: number[] | null = null, over: Partial<ClusterProfile> = {}): ClusterProfile {
  const summary = { mean: 3, p50: 3, p99: 3, max: 3 };
  return {
    schema: CLUSTER_PROFILE_SCHEMA, name: 'test', sources: [], objects: {}, skipped: {}, warnings: [],
    proxyMode: 'iptables',
    proxy: { mode: 'iptables', datapath: 'kube-proxy-iptables', decidedBy: 'test', kubeProxy: { configuredMode: '', minSyncPeriodSec: 10, syncPeriodSec: null, conntrackMaxPerCore: null, conntrackMin: null, from: [] }, cilium: null },
    services: { total: services, clusterIP: services, nodePort: 0, loadBalancer: 0, externalName: 0, headless: 0, withoutSelector: 0, dualStack: 0, ipv6Only: 0, withExternalIPs: 0, ports: services },
    primaryFamily: 'IPv4', servicePorts: services, servicePortsWithEndpoints: services, endpointsPerServicePort: summary,
    families: { IPv4: { servicePorts: services, servicePortsWithEndpoints: services, endpointsPerServicePort: summary, endpointsHistogram: [[3, services]], endpoints: { ready: 3 * services, serving: 3 * services, terminating: 0, usable: 3 * services }, kubeServicesRulesPredicted: services + 1, natRulesPredicted: 0 }, IPv6: null },
    kubeServicesRules: positions === null ? null : services + 1, servicePositions: positions, iptables: [], nftables: [], ciliumLb: [],
    conntrackEntries: null, nodes: 15, nodeClasses: [workers, controlPlane],
    ...over,
  };
}

describe('cluster specs', () => {
  it('a node class is the spec\'s node: cores, memory, kernel, its preset\'s clock unless it states its own, its provider\'s NIC', () => {
    const preset = nodePreset('cloud-up-to-10g');
    expect(nodeClassSpec(workers)).toEqual({ cores: 8, nodeMemoryBytes: 32 * 2 ** 30, kernelMajor: 5, kernelMinor: 15, cpuFreqHz: preset.cpuMaxFreqHz, nic: 'ena' });
    expect(nodeClassSpec({ ...workers, cpuGhz: 2.5 }).cpuFreqHz).toBe(2.5e9);
    expect(nodeClassSpec({ ...workers, provider: 'gce' }).nic).toBe('gvnic');
    expect(nodeClassSpec({ ...workers, provider: 'azure' }).nic).toBe(preset.nic);
    expect(nodeClassSpec({ ...workers, provider: null, nodePreset: 'bare-metal-10g' }).nic).toBe(nodePreset('bare-metal-10g').nic);
  });

  it('the default class is the largest with workers; plans cover classes with workers', () => {
    const p = profile(10);
    expect(nodeClassOf(p)!.name).toBe('m5.2xlarge');
    expect(nodeClassOf(p, 'm5.xlarge')!.cpuCores).toBe(4);
    expect(() => nodeClassOf(p, 'nope')).toThrow(/node class "nope" is not in the profile; allowed: "m5.2xlarge", "m5.xlarge"/);
    expect(workerClasses(p).map((k) => k.name)).toEqual(['m5.2xlarge']);
  });

  it('configured conntrack sizes: kube-proxy\'s max(maxPerCore x cores, min), Cilium\'s bpf-ct-global-tcp-max, else the model\'s default', () => {
    const kp = (maxPerCore: number | null, min: number | null): ClusterProfile => {
      const p = profile(10);
      return { ...p, proxy: { ...p.proxy, kubeProxy: { ...p.proxy.kubeProxy!, conntrackMaxPerCore: maxPerCore, conntrackMin: min } } };
    };
    expect(configuredConntrackEntries(kp(null, null), 'kube-proxy-iptables', 8)).toBeUndefined();
    expect(configuredConntrackEntries(kp(65_536, null), 'kube-proxy-iptables', 8)).toBe(Math.max(65_536 * 8, defaultNfConntrackSizingParams.kubeProxyMinEntries));
    expect(configuredConntrackEntries(kp(null, 1_000_000), 'kube-proxy-nftables', 8)).toBe(1_000_000);
    const cil = profile(10);
    const withCilium = { ...cil, proxy: { ...cil.proxy, cilium: { kubeProxyReplacement: 'true', socketLb: null, ctGlobalTcpMax: 524_288, ctGlobalAnyMax: null, mapDynamicSizeRatio: null, from: [] } } };
    expect(configuredConntrackEntries(withCilium, 'cilium-tc', 8)).toBe(524_288);
    expect(configuredConntrackEntries(withCilium, 'kube-proxy-iptables', 8)).toBeUndefined();
  });

  it('iptables holds the whole KUBE-SERVICES chain and its real positions; growth stretches both and keeps each position inside the chain', () => {
    const positions = [1, 2, 3, 40, 99];
    const p = { ...profile(100, positions), kubeServicesRules: 120 };
    expect(clusterServices(p, 'kube-proxy-iptables')).toEqual({ services: 119, endpointsPerService: 3, servicePositions: positions, positionsFrom: 'iptables-save' });
    const grown = clusterServices(p, 'kube-proxy-iptables', { services: 10, endpoints: 1, connections: 1 });
    expect(grown.services).toBe(1190);
    expect(grown.servicePositions).toEqual(positions.map((x) => x * 10));
    expect(clusterServices(p, 'kube-proxy-nftables')).toEqual({ services: 100, endpointsPerService: 3, servicePositions: undefined, positionsFrom: 'uniform' });
    expect(clusterServices(profile(100), 'kube-proxy-iptables').positionsFrom).toBe('uniform');
    expect(clusterServices(p, 'cilium-tc', { services: 1, endpoints: 4, connections: 1 }).endpointsPerService).toBe(12);
  });

  it('growth scales exactly the quantity it names', () => {
    const p = profile(1000);
    const base = clusterSpecFields(p, workers, 'kube-proxy-nftables', 500);
    expect(clusterSpecFields(p, workers, 'kube-proxy-nftables', 500, { services: 1, endpoints: 1, connections: 4 })).toEqual({ ...base, connectionsPerSec: 2000 });
    expect(clusterSpecFields(p, workers, 'kube-proxy-nftables', 500, { services: 5, endpoints: 1, connections: 1 })).toEqual({ ...base, services: 5000 });
    expect(clusterPropagationFields(p, 'kube-proxy-iptables')).toEqual({ nodes: 15, services: 1000, endpointsPerService: 3, minSyncPeriodSec: 10 });
    expect(clusterPropagationFields(p, 'cilium-tc', { services: 2, endpoints: 2, connections: 1 })).toEqual({ nodes: 15, services: 2000, endpointsPerService: 6 });
  });

  it('a profile without Service ports with endpoints has nothing to plan', () => {
    expect(() => clusterServices(profile(0), 'kube-proxy-iptables')).toThrow(/no Service ports with endpoints/);
  });
});

describe('the capacity plan', () => {
  const measured = 50_000;
  const p = profile(5000, null, { conntrackEntries: measured });
  const plan = planCapacity(p, {
    datapaths: ['kube-proxy-iptables', 'kube-proxy-nftables'], growth: [10, 3], connectionsPerSec: 200, sloP99Us: 1000, programmingSloSec: 30,
    seed: 3, packetBudget: 20_000, propagationDurationSec: 60,
  });
  const at = (dp: string, dim: string, f: number): PlanPoint => plan.points.find((q) => q.datapath === dp && q.dimension === dim && q.factor === f)!;

  it('has one point per class, datapath, dimension and factor (1 always), today\'s shared by the three dimensions', () => {
    expect(plan.points).toHaveLength(1 * 2 * PLAN_DIMENSIONS.length * 3);
    for (const dp of ['kube-proxy-iptables', 'kube-proxy-nftables']) {
      const today = at(dp, 'services', 1);
      for (const dim of PLAN_DIMENSIONS) expect({ ...at(dp, dim, 1), dimension: 'services' }).toEqual(today);
      expect(at(dp, 'services', 10).services).toBe(today.services * 10);
      expect(at(dp, 'endpoints', 3).endpointsPerService).toBe(today.endpointsPerService * 3);
      expect(at(dp, 'connections', 10).connectionsPerSec).toBe(today.connectionsPerSec * 10);
    }
  });

  it('the iptables walk grows with the Services; the nftables maps do not', () => {
    expect(at('kube-proxy-iptables', 'services', 10).firstPacketP50Us).toBeGreaterThan(2 * at('kube-proxy-iptables', 'services', 1).firstPacketP50Us);
    expect(at('kube-proxy-nftables', 'services', 10).firstPacketP50Us / at('kube-proxy-nftables', 'services', 1).firstPacketP50Us).toBeLessThan(1.2);
  });

  it('the measured conntrack count grows with the connection rate, for today\'s datapath only', () => {
    for (const f of [1, 3, 10]) {
      const q = at('kube-proxy-iptables', 'connections', f);
      expect(q.measuredConntrackFill).toBeCloseTo((measured * f) / q.conntrackCapacityEntries, 12);
      expect(at('kube-proxy-nftables', 'connections', f).measuredConntrackFill).toBeNull();
    }
  });

  it('on a cloud VM\'s class the allowance fill is the rate over what the allowances pass: linear in the rate, a break from 1 on; none on bare metal', () => {
    const q1 = at('kube-proxy-iptables', 'connections', 1);
    expect(q1.cloudAllowanceFill).toBeGreaterThan(0);
    expect(at('kube-proxy-iptables', 'connections', 10).cloudAllowanceFill! / q1.cloudAllowanceFill!).toBeCloseTo(10, 9);
    for (const q of plan.points) expect(q.breaks.includes('cloud allowance')).toBe(q.cloudAllowanceFill! >= 1);
    const opts = { datapaths: ['cilium-tc'] as const, growth: [1], sloP99Us: 1e6, programmingSloSec: 1e6, seed: 3, packetBudget: 5_000, propagationDurationSec: 60 };
    const busy = planCapacity(profile(100, null, { nodeClasses: [workers] }), { ...opts, datapaths: [...opts.datapaths], connectionsPerSec: 30_000 });
    expect(busy.points[0]!.cloudAllowanceFill).toBeGreaterThan(1);
    expect(busy.firstBreaks.find((b) => b.dimension === 'connections')!.causes).toContain('cloud allowance');
    expect(busy.points[0]!.breaks).toContain('cloud allowance');
    const metal = planCapacity(profile(100, null, { nodeClasses: [{ ...workers, provider: null, nodePreset: 'bare-metal-10g' }] }), { ...opts, datapaths: [...opts.datapaths], connectionsPerSec: 30_000 });
    expect(metal.points[0]!.cloudAllowanceFill).toBeNull();
    expect(metal.points[0]!.breaks).not.toContain('cloud allowance');
  });

  it('programming latency does not depend on the connection rate', () => {
    for (const f of [3, 10]) expect(at('kube-proxy-iptables', 'connections', f).programmingP99Sec).toBe(at('kube-proxy-iptables', 'services', 1).programmingP99Sec);
  });

  it('a series first breaks at its first point past a limit', () => {
    const fake = (factor: number, breaks: PlanPoint['breaks']): PlanPoint => ({ ...at('kube-proxy-iptables', 'services', 1), factor, breaks });
    expect(firstBreaks([fake(1, []), fake(5, ['drops']), fake(2, ['first-packet p99', 'conntrack full'])])).toEqual([
      { nodeClass: 'm5.2xlarge', datapath: 'kube-proxy-iptables', dimension: 'services', factor: 2, causes: ['first-packet p99', 'conntrack full'] },
    ]);
    expect(firstBreaks([fake(1, []), fake(10, [])])[0]!.factor).toBeNull();
    for (const b of plan.firstBreaks) {
      const series = plan.points.filter((q) => q.datapath === b.datapath && q.dimension === b.dimension && q.nodeClass === b.nodeClass);
      const broken = series.filter((q) => q.breaks.length > 0).map((q) => q.factor);
      expect(b.factor).toBe(broken.length === 0 ? null : Math.min(...broken));
    }
  });

  it('iptables runs at the cluster\'s real positions: Services at the end of the chain take longer than at its start', () => {
    const at = (positions: number[]): PlanPoint =>
      planCapacity(profile(20_000, positions), { ...plan.options, datapaths: ['kube-proxy-iptables'], growth: [1] }).points[0]!;
    const early = at(Array.from({ length: 100 }, (_, i) => i + 1));
    const late = at(Array.from({ length: 100 }, (_, i) => 19_901 + i));
    expect(early.positionsFrom).toBe('iptables-save');
    expect(late.firstPacketP50Us).toBeGreaterThan(early.firstPacketP50Us);
  });

  it('is deterministic for a seed', () => {
    const again = planCapacity(p, { ...plan.options, datapaths: ['kube-proxy-iptables'], growth: [3] });
    expect(again.points.filter((q) => q.factor <= 3)).toEqual(plan.points.filter((q) => q.datapath === 'kube-proxy-iptables' && q.factor <= 3));
  });
});
