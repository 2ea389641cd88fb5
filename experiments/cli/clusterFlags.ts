/**
 * `--cluster FILE [--node-class NAME]` for the one-off commands (path, capacity, conntrack,
 * propagation, throughput): a cluster profile (svcpath import) supplies every default it knows,
 * and flags the user gives win. The profile's values become the command's own flags (so they are
 * checked, shown and reported exactly as typed ones), and what no flag carries (a node class's RAM
 * and kernel, its configured conntrack size, iptables' real KUBE-SERVICES positions) comes back as
 * spec fields or node-preset overrides for the command to merge.
 */
import { UsageError } from './args.ts';
import type { ClusterProfile, NodeClass } from '../../model/cluster/clusterProfile.ts';
import {
  clusterPropagationFields, clusterServices, configuredConntrackEntries, nodeClassOf, nodeClassPreset, nodeClassPresetOverrides, nodeClassSpec, propagationProxy,
} from '../../model/cluster/clusterSpecs.ts';
import { DATAPATH_NAMES, type DatapathName, type DatapathSpec } from '../../model/datapaths/datapathSpec.ts';
import { conntrackImplOf } from '../../model/datapaths/datapath.ts';
import type { CloudAllowanceParams, NodePresetOverrides } from '../../model/node/nodePreset.ts';
import { hzToGhz } from '../../model/units.ts';
import { ProfileError, readClusterProfile } from '../cluster/profileSchema.ts';

const WHAT: Record<ClusterCommand, string> = {
  path: 'datapath, Services, endpoints, the real KUBE-SERVICES positions (iptables),\n                           and the node class\'s cores, clock, NIC, RAM, kernel and conntrack size',
  capacity: 'datapath, Services, endpoints, the real KUBE-SERVICES positions (iptables),\n                           and the node class\'s cores, clock, NIC, RAM, kernel and conntrack size',
  conntrack: 'table (from the proxy mode), the measured count as --connections, and the node\n                           class\'s cores, RAM, kernel and configured table size',
  propagation: 'proxy, its nodes, Services, endpoints and kube-proxy\'s minSyncPeriod',
  throughput: 'datapath and the node class (its preset, cores and RAM)',
};

/** The help lines of --cluster and --node-class for `command`. */
export function clusterFlagsHelp(command: ClusterCommand): string {
  return `  --cluster FILE           a cluster profile (svcpath import) supplies the defaults: its ${WHAT[command]};
                           flags given explicitly win
  --node-class NAME        the profile's node class (default: the largest with workers)`;
}

export type ClusterCommand = 'path' | 'capacity' | 'conntrack' | 'propagation' | 'throughput';

export interface ClusterArgs {
  /** The arguments with --cluster and --node-class replaced by the flags the profile supplies. */
  readonly argv: string[];
  /** path, capacity: spec fields no flag carries (RAM, kernel, conntrack size, positions). */
  readonly spec: Partial<DatapathSpec>;
  /** throughput: the node class as overrides of its preset. */
  readonly preset: NodePresetOverrides;
  /** path, capacity: the node class's cloud allowances (a cloud VM's class, no --node given). */
  readonly cloud: CloudAllowanceParams | undefined;
  readonly profile: ClusterProfile | undefined;
  readonly nodeClass: NodeClass | null;
}

/** The value of `--name V` or `--name=V` in argv, and argv without it. */
function takeFlag(argv: readonly string[], name: string): { value: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    let v: string | undefined;
    if (a === `--${name}`) {
      v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      i++;
    } else if (a.startsWith(`--${name}=`)) v = a.slice(`--${name}=`.length);
    else {
      rest.push(a);
      continue;
    }
    if (value !== undefined) throw new UsageError(`--${name} given twice ("${value}" and "${v}")`);
    if (v === '') throw new UsageError(`--${name} needs a value`);
    value = v;
  }
  return { value, rest };
}

