/**
 * `svcpath plan --cluster profile.json`: a capacity plan for one cluster (model/cluster/
 * capacityPlan.ts) written as its own report page (experiments/lib/planReport.ts), with a summary
 * on the terminal or the plan as one JSON object.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, intFlag, numberFlag, UsageError, type ParsedArgs } from './args.ts';
import type { Command } from './command.ts';
import { formatTable } from './textTable.ts';
import { toJson } from './path.ts';
import { DATAPATH_NAMES, PATH_PACKET_BUDGET, defaultPathWorkloadParams, type DatapathName } from '../../model/datapaths/index.ts';
import { PLAN_DIMENSIONS, type CapacityPlan } from '../../model/cluster/capacityPlan.ts';
import type { ClusterProfile } from '../../model/cluster/clusterProfile.ts';

// calibration-exempt-begin: the plan's defaults are acceptance criteria and run lengths, not model quantities
/** First-packet p99 limit unless --slo-p99-us says otherwise, µs: a user's SLO. */
export const PLAN_DEFAULT_SLO_P99_US = 1000;
/** Network programming latency p99 limit, s: ClusterLoader2's default threshold (docs/sources.md#control-plane-slo). */
export const PLAN_DEFAULT_PROGRAMMING_SLO_SEC = 30;
export const PLAN_DEFAULT_GROWTH = [1, 2, 5, 10] as const;
const MAX_GROWTH = 1000;
/** Packets per path run: a quarter of svcpath path's budget (a plan makes dozens of runs); a tenth of that with --quick. */
const PLAN_PACKET_BUDGET = PATH_PACKET_BUDGET / 4;
const QUICK_PACKET_BUDGET = PLAN_PACKET_BUDGET / 10;
/** Simulated seconds of a propagation run with --quick (the default run is the calibration table's). */
const QUICK_PROPAGATION_SEC = 90;
// calibration-exempt-end
const DEFAULT_SEED = 1;

const SYNOPSIS =
  'svcpath plan --cluster FILE [--datapaths D[,D]] [--growth F[,F]] [--node-class NAME[,NAME]] [--connections-per-sec R] [--slo-p99-us U] [--programming-slo-sec S] [--churn-per-sec C] [--out DIR] [--quick] [--seed S] [--json]';

const HELP = `usage: svcpath plan --cluster FILE [--datapaths D[,D...]] [--growth F[,F...]] [--node-class NAME[,NAME...]]
                    [--connections-per-sec R] [--slo-p99-us U] [--programming-slo-sec S] [--churn-per-sec C]
                    [--out DIR] [--quick] [--seed S] [--json]

A capacity plan for the cluster a profile describes ("svcpath import" writes one): per node class
and datapath, the first-packet RTT p50 and p99 at the cluster's own Services, endpoints and real
KUBE-SERVICES positions, the conntrack table's fill at its connection rate (and the node's measured
count, when the profile has one), the network programming latency at its size, and what breaks
first as Services, endpoints per Service or connections per second grow by each factor. Written
as a page of its own, DIR/index.html (with plan.json, the charts and a copy of the profile);
"svcpath report" links it from the main report when DIR is in the results folder.

  --cluster FILE           the cluster profile (required)
  --datapaths D[,D]        ${DATAPATH_NAMES.join(', ')} (default: all four, the cluster's own first)
  --growth F[,F]           growth factors > 0, up to ${MAX_GROWTH} (default ${PLAN_DEFAULT_GROWTH.join(',')}; 1 is always planned)
  --node-class NAME[,NAME] the node classes to plan (default: every class with workers)
  --connections-per-sec R  new connections per second per node today, > 0 (default ${defaultPathWorkloadParams.connectionsPerSec})
  --slo-p99-us U           first-packet p99 limit, µs > 0 (default ${PLAN_DEFAULT_SLO_P99_US})
  --programming-slo-sec S  network programming latency p99 limit, s > 0 (default ${PLAN_DEFAULT_PROGRAMMING_SLO_SEC}, ClusterLoader2's threshold)
  --churn-per-sec C        endpoint changes per second across the cluster, > 0 (default: the calibration table's)
  --out DIR                where the page goes (default results/plan-<cluster name>)
  --quick                  shorter runs (about ${QUICK_PACKET_BUDGET.toLocaleString('en-US')} packets each, ${QUICK_PROPAGATION_SEC} s of churn): a first look in seconds
  --seed S                 an integer >= 0 (default ${DEFAULT_SEED}); the same seed gives the same plan
  --json                   print the plan as exactly one JSON object on stdout instead of the summary
  --help                   print this text

Limits: a point breaks when its first-packet p99 passes --slo-p99-us, it drops 1 packet in 1000 or
more, its conntrack table is full, or the programming latency p99 passes --programming-slo-sec (or
a backlog never drains). Progress goes to stderr.

Example: svcpath plan --cluster prod.json --growth 1,2,5,10`;

