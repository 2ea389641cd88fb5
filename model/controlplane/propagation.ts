/**
 * Endpoint propagation: how long from a pod change (an endpoint added or removed) to the datapath on
 * the nodes, the SIG Scalability "network programming latency" (docs/sources.md#control-plane-slo).
 *
 * Pipeline of one change: the EndpointSlice controller sees the pod change after a watch delivery,
 * syncs the Service (work queue, workers, kube-controller-manager's rate limit, API write), the
 * written slice reaches every node's watcher (delivery delay + the API server's fan-out position),
 * and the node programs it: kube-proxy in its sync loop (minSyncPeriod, partial and full syncs,
 * restore time vs ruleset size) or cilium-agent in its event queue (BPF map updates). The latency of
 * a change on a node is from the pod change to the end of the sync (or event) that programmed it, as
 * the SLI measures it from the EndpointSlice's last-change-trigger time.
 *
 * Workload: `churnPerSec` changes per second across the cluster (Poisson), each to one endpoint of a
 * Service drawn uniformly from `services`. Every node runs the same loop, so `sampledNodes` nodes
 * spread over the fan-out order are simulated (all nodes of a smaller cluster); each starts at a
 * random phase of its syncPeriod and fullSyncPeriod. Changes of the first `warmupSec` are not
 * measured. A pure function of (scenario, params): the seed drives arrivals, Services, delays and
 * phases through named streams.
 */
import { QuantileHistogram, RandomStreams, Simulation, exponential } from '../engine/index.ts';
import { P50, P90, P99 } from '../engine/stats/percentiles.ts';
import { calibratedParams } from '../calibration/index.ts';
import { nsToSec, roundNs, secToNs, NS_PER_US } from '../units.ts';
import { WatchDelivery, defaultApiServerParams, type ApiServerParams } from './apiServer.ts';
import { defaultKcmRateLimitParams, type ClientRateLimitParams } from './clientRateLimits.ts';
import { EndpointSliceController, defaultEndpointSliceControllerParams, type EndpointSliceControllerParams } from './endpointSliceController.ts';
import { KubeProxySyncLoop, defaultKubeProxySyncLoopParams, type KubeProxySyncLoopParams } from './kubeProxySyncLoop.ts';
import { defaultKubeProxySyncCostParams, kubeProxySyncSec, type KubeProxySyncCostParams } from './kubeProxySyncCost.ts';
import { CiliumAgentQueue, ciliumServiceUpdateSec, defaultCiliumAgentParams, type CiliumAgentParams } from './ciliumAgent.ts';

export type ProxyKind = 'kube-proxy-iptables' | 'kube-proxy-nftables' | 'cilium';
export const PROXY_KINDS: readonly ProxyKind[] = ['kube-proxy-iptables', 'kube-proxy-nftables', 'cilium'];

export interface PropagationRunParams {
  readonly churnPerSec: number;
  readonly durationSec: number;
  readonly warmupSec: number;
  readonly sampledNodes: number;
}

export const defaultPropagationRunParams: PropagationRunParams = calibratedParams({
  churnPerSec: 'controlPlane.churnPerSec',
  durationSec: 'controlPlane.propagationDurationSec',
  warmupSec: 'controlPlane.propagationWarmupSec',
  sampledNodes: 'controlPlane.propagationSampledNodes',
});

export interface PropagationScenario {
  readonly proxy: ProxyKind;
  readonly nodes: number;
  /** Service ports programmed on every node. */
  readonly services: number;
  readonly endpointsPerService: number;
  /** kube-proxy's minSyncPeriod, s (default 1). */
  readonly minSyncPeriodSec?: number;
  /** Endpoint changes per second across the cluster (default controlPlane.churnPerSec). */
  readonly churnPerSec?: number;
  readonly durationSec?: number;
  readonly warmupSec?: number;
  readonly sampledNodes?: number;
  readonly seed: number;
  readonly replication?: number;
}

/** The calibrated side; every field defaults to the table. */
export interface PropagationModelParams {
  readonly api?: ApiServerParams;
  readonly kcmRateLimit?: ClientRateLimitParams;
  readonly endpointSlice?: EndpointSliceControllerParams;
  readonly kubeProxyLoop?: KubeProxySyncLoopParams;
  readonly kubeProxyCost?: KubeProxySyncCostParams;
  readonly cilium?: CiliumAgentParams;
}

export interface LatencySummarySec {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
  /** (change, node) pairs measured. */
  readonly count: number;
}

