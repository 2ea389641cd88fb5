/**
 * Cluster fixtures for the import tests, built with kubernetes-models' typed objects (so they have
 * the API's real shape, and each one passes the API schema's validate()): a definition per
 * Service (type, families, ports, endpoints with their conditions) becomes a Service and its
 * EndpointSlices, split at 100 endpoints as the EndpointSlice controller does. The definitions also
 * say, independently of the importer, what kube-proxy programs: `expectedPrograms`.
 *
 * Three clusters: a small dev cluster with every awkward case, a 5,000-Service multi-tenant one and
 * a 30,000-Service one with skewed endpoints. And two writers of kube-proxy's iptables nat table in
 * the format its proxier writes (pkg/proxy/iptables/proxier.go, as its test fixtures show), with
 * KUBE-SERVICES in a shuffled order like the Go map it is written from.
 */
import { createHash } from 'node:crypto';
import { Service, Node, ConfigMap } from 'kubernetes-models/v1';
import { EndpointSlice } from 'kubernetes-models/discovery.k8s.io/v1';
import { DaemonSet } from 'kubernetes-models/apps/v1';
import type { IpFamily } from '../../model/cluster/clusterProfile.ts';

export interface EndpointDef {
  readonly address: string;
  readonly ready?: boolean | null;
  readonly serving?: boolean | null;
  readonly terminating?: boolean | null;
}

export interface PortDef {
  readonly name: string;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  readonly nodePort?: number;
  /** The container port endpoints expose (a named targetPort resolves to it). */
  readonly targetPort?: number | string;
  readonly endpointPort?: number;
}

export interface ServiceDef {
  readonly namespace: string;
  readonly name: string;
  readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  readonly headless?: boolean;
  readonly families?: readonly IpFamily[];
  readonly ports: readonly PortDef[];
  readonly selector?: boolean;
  readonly externalIPs?: readonly string[];
  readonly loadBalancerIngress?: readonly string[];
  readonly externalTrafficLocal?: boolean;
  /** Endpoints per family. */
  readonly endpoints?: Partial<Record<IpFamily, readonly EndpointDef[]>>;
  /** Leave ipFamilies out of the object (clusters from before dual-stack). */
  readonly omitIpFamilies?: boolean;
}

/** The EndpointSlice controller's default maxEndpointsPerSlice. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

let ipCounter = 0;
function nextClusterIp(family: IpFamily): string {
  ipCounter++;
  return family === 'IPv4' ? `10.96.${(ipCounter >> 8) & 255}.${ipCounter & 255}` : `fd00:10:96::${ipCounter.toString(16)}`;
}

/** The Service object of a definition (validated against the API schema). */
export function serviceObject(d: ServiceDef): Record<string, unknown> {
  const families = d.families ?? ['IPv4'];
  const type = d.type ?? 'ClusterIP';
  const clusterIPs = d.headless ? ['None'] : type === 'ExternalName' ? [] : families.map(nextClusterIp);
  const svc = new Service({
    metadata: { name: d.name, namespace: d.namespace, labels: { app: d.name } },
    spec: {
      type,
      ...(type === 'ExternalName' ? { externalName: `${d.name}.example.com` } : { clusterIP: clusterIPs[0]!, clusterIPs }),
      ...(type !== 'ExternalName' && !d.omitIpFamilies ? { ipFamilies: [...families], ipFamilyPolicy: families.length > 1 ? 'RequireDualStack' : 'SingleStack' } : {}),
      ports: d.ports.map((p) => ({
        name: p.name,
        port: p.port,
        protocol: p.protocol ?? 'TCP',
        ...(p.targetPort === undefined ? {} : { targetPort: p.targetPort }),
        ...(p.nodePort === undefined ? {} : { nodePort: p.nodePort }),
      })),
      ...(d.selector === false ? {} : { selector: { app: d.name } }),
      ...(d.externalIPs ? { externalIPs: [...d.externalIPs] } : {}),
      ...(d.externalTrafficLocal ? { externalTrafficPolicy: 'Local' } : {}),
    },
    ...(d.loadBalancerIngress ? { status: { loadBalancer: { ingress: d.loadBalancerIngress.map((ip) => ({ ip })) } } } : {}),
  });
  svc.validate();
  return svc.toJSON() as Record<string, unknown>;
}

