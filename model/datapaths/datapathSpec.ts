/**
 * What one run of a datapath simulates: which datapath, the Services programmed on the node, the
 * connection workload, the node (cores, clock, governor, NIC, JIT, kernel, memory, conntrack size)
 * and the run length. Units are in the field names. `datapathSpec(overrides)` fills every field
 * not given from the calibration table (a typical lightly loaded node: 8 cores at 3.6 GHz with the
 * performance governor, an Ice Lake-SP with idle states down to C1E, a 10 GbE ixgbe NIC, JIT on,
 * Linux 6.1, 32 GiB, no wire loss; 1000 connections/s of 10 requests each to 5000 Services of 3
 * endpoints) and checks the result, naming the field, the value and what is allowed.
 */
import { calibratedParams } from '../calibration/index.ts';
import { GOVERNOR_NAMES, type GovernorName } from '../cpu/governor.ts';
import { CPU_MODEL_NAMES, DEFAULT_NODE_IDLE, IDLE_LIMIT_NAMES, type CpuModelName, type IdleLimitName } from '../cpu/idleStates.ts';
import { parseKernelVersion } from '../ebpf/kernelVersion.ts';
import { LOOKUP_MODEL_NAMES, type LookupModelName } from '../lookup/lookupModel.ts';
import { HALT_POLLING_MODES, type HaltPollingMode } from '../hypervisor/vcpuIdle.ts';
import { isVmNicName, NIC_MODEL_NAMES, VM_NIC_MODEL_NAMES, type NicModelName } from '../nic/nicModel.ts';

/** The four datapaths (the same names as the Service-lookup strategies they are built around). */
export const DATAPATH_NAMES: readonly LookupModelName[] = LOOKUP_MODEL_NAMES;
export type DatapathName = LookupModelName;

/** The connection workload and the Services it targets. */
export interface PathWorkloadParams {
  /** Poisson rate of new connections from client pods on the node, connections/s. */
  readonly connectionsPerSec: number;
  /** Request/response exchanges per connection (K). */
  readonly requestsPerConnection: number;
  /** ClusterIP Services (one port each) on the node. */
  readonly services: number;
  /** Endpoints of each Service. */
  readonly endpointsPerService: number;
  /** Request payload, B. */
  readonly requestBytes: number;
  /** Response payload, B. */
  readonly responseBytes: number;
}

export const defaultPathWorkloadParams: PathWorkloadParams = calibratedParams({
  connectionsPerSec: 'datapath.connectionsPerSec',
  requestsPerConnection: 'datapath.requestsPerConnection',
  services: 'datapath.services',
  endpointsPerService: 'datapath.endpointsPerService',
  requestBytes: 'datapath.requestBytes',
  responseBytes: 'datapath.responseBytes',
});

/** The node's numbers (its NIC, governor and JIT are names and flags, see DatapathSpec). */
export interface PathNodeParams {
  readonly cores: number;
  /** Highest clock the governor may pick (scaling_max_freq), Hz. */
  readonly cpuFreqHz: number;
  readonly nodeMemoryBytes: number;
  readonly kernelMajor: number;
  readonly kernelMinor: number;
  /** How fast other work displaces cached structures (cold caches, model/lookup/cacheWarmth.ts), B/us. */
  readonly cachePressureBytesPerUs: number;
}

export const defaultPathNodeParams: PathNodeParams = calibratedParams({
  cores: 'node.cores',
  cpuFreqHz: 'cpu.referenceFreqHz',
  nodeMemoryBytes: 'node.memoryBytes',
  kernelMajor: 'node.kernelMajor',
  kernelMinor: 'node.kernelMinor',
  cachePressureBytesPerUs: 'lookup.cachePressureBytesPerUs',
});

/** How long to simulate. */
export interface PathRunParams {
  /** New connections arrive during [0, durationSec); the run then drains. */
  readonly durationSec: number;
  /** Connections opened before this are not measured; CPU and throughput are measured over [warmupSec, durationSec). */
  readonly warmupSec: number;
}

export const defaultPathRunParams: PathRunParams = calibratedParams({
  durationSec: 'datapath.durationSec',
  warmupSec: 'datapath.warmupSec',
});

