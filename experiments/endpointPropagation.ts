/**
 * endpoint-propagation: how long from an EndpointSlice change (a pod added or removed) to the
 * datapath on the nodes (the "network programming latency" SLI: p50, p90, p99 over changes and
 * nodes) against cluster size, Services and churn, for kube-proxy iptables with minSyncPeriod 1 s
 * (the default) and 10 s (what large perf tests ran), kube-proxy nftables and Cilium; and what one
 * full iptables restore costs at large rule sets. Each replication is one simulatePropagation run
 * (model/controlplane): churn -> EndpointSlice controller -> watches -> sampled nodes' sync loops.
 *
 * Setups: iptables-1s-full30s is 1.26 as KEP-3453 describes it (a full resync at least every 30 s
 * syncPeriod); the others do a full sync once per fullSyncPeriod (an hour by default).
 *
 * What it shows: kube-proxy's latency is its minSyncPeriod wait plus a partial sync, which grows with
 * the Services on the node (iptables rewrites KUBE-SERVICES in full; nftables costs O(Services) per
 * transaction); the p99 is set by the full syncs a node may be in when the change arrives (seconds for
 * iptables at 30k Services, minutes for nftables by the slow reported full sync). Cilium programs each
 * event in about the watch delay. Cluster size enters only through the API server's fan-out; churn
 * matters once the EndpointSlice controller's 20 QPS are exceeded.
 */
import type { TopLevelSpec } from 'vega-lite';
import { ciChart } from './lib/ciChart.ts';
import { defineExperiment, type ScenarioContext, type SweepValues } from './lib/defineExperiment.ts';
import { simulatePropagation, iptablesRestoreLines, defaultKubeProxySyncLoopParams, type ProxyKind } from '../model/controlplane/index.ts';
import { calibrated } from '../model/calibration/index.ts';
import { clusterPropagationFields } from '../model/cluster/clusterSpecs.ts';

export interface EndpointPropagationParams {
  /** iptables-1s | iptables-10s | nftables | cilium. */
  setup: string;
  nodes: number;
  services: number;
  endpointsPerService: number;
  churnPerSec: number;
  durationSec: number;
  sampledNodes: number;
}

const SETUPS = ['iptables-1s', 'iptables-10s', 'iptables-1s-full30s', 'nftables', 'cilium'] as const;
const LOOP = defaultKubeProxySyncLoopParams;
// calibration-exempt-begin: the setups' minSyncPeriod (the default and the value large perf tests used, docs/sources.md#kube-proxy-sync)
const SETUP: Record<string, { proxy: ProxyKind; minSyncPeriodSec?: number; fullSyncPeriodSec?: number }> = {
  'iptables-1s': { proxy: 'kube-proxy-iptables', minSyncPeriodSec: 1 },
  'iptables-10s': { proxy: 'kube-proxy-iptables', minSyncPeriodSec: 10 },
  // 1.26 as KEP-3453 describes it: a full resync at least every syncPeriod.
  'iptables-1s-full30s': { proxy: 'kube-proxy-iptables', minSyncPeriodSec: 1, fullSyncPeriodSec: LOOP.syncPeriodSec },
  nftables: { proxy: 'kube-proxy-nftables' },
  cilium: { proxy: 'cilium' },
};
// calibration-exempt-end

export function endpointPropagationScenario(p: EndpointPropagationParams, ctx: ScenarioContext) {
  const setup = SETUP[p.setup];
  if (setup === undefined) throw new RangeError(`setup must be one of ${SETUPS.join(', ')}, got "${p.setup}"`);
  const r = simulatePropagation({
    proxy: setup.proxy,
    nodes: p.nodes,
    services: p.services,
    endpointsPerService: p.endpointsPerService,
    churnPerSec: p.churnPerSec,
    durationSec: p.durationSec,
    sampledNodes: p.sampledNodes,
    seed: ctx.seed,
    replication: ctx.replication,
    ...(setup.minSyncPeriodSec === undefined ? {} : { minSyncPeriodSec: setup.minSyncPeriodSec }),
  }, setup.fullSyncPeriodSec === undefined ? {} : { kubeProxyLoop: { ...LOOP, fullSyncPeriodSec: setup.fullSyncPeriodSec } });
  const l = r.programmingLatencySec;
  return {
    p50Sec: l.p50,
    p90Sec: l.p90,
    p99Sec: l.p99,
    meanSec: l.mean,
    maxSec: l.max,
    sliceWriteP99Sec: r.sliceWriteLatencySec.p99,
    fullSyncSec: r.fullSyncSec,
    partialSyncSec: r.partialSyncSec,
    restoreLines: setup.proxy === 'kube-proxy-iptables' ? iptablesRestoreLines(p.services, p.endpointsPerService, 0, true) : 0,
    syncsPerNodePerSec: r.syncsPerNodePerSec,
    busyFraction: r.busyFraction,
    controllerMaxQueue: r.controllerMaxQueue,
    unprogrammed: r.unprogrammed,
  };
}

