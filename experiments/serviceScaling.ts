/**
 * service-scaling: first-packet and established RTT (p50, p99) against the number of Services for
 * the four datapaths, on the typical lightly loaded node (model/datapaths defaults). Each
 * replication is one simulatePath run; the same seed and replication at every point means every
 * point sees the same arrivals and the same relative Service positions (common random numbers),
 * so the curves differ only through the datapaths and the Service count. The nftables blog's
 * figures (docs/sources.md#nftables-first-packet-rtt) are the check: nftables flat at ≈12 µs p50,
 * iptables growing ≈ N/2 rules.
 * Warm-up: simulatePath deletes its own (connections of the first warmupSec are not measured).
 */
import { ciChart } from './lib/ciChart.ts';
import { defineExperiment, type ScenarioContext } from './lib/defineExperiment.ts';
import { datapathSpec, defaultPathWorkloadParams, DATAPATH_NAMES, type DatapathName } from '../model/datapaths/datapathSpec.ts';
import { simulatePath } from '../model/datapaths/simulatePath.ts';
import { clusterNodeFields, clusterWorkload } from '../model/cluster/clusterSpecs.ts';

export interface ServiceScalingParams {
  datapath: string;
  /** ClusterIP Services (one port each). */
  services: number;
  endpointsPerService: number;
  connectionsPerSec: number;
  requestsPerConnection: number;
  /** Simulated time during which connections arrive, s. */
  durationSec: number;
}

export function serviceScalingScenario(p: ServiceScalingParams, ctx: ScenarioContext) {
  const spec = datapathSpec({
    ...clusterNodeFields(ctx.cluster, p.datapath as DatapathName, p.services),
    datapath: p.datapath as DatapathName,
    services: p.services,
    endpointsPerService: p.endpointsPerService,
    connectionsPerSec: p.connectionsPerSec,
    requestsPerConnection: p.requestsPerConnection,
    durationSec: p.durationSec,
  });
  const r = simulatePath(spec, ctx.seed, ctx.replication);
  return {
    firstPacketP50Us: r.firstPacketRttUs.p50,
    firstPacketP99Us: r.firstPacketRttUs.p99,
    firstPacketMeanUs: r.firstPacketRttUs.mean,
    establishedP50Us: r.establishedRttUs.p50,
    establishedP99Us: r.establishedRttUs.p99,
    cpuNsPerPacket: r.cpuNsPerPacket,
    lookupNsPerPacket: r.perPacketNs.lookupNs,
    firstPacketCpuNs: r.packetCostNs.firstPacket.totalNs,
    dropFraction: r.dropFraction,
  };
}

/** Every chart: one line per datapath against the number of Services (log x). */
const byServices = {
  x: { field: 'services', title: 'Services (log scale)', scale: 'log' },
  series: { field: 'datapath', title: 'datapath', sort: [...DATAPATH_NAMES] },
} as const;

const firstPacketChart = ciChart({
  ...byServices,
  title: 'First-packet RTT (connect -> SYN-ACK) vs #Services, mean over replications with 95% CI',
  panels: [
    { title: 'p50', metric: 'firstPacketP50Us', y: { title: 'first-packet RTT p50 (µs, log)', scale: 'log' } },
    { title: 'p99', metric: 'firstPacketP99Us', y: { title: 'first-packet RTT p99 (µs, log)', scale: 'log' } },
  ],
});

const establishedChart = ciChart({
  ...byServices,
  title: 'Established RTT (request -> response) vs #Services, mean over replications with 95% CI',
  panels: [
    { title: 'p50', metric: 'establishedP50Us', y: { title: 'established RTT p50 (µs)' } },
    { title: 'p99', metric: 'establishedP99Us', y: { title: 'established RTT p99 (µs)' } },
  ],
});

const cpuChart = ciChart({
  ...byServices,
  title: 'Node CPU per packet, its Service-lookup part, and the first packet vs #Services',
  panels: [
    { title: 'all stages, mean per packet', metric: 'cpuNsPerPacket', y: { title: 'CPU ns per packet (log)', scale: 'log' } },
    // symlog: Cilium socket-LB translates at connect(), so its per-packet lookup is 0.
    { title: 'Service lookup, mean per packet', metric: 'lookupNsPerPacket', y: { title: 'lookup CPU ns per packet (symlog)', scale: 'symlog' } },
    { title: 'the first packet (SYN), all stages', metric: 'firstPacketCpuNs', y: { title: 'CPU ns of the SYN (log)', scale: 'log' } },
  ],
  width: 300, // calibration-exempt: panel width in pixels (three panels side by side)
});

export default defineExperiment({
  name: 'service-scaling',
  question: 'How do first-packet and established RTT (p50, p99) grow with the number of Services for each datapath?',
  answer:
    'Only kube-proxy iptables grows: the first packet of a connection walks KUBE-SERVICES rule by rule, so its first-packet RTT rises from the level of the other datapaths at 100 Services (about 37 µs on the default node) to about 70 µs at 5,000 and over 300 µs at 30,000, and its p99 more, because a long walk holds its core in softirq. nftables verdict maps and Cilium\'s BPF maps stay flat. Established RTT is the same for all four datapaths: later packets are translated from conntrack, so with long-lived connections the choice of datapath barely shows.',
  scenario: serviceScalingScenario,
  base: {
    datapath: 'kube-proxy-iptables',
    services: defaultPathWorkloadParams.services,
    endpointsPerService: defaultPathWorkloadParams.endpointsPerService,
    connectionsPerSec: defaultPathWorkloadParams.connectionsPerSec,
    requestsPerConnection: defaultPathWorkloadParams.requestsPerConnection,
    durationSec: 2,
  },
  // calibration-exempt-begin: the experiment's design (the Service counts of the nftables blog's chart and around them)
  sweep: { grid: { datapath: [...DATAPATH_NAMES], services: [100, 1000, 5000, 10_000, 30_000] } },
  replications: 3,
  // calibration-exempt-end
  warmup: 0,
  metrics: [
    'firstPacketP50Us',
    'firstPacketP99Us',
    'firstPacketMeanUs',
    'establishedP50Us',
    'establishedP99Us',
    'cpuNsPerPacket',
    'lookupNsPerPacket',
    'firstPacketCpuNs',
    'dropFraction',
  ],
  charts: [
    { name: 'first-packet-rtt', spec: firstPacketChart },
    { name: 'established-rtt', spec: establishedChart },
    { name: 'cpu-per-packet', spec: cpuChart },
  ],
  // calibration-exempt-begin: the quick mode's design
  quick: {
    base: { durationSec: 0.3 },
    sweep: { grid: { datapath: [...DATAPATH_NAMES], services: [100, 5000, 30_000] } },
    replications: 3,
  },
  // calibration-exempt-end
  cluster: {
    uses: 'endpoints per Service; the node class\'s node; iptables\' real KUBE-SERVICES positions, stretched to each Service count; the cluster\'s own Service count joins the sweep',
    base: ({ profile }) => ({ endpointsPerService: clusterWorkload(profile).endpointsPerService }),
    sweep: ({ profile }, sweep) => {
      const own = clusterWorkload(profile).services;
      const grid = (sweep as { grid: { datapath: string[]; services: number[] } }).grid;
      return { grid: { ...grid, services: [...new Set([...grid.services, own])].sort((a, b) => a - b) } };
    },
  },
});
