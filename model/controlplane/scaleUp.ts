/**
 * Scale-up: a Deployment goes from 1 to R replicas spread over N nodes, under Cilium, while a client
 * on another node sends requests to its Service. When is each new pod reachable, how many identities
 * are allocated, and which requests are dropped, why?
 *
 * Each new pod, from the scale-up at t = 0:
 * 1. the ReplicaSet controller creates it (kube-controller-manager's rate limit, API write);
 * 2. the pod starts on its node (scheduling, kubelet, sandbox: lognormal) and the CNI asks the
 *    node's cilium-agent to create the endpoint: the endpoint API limiter lets it through, makes it
 *    wait, or refuses it (the kubelet retries later) (endpointApiLimiter.ts);
 * 3. the agent needs the pod's labels: if the pod's watch event has not reached the agent yet, the
 *    endpoint starts as `reserved:init` and is regenerated when the labels arrive; the identity of
 *    the label set is looked up, or in CRD mode allocated through the agent's client rate limit
 *    (identityAllocation.ts);
 * 4. the agent writes the CiliumEndpoint (its client rate limit, API write); the client node's agent
 *    gets it on its watch and updates its ipcache; a new identity also reaches the client's agent and
 *    its egress policy is regenerated to allow it (policyRegeneration.ts);
 * 5. the pod becomes Ready; the EndpointSlice controller writes the slice; the client's agent adds
 *    the backend to its Service maps.
 * Requests are sent to the Service's programmed backends evenly (`requestsPerSec` in all). A request
 * to a new pod is dropped while the pod is still `reserved:init` (its ingress policy does not select
 * it), while the client's ipcache does not know the pod's IP (the client's egress policy sees an
 * unknown destination), or while the client's policy map lacks the pod's new identity. The pod is
 * reachable from the first moment none of these holds after it is programmed. Drop counts are
 * expected values (rate x time), so they carry no extra sampling noise.
 */
import { RandomStreams, Simulation } from '../engine/index.ts';
import { calibratedParams } from '../calibration/index.ts';
import { nsToSec, roundNs, secToNs } from '../units.ts';
import { WatchDelivery, apiWriteLatencyNs, defaultApiServerParams, type ApiServerParams } from './apiServer.ts';
import { clientRateLimiter, defaultCiliumAgentRateLimitParams, defaultKcmRateLimitParams, scaledRateLimit, type ClientRateLimitParams } from './clientRateLimits.ts';
import { EndpointSliceController, defaultEndpointSliceControllerParams, type EndpointSliceControllerParams } from './endpointSliceController.ts';
import { CiliumAgentQueue, ciliumIpcacheUpdateSec, ciliumServiceUpdateSec, defaultCiliumAgentParams, type CiliumAgentParams } from './ciliumAgent.ts';
import { EndpointApiLimiter, defaultEndpointApiLimiterParams, type EndpointApiLimiterParams } from './endpointApiLimiter.ts';
import { IdentityAllocator, defaultIdentityParams, type IdentityParams } from './identityAllocation.ts';
import { PolicyTrigger, defaultPolicyRegenerationParams, regenerationSec, type PolicyRegenerationParams } from './policyRegeneration.ts';
import { delaySamplerNs } from './delaySampler.ts';
import { LatencyRecorder, type LatencySummarySec } from './propagation.ts';

export interface ScaleUpWorkloadParams {
  readonly podStartToCniSec: number;
  readonly podStartToCniCv: number;
  readonly appReadySec: number;
  readonly kubeletCniRetrySec: number;
  readonly endpointCreateSec: number;
  readonly requestsPerSec: number;
}

export const defaultScaleUpWorkloadParams: ScaleUpWorkloadParams = calibratedParams({
  podStartToCniSec: 'controlPlane.podStartToCniSec',
  podStartToCniCv: 'controlPlane.podStartToCniCv',
  appReadySec: 'controlPlane.appReadySec',
  kubeletCniRetrySec: 'controlPlane.kubeletCniRetrySec',
  endpointCreateSec: 'controlPlane.ciliumEndpointCreateSec',
  requestsPerSec: 'controlPlane.scaleUpRequestsPerSec',
});

