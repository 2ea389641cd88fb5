import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  simulateConntrack,
  defaultKubeProxyConntrackTimeoutsParams,
  defaultConntrackGcParams,
  legacyCiliumCtTimeoutsParams,
  type ConntrackScenario,
} from '../../../model/conntrack/index.ts';
import { defaultRetransmissionParams } from '../../../model/tcp/index.ts';

const GiB = 2 ** 30;
const node = { memoryBytes: 32 * GiB, cores: 8, kernelVersion: '6.1' };
const base: Omit<ConntrackScenario, 'impl'> = {
  node,
  connections: 1000,
  openRatePerSec: 1000,
  holdSec: 300,
  idleFraction: 0,
  packetIntervalSec: 60,
  seed: 1,
};

describe('simulateConntrack below capacity', () => {
  it('nothing is dropped or evicted and the peak is the N concurrent connections', () => {
    for (const impl of ['nf_conntrack', 'cilium-ct'] as const) {
      const r = simulateConntrack({ ...base, impl });
      expect(r, impl).toMatchObject({ peakEntries: 1000, droppedNewConnections: 0, evictedEntries: 0, connectionsEstablished: 1000, connectionsFailed: 0 });
      expect(r.brokenIdleFlows + r.brokenActiveFlows).toBe(0);
    }
  });

  it('reports the sized tables: kube-proxy max(32768 x 8, 131072) and Cilium 0.25% of 32 GiB', () => {
    expect(simulateConntrack({ ...base, impl: 'nf_conntrack', connections: 10 }).capacityEntries).toBe(Math.max(32_768 * 8, 131_072));
    const cilium = simulateConntrack({ ...base, impl: 'cilium-ct', connections: 10 });
    // Twice the 16 GiB example (1,060,485), up to integer truncation.
    expect(Math.abs(cilium.capacityEntries - 2 * 1_060_485)).toBeLessThanOrEqual(2);
  });
});

describe('simulateConntrack above capacity: the two failure modes', () => {
  it('nf_conntrack drops the excess SYNs; each failed connection tried 1 + synRetries times; nothing is evicted', () => {
    const capacity = 1000;
    const r = simulateConntrack({ ...base, impl: 'nf_conntrack', node: { ...node, maxEntries: capacity }, connections: 1500 });
    const excess = 1500 - capacity;
    expect(r).toMatchObject({ peakEntries: capacity, connectionsEstablished: capacity, connectionsFailed: excess, connectionsRetried: excess, evictedEntries: 0 });
    expect(r.droppedNewConnections).toBe(excess * (1 + defaultRetransmissionParams.retries));
    expect(r.brokenIdleFlows + r.brokenActiveFlows).toBe(0);
  });

  it('nf_conntrack: a retransmitted SYN gets in once room appears; the setup delay is a sum of doubling RTOs (1, 3, 7, 15 ... s)', () => {
    // 1500 connections in ~1.5 s, each held 5 s: the first 1000 close into TIME_WAIT (120 s) by ~6.5 s.
    // Refused SYNs arm the GC's early drop; with a threshold of 50% and 1000 entries per run
    // (HZ = 64) the pass at 10 s frees closing entries while the count is at or above 500, i.e. 501
    // of them, and the retransmissions at ~16 s get in.
    const gc = { ...defaultConntrackGcParams, nfGcEarlyDropThresholdFraction: 0.5, kernelHz: 64 };
    const r = simulateConntrack({ ...base, impl: 'nf_conntrack', node: { ...node, maxEntries: 1000 }, connections: 1500, holdSec: 5 }, { gc });
    expect(r.connectionsFailed).toBe(0);
    expect(r.connectionsRetried).toBe(500);
    expect(r.earlyDroppedEntries).toBe(501);
    const sums = [1, 3, 7, 15, 31, 63];
    expect(sums.some((s) => Math.abs(r.maxSetupDelaySec - s) < 1e-6), `max setup delay ${r.maxSetupDelaySec} s`).toBe(true);
    expect(r.meanSetupDelaySec).toBeGreaterThan(0);
  });

  it("nf_conntrack with the kernel's own early drop (down to 95%, 64 per jiffy) lets few of them in: TIME_WAIT entries hold the table", () => {
    const r = simulateConntrack({ ...base, impl: 'nf_conntrack', node: { ...node, maxEntries: 1000 }, connections: 1500, holdSec: 5 });
    // Each armed pass frees at most 1000 - 950 + 1 = 51 entries; retransmissions come in six waves.
    expect(r.earlyDroppedEntries).toBeGreaterThan(0);
    expect(r.earlyDroppedEntries).toBeLessThanOrEqual(51 * Math.ceil(63 / defaultConntrackGcParams.nfGcIntervalSec + 2));
    expect(r.connectionsFailed).toBeGreaterThan(0);
    expect(r.connectionsFailed + (r.connectionsEstablished - 1000)).toBe(500);
  });

  it('Cilium never drops: the least recently used entries go, and with them the idle flows that owned them', () => {
    // 1500 connections over ~15 s, half idle, active ones refresh every second: every eviction hits an idle flow.
    const r = simulateConntrack({
      ...base,
      impl: 'cilium-ct',
      node: { ...node, maxEntries: 1000 },
      connections: 1500,
      openRatePerSec: 100,
      holdSec: 100,
      idleFraction: 0.5,
      packetIntervalSec: 1,
    });
    expect(r).toMatchObject({ droppedNewConnections: 0, connectionsEstablished: 1500, connectionsFailed: 0, peakEntries: 1000, evictedEntries: 500 });
    expect(r.brokenIdleFlows).toBe(500);
    expect(r.brokenActiveFlows).toBe(0);
  });
});

