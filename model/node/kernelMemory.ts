/**
 * A node's kernel memory by owner over days or weeks, for the datapath's tables (seed Q8: "kernel
 * memory grows 40 % over three weeks with a 10K-rule policy: a BPF map leak?"):
 *   nf_conntrack   slab objects, one per tracked connection (320 B) + the hash buckets: follows the
 *                  entries, so it grows with connections that stay tracked, up to nf_conntrack_max
 *                  (kube-proxy nodes; a Cilium node keeps only the kernel's bucket array: its pod
 *                  traffic bypasses netfilter)
 *   cilium-ct-nat  Cilium's CT (TCP and non-TCP) and NAT maps: BPF LRU hash maps, preallocated at
 *                  their max_entries when the agent starts: constant, whatever the traffic
 *   policy-maps    one LPM-trie policy map per endpoint, a node allocated per entry (72 B) when the
 *                  policy is written: entries = rules x peers x ports, at most bpf-policy-map-max per
 *                  endpoint; they change when the policy does, not with traffic
 *   lb-maps        Cilium's Service, backend and reverse-NAT maps: plain hash maps created with no
 *                  flags, i.e. preallocated at bpf-lb-map-max: constant
 * The connections: normal traffic (a rate, each connection open for a while, then its closing
 * timeout) and, optionally, a leak (connections that never close: refreshed forever, like a UDP
 * flow that keeps sending or a TCP keepalive, or idle until the table's established timeout). Their
 * entries come from the aggregate model (conntrackOccupancy.ts), checked against the discrete-event
 * table on short horizons. Not modelled: iptables/nftables rule memory, socket buffers, the agent's
 * own (user-space) memory, BPF program images and anything outside these tables.
 */
import { calibratedParams } from '../calibration/index.ts';
import { bpfHtabElementBytes, ciliumCtDynamicEntries, ciliumCtMemoryBytes, ciliumCtSizing, defaultCiliumCtSizingParams } from '../conntrack/ciliumCtSizing.ts';
import { defaultConntrackGcParams } from '../conntrack/conntrackPolicy.ts';
import { defaultCiliumCtTimeoutsParams, defaultKubeProxyConntrackTimeoutsParams } from '../conntrack/conntrackTimeouts.ts';
import { defaultNfConntrackSizingParams, nfConntrackMemoryBytes, nfConntrackSizing } from '../conntrack/nfConntrackSizing.ts';
import { defaultPolicyMapParams, policyMapState, rulePeerPairs, type PolicyMapState } from '../controlplane/policyMap.ts';
import { regenerationSec } from '../controlplane/policyRegeneration.ts';
import { ciliumLbMapMaxEntries, datapathFor } from '../datapaths/datapath.ts';
import { DATAPATH_NAMES, datapathSpec, type DatapathName } from '../datapaths/datapathSpec.ts';
import { defaultCiliumServiceLookupParams } from '../lookup/bpfServiceLookup.ts';
import { htabBucketCount } from '../ebpf/mapLookup.ts';
import { parseKernelVersion } from '../ebpf/kernelVersion.ts';
import { SEC_PER_DAY } from '../units.ts';
import { conntrackOccupancy, type FlowClass } from './conntrackOccupancy.ts';

export const KERNEL_MEMORY_OWNERS = ['nf_conntrack', 'cilium-ct-nat', 'policy-maps', 'lb-maps'] as const;
export type KernelMemoryOwner = (typeof KERNEL_MEMORY_OWNERS)[number];

export interface KernelMemoryParams {
  readonly natDefaultEntries: number;
  readonly natMinEntries: number;
  readonly natKeyBytes: number;
  readonly natValueBytes: number;
  readonly lbRevNatKeyBytes: number;
  readonly lbRevNatValueBytes: number;
  readonly policyPeersPerRule: number;
  readonly policyPortsPerRule: number;
  readonly connectionHoldSec: number;
}

