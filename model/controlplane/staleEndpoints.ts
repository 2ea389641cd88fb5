/**
 * Stale endpoints: a Service backend is deleted at t = 0 while a client node sends it requests.
 * Which requests fail, and until when?
 *
 * The control plane removes the endpoint: the EndpointSlice controller (with the cluster's other
 * endpoint changes going on, `churnPerSec`, which at high rates queues behind its rate limit), the
 * watch to the client's node, and that node's kube-proxy sync loop or cilium-agent
 * (propagation.ts's pieces). Until the client's node is reprogrammed, a new connection picks the
 * deleted backend with probability 1/E. The deleted backend serves, then refuses, then is silent
 * (backendRemoval.ts). Failures are counted at the time the request is sent and split:
 * - `new`: requests on connections opened after the delete that reached the deleted backend;
 * - `pinned`: requests on connections open before the delete, pinned to the deleted backend.
 *
 * Clients: `per-request` opens a connection per request; `keepalive-h1` keeps a pool of
 * connections, one request at a time each, and closes a connection when a request on it times out;
 * `keepalive-h2` multiplexes requests on pooled connections, so a connection whose backend went
 * silent stays until TCP gives up on it (tcp_retries2) and every request on it times out. With a
 * `close` exit the backend's process closes its connections (FIN) and clients reopen them; with
 * `vanish` nothing is closed. Socket-LB with socket termination closes pinned connections when the
 * client's node processes the deletion. Requests are Poisson; each picks a pooled connection
 * uniformly. A pure function of (scenario, params).
 */
import { RandomStreams, Simulation, exponential } from '../engine/index.ts';
import { calibratedParams } from '../calibration/index.ts';
import type { LookupModelName } from '../lookup/lookupModel.ts';
import { nsToSec, roundNs, secToNs } from '../units.ts';
import { WatchDelivery, defaultApiServerParams } from './apiServer.ts';
import { EndpointSliceController } from './endpointSliceController.ts';
import { KubeProxySyncLoop, defaultKubeProxySyncLoopParams } from './kubeProxySyncLoop.ts';
import { CiliumAgentQueue, ciliumServiceUpdateSec } from './ciliumAgent.ts';
import {
  backendStateAt, connectGiveUpSec, defaultBackendRemovalParams, establishedGiveUpSec, removalBehaviour,
  type BackendExit, type BackendRemovalParams,
} from './backendRemoval.ts';
import type { PropagationModelParams } from './propagation.ts';

export type ClientConnectionMode = 'per-request' | 'keepalive-h1' | 'keepalive-h2';
export const CLIENT_CONNECTION_MODES: readonly ClientConnectionMode[] = ['per-request', 'keepalive-h1', 'keepalive-h2'];

export interface StaleWorkloadParams {
  readonly requestsPerSec: number;
  readonly connectionPool: number;
  readonly horizonSec: number;
  readonly preRollSec: number;
}

export const defaultStaleWorkloadParams: StaleWorkloadParams = calibratedParams({
  requestsPerSec: 'controlPlane.staleRequestsPerSec',
  connectionPool: 'controlPlane.staleConnectionPool',
  horizonSec: 'controlPlane.staleHorizonSec',
  preRollSec: 'controlPlane.propagationWarmupSec',
});

export interface StaleEndpointsScenario {
  readonly datapath: LookupModelName;
  readonly nodes: number;
  readonly services: number;
  /** Endpoints of the Service, the deleted one included (>= 2). */
  readonly endpointsPerService: number;
  readonly churnPerSec: number;
  readonly connectionMode: ClientConnectionMode;
  readonly backendExit: BackendExit;
  readonly requestsPerSec?: number;
  readonly connectionPool?: number;
  readonly horizonSec?: number;
  /** Cluster churn before the delete, s (lets a controller backlog build). */
  readonly preRollSec?: number;
  readonly minSyncPeriodSec?: number;
  /** Client node's kernel (socket termination needs 6.5). Default "6.1". */
  readonly kernelVersion?: string;
  readonly sockTerminate?: boolean;
  /** Window edges after the delete, s, increasing from 0; failures are counted per window. */
  readonly windowEdgesSec?: readonly number[];
  readonly seed: number;
  readonly replication?: number;
}