/** The EndpointSlices of a definition, split at 100 endpoints per slice and family. */
export function sliceObjects(d: ServiceDef): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const family of ['IPv4', 'IPv6'] as const) {
    const eps = d.endpoints?.[family] ?? [];
    for (let start = 0, k = 0; start < eps.length; start += MAX_ENDPOINTS_PER_SLICE, k++) {
      const slice = new EndpointSlice({
        metadata: {
          name: `${d.name}-${family === 'IPv4' ? '4' : '6'}${k.toString(36).padStart(4, 'x')}`,
          namespace: d.namespace,
          labels: { 'kubernetes.io/service-name': d.name, 'endpointslice.kubernetes.io/managed-by': d.selector === false ? 'staff' : 'endpointslice-controller.k8s.io' },
        },
        addressType: family,
        endpoints: eps.slice(start, start + MAX_ENDPOINTS_PER_SLICE).map((e) => ({
          addresses: [e.address],
          conditions: {
            ...(e.ready === undefined ? { ready: true } : e.ready === null ? {} : { ready: e.ready }),
            ...(e.serving === undefined || e.serving === null ? {} : { serving: e.serving }),
            ...(e.terminating === undefined || e.terminating === null ? {} : { terminating: e.terminating }),
          },
          nodeName: `node-${start % 7}`,
        })),
        ports: d.ports.map((p) => ({ name: p.name, port: p.endpointPort ?? (typeof p.targetPort === 'number' ? p.targetPort : p.port), protocol: p.protocol ?? 'TCP' })),
      });
      slice.validate();
      out.push(slice.toJSON() as Record<string, unknown>);
    }
  }
  return out;
}

export interface NodeDef {
  readonly name: string;
  readonly cpu: string;
  readonly memory: string;
  readonly kernel: string;
  readonly instanceType?: string;
  readonly providerId?: string;
  readonly controlPlane?: boolean;
}

