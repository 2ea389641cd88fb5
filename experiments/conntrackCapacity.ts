/**
 * conntrack-capacity: when does a node's connection-tracking table fill, and what breaks? Each
 * replication offers N TCP connections to one node's table (model/conntrack simulateConntrack):
 * kube-proxy's nf_conntrack (max(32768 x cores, 131072) entries; a full table drops the SYN of a new
 * flow, the client retransmits after 1 s, 2 s, 4 s ... and gives up after 6) or Cilium's CT map
 * (0.25% of RAM; a full map evicts the least recently used entry, which silently breaks an idle
 * flow). Node sizes pair cores with memory as cloud instance shapes do (2 vCPU / 4 GiB ...), so
 * the two tables grow with different node dimensions. Half the connections are idle between open
 * and close (long-lived, quiet flows: the ones LRU eviction breaks).
 */
import type { TopLevelSpec } from 'vega-lite';
import { ciChart } from './lib/ciChart.ts';
import { defineExperiment, type ScenarioContext } from './lib/defineExperiment.ts';
import { simulateConntrack, defaultConntrackWorkloadParams, defaultConntrackKernelVersion, type ConntrackImpl } from '../model/conntrack/index.ts';
import { BYTES_PER_GIB, BYTES_PER_MIB, gibToBytes } from '../model/units.ts';
import { configuredConntrackEntries, type ClusterInput } from '../model/cluster/clusterSpecs.ts';
import { conntrackImplOf } from '../model/datapaths/datapath.ts';

export interface ConntrackCapacityParams {
  /** nf_conntrack or cilium-ct. */
  impl: string;
  /** Connections offered (all open at once at the peak). */
  connections: number;
  cores: number;
  nodeMemoryGiB: number;
  /** Connections open over this many seconds (Poisson at connections / rampSec). */
  rampSec: number;
  /** Each connection stays open this long, s (longer than the ramp: all are open at the peak). */
  holdSec: number;
  /** Share of connections idle between open and close. */
  idleFraction: number;
  /** Active connections send a packet this often, s. */
  packetIntervalSec: number;
  kernelVersion: string;
}

/** On a cluster, the table size its proxy is configured with, for the table its datapath uses. */
function configuredMaxEntries(p: ConntrackCapacityParams, cluster: ClusterInput | undefined): { maxEntries?: number } {
  const d = cluster?.profile.proxy.datapath ?? null;
  if (cluster === undefined || d === null || conntrackImplOf(d) !== p.impl) return {};
  const max = configuredConntrackEntries(cluster.profile, d, p.cores);
  return max === undefined ? {} : { maxEntries: max };
}

export function conntrackCapacityScenario(p: ConntrackCapacityParams, ctx: ScenarioContext) {
  const r = simulateConntrack({
    impl: p.impl as ConntrackImpl,
    node: { memoryBytes: gibToBytes(p.nodeMemoryGiB), cores: p.cores, kernelVersion: p.kernelVersion, ...configuredMaxEntries(p, ctx.cluster) },
    connections: p.connections,
    openRatePerSec: p.connections / p.rampSec,
    holdSec: p.holdSec,
    idleFraction: p.idleFraction,
    packetIntervalSec: p.packetIntervalSec,
    seed: ctx.seed,
    replication: ctx.replication,
  });
  return {
    capacityEntries: r.capacityEntries,
    memoryBytes: r.memoryBytes,
    peakMemoryBytes: r.peakMemoryBytes,
    peakEntries: r.peakEntries,
    droppedNewConnections: r.droppedNewConnections,
    connectionsFailed: r.connectionsFailed,
    connectionsRetried: r.connectionsRetried,
    evictedEntries: r.evictedEntries,
    brokenIdleFlows: r.brokenIdleFlows,
    brokenActiveFlows: r.brokenActiveFlows,
    meanSetupDelaySec: r.meanSetupDelaySec,
  };
}

// calibration-exempt-begin: chart geometry (panel and bar sizes in pixels)
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const NODE_LABEL = "datum.cores + ' vCPU / ' + datum.nodeMemoryGiB + ' GiB'";
const nodeLabel = { calculate: NODE_LABEL, as: 'node' };
const isNf = "datum.impl == 'nf_conntrack'";
const isCilium = "datum.impl == 'cilium-ct'";
const byConnections = { field: 'connections', title: 'connections offered (log)', scale: 'log' } as const;

