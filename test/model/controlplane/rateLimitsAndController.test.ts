/**
 * Client rate limits (client-go token buckets) and the EndpointSlice controller's work queue,
 * checked against the token-bucket arithmetic and client-go's workqueue rules.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../../model/engine/index.ts';
import {
  EndpointSliceController, clientRateLimiter, defaultKcmRateLimitParams, defaultCiliumAgentRateLimitParams, defaultKubeProxyRateLimitParams,
  slicesForEndpoints, defaultApiServerParams, type EndpointSliceControllerParams,
} from '../../../model/controlplane/index.ts';

const SEC = 1e9;

describe('client rate limits', () => {
  it('carry the documented defaults: kube-controller-manager 20/30, kube-proxy 5/10, cilium-agent 10/20', () => {
    expect(defaultKcmRateLimitParams).toEqual({ qps: 20, burst: 30 });
    expect(defaultKubeProxyRateLimitParams).toEqual({ qps: 5, burst: 10 });
    expect(defaultCiliumAgentRateLimitParams).toEqual({ qps: 10, burst: 20 });
  });

  it('n requests at once: the first `burst` go now, the k-th after that at (k - burst + 1) / qps (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 200 }), (qps, burst, n) => {
      const b = clientRateLimiter({ qps, burst });
      for (let k = 0; k < n; k++) {
        const t = b.reserve(0, 1);
        const expected = k < burst ? 0 : ((k - burst + 1) / qps) * SEC;
        expect(Math.abs(t - expected)).toBeLessThan(1e-3 * SEC);
      }
    }));
  });
});

function controller(sim: Simulation, params: Partial<EndpointSliceControllerParams>, log: { service: number; ids: readonly number[]; t: number }[]) {
  return new EndpointSliceController(sim, {
    params: { concurrentSyncs: 5, maxEndpointsPerSlice: 100, batchPeriodSec: 0, syncSec: 0.001, apiShareFraction: 1, ...params },
    onWritten: (service, ids, t) => log.push({ service, ids: [...ids], t }),
  });
}

describe('EndpointSlice controller', () => {
  it('slices: at least one, then ceil(endpoints / 100)', () => {
    expect(slicesForEndpoints(0)).toBe(1);
    expect(slicesForEndpoints(100)).toBe(1);
    expect(slicesForEndpoints(101)).toBe(2);
    expect(slicesForEndpoints(1000)).toBe(10);
  });

  it('one change: written after the sync time plus the API write latency', () => {
    const sim = new Simulation();
    const log: { service: number; ids: readonly number[]; t: number }[] = [];
    const c = controller(sim, {}, log);
    c.podChanged(7, 1);
    sim.run();
    expect(log).toEqual([{ service: 7, ids: [1], t: Math.round(0.001 * SEC) + Math.round(defaultApiServerParams.writeLatencySec * SEC) }]);
  });

  it('changes to a Service that is waiting merge into one sync and one write (workqueue de-duplication)', () => {
    const sim = new Simulation();
    const log: { service: number; ids: readonly number[]; t: number }[] = [];
    const c = controller(sim, { concurrentSyncs: 1 }, log);
    c.podChanged(1, 0); // taken at once
    c.podChanged(2, 1); // waits
    c.podChanged(2, 2); // merges
    c.podChanged(2, 3);
    sim.run();
    expect(log.map((l) => [l.service, l.ids])).toEqual([[1, [0]], [2, [1, 2, 3]]]);
    expect(c.writes).toBe(2);
  });

  it('a Service changed during its own sync is synced again afterwards, never twice at once', () => {
    const sim = new Simulation();
    const log: { service: number; ids: readonly number[]; t: number }[] = [];
    const c = controller(sim, { concurrentSyncs: 5 }, log);
    c.podChanged(3, 0);
    sim.schedule(Math.round(0.0005 * SEC), () => c.podChanged(3, 1));
    sim.run();
    expect(log.map((l) => l.ids)).toEqual([[0], [1]]);
    expect(log[1]!.t).toBeGreaterThanOrEqual(2 * log[0]!.t);
  });

  it('a backlog of distinct Services drains at the rate limit: n writes need (n - burst) / qps (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 31, max: 300 }), (n) => {
      const sim = new Simulation();
      const log: { service: number; ids: readonly number[]; t: number }[] = [];
      const c = controller(sim, { concurrentSyncs: 5, syncSec: 0 }, log);
      for (let s = 0; s < n; s++) c.podChanged(s, s);
      sim.run();
      const last = Math.max(...log.map((l) => l.t)) / SEC;
      expect(log).toHaveLength(n);
      expect(last).toBeGreaterThanOrEqual((n - 30) / 20);
      expect(last).toBeLessThan((n - 30) / 20 + 1);
    }), { numRuns: 20 });
  });

  it('a batch period delays the sync and folds the changes it covers', () => {
    const sim = new Simulation();
    const log: { service: number; ids: readonly number[]; t: number }[] = [];
    const c = controller(sim, { batchPeriodSec: 1 }, log);
    c.podChanged(1, 0);
    sim.schedule(Math.round(0.5 * SEC), () => c.podChanged(1, 1));
    sim.run();
    expect(log).toHaveLength(1);
    expect(log[0]!.ids).toEqual([0, 1]);
    expect(log[0]!.t).toBeGreaterThan(SEC);
  });
});
