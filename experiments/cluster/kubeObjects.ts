/**
 * The Kubernetes objects a cluster profile is made of, read from a dump item into the few fields the
 * profile needs: Services (types, families, ports, external and load-balancer IPs, policies),
 * EndpointSlices (the Service they belong to, family, ports, endpoints and their conditions), Nodes
 * (cores, memory, kernel, instance type, provider) and the kube-proxy and Cilium settings
 * (ConfigMaps, DaemonSets). Each kind is checked by a lenient zod schema: optional fields may be
 * missing or null as real dumps have them, but a field that is there with the wrong type is an
 * error naming the object (`Kind/namespace/name`) and the field. Anything else in a dump is
 * classified as skipped, with a reason the profile counts.
 */
import { z } from 'zod';
import type { IpFamily } from '../../model/cluster/clusterProfile.ts';
import { parseGoDurationSec, parseQuantity } from './quantity.ts';

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

const meta = z.looseObject({
  name: z.string().min(1),
  namespace: z.string().nullish(),
  labels: z.record(z.string(), z.string().nullish()).nullish(),
});

/** Characters of a value shown in an error. */
const PREVIEW_CHARS = 60; // calibration-exempt: presentation

const port = z.number().int().min(0).max(65_535); // calibration-exempt: the TCP/UDP port range

const serviceSchema = z.looseObject({
  metadata: meta,
  spec: z
    .looseObject({
      type: z.string().nullish(),
      clusterIP: z.string().nullish(),
      clusterIPs: z.array(z.string()).nullish(),
      ipFamilies: z.array(z.string()).nullish(),
      ports: z
        .array(
          z.looseObject({
            name: z.string().nullish(),
            port,
            protocol: z.string().nullish(),
            nodePort: port.nullish(),
            targetPort: z.union([z.number(), z.string()]).nullish(),
          }),
        )
        .nullish(),
      selector: z.record(z.string(), z.string().nullish()).nullish(),
      externalIPs: z.array(z.string()).nullish(),
      externalName: z.string().nullish(),
      externalTrafficPolicy: z.string().nullish(),
      loadBalancerSourceRanges: z.array(z.string()).nullish(),
      sessionAffinity: z.string().nullish(),
    })
    .nullish(),
  status: z
    .looseObject({
      loadBalancer: z
        .looseObject({ ingress: z.array(z.looseObject({ ip: z.string().nullish(), ipMode: z.string().nullish() })).nullish() })
        .nullish(),
    })
    .nullish(),
});

const condition = z.boolean().nullish();
const sliceSchema = z.looseObject({
  metadata: meta,
  addressType: z.string(),
  endpoints: z
    .array(
      z.looseObject({
        addresses: z.array(z.string()).min(1),
        conditions: z.looseObject({ ready: condition, serving: condition, terminating: condition }).nullish(),
      }),
    )
    .nullish(),
  ports: z.array(z.looseObject({ name: z.string().nullish(), port: port.nullish(), protocol: z.string().nullish() })).nullish(),
});

const nodeSchema = z.looseObject({
  metadata: meta,
  spec: z.looseObject({ providerID: z.string().nullish() }).nullish(),
  status: z
    .looseObject({
      capacity: z.record(z.string(), z.union([z.string(), z.number()])).nullish(),
      nodeInfo: z.looseObject({ kernelVersion: z.string().nullish(), architecture: z.string().nullish() }).nullish(),
    })
    .nullish(),
});

const configMapSchema = z.looseObject({ metadata: meta, data: z.record(z.string(), z.string().nullish()).nullish() });

const containerSchema = z.looseObject({
  name: z.string().nullish(),
  image: z.string().nullish(),
  command: z.array(z.string()).nullish(),
  args: z.array(z.string()).nullish(),
  env: z.array(z.looseObject({ name: z.string(), value: z.string().nullish() })).nullish(),
});
const daemonSetSchema = z.looseObject({
  metadata: meta,
  spec: z.looseObject({ template: z.looseObject({ spec: z.looseObject({ containers: z.array(containerSchema).nullish() }).nullish() }).nullish() }).nullish(),
  status: z.looseObject({ desiredNumberScheduled: z.number().int().nullish() }).nullish(),
});