export interface ScaleUpScenario {
  /** Replicas after the scale-up (one runs before it). */
  readonly replicas: number;
  readonly nodes: number;
  /** All replicas carry the same security labels (a Deployment's pods do). Default true. */
  readonly sameLabels?: boolean;
  /** The client's egress policy allows the Service's pods by identity. Default true. */
  readonly clientEgressPolicy?: boolean;
  /** Rules selecting the client (its policy computation), and the peers they select besides the new pods. */
  readonly clientPolicyRules?: number;
  readonly clientPolicyPeers?: number;
  /**
   * Extra lag of the agents' pod watch, s (default 0): an agent whose pod cache lags (an API server
   * under load, a restarting agent) creates endpoints before it knows their labels.
   */
  readonly agentPodWatchLagSec?: number;
  /** Endpoint API limiter auto-adjusts (the default). */
  readonly autoAdjust?: boolean;
  readonly requestsPerSec?: number;
  readonly seed: number;
  readonly replication?: number;
}

export interface ScaleUpModelParams {
  readonly api?: ApiServerParams;
  readonly kcmRateLimit?: ClientRateLimitParams;
  readonly agentRateLimit?: ClientRateLimitParams;
  readonly endpointSlice?: EndpointSliceControllerParams;
  readonly cilium?: CiliumAgentParams;
  readonly endpointApi?: EndpointApiLimiterParams;
  readonly identity?: IdentityParams;
  readonly regeneration?: PolicyRegenerationParams;
  readonly workload?: ScaleUpWorkloadParams;
}

export type ScaleUpDropCause = 'reservedInit' | 'ipcache' | 'policy';
export const SCALE_UP_DROP_CAUSES: readonly ScaleUpDropCause[] = ['reservedInit', 'ipcache', 'policy'];

export interface ScaleUpResult {
  readonly newPods: number;
  readonly newIdentities: number;
  /** Scale-up -> each new pod reachable from the client, s. */
  readonly timeToReachableSec: LatencySummarySec;
  /** Expected requests dropped, by cause, and in all. */
  readonly droppedRequests: Readonly<Record<ScaleUpDropCause, number>> & { readonly total: number };
  /** Requests sent until the last new pod was reachable. */
  readonly requestsSent: number;
  readonly endpointCreateRejections: number;
  readonly endpointCreateMaxWaitSec: number;
  /** New endpoints that started as reserved:init. */
  readonly reservedInitEndpoints: number;
}

interface PodTimes {
  node: number;
  createdNs: number;
  labelsKnownNs: number;
  initUntilNs: number;
  identityNew: boolean;
  ipcacheNs: number;
  policyNs: number;
  programmedNs: number;
}