export interface DatapathSpec extends PathWorkloadParams, PathNodeParams, PathRunParams {
  readonly datapath: DatapathName;
  readonly governor: GovernorName;
  /** Processor model: its idle states (intel_idle tables, or a KVM guest's halt). */
  readonly cpuModel: CpuModelName;
  /** Deepest idle state the node allows (poll = idle=poll: no exit latency). */
  readonly idleState: IdleLimitName;
  /** PM QoS resume-latency limit (cpu_dma_latency), us; undefined = none. */
  readonly pmQosLatencyUs: number | undefined;
  /** Random loss on the wire, each direction, per packet, in [0, 1). */
  readonly lossFraction: number;
  readonly nic: NicModelName;
  /** A guest NIC's halt polling: off, host (KVM's halt_poll_ns only, the kernels' default), on (the guest's haltpoll too); undefined = the preset's. */
  readonly haltPolling: HaltPollingMode | undefined;
  /** A guest NIC's interrupts reach a running vCPU as posted interrupts (APICv); undefined = the preset's. */
  readonly postedInterrupts: boolean | undefined;
  /** Propagation and switching between the two nodes, one way, us; undefined = the NIC preset's (one switch hop; a cloud zone's fabric for ena and gvnic). */
  readonly fabricOneWayUs: number | undefined;
  /** net.core.bpf_jit_enable (Cilium datapaths only; kube-proxy paths run no BPF). */
  readonly jit: boolean;
  /** kernel.bpf_stats_enabled. */
  readonly bpfStatsEnabled: boolean;
  /** An explicit table size (nf_conntrack_max or bpf-ct-global-tcp-max); default: computed from cores / RAM. */
  readonly conntrackMaxEntries: number | undefined;
  /**
   * Where in the conntrack GC cycle the run starts, as a fraction of the GC interval (0 = just after
   * a pass; matters only where GC purges closing entries of a nearly full nf_conntrack table).
   * undefined = a random phase drawn from the seed.
   */
  readonly conntrackGcPhaseFraction: number | undefined;
  /** Idle, established connections already in the conntrack table when the run starts. */
  readonly preexistingIdleConnections: number;
  /**
   * kube-proxy iptables only: the backend's node also walks its whole KUBE-SERVICES chain for the
   * new inbound connection (true in a cluster where that node runs kube-proxy iptables). Default
   * false: the topology the nftables blog's numbers imply (see README).
   */
  readonly remoteNodeKubeServicesWalk: boolean;
  /**
   * kube-proxy iptables: the 1-based KUBE-SERVICES positions each connection's Service is drawn
   * from, uniformly over the list (a cluster's real positions from iptables-save, one per Service
   * port; each in [1, services]). undefined = uniform over 1..services.
   */
  readonly servicePositions: readonly number[] | undefined;
}

