/**
 * capacity-factors (Q7): what is each of the seed's suspects worth? A tornado of how much each
 * factor moves a node's capacity, each from its default to the seed's alternative, one at a time:
 *   JIT off (net.core.bpf_jit_enable=0), the generic powersave governor, a lower max clock (the
 *   seed's 2.4 GHz), a virtio NIC (behind the same 10 GbE host port) instead of the physical one,
 *   cloud allowances (the "up to 10 Gbit/s" VM's, after its burst credits), an older kernel (4.19),
 *   Services 100 -> 30,000, and a smaller CT map (65,536 entries, the seed's "default 64k").
 * Two capacities: connections per second within a first-packet p99 SLO (model/datapaths
 * findCapacity: a bisection over packet-level simulatePath runs) and bulk goodput of eight flows
 * after an hour (model/node simulateBulkThroughput). The node is the bare-metal-10g preset with
 * cilium-tc (the seed's Cilium), or on a cluster (`--cluster`) the node class's node with the
 * cluster's datapath and Services; each replication draws its own seed, and the change is taken
 * against the default node in the same replication (common random numbers).
 *
 * The cloud allowances reach the connection capacity as a closed form (model/node
 * nodeConnectionCapacity: the PPS and bandwidth allowances over the packets and bytes of one
 * connection), because the path model has no cloud shaper in front of its NIC; the capacity is the
 * smaller of that and the simulated one.
 *
 * What it shows: the CPU-side suspects (JIT off, powersave, a lower clock) move the connection
 * capacity (small packets, per-packet work) but not bulk goodput, which TSO and GRO leave to the
 * line rate; the cloud allowances move both and by far the most; Services and the CT map size do
 * not matter to Cilium (hash maps and an LRU table).
 */
import type { TopLevelSpec } from 'vega-lite';
import { defineExperiment, type ScenarioContext } from './lib/defineExperiment.ts';
import { datapathSpec, findCapacity, type CapacityResult, type DatapathName, type DatapathSpec } from '../model/datapaths/index.ts';
import {
  BULK_LIMITERS, bulkSpec, nodeConnectionCapacity, nodePreset, simulateBulkThroughput, type NodePreset, type NodePresetOverrides,
} from '../model/node/index.ts';
import { SEC_PER_HOUR } from '../model/units.ts';
import { clusterNodeFields, clusterWorkload, nodeClassPresetOverrides, type ClusterInput } from '../model/cluster/clusterSpecs.ts';
import { RandomStreams } from '../model/engine/index.ts';

export interface CapacityFactorsParams {
  /** One of FACTOR_NAMES. */
  factor: string;
  datapath: string;
  /** First-packet p99 limit of the connection capacity, µs. */
  sloP99Us: number;
  /** Services at the default (the services-30k factor raises it). */
  services: number;
  /** Flows of the bulk-goodput capacity. */
  flows: number;
  /** Capacity search: measured connections per run, relative tolerance, starting rate (numerics of the search). */
  targetConnections: number;
  relTolerance: number;
  startRatePerSec: number;
}

interface Factor {
  readonly label: string;
  /** Changes to the datapath spec (both capacities). */
  readonly path?: Partial<DatapathSpec>;
  /** Changes to the node preset (its NIC, allowances). */
  readonly node?: NodePresetOverrides;
}

// calibration-exempt-begin: the seed's alternatives (its 2.4 GHz cap, a 4.19 kernel, 30k Services, "default 64k" maps) and a 10 GbE host port behind virtio
const FACTORS: Readonly<Record<string, Factor>> = {
  'jit-off': { label: 'eBPF JIT off (interpreter)', path: { jit: false } },
  powersave: { label: 'powersave governor (1.2 GHz)', path: { governor: 'powersave' } },
  'clock-2.4ghz': { label: 'max clock 2.4 GHz', path: { cpuFreqHz: 2.4e9 } },
  'virtio-nic': { label: 'virtio NIC instead of physical', node: { nic: 'virtio', hostLinkBitsPerSec: 10e9 } },
  'cloud-allowances': { label: 'cloud allowances (after burst)', node: { cloud: {} } },
  'kernel-4.19': { label: 'kernel 4.19', path: { kernelMajor: 4, kernelMinor: 19 } },
  'services-30k': { label: '30,000 Services', path: { services: 30_000 } },
  'small-ct-map': { label: 'CT map 65,536 entries', path: { conntrackMaxEntries: 65_536 } },
};
// calibration-exempt-end
export const FACTOR_NAMES = Object.keys(FACTORS);
const DEFAULT = 'default';

/** A seed per replication, the same at every point (the default and each factor see the same draws). */
function replicationSeed(ctx: ScenarioContext): number {
  return Math.floor(new RandomStreams(ctx.seed, ctx.replication).stream('capacity-factors.seed').uniform() * 2 ** 31); // calibration-exempt: a 31-bit seed space
}

