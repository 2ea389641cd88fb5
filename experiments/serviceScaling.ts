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
import type { TopLevelSpec } from 'vega-lite';
import { defineExperiment, type ScenarioContext } from './lib/defineExperiment.ts';
import { datapathSpec, DATAPATH_NAMES, type DatapathName } from '../model/datapaths/datapathSpec.ts';
import { simulatePath } from '../model/datapaths/simulatePath.ts';

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

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** One panel: a summary metric's mean with its 95% interval against #Services (log x), one line per datapath. */
type ConcatChild = Extract<TopLevelSpec, { hconcat: unknown }>['hconcat'][number];

function rttPanel(metric: string, title: string, yTitle: string, logY: boolean): ConcatChild {
  return {
    title,
    width: 360,
    height: 260,
    transform: [
      { calculate: `datum.${metric}_mean - (isValid(datum.${metric}_ci95HalfWidth) ? datum.${metric}_ci95HalfWidth : 0)`, as: 'low' },
      { calculate: `datum.${metric}_mean + (isValid(datum.${metric}_ci95HalfWidth) ? datum.${metric}_ci95HalfWidth : 0)`, as: 'high' },
    ],
    encoding: {
      x: { field: 'services', type: 'quantitative', title: 'Services (log scale)', scale: { type: 'log' } },
      color: { field: 'datapath', type: 'nominal', title: 'datapath', sort: [...DATAPATH_NAMES] as string[] },
    },
    layer: [
      { mark: { type: 'line' }, encoding: { y: { field: `${metric}_mean`, type: 'quantitative', title: yTitle, scale: logY ? { type: 'log' } : { zero: false } } } },
      { mark: { type: 'rule' }, encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
      {
        mark: { type: 'point', filled: true, size: 40 },
        encoding: {
          y: { field: `${metric}_mean`, type: 'quantitative' },
          tooltip: [
            { field: 'datapath', type: 'nominal' },
            { field: 'services', type: 'quantitative' },
            { field: `${metric}_mean`, type: 'quantitative', title: 'µs', format: '.1f' },
            { field: `${metric}_ci95HalfWidth`, type: 'quantitative', title: '± 95%', format: '.2f' },
            { field: 'n', type: 'quantitative', title: 'replications' },
          ],
        },
      },
    ],
  };
}

const firstPacketChart = {
  $schema: SCHEMA,
  title: 'First-packet RTT (connect -> SYN-ACK) vs #Services, mean over replications with 95% CI',
  data: { name: 'summary' },
  hconcat: [
    rttPanel('firstPacketP50Us', 'p50', 'first-packet RTT p50 (µs, log)', true),
    rttPanel('firstPacketP99Us', 'p99', 'first-packet RTT p99 (µs, log)', true),
  ],
} as const satisfies TopLevelSpec;

const establishedChart = {
  $schema: SCHEMA,
  title: 'Established RTT (request -> response) vs #Services, mean over replications with 95% CI',
  data: { name: 'summary' },
  hconcat: [
    rttPanel('establishedP50Us', 'p50', 'established RTT p50 (µs)', false),
    rttPanel('establishedP99Us', 'p99', 'established RTT p99 (µs)', false),
  ],
} as const satisfies TopLevelSpec;

const cpuChart = {
  $schema: SCHEMA,
  title: 'Node CPU per packet and its Service-lookup part vs #Services',
  data: { name: 'summary' },
  hconcat: [
    rttPanel('cpuNsPerPacket', 'all stages', 'CPU ns per packet (log)', true),
    rttPanel('firstPacketCpuNs', 'the first packet (SYN)', 'CPU ns of the SYN (log)', true),
  ],
} as const satisfies TopLevelSpec;

export default defineExperiment({
  name: 'service-scaling',
  question: 'How do first-packet and established RTT (p50, p99) grow with the number of Services for each datapath?',
  scenario: serviceScalingScenario,
  base: {
    datapath: 'kube-proxy-iptables',
    services: 5000,
    endpointsPerService: 3,
    connectionsPerSec: 1000,
    requestsPerConnection: 10,
    durationSec: 2,
  },
  sweep: { grid: { datapath: [...DATAPATH_NAMES], services: [100, 1000, 5000, 10_000, 30_000] } },
  replications: 3,
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
  quick: {
    base: { durationSec: 0.3 },
    sweep: { grid: { datapath: [...DATAPATH_NAMES], services: [100, 5000, 30_000] } },
    replications: 3,
  },
});
