/**
 * scale-up (Q5): a Deployment goes from 1 to 100 replicas spread over N nodes under Cilium (CRD
 * identities) while a client node sends 1,000 requests/s to its Service. Time until each new pod is
 * reachable from the client, new identities allocated, requests dropped meanwhile and why. Each
 * replication is one simulateScaleUp run (model/controlplane).
 *
 * What it shows. Pods with the same labels (a Deployment's) share one identity: scaling up allocates
 * none. Reachability is paced by cilium-agent's endpoint API limiter on each node (0.5/s and a burst
 * of 4 at first, auto-adjusting to ~1/s when endpoints take 1 s to create; refusals past 15 s of
 * waiting send the kubelet into retries): 100 pods on one node take about 100 s, spread over 10
 * nodes about 10 s, and beyond that the pod start, readiness and EndpointSlice path set ~5-8 s. With
 * the defaults nothing is dropped: the new pod's CiliumEndpoint reaches the client's ipcache before
 * its EndpointSlice does. Drops need a lagging pod watch on the agents: endpoints created before
 * their labels arrive run as reserved:init (its ingress drops everything) and, with distinct labels,
 * the client's egress policy lacks the new identities when the backends appear.
 */
import { ciChart } from './lib/ciChart.ts';
import { defineExperiment, type ScenarioContext, type SweepValues } from './lib/defineExperiment.ts';
import { simulateScaleUp } from '../model/controlplane/index.ts';

export interface ScaleUpParams {
  replicas: number;
  nodes: number;
  sameLabels: boolean;
  /** Extra lag of the agents' pod watch, s. */
  podWatchLagSec: number;
  /** The endpoint API limiter auto-adjusts (Cilium's default). */
  autoAdjust: boolean;
  requestsPerSec: number;
}

export function scaleUpScenario(p: ScaleUpParams, ctx: ScenarioContext) {
  const r = simulateScaleUp({
    replicas: p.replicas, nodes: p.nodes, sameLabels: p.sameLabels, agentPodWatchLagSec: p.podWatchLagSec, autoAdjust: p.autoAdjust,
    requestsPerSec: p.requestsPerSec, seed: ctx.seed, replication: ctx.replication,
  });
  const d = r.droppedRequests;
  return {
    newIdentities: r.newIdentities,
    reachP50Sec: r.timeToReachableSec.p50,
    reachP99Sec: r.timeToReachableSec.p99,
    reachMaxSec: r.timeToReachableSec.max,
    droppedTotal: d.total,
    droppedReservedInit: d.reservedInit,
    droppedIpcache: d.ipcache,
    droppedPolicy: d.policy,
    dropFraction: r.requestsSent > 0 ? d.total / r.requestsSent : 0,
    endpointCreateRejections: r.endpointCreateRejections,
    endpointCreateMaxWaitSec: r.endpointCreateMaxWaitSec,
    reservedInitEndpoints: r.reservedInitEndpoints,
  };
}

const VARIANT = "(datum.sameLabels ? 'same labels' : 'distinct labels') + (datum.podWatchLagSec > 0 ? ', pod watch +' + datum.podWatchLagSec + ' s' : '') + (datum.autoAdjust ? '' : ', limiter fixed')";
// dodge: variants that coincide (no drops, the same pacing) stay visible side by side.
const byNodes = { field: 'nodes', title: 'nodes the 99 new pods spread over (log)', scale: 'log', dodge: 0.02 } as const; // calibration-exempt: dodge width in decades (chart geometry)
const VARIANTS = ['same labels', 'distinct labels', 'same labels, pod watch +5 s', 'distinct labels, pod watch +5 s', 'same labels, limiter fixed'];
const byVariant = { field: 'variant', title: 'variant', sort: VARIANTS } as const;

const reachChart = ciChart({
  title: 'Scale-up 1 -> 100 replicas: time until a new pod is reachable from the client, vs nodes',
  derive: { variant: VARIANT },
  x: byNodes,
  series: byVariant,
  panels: [
    { title: 'median new pod', metric: 'reachP50Sec', y: { title: 'time to reachable p50 (s, log)', scale: 'log' } },
    { title: 'last new pod', metric: 'reachMaxSec', y: { title: 'time to reachable, last pod (s, log)', scale: 'log' } },
  ],
});