export interface StaleWindow {
  readonly fromSec: number;
  readonly toSec: number;
  readonly failedNew: number;
  readonly failedPinned: number;
  readonly requests: number;
}

export interface StaleEndpointsResult {
  /** Delete -> the client's node stops sending new connections to the deleted backend, s. */
  readonly reprogrammedSec: number;
  readonly existingConnections: string;
  readonly requests: number;
  readonly failedNew: number;
  readonly failedPinned: number;
  /** Send time of the last failed request of each kind after the delete, s (0 if none). */
  readonly lastFailedNewSec: number;
  readonly lastFailedPinnedSec: number;
  /** Longest a failed request kept its client waiting, s. */
  readonly longestFailureWaitSec: number;
  readonly windows: readonly StaleWindow[];
}

/** Default window edges: 0, 1, 3, 10, 30, 100, 300, 1000 s and the horizon. */
export const STALE_WINDOW_EDGES_SEC: readonly number[] = [0, 1, 3, 10, 30, 100, 300, 1000]; // calibration-exempt: log-spaced reporting windows (1-3-10), not a model number

const DELETED = 0;

interface PooledConnection {
  backend: number;
  /** Opened before the delete. */
  preexisting: boolean;
  /** Closed (to be reopened by the next request that picks it) from this time on, s; Infinity if open. */
  closedFromSec: number;
}

/** When the client's node is reprogrammed for the delete, s after it (control-plane run). */
function reprogrammingSec(s: StaleEndpointsScenario, preRollSec: number, m: PropagationModelParams): number {
  const sim = new Simulation();
  const streams = new RandomStreams(s.seed, s.replication ?? 0);
  const api = m.api ?? defaultApiServerParams;
  const controllerWatch = new WatchDelivery(streams.stream('watch-controller'), api);
  const nodeWatch = new WatchDelivery(streams.stream('watch-nodes'), api);
  const phase = streams.stream('node-phase');
  const position = Math.floor(s.nodes / 2);
  const deleteNs = roundNs(secToNs(preRollSec));
  const DELETE_ID = -1;
  let programmedNs = NaN;
  const onProgrammed = (ids: readonly number[], tNs: number): void => {
    if (Number.isNaN(programmedNs) && ids.includes(DELETE_ID)) programmedNs = tNs;
  };
  const loopParams = { ...(m.kubeProxyLoop ?? defaultKubeProxySyncLoopParams), ...(s.minSyncPeriodSec === undefined ? {} : { minSyncPeriodSec: s.minSyncPeriodSec }) };
  const kubeProxy = s.datapath === 'kube-proxy-iptables' ? 'iptables' : s.datapath === 'kube-proxy-nftables' ? 'nftables' : undefined;
  const loop = kubeProxy === undefined ? undefined : new KubeProxySyncLoop(sim, {
    mode: kubeProxy, services: s.services, endpointsPerService: s.endpointsPerService, params: loopParams, cost: m.kubeProxyCost,
    sinceFullSyncSec: phase.uniform() * loopParams.fullSyncPeriodSec, sinceLastSyncSec: phase.uniform() * loopParams.syncPeriodSec, onProgrammed,
  });
  const agent = new CiliumAgentQueue(sim);
  const eventSec = ciliumServiceUpdateSec(1, m.cilium);
  const controller = new EndpointSliceController(sim, {
    params: m.endpointSlice, api, rateLimit: m.kcmRateLimit,
    onWritten: (service, ids, _t) => {
      sim.schedule(nodeWatch.delayNs(position), () => {
        if (loop !== undefined) for (const id of ids) loop.notify(service, id);
        else agent.submit(eventSec, (doneNs) => onProgrammed(ids, doneNs));
      });
    },
  });
  // The deleted pod's Service is Service 0; the churn falls on the others.
  const endNs = deleteNs + roundNs(secToNs(s.horizonSec ?? defaultStaleWorkloadParams.horizonSec));
  if (s.churnPerSec > 0 && s.services > 1) {
    const gap = exponential(1 / s.churnPerSec).sampler(streams.stream('churn-arrivals'));
    const which = streams.stream('churn-service');
    let id = 0;
    const arrive = (): void => {
      const service = 1 + Math.floor(which.uniform() * (s.services - 1));
      const change = id++;
      sim.schedule(controllerWatch.delayNs(0), () => controller.podChanged(service, change));
      const next = sim.nowNs + roundNs(secToNs(gap()));
      if (next < endNs) sim.scheduleAt(next, arrive);
    };
    sim.scheduleAt(roundNs(secToNs(gap())), arrive);
  }
  sim.scheduleAt(deleteNs, () => sim.schedule(controllerWatch.delayNs(0), () => controller.podChanged(0, DELETE_ID)));
  while (Number.isNaN(programmedNs) && sim.peekNs() < endNs && sim.step()) { /* run until the delete is programmed */ }
  return Number.isNaN(programmedNs) ? Infinity : nsToSec(programmedNs - deleteNs);
}

