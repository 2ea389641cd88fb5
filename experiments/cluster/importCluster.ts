/**
 * `svcpath import`'s work: read a cluster's dumps (each file's format recognised from its content,
 * sniffDump.ts), keep what the profile needs, and put the cluster profile together
 * (model/cluster/clusterProfile.ts). Kubernetes objects stream through one at a time
 * (jsonItems.ts); what stays in memory is per Service, per EndpointSlice and per Node, never the
 * files. The join happens at the end, so the files may come in any order: Services, their slices
 * (every slice of a Service, whatever file it is in, deduplicated by name), Nodes, and the
 * kube-proxy and Cilium settings. Rule dumps give the real KUBE-SERVICES positions and the
 * datapath's own view, which is compared with what the objects imply.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import {
  CLUSTER_PROFILE_SCHEMA, type CiliumLbProfile, type CiliumSettings, type ClusterProfile, type FamilyProfile, type IpFamily,
  type IptablesProfile, type KubeProxySettings, type NftablesProfile, type NodeClass, type ProxyProfile, type ServiceCounts,
} from '../../model/cluster/clusterProfile.ts';
import { EMPTY_COUNT_SUMMARY, histogramOf, summarizeHistogram } from '../../model/cluster/countSummary.ts';
import { kubeServicesRulesOfProgram, natRulesOfProgram } from '../../model/cluster/kubeProxyServiceRules.ts';
import { sharedNatRules, kubeServicesChainRules } from '../../model/lookup/kubeProxyIptablesRules.ts';
import { BYTES_PER_GIB } from '../../model/units.ts';
import { readDumpItems } from './jsonItems.ts';
import {
  ImportError, READY, SERVING, TERMINATING, isCloudProvider, readKubeObject,
  type CiliumConfigRecord, type KubeProxyConfigRecord, type NodeRecord, type ServiceRecord, type SliceRecord,
} from './kubeObjects.ts';
import { IptablesSaveReader } from './parseIptablesSave.ts';
import { parseNftRuleset } from './parseNftRuleset.ts';
import { parseCiliumBpfLbList, parseCiliumServiceList } from './parseCiliumLb.ts';
import { parseConntrackCount, sniffFile, type DumpFormat } from './sniffDump.ts';

/** Warnings kept in the profile at most (the rest are counted in the last one). */
const MAX_WARNINGS = 40; // calibration-exempt: a presentation bound
/** Node names kept per class. */
const EXAMPLE_NODES = 3; // calibration-exempt: a presentation bound

export interface ImportFile {
  readonly path: string;
  /** The format, when the user said it (a flag); otherwise recognised from the content. */
  readonly format?: DumpFormat;
}

export interface ImportOptions {
  readonly name: string;
  /** A conntrack count given on the command line (overrides a count file). */
  readonly conntrackEntries?: number;
  /** Called after each file with what it held (the CLI's progress on stderr). */
  readonly onFile?: (file: string, format: DumpFormat, used: number) => void;
}

class Collector {
  readonly services = new Map<string, ServiceRecord>();
  readonly slices = new Map<string, SliceRecord>();
  readonly nodes = new Map<string, NodeRecord>();
  readonly kubeProxy: KubeProxyConfigRecord[] = [];
  readonly cilium: CiliumConfigRecord[] = [];
  readonly skipped = new Map<string, number>();
  readonly warnings: string[] = [];
  private droppedWarnings = 0;
  readonly iptables: IptablesProfile[] = [];
  readonly nftables: NftablesProfile[] = [];
  readonly ciliumLb: CiliumLbProfile[] = [];
  readonly conntrackCounts: { file: string; entries: number }[] = [];
  readonly sources: { file: string; format: string; used: number }[] = [];

  skip(reason: string, n = 1): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + n);
  }

  warn(text: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(text);
    else this.droppedWarnings++;
  }

  finalWarnings(): string[] {
    return this.droppedWarnings > 0 ? [...this.warnings, `... and ${this.droppedWarnings} more warnings`] : [...this.warnings];
  }
}