export interface PropagationResult {
  readonly proxy: ProxyKind;
  /** Pod change -> programmed on a node, over (change, sampled node) pairs. */
  readonly programmingLatencySec: LatencySummarySec;
  /** Pod change -> slice written by the controller. */
  readonly sliceWriteLatencySec: LatencySummarySec;
  /** Time of a full sync of this ruleset (kube-proxy), or of one Service event (Cilium), s. */
  readonly fullSyncSec: number;
  /** Time of a partial sync that rewrites one Service (kube-proxy), or of one Service event (Cilium), s. */
  readonly partialSyncSec: number;
  /** Full syncs per sampled node during the run. */
  readonly fullSyncsPerNode: number;
  /** Syncs (or handled events) per sampled node per second. */
  readonly syncsPerNodePerSec: number;
  /** Share of time a sampled node's kube-proxy (or agent) spent programming. */
  readonly busyFraction: number;
  readonly changes: number;
  readonly sliceWrites: number;
  /** Longest the EndpointSlice controller's queue got. */
  readonly controllerMaxQueue: number;
  /** Measured (change, sampled node) pairs still not programmed when the run ended (a backlog that does not drain). */
  readonly unprogrammed: number;
  readonly nodesSimulated: number;
  readonly events: number;
}

function requireInt(name: string, v: number, min: number): void {
  if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
}
function requireNonNegative(name: string, v: number): void {
  if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be a finite number >= 0, got ${v}`);
}

/** Records durations in µs (integers) and reports them in seconds. */
export class LatencyRecorder {
  private readonly h = new QuantileHistogram();

  record(ns: number): void {
    this.h.record(Math.max(0, Math.round(ns / NS_PER_US)));
  }

  get count(): number {
    return this.h.count;
  }

  summary(): LatencySummarySec {
    const us = (v: number): number => nsToSec(v * NS_PER_US);
    if (this.h.count === 0) return { p50: NaN, p90: NaN, p99: NaN, mean: NaN, max: NaN, count: 0 };
    return { p50: us(this.h.quantile(P50)), p90: us(this.h.quantile(P90)), p99: us(this.h.quantile(P99)), mean: us(this.h.mean), max: us(this.h.max), count: this.h.count };
  }
}

export function simulatePropagation(s: PropagationScenario, m: PropagationModelParams = {}): PropagationResult {
  const run = {
    churnPerSec: s.churnPerSec ?? defaultPropagationRunParams.churnPerSec,
    durationSec: s.durationSec ?? defaultPropagationRunParams.durationSec,
    warmupSec: s.warmupSec ?? defaultPropagationRunParams.warmupSec,
    sampledNodes: s.sampledNodes ?? defaultPropagationRunParams.sampledNodes,
  };
  requireInt('nodes', s.nodes, 1);
  requireInt('services', s.services, 1);
  requireInt('endpointsPerService', s.endpointsPerService, 1);
  requireNonNegative('churnPerSec', run.churnPerSec);
  if (!(run.durationSec > 0) || !Number.isFinite(run.durationSec)) throw new RangeError(`durationSec must be a finite number > 0, got ${run.durationSec}`);
  if (!(run.warmupSec >= 0 && run.warmupSec < run.durationSec)) throw new RangeError(`warmupSec must be in [0, durationSec), got ${run.warmupSec}`);
  requireInt('sampledNodes', run.sampledNodes, 1);
  const api = m.api ?? defaultApiServerParams;
  const loopParams = { ...(m.kubeProxyLoop ?? defaultKubeProxySyncLoopParams), ...(s.minSyncPeriodSec === undefined ? {} : { minSyncPeriodSec: s.minSyncPeriodSec }) };
  const cost = m.kubeProxyCost ?? defaultKubeProxySyncCostParams;
  const cilium = m.cilium ?? defaultCiliumAgentParams;

  const sim = new Simulation();
  const streams = new RandomStreams(s.seed, s.replication ?? 0);
  const nodeCount = Math.min(s.nodes, run.sampledNodes);
  const controllerWatch = new WatchDelivery(streams.stream('watch-controller'), api);
  const nodeWatch = new WatchDelivery(streams.stream('watch-nodes'), api);
  const phase = streams.stream('node-phase');
  const durationNs = roundNs(secToNs(run.durationSec));
  const warmupNs = roundNs(secToNs(run.warmupSec));

  const changeTimeNs: number[] = [];
  const programming = new LatencyRecorder();
  const sliceWrite = new LatencyRecorder();
  const measured = (id: number): boolean => changeTimeNs[id]! >= warmupNs;

  // The nodes: their fan-out position and their programming loop.
  const positions = Array.from({ length: nodeCount }, (_, k) => Math.floor(((k + 1 / 2) * s.nodes) / nodeCount));
  const onProgrammed = (changes: readonly number[], tNs: number): void => {
    for (const id of changes) if (measured(id)) programming.record(tNs - changeTimeNs[id]!);
  };
  const kubeProxy = s.proxy === 'cilium' ? undefined : (s.proxy === 'kube-proxy-iptables' ? 'iptables' : 'nftables');
  const loops: KubeProxySyncLoop[] = [];
  const agents: CiliumAgentQueue[] = [];
  const serviceEventSec = ciliumServiceUpdateSec(1, cilium);
  for (let k = 0; k < nodeCount; k++) {
    if (kubeProxy !== undefined) {
      loops.push(new KubeProxySyncLoop(sim, {
        mode: kubeProxy, services: s.services, endpointsPerService: s.endpointsPerService, params: loopParams, cost,
        sinceFullSyncSec: phase.uniform() * loopParams.fullSyncPeriodSec,
        sinceLastSyncSec: phase.uniform() * loopParams.syncPeriodSec,
        onProgrammed,
      }));
    } else {
      agents.push(new CiliumAgentQueue(sim));
    }
  }

  const controller = new EndpointSliceController(sim, {
    params: m.endpointSlice ?? defaultEndpointSliceControllerParams,
    api,
    rateLimit: m.kcmRateLimit ?? defaultKcmRateLimitParams,
    onWritten: (service, changes, tNs) => {
      for (const id of changes) if (measured(id)) sliceWrite.record(tNs - changeTimeNs[id]!);
      for (let k = 0; k < nodeCount; k++) {
        const delay = nodeWatch.delayNs(positions[k]!);
        if (kubeProxy !== undefined) {
          const loop = loops[k]!;
          sim.schedule(delay, () => {
            for (const id of changes) loop.notify(service, id);
          });
        } else {
          const agent = agents[k]!;
          sim.schedule(delay, () => agent.submit(serviceEventSec, (doneNs) => onProgrammed(changes, doneNs)));
        }
      }
    },
  });

  // Endpoint changes across the cluster.
  if (run.churnPerSec > 0) {
    const gap = exponential(1 / run.churnPerSec).sampler(streams.stream('churn-arrivals'));
    const which = streams.stream('churn-service');
    const first = roundNs(secToNs(gap()));
    const arrive = (): void => {
      const id = changeTimeNs.length;
      changeTimeNs.push(sim.nowNs);
      const service = Math.floor(which.uniform() * s.services);
      sim.schedule(controllerWatch.delayNs(0), () => controller.podChanged(service, id));
      const next = sim.nowNs + roundNs(secToNs(gap()));
      if (next < durationNs) sim.scheduleAt(next, arrive);
    };
    if (first < durationNs) sim.scheduleAt(first, arrive);
  }
  // Run until every change is programmed (periodic syncs go on forever, so stop at a horizon).
  const drainNs = durationNs + roundNs(secToNs(Math.max(loopParams.syncPeriodSec, loopParams.minSyncPeriodSec))) * 2 +
    roundNs(secToNs(kubeProxy === undefined ? 0 : kubeProxySyncSec(kubeProxy, s.services, s.endpointsPerService, s.services, true, cost))) * 2;
  sim.runUntil(drainNs);

  const busyNs = kubeProxy !== undefined ? loops.reduce((a, l) => a + l.busyNs, 0) : agents.reduce((a, g) => a + g.busyNs, 0);
  const syncs = kubeProxy !== undefined ? loops.reduce((a, l) => a + l.syncs, 0) : agents.reduce((a, g) => a + g.handled, 0);
  const fullSyncs = kubeProxy !== undefined ? loops.reduce((a, l) => a + l.fullSyncs, 0) : 0;
  const fullSyncSec = kubeProxy !== undefined ? kubeProxySyncSec(kubeProxy, s.services, s.endpointsPerService, s.services, true, cost) : serviceEventSec;
  const partialSyncSec = kubeProxy !== undefined ? kubeProxySyncSec(kubeProxy, s.services, s.endpointsPerService, 1, false, cost) : serviceEventSec;
  return {
    proxy: s.proxy,
    programmingLatencySec: programming.summary(),
    sliceWriteLatencySec: sliceWrite.summary(),
    fullSyncSec,
    partialSyncSec,
    fullSyncsPerNode: fullSyncs / nodeCount,
    syncsPerNodePerSec: syncs / nodeCount / run.durationSec,
    busyFraction: nsToSec(busyNs) / nodeCount / nsToSec(drainNs),
    changes: changeTimeNs.length,
    sliceWrites: controller.writes,
    controllerMaxQueue: controller.maxQueueLength,
    unprogrammed: changeTimeNs.filter((_, id) => measured(id)).length * nodeCount - programming.count,
    nodesSimulated: nodeCount,
    events: sim.eventsProcessed,
  };
}