const has = (argv: readonly string[], name: string): boolean => argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`));

/** The profile in `file`; a ProfileError is a usage error naming --cluster, the file and the field. */
export function loadProfile(file: string): ClusterProfile {
  try {
    return readClusterProfile(file);
  } catch (e) {
    if (e instanceof ProfileError) throw new UsageError(`--cluster: ${e.message}`);
    throw e;
  }
}

function datapathOf(argv: readonly string[], profile: ClusterProfile, file: string): DatapathName {
  const given = takeFlag(argv, 'datapath').value;
  if (given !== undefined) {
    if (!DATAPATH_NAMES.includes(given as DatapathName)) throw new UsageError(`--datapath: "${given}" is not allowed; allowed: ${DATAPATH_NAMES.join(', ')}`);
    return given as DatapathName;
  }
  if (profile.proxy.datapath === null) {
    throw new UsageError(`--cluster: ${file} runs proxy mode "${profile.proxyMode}", which svcpath does not model; give --datapath (${DATAPATH_NAMES.join(', ')})`);
  }
  return profile.proxy.datapath;
}

/** Replaces --cluster and --node-class in `argv` by the flags and fields the profile supplies for `command`. */
export function expandClusterArgs(argv: readonly string[], command: ClusterCommand): ClusterArgs {
  const cluster = takeFlag(argv, 'cluster');
  const nodeClassFlag = takeFlag(cluster.rest, 'node-class');
  let out = nodeClassFlag.rest;
  if (cluster.value === undefined) {
    if (nodeClassFlag.value !== undefined) throw new UsageError('--node-class needs --cluster (the profile whose node class it names)');
    return { argv: out, spec: {}, preset: {}, cloud: undefined, profile: undefined, nodeClass: null };
  }
  const file = cluster.value;
  const profile = loadProfile(file);
  let k: NodeClass | null;
  try {
    k = nodeClassOf(profile, nodeClassFlag.value);
  } catch (e) {
    throw new UsageError(`--node-class: ${(e as Error).message.replace(/ is not in the profile/, ` is not in ${file}`)}`);
  }
  const add = (flag: string, value: string | number | undefined): void => {
    if (value !== undefined && !has(out, flag)) out = [...out, `--${flag}`, String(value)];
  };
  const node = k === null ? {} : nodeClassSpec(k);
  const presetGiven = has(out, 'node');
  const spec: Partial<DatapathSpec> = {};
  const preset: NodePresetOverrides = {};
  let cloud: CloudAllowanceParams | undefined;

  if (command === 'path' || command === 'capacity') {
    const datapath = datapathOf(out, profile, file);
    const svc = clusterServices(profile, datapath);
    const positions = svc.servicePositions !== undefined && !has(out, 'services') ? { servicePositions: svc.servicePositions } : {};
    add('datapath', datapath);
    add('services', svc.services);
    add('endpoints', svc.endpointsPerService);
    if (!presetGiven) {
      add('cores', node.cores);
      add('cpu-ghz', node.cpuFreqHz === undefined ? undefined : hzToGhz(node.cpuFreqHz));
      add('nic', node.nic);
      Object.assign(spec, k === null ? {} : { nodeMemoryBytes: node.nodeMemoryBytes, kernelMajor: node.kernelMajor, kernelMinor: node.kernelMinor });
      cloud = k === null ? undefined : nodeClassPreset(k).cloud;
    }
    const ct = configuredConntrackEntries(profile, datapath, Number(takeFlag(out, 'cores').value ?? node.cores ?? 1));
    Object.assign(spec, positions, ct === undefined || k === null ? {} : { conntrackMaxEntries: ct });
  } else if (command === 'conntrack') {
    const datapath = profile.proxy.datapath;
    const impl = has(out, 'impl') ? takeFlag(out, 'impl').value : datapath === null ? undefined : conntrackImplOf(datapath);
    add('impl', impl);
    add('connections', profile.conntrackEntries ?? undefined);
    add('cores', node.cores);
    add('memory-bytes', node.nodeMemoryBytes);
    add('kernel-version', k?.kernelVersion);
    if (datapath !== null && impl === conntrackImplOf(datapath)) {
      add('max-entries', configuredConntrackEntries(profile, datapath, Number(takeFlag(out, 'cores').value ?? node.cores ?? 1)));
    }
  } else if (command === 'propagation') {
    const proxyGiven = takeFlag(out, 'proxy').value;
    const datapath: DatapathName | null =
      proxyGiven === 'cilium' ? 'cilium-tc' : proxyGiven === 'kube-proxy-iptables' || proxyGiven === 'kube-proxy-nftables' ? proxyGiven : profile.proxy.datapath;
    if (datapath === null) throw new UsageError(`--cluster: ${file} runs proxy mode "${profile.proxyMode}", which svcpath does not model; give --proxy`);
    const size = clusterPropagationFields(profile, datapath);
    add('proxy', propagationProxy(datapath));
    add('nodes', size.nodes);
    add('services', size.services);
    add('endpoints', size.endpointsPerService);
    add('min-sync-period-sec', size.minSyncPeriodSec);
  } else {
    add('datapath', datapathOf(out, profile, file));
    add('node', k?.nodePreset);
    const presetName = takeFlag(out, 'node').value;
    if (k !== null && presetName === k.nodePreset) Object.assign(preset, nodeClassPresetOverrides(k));
  }
  return { argv: out, spec, preset, cloud, profile, nodeClass: k };
}