async function readKubeFile(path: string, c: Collector): Promise<number> {
  let used = 0;
  for await (const item of readDumpItems(path)) {
    const r = readKubeObject(item.value, item.where, item.listKind);
    switch (r.kind) {
      case 'skipped':
        c.skip(r.reason);
        if (r.warning !== undefined) c.warn(r.warning);
        continue;
      case 'Service': {
        const key = `${r.record.namespace}/${r.record.name}`;
        if (c.services.has(key)) c.skip('duplicate Service (the last one read is used)');
        c.services.set(key, r.record);
        break;
      }
      case 'EndpointSlice': {
        const key = `${r.record.namespace}/${r.record.name}`;
        if (c.slices.has(key)) c.skip('duplicate EndpointSlice (the last one read is used)');
        c.slices.set(key, r.record);
        break;
      }
      case 'Node':
        if (c.nodes.has(r.record.name)) c.skip('duplicate Node (the last one read is used)');
        c.nodes.set(r.record.name, r.record);
        break;
      case 'KubeProxyConfig':
        c.kubeProxy.push(r.record);
        break;
      case 'CiliumConfig':
        c.cilium.push(r.record);
        break;
    }
    used++;
  }
  return used;
}

async function readIptablesFile(path: string, c: Collector): Promise<number> {
  const reader = new IptablesSaveReader(path);
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) reader.line(line);
  const found = reader.finish();
  if (found.length === 0) c.warn(`${path}: no kube-proxy rules in the nat table (is kube-proxy in iptables mode on that node?)`);
  c.iptables.push(...found);
  return found.reduce((s, p) => s + p.kubeProxyNatRules, 0);
}

async function readFile(file: ImportFile, c: Collector): Promise<{ format: DumpFormat; used: number }> {
  const format = file.format ?? sniffFile(file.path);
  if (format === null) {
    throw new ImportError(
      `${file.path}: not a dump svcpath reads (kubectl get ... -o json, iptables-save, nft list ruleset, cilium service list, cilium bpf lb list, conntrack -C)`,
    );
  }
  switch (format) {
    case 'kubectl-json':
      return { format, used: await readKubeFile(file.path, c) };
    case 'iptables-save':
      return { format, used: await readIptablesFile(file.path, c) };
    case 'nft-ruleset': {
      const found = parseNftRuleset(readFileSync(file.path, 'utf8'), file.path);
      if (found.length === 0) c.warn(`${file.path}: no "table ip kube-proxy" or "table ip6 kube-proxy" (is kube-proxy in nftables mode on that node?)`);
      c.nftables.push(...found);
      return { format, used: found.reduce((s, p) => s + p.rules, 0) };
    }
    case 'cilium-service-list':
    case 'cilium-bpf-lb-list': {
      const text = readFileSync(file.path, 'utf8');
      const p = format === 'cilium-service-list' ? parseCiliumServiceList(text, file.path) : parseCiliumBpfLbList(text, file.path);
      c.ciliumLb.push(p);
      return { format, used: p.frontends };
    }
    case 'conntrack-count': {
      const entries = parseConntrackCount(readFileSync(file.path, 'utf8'), file.path);
      c.conntrackCounts.push({ file: file.path, entries });
      return { format, used: 1 };
    }
  }
}

// ---- the join -------------------------------------------------------------------------------------

interface FamilyAccumulator {
  servicePorts: number;
  endpoints: Map<number, number>;
  ready: number;
  serving: number;
  terminating: number;
  usable: number;
  kubeServicesRules: number;
  natRules: number;
}

const newFamily = (): FamilyAccumulator => ({ servicePorts: 0, endpoints: new Map(), ready: 0, serving: 0, terminating: 0, usable: 0, kubeServicesRules: 0, natRules: 0 });

/** kube-proxy's usable endpoints: the ready ones, or the serving terminating ones when none is ready. */
function usableEndpoints(conditions: Iterable<number>): number {
  let ready = 0;
  let servingTerminating = 0;
  for (const c of conditions) {
    if (c & READY) ready++;
    else if (c & SERVING && c & TERMINATING) servingTerminating++;
  }
  return ready > 0 ? ready : servingTerminating;
}