export function simulateScaleUp(s: ScaleUpScenario, m: ScaleUpModelParams = {}): ScaleUpResult {
  if (!Number.isSafeInteger(s.replicas) || s.replicas < 2) throw new RangeError(`replicas must be an integer >= 2 (one runs before the scale-up), got ${s.replicas}`);
  if (!Number.isSafeInteger(s.nodes) || s.nodes < 1) throw new RangeError(`nodes must be an integer >= 1, got ${s.nodes}`);
  const w = m.workload ?? defaultScaleUpWorkloadParams;
  const api = m.api ?? defaultApiServerParams;
  const cilium = m.cilium ?? defaultCiliumAgentParams;
  const regen = m.regeneration ?? defaultPolicyRegenerationParams;
  const sameLabels = s.sameLabels ?? true;
  const egress = s.clientEgressPolicy ?? true;
  const requestsPerSec = s.requestsPerSec ?? w.requestsPerSec;
  const rules = s.clientPolicyRules ?? 1;
  const basePeers = s.clientPolicyPeers ?? 1;
  if (!(requestsPerSec > 0)) throw new RangeError(`requestsPerSec must be > 0, got ${requestsPerSec}`);
  const podWatchLagNs = roundNs(secToNs(s.agentPodWatchLagSec ?? 0));
  if (!(podWatchLagNs >= 0)) throw new RangeError(`agentPodWatchLagSec must be >= 0, got ${s.agentPodWatchLagSec}`);

  const sim = new Simulation();
  const streams = new RandomStreams(s.seed, s.replication ?? 0);
  const watch = new WatchDelivery(streams.stream('watch'), api);
  const podStart = delaySamplerNs(w.podStartToCniSec, w.podStartToCniCv, streams.stream('pod-start'));
  const writeNs = apiWriteLatencyNs(api);
  const kcmBucket = clientRateLimiter(scaledRateLimit(m.kcmRateLimit ?? defaultKcmRateLimitParams, (m.endpointSlice ?? defaultEndpointSliceControllerParams).apiShareFraction));
  const agentRate = m.agentRateLimit ?? defaultCiliumAgentRateLimitParams;
  const agentBuckets = Array.from({ length: s.nodes }, () => clientRateLimiter(agentRate));
  const limiters = Array.from({ length: s.nodes }, () => new EndpointApiLimiter(sim, { params: m.endpointApi ?? defaultEndpointApiLimiterParams, autoAdjust: s.autoAdjust }));
  const nodeAgents = Array.from({ length: s.nodes }, () => new CiliumAgentQueue(sim));
  const clientAgent = new CiliumAgentQueue(sim);
  const identities = new IdentityAllocator(m.identity ?? defaultIdentityParams);
  const pods: PodTimes[] = [];
  const labelsOf = (pod: number): string => (sameLabels ? 'app=web' : `app=web,replica=${pod}`);
  identities.identityFor(labelsOf(0));
  const allocatedBefore = identities.allocated;
  let newPeers = 0;
  const clientTrigger = new PolicyTrigger(sim, () => regenerationSec(rules * (basePeers + newPeers), regen), (ids, tNs) => {
    for (const pod of ids) pods[pod]!.policyNs = tNs;
  }, regen);
  const serviceEventSec = ciliumServiceUpdateSec(1, cilium);
  const ipcacheSec = ciliumIpcacheUpdateSec(cilium);
  const regenerationSecOfPod = regenerationSec(rules * basePeers, regen);
  const identityParams = m.identity ?? defaultIdentityParams;
  let rejections = 0;
  let initEndpoints = 0;

  const controller = new EndpointSliceController(sim, {
    params: m.endpointSlice, api, rateLimit: m.kcmRateLimit,
    onWritten: (_service, ids, _t) => {
      sim.schedule(watch.delayNs(0), () => clientAgent.submit(serviceEventSec, (doneNs) => {
        for (const pod of ids) pods[pod]!.programmedNs = Math.min(pods[pod]!.programmedNs, doneNs);
      }));
    },
  });

  const agentWrite = (node: number, then: (writtenNs: number) => void): void => {
    const goNs = Math.ceil(agentBuckets[node]!.reserve(sim.nowNs, 1));
    sim.scheduleAt(goNs + writeNs, () => then(sim.nowNs));
  };

  /** The agent writes the pod's CiliumEndpoint; the client's ipcache is right once a publication with the real identity arrives. */
  const publishEndpoint = (pod: number, realIdentity: boolean): void => {
    const t = pods[pod]!;
    agentWrite(t.node, () => {
      sim.schedule(watch.delayNs(0), () => clientAgent.submit(ipcacheSec, (doneNs) => {
        if (realIdentity) t.ipcacheNs = Math.min(t.ipcacheNs, doneNs);
      }));
    });
  };

  /** The pod runs: after its readiness delay the kubelet writes Ready and the controller sees it. */
  const startReadiness = (pod: number): void => {
    sim.schedule(roundNs(secToNs(w.appReadySec)), () => {
      sim.schedule(writeNs + watch.delayNs(0), () => controller.podChanged(0, pod));
    });
  };

  /** Identity of the pod's labels: known already, or allocated through the agent's client limit. */
  const resolveIdentity = (pod: number, then: () => void): void => {
    const t = pods[pod]!;
    const lookup = identities.identityFor(labelsOf(pod));
    if (!lookup.allocated) {
      then();
      return;
    }
    t.identityNew = true;
    const step = (left: number): void => {
      if (left === 0) {
        // The new identity reaches the client's agent, which regenerates its egress policy.
        sim.schedule(watch.delayNs(0), () => {
          newPeers++;
          if (egress) clientTrigger.trigger(pod);
        });
        then();
        return;
      }
      agentWrite(t.node, () => step(left - 1));
    };
    step(identityParams.apiCallsPerAllocation);
  };

  const createEndpoint = (pod: number): void => {
    const t = pods[pod]!;
    let labelsAtStart = false;
    limiters[t.node]!.request({
      processingSec: w.endpointCreateSec,
      onStart: (startNs) => {
        labelsAtStart = t.labelsKnownNs <= startNs;
      },
      onDone: (doneNs) => {
        if (labelsAtStart) {
          // The endpoint is created with its identity (allocated first if the label set is new).
          resolveIdentity(pod, () => {
            t.initUntilNs = sim.nowNs;
            publishEndpoint(pod, true);
            startReadiness(pod);
          });
          return;
        }
        // reserved:init: the pod runs with it until the labels arrive and a regeneration gives it its identity.
        initEndpoints++;
        publishEndpoint(pod, false);
        startReadiness(pod);
        sim.scheduleAt(Math.max(doneNs, t.labelsKnownNs), () => resolveIdentity(pod, () => {
          nodeAgents[t.node]!.submit(regenerationSecOfPod, (regenNs) => {
            t.initUntilNs = regenNs;
            publishEndpoint(pod, true);
          });
        }));
      },
      onRejected: () => {
        rejections++;
        sim.schedule(roundNs(secToNs(w.kubeletCniRetrySec)), () => createEndpoint(pod));
      },
    });
  };

  // The ReplicaSet controller creates the new pods.
  for (let pod = 1; pod < s.replicas; pod++) {
    const goNs = Math.ceil(kcmBucket.reserve(0, 1));
    const createdNs = goNs + writeNs;
    const node = (pod - 1) % s.nodes;
    pods[pod] = {
      node, createdNs, labelsKnownNs: createdNs + watch.delayNs(node) + podWatchLagNs, initUntilNs: Infinity, identityNew: false,
      ipcacheNs: Infinity, policyNs: Infinity, programmedNs: Infinity,
    };
    sim.scheduleAt(createdNs + podStart(), () => createEndpoint(pod));
  }
  sim.run();
  // Without an egress policy the client's ipcache and policy map do not matter; a known identity is in the policy already.
  for (let pod = 1; pod < s.replicas; pod++) {
    const t = pods[pod]!;
    if (!egress) {
      t.ipcacheNs = 0;
      t.policyNs = 0;
    } else if (!t.identityNew) {
      t.policyNs = 0;
    }
  }

  // Requests: spread evenly over the programmed backends; drops while a cause holds.
  const reach = new LatencyRecorder();
  const reachableNs: number[] = [];
  for (let pod = 1; pod < s.replicas; pod++) {
    const t = pods[pod]!;
    const r = Math.max(t.programmedNs, t.initUntilNs, t.ipcacheNs, t.policyNs);
    reachableNs.push(r);
    reach.record(r);
  }
  const events: { tNs: number; delta: number }[] = [];
  for (let pod = 1; pod < s.replicas; pod++) events.push({ tNs: pods[pod]!.programmedNs, delta: 1 });
  events.sort((a, b) => a.tNs - b.tNs);
  const endNs = Math.max(...reachableNs);
  const dropped: Record<ScaleUpDropCause, number> = { reservedInit: 0, ipcache: 0, policy: 0 };
  // Backends programmed at each time: 1 + new pods programmed so far. Integrate each pod's drop windows.
  const backendsAt = (tNs: number): number => {
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (events[mid]!.tNs <= tNs) lo = mid + 1;
      else hi = mid;
    }
    return 1 + lo;
  };
  const breakpoints = [...new Set(events.map((e) => e.tNs))].sort((a, b) => a - b);
  const integrate = (fromNs: number, toNs: number): number => {
    // ∫ requestsPerSec / backends(t) dt over [from, to), piecewise constant between programming times.
    let total = 0;
    let a = fromNs;
    for (const b of breakpoints) {
      if (b <= a) continue;
      if (b >= toNs) break;
      total += nsToSec(b - a) / backendsAt(a);
      a = b;
    }
    if (toNs > a) total += nsToSec(toNs - a) / backendsAt(a);
    return total * requestsPerSec;
  };
  for (let pod = 1; pod < s.replicas; pod++) {
    const t = pods[pod]!;
    const from = t.programmedNs;
    // Causes in order: the pod is reserved:init, the client's ipcache is stale, its policy map lacks the identity.
    let cursor = from;
    const windows: [ScaleUpDropCause, number][] = [['reservedInit', t.initUntilNs], ['ipcache', t.ipcacheNs], ['policy', t.policyNs]];
    for (const [cause, until] of windows) {
      if (until > cursor) {
        dropped[cause] += integrate(cursor, until);
        cursor = until;
      }
    }
  }
  const total = dropped.reservedInit + dropped.ipcache + dropped.policy;
  return {
    newPods: s.replicas - 1,
    newIdentities: identities.allocated - allocatedBefore,
    timeToReachableSec: reach.summary(),
    droppedRequests: { ...dropped, total },
    requestsSent: nsToSec(endNs) * requestsPerSec,
    endpointCreateRejections: rejections,
    endpointCreateMaxWaitSec: nsToSec(Math.max(...limiters.map((l) => l.maxWaitedNs))),
    reservedInitEndpoints: initEndpoints,
  };
}