// calibration-exempt-begin: the experiment's design (the sweep's slices and chart geometry)
const NODES = [100, 1000, 5000];
// 46,400 Services of 3 endpoints make a 696,005-line restore, the size of the one published timing (issue #96018).
const SERVICES = [1000, 5000, 10_000, 30_000, 46_400];
const CHURN = [0.5, 2, 10, 30];
const AT = { nodes: 1000, services: 10_000, churnPerSec: 2 };
const sliceServices = `datum.nodes == ${AT.nodes} && datum.churnPerSec == ${AT.churnPerSec}`;
const sliceNodes = `datum.services == ${AT.services} && datum.churnPerSec == ${AT.churnPerSec}`;
const sliceChurn = `datum.nodes == ${AT.nodes} && datum.services == ${AT.services}`;
// calibration-exempt-end

const bySetup = { field: 'setup', title: 'datapath programmer', sort: [...SETUPS] } as const;
const latencyPanels = (filter: string) => [
  { title: 'p50', metric: 'p50Sec', filter, y: { title: 'programming latency p50 (s, log)', scale: 'log' as const } },
  // symlog: a replication whose sampled nodes ran a full sync and one whose did not make wide intervals.
  { title: 'p90', metric: 'p90Sec', filter, y: { title: 'programming latency p90 (s, symlog)', scale: 'symlog' as const } },
  { title: 'p99', metric: 'p99Sec', filter, y: { title: 'programming latency p99 (s, symlog)', scale: 'symlog' as const } },
];

const vsServices = ciChart({
  title: `Pod change -> programmed on a node vs Services (${AT.nodes} nodes, ${AT.churnPerSec} changes/s): p50, p90, p99 with 95% CI`,
  x: { field: 'services', title: 'Services on every node (log)', scale: 'log' },
  series: bySetup,
  panels: latencyPanels(sliceServices),
  width: 280, // calibration-exempt: panel width in pixels (three panels)
});

const vsNodes = ciChart({
  title: `Pod change -> programmed on a node vs cluster size (${AT.services.toLocaleString('en-US')} Services, ${AT.churnPerSec} changes/s)`,
  x: { field: 'nodes', title: 'nodes (log)', scale: 'log' },
  series: bySetup,
  panels: latencyPanels(sliceNodes),
  width: 280, // calibration-exempt: panel width in pixels (three panels)
});

const vsChurn = ciChart({
  title: `Pod change -> programmed on a node vs churn (${AT.nodes} nodes, ${AT.services.toLocaleString('en-US')} Services)`,
  x: { field: 'churnPerSec', title: 'endpoint changes per second across the cluster (log)', scale: 'log' },
  series: bySetup,
  panels: [
    ...latencyPanels(sliceChurn),
    { title: 'slice written, p99', metric: 'sliceWriteP99Sec', filter: sliceChurn, y: { title: 'pod change -> slice written p99 (s, symlog)', scale: 'symlog' } },
  ],
  width: 220, // calibration-exempt: panel width in pixels (four panels)
});

