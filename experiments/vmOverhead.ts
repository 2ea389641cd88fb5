/**
 * vm-overhead (Q7): what does the VM boundary cost a pod -> Service round trip, and where does the
 * time go? For each NIC preset -- the physical 10 and 25 GbE NICs, and the guest NICs with the
 * hypervisor under them (virtio on KVM + vhost-net, ENA on an AWS Nitro VF, gVNIC on GCP's polling
 * engines, VMXNET3 on ESXi) -- at light and moderate load, with no halt polling, the host's
 * (the kernels' default) and the guest's too: first-packet and established RTT (p50, p99), the
 * guest's CPU per packet and the host CPU spent on the guest (its workers, host stack, polling),
 * and each median RTT split into causes (model/datapaths/latencyCauses.ts), so the NIC's, the
 * boundary's (exits, host wake-ups, host work) and the fabric's shares stand apart. The peer node
 * is the same kind of node; ena and gvnic sit in a cloud zone's fabric (5 µs each way), the others
 * one switch hop apart. Nothing is fitted to a published round trip (model/hypervisor/README.md
 * compares with them).
 */
import { ciChart } from './lib/ciChart.ts';
import { causeColumns, causeMetrics, causeStackChart } from './lib/causeChart.ts';
import { defineExperiment, type ScenarioContext } from './lib/defineExperiment.ts';
import { datapathSpec, defaultPathWorkloadParams, type DatapathName } from '../model/datapaths/datapathSpec.ts';
import { simulatePath } from '../model/datapaths/simulatePath.ts';
import { clusterNodeFields, clusterWorkload } from '../model/cluster/clusterSpecs.ts';
import type { HaltPollingMode } from '../model/hypervisor/vcpuIdle.ts';
import { isVmNicName, NIC_MODEL_NAMES, VM_NIC_MODEL_NAMES, type NicModelName } from '../model/nic/nicModel.ts';

export interface VmOverheadParams {
  /** A NIC preset (NIC_MODEL_NAMES). */
  nic: string;
  /** off | host | on for a guest NIC; 'none' for a physical one. */
  haltPolling: string;
  datapath: string;
  connectionsPerSec: number;
  requestsPerConnection: number;
  services: number;
  /** Measured connections per run (the run lasts as long as they take to arrive). */
  connections: number;
  /** Simulated warm-up before them, s. */
  warmupSec: number;
}

/** The value of `haltPolling` for a physical NIC (no hypervisor under it). */
export const NO_HALT_POLLING = 'none';


export function vmOverheadScenario(p: VmOverheadParams, ctx: ScenarioContext) {
  if (!(NIC_MODEL_NAMES as readonly string[]).includes(p.nic)) throw new RangeError(`nic must be one of ${NIC_MODEL_NAMES.join(', ')}, got "${p.nic}"`);
  const vm = isVmNicName(p.nic);
  if (vm === (p.haltPolling === NO_HALT_POLLING)) {
    throw new RangeError(`haltPolling must be off, host or on for a guest NIC and "${NO_HALT_POLLING}" for a physical one, got "${p.haltPolling}" with nic "${p.nic}"`);
  }
  const spec = datapathSpec({
    ...clusterNodeFields(ctx.cluster, p.datapath as DatapathName, p.services),
    datapath: p.datapath as DatapathName,
    nic: p.nic as NicModelName,
    haltPolling: vm ? (p.haltPolling as HaltPollingMode) : undefined,
    connectionsPerSec: p.connectionsPerSec,
    requestsPerConnection: p.requestsPerConnection,
    services: p.services,
    warmupSec: p.warmupSec,
    durationSec: p.warmupSec + p.connections / p.connectionsPerSec,
  });
  const r = simulatePath(spec, ctx.seed, ctx.replication);
  const v = r.vm;
  return {
    firstPacketP50Us: r.firstPacketRttUs.p50,
    firstPacketP99Us: r.firstPacketRttUs.p99,
    establishedP50Us: r.establishedRttUs.p50,
    establishedP99Us: r.establishedRttUs.p99,
    guestCpuNsPerPacket: r.cpuNsPerPacket,
    guestExitNsPerPacket: v?.guestExitNsPerPacket ?? 0,
    hostWorkNsPerPacket: v?.hostNsPerPacket ?? 0,
    haltPollNsPerPacket: v?.haltPollNsPerPacket ?? 0,
    totalCpuNsPerPacket: v?.totalCpuNsPerPacket ?? r.cpuNsPerPacket,
    coreUtilization: r.coreUtilization,
    ...causeColumns('firstMedian', r.tailAttribution.firstPacket.p50),
    ...causeColumns('estMedian', r.tailAttribution.established.p50),
  };
}