interface Capacities {
  readonly connectionsPerSec: number;
  readonly connectionsLimitedBy: string;
  readonly goodputGbps: number;
  readonly goodputLimitedBy: string;
}

const memo = new Map<string, Capacities>();
const searches = new Map<string, CapacityResult>();

/** One capacity search per distinct node spec and seed (the cloud-allowances factor reuses the default's). */
function capacitySearch(spec: DatapathSpec, p: CapacityFactorsParams, seed: number, startRatePerSec: number): CapacityResult {
  const key = JSON.stringify([{ ...spec, connectionsPerSec: 0 }, p.sloP99Us, p.targetConnections, p.relTolerance, seed]);
  let r = searches.get(key);
  if (r === undefined) {
    r = findCapacity({ ...spec, connectionsPerSec: startRatePerSec }, { sloP99Us: p.sloP99Us, seed }, { targetConnections: p.targetConnections, relTolerance: p.relTolerance });
    searches.set(key, r);
  }
  return r;
}

/** The default node: bare metal 10 GbE, or on a cluster its node class's node; with a factor's changes. */
function nodeWith(f: Factor, cluster: ClusterInput | undefined): NodePreset {
  const k = cluster?.nodeClass ?? null;
  return k === null ? nodePreset('bare-metal-10g', f.node ?? {}) : nodePreset(k.nodePreset, { ...nodeClassPresetOverrides(k), ...f.node });
}

function capacities(p: CapacityFactorsParams, factorName: string, ctx: ScenarioContext, startRatePerSec: number): Capacities {
  const f: Factor = factorName === DEFAULT ? { label: DEFAULT } : FACTORS[factorName] ?? badFactor(factorName);
  const node = nodeWith(f, ctx.cluster);
  const datapath = p.datapath as DatapathName;
  const services = f.path?.services ?? p.services;
  // On a cluster: its kernel, conntrack size and iptables positions (at this factor's Service count); the node itself is the preset's.
  const { kernelMajor, kernelMinor, conntrackMaxEntries, servicePositions } = clusterNodeFields(ctx.cluster, datapath, services);
  const fromCluster = { kernelMajor, kernelMinor, conntrackMaxEntries, servicePositions };
  const key = JSON.stringify([factorName, node, fromCluster, p.datapath, p.sloP99Us, p.services, p.flows, p.targetConnections, p.relTolerance, p.startRatePerSec, ctx.seed, ctx.replication]);
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const path: Partial<DatapathSpec> = { ...definedOnly(fromCluster), services: p.services, ...f.path };
  const spec = datapathSpec({
    datapath, cores: node.cores, cpuFreqHz: node.cpuMaxFreqHz, nodeMemoryBytes: node.memoryBytes, nic: node.nic, ...path,
  });
  const seed = replicationSeed(ctx);
  const capacity = nodeConnectionCapacity(capacitySearch(spec, p, seed, startRatePerSec), spec, node.cloud);
  const bulk = simulateBulkThroughput(bulkSpec({ node, datapath: p.datapath as DatapathName, flows: p.flows, durationSec: SEC_PER_HOUR, path }), seed);
  const out = { connectionsPerSec: capacity.connectionsPerSec, connectionsLimitedBy: capacity.limitedBy, goodputGbps: bulk.finalGbps, goodputLimitedBy: bulk.limitedBy };
  memo.set(key, out);
  return out;
}

