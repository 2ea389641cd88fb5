/**
 * hybrid-throughput (Q7): pods on bare-metal nodes reach 10 Gbit/s, pods on cloud VMs are capped
 * at 1 Gbit/s. Is eBPF the reason? Goodput over an hour for one and eight long-lived TCP flows
 * between two nodes of each preset (bare metal with a 10 or 25 GbE NIC, an "up to 10 Gbit/s" cloud
 * VM with a virtio NIC behind ENA-style allowances), for each datapath, and what limits it minute
 * by minute (model/node simulateBulkThroughput: a fluid max-min fair model over the line rate, the
 * vhost threads, the cores' softirq and task work with TSO/GRO, the per-flow cap, the bandwidth
 * allowance with its burst credits, the PPS allowance).
 *
 * What it shows: bare metal runs at the line rate (9.41 and 23.5 Gbit/s of goodput) for the whole
 * hour whatever the datapath. The cloud VM bursts at 10 Gbit/s (one flow: at its 5 Gbit/s per-flow
 * cap, so its credits last longer) until the credits run out (17 min with eight flows, 39 with one)
 * and then sits at the 1 Gbit/s baseline allowance: 0.954 Gbit/s of goodput, the same for every
 * datapath. The last chart says plainly why eBPF cannot be the reason: the CPU a flow needs per
 * byte, even with the JIT off (the interpreter) and even at powersave's 1.2 GHz, allows tens of
 * Gbit/s per core, because TSO and GRO make the per-packet work (BPF programs included) once per
 * 64 KiB; the vhost thread allows about 11 Gbit/s per queue; only the cloud allowance sits at
 * 1 Gbit/s.
 */
import type { TopLevelSpec } from 'vega-lite';
import { ciChart } from './lib/ciChart.ts';
import { defineExperiment, type ScenarioContext, type SweepValues } from './lib/defineExperiment.ts';
import {
  BULK_LIMITERS, bulkSegments, bulkSpec, nodePreset, simulateBulkThroughput, type BulkThroughputResult, type NodePreset, type NodePresetName,
} from '../model/node/index.ts';
import type { DatapathName } from '../model/datapaths/index.ts';
import { nodeClassPreset, type ClusterInput } from '../model/cluster/clusterSpecs.ts';
import { bitsPerSecToGbitPerSec, SEC_PER_HOUR, SEC_PER_MIN } from '../model/units.ts';

export interface HybridThroughputParams {
  /** bare-metal-10g | bare-metal-25g | cloud-up-to-10g */
  node: string;
  flows: number;
  datapath: string;
  /** The minute of the run this row reports (0 = the first). */
  minute: number;
  durationSec: number;
}

/** A preset by name, or on a cluster its node class by the class's name. */
function nodeOf(name: string, cluster: ClusterInput | undefined): NodePreset {
  const k = cluster?.nodeClass;
  return k !== undefined && k !== null && name === k.name ? nodeClassPreset(k) : nodePreset(name as NodePresetName);
}

const memo = new Map<string, { on: BulkThroughputResult; off: BulkThroughputResult; offPowersave: BulkThroughputResult }>();

/** The run (JIT on) and the two runs that answer "could eBPF cap it?" (JIT off; JIT off at powersave), once per configuration and replication. */
function runs(p: HybridThroughputParams, ctx: ScenarioContext) {
  const node = nodeOf(p.node, ctx.cluster);
  const key = JSON.stringify([node, p.flows, p.datapath, p.durationSec, ctx.seed, ctx.replication]);
  let r = memo.get(key);
  if (r === undefined) {
    const base = { node, datapath: p.datapath as DatapathName, flows: p.flows, durationSec: p.durationSec, sampleSec: SEC_PER_MIN };
    r = {
      on: simulateBulkThroughput(bulkSpec(base), ctx.seed, ctx.replication),
      off: simulateBulkThroughput(bulkSpec({ ...base, jit: false }), ctx.seed, ctx.replication),
      offPowersave: simulateBulkThroughput(bulkSpec({ ...base, jit: false, governor: 'powersave' }), ctx.seed, ctx.replication),
    };
    memo.set(key, r);
  }
  return r;
}