export const defaultKernelMemoryParams: KernelMemoryParams = calibratedParams({
  natDefaultEntries: 'node.memory.natDefaultEntries',
  natMinEntries: 'node.memory.natMinEntries',
  natKeyBytes: 'node.memory.natKeyBytes',
  natValueBytes: 'node.memory.natValueBytes',
  lbRevNatKeyBytes: 'node.memory.lbRevNatKeyBytes',
  lbRevNatValueBytes: 'node.memory.lbRevNatValueBytes',
  policyPeersPerRule: 'node.memory.policyPeersPerRule',
  policyPortsPerRule: 'node.memory.policyPortsPerRule',
  connectionHoldSec: 'node.memory.connectionHoldSec',
});

/** The workload and node defaults of a memory run. */
export interface KernelMemoryWorkloadParams {
  readonly endpointsPerNode: number;
  readonly connectionsPerSec: number;
  /** The datapath's default policy-map fill, entries per endpoint (sets the default rule count). */
  readonly policyEntriesPerEndpoint: number;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly kernelMajor: number;
  readonly kernelMinor: number;
  readonly services: number;
  readonly endpointsPerService: number;
}

export const defaultKernelMemoryWorkloadParams: KernelMemoryWorkloadParams = calibratedParams({
  endpointsPerNode: 'node.memory.endpointsPerNode',
  connectionsPerSec: 'datapath.connectionsPerSec',
  policyEntriesPerEndpoint: 'datapath.ciliumPolicyMapEntries',
  cores: 'node.cores',
  memoryBytes: 'node.memoryBytes',
  kernelMajor: 'node.kernelMajor',
  kernelMinor: 'node.kernelMinor',
  services: 'datapath.services',
  endpointsPerService: 'datapath.endpointsPerService',
});

/** Longest run accepted, days. */
export const KERNEL_MEMORY_MAX_DAYS = 366; // calibration-exempt: an input bound (a year), not a model quantity
/** Most samples in a run's series. */
export const KERNEL_MEMORY_MAX_SAMPLES = 100_000;

export interface KernelMemorySpec {
  readonly datapath: DatapathName;
  readonly days: number;
  /** Step of the series, s. */
  readonly sampleSec: number;
  /** Policy rules that select every endpoint on the node (each: peers x ports entries). */
  readonly policyRules: number;
  readonly endpointsPerNode: number;
  /** Normal connections per second from the node's pods. */
  readonly connectionsPerSec: number;
  /** Connections per second that never close. */
  readonly leakConnectionsPerSec: number;
  /** Leaked connections keep sending (refreshed forever) or stay idle until the established timeout. */
  readonly leakRefreshed: boolean;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly kernelVersion: string;
  readonly services: number;
  readonly endpointsPerService: number;
  /** bpf-policy-map-max. */
  readonly policyMapMaxEntries: number;
  /** An explicit conntrack table size (nf_conntrack_max or bpf-ct-global-tcp-max). */
  readonly conntrackMaxEntries: number | undefined;
}

/** A spec from the calibrated defaults and `overrides`; throws naming the field, the value and what is allowed. */
export function kernelMemorySpec(overrides: Partial<KernelMemorySpec> & Pick<KernelMemorySpec, 'datapath' | 'days'>, p: KernelMemoryParams = defaultKernelMemoryParams): KernelMemorySpec {
  const w = defaultKernelMemoryWorkloadParams;
  const spec: KernelMemorySpec = {
    sampleSec: SEC_PER_DAY,
    policyRules: Math.round(w.policyEntriesPerEndpoint / (p.policyPeersPerRule * p.policyPortsPerRule)),
    endpointsPerNode: w.endpointsPerNode,
    connectionsPerSec: w.connectionsPerSec,
    leakConnectionsPerSec: 0,
    leakRefreshed: true,
    cores: w.cores,
    memoryBytes: w.memoryBytes,
    kernelVersion: `${w.kernelMajor}.${w.kernelMinor}`,
    services: w.services,
    endpointsPerService: w.endpointsPerService,
    policyMapMaxEntries: defaultPolicyMapParams.maxEntries,
    conntrackMaxEntries: undefined,
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  } as KernelMemorySpec;
  checkKernelMemorySpec(spec);
  return Object.freeze(spec);
}

