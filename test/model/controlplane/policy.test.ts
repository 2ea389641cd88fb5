/**
 * The policy map (entries = sum of peers x ports over the rules; at or below the cap nothing is
 * missing, above it the rest drops) and the policy trigger's batching.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../../model/engine/index.ts';
import {
  policyMapEntriesNeeded, policyMapState, checkPolicyMapMaxEntries, defaultPolicyMapParams, PolicyTrigger, regenerationSec, rulePeerPairs,
  simulateRegenerationDrops, defaultPolicyRegenerationParams,
} from '../../../model/controlplane/index.ts';

describe('policy map', () => {
  it('needs one entry per (peer identity, port/protocol) per rule and direction', () => {
    expect(policyMapEntriesNeeded([
      { peerIdentities: 10, portsProtocols: 2, direction: 'ingress' },
      { peerIdentities: 3, portsProtocols: 1, direction: 'egress' },
    ])).toBe(23);
    // docs: 10k identities with an allow-all endpoint in both directions need ~20k entries, more than 16k.
    const allowAll = policyMapEntriesNeeded([{ peerIdentities: 10_000, portsProtocols: 1, direction: 'ingress' }, { peerIdentities: 10_000, portsProtocols: 1, direction: 'egress' }]);
    expect(policyMapState(allowAll).regenerationFails).toBe(true);
  });

  it('a map at or below its cap drops nothing; above it the missing share drops (property)', () => {
    fc.assert(fc.property(fc.nat(200_000), fc.integer({ min: 256, max: 65_536 }), (needed, cap) => {
      const st = policyMapState(needed, { ...defaultPolicyMapParams, maxEntries: cap });
      if (needed <= cap) {
        expect(st.allowedTrafficDropFraction).toBe(0);
        expect(st.regenerationFails).toBe(false);
      } else {
        expect(st.allowedTrafficDropFraction).toBeCloseTo((needed - cap) / needed, 12);
        expect(st.regenerationFails).toBe(true);
        expect(st.fillFraction).toBe(1);
      }
      expect(st.installedEntries + st.missingEntries).toBe(needed);
    }));
  });

  it('default cap 16,384, 72 B per entry: a full map takes about 1.1 MiB', () => {
    const st = policyMapState(16_384);
    expect(st.capacityEntries).toBe(16_384);
    expect(st.memoryBytes / 2 ** 20).toBeCloseTo(1.125, 3);
  });

  it('bpf-policy-map-max outside [256, 65536] is refused, naming the range', () => {
    expect(() => checkPolicyMapMaxEntries(8192)).not.toThrow();
    expect(() => checkPolicyMapMaxEntries(100)).toThrow(/\[256, 65536\], got 100/);
    expect(() => checkPolicyMapMaxEntries(70_000)).toThrow(/got 70000/);
  });
});

describe('policy trigger and regeneration', () => {
  it('regeneration time grows linearly with rules x peer identities', () => {
    const rules = (n: number, peers: number) => Array.from({ length: n }, () => ({ peerIdentities: peers, portsProtocols: 1, direction: 'ingress' as const }));
    const a = regenerationSec(rulePeerPairs(rules(10, 100)));
    const b = regenerationSec(rulePeerPairs(rules(20, 100)));
    const c = regenerationSec(rulePeerPairs(rules(10, 200)));
    expect(b - a).toBeCloseTo(c - a, 12);
    expect(b).toBeGreaterThan(a);
  });

  it('folds the triggers of one interval into one run; runs start at least the interval apart', () => {
    const sim = new Simulation();
    const applied: { ids: readonly number[]; t: number }[] = [];
    const trig = new PolicyTrigger(sim, () => 0.1, (ids, t) => applied.push({ ids: [...ids], t }));
    trig.trigger(0);
    for (let i = 1; i <= 5; i++) sim.scheduleAt(i * 1e8, () => trig.trigger(i));
    sim.run();
    expect(applied.map((a) => a.ids)).toEqual([[0], [1, 2, 3, 4, 5]]);
    expect(applied[0]!.t).toBe(1e8);
    expect(applied[1]!.t).toBe(1e9 + 1e8);
    expect(trig.runs).toBe(2);
  });
});

describe('drops during regeneration windows', () => {
  it('the dropped share is new identities x their mean window / peers (Little-style accounting), and grows with rules x peers', () => {
    const base = { rulesSelecting: 100, peerIdentities: 1000, newIdentitiesPerSec: 0.2, durationSec: 2000, seed: 3 };
    const r = simulateRegenerationDrops(base);
    expect(r.dropFraction).toBeCloseTo((r.newIdentities * r.meanWindowSec) / base.peerIdentities / base.durationSec, 9);
    // A lone identity waits at most one trigger interval, then one regeneration.
    expect(r.meanWindowSec).toBeGreaterThanOrEqual(r.regenerationSec);
    expect(r.maxWindowSec).toBeLessThanOrEqual(defaultPolicyRegenerationParams.triggerIntervalSec + 2 * r.regenerationSec + 1e-9);
    const more = simulateRegenerationDrops({ ...base, rulesSelecting: 400 });
    expect(more.dropFraction).toBeGreaterThan(r.dropFraction);
    expect(simulateRegenerationDrops(base)).toEqual(r);
  });
});