/** With every connection open at the peak, what does not fit: what nf_conntrack fails and Cilium evicts. */
const beyondTable = { expr: 'max(0, datum.connections - datum.capacityEntries_mean)', title: 'connections beyond the table size' };
const counts = { title: 'count (symlog)', scale: 'symlog', format: ',.0f' } as const;

const whatBreaksChart = ciChart({
  title: 'What breaks when the table is full: nf_conntrack fails new connections, Cilium evicts (and breaks) the least recently used flows',
  derive: { node: NODE_LABEL },
  x: byConnections,
  facet: { field: 'node', title: 'node', sort: { field: 'cores' }, direction: 'row' },
  panels: [
    {
      title: 'nf_conntrack: drops the SYN of a new flow',
      filter: isNf,
      metric: [
        { metric: 'connectionsFailed', label: 'connections failed (every SYN dropped)' },
        { metric: 'droppedNewConnections', label: 'SYNs dropped (table full)' },
      ],
      metricsTitle: 'what happened',
      y: counts,
      reference: beyondTable,
    },
    {
      title: 'Cilium CT: evicts the least recently used entry',
      filter: isCilium,
      metric: [
        { metric: 'evictedEntries', label: 'entries evicted (LRU)' },
        { metric: 'brokenIdleFlows', label: 'idle flows broken (entry evicted)' },
        { metric: 'brokenActiveFlows', label: 'active flows broken (entry evicted)' },
      ],
      metricsTitle: 'what happened',
      y: counts,
      reference: beyondTable,
    },
  ],
  sharedY: true,
  width: 300,
  height: 200,
});

const capacityChart = {
  $schema: SCHEMA,
  title: 'Table size and its memory per node (nf_conntrack: entries x 320 B + buckets; Cilium: preallocated)',
  data: { name: 'summary' },
  transform: [
    nodeLabel,
    // The size does not depend on the load: one row per node and table (the fewest connections offered).
    { joinaggregate: [{ op: 'min', field: 'connections', as: 'fewestConnections' }] },
    { filter: 'datum.connections == datum.fewestConnections' },
    { calculate: `datum.memoryBytes_mean / ${BYTES_PER_MIB}`, as: 'memoryMiB' },
  ],
  hconcat: [
    {
      width: 240,
      height: 220,
      mark: 'bar',
      encoding: {
        x: { field: 'node', type: 'nominal', title: 'node', sort: { field: 'cores' } },
        xOffset: { field: 'impl', type: 'nominal' },
        y: { field: 'capacityEntries_mean', type: 'quantitative', title: 'table size (entries)' },
        color: { field: 'impl', type: 'nominal', title: 'table' },
        tooltip: [
          { field: 'impl', type: 'nominal', title: 'table' },
          { field: 'node', type: 'nominal' },
          { field: 'capacityEntries_mean', type: 'quantitative', title: 'entries', format: ',.0f' },
        ],
      },
    },
    {
      width: 240,
      height: 220,
      mark: 'bar',
      encoding: {
        x: { field: 'node', type: 'nominal', title: 'node', sort: { field: 'cores' } },
        xOffset: { field: 'impl', type: 'nominal' },
        y: { field: 'memoryMiB', type: 'quantitative', title: 'memory when full (MiB)' },
        color: { field: 'impl', type: 'nominal', title: 'table' },
        tooltip: [
          { field: 'impl', type: 'nominal', title: 'table' },
          { field: 'node', type: 'nominal' },
          { field: 'memoryMiB', type: 'quantitative', title: 'MiB', format: ',.1f' },
        ],
      },
    },
  ],
} as const satisfies TopLevelSpec;

