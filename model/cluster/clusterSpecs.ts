/**
 * From a cluster profile to the model's inputs: a node class becomes the node of a DatapathSpec
 * (cores, memory, kernel, the clock and NIC of its preset, the conntrack size kube-proxy or Cilium
 * is configured with), the Services become the Service count, endpoints per Service and, for
 * iptables, the real positions in KUBE-SERVICES; and the cluster becomes a propagation scenario
 * (nodes, Services, endpoints, kube-proxy's minSyncPeriod). A growth factor scales Services,
 * endpoints or the connection rate for a what-if. Pure: the profile was read elsewhere.
 *
 * Conventions. `services` of a spec is what the datapath holds: for iptables, the KUBE-SERVICES
 * rules before the trailing KUBE-NODEPORTS jump (from iptables-save when the profile has it, else
 * the Service ports with endpoints), since the first packet walks all of them; for the others,
 * the Service ports with endpoints. Endpoints per Service is the mean over those ports, rounded
 * (at least 1). Growing Services by g multiplies the chain and stretches the positions with it,
 * so each Service keeps its relative place.
 */
import { parseKernelVersion } from '../ebpf/kernelVersion.ts';
import { defaultNfConntrackSizingParams } from '../conntrack/nfConntrackSizing.ts';
import type { DatapathName, DatapathSpec } from '../datapaths/datapathSpec.ts';
import type { NicModelName } from '../nic/nicModel.ts';
import { nodePreset, type NodePreset, type NodePresetOverrides } from '../node/nodePreset.ts';
import { ghzToHz } from '../units.ts';
import type { ClusterProfile, NodeClass } from './clusterProfile.ts';

/** How much the cluster grows in a what-if: a factor on each quantity (1 = as it is). */
export interface ClusterGrowth {
  readonly services: number;
  readonly endpoints: number;
  readonly connections: number;
}

export const NO_GROWTH: ClusterGrowth = Object.freeze({ services: 1, endpoints: 1, connections: 1 });

function checkGrowth(g: ClusterGrowth): void {
  for (const [k, v] of Object.entries(g)) if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`growth.${k} must be a finite number > 0, got ${v}`);
}

/** The class named `name`, or the default: the largest class with workers (then the largest). Null for a profile without nodes. */
export function nodeClassOf(profile: ClusterProfile, name?: string): NodeClass | null {
  if (name !== undefined) {
    const k = profile.nodeClasses.find((c) => c.name === name);
    if (k === undefined) {
      throw new RangeError(`node class "${name}" is not in the profile; allowed: ${profile.nodeClasses.map((c) => `"${c.name}"`).join(', ') || '(the profile has no node classes)'}`);
    }
    return k;
  }
  const byCount = [...profile.nodeClasses].sort((a, b) => b.count - b.controlPlaneNodes - (a.count - a.controlPlaneNodes) || b.count - a.count);
  return byCount[0] ?? null;
}

/** The classes a plan covers: those with workers (all of them when every class is control plane). */
export function workerClasses(profile: ClusterProfile): NodeClass[] {
  const workers = profile.nodeClasses.filter((k) => k.count > k.controlPlaneNodes);
  return workers.length > 0 ? workers : [...profile.nodeClasses];
}

/** The guest NIC of a provider's VMs where the model has it (AWS's ENA, GCP's gVNIC, vSphere's VMXNET3). */
const PROVIDER_NIC: Readonly<Record<string, NicModelName>> = { aws: 'ena', gce: 'gvnic', vsphere: 'vmxnet3' };

/** A class's NIC: its provider's guest NIC when the model has it, else its preset's. */
export function nodeClassNic(k: NodeClass): NicModelName {
  return PROVIDER_NIC[k.provider ?? ''] ?? nodePreset(k.nodePreset).nic;
}

/** The node of a class as a node preset: its preset with the class's cores, RAM, provider's NIC and (when known) clock. */
export function nodeClassPreset(k: NodeClass): NodePreset {
  return nodePreset(k.nodePreset, nodeClassPresetOverrides(k));
}

/** The overrides of a class's preset that make it the class's node. */
export function nodeClassPresetOverrides(k: NodeClass): NodePresetOverrides {
  return { cores: k.cpuCores, memoryBytes: k.memoryBytes, nic: nodeClassNic(k), ...(k.cpuGhz === null ? {} : { cpuMaxFreqHz: ghzToHz(k.cpuGhz) }) };
}

