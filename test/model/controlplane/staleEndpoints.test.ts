/**
 * Backend removal and stale endpoints: TCP's give-up times against ip-sysctl.rst's 924.6 s and RFC
 * 6298 doubling, which datapath pins what, and the properties of a delete: new connections stop
 * failing once the client's node is reprogrammed, pinned ones fail until they close.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  connectGiveUpSec, establishedGiveUpSec, removalBehaviour, backendStateAt, simulateStaleEndpoints, defaultBackendRemovalParams,
  type StaleEndpointsScenario,
} from '../../../model/controlplane/index.ts';

describe('what a client sees from a deleted backend', () => {
  it('TCP gives up on unanswered data after 924.6 s (ip-sysctl.rst: "a hypothetical timeout of 924.6 seconds")', () => {
    expect(establishedGiveUpSec()).toBeCloseTo(924.6, 9);
  });

  it('connect() to a silent address fails after 1 + 2 + 4 + ... + 64 = 127 s (RFC 6298 doubling, tcp_syn_retries 6)', () => {
    expect(connectGiveUpSec()).toBe(127);
  });

  it('serving, then refusing (RST) until the sandbox is gone, then silent; a vanished backend is silent at once', () => {
    const p = defaultBackendRemovalParams;
    const exit = p.appExitAfterSigtermSec;
    expect(backendStateAt(exit / 2, 'close')).toBe('serving');
    expect(backendStateAt(exit + p.sandboxTeardownSec / 2, 'close')).toBe('refusing');
    expect(backendStateAt(exit + p.sandboxTeardownSec * 2, 'close')).toBe('silent');
    expect(backendStateAt(exit + p.sandboxTeardownSec / 2, 'vanish')).toBe('silent');
    // An app that ignores SIGTERM is killed at the grace period (30 s).
    expect(backendStateAt(p.terminationGracePeriodSec - 1, 'close', { ...p, appExitAfterSigtermSec: 1e6 })).toBe('serving');
    expect(backendStateAt(p.terminationGracePeriodSec + p.sandboxTeardownSec / 2, 'close', { ...p, appExitAfterSigtermSec: 1e6 })).toBe('refusing');
  });

  it('kube-proxy and Cilium per-packet LB pin existing connections; socket-LB destroys them only with bpf_sock_destroy (6.5) and the option', () => {
    expect(removalBehaviour('kube-proxy-iptables', { kernelVersion: '6.6' }).existing).toBe('pinned-until-closed');
    expect(removalBehaviour('kube-proxy-nftables', { kernelVersion: '6.6' }).existing).toBe('pinned-until-closed');
    expect(removalBehaviour('cilium-tc', { kernelVersion: '6.6' }).existing).toBe('pinned-until-closed');
    expect(removalBehaviour('cilium-socket-lb', { kernelVersion: '6.5' }).existing).toBe('destroyed-when-reprogrammed');
    expect(removalBehaviour('cilium-socket-lb', { kernelVersion: '6.1' }).existing).toBe('pinned-until-closed');
    expect(removalBehaviour('cilium-socket-lb', { kernelVersion: '6.6', sockTerminate: false }).existing).toBe('pinned-until-closed');
  });
});

const base: StaleEndpointsScenario = {
  datapath: 'kube-proxy-iptables', nodes: 100, services: 30_000, endpointsPerService: 3, churnPerSec: 1,
  connectionMode: 'per-request', backendExit: 'close', horizonSec: 300, seed: 5,
};
// An app that exits at once makes the reprogramming window visible.
const exitAtOnce = { ...defaultBackendRemovalParams, appExitAfterSigtermSec: 0 };

describe('simulateStaleEndpoints', () => {
  it('is deterministic', () => {
    expect(simulateStaleEndpoints(base)).toEqual(simulateStaleEndpoints(base));
  });

  it('new connections stop failing once the client\'s node is reprogrammed (property over datapaths and seeds)', () => {
    fc.assert(fc.property(fc.constantFrom('kube-proxy-iptables', 'kube-proxy-nftables', 'cilium-tc', 'cilium-socket-lb' as const), fc.integer({ min: 1, max: 1000 }), (datapath, seed) => {
      const r = simulateStaleEndpoints({ ...base, datapath, seed, requestsPerSec: 2000, horizonSec: 60 }, {}, exitAtOnce);
      expect(r.failedPinned).toBe(0);
      if (r.failedNew > 0) expect(r.lastFailedNewSec).toBeLessThan(r.reprogrammedSec);
      // About a third of the requests before reprogramming pick the deleted backend (1 of 3 endpoints).
      const window = r.windows.filter((w) => w.toSec <= r.reprogrammedSec).reduce((a, w) => a + w.requests, 0);
      if (window > 300) expect(r.failedNew / window).toBeGreaterThan(0.2);
    }), { numRuns: 12 });
  });

  it('pinned keep-alive connections to a vanished backend fail until they close: h2 until TCP gives up, h1 after one timeout each', () => {
    const h2 = simulateStaleEndpoints({ ...base, connectionMode: 'keepalive-h2', backendExit: 'vanish', horizonSec: 1200 });
    const h1 = simulateStaleEndpoints({ ...base, connectionMode: 'keepalive-h1', backendExit: 'vanish', horizonSec: 1200 });
    expect(h2.failedPinned).toBeGreaterThan(0);
    expect(h2.lastFailedPinnedSec).toBeGreaterThan(establishedGiveUpSec() * 0.9);
    expect(h2.lastFailedPinnedSec).toBeLessThan(establishedGiveUpSec() + 2);
    expect(h1.lastFailedPinnedSec).toBeLessThan(defaultBackendRemovalParams.appExitAfterSigtermSec + defaultBackendRemovalParams.clientRequestTimeoutSec + 1);
  });

  it('socket-LB with socket termination ends the pinned failures when the client\'s node is reprogrammed', () => {
    const r = simulateStaleEndpoints({ ...base, datapath: 'cilium-socket-lb', kernelVersion: '6.6', connectionMode: 'keepalive-h2', backendExit: 'vanish', horizonSec: 1200 },
      {}, { ...defaultBackendRemovalParams, appExitAfterSigtermSec: 0 });
    expect(r.existingConnections).toBe('destroyed-when-reprogrammed');
    expect(r.lastFailedPinnedSec).toBeLessThanOrEqual(r.reprogrammedSec);
  });

  it('a graceful exit (FIN) closes pinned connections: no pinned failures', () => {
    for (const connectionMode of ['keepalive-h1', 'keepalive-h2'] as const) {
      expect(simulateStaleEndpoints({ ...base, connectionMode, backendExit: 'close' }).failedPinned).toBe(0);
    }
  });

  it('counts every request in exactly one window', () => {
    const r = simulateStaleEndpoints({ ...base, connectionMode: 'keepalive-h1', backendExit: 'vanish' });
    expect(r.windows.reduce((a, w) => a + w.requests, 0)).toBe(r.requests);
    expect(r.windows.reduce((a, w) => a + w.failedNew + w.failedPinned, 0)).toBe(r.failedNew + r.failedPinned);
  });
});