export function nodeObject(d: NodeDef): Record<string, unknown> {
  const n = new Node({
    metadata: {
      name: d.name,
      labels: {
        'kubernetes.io/arch': 'amd64',
        ...(d.instanceType ? { 'node.kubernetes.io/instance-type': d.instanceType } : {}),
        ...(d.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
    },
    spec: d.providerId ? { providerID: d.providerId } : {},
    status: {
      capacity: { cpu: d.cpu, memory: d.memory, pods: '110' },
      allocatable: { cpu: d.cpu, memory: d.memory, pods: '110' },
      nodeInfo: {
        architecture: 'amd64', bootID: 'b', containerRuntimeVersion: 'containerd://1.7.2', kernelVersion: d.kernel, kubeProxyVersion: 'v1.29.0',
        kubeletVersion: 'v1.29.0', machineID: 'm', operatingSystem: 'linux', osImage: 'Ubuntu 22.04', systemUUID: 's',
      },
    },
  });
  n.validate();
  return n.toJSON() as Record<string, unknown>;
}

export function kubeProxyConfigMap(mode: string, minSyncPeriod: string, extra = ''): Record<string, unknown> {
  const cm = new ConfigMap({
    metadata: { name: 'kube-proxy', namespace: 'kube-system' },
    data: {
      'config.conf': [
        'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
        'bindAddress: 0.0.0.0',
        'clusterCIDR: 10.244.0.0/16',
        'conntrack:',
        '  maxPerCore: 65536',
        '  min: null',
        'iptables:',
        '  masqueradeAll: false',
        `  minSyncPeriod: ${minSyncPeriod}`,
        '  syncPeriod: 30s',
        'kind: KubeProxyConfiguration',
        `mode: "${mode}"`,
        extra,
      ].join('\n'),
      kubeconfig: 'apiVersion: v1\nkind: Config\n',
    },
  });
  cm.validate();
  return cm.toJSON() as Record<string, unknown>;
}

export function ciliumObjects(kubeProxyReplacement: string, socketLb: boolean | null): Record<string, unknown>[] {
  const cm = new ConfigMap({
    metadata: { name: 'cilium-config', namespace: 'kube-system' },
    data: { 'kube-proxy-replacement': kubeProxyReplacement, ...(socketLb === null ? {} : { 'bpf-lb-sock': String(socketLb) }), 'bpf-ct-global-tcp-max': '524288' },
  });
  cm.validate();
  const ds = new DaemonSet({
    metadata: { name: 'cilium', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'cilium' } },
      template: {
        metadata: { labels: { 'k8s-app': 'cilium' } },
        spec: { containers: [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.15.6@sha256:abc', args: ['--config-dir=/tmp/cilium/config-map'] }] },
      },
    },
  });
  ds.validate();
  return [cm.toJSON() as Record<string, unknown>, ds.toJSON() as Record<string, unknown>];
}

/** A `kubectl get ... -o json` List (keys in kubectl's order: apiVersion, items, kind, metadata). */
export function kubectlList(items: readonly unknown[]): string {
  return JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, 4);
}

// ---- what kube-proxy programs, from the definitions ------------------------------------------------

export interface ExpectedProgram {
  readonly service: string;
  readonly port: string;
  readonly protocol: string;
  readonly family: IpFamily;
  /** Usable endpoints: ready, else serving and terminating. */
  readonly endpoints: number;
  readonly def: ServiceDef;
  readonly portDef: PortDef;
}

export function usableOf(eps: readonly EndpointDef[]): number {
  const ready = eps.filter((e) => e.ready !== false).length;
  if (ready > 0) return ready;
  return eps.filter((e) => (e.serving ?? e.ready) !== false && e.terminating === true).length;
}

export function expectedPrograms(defs: readonly ServiceDef[]): ExpectedProgram[] {
  const out: ExpectedProgram[] = [];
  for (const d of defs) {
    if (d.headless || d.type === 'ExternalName') continue;
    for (const family of d.families ?? ['IPv4']) {
      for (const p of d.ports) {
        out.push({ service: `${d.namespace}/${d.name}`, port: p.name, protocol: p.protocol ?? 'TCP', family, endpoints: usableOf(d.endpoints?.[family] ?? []), def: d, portDef: p });
      }
    }
  }
  return out;
}

// ---- deterministic variety ---------------------------------------------------------------------------

/** A small deterministic generator (LCG), so fixtures are the same on every run. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function ipv4Of(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

// ---- the three clusters --------------------------------------------------------------------------------

const ep = (address: string, c: Partial<EndpointDef> = {}): EndpointDef => ({ address, ...c });

/** A dev cluster with every awkward case a real dump has. */
export function devCluster(): { services: ServiceDef[]; nodes: NodeDef[]; extras: Record<string, unknown>[] } {
  const services: ServiceDef[] = [
    { namespace: 'default', name: 'kubernetes', ports: [{ name: 'https', port: 443, targetPort: 6443 }], selector: false, endpoints: { IPv4: [ep('172.18.0.2')] } },
    {
      namespace: 'kube-system', name: 'kube-dns',
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }, { name: 'metrics', port: 9153 }],
      endpoints: { IPv4: [ep('10.244.0.2'), ep('10.244.0.3')] },
    },
    {
      namespace: 'shop', name: 'web', type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 'http', endpointPort: 8080, nodePort: 30080 }],
      endpoints: { IPv4: [ep('10.244.1.10'), ep('10.244.1.11'), ep('10.244.1.12', { ready: false, serving: true, terminating: true })] },
    },
    { namespace: 'shop', name: 'db', headless: true, ports: [{ name: 'pg', port: 5432 }], endpoints: { IPv4: [ep('10.244.1.20')] } },
    {
      namespace: 'shop', name: 'payments', type: 'LoadBalancer', ports: [{ name: 'https', port: 443, nodePort: 31000 }], loadBalancerIngress: ['203.0.113.10'],
      endpoints: { IPv4: [ep('10.244.2.10'), ep('10.244.2.11')] },
    },
    { namespace: 'shop', name: 'legacy', type: 'ExternalName', ports: [{ name: 'http', port: 80 }] },
    {
      namespace: 'shop', name: 'draining', ports: [{ name: 'http', port: 80 }],
      endpoints: { IPv4: [ep('10.244.3.1', { ready: false, serving: true, terminating: true }), ep('10.244.3.2', { ready: false, serving: true, terminating: true }), ep('10.244.3.3', { ready: false, serving: false, terminating: true })] },
    },
    { namespace: 'shop', name: 'empty', ports: [{ name: 'http', port: 80 }] },
    {
      namespace: 'shop', name: 'dual', families: ['IPv4', 'IPv6'], ports: [{ name: 'grpc', port: 9090 }],
      endpoints: { IPv4: [ep('10.244.4.1'), ep('10.244.4.2')], IPv6: [ep('fd00:244::4:1'), ep('fd00:244::4:2')] },
    },
    { namespace: 'shop', name: 'v6only', families: ['IPv6'], ports: [{ name: 'http', port: 80 }], endpoints: { IPv6: [ep('fd00:244::5:1')] } },
    { namespace: 'shop', name: 'external', ports: [{ name: 'http', port: 80 }], externalIPs: ['192.0.2.50'], endpoints: { IPv4: [ep('10.244.6.1')] } },
    { namespace: 'shop', name: 'manual', ports: [{ name: '', port: 3306 }], selector: false, omitIpFamilies: true, endpoints: { IPv4: [ep('192.168.10.5'), ep('192.168.10.6', { ready: null })] } },
  ];
  const nodes: NodeDef[] = [
    { name: 'cp-1', cpu: '4', memory: '16Gi', kernel: '5.15.0-1051-aws', instanceType: 'm5.xlarge', providerId: 'aws:///eu-west-1a/i-0cp1', controlPlane: true },
    { name: 'worker-1', cpu: '8', memory: '32386284Ki', kernel: '5.15.0-1051-aws', instanceType: 'm5.2xlarge', providerId: 'aws:///eu-west-1a/i-0w1' },
    { name: 'worker-2', cpu: '8', memory: '32386280Ki', kernel: '5.15.0-1051-aws', instanceType: 'm5.2xlarge', providerId: 'aws:///eu-west-1b/i-0w2' },
    { name: 'worker-3', cpu: '7910m', memory: '32386284Ki', kernel: '5.15.0-1051-aws', instanceType: 'm5.2xlarge', providerId: 'aws:///eu-west-1c/i-0w3' },
  ];
  const extras: Record<string, unknown>[] = [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'allow', namespace: 'shop' }, spec: {} },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'ext-fqdn', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'legacy' } }, addressType: 'FQDN', endpoints: [{ addresses: ['legacy.example.com'] }] },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'orphan', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'gone' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.9.9'] }], ports: [{ name: 'http', port: 80 }] },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'unlabelled', namespace: 'shop' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.9.8'] }] },
  ];
  return { services, nodes, extras };
}