/** The CPU's own bound: the tighter of the sender's cores and the receiver's softirq. */
const cpuBound = (r: BulkThroughputResult): number => Math.min(r.boundsGbps['sender-core'] ?? Infinity, r.boundsGbps['receiver-softirq'] ?? Infinity);
/** 0 where the node has no such resource (a chart filter drops it). */
const orZero = (v: number | null): number => (v === null || !Number.isFinite(v) ? 0 : v);

export function hybridThroughputScenario(p: HybridThroughputParams, ctx: ScenarioContext) {
  const { on, off, offPowersave } = runs(p, ctx);
  const sample = on.series[Math.min(p.minute, on.series.length - 1)];
  if (sample === undefined) throw new RangeError(`minute must be an integer in [0, ${on.series.length - 1}], got ${p.minute}`);
  const cloud = nodeOf(p.node, ctx.cluster).cloud;
  const s = bulkSegments();
  const goodputOfFrames = (bitsPerSec: number): number => bitsPerSecToGbitPerSec(bitsPerSec * s.mssBytes / s.dataFrameBytes);
  const vhost = Math.min(on.boundsGbps['sender-vhost'] ?? Infinity, on.boundsGbps['receiver-vhost'] ?? Infinity);
  return {
    goodputGbps: sample.totalGbps,
    perFlowGbps: sample.perFlowMeanGbps,
    limiterCode: BULK_LIMITERS.indexOf(sample.limitedBy),
    creditsLeftSec: sample.burstCreditSec ?? 0,
    meanGbps: on.meanGbps,
    finalGbps: on.finalGbps,
    lineRateBoundGbps: orZero(on.boundsGbps['line-rate']),
    vhostBoundGbps: orZero(vhost),
    perFlowCapBoundGbps: orZero(on.boundsGbps['per-flow-cap']),
    allowanceBurstGbps: cloud === undefined ? 0 : goodputOfFrames(cloud.burstBitsPerSec),
    allowanceBaselineGbps: cloud === undefined ? 0 : goodputOfFrames(cloud.baselineBitsPerSec),
    cpuBoundGbps: cpuBound(on),
    cpuBoundJitOffGbps: cpuBound(off),
    cpuBoundJitOffPowersaveGbps: cpuBound(offPowersave),
  };
}

// calibration-exempt-begin: chart geometry (pixels), the seed's 1 Gbit/s line and the limiter palette order
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const SEED_CAP_GBPS = 1;
const FLOWS_LABEL = "datum.flows + (datum.flows == 1 ? ' flow' : ' flows')";

const goodputChart = ciChart({
  title: 'Goodput over the hour: bare metal holds its line rate; the cloud VM bursts until its credits run out, then sits at its 1 Gbit/s baseline allowance (every datapath alike)',
  x: { field: 'minute', title: 'minute of the run' },
  series: { field: 'node', title: 'node', sort: ['bare-metal-25g', 'bare-metal-10g', 'cloud-up-to-10g'] },
  facet: { field: 'datapath', title: 'datapath', direction: 'row', sort: ['kube-proxy-iptables', 'kube-proxy-nftables', 'cilium-tc', 'cilium-socket-lb'] },
  panels: [
    { title: 'one flow', filter: 'datum.flows == 1', metric: 'goodputGbps', y: { title: 'goodput (Gbit/s, log)', scale: 'log' }, lines: true },
    { title: 'eight flows', filter: 'datum.flows == 8', metric: 'goodputGbps', y: { title: 'goodput (Gbit/s, log)', scale: 'log' }, lines: true },
  ],
  sharedY: true,
  width: 300,
  height: 150,
});

const LIMITER_NAMES = `[${BULK_LIMITERS.map((l) => `'${l}'`).join(', ')}]`;