function joinServices(c: Collector): { counts: ServiceCounts; families: Record<IpFamily, FamilyAccumulator> } {
  // Slices by Service, then by (family, port name, protocol) -> endpoint "address:port" -> conditions.
  const bySvc = new Map<string, SliceRecord[]>();
  for (const s of c.slices.values()) {
    const key = `${s.namespace}/${s.serviceName}`;
    if (!c.services.has(key)) {
      c.skip('EndpointSlice whose Service is not in the dumps');
      continue;
    }
    let list = bySvc.get(key);
    if (list === undefined) bySvc.set(key, (list = []));
    list.push(s);
  }
  const families: Record<IpFamily, FamilyAccumulator> = { IPv4: newFamily(), IPv6: newFamily() };
  const counts = { total: 0, clusterIP: 0, nodePort: 0, loadBalancer: 0, externalName: 0, headless: 0, withoutSelector: 0, dualStack: 0, ipv6Only: 0, withExternalIPs: 0, ports: 0 };
  for (const [key, svc] of c.services) {
    counts.total++;
    if (svc.type === 'ExternalName') counts.externalName++;
    else if (svc.headless) counts.headless++;
    else if (svc.type === 'ClusterIP') counts.clusterIP++;
    else if (svc.type === 'NodePort') counts.nodePort++;
    else counts.loadBalancer++;
    if (svc.type !== 'ExternalName' && !svc.hasSelector) counts.withoutSelector++;
    if (svc.families.length === 2) counts.dualStack++;
    if (svc.families.length === 1 && svc.families[0] === 'IPv6') counts.ipv6Only++;
    if (svc.externalIps.IPv4 + svc.externalIps.IPv6 > 0) counts.withExternalIPs++;
    if (svc.type === 'ExternalName' || svc.headless) continue;
    if (svc.families.length === 0) {
      c.skip('Service without a cluster IP or IP family');
      continue;
    }
    counts.ports += svc.ports.length;
    const slices = bySvc.get(key) ?? [];
    for (const family of svc.families) {
      const acc = families[family];
      const fam = slices.filter((s) => s.family === family);
      const all = new Map<string, number>();
      for (const s of fam) for (const e of s.endpoints) if (!all.has(e.address)) all.set(e.address, e.conditions);
      for (const cond of all.values()) {
        if (cond & READY) acc.ready++;
        if (cond & SERVING) acc.serving++;
        if (cond & TERMINATING) acc.terminating++;
      }
      for (const p of svc.ports) {
        const eps = new Map<string, number>();
        for (const s of fam) {
          const sp = s.ports.find((q) => q.name === p.name && q.protocol === p.protocol);
          if (sp === undefined) continue;
          for (const e of s.endpoints) {
            const k = `${e.address}:${sp.port ?? ''}`;
            if (!eps.has(k)) eps.set(k, e.conditions);
          }
        }
        const n = usableEndpoints(eps.values());
        acc.servicePorts++;
        acc.usable += n;
        if (n > 0) acc.endpoints.set(n, (acc.endpoints.get(n) ?? 0) + 1);
        const program = {
          endpoints: n,
          externalIps: svc.externalIps[family],
          loadBalancerIps: svc.loadBalancerIps[family],
          nodePort: p.nodePort,
          externalTrafficLocal: svc.externalTrafficLocal,
          loadBalancerSourceRanges: svc.loadBalancerSourceRanges,
          clientIpAffinity: svc.clientIpAffinity,
        };
        acc.kubeServicesRules += kubeServicesRulesOfProgram(program);
        acc.natRules += natRulesOfProgram(program);
      }
    }
  }
  return { counts, families };
}

function familyProfile(a: FamilyAccumulator): FamilyProfile | null {
  if (a.servicePorts === 0) return null;
  const histogram = histogramOf(a.endpoints);
  const withEndpoints = histogram.reduce((s, [, n]) => s + n, 0);
  return {
    servicePorts: a.servicePorts,
    servicePortsWithEndpoints: withEndpoints,
    endpointsPerServicePort: summarizeHistogram(histogram),
    endpointsHistogram: histogram,
    endpoints: { ready: a.ready, serving: a.serving, terminating: a.terminating, usable: a.usable },
    // The Service rules plus the trailing KUBE-NODEPORTS jump; the shared chains besides.
    kubeServicesRulesPredicted: kubeServicesChainRules(0) + a.kubeServicesRules,
    natRulesPredicted: a.natRules + sharedNatRules(),
  };
}