// ---- normalized records ---------------------------------------------------------------------------

export interface ServicePortRecord {
  readonly name: string;
  readonly protocol: string;
  readonly nodePort: boolean;
}

export interface ServiceRecord {
  readonly namespace: string;
  readonly name: string;
  readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  readonly headless: boolean;
  /** The families kube-proxy programs it in (ipFamilies, or from the cluster IPs). */
  readonly families: readonly IpFamily[];
  readonly hasSelector: boolean;
  readonly ports: readonly ServicePortRecord[];
  readonly externalIps: Readonly<Record<IpFamily, number>>;
  readonly loadBalancerIps: Readonly<Record<IpFamily, number>>;
  readonly externalTrafficLocal: boolean;
  readonly loadBalancerSourceRanges: number;
  readonly clientIpAffinity: boolean;
}

/** Endpoint condition bits. */
export const READY = 1;
export const SERVING = 2;
export const TERMINATING = READY << 2;

export interface SliceRecord {
  readonly namespace: string;
  readonly name: string;
  /** The Service it belongs to (label kubernetes.io/service-name). */
  readonly serviceName: string;
  readonly family: IpFamily;
  readonly ports: readonly { readonly name: string; readonly protocol: string; readonly port: number | null }[];
  /** Each endpoint's first address and its condition bits. */
  readonly endpoints: readonly { readonly address: string; readonly conditions: number }[];
}

export interface NodeRecord {
  readonly name: string;
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly kernelVersion: string;
  readonly architecture: string | null;
  readonly instanceType: string | null;
  readonly provider: string | null;
  readonly controlPlane: boolean;
}

export interface KubeProxyConfigRecord {
  readonly from: string;
  readonly mode: string | null;
  readonly minSyncPeriodSec: number | null;
  readonly syncPeriodSec: number | null;
  readonly conntrackMaxPerCore: number | null;
  readonly conntrackMin: number | null;
}

export interface CiliumConfigRecord {
  readonly from: string;
  readonly kubeProxyReplacement: string | null;
  readonly socketLb: boolean | null;
  readonly ctGlobalTcpMax: number | null;
  readonly ctGlobalAnyMax: number | null;
  readonly mapDynamicSizeRatio: number | null;
}

export type KubeRecord =
  | { readonly kind: 'Service'; readonly record: ServiceRecord }
  | { readonly kind: 'EndpointSlice'; readonly record: SliceRecord }
  | { readonly kind: 'Node'; readonly record: NodeRecord }
  | { readonly kind: 'KubeProxyConfig'; readonly record: KubeProxyConfigRecord }
  | { readonly kind: 'CiliumConfig'; readonly record: CiliumConfigRecord }
  | { readonly kind: 'skipped'; readonly reason: string; readonly warning?: string };

// ---- helpers --------------------------------------------------------------------------------------

function objectName(kind: string, value: unknown): string {
  const m = (value as { metadata?: { name?: unknown; namespace?: unknown } } | null)?.metadata;
  const name = typeof m?.name === 'string' ? m.name : '(no name)';
  return typeof m?.namespace === 'string' && m.namespace !== '' ? `${kind}/${m.namespace}/${name}` : `${kind}/${name}`;
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, kind: string, where: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(the object)';
  let got = value;
  for (const p of issue.path) got = (got as Record<PropertyKey, unknown> | undefined)?.[p as PropertyKey];
  const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, PREVIEW_CHARS);
  throw new ImportError(`${where}: ${objectName(kind, value)}: ${field}: ${issue.message} (got ${shown})`);
}

const familyOfIp = (ip: string): IpFamily => (ip.includes(':') ? 'IPv6' : 'IPv4');