const limiterChart = {
  $schema: SCHEMA,
  title: 'What limits the goodput, minute by minute (the same for every datapath: no CPU is ever the limit)',
  data: { name: 'summary' },
  transform: [
    { filter: "datum.datapath == 'cilium-tc'" },
    { calculate: `${LIMITER_NAMES}[round(datum.limiterCode_mean)]`, as: 'limiter' },
    { calculate: `datum.node + ', ' + ${FLOWS_LABEL}`, as: 'case' },
  ],
  width: 520,
  height: 160,
  mark: { type: 'rect' },
  encoding: {
    x: { field: 'minute', type: 'ordinal', title: 'minute of the run', axis: { labelExpr: 'datum.value % 10 == 0 ? datum.label : ""', labelAngle: 0 } },
    y: { field: 'case', type: 'nominal', title: null, axis: { labelLimit: 300 } },
    color: { field: 'limiter', type: 'nominal', title: 'limited by', scale: { domain: [...BULK_LIMITERS] } },
    tooltip: [
      { field: 'case', type: 'nominal' },
      { field: 'minute', type: 'quantitative' },
      { field: 'limiter', type: 'nominal', title: 'limited by' },
      { field: 'goodputGbps_mean', type: 'quantitative', title: 'goodput (Gbit/s)', format: '.3f' },
      { field: 'creditsLeftSec_mean', type: 'quantitative', title: 'burst credits left (s)', format: '.0f' },
    ],
  },
} as const satisfies TopLevelSpec;

const BOUNDS: [string, string][] = [
  ['lineRateBoundGbps_mean', 'line rate'],
  ['vhostBoundGbps_mean', 'vhost threads (virtio)'],
  ['perFlowCapBoundGbps_mean', 'per-flow cap x flows'],
  ['allowanceBurstGbps_mean', 'allowance, burst'],
  ['allowanceBaselineGbps_mean', 'allowance, baseline'],
  ['cpuBoundGbps_mean', 'CPU, eBPF JIT on'],
  ['cpuBoundJitOffGbps_mean', 'CPU, JIT off (interpreter)'],
  ['cpuBoundJitOffPowersaveGbps_mean', 'CPU, JIT off at powersave (1.2 GHz)'],
];

const boundsChart = {
  $schema: SCHEMA,
  title: {
    text: 'Can eBPF be the reason for a 1 Gbit/s cap? No: only the cloud VM\'s baseline allowance sits at 1 Gbit/s (red line)',
    subtitle: 'The goodput each resource alone would allow, cilium-tc: even interpreted (JIT off) on a 1.2 GHz core, the CPU allows tens of Gbit/s, because TSO and GRO run the BPF programs once per 64 KiB',
  },
  data: { name: 'summary' },
  transform: [
    { filter: "datum.datapath == 'cilium-tc' && datum.minute == 0" },
    { calculate: FLOWS_LABEL, as: 'flowsLabel' },
    { fold: BOUNDS.map(([f]) => f), as: ['bound', 'gbps'] },
    { filter: 'datum.gbps > 0' },
    { calculate: `{${BOUNDS.map(([f, l]) => `'${f}': '${l}'`).join(', ')}}[datum.bound]`, as: 'resource' },
  ],
  facet: {
    row: { field: 'node', type: 'nominal', title: 'node', sort: ['bare-metal-25g', 'bare-metal-10g', 'cloud-up-to-10g'] },
    column: { field: 'flowsLabel', type: 'nominal', title: null },
  },
  spec: {
    width: 300,
    height: 140,
    layer: [
      {
        mark: 'bar',
        encoding: {
          y: { field: 'resource', type: 'nominal', title: null, sort: BOUNDS.map(([, l]) => l), axis: { labelLimit: 320 } },
          x: { field: 'gbps', type: 'quantitative', title: 'goodput it alone would allow (Gbit/s, log)', scale: { type: 'log', domain: [0.5, 2000] } },
          x2: { datum: 0.5 },
          color: { condition: { test: "indexof(datum.resource, 'CPU') == 0", value: '#4c78a8' }, value: '#bab0ac' },
          tooltip: [
            { field: 'node', type: 'nominal' },
            { field: 'resource', type: 'nominal' },
            { field: 'gbps', type: 'quantitative', title: 'Gbit/s', format: '.3f' },
          ],
        },
      },
      { mark: { type: 'rule', color: '#d62728', strokeDash: [4, 3] }, encoding: { x: { datum: SEED_CAP_GBPS, type: 'quantitative' } } },
    ],
  },
  resolve: { scale: { y: 'independent' } },
} as const satisfies TopLevelSpec;
// calibration-exempt-end