export function checkKernelMemorySpec(s: KernelMemorySpec): void {
  if (!DATAPATH_NAMES.includes(s.datapath)) throw new RangeError(`datapath must be one of ${DATAPATH_NAMES.join(', ')}, got "${String(s.datapath)}"`);
  if (!(s.days > 0 && s.days <= KERNEL_MEMORY_MAX_DAYS)) throw new RangeError(`days must be in (0, ${KERNEL_MEMORY_MAX_DAYS}], got ${s.days}`);
  const horizon = s.days * SEC_PER_DAY;
  if (!(s.sampleSec > 0 && s.sampleSec <= horizon)) throw new RangeError(`sampleSec must be in (0, ${horizon}] (the run), got ${s.sampleSec}`);
  if (horizon / s.sampleSec > KERNEL_MEMORY_MAX_SAMPLES) throw new RangeError(`days / sampleSec must give at most ${KERNEL_MEMORY_MAX_SAMPLES} samples, got ${Math.ceil(horizon / s.sampleSec)}`);
  const int = (field: string, v: number, min: number): void => {
    if (!(Number.isSafeInteger(v) && v >= min)) throw new RangeError(`${field} must be an integer >= ${min}, got ${v}`);
  };
  int('policyRules', s.policyRules, 0);
  int('endpointsPerNode', s.endpointsPerNode, 0);
  int('cores', s.cores, 1);
  int('memoryBytes', s.memoryBytes, 1);
  int('services', s.services, 1);
  int('endpointsPerService', s.endpointsPerService, 1);
  if (s.conntrackMaxEntries !== undefined) int('conntrackMaxEntries', s.conntrackMaxEntries, 1);
  for (const f of ['connectionsPerSec', 'leakConnectionsPerSec'] as const) {
    if (!(s[f] >= 0) || !Number.isFinite(s[f])) throw new RangeError(`${f} must be a finite number >= 0, got ${s[f]}`);
  }
  if (typeof s.leakRefreshed !== 'boolean') throw new RangeError(`leakRefreshed must be true or false, got ${String(s.leakRefreshed)}`);
  parseKernelVersion(s.kernelVersion);
  if (!(Number.isSafeInteger(s.policyMapMaxEntries) && s.policyMapMaxEntries >= defaultPolicyMapParams.minAllowedEntries && s.policyMapMaxEntries <= defaultPolicyMapParams.maxAllowedEntries)) {
    throw new RangeError(`policyMapMaxEntries must be an integer in [${defaultPolicyMapParams.minAllowedEntries}, ${defaultPolicyMapParams.maxAllowedEntries}], got ${s.policyMapMaxEntries}`);
  }
}

export interface KernelMemorySample {
  /** Start of the sample, s. */
  readonly tSec: number;
  /** Time-averaged bytes over the sample, by owner. */
  readonly bytes: Readonly<Record<KernelMemoryOwner, number>>;
  readonly totalBytes: number;
  /** Time-averaged conntrack entries held (capped at the table), and needed by the connections. */
  readonly conntrackEntries: number;
  readonly conntrackNeededEntries: number;
}

export interface KernelMemoryOwnerSummary {
  readonly owner: KernelMemoryOwner;
  /** Mean over the first and the last sample, B. */
  readonly firstBytes: number;
  readonly lastBytes: number;
  readonly growthBytes: number;
  /** The most this owner can take on this node with this datapath and endpoint count, B. */
  readonly boundBytes: number;
  /** Allocated whole up front (never grows). */
  readonly preallocated: boolean;
  /** What makes it grow. */
  readonly growsWith: string;
}

export interface KernelMemoryResult {
  readonly spec: KernelMemorySpec;
  readonly series: readonly KernelMemorySample[];
  readonly owners: readonly KernelMemoryOwnerSummary[];
  readonly firstTotalBytes: number;
  readonly lastTotalBytes: number;
  readonly growthBytes: number;
  /** Owners with no upper bound on this node: none of the modelled tables (each has a size limit). */
  readonly unboundedOwners: readonly KernelMemoryOwner[];
  readonly conntrack: {
    readonly impl: 'nf_conntrack' | 'cilium-ct';
    readonly capacityEntries: number;
    readonly entriesPerConnection: number;
    /** When the table first fills, s (null: never). */
    readonly fullAtSec: number | null;
  };
  readonly policy: PolicyMapState & { readonly endpoints: number; readonly rulePeerPairs: number; readonly regenerationSec: number };
}