function nodeClasses(nodes: Iterable<NodeRecord>): NodeClass[] {
  const groups = new Map<string, NodeRecord[]>();
  for (const n of nodes) {
    const gib = Math.round(n.memoryBytes / BYTES_PER_GIB);
    const key = JSON.stringify([n.instanceType, n.cpuCores, gib, n.kernelVersion, n.architecture, n.provider]);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = []));
    g.push(n);
  }
  const classes = [...groups.values()].map((g) => {
    const first = g[0]!;
    const base = first.instanceType ?? `${first.cpuCores}c-${Math.round(first.memoryBytes / BYTES_PER_GIB)}g`;
    return { base, g };
  });
  const baseCount = new Map<string, number>();
  for (const { base } of classes) baseCount.set(base, (baseCount.get(base) ?? 0) + 1);
  const out: NodeClass[] = classes.map(({ base, g }) => {
    const first = g[0]!;
    const names = g.map((n) => n.name).sort();
    let name = base;
    if ((baseCount.get(base) ?? 0) > 1) name = `${base} ${first.kernelVersion}${first.architecture ? ` ${first.architecture}` : ''}`;
    return {
      name,
      count: g.length,
      cpuCores: first.cpuCores,
      memoryBytes: Math.min(...g.map((n) => n.memoryBytes)),
      kernelVersion: first.kernelVersion,
      architecture: first.architecture,
      instanceType: first.instanceType,
      provider: first.provider,
      controlPlaneNodes: g.filter((n) => n.controlPlane).length,
      nodePreset: isCloudProvider(first.provider) ? 'cloud-up-to-10g' : 'bare-metal-10g',
      cpuGhz: null,
      exampleNodes: names.slice(0, EXAMPLE_NODES),
    };
  });
  // Names must be unique: a class that still collides gets its first node's name.
  const seen = new Set<string>();
  return out
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
    .map((k) => {
      const name = seen.has(k.name) ? `${k.name} (${k.exampleNodes[0]})` : k.name;
      seen.add(name);
      return { ...k, name };
    });
}

function merge<T>(records: readonly T[], pick: (r: T) => unknown): unknown {
  for (const r of records) {
    const v = pick(r);
    if (v !== null && v !== undefined && v !== '') return v;
  }
  return null;
}