const NODES = ['bare-metal-10g', 'bare-metal-25g', 'cloud-up-to-10g'];
const DATAPATHS = ['kube-proxy-iptables', 'kube-proxy-nftables', 'cilium-tc', 'cilium-socket-lb'];
/** Every other minute of the hour, and its last. */
const MINUTES = [...Array.from({ length: SEC_PER_HOUR / SEC_PER_MIN / 2 }, (_, m) => 2 * m), SEC_PER_HOUR / SEC_PER_MIN - 1];

export default defineExperiment({
  name: 'hybrid-throughput',
  question: 'Pods on bare-metal nodes reach 10 Gbit/s and pods on cloud VMs 1 Gbit/s: over an hour, what limits bulk goodput on each node and datapath, and can eBPF be the reason?',
  answer:
    'Bare metal runs at its line rate for the whole hour, whatever the datapath. The cloud VM bursts at 10 Gbit/s (one flow at its 5 Gbit/s per-flow cap, so its credits last longer) until its burst credits run out, then sits at its 1 Gbit/s baseline allowance, the same for every datapath. eBPF cannot be the reason: with TSO and GRO the per-packet work, BPF programs included, is paid once per 64 KiB, so even with the JIT off and at powersave\'s 1.2 GHz the CPU allows tens of Gbit/s per flow, and the vhost thread about 11; only the allowance sits at 1 Gbit/s.',
  scenario: hybridThroughputScenario,
  // calibration-exempt-begin: the experiment's design (one and eight flows, every other minute of an hour; the quick mode every tenth minute, two datapaths)
  base: { node: 'bare-metal-10g', flows: 1, datapath: 'cilium-tc', minute: 0, durationSec: SEC_PER_HOUR },
  sweep: { grid: { node: NODES, flows: [1, 8], datapath: DATAPATHS, minute: MINUTES } },
  replications: 2,
  // calibration-exempt-end
  warmup: 0,
  metrics: [
    'goodputGbps', 'perFlowGbps', 'limiterCode', 'creditsLeftSec', 'meanGbps', 'finalGbps',
    'lineRateBoundGbps', 'vhostBoundGbps', 'perFlowCapBoundGbps', 'allowanceBurstGbps', 'allowanceBaselineGbps',
    'cpuBoundGbps', 'cpuBoundJitOffGbps', 'cpuBoundJitOffPowersaveGbps',
  ],
  charts: [
    { name: 'goodput-over-the-hour', spec: goodputChart },
    { name: 'limiter-over-the-hour', spec: limiterChart },
    { name: 'can-ebpf-cap-it', spec: boundsChart },
  ],
  // calibration-exempt-begin: the quick mode's design
  quick: {
    sweep: { grid: { node: NODES, flows: [1, 8], datapath: ['kube-proxy-iptables', 'cilium-tc'], minute: [0, 10, 20, 30, 40, 50, 59] } },
    replications: 2,
  },
  // calibration-exempt-end
  cluster: {
    uses: 'the node class joins the node sweep under its own name (its preset with its cores, RAM, clock and provider\'s NIC)',
    base: () => ({}),
    sweep: ({ nodeClass }, sweep) => {
      const grid = (sweep as { grid: SweepValues<HybridThroughputParams> }).grid;
      return { grid: { ...grid, node: nodeClass === null ? grid.node! : [...grid.node!, nodeClass.name] } };
    },
  },
});