function countByFamily(ips: readonly string[]): Record<IpFamily, number> {
  const out: Record<IpFamily, number> = { IPv4: 0, IPv6: 0 };
  for (const ip of ips) if (ip !== '') out[familyOfIp(ip)]++;
  return out;
}

const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;

/** Public clouds whose nodes the model treats as cloud VMs (spec.providerID scheme). */
const CLOUD_PROVIDERS = new Set(['aws', 'gce', 'azure', 'digitalocean', 'linode', 'hcloud', 'oci', 'ibm', 'alicloud', 'vultr', 'exoscale', 'scaleway', 'ovh', 'tencentcloud', 'huaweicloud']);

export function isCloudProvider(provider: string | null): boolean {
  return provider !== null && CLOUD_PROVIDERS.has(provider);
}

// ---- readers --------------------------------------------------------------------------------------

function readService(value: unknown, where: string): KubeRecord {
  const s = parseWith(serviceSchema, value, 'Service', where);
  const spec = s.spec ?? {};
  const id = objectName('Service', value);
  const typeText = spec.type ?? 'ClusterIP';
  if (!(SERVICE_TYPES as readonly string[]).includes(typeText)) {
    throw new ImportError(`${where}: ${id}: spec.type: "${typeText}" is not a Service type (allowed: ${SERVICE_TYPES.join(', ')})`);
  }
  const type = typeText as ServiceRecord['type'];
  const clusterIPs = (spec.clusterIPs ?? []).filter((ip) => ip !== '');
  const clusterIP = spec.clusterIP ?? clusterIPs[0] ?? '';
  const headless = clusterIP === 'None';
  let families: IpFamily[] = [];
  if (spec.ipFamilies && spec.ipFamilies.length > 0) {
    for (const [i, f] of spec.ipFamilies.entries()) {
      if (f !== 'IPv4' && f !== 'IPv6') throw new ImportError(`${where}: ${id}: spec.ipFamilies[${i}]: "${f}" is not an IP family (allowed: IPv4, IPv6)`);
      if (!families.includes(f)) families.push(f);
    }
  } else {
    const ips = clusterIPs.length > 0 ? clusterIPs : clusterIP !== '' && !headless ? [clusterIP] : [];
    families = [...new Set(ips.map(familyOfIp))];
  }
  const ports = (spec.ports ?? []).map((p, i) => {
    if (p.port === 0) throw new ImportError(`${where}: ${id}: spec.ports[${i}].port: expected a port in [1, 65535], got 0`);
    return { name: p.name ?? '', protocol: (p.protocol ?? 'TCP').toUpperCase(), nodePort: (p.nodePort ?? 0) > 0 };
  });
  const ingressIps = (s.status?.loadBalancer?.ingress ?? [])
    .filter((g) => typeof g.ip === 'string' && g.ip !== '' && (g.ipMode ?? 'VIP') === 'VIP')
    .map((g) => g.ip!);
  const selector = spec.selector ?? {};
  return {
    kind: 'Service',
    record: {
      namespace: s.metadata.namespace ?? 'default',
      name: s.metadata.name,
      type,
      headless,
      families,
      hasSelector: Object.keys(selector).length > 0,
      ports,
      externalIps: countByFamily(spec.externalIPs ?? []),
      loadBalancerIps: type === 'LoadBalancer' ? countByFamily(ingressIps) : { IPv4: 0, IPv6: 0 },
      externalTrafficLocal: spec.externalTrafficPolicy === 'Local',
      loadBalancerSourceRanges: (spec.loadBalancerSourceRanges ?? []).length,
      clientIpAffinity: spec.sessionAffinity === 'ClientIP',
    },
  };
}