export function simulateKernelMemory(spec: KernelMemorySpec, p: KernelMemoryParams = defaultKernelMemoryParams): KernelMemoryResult {
  checkKernelMemorySpec(spec);
  const horizon = spec.days * SEC_PER_DAY;
  const dp = datapathFor(datapathSpec({ datapath: spec.datapath, services: spec.services, endpointsPerService: spec.endpointsPerService }));
  const cilium = dp.conntrack === 'cilium-ct';
  const maxEntries = spec.conntrackMaxEntries === undefined ? {} : { maxEntries: spec.conntrackMaxEntries };
  const perConn = dp.ctEntriesPerConnection;

  // ---- connection tracking --------------------------------------------------------------------------
  const nf = nfConntrackSizing({ memoryBytes: spec.memoryBytes, cores: spec.cores, kernelVersion: spec.kernelVersion, kubeProxy: !cilium, ...(cilium ? {} : maxEntries) });
  const ct = ciliumCtSizing({ memoryBytes: spec.memoryBytes, ...maxEntries });
  const capacityEntries = cilium ? ct.capacityEntries : nf.capacityEntries;
  const closingSec = cilium ? defaultCiliumCtTimeoutsParams.tcpFinTimeoutSec : defaultKubeProxyConntrackTimeoutsParams.tcpTimeWaitTimeoutSec;
  const establishedSec = cilium ? defaultCiliumCtTimeoutsParams.tcpRegularTimeoutSec : defaultKubeProxyConntrackTimeoutsParams.tcpEstablishedTimeoutSec;
  const gcSec = cilium ? defaultConntrackGcParams.ciliumGcIntervalSec : defaultConntrackGcParams.nfGcIntervalSec;
  const classes: FlowClass[] = [
    { name: 'normal', ratePerSec: spec.connectionsPerSec * perConn, startSec: 0, endSec: Infinity, lifetimeSec: p.connectionHoldSec + closingSec },
  ];
  if (spec.leakConnectionsPerSec > 0) {
    classes.push({ name: 'leak', ratePerSec: spec.leakConnectionsPerSec * perConn, startSec: 0, endSec: Infinity, lifetimeSec: spec.leakRefreshed ? Infinity : establishedSec });
  }
  const occ = conntrackOccupancy(classes, gcSec, capacityEntries, horizon, spec.sampleSec);

  // ---- preallocated maps -------------------------------------------------------------------------------
  const ctNatBytes = cilium ? ciliumCtNatBytes(spec.memoryBytes, ct.capacityEntries, ct.anyCapacityEntries, p) : 0;
  const lbBytes = cilium ? ciliumLbMapBytes(spec.services, spec.endpointsPerService, p) : 0;
  // A Cilium node keeps nf_conntrack's kernel-default bucket array (its pod traffic bypasses netfilter).
  const nfBucketBytes = nfConntrackMemoryBytes(0, nf.buckets, defaultNfConntrackSizingParams);

  // ---- policy maps --------------------------------------------------------------------------------------
  const rules = Array.from({ length: spec.policyRules }, () => ({ peerIdentities: p.policyPeersPerRule, portsProtocols: p.policyPortsPerRule, direction: 'ingress' as const }));
  const pairs = rulePeerPairs(rules);
  const policyParams = { ...defaultPolicyMapParams, maxEntries: spec.policyMapMaxEntries };
  const policy = policyMapState(spec.policyRules * p.policyPeersPerRule * p.policyPortsPerRule, policyParams);
  const endpoints = cilium ? spec.endpointsPerNode : 0;
  const policyBytes = endpoints * policy.memoryBytes;

  const series: KernelMemorySample[] = occ.samples.map((s) => {
    const nfBytes = cilium ? nfBucketBytes : nfConntrackMemoryBytes(s.meanEntries, nf.buckets, defaultNfConntrackSizingParams);
    const bytes = { nf_conntrack: nfBytes, 'cilium-ct-nat': ctNatBytes, 'policy-maps': policyBytes, 'lb-maps': lbBytes };
    return {
      tSec: s.startSec, bytes, totalBytes: nfBytes + ctNatBytes + policyBytes + lbBytes,
      conntrackEntries: s.meanEntries, conntrackNeededEntries: s.meanNeededEntries,
    };
  });
  const first = series[0]!;
  const last = series[series.length - 1]!;
  const bound: Record<KernelMemoryOwner, number> = {
    nf_conntrack: cilium ? nfBucketBytes : nf.memoryBytesAtCapacity,
    'cilium-ct-nat': ctNatBytes,
    'policy-maps': endpoints * policyParams.maxEntries * policyParams.entryBytes,
    'lb-maps': lbBytes,
  };
  const growsWith: Record<KernelMemoryOwner, string> = {
    nf_conntrack: cilium ? 'nothing (Cilium bypasses netfilter; the bucket array is fixed)' : 'tracked connections, up to nf_conntrack_max',
    'cilium-ct-nat': cilium ? 'nothing (preallocated LRU maps)' : 'nothing (not on this datapath)',
    'policy-maps': cilium ? 'policy rules x peers x ports, up to bpf-policy-map-max per endpoint, when the policy changes' : 'nothing (not on this datapath)',
    'lb-maps': cilium ? 'nothing (preallocated at bpf-lb-map-max)' : 'nothing (not on this datapath)',
  };
  const owners: KernelMemoryOwnerSummary[] = KERNEL_MEMORY_OWNERS.map((owner) => ({
    owner,
    firstBytes: first.bytes[owner],
    lastBytes: last.bytes[owner],
    growthBytes: last.bytes[owner] - first.bytes[owner],
    boundBytes: bound[owner],
    preallocated: owner === 'cilium-ct-nat' || owner === 'lb-maps',
    growsWith: growsWith[owner],
  }));
  return {
    spec,
    series,
    owners,
    firstTotalBytes: first.totalBytes,
    lastTotalBytes: last.totalBytes,
    growthBytes: last.totalBytes - first.totalBytes,
    unboundedOwners: [],
    conntrack: { impl: dp.conntrack, capacityEntries, entriesPerConnection: perConn, fullAtSec: occ.fullAtSec },
    policy: { ...policy, endpoints, rulePeerPairs: pairs, regenerationSec: regenerationSec(pairs) },
  };
}

