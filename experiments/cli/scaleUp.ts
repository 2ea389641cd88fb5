/**
 * `svcpath scale-up`: a Deployment goes from 1 to R replicas over N nodes under Cilium while a
 * client sends requests to its Service: new identities, time until each new pod is reachable, and
 * the requests dropped meanwhile with their causes. Reads the flags, runs simulateScaleUp
 * (model/controlplane) and prints a table or one JSON object.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs, intFlag, numberFlag, choiceFlag, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { formatTable } from './textTable.ts';
import { jsonLine } from './propagation.ts';
import {
  defaultScaleUpWorkloadParams, defaultEndpointApiLimiterParams, defaultCiliumAgentRateLimitParams,
  type ScaleUpResult, type ScaleUpScenario,
} from '../../model/controlplane/index.ts';

export const SCALE_UP_DEFAULT_SEED = 1;
// calibration-exempt-begin: input bounds of the command, not model quantities
const MAX_REPLICAS = 10_000;
const MAX_NODES = 10_000;
const MAX_LAG_SEC = 600;
const MAX_REQUESTS_PER_SEC = 1e6;
// calibration-exempt-end

const W = defaultScaleUpWorkloadParams;
const LIMITER = defaultEndpointApiLimiterParams;
const AGENT = defaultCiliumAgentRateLimitParams;

const SYNOPSIS =
  'svcpath scale-up --replicas R --nodes N [--same-labels true|false] [--egress-policy on|off] [--pod-watch-lag-sec L] [--auto-adjust on|off] [--requests-per-sec Q] [--seed S] [--json]';

const HELP = `usage: svcpath scale-up --replicas R --nodes N [--same-labels true|false]
                        [--egress-policy on|off] [--pod-watch-lag-sec L] [--auto-adjust on|off]
                        [--requests-per-sec Q] [--seed S] [--json]

A Deployment goes from 1 to R replicas spread over N nodes under Cilium (CRD identity mode) while a
client on another node sends ${W.requestsPerSec} requests/s to its Service. Each new pod: the ReplicaSet controller
creates it (20 QPS / 30 burst); it starts (~${W.podStartToCniSec} s to the CNI ADD); its node's cilium-agent creates
the endpoint through the endpoint API limiter (${LIMITER.ratePerSec}/s, burst ${LIMITER.burst}, ${LIMITER.parallel} in parallel, refused past ${LIMITER.maxWaitSec} s
of waiting, then the kubelet retries after ${W.kubeletCniRetrySec} s; auto-adjusting), resolves its identity from its
labels (a new label set is a CiliumIdentity written under the agent's ${AGENT.qps} QPS / ${AGENT.burst} burst), or
starts as reserved:init if its pod watch has not delivered the labels yet; publishes the
CiliumEndpoint (the client's ipcache); becomes Ready after ${W.appReadySec} s; the EndpointSlice reaches the
client's agent. Requests to a new pod are dropped while it is reserved:init, while the client's
ipcache lacks it (egress policy) or while the client's policy lacks its new identity.

  --replicas R             replicas after the scale-up, an integer in [2, ${MAX_REPLICAS}] (required)
  --nodes N                nodes the pods spread over, an integer in [1, ${MAX_NODES}] (required)
  --same-labels B          true: all replicas carry the same labels, so they share one identity
                           (a Deployment); false: each has its own (default true)
  --egress-policy on|off   the client's egress policy allows the Service's pods by identity
                           (default on)
  --pod-watch-lag-sec L    extra lag of the agents' pod watch, seconds in [0, ${MAX_LAG_SEC}] (default 0):
                           endpoints created before the labels arrive start as reserved:init
  --auto-adjust on|off     the endpoint API limiter's auto-adjustment (default on)
  --requests-per-sec Q     the client's requests to the Service, in (0, ${MAX_REQUESTS_PER_SEC}] (default ${W.requestsPerSec})
  --seed S                 an integer >= 0 (default ${SCALE_UP_DEFAULT_SEED})
  --json                   print exactly one JSON object on stdout instead of the table
  --help                   print this text

Output: newIdentities; timeToReachableSec {p50, p99, max, mean} over the new pods, from the
scale-up; droppedRequests {total, reservedInit, ipcache, policy} (expected counts);
endpointCreateRejections and endpointCreateMaxWaitSec (the endpoint API limiter);
reservedInitEndpoints. Every default number comes from the calibration table ("svcpath params").

Example: svcpath scale-up --replicas 100 --nodes 2 --same-labels false`;

export interface ScaleUpInputs {
  readonly scenario: ScaleUpScenario;
  readonly json: boolean;
}

export function parseScaleUpArgs(argv: readonly string[]): ScaleUpInputs {
  const args = parseArgs(argv, {
    values: ['replicas', 'nodes', 'same-labels', 'egress-policy', 'pod-watch-lag-sec', 'auto-adjust', 'requests-per-sec', 'seed'],
    flags: ['json'],
  });
  const replicas = intFlag(args, 'replicas', { min: 2, max: MAX_REPLICAS });
  const nodes = intFlag(args, 'nodes', { min: 1, max: MAX_NODES });
  const sameLabels = choiceFlag(args, 'same-labels', ['true', 'false'] as const, 'true') === 'true';
  const clientEgressPolicy = choiceFlag(args, 'egress-policy', ['on', 'off'] as const, 'on') === 'on';
  const lag = numberFlag(args, 'pod-watch-lag-sec', { minExclusive: -Infinity, fallback: 0 });
  if (!(lag >= 0 && lag <= MAX_LAG_SEC)) throw new UsageError(`--pod-watch-lag-sec: expected a number in [0, ${MAX_LAG_SEC}], got "${args.values.get('pod-watch-lag-sec')}"`);
  const autoAdjust = choiceFlag(args, 'auto-adjust', ['on', 'off'] as const, 'on') === 'on';
  const requestsPerSec = numberFlag(args, 'requests-per-sec', { minExclusive: 0, fallback: W.requestsPerSec });
  if (requestsPerSec > MAX_REQUESTS_PER_SEC) throw new UsageError(`--requests-per-sec: expected a number in (0, ${MAX_REQUESTS_PER_SEC}], got "${args.values.get('requests-per-sec')}"`);
  const seed = intFlag(args, 'seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: SCALE_UP_DEFAULT_SEED });
  return {
    scenario: { replicas, nodes, sameLabels, clientEgressPolicy, agentPodWatchLagSec: lag, autoAdjust, requestsPerSec, seed },
    json: args.flags.has('json'),
  };
}

const int = (v: number): string => Math.round(v).toLocaleString('en-US');
const sec = (v: number): string => (Number.isFinite(v) ? v.toFixed(v >= 100 ? 0 : 2) : '-'); // calibration-exempt: presentation: whole seconds from 100 s
const count = (v: number): string => (v === 0 ? '0' : v < 10 ? v.toFixed(2) : int(v)); // calibration-exempt: presentation: expected counts below 10 keep two decimals

export function scaleUpReportTable(inputs: ScaleUpInputs, r: ScaleUpResult, wallSec: number): string {
  const s = inputs.scenario;
  const header =
    `scale-up 1 -> ${int(s.replicas)} replicas over ${int(s.nodes)} nodes (Cilium, CRD identities); ${s.sameLabels ? 'same labels' : 'distinct labels'}, ` +
    `client egress policy ${s.clientEgressPolicy ? 'on' : 'off'}, pod watch lag ${s.agentPodWatchLagSec} s, ${int(s.requestsPerSec ?? W.requestsPerSec)} requests/s; seed ${s.seed}`;
  const t = r.timeToReachableSec;
  const rows: [string, string][] = [
    ['new pods', int(r.newPods)],
    ['new identities', int(r.newIdentities)],
    ['time to reachable p50 / p99 / max', `${sec(t.p50)} / ${sec(t.p99)} / ${sec(t.max)} s`],
    ['requests dropped (expected)', `${count(r.droppedRequests.total)} of ${int(r.requestsSent)} sent until the last pod was reachable`],
    ['  reserved:init (new pod without its labels)', count(r.droppedRequests.reservedInit)],
    ['  ipcache (client does not know the pod yet)', count(r.droppedRequests.ipcache)],
    ['  policy (client lacks the new identity)', count(r.droppedRequests.policy)],
    ['endpoint API: refused CNI ADDs', int(r.endpointCreateRejections)],
    ['endpoint API: longest wait', `${sec(r.endpointCreateMaxWaitSec)} s`],
    ['endpoints started as reserved:init', int(r.reservedInitEndpoints)],
  ];
  return [header, '', formatTable(['metric', 'value'], rows, ['left', 'left']), '', `${wallSec.toFixed(2)} s wall clock`].join('\n');
}

async function runScaleUp(argv: readonly string[]): Promise<void> {
  const inputs = parseScaleUpArgs(argv);
  const { simulateScaleUp } = await import('../../model/controlplane/scaleUp.ts');
  const t0 = performance.now();
  const result = simulateScaleUp(inputs.scenario);
  const wallSec = (performance.now() - t0) / 1000;
  if (inputs.json) {
    const s = inputs.scenario;
    process.stdout.write(jsonLine({
      ...result,
      replicas: s.replicas,
      nodes: s.nodes,
      sameLabels: s.sameLabels,
      clientEgressPolicy: s.clientEgressPolicy,
      agentPodWatchLagSec: s.agentPodWatchLagSec,
      autoAdjust: s.autoAdjust,
      requestsPerSec: s.requestsPerSec,
      seed: s.seed,
    }));
  } else {
    process.stdout.write(`${scaleUpReportTable(inputs, result, wallSec)}\n`);
  }
}

export const scaleUpCommand: Command = {
  name: 'scale-up',
  summary: 'a Deployment 1 -> R replicas under Cilium: new identities, time to reachable, dropped requests and why',
  synopsis: SYNOPSIS,
  help: HELP,
  run: runScaleUp,
};