function readSlice(value: unknown, where: string): KubeRecord {
  const s = parseWith(sliceSchema, value, 'EndpointSlice', where);
  const id = objectName('EndpointSlice', value);
  if (s.addressType === 'FQDN') return { kind: 'skipped', reason: 'EndpointSlice of addressType FQDN (kube-proxy ignores them)' };
  if (s.addressType !== 'IPv4' && s.addressType !== 'IPv6') {
    throw new ImportError(`${where}: ${id}: addressType: "${s.addressType}" is not allowed (allowed: IPv4, IPv6, FQDN)`);
  }
  const serviceName = s.metadata.labels?.['kubernetes.io/service-name'];
  if (typeof serviceName !== 'string' || serviceName === '') {
    return { kind: 'skipped', reason: 'EndpointSlice without a kubernetes.io/service-name label (kube-proxy ignores it)' };
  }
  const bit = (v: boolean | null | undefined, nilMeans: boolean, flag: number): number => ((v ?? nilMeans) ? flag : 0);
  return {
    kind: 'EndpointSlice',
    record: {
      namespace: s.metadata.namespace ?? 'default',
      name: s.metadata.name,
      serviceName,
      family: s.addressType,
      ports: (s.ports ?? []).map((p) => ({ name: p.name ?? '', protocol: (p.protocol ?? 'TCP').toUpperCase(), port: p.port ?? null })),
      endpoints: (s.endpoints ?? []).map((e) => {
        const c = e.conditions ?? {};
        const ready = c.ready ?? true;
        // The API: a nil ready or serving means true, a nil terminating means false.
        return { address: e.addresses[0]!, conditions: bit(ready, true, READY) | bit(c.serving ?? ready, true, SERVING) | bit(c.terminating, false, TERMINATING) };
      }),
    },
  };
}

function readNode(value: unknown, where: string): KubeRecord {
  const n = parseWith(nodeSchema, value, 'Node', where);
  const id = objectName('Node', value);
  const capacity = n.status?.capacity ?? {};
  const cpu = capacity.cpu === undefined ? null : parseQuantity(capacity.cpu);
  const memory = capacity.memory === undefined ? null : parseQuantity(capacity.memory);
  if (capacity.cpu !== undefined && cpu === null) throw new ImportError(`${where}: ${id}: status.capacity.cpu: "${capacity.cpu}" is not a quantity (e.g. "8" or "7910m")`);
  if (capacity.memory !== undefined && memory === null) throw new ImportError(`${where}: ${id}: status.capacity.memory: "${capacity.memory}" is not a quantity (e.g. "32Gi")`);
  const kernel = n.status?.nodeInfo?.kernelVersion ?? '';
  if (cpu === null || memory === null || kernel === '') {
    const missing = [cpu === null && 'status.capacity.cpu', memory === null && 'status.capacity.memory', kernel === '' && 'status.nodeInfo.kernelVersion'].filter(Boolean).join(', ');
    return { kind: 'skipped', reason: `Node without ${missing}`, warning: `${id}: no ${missing}; not counted in a node class` };
  }
  if (!/^v?\d+\.\d+/.test(kernel)) throw new ImportError(`${where}: ${id}: status.nodeInfo.kernelVersion: "${kernel}" does not start with MAJOR.MINOR`);
  const labels = n.metadata.labels ?? {};
  const provider = /^([a-z0-9-]+):\/\//.exec(n.spec?.providerID ?? '')?.[1] ?? null;
  return {
    kind: 'Node',
    record: {
      name: n.metadata.name,
      cpuCores: Math.max(1, Math.round(cpu)),
      memoryBytes: Math.round(memory),
      kernelVersion: kernel,
      architecture: n.status?.nodeInfo?.architecture ?? null,
      instanceType: labels['node.kubernetes.io/instance-type'] ?? labels['beta.kubernetes.io/instance-type'] ?? null,
      provider,
      controlPlane: 'node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels,
    },
  };
}

/**
 * The value at `path` of a YAML document, for the flat maps a KubeProxyConfiguration is made of
 * (nested keys by indentation, scalars, quotes); null when absent, empty or null.
 */