/** 5,000 Services over 50 tenants: most one port and 2-4 endpoints, some two ports, some LoadBalancers. */
export function multiTenantCluster(): { services: ServiceDef[]; nodes: NodeDef[] } {
  const rand = lcg(5000);
  const services: ServiceDef[] = [];
  let podIp = 1 << 16;
  for (let t = 0; t < 50; t++) {
    for (let s = 0; s < 100; s++) {
      const n = 2 + Math.floor(rand() * 3);
      const twoPorts = rand() < 0.2;
      const lb = s === 0;
      const eps = Array.from({ length: n }, () => ep(ipv4Of(podIp++)));
      services.push({
        namespace: `tenant-${t}`, name: `svc-${s}`,
        ...(lb ? { type: 'LoadBalancer' as const, loadBalancerIngress: [`198.51.100.${t + 1}`] } : {}),
        ports: twoPorts ? [{ name: 'http', port: 80, ...(lb ? { nodePort: 30000 + t } : {}) }, { name: 'metrics', port: 9100 }] : [{ name: 'http', port: 80, ...(lb ? { nodePort: 30000 + t } : {}) }],
        endpoints: { IPv4: eps },
      });
    }
  }
  const nodes: NodeDef[] = Array.from({ length: 60 }, (_, i) => ({
    name: `node-${i}`, cpu: i < 40 ? '16' : '32', memory: i < 40 ? '64Gi' : '128Gi', kernel: i < 50 ? '6.1.0-18-amd64' : '6.1.0-21-amd64',
  }));
  return { services, nodes };
}

