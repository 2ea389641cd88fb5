/**
 * `svcpath path`: one datapath on one node under a connection workload. Reads the flags, runs
 * simulatePath (model/datapaths) and prints the first-packet and established RTT, the CPU cost per
 * packet and where it goes, drops, throughput and the conntrack table, as a table or one JSON
 * object. The node flags are shared with `svcpath capacity` (parseNodeFlags).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs, intFlag, numberFlag, choiceFlag, UsageError, type ParsedArgs } from './args.ts';
import type { Command } from './command.ts';
import { formatTable } from './textTable.ts';
import { clusterFlagsHelp, expandClusterArgs } from './clusterFlags.ts';
import { L7_PROXY_FLAG_HELP, l7ProxyOutcome, l7ProxyTableLines, parseL7ProxyFlag } from './pathL7Proxy.ts';
import {
  DATAPATH_NAMES, PATH_PACKET_BUDGET, datapathSpec, defaultPathNodeParams, defaultPathRunParams, defaultPathWorkloadParams, pathRunSpec,
  type DatapathSpec, type PacketCostNs, type PathResult, type LatencySummaryUs,
} from '../../model/datapaths/index.ts';
import { GOVERNOR_NAMES } from '../../model/cpu/governor.ts';
import { CPU_MODEL_NAMES, DEFAULT_NODE_IDLE, IDLE_LIMIT_NAMES } from '../../model/cpu/idleStates.ts';
import { LATENCY_CAUSES } from '../../model/datapaths/latencyCauses.ts';
import { HALT_POLLING_MODES } from '../../model/hypervisor/vcpuIdle.ts';
import { isVmNicName, NIC_MODEL_NAMES, nicModelByName, VM_NIC_MODEL_NAMES } from '../../model/nic/nicModel.ts';
import { cloudConnectionRateBound } from '../../model/node/cloudConnectionBound.ts';
import { NODE_PRESET_NAMES, nodePreset, type CloudAllowanceParams } from '../../model/node/nodePreset.ts';
import { BYTES_PER_GIB, BYTES_PER_MIB, ghzToHz, hzToGhz } from '../../model/units.ts';

export const PATH_DEFAULT_SEED = 1;
/** Largest Service count accepted (iptables then walks up to a million rules per new connection). */
export const MAX_SERVICES = 1_000_000;
export const MAX_ENDPOINTS = 1000;
/** Largest --loss-fraction accepted (beyond it most connections never complete). */
const MAX_LOSS_FRACTION = 0.5; // calibration-exempt: an input bound, not a model quantity
/** Largest --cores accepted. */
const MAX_CORES = 256; // calibration-exempt: an input bound, not a model quantity

const D = {
  ...defaultPathWorkloadParams,
  ...defaultPathNodeParams,
  ...defaultPathRunParams,
};

/** Help text for the node flags (shared with capacity). */
export const NODE_FLAGS_HELP = `  --node PRESET            ${NODE_PRESET_NAMES.join(' | ')}: the preset's cores, clock, RAM and
                           NIC (the flags below override them); a cloud VM's bandwidth allowances
                           apply to svcpath throughput, not to this request/response run
  --cores C                cores of the node, an integer in [1, ${MAX_CORES}] (default ${D.cores})
  --cpu-ghz F              highest clock (scaling_max_freq), GHz > 0 (default ${hzToGhz(D.cpuFreqHz)})
  --governor G             ${GOVERNOR_NAMES.join(' | ')} (default performance)
  --nic NIC                ${NIC_MODEL_NAMES.join(' | ')} (default physical-10g: ixgbe, ring 512, adaptive moderation);
                           ${VM_NIC_MODEL_NAMES.join(', ')} make the node a VM (and its peer too): KVM + vhost-net, an AWS
                           Nitro VF, GCP's gVNIC, VMware's VMXNET3, each with its host, exits and wake-ups
  --halt-polling M         a VM's halt polling: off | host (KVM's halt_poll_ns, the default) | on (also the
                           guest's haltpoll driver)
  --posted-interrupts B    a VM's interrupts as posted interrupts (APICv): on (default) | off
  --fabric-us U            propagation between the two nodes, one way, µs >= 0 (default: one switch hop, 1 µs;
                           a cloud zone's fabric, 5 µs, for ena and gvnic)
  --jit on|off             net.core.bpf_jit_enable for the Cilium datapaths (default on)
  --cpu-model M            ${CPU_MODEL_NAMES.join(' | ')}: its idle states (intel_idle
                           tables, or a KVM guest that halt-polls) (default ${DEFAULT_NODE_IDLE.cpuModel})
  --idle-state S           deepest idle state allowed: ${IDLE_LIMIT_NAMES.join(' | ')} (poll = idle=poll, no exit
                           latency) (default ${DEFAULT_NODE_IDLE.idleState}: C6 only where firmware lists it)
  --pm-qos-us U            PM QoS resume-latency limit (cpu_dma_latency), µs >= 0 (default: none)
  --cache-pressure B       bytes per µs by which other work displaces cached lookup structures, >= 0
                           (default ${D.cachePressureBytesPerUs}; 0 = a dedicated node whose caches stay warm)
  --seed S                 an integer >= 0 (default ${PATH_DEFAULT_SEED}); the same seed gives the same result`;