/** The fields of `o` that are set. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function badFactor(name: string): never {
  throw new RangeError(`factor must be one of ${FACTOR_NAMES.join(', ')}, got "${name}"`);
}

export function capacityFactorsScenario(p: CapacityFactorsParams, ctx: ScenarioContext) {
  const base = capacities(p, DEFAULT, ctx, p.startRatePerSec);
  // The alternative's search starts at the default's capacity: near its answer.
  const alt = capacities(p, p.factor, ctx, Math.max(1, Math.round(base.connectionsPerSec)) || p.startRatePerSec);
  const change = (a: number, b: number): number => (b > 0 ? a / b - 1 : 0);
  return {
    capacityPerSec: alt.connectionsPerSec,
    capacityDefaultPerSec: base.connectionsPerSec,
    capacityChange: change(alt.connectionsPerSec, base.connectionsPerSec),
    goodputGbps: alt.goodputGbps,
    goodputDefaultGbps: base.goodputGbps,
    goodputChange: change(alt.goodputGbps, base.goodputGbps),
    goodputLimiterCode: BULK_LIMITERS.indexOf(alt.goodputLimitedBy as (typeof BULK_LIMITERS)[number]),
  };
}

// calibration-exempt-begin: chart geometry (pixels)
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const LABELS = `{${Object.entries(FACTORS).map(([k, f]) => `'${k}': '${f.label}'`).join(', ')}}`;

/** One tornado panel: a bar from 0 to the mean change with its 95 % interval, factors ordered by the size of the change. */
function tornado(metric: 'capacityChange' | 'goodputChange', title: string) {
  const y = { field: 'label', type: 'nominal' as const, title: null, sort: { field: 'size', op: 'max' as const, order: 'descending' as const }, axis: { labelLimit: 260 } };
  return {
    title,
    width: 320,
    height: 230,
    transform: [
      { calculate: `${LABELS}[datum.factor]`, as: 'label' },
      { calculate: `abs(datum.${metric}_mean)`, as: 'size' },
      { calculate: `datum.${metric}_mean - datum.${metric}_ci95HalfWidth`, as: 'low' },
      { calculate: `datum.${metric}_mean + datum.${metric}_ci95HalfWidth`, as: 'high' },
    ],
    layer: [
      {
        mark: 'bar' as const,
        encoding: {
          y,
          x: { field: `${metric}_mean`, type: 'quantitative' as const, title: 'change from the default', axis: { format: '+.0%' }, scale: { domain: [-1, 1], clamp: true } },
          color: { condition: { test: `datum.${metric}_mean < 0`, value: '#d62728' }, value: '#2ca02c' },
          tooltip: [
            { field: 'label', type: 'nominal' as const, title: 'factor' },
            { field: `${metric}_mean`, type: 'quantitative' as const, title: 'change', format: '+.1%' },
            { field: `${metric}_ci95HalfWidth`, type: 'quantitative' as const, title: '± 95 %', format: '.1%' },
            { field: 'n', type: 'quantitative' as const, title: 'replications' },
          ],
        },
      },
      { mark: { type: 'rule' as const, color: 'black' }, encoding: { y, x: { field: 'low', type: 'quantitative' as const }, x2: { field: 'high' } } },
      {
        mark: { type: 'text' as const, dx: -2, align: 'right' as const, fontSize: 11 },
        encoding: { y, x: { datum: 1, type: 'quantitative' as const }, text: { field: `${metric}_mean`, type: 'quantitative' as const, format: '+.0%' } },
      },
      { mark: { type: 'rule' as const, color: '#555' }, encoding: { x: { datum: 0, type: 'quantitative' as const } } },
    ],
  };
}

const tornadoChart = {
  $schema: SCHEMA,
  title: {
    text: 'What each suspect is worth: change of a node\'s capacity when one factor goes from its default to the seed\'s alternative (bars: mean, lines: 95 % CI)',
    subtitle: [
      'The node: bare metal 10 GbE with cilium-tc, 100 Services (on a cluster: its node class, datapath and Services; see the manifest).',
      'Left: connections/s within the first-packet p99 SLO (small packets: per-packet work counts). Right: bulk goodput of eight flows after an hour (TSO/GRO: the line rate or an allowance decides).',
    ],
  },
  data: { name: 'summary' },
  hconcat: [
    tornado('capacityChange', 'connections per second within the SLO'),
    tornado('goodputChange', 'bulk goodput after an hour'),
  ],
} as const satisfies TopLevelSpec;
// calibration-exempt-end

export default defineExperiment({
  name: 'capacity-factors',
  question: 'How much does each suspect in the seed (JIT off, powersave, a lower clock, virtio, cloud allowances, an older kernel, 30k Services, a smaller CT map) move the connection capacity of a node at a latency SLO, and its bulk goodput?',
  answer:
    'The CPU-side suspects (JIT off, powersave, a lower clock) move the connection capacity, where small packets make per-packet work count, but not bulk goodput, which TSO and GRO leave to the line rate. The cloud allowances move both, and by far the most. Thirty thousand Services and a smaller CT map do not matter to Cilium (hash maps and an LRU table).',
  scenario: capacityFactorsScenario,
  // calibration-exempt-begin: the experiment's design (the SLO, the default Services and flows) and the capacity search's numerics (run length, tolerance, starting rate)
  base: {
    factor: 'jit-off', datapath: 'cilium-tc', sloP99Us: 100, services: 100, flows: 8,
    targetConnections: 200, relTolerance: 0.05, startRatePerSec: 32_000,
  },
  sweep: { grid: { factor: FACTOR_NAMES } },
  replications: 2,
  // calibration-exempt-end
  warmup: 0,
  metrics: ['capacityPerSec', 'capacityDefaultPerSec', 'capacityChange', 'goodputGbps', 'goodputDefaultGbps', 'goodputChange', 'goodputLimiterCode'],
  charts: [{ name: 'tornado', spec: tornadoChart }],
  // calibration-exempt-begin: the quick mode's design (three factors, one replication)
  quick: {
    sweep: { grid: { factor: ['jit-off', 'cloud-allowances', 'services-30k'] } },
    replications: 1,
  },
  // calibration-exempt-end
  cluster: {
    uses: 'the datapath (when the model has it) and the Services it holds; the node class\'s node (its preset with its cores, RAM, clock and provider\'s NIC), kernel, conntrack size and iptables\' real positions, as the default each factor changes',
    base: ({ profile }) => {
      const w = clusterWorkload(profile);
      return { services: w.services, ...(w.datapath !== null ? { datapath: w.datapath } : {}) };
    },
  },
});