// calibration-exempt-begin: the experiment's design (light = the default node's load, moderate = 20x it) and chart geometry in pixels
const LIGHT = 1000;
const MODERATE = 20_000;
const CONNECTIONS = 1000;
const WARMUP_SEC = 0.02;
const STACK_WIDTH = 320;
const STACK_HEIGHT = 300;
const LABEL_LIMIT = 220;
// calibration-exempt-end

const SERIES = { field: 'nic', title: 'NIC preset', sort: [...NIC_MODEL_NAMES] } as const;
/** Physical NICs and the guest NICs at their default (the host's halt polling). */
const DEFAULT_POLLING = `datum.haltPolling == '${NO_HALT_POLLING}' || datum.haltPolling == 'host'`;
const X = { field: 'connectionsPerSec', title: 'new connections per second (log; x 10 requests each)', scale: 'log' } as const;

const rttChart = ciChart({
  title: 'Round trips by NIC preset (guest NICs with the host\'s halt polling), mean over replications with 95% CI',
  x: X,
  series: SERIES,
  panels: [
    { title: 'first packet p50', metric: 'firstPacketP50Us', y: { title: 'first-packet RTT p50 (µs, log)', scale: 'log' }, filter: DEFAULT_POLLING },
    { title: 'first packet p99', metric: 'firstPacketP99Us', y: { title: 'first-packet RTT p99 (µs, log)', scale: 'log' }, filter: DEFAULT_POLLING },
    { title: 'established p50', metric: 'establishedP50Us', y: { title: 'established RTT p50 (µs, log)', scale: 'log' }, filter: DEFAULT_POLLING },
    { title: 'established p99', metric: 'establishedP99Us', y: { title: 'established RTT p99 (µs, log)', scale: 'log' }, filter: DEFAULT_POLLING },
  ],
});

const cpuChart = ciChart({
  title: 'CPU per packet: the guest\'s (its exits included), and the guest\'s plus the host\'s (workers, host stack, halt polling)',
  x: X,
  series: SERIES,
  panels: [
    { title: 'guest CPU per packet', metric: 'guestCpuNsPerPacket', y: { title: 'guest ns per packet (log)', scale: 'log' }, filter: DEFAULT_POLLING },
    { title: 'guest + host CPU per packet', metric: 'totalCpuNsPerPacket', y: { title: 'guest + host ns per packet (log)', scale: 'log' }, filter: DEFAULT_POLLING },
  ],
});

const haltPollingChart = ciChart({
  title: 'Halt polling (off, the host\'s, the guest\'s too): the established median it saves and the host CPU it burns',
  x: X,
  series: { field: 'nic', title: 'NIC preset', sort: [...VM_NIC_MODEL_NAMES] },
  shape: { field: 'haltPolling', title: 'halt polling', sort: ['off', 'host', 'on'] },
  panels: [
    { title: 'established p50', metric: 'establishedP50Us', y: { title: 'established RTT p50 (µs, log)', scale: 'log' }, filter: `datum.haltPolling != '${NO_HALT_POLLING}'` },
    { title: 'first packet p50', metric: 'firstPacketP50Us', y: { title: 'first-packet RTT p50 (µs, log)', scale: 'log' }, filter: `datum.haltPolling != '${NO_HALT_POLLING}'` },
    { title: 'polling and HLT exits per packet', metric: 'haltPollNsPerPacket', y: { title: 'host ns per packet (symlog)', scale: 'symlog' }, filter: `datum.haltPolling != '${NO_HALT_POLLING}'` },
  ],
});