export interface PlanInputs {
  readonly clusterFile: string;
  readonly datapaths: readonly DatapathName[] | undefined;
  readonly growth: readonly number[];
  readonly nodeClasses: readonly string[] | undefined;
  readonly connectionsPerSec: number;
  readonly sloP99Us: number;
  readonly programmingSloSec: number;
  readonly churnPerSec: number | undefined;
  readonly out: string | undefined;
  readonly quick: boolean;
  readonly seed: number;
  readonly json: boolean;
}

function listFlag(args: ParsedArgs, name: string): string[] | undefined {
  const raw = args.values.get(name);
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${name}: expected a comma-separated list, got "${raw}"`);
  return items;
}

export function parsePlanArgs(argv: readonly string[]): PlanInputs {
  const args = parseArgs(argv, {
    values: ['cluster', 'datapaths', 'growth', 'node-class', 'connections-per-sec', 'slo-p99-us', 'programming-slo-sec', 'churn-per-sec', 'out', 'seed'],
    flags: ['quick', 'json'],
  });
  const clusterFile = args.values.get('cluster');
  if (clusterFile === undefined) throw new UsageError('--cluster is required (a profile from svcpath import)');
  const datapaths = listFlag(args, 'datapaths');
  for (const d of datapaths ?? []) {
    if (!DATAPATH_NAMES.includes(d as DatapathName)) throw new UsageError(`--datapaths: "${d}" is not allowed; allowed: ${DATAPATH_NAMES.join(', ')}`);
  }
  const growthText = listFlag(args, 'growth');
  const growth = (growthText ?? PLAN_DEFAULT_GROWTH.map(String)).map((g) => {
    const v = /^\d+(\.\d+)?$/.test(g) ? Number(g) : NaN;
    if (!(v > 0 && v <= MAX_GROWTH)) throw new UsageError(`--growth: "${g}" is not allowed; allowed: numbers in (0, ${MAX_GROWTH}], e.g. 1,2,5,10`);
    return v;
  });
  const connectionsPerSec = numberFlag(args, 'connections-per-sec', { minExclusive: 0, fallback: defaultPathWorkloadParams.connectionsPerSec });
  if (connectionsPerSec > 1e7) throw new UsageError(`--connections-per-sec: expected a number in (0, 1e7], got "${args.values.get('connections-per-sec')}"`);
  return {
    clusterFile,
    datapaths: datapaths as DatapathName[] | undefined,
    growth,
    nodeClasses: listFlag(args, 'node-class'),
    connectionsPerSec,
    sloP99Us: numberFlag(args, 'slo-p99-us', { minExclusive: 0, fallback: PLAN_DEFAULT_SLO_P99_US }),
    programmingSloSec: numberFlag(args, 'programming-slo-sec', { minExclusive: 0, fallback: PLAN_DEFAULT_PROGRAMMING_SLO_SEC }),
    churnPerSec: args.values.has('churn-per-sec') ? numberFlag(args, 'churn-per-sec', { minExclusive: 0 }) : undefined,
    out: args.values.get('out'),
    quick: args.flags.has('quick'),
    seed: intFlag(args, 'seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: DEFAULT_SEED }),
    json: args.flags.has('json'),
  };
}

/** The cluster's own datapath first, then the others. */
export function defaultDatapaths(profile: ClusterProfile): DatapathName[] {
  const own = profile.proxy.datapath;
  return own === null ? [...DATAPATH_NAMES] : [own, ...DATAPATH_NAMES.filter((d) => d !== own)];
}

export function planSummary(plan: CapacityPlan, page: string, wallSec: number): string {
  const max = Math.max(...plan.points.map((p) => p.factor));
  const today = plan.points.filter((p) => p.factor === 1 && p.dimension === 'services');
  const us = (v: number): string => (Number.isFinite(v) ? v.toFixed(v >= 100 ? 0 : 1) : '-'); // calibration-exempt: presentation: digits by magnitude
  const rows = today.map((p) => {
    const b = (d: (typeof PLAN_DIMENSIONS)[number]): string => {
      const f = plan.firstBreaks.find((x) => x.nodeClass === p.nodeClass && x.datapath === p.datapath && x.dimension === d);
      return f === undefined || f.factor === null ? `ok to x${max}` : `x${f.factor}: ${f.causes.join(', ')}`;
    };
    return [p.nodeClass, p.datapath, us(p.firstPacketP50Us), us(p.firstPacketP99Us), `${(p.conntrackFill * 100).toFixed(1)}%`, Number.isFinite(p.programmingP99Sec) ? p.programmingP99Sec.toFixed(2) : '-', b('services'), b('endpoints'), b('connections')];
  });
  return [
    `capacity plan for "${plan.cluster}": ${plan.nodes.toLocaleString('en-US')} nodes, ${plan.servicePortsWithEndpoints.toLocaleString('en-US')} Service ports with endpoints; ${plan.options.connectionsPerSec.toLocaleString('en-US')} connections/s per node; SLO first-packet p99 <= ${plan.options.sloP99Us} µs, programming p99 <= ${plan.options.programmingSloSec} s`,
    '',
    formatTable(
      ['node class', 'datapath', 'p50 µs', 'p99 µs', 'conntrack', 'prog. p99 s', 'Services grow', 'endpoints grow', 'connections grow'],
      rows,
      ['left', 'left', 'right', 'right', 'right', 'right', 'left', 'left', 'left'],
    ),
    '',
    `page: ${page}`,
    `${plan.points.length} points in ${wallSec.toFixed(1)} s wall clock`,
  ].join('\n');
}

/** The profile of --cluster; a file that is missing or not a valid profile is a usage error naming the flag. */
export async function loadProfile(file: string): Promise<ClusterProfile> {
  const { readClusterProfile, ProfileError } = await import('../cluster/profileSchema.ts');
  try {
    return readClusterProfile(file);
  } catch (e) {
    if (e instanceof ProfileError) throw new UsageError(`--cluster: ${e.message}`);
    throw e;
  }
}

async function runPlan(argv: readonly string[]): Promise<void> {
  const inputs = parsePlanArgs(argv);
  const profile = await loadProfile(inputs.clusterFile);
  for (const n of inputs.nodeClasses ?? []) {
    if (!profile.nodeClasses.some((k) => k.name === n)) {
      throw new UsageError(`--node-class: "${n}" is not in ${inputs.clusterFile}; allowed: ${profile.nodeClasses.map((k) => `"${k.name}"`).join(', ') || '(the profile has no node classes)'}`);
    }
  }
  if (profile.servicePortsWithEndpoints < 1) throw new UsageError(`--cluster: ${inputs.clusterFile} has no Service ports with endpoints: nothing to plan`);
  const { planCapacity } = await import('../../model/cluster/capacityPlan.ts');
  const { writePlanPage } = await import('../lib/planReport.ts');
  const t0 = performance.now();
  const isTty = process.stderr.isTTY === true;
  const plan = planCapacity(profile, {
    datapaths: inputs.datapaths ?? defaultDatapaths(profile),
    growth: inputs.growth,
    ...(inputs.nodeClasses === undefined ? {} : { nodeClasses: inputs.nodeClasses }),
    connectionsPerSec: inputs.connectionsPerSec,
    sloP99Us: inputs.sloP99Us,
    programmingSloSec: inputs.programmingSloSec,
    ...(inputs.churnPerSec === undefined ? {} : { churnPerSec: inputs.churnPerSec }),
    seed: inputs.seed,
    packetBudget: inputs.quick ? QUICK_PACKET_BUDGET : PLAN_PACKET_BUDGET,
    ...(inputs.quick ? { propagationDurationSec: QUICK_PROPAGATION_SEC } : {}),
    onRun: (what, done, total) => {
      if (isTty) process.stderr.write(`\r\x1b[K[${done + 1}/${total}] ${what}`);
    },
  });
  if (isTty) process.stderr.write('\r\x1b[K');
  const out = inputs.out ?? join('results', `plan-${profile.name}`);
  const written = await writePlanPage(out, plan, profile);
  const wallSec = (performance.now() - t0) / 1000;
  if (inputs.json) process.stdout.write(`${toJson(plan)}\n`);
  else process.stdout.write(`${planSummary(plan, written.page, wallSec)}\n`);
}

export const planCommand: Command = {
  name: 'plan',
  summary: "a capacity plan for a cluster profile: latency, conntrack and programming latency per node class and datapath as it grows, as a report page",
  synopsis: SYNOPSIS,
  help: HELP,
  run: runPlan,
};