function proxyProfile(c: Collector): ProxyProfile {
  const kp: KubeProxySettings | null =
    c.kubeProxy.length === 0
      ? null
      : {
          configuredMode: (merge(c.kubeProxy, (r) => r.mode) as string | null) ?? (c.kubeProxy.some((r) => r.mode === '') ? '' : null),
          minSyncPeriodSec: merge(c.kubeProxy, (r) => r.minSyncPeriodSec) as number | null,
          syncPeriodSec: merge(c.kubeProxy, (r) => r.syncPeriodSec) as number | null,
          conntrackMaxPerCore: merge(c.kubeProxy, (r) => r.conntrackMaxPerCore) as number | null,
          conntrackMin: merge(c.kubeProxy, (r) => r.conntrackMin) as number | null,
          from: c.kubeProxy.map((r) => r.from),
        };
  const cil: CiliumSettings | null =
    c.cilium.length === 0
      ? null
      : {
          kubeProxyReplacement: merge(c.cilium, (r) => r.kubeProxyReplacement) as string | null,
          socketLb: merge(c.cilium, (r) => r.socketLb) as boolean | null,
          ctGlobalTcpMax: merge(c.cilium, (r) => r.ctGlobalTcpMax) as number | null,
          ctGlobalAnyMax: merge(c.cilium, (r) => r.ctGlobalAnyMax) as number | null,
          mapDynamicSizeRatio: merge(c.cilium, (r) => r.mapDynamicSizeRatio) as number | null,
          from: c.cilium.map((r) => r.from),
        };
  const base = { kubeProxy: kp, cilium: cil };
  const kpr = cil?.kubeProxyReplacement?.toLowerCase() ?? null;
  if (kpr === 'true' || kpr === 'strict') {
    if (kp !== null) c.warn(`Cilium runs with kube-proxy-replacement=${kpr}, but kube-proxy settings were found too (${kp.from.join(', ')}); the profile follows Cilium`);
    const socketLb = cil!.socketLb !== false;
    return { mode: 'cilium-kube-proxy-replacement', datapath: socketLb ? 'cilium-socket-lb' : 'cilium-tc', decidedBy: `${cil!.from.join(', ')}: kube-proxy-replacement=${kpr}${cil!.socketLb === null ? ' (socket LB on by default)' : `, bpf-lb-sock=${cil!.socketLb}`}`, ...base };
  }
  if (kp !== null) {
    const m = (kp.configuredMode ?? '').toLowerCase();
    const from = kp.from.join(', ');
    if (m === '' || m === 'iptables') return { mode: 'iptables', datapath: 'kube-proxy-iptables', decidedBy: `${from}: mode ${m === '' ? '"" (the Linux default, iptables)' : m}`, ...base };
    if (m === 'nftables') return { mode: 'nftables', datapath: 'kube-proxy-nftables', decidedBy: `${from}: mode nftables`, ...base };
    if (m === 'ipvs') {
      c.warn('kube-proxy runs in IPVS mode, which svcpath does not model; plan with --datapaths to compare the modelled ones');
      return { mode: 'ipvs', datapath: null, decidedBy: `${from}: mode ipvs`, ...base };
    }
    c.warn(`kube-proxy mode "${kp.configuredMode}" is not one svcpath knows`);
    return { mode: 'unknown', datapath: null, decidedBy: `${from}: mode ${kp.configuredMode}`, ...base };
  }
  if (c.iptables.length > 0) return { mode: 'iptables', datapath: 'kube-proxy-iptables', decidedBy: `${c.iptables[0]!.file}: kube-proxy's nat rules`, ...base };
  if (c.nftables.length > 0) return { mode: 'nftables', datapath: 'kube-proxy-nftables', decidedBy: `${c.nftables[0]!.file}: table ${c.nftables[0]!.family === 'IPv6' ? 'ip6' : 'ip'} kube-proxy`, ...base };
  if (c.ciliumLb.length > 0) {
    return { mode: 'cilium-kube-proxy-replacement', datapath: cil?.socketLb === false ? 'cilium-tc' : 'cilium-socket-lb', decidedBy: `${c.ciliumLb[0]!.file}: Cilium's LB map`, ...base };
  }
  return { mode: 'unknown', datapath: null, decidedBy: 'nothing in the dumps names the proxy (add the kube-proxy ConfigMap or the kube-system DaemonSets)', ...base };
}

/** Where the rules dumps and the objects disagree, in words. */
function crossCheck(c: Collector, families: Record<IpFamily, FamilyProfile | null>): void {
  if (c.services.size === 0) return;
  for (const ipt of c.iptables) {
    const f = families[ipt.family];
    if (f === null) {
      c.warn(`${ipt.file}: ${ipt.family} rules, but the objects have no ${ipt.family} Service ports`);
      continue;
    }
    if (ipt.servicePortsWithEndpoints !== f.servicePortsWithEndpoints) {
      c.warn(`${ipt.file}: ${ipt.servicePortsWithEndpoints} Service ports with nat rules, the objects give ${f.servicePortsWithEndpoints} with endpoints (dumps taken at different times, or node-local policies)`);
    }
    if (ipt.kubeServicesRules !== f.kubeServicesRulesPredicted) {
      c.warn(`${ipt.file}: KUBE-SERVICES has ${ipt.kubeServicesRules} rules, the objects imply ${f.kubeServicesRulesPredicted}`);
    }
    if (ipt.programsNotMatchingModel > 0) {
      c.warn(`${ipt.file}: ${ipt.programsNotMatchingModel} Service ports have other rules than the model's 2 + 3N (session affinity, node-local endpoints or another kube-proxy release)`);
    }
  }
  for (const nft of c.nftables) {
    const f = families[nft.family];
    if (f !== null && nft.servicePortsWithEndpoints !== f.servicePortsWithEndpoints) {
      c.warn(`${nft.file}: ${nft.servicePortsWithEndpoints} service chains with endpoints, the objects give ${f.servicePortsWithEndpoints} Service ports with endpoints`);
    }
  }
}