/** Cilium's CT (TCP and non-TCP, 120 B elements) and NAT maps, preallocated, B. */
export function ciliumCtNatBytes(memoryBytes: number, ctTcpEntries: number, ctAnyEntries: number, p: KernelMemoryParams = defaultKernelMemoryParams): number {
  const sizing = defaultCiliumCtSizingParams;
  // NAT: sized like the CT maps (dynamic sizing scales its default, floor natMinEntries).
  const natRaw = Math.floor((ciliumCtDynamicEntries(memoryBytes, 'tcp', sizing, { clamp: false }) * p.natDefaultEntries) / sizing.tcpDefaultEntries);
  const natEntries = Math.min(sizing.maxEntries, Math.max(p.natMinEntries, natRaw));
  const natBytes = natEntries * bpfHtabElementBytes(p.natKeyBytes, p.natValueBytes, sizing) + htabBucketCount(natEntries) * sizing.bucketBytes;
  return ciliumCtMemoryBytes(ctTcpEntries, sizing) + ciliumCtMemoryBytes(ctAnyEntries, sizing) + natBytes;
}

/** Cilium's Service, backend and reverse-NAT maps, preallocated at bpf-lb-map-max (raised to fit the Services), B. */
export function ciliumLbMapBytes(services: number, endpointsPerService: number, p: KernelMemoryParams = defaultKernelMemoryParams): number {
  const lb = defaultCiliumServiceLookupParams;
  const sizing = defaultCiliumCtSizingParams;
  const max = ciliumLbMapMaxEntries(services, endpointsPerService);
  const map = (keyBytes: number, valueBytes: number): number => max * bpfHtabElementBytes(keyBytes, valueBytes, sizing) + htabBucketCount(max) * sizing.bucketBytes;
  return map(lb.serviceKeyBytes, lb.serviceValueBytes) + map(lb.backendKeyBytes, lb.backendValueBytes) + map(p.lbRevNatKeyBytes, p.lbRevNatValueBytes);
}