/** The typical lightly loaded node and workload (every number from the calibration table). */
export function datapathSpec(overrides: Partial<DatapathSpec> = {}): DatapathSpec {
  const spec: DatapathSpec = {
    datapath: 'kube-proxy-nftables',
    ...defaultPathWorkloadParams,
    ...defaultPathNodeParams,
    ...defaultPathRunParams,
    governor: 'performance',
    ...DEFAULT_NODE_IDLE,
    pmQosLatencyUs: undefined,
    lossFraction: 0,
    nic: 'physical-10g',
    haltPolling: undefined,
    postedInterrupts: undefined,
    fabricOneWayUs: undefined,
    jit: true,
    bpfStatsEnabled: false,
    conntrackMaxEntries: undefined,
    conntrackGcPhaseFraction: undefined,
    preexistingIdleConnections: 0,
    remoteNodeKubeServicesWalk: false,
    servicePositions: undefined,
    ...stripUndefined(overrides),
  };
  checkDatapathSpec(spec);
  return Object.freeze(spec);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** The kernel version string of a spec ("6.1"). */
export function specKernelVersion(spec: Pick<DatapathSpec, 'kernelMajor' | 'kernelMinor'>): string {
  return `${spec.kernelMajor}.${spec.kernelMinor}`;
}

/** Throws a RangeError naming the field, the value and what is allowed. */
export function checkDatapathSpec(s: DatapathSpec): void {
  const oneOf = (field: string, value: unknown, allowed: readonly string[]): void => {
    if (!allowed.includes(value as string)) throw new RangeError(`${field} must be one of ${allowed.join(', ')}, got "${String(value)}"`);
  };
  const int = (field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void => {
    if (!(Number.isSafeInteger(value) && value >= min && value <= max)) {
      throw new RangeError(`${field} must be an integer in [${min}, ${max}], got ${value}`);
    }
  };
  const positive = (field: string, value: number): void => {
    if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${field} must be a finite number > 0, got ${value}`);
  };
  const bool = (field: string, value: unknown): void => {
    if (typeof value !== 'boolean') throw new RangeError(`${field} must be true or false, got ${String(value)}`);
  };
  oneOf('datapath', s.datapath, DATAPATH_NAMES);
  oneOf('governor', s.governor, GOVERNOR_NAMES);
  oneOf('cpuModel', s.cpuModel, CPU_MODEL_NAMES);
  oneOf('idleState', s.idleState, IDLE_LIMIT_NAMES);
  if (s.pmQosLatencyUs !== undefined && !(s.pmQosLatencyUs >= 0 && Number.isFinite(s.pmQosLatencyUs))) {
    throw new RangeError(`pmQosLatencyUs must be a finite number >= 0 or undefined, got ${s.pmQosLatencyUs}`);
  }
  if (!(s.lossFraction >= 0 && s.lossFraction < 1)) throw new RangeError(`lossFraction must be in [0, 1), got ${s.lossFraction}`);
  if (!(s.cachePressureBytesPerUs >= 0 && Number.isFinite(s.cachePressureBytesPerUs))) {
    throw new RangeError(`cachePressureBytesPerUs must be a finite number >= 0, got ${s.cachePressureBytesPerUs}`);
  }
  oneOf('nic', s.nic, NIC_MODEL_NAMES);
  const vmNic = isVmNicName(s.nic);
  if (s.haltPolling !== undefined) {
    oneOf('haltPolling', s.haltPolling, HALT_POLLING_MODES);
    if (!vmNic) throw new RangeError(`haltPolling applies to a guest NIC (${VM_NIC_MODEL_NAMES.join(', ')}), got nic "${s.nic}"`);
  }
  if (s.postedInterrupts !== undefined) {
    bool('postedInterrupts', s.postedInterrupts);
    if (!vmNic) throw new RangeError(`postedInterrupts applies to a guest NIC (${VM_NIC_MODEL_NAMES.join(', ')}), got nic "${s.nic}"`);
  }
  if (s.fabricOneWayUs !== undefined && !(s.fabricOneWayUs >= 0 && Number.isFinite(s.fabricOneWayUs))) {
    throw new RangeError(`fabricOneWayUs must be a finite number >= 0 or undefined, got ${s.fabricOneWayUs}`);
  }
  if (vmNic && s.cpuModel === 'kvm-guest-haltpoll') {
    throw new RangeError(`cpuModel "kvm-guest-haltpoll" describes a guest's idle loop; with a guest NIC (nic "${s.nic}") the node is a VM already and cpuModel names its host's processor (set haltPolling instead)`);
  }
  bool('jit', s.jit);
  bool('bpfStatsEnabled', s.bpfStatsEnabled);
  bool('remoteNodeKubeServicesWalk', s.remoteNodeKubeServicesWalk);
  positive('connectionsPerSec', s.connectionsPerSec);
  int('requestsPerConnection', s.requestsPerConnection, 1);
  int('services', s.services, 1);
  int('endpointsPerService', s.endpointsPerService, 1);
  int('requestBytes', s.requestBytes, 1);
  int('responseBytes', s.responseBytes, 1);
  int('cores', s.cores, 1);
  positive('cpuFreqHz', s.cpuFreqHz);
  int('nodeMemoryBytes', s.nodeMemoryBytes, 1);
  int('kernelMajor', s.kernelMajor, 0);
  int('kernelMinor', s.kernelMinor, 0);
  parseKernelVersion(specKernelVersion(s));
  if (s.conntrackMaxEntries !== undefined) int('conntrackMaxEntries', s.conntrackMaxEntries, 1);
  int('preexistingIdleConnections', s.preexistingIdleConnections, 0);
  const positions = s.servicePositions;
  if (positions !== undefined) {
    if (!Array.isArray(positions) || positions.length === 0) throw new RangeError(`servicePositions must be a non-empty list or undefined, got ${JSON.stringify(positions)}`);
    const bad = positions.findIndex((p) => !(Number.isSafeInteger(p) && p >= 1 && p <= s.services));
    if (bad >= 0) throw new RangeError(`servicePositions[${bad}] must be an integer in [1, services = ${s.services}], got ${positions[bad]}`);
  }
  const phase = s.conntrackGcPhaseFraction;
  if (phase !== undefined && !(phase >= 0 && phase < 1)) throw new RangeError(`conntrackGcPhaseFraction must be in [0, 1) or undefined, got ${phase}`);
  positive('durationSec', s.durationSec);
  if (!(s.warmupSec >= 0 && s.warmupSec < s.durationSec)) {
    throw new RangeError(`warmupSec must be in [0, durationSec = ${s.durationSec}), got ${s.warmupSec}`);
  }
}
