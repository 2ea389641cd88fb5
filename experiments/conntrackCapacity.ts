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
import { defineExperiment, type ScenarioContext } from './lib/defineExperiment.ts';
import { simulateConntrack, type ConntrackImpl } from '../model/conntrack/index.ts';
import { mibToBytes } from '../model/units.ts';

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

const MIB_PER_GIB = 1024;

export function conntrackCapacityScenario(p: ConntrackCapacityParams, ctx: ScenarioContext) {
  const r = simulateConntrack({
    impl: p.impl as ConntrackImpl,
    node: { memoryBytes: mibToBytes(p.nodeMemoryGiB * MIB_PER_GIB), cores: p.cores, kernelVersion: p.kernelVersion },
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

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const nodeLabel = { calculate: "datum.cores + ' vCPU / ' + datum.nodeMemoryGiB + ' GiB'", as: 'node' };

const whatBreaksChart = {
  $schema: SCHEMA,
  title: 'What breaks when the table is full: nf_conntrack fails new connections, Cilium evicts (and breaks) the least recently used flows',
  data: { name: 'summary' },
  transform: [
    nodeLabel,
    {
      fold: ['connectionsFailed_mean', 'droppedNewConnections_mean', 'evictedEntries_mean', 'brokenIdleFlows_mean', 'brokenActiveFlows_mean'],
      as: ['counter', 'count'],
    },
    {
      calculate:
        "{ connectionsFailed_mean: 'connections failed (every SYN dropped)', droppedNewConnections_mean: 'SYNs dropped (table full)'," +
        " evictedEntries_mean: 'entries evicted (LRU)', brokenIdleFlows_mean: 'idle flows broken (entry evicted)'," +
        " brokenActiveFlows_mean: 'active flows broken (entry evicted)' }[datum.counter]",
      as: 'what',
    },
    { filter: 'datum.count > 0' },
  ],
  facet: { column: { field: 'node', type: 'nominal', title: 'node', sort: { field: 'cores' } } },
  spec: {
    width: 220,
    height: 220,
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'connections', type: 'quantitative', title: 'connections offered (log)', scale: { type: 'log' } },
      y: { field: 'count', type: 'quantitative', title: 'count (log)', scale: { type: 'log' } },
      color: { field: 'what', type: 'nominal', title: 'what happened', legend: { labelLimit: 320 } },
      shape: { field: 'impl', type: 'nominal', title: 'table' },
      detail: { field: 'impl', type: 'nominal' },
      tooltip: [
        { field: 'impl', type: 'nominal' },
        { field: 'node', type: 'nominal' },
        { field: 'connections', type: 'quantitative' },
        { field: 'what', type: 'nominal' },
        { field: 'count', type: 'quantitative', format: ',.0f' },
      ],
    },
  },
} as const satisfies TopLevelSpec;

const capacityChart = {
  $schema: SCHEMA,
  title: 'Table size and its memory per node (nf_conntrack: entries x 320 B + buckets; Cilium: preallocated)',
  data: { name: 'summary' },
  transform: [
    nodeLabel,
    { filter: 'datum.connections == 50000' },
    { calculate: 'datum.memoryBytes_mean / 1048576', as: 'memoryMiB' },
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
      },
    },
  ],
} as const satisfies TopLevelSpec;

const memoryChart = {
  $schema: SCHEMA,
  title: 'Peak table memory vs connections offered (nf_conntrack grows with entries; the Cilium map is preallocated)',
  data: { name: 'summary' },
  transform: [nodeLabel, { calculate: 'datum.peakMemoryBytes_mean / 1048576', as: 'peakMemoryMiB' }],
  mark: { type: 'line', point: true },
  encoding: {
    x: { field: 'connections', type: 'quantitative', title: 'connections offered (log)', scale: { type: 'log' } },
    y: { field: 'peakMemoryMiB', type: 'quantitative', title: 'peak memory (MiB, log)', scale: { type: 'log' } },
    color: { field: 'node', type: 'nominal', title: 'node' },
    strokeDash: { field: 'impl', type: 'nominal', title: 'table' },
    shape: { field: 'impl', type: 'nominal', title: 'table' },
  },
} as const satisfies TopLevelSpec;

export default defineExperiment({
  name: 'conntrack-capacity',
  question: 'When do conntrack tables fill, and what breaks: drops or evictions?',
  scenario: conntrackCapacityScenario,
  base: {
    impl: 'nf_conntrack',
    connections: 100_000,
    cores: 2,
    nodeMemoryGiB: 4,
    rampSec: 60,
    holdSec: 300,
    idleFraction: 0.5,
    packetIntervalSec: 60,
    kernelVersion: '6.1',
  },
  sweep: {
    grid: { impl: ['nf_conntrack', 'cilium-ct'], connections: [50_000, 100_000, 200_000, 400_000, 800_000] },
    zip: { cores: [2, 4, 8], nodeMemoryGiB: [4, 8, 32] },
  },
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
  quick: {
    base: { rampSec: 20, holdSec: 60, packetIntervalSec: 30 },
    sweep: {
      grid: { impl: ['nf_conntrack', 'cilium-ct'], connections: [50_000, 100_000, 200_000] },
      zip: { cores: [1, 2], nodeMemoryGiB: [2, 4] },
    },
    replications: 2,
  },
});