const dropsChart = ciChart({
  title: 'Requests dropped during the scale-up (expected, of 1,000 requests/s), by cause',
  derive: { variant: VARIANT },
  x: byNodes,
  series: byVariant,
  panels: [
    { title: 'new pod still reserved:init', metric: 'droppedReservedInit', y: { title: 'requests dropped (symlog)', scale: 'symlog' } },
    { title: "client's ipcache lacks the pod", metric: 'droppedIpcache', y: { title: 'requests dropped (symlog)', scale: 'symlog' } },
    { title: "client's policy lacks the new identity", metric: 'droppedPolicy', y: { title: 'requests dropped (symlog)', scale: 'symlog' } },
  ],
  width: 260, // calibration-exempt: panel width in pixels (three panels)
});

const limiterChart = ciChart({
  title: 'Identities allocated and the endpoint API limiter (per node: 0.5/s, burst 4, 15 s max wait, auto-adjusting)',
  derive: { variant: VARIANT },
  x: byNodes,
  series: byVariant,
  panels: [
    { title: 'new identities', metric: 'newIdentities', y: { title: 'identities allocated', zero: true } },
    { title: 'CNI ADDs refused by the limiter', metric: 'endpointCreateRejections', y: { title: 'refused endpoint creations (symlog)', scale: 'symlog' } },
    { title: 'longest wait at the limiter', metric: 'endpointCreateMaxWaitSec', y: { title: 'wait (s)', zero: true } },
  ],
  width: 260, // calibration-exempt: panel width in pixels (three panels)
});

// calibration-exempt-begin: the experiment's design (1 -> 100 replicas as in the question)
const REPLICAS = 100;
// calibration-exempt-end

export default defineExperiment({
  name: 'scale-up',
  question: 'When a Deployment scales from 1 to 100 replicas under Cilium, how long until each new pod is reachable, how many identities are allocated, and which requests are dropped, why?',
  answer:
    'Pods with the same labels share one identity, so scaling a Deployment allocates none. Reachability is paced by cilium-agent\'s endpoint API limiter on each node (0.5 creations/s and a burst of 4 at first, auto-adjusting): 100 pods on one node take about 100 s, spread over 10 nodes about 10 s. With the defaults nothing is dropped, because the new pod\'s CiliumEndpoint reaches the client\'s node before its EndpointSlice does. Drops need a lagging pod watch on the agents: endpoints created before their labels arrive run as reserved:init, whose ingress drops everything.',
  scenario: scaleUpScenario,
  // calibration-exempt-begin: the experiment's design (1 -> 100 replicas as in the question; a client at 1,000 requests/s; a 5 s pod-watch lag to show reserved:init)
  base: { replicas: REPLICAS, nodes: 10, sameLabels: true, podWatchLagSec: 0, autoAdjust: true, requestsPerSec: 1000 },
  sweep: [
    { grid: { nodes: [1, 2, 5, 10, 20, 50, 100], sameLabels: [true, false], podWatchLagSec: [0, 5] } },
    { grid: { nodes: [1, 2, 5, 10, 20, 50, 100], autoAdjust: [false] } },
  ],
  replications: 3,
  // calibration-exempt-end
  warmup: 0,
  metrics: [
    'newIdentities', 'reachP50Sec', 'reachP99Sec', 'reachMaxSec', 'droppedTotal', 'droppedReservedInit', 'droppedIpcache', 'droppedPolicy',
    'dropFraction', 'endpointCreateRejections', 'endpointCreateMaxWaitSec', 'reservedInitEndpoints',
  ],
  charts: [
    { name: 'time-to-reachable', spec: reachChart },
    { name: 'drops-by-cause', spec: dropsChart },
    { name: 'identities-and-limiter', spec: limiterChart },
  ],
  // calibration-exempt-begin: the quick mode's design
  quick: {
    sweep: [
      { grid: { nodes: [1, 10, 100], sameLabels: [true, false], podWatchLagSec: [0, 5] } },
      { grid: { nodes: [1, 10, 100], autoAdjust: [false] } },
    ],
    replications: 3,
  },
  // calibration-exempt-end
  cluster: {
    uses: 'the cluster\'s worker nodes (at most the replicas) join the nodes sweep',
    base: () => ({}),
    sweep: ({ profile }, sweep) => {
      const workers = profile.nodeClasses.reduce((n, k) => n + k.count - k.controlPlaneNodes, 0);
      const parts = sweep as readonly { grid: SweepValues<ScaleUpParams> }[];
      return parts.map(({ grid }) => ({
        grid: { ...grid, nodes: [...new Set([...grid.nodes!, Math.max(1, Math.min(workers, REPLICAS))])].sort((a, b) => a - b) },
      }));
    },
  },
});