/** Reads the files and builds the profile. Throws ImportError (or JsonDumpError) naming the file, the object and the field. */
export async function importCluster(files: readonly ImportFile[], options: ImportOptions): Promise<ClusterProfile> {
  const c = new Collector();
  for (const file of files) {
    const { format, used } = await readFile(file, c);
    c.sources.push({ file: file.path, format, used });
    options.onFile?.(file.path, format, used);
  }
  const { counts, families: acc } = joinServices(c);
  const families: Record<IpFamily, FamilyProfile | null> = { IPv4: familyProfile(acc.IPv4), IPv6: familyProfile(acc.IPv6) };
  crossCheck(c, families);
  const proxy = proxyProfile(c);

  let primaryFamily: IpFamily = (families.IPv6?.servicePorts ?? 0) > (families.IPv4?.servicePorts ?? 0) ? 'IPv6' : 'IPv4';
  let servicePorts = families[primaryFamily]?.servicePorts ?? 0;
  let withEndpoints = families[primaryFamily]?.servicePortsWithEndpoints ?? 0;
  let endpointsSummary = families[primaryFamily]?.endpointsPerServicePort ?? EMPTY_COUNT_SUMMARY;
  if (c.services.size === 0) {
    // Rules only: the headline comes from the datapath's own view.
    const rules = c.iptables[0] ?? c.nftables[0];
    if (rules !== undefined) {
      primaryFamily = rules.family;
      servicePorts = withEndpoints = rules.servicePortsWithEndpoints;
      endpointsSummary = rules.endpointsPerServicePort;
      c.warn(`no Service objects in the dumps: the Service ports and endpoints are those of ${rules.file}`);
    } else if (c.ciliumLb[0] !== undefined) {
      servicePorts = withEndpoints = c.ciliumLb[0].frontends;
      endpointsSummary = c.ciliumLb[0].backendsPerFrontend;
      c.warn(`no Service objects in the dumps: the Service ports and endpoints are the frontends and backends of ${c.ciliumLb[0].file}`);
    } else {
      c.warn('no Services in the dumps: the profile has no Service ports');
    }
  }
  const primaryIptables = c.iptables.filter((p) => p.family === primaryFamily);
  if (primaryIptables.length > 1) c.warn(`${primaryIptables.length} ${primaryFamily} iptables dumps: the positions are those of the first, ${primaryIptables[0]!.file}`);

  let conntrackEntries: number | null = null;
  if (options.conntrackEntries !== undefined) conntrackEntries = options.conntrackEntries;
  else if (c.conntrackCounts.length > 0) {
    conntrackEntries = Math.max(...c.conntrackCounts.map((k) => k.entries));
    if (c.conntrackCounts.length > 1) c.warn(`${c.conntrackCounts.length} conntrack counts: the profile keeps the largest, ${conntrackEntries}`);
  }

  const objects: Record<string, number> = {};
  const used: [string, number][] = [
    ['Service', c.services.size], ['EndpointSlice', c.slices.size], ['Node', c.nodes.size],
    ['kube-proxy settings', c.kubeProxy.length], ['Cilium settings', c.cilium.length],
  ];
  for (const [k, n] of used) if (n > 0) objects[k] = n;
  const classes = nodeClasses(c.nodes.values());

  return {
    schema: CLUSTER_PROFILE_SCHEMA,
    name: options.name,
    sources: c.sources,
    objects,
    skipped: Object.fromEntries([...c.skipped.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    warnings: c.finalWarnings(),
    proxyMode: proxy.mode,
    proxy,
    services: counts,
    primaryFamily,
    servicePorts,
    servicePortsWithEndpoints: withEndpoints,
    endpointsPerServicePort: endpointsSummary,
    families,
    kubeServicesRules: primaryIptables[0]?.kubeServicesRules ?? null,
    servicePositions: primaryIptables[0]?.servicePositions ?? null,
    iptables: c.iptables,
    nftables: c.nftables,
    ciliumLb: c.ciliumLb,
    conntrackEntries,
    nodes: classes.reduce((s, k) => s + k.count, 0),
    nodeClasses: classes,
  };
}

/** The profile's name from the first file: its base name without extension. */
export function defaultProfileName(files: readonly ImportFile[]): string {
  const first = files[0]?.path;
  return first === undefined ? 'cluster' : basename(first).replace(/\.[^.]*$/, '') || 'cluster';
}