const memoryChart = ciChart({
  title: 'Peak table memory vs connections offered (nf_conntrack grows with entries; the Cilium map is preallocated)',
  derive: { node: NODE_LABEL },
  x: byConnections,
  series: { field: 'node', title: 'node', sort: { field: 'cores' } },
  panels: [
    { title: 'nf_conntrack', filter: isNf, metric: 'peakMemoryBytes', factor: 1 / BYTES_PER_MIB, y: { title: 'peak memory (MiB, log)', scale: 'log' }, reference: { metric: 'memoryBytes', title: 'memory of the full table' } },
    { title: 'Cilium CT', filter: isCilium, metric: 'peakMemoryBytes', factor: 1 / BYTES_PER_MIB, y: { title: 'peak memory (MiB, log)', scale: 'log' }, reference: { metric: 'memoryBytes', title: 'memory of the full table' } },
  ],
  sharedY: true,
  width: 300,
});
// calibration-exempt-end

export default defineExperiment({
  name: 'conntrack-capacity',
  question: 'When do conntrack tables fill, and what breaks: drops or evictions?',
  answer:
    'nf_conntrack holds max(32,768 x cores, 131,072) entries under kube-proxy and grows its memory with the entries (about 320 B each); past the limit it drops the SYN of every new connection, and clients retry after 1, 2, 4 s until they give up, while established flows keep working. Cilium\'s CT map is preallocated at 0.25 % of RAM and never refuses: it evicts the least recently used entry, which silently breaks idle long-lived flows. So a full nf_conntrack table shows up as failed connects, a full Cilium map as idle connections that die.',
  scenario: conntrackCapacityScenario,
  // calibration-exempt-begin: the experiment's design (small nodes, so tables fill within a short run; the sweep grid)
  base: {
    impl: 'nf_conntrack',
    connections: 100_000,
    cores: 2,
    nodeMemoryGiB: 4,
    rampSec: defaultConntrackWorkloadParams.rampSec,
    holdSec: defaultConntrackWorkloadParams.holdSec,
    idleFraction: 0.5,
    packetIntervalSec: defaultConntrackWorkloadParams.packetIntervalSec,
    kernelVersion: defaultConntrackKernelVersion(),
  },
  sweep: {
    grid: { impl: ['nf_conntrack', 'cilium-ct'], connections: [50_000, 100_000, 200_000, 400_000, 800_000] },
    zip: { cores: [2, 4, 8], nodeMemoryGiB: [4, 8, 32] },
  },
  // calibration-exempt-end
  replications: 2,
  warmup: 0,
  metrics: [
    'capacityEntries',
    'memoryBytes',
    'peakMemoryBytes',
    'peakEntries',
    'droppedNewConnections',
    'connectionsFailed',
    'connectionsRetried',
    'evictedEntries',
    'brokenIdleFlows',
    'brokenActiveFlows',
    'meanSetupDelaySec',
  ],
  charts: [
    { name: 'what-breaks', spec: whatBreaksChart },
    { name: 'table-size', spec: capacityChart },
    { name: 'peak-memory', spec: memoryChart },
  ],
  // calibration-exempt-begin: the quick mode's design (a shorter ramp and hold, fewer points)
  quick: {
    base: { rampSec: 20, holdSec: 60, packetIntervalSec: 30 },
    sweep: {
      grid: { impl: ['nf_conntrack', 'cilium-ct'], connections: [50_000, 100_000, 200_000] },
      zip: { cores: [1, 2], nodeMemoryGiB: [2, 4] },
    },
    replications: 2,
  },
  // calibration-exempt-end
  cluster: {
    uses: 'the node class\'s cores, RAM and kernel in place of the sweep\'s node sizes; the table size kube-proxy or Cilium is configured with; the measured entry count (conntrack -C) joins the offered connections',
    base: ({ nodeClass }) => (nodeClass === null ? {} : { kernelVersion: nodeClass.kernelVersion }),
    sweep: ({ profile, nodeClass }, sweep) => {
      const own = sweep as { grid: { impl: string[]; connections: number[] }; zip: { cores: number[]; nodeMemoryGiB: number[] } };
      const measured = profile.conntrackEntries === null ? [] : [profile.conntrackEntries];
      return {
        grid: { ...own.grid, connections: [...new Set([...own.grid.connections, ...measured])].sort((a, b) => a - b) },
        zip: nodeClass === null ? own.zip : { cores: [nodeClass.cpuCores], nodeMemoryGiB: [nodeClass.memoryBytes / BYTES_PER_GIB] },
      };
    },
  },
});
