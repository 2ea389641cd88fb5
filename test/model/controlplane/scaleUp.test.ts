/**
 * Scale-up: identities follow labels, reachability needs the whole chain, drops have the causes
 * the mechanisms give them.
 */
import { describe, expect, it } from 'vitest';
import { simulateScaleUp, defaultApiServerParams, defaultScaleUpWorkloadParams } from '../../../model/controlplane/index.ts';

describe('simulateScaleUp', () => {
  it('same labels allocate no identity; distinct labels one per new pod', () => {
    expect(simulateScaleUp({ replicas: 100, nodes: 10, sameLabels: true, seed: 1 }).newIdentities).toBe(0);
    expect(simulateScaleUp({ replicas: 100, nodes: 10, sameLabels: false, seed: 1 }).newIdentities).toBe(99);
  });

  it('is deterministic', () => {
    expect(simulateScaleUp({ replicas: 50, nodes: 5, seed: 9 })).toEqual(simulateScaleUp({ replicas: 50, nodes: 5, seed: 9 }));
  });

  it('no pod is reachable before the endpoint is created and the pod is ready', () => {
    const w = defaultScaleUpWorkloadParams;
    const r = simulateScaleUp({ replicas: 20, nodes: 20, seed: 2 });
    expect(r.timeToReachableSec.count).toBe(19);
    expect(r.timeToReachableSec.p50).toBeGreaterThan(w.endpointCreateSec + w.appReadySec);
  });

  it('fewer nodes: the per-node endpoint API limiter makes pods wait (and refuses some); more nodes: no refusals', () => {
    const crowded = simulateScaleUp({ replicas: 100, nodes: 2, seed: 3 });
    const spread = simulateScaleUp({ replicas: 100, nodes: 50, seed: 3 });
    expect(crowded.endpointCreateRejections).toBeGreaterThan(0);
    expect(spread.endpointCreateRejections).toBe(0);
    expect(crowded.timeToReachableSec.max).toBeGreaterThan(2 * spread.timeToReachableSec.max);
  });

  it('a lagging pod watch (labels unknown at endpoint creation) gives reserved:init endpoints and drops attributed to it', () => {
    const r = simulateScaleUp({ replicas: 40, nodes: 40, agentPodWatchLagSec: 5, seed: 4 });
    expect(simulateScaleUp({ replicas: 40, nodes: 40, seed: 4 }).reservedInitEndpoints).toBe(0);
    expect(r.reservedInitEndpoints).toBeGreaterThan(0);
    expect(r.droppedRequests.reservedInit).toBeGreaterThan(0);
    expect(r.droppedRequests.total).toBeCloseTo(r.droppedRequests.reservedInit + r.droppedRequests.ipcache + r.droppedRequests.policy, 9);
  });

  it('without a client egress policy the client\'s ipcache and policy map drop nothing', () => {
    const api = { ...defaultApiServerParams, watchDeliveryMeanSec: 2 };
    const r = simulateScaleUp({ replicas: 40, nodes: 4, sameLabels: false, clientEgressPolicy: false, seed: 5 }, { api });
    expect(r.droppedRequests.ipcache).toBe(0);
    expect(r.droppedRequests.policy).toBe(0);
  });

  it('rejects replicas < 2', () => {
    expect(() => simulateScaleUp({ replicas: 1, nodes: 1, seed: 1 })).toThrow(/replicas must be an integer >= 2/);
  });
});