/** The node of a class as DatapathSpec fields (the preset's clock unless the class says its clock; its provider's NIC). */
export function nodeClassSpec(k: NodeClass): Partial<DatapathSpec> {
  const preset = nodePreset(k.nodePreset);
  const kernel = parseKernelVersion(k.kernelVersion);
  return {
    cores: k.cpuCores,
    nodeMemoryBytes: k.memoryBytes,
    kernelMajor: kernel.major,
    kernelMinor: kernel.minor,
    cpuFreqHz: k.cpuGhz === null ? preset.cpuMaxFreqHz : ghzToHz(k.cpuGhz),
    nic: nodeClassNic(k),
  };
}

const isKubeProxy = (d: DatapathName): boolean => d === 'kube-proxy-iptables' || d === 'kube-proxy-nftables';

/**
 * The conntrack table size the cluster configured for `datapath` on a node of `cores` cores, or
 * undefined for the model's default (kube-proxy's default sizing, or Cilium's dynamic sizing):
 * kube-proxy's conntrack.maxPerCore and min (max(maxPerCore x cores, min), the unset one at its
 * default), Cilium's bpf-ct-global-tcp-max.
 */
export function configuredConntrackEntries(profile: ClusterProfile, datapath: DatapathName, cores: number): number | undefined {
  if (isKubeProxy(datapath)) {
    const kp = profile.proxy.kubeProxy;
    if (kp === null || (kp.conntrackMaxPerCore === null && kp.conntrackMin === null)) return undefined;
    const perCore = kp.conntrackMaxPerCore ?? defaultNfConntrackSizingParams.kubeProxyMaxPerCore;
    const min = kp.conntrackMin ?? defaultNfConntrackSizingParams.kubeProxyMinEntries;
    return Math.max(perCore * cores, min);
  }
  return profile.proxy.cilium?.ctGlobalTcpMax ?? undefined;
}

/**
 * A cluster an experiment runs on (`svcpath run NAME --cluster FILE`): the profile, and the node
 * class whose node the scenarios simulate (null: the profile has no nodes; the typical node).
 */
export interface ClusterInput {
  readonly profile: ClusterProfile;
  readonly nodeClass: NodeClass | null;
}

/** The chain length iptables' positions were taken from: KUBE-SERVICES without its trailing jump. */
function positionsChain(profile: ClusterProfile, positions: readonly number[]): number {
  return Math.max((profile.kubeServicesRules ?? 1) - 1, ...positions);
}

/** Positions stretched by `factor` onto a chain of `services` rules, each kept in [1, services]. */
function stretchPositions(positions: readonly number[], factor: number, services: number): readonly number[] {
  return factor === 1 && positions.every((p) => p <= services) ? positions : positions.map((p) => Math.min(services, Math.max(1, Math.round(p * factor))));
}

/**
 * iptables' real KUBE-SERVICES positions stretched onto a chain of `services` rules (each Service
 * keeps its relative place), or undefined when the datapath is not iptables or the profile has no
 * iptables-save positions.
 */
export function clusterPositionsAt(profile: ClusterProfile, datapath: DatapathName, services: number): readonly number[] | undefined {
  const positions = profile.servicePositions;
  if (datapath !== 'kube-proxy-iptables' || positions === null || positions.length === 0 || profile.kubeServicesRules === null) return undefined;
  if (!(Number.isInteger(services) && services >= 1)) throw new RangeError(`services must be an integer >= 1, got ${services}`);
  return stretchPositions(positions, services / positionsChain(profile, positions), services);
}

/**
 * The DatapathSpec fields a path scenario takes from the cluster it runs on, at `services`
 * Services: the node class's node (cores, clock, NIC, RAM, kernel) and its configured conntrack
 * size, and iptables' real positions stretched to `services`. Empty without a cluster.
 */
export function clusterNodeFields(cluster: ClusterInput | undefined, datapath: DatapathName, services: number): Partial<DatapathSpec> {
  if (cluster === undefined) return {};
  const k = cluster.nodeClass;
  const node = k === null ? {} : nodeClassSpec(k);
  const ct = k === null ? undefined : configuredConntrackEntries(cluster.profile, datapath, k.cpuCores);
  const positions = clusterPositionsAt(cluster.profile, datapath, services);
  return { ...node, ...(ct === undefined ? {} : { conntrackMaxEntries: ct }), ...(positions === undefined ? {} : { servicePositions: positions }) };
}