export const NODE_VALUE_FLAGS = [
  'node', 'cores', 'cpu-ghz', 'governor', 'nic', 'halt-polling', 'posted-interrupts', 'fabric-us', 'jit', 'cpu-model', 'idle-state', 'pm-qos-us', 'cache-pressure', 'seed',
] as const;

/** The datapath, Services and node flags both commands take. */
export function parseNodeFlags(args: ParsedArgs): { spec: Partial<DatapathSpec>; seed: number; cloud: CloudAllowanceParams | undefined } {
  const datapath = choiceFlag(args, 'datapath', DATAPATH_NAMES);
  const services = intFlag(args, 'services', { min: 1, max: MAX_SERVICES });
  const endpointsPerService = intFlag(args, 'endpoints', { min: 1, max: MAX_ENDPOINTS });
  const preset = args.values.has('node') ? nodePreset(choiceFlag(args, 'node', NODE_PRESET_NAMES)) : undefined;
  const cores = intFlag(args, 'cores', { min: 1, max: MAX_CORES, fallback: preset?.cores ?? D.cores });
  const cpuGhz = numberFlag(args, 'cpu-ghz', { minExclusive: 0, fallback: hzToGhz(preset?.cpuMaxFreqHz ?? D.cpuFreqHz) });
  if (cpuGhz > 10) throw new UsageError(`--cpu-ghz: expected a number in (0, 10], got "${args.values.get('cpu-ghz')}"`);
  const governor = choiceFlag(args, 'governor', GOVERNOR_NAMES, 'performance');
  const nic = choiceFlag(args, 'nic', NIC_MODEL_NAMES, preset?.nic ?? 'physical-10g');
  const vm: Partial<DatapathSpec> = {};
  for (const flag of ['halt-polling', 'posted-interrupts'] as const) {
    if (args.values.has(flag) && !isVmNicName(nic)) {
      throw new UsageError(`--${flag} applies to a VM's NIC (${VM_NIC_MODEL_NAMES.join(', ')}); --nic ${nic} has no hypervisor under it`);
    }
  }
  if (args.values.has('halt-polling')) Object.assign(vm, { haltPolling: choiceFlag(args, 'halt-polling', HALT_POLLING_MODES) });
  if (args.values.has('posted-interrupts')) Object.assign(vm, { postedInterrupts: choiceFlag(args, 'posted-interrupts', ['on', 'off'] as const) === 'on' });
  if (args.values.has('fabric-us')) Object.assign(vm, { fabricOneWayUs: numberFlag(args, 'fabric-us', { min: 0 }) });
  const jit = choiceFlag(args, 'jit', ['on', 'off'] as const, 'on') === 'on';
  const cpuModel = choiceFlag(args, 'cpu-model', CPU_MODEL_NAMES, DEFAULT_NODE_IDLE.cpuModel);
  const idleState = choiceFlag(args, 'idle-state', IDLE_LIMIT_NAMES, DEFAULT_NODE_IDLE.idleState);
  const pmQos = args.values.has('pm-qos-us') ? { pmQosLatencyUs: numberFlag(args, 'pm-qos-us', { min: 0 }) } : {};
  const cachePressureBytesPerUs = numberFlag(args, 'cache-pressure', { min: 0, fallback: D.cachePressureBytesPerUs });
  const seed = intFlag(args, 'seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: PATH_DEFAULT_SEED });
  const memory = preset === undefined ? {} : { nodeMemoryBytes: preset.memoryBytes };
  return {
    spec: { datapath, services, endpointsPerService, cores, cpuFreqHz: ghzToHz(cpuGhz), governor, nic, jit, cpuModel, idleState, cachePressureBytesPerUs, ...pmQos, ...memory, ...vm },
    seed,
    cloud: preset?.cloud,
  };
}

const SYNOPSIS =
  'svcpath path --datapath kube-proxy-iptables|kube-proxy-nftables|cilium-tc|cilium-socket-lb --services N --endpoints E [--connections-per-sec R] [--requests-per-connection K] [--loss-fraction P] [--node PRESET] [--cores C] [--cpu-ghz F] [--governor G] [--nic physical-10g|physical-25g|virtio|ena|gvnic|vmxnet3] [--halt-polling off|host|on] [--posted-interrupts on|off] [--fabric-us U] [--jit on|off] [--cpu-model M] [--idle-state S] [--pm-qos-us U] [--cache-pressure B] [--l7-proxy on|off] [--seed S] [--json]';

const HELP = `usage: svcpath path --datapath kube-proxy-iptables|kube-proxy-nftables|cilium-tc|cilium-socket-lb
                    --services N --endpoints E
                    [--connections-per-sec R] [--requests-per-connection K] [--loss-fraction P]
                    [--node PRESET] [--cores C] [--cpu-ghz F] [--governor G] [--nic NIC]
                    [--halt-polling off|host|on] [--posted-interrupts on|off] [--fabric-us U] [--jit on|off] [--cpu-model M] [--idle-state S] [--pm-qos-us U] [--cache-pressure B]
                    [--l7-proxy on|off] [--seed S] [--json]

Simulates pod -> ClusterIP Service -> pod through one datapath, packet by packet: client pods on
this node open connections (Poisson) to Services whose backends run on another node; each
connection does K request/response exchanges and closes. The node is modelled in full (NIC ring,
interrupt moderation, NAPI and softirq on its cores at the governor's clock, conntrack, Service
lookup or BPF programs); the wire and the backend's node add their delay. Without the workload
flags this answers "what does one connection see?" on a typical lightly loaded node:
${D.cores} cores at ${hzToGhz(D.cpuFreqHz)} GHz (performance governor; ${DEFAULT_NODE_IDLE.cpuModel}, idle states down to
${DEFAULT_NODE_IDLE.idleState}), physical-10g NIC, JIT on,
Linux ${D.kernelMajor}.${D.kernelMinor}, ${D.nodeMemoryBytes / BYTES_PER_GIB} GiB RAM, ${D.connectionsPerSec} connections/s of ${D.requestsPerConnection} requests
(${D.requestBytes} B request, ${D.responseBytes} B response).

  --datapath D             kube-proxy-iptables (first packet walks KUBE-SERVICES rule by rule),
                           kube-proxy-nftables (verdict maps), cilium-tc (per-packet LB in tc BPF),
                           cilium-socket-lb (translation once at connect()) (required without --cluster)
  --services N             ClusterIP Services of one port on the node, an integer in [1, ${MAX_SERVICES}] (required without --cluster)
  --endpoints E            endpoints of each Service, an integer in [1, ${MAX_ENDPOINTS}] (required without --cluster)
  --connections-per-sec R  new connections per second from the node's client pods, > 0 (default ${D.connectionsPerSec})
  --requests-per-connection K
                           request/response exchanges per connection, an integer in [1, 100000] (default ${D.requestsPerConnection})
  --loss-fraction P        random loss on the wire, each direction, per packet, in [0, 0.5] (default 0);
                           lost SYNs and SYN-ACKs wait the 1 s initial RTO, data the 200 ms minimum RTO
                           (doubling), unless three later segments trigger a fast retransmit
${NODE_FLAGS_HELP}
${clusterFlagsHelp('path')}
${L7_PROXY_FLAG_HELP}
  --json                   print exactly one JSON object on stdout instead of the tables
  --help                   print this text

Connections arrive for ${D.durationSec} s of simulated time (the first ${D.warmupSec} s are not measured); at high
rates the run is shortened to about ${PATH_PACKET_BUDGET.toLocaleString('en-US')} packets, and the output says so (measured window in
seconds; JSON: measuredSec, shortenedByPacketBudget). Output: first-packet RTT (connect() until
the application runs again after the SYN-ACK) and established RTT (request until the application
runs after the whole response), each p01, p50, p90, p99, p99.9 and mean in µs; "why is p99 slow":
each RTT split into causes (idle-state exits, waiting for a core, ksoftirqd, warm and cold Service
lookups, other CPU work, interrupt moderation, the wire, the remote node, application wake-ups,
retransmission timeouts) for the median messages and those at or above the p99 and p99.9; CPU ns
per packet by stage (nic, stack, conntrack, lookup, bpf, connect); drop fraction and drops by
cause, packets lost on the wire; retransmissions by packet kind (SYN, SYN-ACK, request and
response segments, FIN, FIN-ACK) and the connections that retransmitted anything; idle-state
wake-ups and softirq budget squeezes; packets per second; the conntrack table's steady-state
entries and memory. Every default number comes from the calibration table ("svcpath params").

Example: svcpath path --datapath kube-proxy-iptables --services 30000 --endpoints 3`;

export interface PathInputs {
  readonly spec: DatapathSpec;
  readonly seed: number;
  readonly json: boolean;
  /** Requests go through the node's L7 proxy (--l7-proxy on). */
  readonly l7Proxy?: boolean;
  /** The measured window before the packet budget shortened it, s; null when it did not. */
  readonly unshortenedMeasuredSec: number | null;
  /** A cloud VM's allowances (--node cloud-up-to-10g, or a cluster's cloud class), else undefined. */
  readonly cloud?: CloudAllowanceParams;
}

/** On a cloud VM: what its allowances pass after the burst, and the share this run's rate would use. */
export function cloudAllowanceUse(inputs: PathInputs): { boundPerSec: number; limitedBy: string; fill: number } | null {
  if (inputs.cloud === undefined) return null;
  const b = cloudConnectionRateBound(inputs.spec, inputs.cloud);
  return { boundPerSec: b.boundPerSec, limitedBy: b.limitedBy, fill: inputs.spec.connectionsPerSec / b.boundPerSec };
}

export function parsePathArgs(argv: readonly string[]): PathInputs {
  const cluster = expandClusterArgs(argv, 'path');
  const args = parseArgs(cluster.argv, {
    values: ['datapath', 'services', 'endpoints', 'connections-per-sec', 'requests-per-connection', 'loss-fraction', 'l7-proxy', ...NODE_VALUE_FLAGS],
    flags: ['json'],
  });
  const node = parseNodeFlags(args);
  const connectionsPerSec = numberFlag(args, 'connections-per-sec', { minExclusive: 0, fallback: D.connectionsPerSec });
  if (connectionsPerSec > 1e7) throw new UsageError(`--connections-per-sec: expected a number in (0, 1e7], got "${args.values.get('connections-per-sec')}"`);
  const requestsPerConnection = intFlag(args, 'requests-per-connection', { min: 1, max: 100_000, fallback: D.requestsPerConnection });
  const lossFraction = numberFlag(args, 'loss-fraction', { min: 0, fallback: 0 });
  if (lossFraction > MAX_LOSS_FRACTION) {
    throw new UsageError(`--loss-fraction: expected a number in [0, ${MAX_LOSS_FRACTION}], got "${args.values.get('loss-fraction')}"`);
  }
  const full = datapathSpec({ ...cluster.spec, ...node.spec, connectionsPerSec, requestsPerConnection, lossFraction });
  const spec = pathRunSpec(full);
  const fullMeasuredSec = full.durationSec - full.warmupSec;
  const shortened = spec.durationSec - spec.warmupSec < fullMeasuredSec;
  const l7Proxy = parseL7ProxyFlag(args, spec.datapath);
  const cloud = args.values.has('node') ? node.cloud : cluster.cloud;
  return { spec, seed: node.seed, json: args.flags.has('json'), l7Proxy, unshortenedMeasuredSec: shortened ? fullMeasuredSec : null, ...(cloud === undefined ? {} : { cloud }) };
}

const us = (v: number): string => (Number.isFinite(v) ? (v >= 1000 ? v.toFixed(0) : v.toFixed(1)) : '-');
const ns = (v: number): string => (Number.isFinite(v) ? v.toFixed(0) : '-');
const int = (v: number): string => Math.round(v).toLocaleString('en-US');

function latencyRow(name: string, l: LatencySummaryUs): string[] {
  return [name, us(l.p01), us(l.p50), us(l.p90), us(l.p99), us(l.p999), us(l.mean), int(l.count)];
}

function costRow(name: string, c: PacketCostNs): string[] {
  return [name, ns(c.nicNs), ns(c.stackNs), ns(c.conntrackNs), ns(c.lookupNs), ns(c.bpfNs), ns(c.connectNs), ns(c.totalNs)];
}

export function describeNode(s: DatapathSpec): string {
  const loss = s.lossFraction > 0 ? `, wire loss ${s.lossFraction}` : '';
  const fabric = s.fabricOneWayUs === undefined ? '' : `, fabric ${s.fabricOneWayUs} µs one way`;
  return `${s.cores} ${isVmNicName(s.nic) ? 'vCPUs' : 'cores'} at ${hzToGhz(s.cpuFreqHz)} GHz (${s.governor}, ${s.cpuModel} down to ${s.idleState}), ${describeNic(s)}, JIT ${s.jit ? 'on' : 'off'}, Linux ${s.kernelMajor}.${s.kernelMinor}, ${(s.nodeMemoryBytes / BYTES_PER_GIB).toFixed(0)} GiB${loss}${fabric}`;
}

/** The NIC, and for a VM's NIC its hypervisor, halt polling and interrupt delivery. */
function describeNic(s: DatapathSpec): string {
  if (!isVmNicName(s.nic)) return s.nic;
  const vm = nicModelByName(s.nic, { vm: { haltPolling: s.haltPolling, postedInterrupts: s.postedInterrupts } }).vm!;
  return `${s.nic} on ${vm.hypervisor} (halt polling ${vm.haltPolling}, ${vm.postedInterrupts ? 'posted interrupts' : 'no posted interrupts'})`;
}

export function pathReportTable(inputs: PathInputs, r: PathResult, wallSec: number): string {
  const s = inputs.spec;
  const header =
    `${s.datapath}: ${int(s.services)} Services x ${s.endpointsPerService} endpoints; ${int(s.connectionsPerSec)} connections/s x ${s.requestsPerConnection} requests; ` +
    `${describeNode(s)}; seed ${inputs.seed}`;
  const latency = formatTable(
    ['RTT (µs)', 'p01', 'p50', 'p90', 'p99', 'p99.9', 'mean', 'samples'],
    [latencyRow('first packet (connect -> SYN-ACK)', r.firstPacketRttUs), latencyRow('established (request -> response)', r.establishedRttUs)],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  const b = r.perPacketNs;
  const costs = formatTable(
    ['CPU ns per packet', 'nic', 'stack', 'conntrack', 'lookup', 'bpf', 'connect', 'total'],
    [
      costRow('first packet (SYN out)', r.packetCostNs.firstPacket),
      costRow('later packet to the Service', r.packetCostNs.establishedEgress),
      costRow('packet back to the client', r.packetCostNs.ingress),
      [
        'measured mean (incl. interrupts)', ns(b.nicNs), ns(b.stackNs), ns(b.conntrackNs), ns(b.lookupNs), ns(b.bpfNs), ns(b.connectNs), ns(b.totalNs),
      ],
    ],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  const p = r.packets;
  const rows: [string, string][] = [
    ['throughput', `${int(r.throughputPps)} packets/s (core utilisation ${(r.coreUtilization * 100).toFixed(1)}%)`],
    ['drop fraction', `${r.dropFraction.toPrecision(3)} (ring ${int(p.droppedRxRing)}, host backlog ${int(p.droppedHostBacklog)}, cpu backlog ${int(p.droppedCpuBacklog)}, conntrack full ${int(p.droppedConntrackFull)}, tx queue ${int(p.droppedTxQueue)})`],
    ['lost on the wire', `${int(p.lostOnWire)} packets (${int(p.fastRetransmits)} resent by fast retransmit)`],
    ['idle states', idleText(r)],
    ...(r.vm === null ? [] : vmRows(r.vm)),
    ['fabric', `${r.fabricOneWayUs.toPrecision(3)} µs one way between the nodes`],
    ...cloudRows(inputs),
    ['softirq budget', `${int(r.softirq.timeSqueeze)} rounds ran out (time_squeeze), ${int(r.softirq.ksoftirqdHandoffs)} hand-offs to ksoftirqd`],
    ['Service lookups', `${int(r.serviceLookups.perPacket)} on packets, ${int(r.serviceLookups.atConnect)} at connect()`],
    ['conntrack', `${r.conntrackImpl}: ${int(r.conntrackEntries)} of ${int(r.conntrackCapacityEntries)} entries in steady state, ${(r.conntrackMemoryBytes / BYTES_PER_MIB).toFixed(1)} MiB`],
    ['connections', `${int(r.connections.measured)} measured, ${int(r.connections.retried)} retransmitted a packet, ${int(r.connections.failed)} failed`],
    ['retransmissions', retransmissionsText(r.retransmissions)],
    ['measured window', measuredWindowText(inputs, r)],
  ];
  return [
    header,
    '',
    latency,
    '',
    whyTable(r),
    '',
    costs,
    `(per-kind rows at ${hzToGhz(r.packetCostNs.atFreqHz).toFixed(2)} GHz, no queueing)`,
    '',
    formatTable(['metric', 'value'], rows, ['left', 'left']),
    '',
    `simulated ${r.simulatedSec.toFixed(3)} s, ${int(r.packetsSimulated)} packets, ${int(r.events)} events in ${wallSec.toFixed(2)} s wall clock`,
  ].join('\n');
}

const CAUSE_LABELS: Record<(typeof LATENCY_CAUSES)[number], string> = {
  idleExit: 'idle-state exits',
  coreWait: 'waiting for a core',
  ksoftirqd: 'ksoftirqd',
  warmWalk: 'Service lookup (warm)',
  coldWalk: 'Service lookup (cold part)',
  otherWork: 'other CPU work',
  nicModeration: 'interrupt moderation',
  vmExit: 'VM exits (kicks, injection, vCPU wake)',
  hostWakeup: 'VM host wake-ups',
  host: 'VM host (worker, host stack)',
  wire: 'wire (TX queue, serialisation)',
  fabric: 'fabric (between the nodes)',
  remote: 'remote node',
  appWakeup: 'application wake-ups',
  retransmission: 'retransmission timeouts',
};

/** "Why is p99 slow": the mean split of the median messages next to those at or above p99 and p99.9. */
function whyTable(r: PathResult): string {
  const f = r.tailAttribution.firstPacket;
  const e = r.tailAttribution.established;
  const cols = [f.p50, f.p99, f.p999, e.p50, e.p99, e.p999];
  const rows = LATENCY_CAUSES.map((c) => [CAUSE_LABELS[c], ...cols.map((s) => us(s.causesUs[c]))]);
  rows.push(['RTT (mean of the messages)', ...cols.map((s) => us(s.rttUs))]);
  rows.push(['messages', ...cols.map((s) => int(s.messages))]);
  return formatTable(
    ['why is p99 slow (µs per message)', 'first p50', 'first >=p99', 'first >=p99.9', 'est. p50', 'est. >=p99', 'est. >=p99.9'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

function idleText(r: PathResult): string {
  const i = r.idle;
  const w = Object.entries(i.wakeups).filter(([, n]) => n > 0).map(([state, n]) => `${state} ${int(n)}`).join(', ') || 'none';
  const qos = i.pmQosLatencyUs === null ? '' : `, PM QoS ${i.pmQosLatencyUs} µs`;
  return `${i.cpuModel}, deepest ${i.idleState}${qos}; wake-ups from ${w}; mean exit ${i.meanExitLatencyUs.toFixed(1)} µs`;
}

function vmRows(v: NonNullable<PathResult['vm']>): [string, string][] {
  const f = (x: number): string => x.toFixed(2);
  const w = v.vcpuWakeupsPerPacket;
  return [
    ['VM boundary (per packet)', `${v.hypervisor}: kicks ${f(v.kicksPerPacket)}, injections into a running vCPU ${f(v.runningInjectionsPerPacket)}, vCPU wake-ups polling in the guest ${f(w.guestPoll)} / halted, host polling ${f(w.hostPoll)} / asleep ${f(w.asleep)}, host worker wake-ups ${f(v.hostWorkerWakeupsPerPacket)}`],
    ['VM CPU ns per packet', `guest exits ${ns(v.guestExitNsPerPacket)} (in the total above), host work ${ns(v.hostNsPerPacket)}, halt polling and HLT exits ${ns(v.haltPollNsPerPacket)}; guest + host ${ns(v.totalCpuNsPerPacket)}`],
  ];
}

/** The cloud allowances' row: the model has no shaper in front of the NIC, so it says how much of them this rate would use. */
function cloudRows(inputs: PathInputs): [string, string][] {
  const c = cloudAllowanceUse(inputs);
  if (c === null) return [];
  const over = c.fill >= 1 ? '; above 100 % the cloud drops or queues what this run lets through (the path model has no cloud shaper)' : '';
  return [['cloud allowances', `this rate uses ${(c.fill * 100).toFixed(1)}% of the ${int(c.boundPerSec)} connections/s the VM's allowances pass after the burst (${c.limitedBy})${over}`]];
}

function retransmissionsText(t: PathResult['retransmissions']): string {
  const parts: [string, number][] = [['SYN', t.syn], ['SYN-ACK', t.synAck], ['request', t.request], ['response', t.response], ['FIN', t.fin], ['FIN-ACK', t.finAck]];
  return parts.map(([kind, n]) => `${kind} ${int(n)}`).join(', ');
}

function measuredWindowText(inputs: PathInputs, r: PathResult): string {
  const text = `${r.measuredSec.toPrecision(3)} s after ${inputs.spec.warmupSec.toPrecision(3)} s of warm-up`;
  const full = inputs.unshortenedMeasuredSec;
  return full === null ? text : `${text} (shortened from ${full} s: a run simulates about ${int(PATH_PACKET_BUDGET)} packets)`;
}

/** NaN and Infinity are not JSON: write them as null. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}

async function runPath(argv: readonly string[]): Promise<void> {
  const inputs = parsePathArgs(argv);
  const { simulatePath } = await import('../../model/datapaths/simulatePath.ts');
  const t0 = performance.now();
  const result = simulatePath(inputs.spec, inputs.seed);
  const proxy = inputs.l7Proxy === true ? l7ProxyOutcome(inputs.spec, result, inputs.seed) : undefined;
  const wallSec = (performance.now() - t0) / 1000;
  if (inputs.json) {
    const withProxy = proxy === undefined ? {} : { establishedRttUs: proxy.establishedRttUs, establishedRttWithoutProxyUs: result.establishedRttUs, l7Proxy: proxy };
    process.stdout.write(
      `${toJson({ ...result, ...withProxy, l7ProxyOn: proxy !== undefined, shortenedByPacketBudget: inputs.unshortenedMeasuredSec !== null, cloudAllowance: cloudAllowanceUse(inputs) })}\n`,
    );
  } else {
    process.stdout.write(`${pathReportTable(inputs, result, wallSec)}\n${proxy === undefined ? '' : `\n${l7ProxyTableLines(proxy)}\n`}`);
  }
}

export const pathCommand: Command = {
  name: 'path',
  summary: 'one datapath on one node: first-packet and established RTT, CPU per packet by stage, drops, conntrack',
  synopsis: SYNOPSIS,
  help: HELP,
  run: runPath,
};
