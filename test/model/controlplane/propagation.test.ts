/**
 * Endpoint propagation end to end: determinism, the pieces add up for a lone change, and the
 * mechanisms move the latency the way they must (minSyncPeriod, rate limits, proxy kind).
 */
import { describe, expect, it } from 'vitest';
import { simulatePropagation, defaultApiServerParams, kubeProxySyncSec, type PropagationScenario } from '../../../model/controlplane/index.ts';

const base: PropagationScenario = { proxy: 'kube-proxy-iptables', nodes: 50, services: 2000, endpointsPerService: 3, churnPerSec: 2, durationSec: 120, warmupSec: 10, sampledNodes: 16, seed: 3 };

describe('simulatePropagation', () => {
  it('is a pure function of (scenario, seed): the same inputs give the same result, another seed another', () => {
    expect(simulatePropagation(base)).toEqual(simulatePropagation(base));
    expect(simulatePropagation({ ...base, seed: 4 }).programmingLatencySec).not.toEqual(simulatePropagation(base).programmingLatencySec);
  });

  it('measures every (change, sampled node) pair once, and all are programmed', () => {
    const r = simulatePropagation(base);
    expect(r.unprogrammed).toBe(0);
    expect(r.programmingLatencySec.count % r.nodesSimulated).toBe(0);
    expect(r.nodesSimulated).toBe(16);
  });

  it('a lone change on idle nodes (no minSyncPeriod wait) takes at least the controller, the watches and one partial sync', () => {
    const api = { ...defaultApiServerParams, watchDeliveryCv: 0, watchDispatchPerWatcherSec: 0 };
    const r = simulatePropagation({ ...base, churnPerSec: 0.02, durationSec: 400, warmupSec: 0, minSyncPeriodSec: 0 }, { api });
    const floor = 2 * api.watchDeliveryMeanSec + api.writeLatencySec + kubeProxySyncSec('iptables', 2000, 3, 1, false);
    expect(r.programmingLatencySec.count).toBeGreaterThan(0);
    expect(r.programmingLatencySec.p50).toBeGreaterThanOrEqual(floor * 0.999);
    expect(r.programmingLatencySec.p50).toBeLessThan(floor + 0.05);
  });

  it('minSyncPeriod 10 s programs later than 1 s; nftables and Cilium are not slower than iptables at the median', () => {
    const one = simulatePropagation({ ...base, minSyncPeriodSec: 1 });
    const ten = simulatePropagation({ ...base, minSyncPeriodSec: 10 });
    expect(ten.programmingLatencySec.p50).toBeGreaterThan(one.programmingLatencySec.p50 + 2);
    const cilium = simulatePropagation({ ...base, proxy: 'cilium' });
    expect(cilium.programmingLatencySec.p50).toBeLessThan(one.programmingLatencySec.p50);
    expect(cilium.syncsPerNodePerSec).toBeGreaterThan(0);
  });

  it('churn above the controller\'s rate limit builds a backlog: the slice writes lag more and more', () => {
    const calm = simulatePropagation({ ...base, churnPerSec: 5, services: 50_000 });
    const storm = simulatePropagation({ ...base, churnPerSec: 60, services: 50_000 });
    expect(storm.controllerMaxQueue).toBeGreaterThan(100);
    expect(storm.sliceWriteLatencySec.p90).toBeGreaterThan(10 * calm.sliceWriteLatencySec.p90);
  });

  it('rejects bad scenarios naming the field', () => {
    expect(() => simulatePropagation({ ...base, nodes: 0 })).toThrow(/nodes must be an integer >= 1, got 0/);
    expect(() => simulatePropagation({ ...base, warmupSec: 500 })).toThrow(/warmupSec/);
  });
});