export interface ClusterServices {
  readonly services: number;
  readonly endpointsPerService: number;
  /** iptables only, when the profile has them: 1-based KUBE-SERVICES positions to draw the target's from. */
  readonly servicePositions: readonly number[] | undefined;
  /** Where the positions come from. */
  readonly positionsFrom: 'iptables-save' | 'uniform';
}

/** The Services a node of the cluster holds for `datapath`, grown by `growth`. */
export function clusterServices(profile: ClusterProfile, datapath: DatapathName, growth: ClusterGrowth = NO_GROWTH): ClusterServices {
  checkGrowth(growth);
  const ports = profile.servicePortsWithEndpoints;
  if (ports < 1) throw new RangeError(`the profile "${profile.name}" has no Service ports with endpoints: nothing to plan`);
  const endpointsPerService = Math.max(1, Math.round(profile.endpointsPerServicePort.mean * growth.endpoints));
  const positions = profile.servicePositions;
  if (datapath === 'kube-proxy-iptables' && positions !== null && positions.length > 0 && profile.kubeServicesRules !== null) {
    const chain = positionsChain(profile, positions);
    const services = Math.max(1, Math.round(chain * growth.services));
    const servicePositions = stretchPositions(positions, growth.services, services);
    return { services, endpointsPerService, servicePositions, positionsFrom: 'iptables-save' };
  }
  return { services: Math.max(1, Math.round(ports * growth.services)), endpointsPerService, servicePositions: undefined, positionsFrom: 'uniform' };
}

/**
 * The cluster's workload as an experiment's parameters: its datapath (null when the model does not
 * model its proxy mode), the Services that datapath holds (iptables: the KUBE-SERVICES chain; the
 * Service ports with endpoints otherwise) and the endpoints per Service.
 */
export function clusterWorkload(profile: ClusterProfile): { datapath: DatapathName | null; services: number; endpointsPerService: number } {
  const datapath = profile.proxy.datapath;
  const svc = clusterServices(profile, datapath ?? 'kube-proxy-nftables');
  return { datapath, services: svc.services, endpointsPerService: svc.endpointsPerService };
}

/**
 * The DatapathSpec fields of a node of class `k` (null: the typical node) running `datapath` in the
 * cluster, grown by `growth`: the node, the Services (with iptables' real positions when the
 * profile has them) and the connection rate (`connectionsPerSec` per node, times growth.connections).
 */
export function clusterSpecFields(
  profile: ClusterProfile,
  k: NodeClass | null,
  datapath: DatapathName,
  connectionsPerSec: number,
  growth: ClusterGrowth = NO_GROWTH,
): Partial<DatapathSpec> {
  const node = k === null ? {} : nodeClassSpec(k);
  const svc = clusterServices(profile, datapath, growth);
  const ct = configuredConntrackEntries(profile, datapath, node.cores ?? 1);
  return {
    datapath,
    ...node,
    services: svc.services,
    endpointsPerService: svc.endpointsPerService,
    ...(svc.servicePositions === undefined ? {} : { servicePositions: svc.servicePositions }),
    connectionsPerSec: connectionsPerSec * growth.connections,
    ...(ct === undefined || k === null ? {} : { conntrackMaxEntries: ct }),
  };
}

/** The propagation proxy of a datapath (the two Cilium datapaths share cilium-agent). */
export function propagationProxy(datapath: DatapathName): 'kube-proxy-iptables' | 'kube-proxy-nftables' | 'cilium' {
  return datapath === 'cilium-tc' || datapath === 'cilium-socket-lb' ? 'cilium' : datapath;
}

/** The cluster as a propagation scenario's size (nodes, Services, endpoints, minSyncPeriod), grown by `growth`. */
export function clusterPropagationFields(
  profile: ClusterProfile,
  datapath: DatapathName,
  growth: ClusterGrowth = NO_GROWTH,
): { nodes: number; services: number; endpointsPerService: number; minSyncPeriodSec?: number } {
  checkGrowth(growth);
  const svc = clusterServices(profile, 'kube-proxy-nftables', growth);
  const minSync = profile.proxy.kubeProxy?.minSyncPeriodSec ?? null;
  return {
    nodes: Math.max(1, profile.nodes),
    services: svc.services,
    endpointsPerService: svc.endpointsPerService,
    ...(minSync !== null && isKubeProxy(datapath) ? { minSyncPeriodSec: minSync } : {}),
  };
}