export function yamlScalar(text: string, path: readonly string[]): string | null {
  const stack: { indent: number; key: string }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '');
    const m = /^(?<lead>\s*)(?<key>[A-Za-z0-9_.-]+)\s*:\s*(?<rest>.*)$/.exec(line);
    if (m === null || line.trimStart().startsWith('#')) continue;
    const { lead, key, rest } = m.groups as { lead: string; key: string; rest: string };
    const indent = lead.length;
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const keys = [...stack.map((s) => s.key), key];
    const value = rest.trim();
    if (keys.length === path.length && keys.every((k, i) => k === path[i])) {
      const unquoted = value.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
      return value === '' || value === 'null' || value === '~' ? (value === '' ? '' : null) : unquoted;
    }
    if (value === '') stack.push({ indent, key });
  }
  return null;
}

const positiveOrNull = (v: number | null): number | null => (v !== null && v > 0 ? v : null);

function kubeProxyConfigFrom(text: string, from: string): KubeProxyConfigRecord {
  const intOf = (s: string | null): number | null => (s === null || s === '' ? null : positiveOrNull(Number.isFinite(Number(s)) ? Number(s) : null));
  return {
    from,
    mode: yamlScalar(text, ['mode']),
    minSyncPeriodSec: positiveOrNull(parseGoDurationSec(yamlScalar(text, ['iptables', 'minSyncPeriod']) ?? yamlScalar(text, ['nftables', 'minSyncPeriod']))),
    syncPeriodSec: positiveOrNull(parseGoDurationSec(yamlScalar(text, ['iptables', 'syncPeriod']) ?? yamlScalar(text, ['nftables', 'syncPeriod']))),
    conntrackMaxPerCore: intOf(yamlScalar(text, ['conntrack', 'maxPerCore'])),
    conntrackMin: intOf(yamlScalar(text, ['conntrack', 'min'])),
  };
}

function readConfigMap(value: unknown, where: string): KubeRecord {
  const c = parseWith(configMapSchema, value, 'ConfigMap', where);
  const id = objectName('ConfigMap', value);
  const data = c.data ?? {};
  for (const [key, text] of Object.entries(data)) {
    if (typeof text === 'string' && /kind:\s*KubeProxyConfiguration/.test(text)) return { kind: 'KubeProxyConfig', record: kubeProxyConfigFrom(text, `${id} (${key})`) };
  }
  if (c.metadata.name === 'cilium-config') {
    const get = (k: string): string | null => (typeof data[k] === 'string' ? data[k]!.trim() : null);
    const num = (k: string): number | null => {
      const v = get(k);
      return v === null || v === '' || !Number.isFinite(Number(v)) ? null : Number(v);
    };
    const sock = get('bpf-lb-sock') ?? get('enable-socket-lb');
    return {
      kind: 'CiliumConfig',
      record: {
        from: id,
        kubeProxyReplacement: get('kube-proxy-replacement'),
        socketLb: sock === null ? null : sock === 'true',
        ctGlobalTcpMax: positiveOrNull(num('bpf-ct-global-tcp-max')),
        ctGlobalAnyMax: positiveOrNull(num('bpf-ct-global-any-max')),
        mapDynamicSizeRatio: positiveOrNull(num('bpf-map-dynamic-size-ratio')),
      },
    };
  }
  return { kind: 'skipped', reason: 'ConfigMap other than the kube-proxy configuration and cilium-config' };
}

/** `--flag=value` or `--flag value` in a container's command and args. */
function flagValue(argv: readonly string[], flag: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
    if (a === flag && i + 1 < argv.length) return argv[i + 1]!;
  }
  return null;
}