describe('simulateConntrack: idle flows and timeouts', () => {
  const idleLong = { ...base, connections: 100, openRatePerSec: 10, holdSec: 9000, idleFraction: 1 };

  it('an idle flow longer than Cilium\'s 8000 s TCP lifetime loses its entry; kube-proxy\'s 86400 s keeps it', () => {
    const cilium = simulateConntrack({ ...idleLong, impl: 'cilium-ct' });
    const nf = simulateConntrack({ ...idleLong, impl: 'nf_conntrack' });
    expect(cilium.brokenIdleFlows).toBe(100);
    expect(cilium.expiredEntries).toBe(100);
    expect(nf.brokenIdleFlows).toBe(0);
  });

  it('with the older 21600 s Cilium lifetime the same idle flows survive', () => {
    expect(simulateConntrack({ ...idleLong, impl: 'cilium-ct' }, { ciliumTimeouts: legacyCiliumCtTimeoutsParams }).brokenIdleFlows).toBe(0);
  });
});

describe('simulateConntrack: occupancy obeys Little\'s law', () => {
  it('time-averaged entries = (N x time in table - the part cut off at the end) / run length', () => {
    const timeWaitSec = 5;
    const gcSec = 1;
    const holdSec = 5;
    const rate = 100;
    const n = 20_000;
    const r = simulateConntrack(
      { ...base, impl: 'nf_conntrack', connections: n, openRatePerSec: rate, holdSec, packetIntervalSec: 1 },
      { nfTimeouts: { ...defaultKubeProxyConntrackTimeoutsParams, tcpTimeWaitTimeoutSec: timeWaitSec }, gc: { ...defaultConntrackGcParams, nfGcIntervalSec: gcSec } },
    );
    // Each entry lives hold + TIME_WAIT + R, R ~ U[0, gc) the wait for the next GC pass after expiry.
    const sojournSec = holdSec + timeWaitSec + gcSec / 2;
    // The run stops when the last connection closes; entries then still in TIME_WAIT lose
    // (TIME_WAIT + R - x)+ for a connection that closed x before the end: rate x E[(TIME_WAIT + R)^2] / 2.
    const tail = timeWaitSec ** 2 + timeWaitSec * gcSec + gcSec ** 2 / 3;
    const expected = (n * sojournSec - (rate * tail) / 2) / r.simulatedSec;
    expect(Math.abs(r.meanEntries - expected) / expected, `mean entries ${r.meanEntries} vs ${expected}`).toBeLessThan(0.01);
  });
});

describe('simulateConntrack is a pure function of (scenario, seed)', () => {
  it('same seed, same result; another seed, other arrival times', () => {
    const s = { ...base, impl: 'cilium-ct' as const, node: { ...node, maxEntries: 300 }, connections: 500, idleFraction: 0.3, holdSec: 2 };
    expect(simulateConntrack(s)).toEqual(simulateConntrack(s));
    expect(simulateConntrack({ ...s, seed: 2 }).meanEntries).not.toBe(simulateConntrack(s).meanEntries);
  });

  it('accounting holds for random small workloads (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('nf_conntrack' as const, 'cilium-ct' as const),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 200 }),
        (impl, capacity, connections, idleFraction, holdSec) => {
          const r = simulateConntrack({ ...base, impl, node: { ...node, maxEntries: capacity }, connections, idleFraction, holdSec, openRatePerSec: 50, packetIntervalSec: 7 });
          expect(r.peakEntries).toBeLessThanOrEqual(capacity);
          expect(r.connectionsEstablished + r.connectionsFailed).toBe(connections);
          expect(r.brokenIdleFlows + r.brokenActiveFlows).toBeLessThanOrEqual(r.connectionsEstablished);
          if (impl === 'nf_conntrack') expect(r.evictedEntries).toBe(0);
          else expect(r.droppedNewConnections + r.connectionsFailed).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('rejects bad scenarios, naming the field', () => {
    expect(() => simulateConntrack({ ...base, impl: 'cilium-ct', connections: 0 })).toThrow(/connections must be an integer >= 1, got 0/);
    expect(() => simulateConntrack({ ...base, impl: 'cilium-ct', idleFraction: 2 })).toThrow(/idleFraction must be in \[0, 1\], got 2/);
  });
});
