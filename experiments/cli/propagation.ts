/**
 * `svcpath propagation`: how long from an endpoint change (a pod added or removed) to the datapath
 * on the nodes, for kube-proxy (iptables or nftables) or Cilium, on a cluster of N nodes with S
 * Services under a churn of C changes per second. Reads the flags, runs simulatePropagation
 * (model/controlplane) and prints a table or one JSON object.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs, intFlag, numberFlag, choiceFlag, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { formatTable } from './textTable.ts';
import { clusterFlagsHelp, expandClusterArgs } from './clusterFlags.ts';
import {
  PROXY_KINDS, defaultPropagationRunParams, defaultKubeProxySyncLoopParams, iptablesRestoreLines,
  type LatencySummarySec, type PropagationResult, type PropagationScenario,
} from '../../model/controlplane/index.ts';

export const PROPAGATION_DEFAULT_SEED = 1;
// calibration-exempt-begin: input bounds of the command, not model quantities
export const MAX_NODES = 100_000;
export const MAX_SERVICES = 1_000_000;
export const MAX_ENDPOINTS = 10_000;
const MAX_MIN_SYNC_SEC = 3600;
const MAX_CHURN_PER_SEC = 1000;
const MAX_DURATION_SEC = 3600;
// calibration-exempt-end

const RUN = defaultPropagationRunParams;
const LOOP = defaultKubeProxySyncLoopParams;

const SYNOPSIS =
  'svcpath propagation --proxy kube-proxy-iptables|kube-proxy-nftables|cilium --nodes N --services S --endpoints E [--min-sync-period-sec T] [--churn-per-sec C] [--duration-sec D] [--seed S] [--json]';

const HELP = `usage: svcpath propagation --proxy kube-proxy-iptables|kube-proxy-nftables|cilium
                           --nodes N --services S --endpoints E
                           [--min-sync-period-sec T] [--churn-per-sec C] [--duration-sec D]
                           [--seed S] [--json]

How long from an endpoint change (a pod added or removed) to the datapath on the nodes: the
"network programming latency". Endpoint changes arrive across the cluster (Poisson, each to one
endpoint of a random Service); the EndpointSlice controller (5 workers, kube-controller-manager's
20 QPS / 30 burst) writes the slice; the API server delivers it to every node's watcher; each node
programs it: kube-proxy in its sync loop (at most one sync per minSyncPeriod, a sync at least every
${LOOP.syncPeriodSec} s, a full sync of every Service every ${LOOP.fullSyncPeriodSec} s, partial syncs otherwise; an
iptables-restore or an nftables transaction whose time grows with the ruleset) or cilium-agent in
its event queue (BPF map updates, no sync loop). ${RUN.sampledNodes} nodes spread over the API server's fan-out
order are simulated (all of a smaller cluster), for ${RUN.durationSec} s; changes of the first ${RUN.warmupSec} s are not measured.

  --proxy P                kube-proxy-iptables | kube-proxy-nftables | cilium (required)
  --nodes N                nodes of the cluster, an integer in [1, ${MAX_NODES}] (required)
  --services S             Service ports programmed on every node, an integer in [1, ${MAX_SERVICES}] (required)
  --endpoints E            endpoints of each Service, an integer in [1, ${MAX_ENDPOINTS}] (required)
  --min-sync-period-sec T  kube-proxy's minSyncPeriod, seconds in [0, ${MAX_MIN_SYNC_SEC}] (default ${LOOP.minSyncPeriodSec}; large
                           clusters' perf tests use 10); kube-proxy only
  --churn-per-sec C        endpoint changes per second across the cluster, in (0, ${MAX_CHURN_PER_SEC}] (default ${RUN.churnPerSec})
  --duration-sec D         simulated seconds of churn, in (${RUN.warmupSec}, ${MAX_DURATION_SEC}] (default ${RUN.durationSec})
  --seed S                 an integer >= 0 (default ${PROPAGATION_DEFAULT_SEED}); the same seed gives the same result
${clusterFlagsHelp('propagation')}
  --json                   print exactly one JSON object on stdout instead of the table
  --help                   print this text

Output: programmingLatencySec {p50, p90, p99, mean, max, count} over (change, node) pairs, from the
pod change to the end of the sync (or event) that programmed it on the node; sliceWriteLatencySec
(pod change to slice written); fullSyncSec (one full sync of this ruleset; for Cilium one Service
event) and partialSyncSec (a sync that rewrites one Service); syncs and busy share per node; the
controller's longest queue; unprogrammed (pairs still waiting at the end: a backlog that does not
drain). Every default number comes from the calibration table ("svcpath params").

Example: svcpath propagation --proxy kube-proxy-iptables --nodes 5000 --services 30000 --endpoints 3 --min-sync-period-sec 10`;

export interface PropagationInputs {
  readonly scenario: PropagationScenario;
  readonly json: boolean;
}

export function parsePropagationArgs(argv: readonly string[]): PropagationInputs {
  const args = parseArgs(expandClusterArgs(argv, 'propagation').argv, {
    values: ['proxy', 'nodes', 'services', 'endpoints', 'min-sync-period-sec', 'churn-per-sec', 'duration-sec', 'seed'],
    flags: ['json'],
  });
  const proxy = choiceFlag(args, 'proxy', PROXY_KINDS);
  const nodes = intFlag(args, 'nodes', { min: 1, max: MAX_NODES });
  const services = intFlag(args, 'services', { min: 1, max: MAX_SERVICES });
  const endpointsPerService = intFlag(args, 'endpoints', { min: 1, max: MAX_ENDPOINTS });
  let minSyncPeriodSec: number | undefined;
  if (args.values.has('min-sync-period-sec')) {
    if (proxy === 'cilium') throw new UsageError(`--min-sync-period-sec applies to kube-proxy only (cilium-agent has no sync loop), got --proxy ${proxy}`);
    minSyncPeriodSec = numberFlag(args, 'min-sync-period-sec', { minExclusive: -Infinity });
    if (!(minSyncPeriodSec >= 0 && minSyncPeriodSec <= MAX_MIN_SYNC_SEC)) {
      throw new UsageError(`--min-sync-period-sec: expected a number in [0, ${MAX_MIN_SYNC_SEC}], got "${args.values.get('min-sync-period-sec')}"`);
    }
  }
  const churnPerSec = numberFlag(args, 'churn-per-sec', { minExclusive: 0, fallback: RUN.churnPerSec });
  if (churnPerSec > MAX_CHURN_PER_SEC) throw new UsageError(`--churn-per-sec: expected a number in (0, ${MAX_CHURN_PER_SEC}], got "${args.values.get('churn-per-sec')}"`);
  const durationSec = numberFlag(args, 'duration-sec', { minExclusive: RUN.warmupSec, fallback: RUN.durationSec });
  if (durationSec > MAX_DURATION_SEC) throw new UsageError(`--duration-sec: expected a number in (${RUN.warmupSec}, ${MAX_DURATION_SEC}], got "${args.values.get('duration-sec')}"`);
  const seed = intFlag(args, 'seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: PROPAGATION_DEFAULT_SEED });
  return {
    scenario: { proxy, nodes, services, endpointsPerService, churnPerSec, durationSec, seed, ...(minSyncPeriodSec === undefined ? {} : { minSyncPeriodSec }) },
    json: args.flags.has('json'),
  };
}

const int = (v: number): string => Math.round(v).toLocaleString('en-US');
const sec = (v: number): string => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toFixed(3)) : '-'); // calibration-exempt: presentation: digits by magnitude
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

function latencyRow(name: string, l: LatencySummarySec): string[] {
  return [name, sec(l.p50), sec(l.p90), sec(l.p99), sec(l.mean), sec(l.max), int(l.count)];
}

export function propagationReportTable(inputs: PropagationInputs, r: PropagationResult, wallSec: number): string {
  const s = inputs.scenario;
  const minSync = s.minSyncPeriodSec ?? LOOP.minSyncPeriodSec;
  const loopText = s.proxy === 'cilium' ? 'cilium-agent event queue (no sync loop)' : `minSyncPeriod ${minSync} s, syncPeriod ${LOOP.syncPeriodSec} s, full sync every ${LOOP.fullSyncPeriodSec} s`;
  const header =
    `${s.proxy}: ${int(s.nodes)} nodes, ${int(s.services)} Services x ${s.endpointsPerService} endpoints, ${s.churnPerSec} endpoint changes/s across the cluster; ` +
    `${loopText}; ${int(r.nodesSimulated)} of ${int(s.nodes)} nodes simulated for ${s.durationSec} s; seed ${s.seed}`;
  const latency = formatTable(
    ['latency (s)', 'p50', 'p90', 'p99', 'mean', 'max', 'samples'],
    [latencyRow('pod change -> programmed on a node', r.programmingLatencySec), latencyRow('pod change -> slice written', r.sliceWriteLatencySec)],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  const kubeProxy = s.proxy !== 'cilium';
  const fullText = kubeProxy
    ? `${sec(r.fullSyncSec)} s${s.proxy === 'kube-proxy-iptables' ? ` (iptables-restore of ${int(iptablesRestoreLines(s.services, s.endpointsPerService, 0, true))} lines)` : ' (nftables transaction of every element)'}`
    : `${sec(r.fullSyncSec)} s per Service event (no full sync)`;
  const rows: [string, string][] = [
    ['full sync (whole ruleset)', fullText],
    ['partial sync (one Service)', `${sec(r.partialSyncSec)} s`],
    [kubeProxy ? 'syncs per node' : 'events per node', `${r.syncsPerNodePerSec.toFixed(2)}/s (busy ${pct(r.busyFraction)})`],
    ['full syncs per node', kubeProxy ? `${r.fullSyncsPerNode.toFixed(2)} during the run` : '-'],
    ['endpoint changes', `${int(r.changes)} (${int(r.sliceWrites)} slice writes, controller queue at most ${int(r.controllerMaxQueue)})`],
    ['not programmed at the end', int(r.unprogrammed)],
  ];
  return [
    header,
    '',
    latency,
    '',
    formatTable(['metric', 'value'], rows, ['left', 'left']),
    '',
    `${int(r.events)} events in ${wallSec.toFixed(2)} s wall clock`,
  ].join('\n');
}

/** NaN and Infinity are not JSON: write them as null. */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`;
}

async function runPropagation(argv: readonly string[]): Promise<void> {
  const inputs = parsePropagationArgs(argv);
  const { simulatePropagation } = await import('../../model/controlplane/propagation.ts');
  const t0 = performance.now();
  const result = simulatePropagation(inputs.scenario);
  const wallSec = (performance.now() - t0) / 1000;
  if (inputs.json) {
    const s = inputs.scenario;
    process.stdout.write(jsonLine({
      ...result,
      nodes: s.nodes,
      services: s.services,
      endpointsPerService: s.endpointsPerService,
      minSyncPeriodSec: s.proxy === 'cilium' ? null : (s.minSyncPeriodSec ?? LOOP.minSyncPeriodSec),
      churnPerSec: s.churnPerSec,
      durationSec: s.durationSec,
      seed: s.seed,
    }));
  } else {
    process.stdout.write(`${propagationReportTable(inputs, result, wallSec)}\n`);
  }
}

export const propagationCommand: Command = {
  name: 'propagation',
  summary: 'endpoint change -> datapath on the nodes: programming latency for kube-proxy iptables / nftables and Cilium',
  synopsis: SYNOPSIS,
  help: HELP,
  run: runPropagation,
};
