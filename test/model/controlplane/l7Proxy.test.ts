/**
 * The L7 proxy: the workers' measured busy time equals CPU per request x rate x time (the
 * utilisation law), the latency at light load is the passes plus the two loopback hops, and
 * queueing makes it grow towards the capacity workers / CPU per request.
 */
import { describe, expect, it } from 'vitest';
import { simulateL7Proxy, defaultL7ProxyParams, l7ProxyCapacityPerSec, loopbackHopNs, l7ProxyNodeCpuSecPerRequest, rttSamplerFromPercentiles } from '../../../model/controlplane/index.ts';
import { RandomStreams } from '../../../model/engine/index.ts';

const baseRttNs = () => 20_000;
const run = (requestsPerSec: number, seed = 1, p = defaultL7ProxyParams) =>
  simulateL7Proxy({ requestsPerSec, connections: 64, durationSec: 4, warmupSec: 0.5, baseRttNs, seed }, p);

describe('L7 proxy', () => {
  it('proxy CPU per request x rate = the workers\' measured busy time (within 3 %)', () => {
    for (const rate of [2000, 20_000, 35_000]) {
      const r = run(rate);
      const expected = defaultL7ProxyParams.cpuSecPerRequest * rate * r.windowSec;
      expect(Math.abs(r.busySec / expected - 1), `${rate}/s`).toBeLessThan(0.03);
    }
  });

  it('at light load it adds about the two passes and two loopback hops', () => {
    const r = run(200);
    const expectedMean = defaultL7ProxyParams.cpuSecPerRequest + (2 * loopbackHopNs()) / 1e9;
    expect(r.addedSec.mean / expectedMean).toBeGreaterThan(0.95);
    expect(r.addedSec.mean / expectedMean).toBeLessThan(1.1);
  });

  it('latency grows with load towards the capacity, workers / CPU per request', () => {
    const cap = l7ProxyCapacityPerSec();
    expect(cap).toBeCloseTo(defaultL7ProxyParams.workers / defaultL7ProxyParams.cpuSecPerRequest, 6);
    const p99 = [0.1, 0.5, 0.8, 0.95].map((f) => run(cap * f).addedSec.p99);
    for (let i = 1; i < p99.length; i++) expect(p99[i]!).toBeGreaterThan(p99[i - 1]!);
  });

  it('the node pays the proxy\'s CPU plus two loopback hops per request', () => {
    expect(l7ProxyNodeCpuSecPerRequest()).toBeGreaterThan(defaultL7ProxyParams.cpuSecPerRequest);
  });

  it('is deterministic', () => {
    expect(run(5000, 7)).toEqual(run(5000, 7));
  });
});

describe('RTT from percentile points', () => {
  it('draws each band as its upper point with the band\'s probability', () => {
    const draw = rttSamplerFromPercentiles({ p01: 10, p50: 20, p90: 30, p99: 40, max: 50 }, new RandomStreams(1, 0).stream('rtt'));
    const counts = new Map<number, number>();
    const n = 200_000;
    for (let i = 0; i < n; i++) { const v = draw(); counts.set(v, (counts.get(v) ?? 0) + 1); }
    const share = (us: number) => (counts.get(us * 1000) ?? 0) / n;
    expect(share(10)).toBeCloseTo(0.01, 2);
    expect(share(20)).toBeCloseTo(0.49, 2);
    expect(share(30)).toBeCloseTo(0.4, 2);
    expect(share(40)).toBeCloseTo(0.09, 2);
    expect(share(50)).toBeCloseTo(0.01, 2);
  });
});