const perLine = calibrated('controlPlane.iptablesRestoreSecPerLine');
const fullSyncChart = ciChart({
  title: 'One full sync of the ruleset vs Services: iptables-restore and nftables',
  x: { field: 'services', title: 'Services (log)', scale: 'log' },
  panels: [
    {
      title: 'iptables: restore of every chain',
      metric: 'fullSyncSec',
      filter: `datum.setup == 'iptables-1s' && ${sliceServices}`,
      y: { title: 'full sync (s, log)', scale: 'log' },
      reference: { expr: `datum.restoreLines_mean * ${perLine}`, title: 'issue #96018 rate (12.8 s / 695,992 lines)' },
    },
    {
      title: 'nftables: one transaction of every element',
      metric: 'fullSyncSec',
      filter: `datum.setup == 'nftables' && ${sliceServices}`,
      y: { title: 'full sync (s, log)', scale: 'log' },
    },
  ],
});

export default defineExperiment({
  name: 'endpoint-propagation',
  question: 'How long does an endpoint change take to reach the datapath on every node, for kube-proxy iptables, nftables and Cilium, as clusters, Services and churn grow?',
  answer:
    'kube-proxy\'s latency is its minSyncPeriod wait plus a partial sync that grows with the Services on the node (iptables rewrites KUBE-SERVICES in full): about a second at the default 1 s, several with 10 s. The p99 is set by the full syncs a node may be in when the change arrives: seconds for iptables at 30,000 Services, minutes for nftables given its slow reported full sync. Cilium programs each event in about the watch delay, around 0.1 s. Cluster size matters only through the API server\'s fan-out; churn matters once the EndpointSlice controller\'s 20 QPS are exceeded, and then for every datapath.',
  scenario: endpointPropagationScenario,
  // calibration-exempt-begin: the experiment's design (3 endpoints per Service as the datapath experiments; run length and node sample sized for ~5 s)
  base: { setup: 'iptables-1s', nodes: AT.nodes, services: AT.services, endpointsPerService: 3, churnPerSec: AT.churnPerSec, durationSec: 240, sampledNodes: 32 },
  sweep: [
    { grid: { setup: [...SETUPS], services: SERVICES } },
    { grid: { setup: [...SETUPS], nodes: NODES.filter((n) => n !== AT.nodes) } },
    { grid: { setup: [...SETUPS], churnPerSec: CHURN.filter((c) => c !== AT.churnPerSec) } },
  ],
  replications: 3,
  // calibration-exempt-end
  warmup: 0,
  metrics: [
    'p50Sec', 'p90Sec', 'p99Sec', 'meanSec', 'maxSec', 'sliceWriteP99Sec', 'fullSyncSec', 'partialSyncSec', 'restoreLines',
    'syncsPerNodePerSec', 'busyFraction', 'controllerMaxQueue', 'unprogrammed',
  ],
  charts: [
    { name: 'vs-services', spec: vsServices },
    { name: 'vs-nodes', spec: vsNodes },
    { name: 'vs-churn', spec: vsChurn },
    { name: 'full-sync', spec: fullSyncChart as TopLevelSpec & { data: { name: 'summary' } } },
  ],
  // calibration-exempt-begin: the quick mode's design
  quick: {
    base: { durationSec: 90, sampledNodes: 16 },
    sweep: [
      { grid: { setup: [...SETUPS], services: [1000, 30_000] } },
      { grid: { setup: [...SETUPS], nodes: [100] } },
      { grid: { setup: [...SETUPS], churnPerSec: [30] } },
    ],
    replications: 3,
  },
  // calibration-exempt-end
  cluster: {
    uses: 'endpoints per Service; the cluster\'s Service count joins the Services sweep and its node count the nodes sweep, at the charts\' reference sizes (the setups keep their own minSyncPeriod; "svcpath propagation --cluster" runs the cluster\'s exact size and settings)',
    base: ({ profile }) => ({ endpointsPerService: clusterPropagationFields(profile, 'kube-proxy-nftables').endpointsPerService }),
    sweep: ({ profile }, sweep) => {
      const size = clusterPropagationFields(profile, 'kube-proxy-nftables');
      const parts = sweep as readonly { grid: SweepValues<EndpointPropagationParams> }[];
      const joined = (values: readonly number[], own: number) => [...new Set([...values, own])].sort((a, b) => a - b);
      return parts.map(({ grid }) => ({
        grid: {
          ...grid,
          ...('services' in grid ? { services: joined(grid.services!, size.services) } : {}),
          ...('nodes' in grid ? { nodes: joined(grid.nodes!, size.nodes) } : {}),
        },
      }));
    },
  },
});