/** Stacked bars: where the median first packet's and established message's time goes, per NIC preset and load. */
const attributionChart = causeStackChart({
  title: 'Where the time goes: mean time per cause of the median first packet and established message (guest NICs with the host\'s halt polling)',
  splits: [
    { prefix: 'firstMedian', label: 'first packet p50' },
    { prefix: 'estMedian', label: 'established p50' },
  ],
  filter: DEFAULT_POLLING,
  row: `datum.nic + (datum.connectionsPerSec >= ${MODERATE} ? ' / moderate' : ' / light')`,
  rowTitle: 'NIC preset / load',
  width: STACK_WIDTH,
  height: STACK_HEIGHT,
  labelLimit: LABEL_LIMIT,
});

const VM_POLLING = ['off', 'host', 'on'];

export default defineExperiment({
  name: 'vm-overhead',
  question: 'What does a VM boundary (exits, the host, its wake-ups, virtual coalescing) cost a round trip and a packet, next to bare metal?',
  answer:
    'At light load a guest NIC adds tens of microseconds to each round trip, and not where folklore puts it: the copies (vhost time per ' +
    'frame) are about a microsecond a crossing, while the wake-ups dominate: on KVM + vhost-net every crossing wakes a sleeping vhost ' +
    'worker (the host scheduler plus its core\'s C-state exit), four per round trip, plus the host NIC\'s moderation and the vCPUs\' ' +
    'wake-ups; with the host\'s halt polling a vCPU that halted briefly wakes in about a microsecond, but one idle for longer than ' +
    '200 µs (a first packet) sleeps. VMXNET3\'s rate-based virtual coalescing (4,000 interrupts/s) sets its established round trip ' +
    'near 250 µs. Halt polling lowers the medians a little and burns tens of microseconds of host CPU per packet at light load; the ' +
    'guest\'s own CPU per packet rises only by its kicks and injections. The cloud presets\' fabric is a separate cause, not the NIC.',
  scenario: vmOverheadScenario,
  base: {
    nic: 'physical-10g',
    haltPolling: NO_HALT_POLLING,
    datapath: 'cilium-tc',
    connectionsPerSec: LIGHT,
    requestsPerConnection: defaultPathWorkloadParams.requestsPerConnection,
    services: defaultPathWorkloadParams.services,
    connections: CONNECTIONS,
    warmupSec: WARMUP_SEC,
  },
  // calibration-exempt-begin: the experiment's design
  sweep: [
    { grid: { nic: ['physical-10g', 'physical-25g'], connectionsPerSec: [LIGHT, MODERATE], haltPolling: [NO_HALT_POLLING] } },
    { grid: { nic: [...VM_NIC_MODEL_NAMES], connectionsPerSec: [LIGHT, MODERATE], haltPolling: VM_POLLING } },
  ],
  replications: 2,
  // calibration-exempt-end
  warmup: 0,
  metrics: [
    'firstPacketP50Us',
    'firstPacketP99Us',
    'establishedP50Us',
    'establishedP99Us',
    'guestCpuNsPerPacket',
    'guestExitNsPerPacket',
    'hostWorkNsPerPacket',
    'haltPollNsPerPacket',
    'totalCpuNsPerPacket',
    'coreUtilization',
    ...causeMetrics('firstMedian'),
    ...causeMetrics('estMedian'),
  ],
  charts: [
    { name: 'where-the-time-goes', spec: attributionChart },
    { name: 'rtt', spec: rttChart },
    { name: 'cpu', spec: cpuChart },
    { name: 'halt-polling', spec: haltPollingChart },
  ],
  // calibration-exempt-begin: the quick mode's design
  quick: {
    base: { connections: 150 },
    sweep: [
      { grid: { nic: ['physical-10g'], connectionsPerSec: [LIGHT, MODERATE], haltPolling: [NO_HALT_POLLING] } },
      { grid: { nic: ['virtio', 'ena'], connectionsPerSec: [LIGHT, MODERATE], haltPolling: ['off', 'on'] } },
    ],
    replications: 1,
  },
  // calibration-exempt-end
  cluster: {
    uses: 'the datapath (when the model has it) and the Services it holds; the node class\'s cores, clock, RAM, kernel and conntrack size (the NIC stays swept); iptables\' real KUBE-SERVICES positions',
    base: ({ profile }) => {
      const w = clusterWorkload(profile);
      return { services: w.services, ...(w.datapath !== null ? { datapath: w.datapath } : {}) };
    },
  },
});