/**
 * 30,000 Services with skewed endpoints: endpoints per Service follow a heavy tail (most 1-3, a
 * few hundred with hundreds to thousands, so their slices split at 100).
 */
export function skewedCluster(count = 30_000): { services: ServiceDef[]; nodes: NodeDef[] } {
  const rand = lcg(30_000);
  const services: ServiceDef[] = [];
  let podIp = 1 << 17;
  for (let s = 0; s < count; s++) {
    const u = rand();
    // A Pareto tail: P(N > n) ~ n^-1.3, capped at 2000.
    const n = Math.min(2000, Math.max(1, Math.floor(1 / (1 - u) ** (1 / 1.3))));
    const terminating = n > 50 ? 3 : 0;
    const eps = Array.from({ length: n }, (_, i) => ep(ipv4Of(podIp++), i < terminating ? { ready: false, serving: true, terminating: true } : {}));
    services.push({ namespace: `ns-${s % 300}`, name: `svc-${s}`, ports: [{ name: 'http', port: 80 }], endpoints: { IPv4: eps } });
  }
  const nodes: NodeDef[] = Array.from({ length: 500 }, (_, i) => ({ name: `n${i}`, cpu: '64', memory: '256Gi', kernel: '6.6.13', instanceType: 'metal-64' }));
  return { services, nodes };
}

export function clusterItems(services: readonly ServiceDef[], nodes: readonly NodeDef[] = [], extras: readonly Record<string, unknown>[] = []): unknown[] {
  return [...services.map(serviceObject), ...services.flatMap(sliceObjects), ...nodes.map(nodeObject), ...extras];
}

// ---- kube-proxy's nat table -------------------------------------------------------------------------

/** kube-proxy's chain names: a prefix and the first 16 characters of base32(sha256(name)). */
function chainName(prefix: string, key: string): string {
  const digest = createHash('sha256').update(key).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `${prefix}-${out}`;
}

const probability = (i: number, n: number): string => (1 / (n - i)).toFixed(10);

export interface GeneratedIptables {
  readonly text: string;
  /** 1-based KUBE-SERVICES position of each program's ClusterIP rule, keyed "ns/name:port". */
  readonly positions: ReadonlyMap<string, number>;
  readonly kubeServicesRules: number;
}

/**
 * The IPv4 nat table kube-proxy writes for `defs` (programs with endpoints, ClusterIP, external IP,
 * load-balancer and NodePort rules, externalTrafficPolicy Cluster), in its own line format, with
 * KUBE-SERVICES in a shuffled order. `clusterCidr` is the masquerade rule's source match.
 */
