/**
 * latency-tail: where the first-packet and established RTT tails come from, for the four datapaths
 * at 5,000 Services on the default node, across the deepest idle state the node allows (poll = no
 * exit latency, C1E the default, C6 where firmware lists it) and across random wire loss. Each
 * replication is one simulatePath run; its RTTs are split into causes along their critical path
 * (model/datapaths/latencyCauses.ts), and the split of the messages at or above the p99 is charted
 * beside the median message's. Nothing is fitted to a published percentile: the tail is what the
 * node's idle states, wake-ups, cold caches, softirq and TCP's retransmission timers make of it.
 */
import { ciChart } from './lib/ciChart.ts';
import { defineExperiment, type ScenarioContext } from './lib/defineExperiment.ts';
import { IDLE_LIMIT_NAMES, type IdleLimitName } from '../model/cpu/idleStates.ts';
import { datapathSpec, defaultPathWorkloadParams, DATAPATH_NAMES, type DatapathName } from '../model/datapaths/datapathSpec.ts';
import { simulatePath } from '../model/datapaths/simulatePath.ts';
import { clusterNodeFields, clusterWorkload } from '../model/cluster/clusterSpecs.ts';
import { causeColumns, causeMetrics, causeStackChart } from './lib/causeChart.ts';

export interface LatencyTailParams {
  datapath: string;
  /** Deepest idle state the node allows. */
  idleState: string;
  /** Random loss on the wire, each direction. */
  lossFraction: number;
  services: number;
  connectionsPerSec: number;
  requestsPerConnection: number;
  /** Simulated time during which connections arrive, s. */
  durationSec: number;
}


export function latencyTailScenario(p: LatencyTailParams, ctx: ScenarioContext) {
  const spec = datapathSpec({
    ...clusterNodeFields(ctx.cluster, p.datapath as DatapathName, p.services),
    datapath: p.datapath as DatapathName,
    idleState: p.idleState as IdleLimitName,
    lossFraction: p.lossFraction,
    services: p.services,
    connectionsPerSec: p.connectionsPerSec,
    requestsPerConnection: p.requestsPerConnection,
    durationSec: p.durationSec,
  });
  const r = simulatePath(spec, ctx.seed, ctx.replication);
  const f = r.tailAttribution.firstPacket;
  const e = r.tailAttribution.established;
  return {
    firstPacketP50Us: r.firstPacketRttUs.p50,
    firstPacketP99Us: r.firstPacketRttUs.p99,
    firstPacketP999Us: r.firstPacketRttUs.p999,
    establishedP50Us: r.establishedRttUs.p50,
    establishedP99Us: r.establishedRttUs.p99,
    establishedP999Us: r.establishedRttUs.p999,
    retransmittedFraction: r.connections.measured > 0 ? r.connections.retried / r.connections.measured : 0,
    meanIdleExitUs: r.idle.meanExitLatencyUs,
    ...causeColumns('firstMedian', f.p50),
    ...causeColumns('firstTail', f.p99),
    ...causeColumns('estTail', e.p99),
  };
}

const SERIES = { field: 'datapath', title: 'datapath', sort: [...DATAPATH_NAMES] } as const;
/** The idle-state points as an ordinal position, so the x axis reads poll, c1, c1e, c6 from shallow to deep. */
const IDLE_DEPTH = `indexof(${JSON.stringify([...IDLE_LIMIT_NAMES])}, datum.idleState)`;

const idleChart = ciChart({
  title: 'RTT percentiles vs the deepest idle state allowed (no loss), mean over replications with 95% CI',
  x: { field: 'idleDepth', title: 'deepest idle state allowed: 0 = poll, 2 = C1E (default), 3 = C6' },
  derive: { idleDepth: IDLE_DEPTH },
  series: SERIES,
  panels: [
    { title: 'first packet p50', metric: 'firstPacketP50Us', y: { title: 'first-packet RTT p50 (µs, log)', scale: 'log' }, filter: 'datum.lossFraction == 0' },
    { title: 'first packet p99', metric: 'firstPacketP99Us', y: { title: 'first-packet RTT p99 (µs, log)', scale: 'log' }, filter: 'datum.lossFraction == 0' },
    { title: 'established p99', metric: 'establishedP99Us', y: { title: 'established RTT p99 (µs, log)', scale: 'log' }, filter: 'datum.lossFraction == 0' },
  ],
});

