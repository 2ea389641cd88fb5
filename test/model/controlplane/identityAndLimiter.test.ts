/**
 * Identities (same labels, same identity) and cilium-agent's endpoint API limiter (the documented
 * rate, burst, parallel and max-wait rules, and auto-adjustment).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../../model/engine/index.ts';
import { IdentityAllocator, labelSetKey, EndpointApiLimiter, defaultEndpointApiLimiterParams } from '../../../model/controlplane/index.ts';

const SEC = 1e9;

describe('identity allocation', () => {
  it('same labels allocate no identity: allocations = distinct label sets, in any order (property)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 300 }), (sets) => {
      const a = new IdentityAllocator();
      let allocations = 0;
      for (const s of sets) if (a.identityFor(`app=${s}`).allocated) allocations++;
      expect(allocations).toBe(new Set(sets).size);
      expect(a.allocated).toBe(new Set(sets).size);
    }));
  });

  it('100 replicas with one label set share one identity, the first cluster-local one (256)', () => {
    const a = new IdentityAllocator();
    const ids = Array.from({ length: 100 }, () => a.identityFor(labelSetKey({ app: 'web', tier: 'front' })).identity);
    expect(new Set(ids)).toEqual(new Set([256]));
    expect(labelSetKey({ tier: 'front', app: 'web' })).toBe(labelSetKey({ app: 'web', tier: 'front' }));
  });

  it('runs out after 65535', () => {
    const a = new IdentityAllocator({ minIdentity: 65_534, maxIdentity: 65_535, reservedInit: 5, apiCallsPerAllocation: 1 });
    a.identityFor('a');
    a.identityFor('b');
    expect(() => a.identityFor('c')).toThrow(/no cluster-local identity left/);
  });
});

function run(n: number, processingSec: number, autoAdjust: boolean, gapSec = 0) {
  const sim = new Simulation();
  const lim = new EndpointApiLimiter(sim, { autoAdjust });
  const starts: number[] = [];
  const rejected: number[] = [];
  for (let i = 0; i < n; i++) {
    sim.scheduleAt(Math.round(i * gapSec * SEC), () => lim.request({ processingSec, onStart: (t) => starts.push(t), onDone: () => {}, onRejected: (t) => rejected.push(t) }));
  }
  sim.run();
  return { starts, rejected, lim };
}

describe('endpoint API limiter (PUT /endpoint: 0.5/s, burst 4, 4 parallel, max wait 15 s)', () => {
  it('without auto-adjust: 4 start at once, then one every 2 s; those that would wait over 15 s are refused', () => {
    const { starts, rejected } = run(20, 0.1, false);
    expect(defaultEndpointApiLimiterParams).toMatchObject({ ratePerSec: 0.5, burst: 4, parallel: 4, maxWaitSec: 15 });
    // Tokens: 4 now, then at 2, 4, ..., 14 s (7 more); the 12th would wait 16 s.
    expect(starts.map((t) => t / SEC)).toEqual([0, 0, 0, 0, 2, 4, 6, 8, 10, 12, 14]);
    expect(rejected).toHaveLength(9);
  });

  it('never runs more than `parallel` at once', () => {
    const sim = new Simulation();
    const lim = new EndpointApiLimiter(sim, { autoAdjust: false, params: { ...defaultEndpointApiLimiterParams, ratePerSec: 100, burst: 50 } });
    let inFlight = 0;
    let peak = 0;
    for (let i = 0; i < 30; i++) lim.request({ processingSec: 1, onStart: () => { inFlight++; peak = Math.max(peak, inFlight); }, onDone: () => { inFlight--; }, onRejected: () => {} });
    sim.run();
    expect(peak).toBe(4);
  });

  it('auto-adjust lets more through when endpoints are created faster than the 2 s estimate, fewer when slower', () => {
    // 80 CNI ADDs, one every 0.25 s: four times the initial 0.5/s.
    const fast = run(80, 0.5, true, 0.25);
    const fixed = run(80, 0.5, false, 0.25);
    const slow = run(80, 8, true, 0.25);
    expect(fast.lim.limits.ratePerSec).toBeGreaterThan(0.5);
    expect(fast.rejected.length).toBeLessThan(fixed.rejected.length);
    expect(slow.lim.limits.ratePerSec).toBeLessThan(0.5);
    expect(slow.rejected.length).toBeGreaterThan(fixed.rejected.length);
  });
});