export function kubeProxyNatTable(defs: readonly ServiceDef[], seed = 1, clusterCidr = '10.244.0.0/16'): GeneratedIptables {
  const programs = expectedPrograms(defs).filter((p) => p.family === 'IPv4' && p.endpoints > 0);
  const rand = lcg(seed);
  const order = programs.map((p, i) => ({ p, key: rand(), i })).sort((a, b) => a.key - b.key).map((x) => x.p);
  const chains: string[] = [':KUBE-SERVICES - [0:0]', ':KUBE-NODEPORTS - [0:0]', ':KUBE-POSTROUTING - [0:0]', ':KUBE-MARK-MASQ - [0:0]'];
  const services: string[] = [];
  const rest: string[] = [];
  const nodeports: string[] = [];
  const positions = new Map<string, number>();
  const vip = new Map<ServiceDef, string>();
  for (const p of order) {
    const svcPortName = `${p.service}:${p.port}`;
    const proto = p.protocol.toLowerCase();
    const key = `${svcPortName}${proto}`;
    const svc = chainName('KUBE-SVC', key);
    if (!vip.has(p.def)) vip.set(p.def, `172.30.${vip.size >> 8}.${vip.size & 255}`);
    const ip = vip.get(p.def)!;
    chains.push(`:${svc} - [0:0]`);
    services.push(`-A KUBE-SERVICES -m comment --comment "${svcPortName} cluster IP" -m ${proto} -p ${proto} -d ${ip} --dport ${p.portDef.port} -j ${svc}`);
    positions.set(svcPortName, services.length);
    const ext = p.def.externalIPs?.length || p.def.loadBalancerIngress?.length || p.portDef.nodePort !== undefined ? chainName('KUBE-EXT', key) : null;
    for (const e of p.def.externalIPs ?? []) services.push(`-A KUBE-SERVICES -m comment --comment "${svcPortName} external IP" -m ${proto} -p ${proto} -d ${e} --dport ${p.portDef.port} -j ${ext}`);
    for (const e of p.def.loadBalancerIngress ?? []) services.push(`-A KUBE-SERVICES -m comment --comment "${svcPortName} loadbalancer IP" -m ${proto} -p ${proto} -d ${e} --dport ${p.portDef.port} -j ${ext}`);
    if (p.portDef.nodePort !== undefined) nodeports.push(`-A KUBE-NODEPORTS -m comment --comment ${svcPortName} -m ${proto} -p ${proto} --dport ${p.portDef.nodePort} -j ${ext}`);
    if (ext !== null) {
      chains.push(`:${ext} - [0:0]`);
      rest.push(`-A ${ext} -m comment --comment "masquerade traffic for ${svcPortName} external destinations" -j KUBE-MARK-MASQ`, `-A ${ext} -j ${svc}`);
    }
    rest.push(`-A ${svc} -m comment --comment "${svcPortName} cluster IP" -m ${proto} -p ${proto} -d ${ip} --dport ${p.portDef.port} ! -s ${clusterCidr} -j KUBE-MARK-MASQ`);
    const eps = (p.def.endpoints?.IPv4 ?? []).filter((e) => e.ready !== false);
    const usable = eps.length > 0 ? eps : (p.def.endpoints?.IPv4 ?? []).filter((e) => e.serving !== false && e.terminating === true);
    const target = p.portDef.endpointPort ?? (typeof p.portDef.targetPort === 'number' ? p.portDef.targetPort : p.portDef.port);
    const large = programs.length > 1000;
    usable.forEach((e, i) => {
      const sep = chainName('KUBE-SEP', `${key}${e.address}:${target}`);
      chains.push(`:${sep} - [0:0]`);
      const stat = i < usable.length - 1 ? ` -m statistic --mode random --probability ${probability(i, usable.length)}` : '';
      // Above 1000 endpoints kube-proxy drops the per-endpoint comments.
      rest.push(`-A ${svc}${large ? '' : ` -m comment --comment "${svcPortName} -> ${e.address}:${target}"`}${stat} -j ${sep}`);
      const c = large ? '' : ` -m comment --comment ${svcPortName}`;
      rest.push(`-A ${sep}${c} -s ${e.address} -j KUBE-MARK-MASQ`, `-A ${sep}${c} -m ${proto} -p ${proto} -j DNAT --to-destination ${e.address}:${target}`);
    });
  }
  services.push('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS');
  const text = [
    '# Generated by iptables-save v1.8.9 (nf_tables) on Mon Jan  1 00:00:00 2024',
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ...chains,
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
    ...nodeports,
    ...services,
    ...rest,
    'COMMIT',
    '# Completed on Mon Jan  1 00:00:00 2024',
    '',
  ].join('\n');
  return { text, positions, kubeServicesRules: services.length };
}