const lossChart = ciChart({
  title: 'RTT tail vs random wire loss (each direction; idle states down to C1E), mean over replications with 95% CI',
  x: { field: 'lossFraction', title: 'loss fraction per direction (log scale)', scale: 'log' },
  series: SERIES,
  panels: [
    { title: 'first packet p99', metric: 'firstPacketP99Us', y: { title: 'first-packet RTT p99 (µs, log)', scale: 'log' }, filter: "datum.lossFraction > 0 && datum.idleState == 'c1e'" },
    { title: 'established p99.9', metric: 'establishedP999Us', y: { title: 'established RTT p99.9 (µs, log)', scale: 'log' }, filter: "datum.lossFraction > 0 && datum.idleState == 'c1e'" },
    {
      title: 'connections that retransmitted',
      metric: 'retransmittedFraction',
      y: { title: 'share of connections (log)', scale: 'log', format: '.2%' },
      filter: "datum.lossFraction > 0 && datum.idleState == 'c1e'",
    },
  ],
});

// calibration-exempt-begin: chart geometry in pixels
const STACK_WIDTH = 150;
const STACK_HEIGHT = 260;
const LABEL_LIMIT = 260;
// calibration-exempt-end

/** Stacked bars: where the time of the median first packet and of those at or above the p99 goes, per datapath and idle state. */
const attributionChart = causeStackChart({
  title: 'Why is p99 slow? Mean time per cause of the median first packet and of those at or above the p99 (no loss)',
  splits: [
    { prefix: 'firstMedian', label: 'median' },
    { prefix: 'firstTail', label: '>= p99' },
  ],
  filter: "datum.lossFraction == 0 && datum.idleState != 'c1'",
  row: "datum.datapath + ' / ' + datum.idleState",
  rowTitle: 'datapath / deepest idle state',
  width: STACK_WIDTH * 2,
  height: STACK_HEIGHT,
  labelLimit: LABEL_LIMIT,
});

export default defineExperiment({
  name: 'latency-tail',
  question: 'What makes a 10 µs path show 100 µs at p99, and what do retransmissions do to the tail?',
  answer:
    'On the default node the first-packet RTT is tens of µs at the median because every packet that reaches a sleeping core waits its ' +
    'idle-state exit (C1E: 4 µs, three times per round trip), every answer waits for the application to be woken (5 µs and up) and for ' +
    'interrupt moderation; the p99 is set by rare scheduler-slice waits of a woken application (milliseconds), by cold Service lookups ' +
    '(iptables: walks that miss the cache) and, with C6 allowed, by 170 µs exits. Removing idle exits (idle=poll) shrinks the median ' +
    'and the tail to what remains. Retransmissions are not a matter of µs: a lost SYN or SYN-ACK waits the 1 s initial RTO and a lost ' +
    'data segment at least 200 ms, so at 1 % loss about 2 % of the connections take more than a second to set up.',
  scenario: latencyTailScenario,
  base: {
    datapath: 'kube-proxy-nftables',
    idleState: 'c1e',
    lossFraction: 0,
    services: defaultPathWorkloadParams.services,
    connectionsPerSec: defaultPathWorkloadParams.connectionsPerSec,
    requestsPerConnection: defaultPathWorkloadParams.requestsPerConnection,
    durationSec: 2,
  },
  // calibration-exempt-begin: the experiment's design (the loss fractions; idle limits from shallow to deep)
  sweep: [
    { grid: { datapath: [...DATAPATH_NAMES], idleState: ['poll', 'c1e', 'c6'], lossFraction: [0] } },
    { grid: { datapath: [...DATAPATH_NAMES], idleState: ['c1e'], lossFraction: [1e-4, 1e-3, 1e-2] } },
  ],
  replications: 3,
  // calibration-exempt-end
  warmup: 0,
  metrics: [
    'firstPacketP50Us',
    'firstPacketP99Us',
    'firstPacketP999Us',
    'establishedP50Us',
    'establishedP99Us',
    'establishedP999Us',
    'retransmittedFraction',
    'meanIdleExitUs',
    ...causeMetrics('firstMedian'),
    ...causeMetrics('firstTail'),
    ...causeMetrics('estTail'),
  ],
  charts: [
    { name: 'tail-attribution', spec: attributionChart },
    { name: 'idle-states', spec: idleChart },
    { name: 'loss', spec: lossChart },
  ],
  // calibration-exempt-begin: the quick mode's design
  quick: {
    base: { durationSec: 0.4 },
    sweep: [
      { grid: { datapath: ['kube-proxy-iptables', 'cilium-tc'], idleState: ['poll', 'c1e', 'c6'], lossFraction: [0] } },
      { grid: { datapath: ['kube-proxy-iptables', 'cilium-tc'], idleState: ['c1e'], lossFraction: [1e-2] } },
    ],
    replications: 2,
  },
  // calibration-exempt-end
  cluster: {
    uses: 'the Services its datapath holds; the node class\'s node; iptables\' real KUBE-SERVICES positions',
    base: ({ profile }) => ({ services: clusterWorkload(profile).services }),
  },
});