export function simulateStaleEndpoints(
  s: StaleEndpointsScenario, m: PropagationModelParams = {}, p: BackendRemovalParams = defaultBackendRemovalParams,
): StaleEndpointsResult {
  const w = {
    requestsPerSec: s.requestsPerSec ?? defaultStaleWorkloadParams.requestsPerSec,
    connectionPool: s.connectionPool ?? defaultStaleWorkloadParams.connectionPool,
    horizonSec: s.horizonSec ?? defaultStaleWorkloadParams.horizonSec,
    preRollSec: s.preRollSec ?? defaultStaleWorkloadParams.preRollSec,
  };
  if (!Number.isSafeInteger(s.endpointsPerService) || s.endpointsPerService < 2) throw new RangeError(`endpointsPerService must be an integer >= 2 (one is deleted), got ${s.endpointsPerService}`);
  if (!Number.isSafeInteger(s.nodes) || s.nodes < 1) throw new RangeError(`nodes must be an integer >= 1, got ${s.nodes}`);
  if (!Number.isSafeInteger(s.services) || s.services < 1) throw new RangeError(`services must be an integer >= 1, got ${s.services}`);
  if (!(s.churnPerSec >= 0)) throw new RangeError(`churnPerSec must be >= 0, got ${s.churnPerSec}`);
  if (!(w.requestsPerSec > 0)) throw new RangeError(`requestsPerSec must be > 0, got ${w.requestsPerSec}`);
  if (!Number.isSafeInteger(w.connectionPool) || w.connectionPool < 1) throw new RangeError(`connectionPool must be an integer >= 1, got ${w.connectionPool}`);
  if (!(w.horizonSec > 0)) throw new RangeError(`horizonSec must be > 0, got ${w.horizonSec}`);
  const edges = [...(s.windowEdgesSec ?? STALE_WINDOW_EDGES_SEC.filter((e) => e < w.horizonSec)), w.horizonSec];
  for (let i = 1; i < edges.length; i++) if (!(edges[i]! > edges[i - 1]!)) throw new RangeError(`windowEdgesSec must increase from 0 to below the horizon, got ${edges.join(', ')}`);

  const reprogrammedSec = reprogrammingSec(s, w.preRollSec, m);
  const behaviour = removalBehaviour(s.datapath, { kernelVersion: s.kernelVersion ?? '6.1', sockTerminate: s.sockTerminate });
  const destroyedAtSec = behaviour.existing === 'destroyed-when-reprogrammed' ? reprogrammedSec : Infinity;
  const timeoutSec = p.clientRequestTimeoutSec;
  const connectFailSec = Math.min(connectGiveUpSec(p), timeoutSec);
  const tcpGiveUpSec = establishedGiveUpSec(p);
  const exitSec = Math.min(p.appExitAfterSigtermSec, p.terminationGracePeriodSec);
  const E = s.endpointsPerService;

  const streams = new RandomStreams(s.seed, s.replication ?? 0);
  const arrivals = exponential(1 / w.requestsPerSec).sampler(streams.stream('client-requests'));
  const pick = streams.stream('client-pick');
  const chooseBackend = (tSec: number): number =>
    tSec < reprogrammedSec ? Math.floor(pick.uniform() * E) : 1 + Math.floor(pick.uniform() * (E - 1));

  const pool: PooledConnection[] = [];
  if (s.connectionMode !== 'per-request') {
    for (let i = 0; i < w.connectionPool; i++) pool.push({ backend: Math.floor(pick.uniform() * E), preexisting: true, closedFromSec: Infinity });
    for (const c of pool) {
      if (c.backend === DELETED) {
        if (s.backendExit === 'close') c.closedFromSec = Math.min(exitSec, destroyedAtSec);
        else c.closedFromSec = destroyedAtSec;
      }
    }
  }

  const windows = edges.slice(0, -1).map((from, i) => ({ fromSec: from, toSec: edges[i + 1]!, failedNew: 0, failedPinned: 0, requests: 0 }));
  let wi = 0;
  let failedNew = 0;
  let failedPinned = 0;
  let lastNew = 0;
  let lastPinned = 0;
  let longestWait = 0;
  let requests = 0;

  /** A request on a fresh connection to `backend` at `t`: failure wait (s) or -1 when it succeeds. */
  const freshOutcome = (backend: number, t: number): number => {
    if (backend !== DELETED) return -1;
    const state = backendStateAt(t, s.backendExit, p);
    if (state === 'serving') return -1;
    return state === 'refusing' ? 0 : connectFailSec;
  };

  for (let t = arrivals(); t < w.horizonSec; t += arrivals()) {
    requests++;
    while (t >= windows[wi]!.toSec) wi++;
    const win = windows[wi]!;
    win.requests++;
    let failWait = -1;
    let pinned = false;
    if (s.connectionMode === 'per-request') {
      failWait = freshOutcome(chooseBackend(t), t);
    } else {
      const c = pool[Math.floor(pick.uniform() * pool.length)]!;
      if (t >= c.closedFromSec) {
        // The client reopens the connection through the datapath as it is now.
        c.backend = chooseBackend(t);
        c.preexisting = false;
        c.closedFromSec = Infinity;
        failWait = freshOutcome(c.backend, t);
        if (failWait >= 0) {
          const state = backendStateAt(t, s.backendExit, p);
          // Refused: closed again at once. Silent: the connect fails after its wait.
          c.closedFromSec = state === 'refusing' ? t : t + failWait;
        }
      } else if (c.backend === DELETED) {
        const state = backendStateAt(t, s.backendExit, p);
        if (state !== 'serving') {
          pinned = c.preexisting;
          if (state === 'refusing') {
            failWait = 0;
            c.closedFromSec = t;
          } else {
            failWait = timeoutSec;
            // h1 closes the connection on the timeout; h2 keeps it until TCP gives up (or the socket is destroyed).
            const closeAt = s.connectionMode === 'keepalive-h1' ? t + timeoutSec : t + tcpGiveUpSec;
            c.closedFromSec = Math.min(c.closedFromSec, closeAt, Math.max(destroyedAtSec, t));
            if (destroyedAtSec > t && destroyedAtSec < t + failWait) failWait = destroyedAtSec - t;
          }
        }
      }
    }
    if (failWait >= 0) {
      longestWait = Math.max(longestWait, failWait);
      if (pinned) {
        failedPinned++;
        win.failedPinned++;
        lastPinned = t;
      } else {
        failedNew++;
        win.failedNew++;
        lastNew = t;
      }
    }
  }
  return {
    reprogrammedSec,
    existingConnections: behaviour.existing,
    requests,
    failedNew,
    failedPinned,
    lastFailedNewSec: lastNew,
    lastFailedPinnedSec: lastPinned,
    longestFailureWaitSec: longestWait,
    windows,
  };
}