function readDaemonSet(value: unknown, where: string): KubeRecord {
  const d = parseWith(daemonSetSchema, value, 'DaemonSet', where);
  const id = objectName('DaemonSet', value);
  const containers = d.spec?.template?.spec?.containers ?? [];
  const image = (c: (typeof containers)[number]): string => c.image ?? '';
  const kubeProxy = containers.find((c) => /(^|\/)kube-proxy[:@]/.test(image(c)) || c.name === 'kube-proxy');
  if (kubeProxy !== undefined || d.metadata.name === 'kube-proxy') {
    const argv = [...(kubeProxy?.command ?? []), ...(kubeProxy?.args ?? [])];
    const mode = flagValue(argv, '--proxy-mode');
    const num = (flag: string): number | null => {
      const v = flagValue(argv, flag);
      return v === null ? null : positiveOrNull(Number(v));
    };
    return {
      kind: 'KubeProxyConfig',
      record: {
        from: `${id} (flags)`,
        mode,
        minSyncPeriodSec: positiveOrNull(parseGoDurationSec(flagValue(argv, '--iptables-min-sync-period'))),
        syncPeriodSec: positiveOrNull(parseGoDurationSec(flagValue(argv, '--iptables-sync-period'))),
        conntrackMaxPerCore: num('--conntrack-max-per-core'),
        conntrackMin: num('--conntrack-min'),
      },
    };
  }
  const agent = containers.find((c) => /(^|\/)cilium[:@]/.test(image(c)) || c.name === 'cilium-agent');
  if (agent !== undefined || d.metadata.name === 'cilium') {
    const argv = [...(agent?.command ?? []), ...(agent?.args ?? [])];
    const env = (name: string): string | null => agent?.env?.find((e) => e.name === name)?.value ?? null;
    const kpr = flagValue(argv, '--kube-proxy-replacement') ?? env('CILIUM_KUBE_PROXY_REPLACEMENT');
    const sock = flagValue(argv, '--bpf-lb-sock');
    return {
      kind: 'CiliumConfig',
      record: { from: `${id} (flags)`, kubeProxyReplacement: kpr, socketLb: sock === null ? null : sock === 'true', ctGlobalTcpMax: null, ctGlobalAnyMax: null, mapDynamicSizeRatio: null },
    };
  }
  return { kind: 'skipped', reason: 'DaemonSet other than kube-proxy and cilium' };
}

const READERS: Record<string, (value: unknown, where: string) => KubeRecord> = {
  Service: readService,
  EndpointSlice: readSlice,
  Node: readNode,
  ConfigMap: readConfigMap,
  DaemonSet: readDaemonSet,
};

/** The kind of an item: its own, else its List's ("ServiceList" holds Services), else null. */
export function kindOf(value: unknown, listKind: string | undefined): string | null {
  const own = (value as { kind?: unknown } | null)?.kind;
  if (typeof own === 'string' && own !== '') return own;
  if (listKind !== undefined && listKind.endsWith('List') && listKind !== 'List') return listKind.slice(0, -'List'.length);
  return null;
}

/** One dump item as the record the profile uses, or why it is skipped. Throws ImportError for a malformed object it would use. */
export function readKubeObject(value: unknown, where: string, listKind?: string): KubeRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'skipped', reason: 'not a Kubernetes object' };
  const kind = kindOf(value, listKind);
  if (kind === null) return { kind: 'skipped', reason: 'object without kind' };
  const reader = READERS[kind];
  if (reader === undefined) {
    const apiVersion = (value as { apiVersion?: unknown }).apiVersion;
    const custom = typeof apiVersion === 'string' && apiVersion.includes('.') && !/\.k8s\.io\//.test(apiVersion) && apiVersion.includes('/');
    if (kind === 'Endpoints') return { kind: 'skipped', reason: 'Endpoints (kube-proxy reads EndpointSlices: dump those)' };
    return { kind: 'skipped', reason: custom ? `custom resource ${kind} (${apiVersion.split('/')[0]})` : `kind ${kind} (not used)` };
  }
  if (kind === 'EndpointSlice') {
    const apiVersion = (value as { apiVersion?: unknown }).apiVersion;
    if (typeof apiVersion === 'string' && !apiVersion.startsWith('discovery.k8s.io/')) return { kind: 'skipped', reason: `EndpointSlice of apiVersion ${apiVersion}` };
  }
  return reader(value, where);
}
