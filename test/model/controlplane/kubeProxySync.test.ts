/**
 * kube-proxy's sync cost and loop: restore time vs ruleset size (properties, the published point
 * the line goes through, the rule counts of model/lookup), and the loop's BoundedFrequencyRunner
 * rules (minSyncPeriod, syncPeriod, full syncs).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../../model/engine/index.ts';
import { natRuleCount } from '../../../model/lookup/index.ts';
import { calibrated } from '../../../model/calibration/index.ts';
import {
  iptablesRestoreLines, iptablesSyncSec, nftablesSyncSec, kubeProxySyncSec, iptablesRestoreCheckPoint, defaultKubeProxySyncCostParams,
  KubeProxySyncLoop, defaultKubeProxySyncLoopParams,
} from '../../../model/controlplane/index.ts';

const SEC = 1e9;

describe('restore time vs ruleset size', () => {
  it('a full iptables restore writes every nat rule of model/lookup plus one declaration per chain', () => {
    for (const [s, e] of [[1, 1], [100, 3], [5000, 10]]) {
      expect(iptablesRestoreLines(s!, e!, 0, true)).toBe(natRuleCount(s!, e!) + s! * (1 + e!));
    }
  });

  it('more Services never make an iptables full restore faster (property), nor an nftables sync', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100 }), (a, b, e) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      expect(iptablesSyncSec(hi, e, 0, true)).toBeGreaterThanOrEqual(iptablesSyncSec(lo, e, 0, true));
      expect(nftablesSyncSec(hi, e, 1, false)).toBeGreaterThanOrEqual(nftablesSyncSec(lo, e, 1, false));
    }));
  });

  it('a partial sync is never slower than a full one, and grows with the Services that changed (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50_000 }), fc.integer({ min: 1, max: 50 }), fc.nat(1000), (s, e, changed) => {
      for (const mode of ['iptables', 'nftables'] as const) {
        expect(kubeProxySyncSec(mode, s, e, changed, false)).toBeLessThanOrEqual(kubeProxySyncSec(mode, s, e, s, true) + 1e-12);
        expect(kubeProxySyncSec(mode, s, e, changed + 1, false)).toBeGreaterThanOrEqual(kubeProxySyncSec(mode, s, e, changed, false));
      }
    }));
  });

  it('the iptables line goes through the published restore (695,992 lines in 12.8 s) up to its fixed cost', () => {
    const point = iptablesRestoreCheckPoint();
    const p = defaultKubeProxySyncCostParams;
    expect(point).toEqual({ lines: 695_992, seconds: 12.8 });
    expect(p.iptablesRestoreSecPerLine * point.lines).toBeCloseTo(point.seconds, 9);
  });

  it('nftables: adding one Service with 10k present costs about the 141 ms PR #126013 reports', () => {
    const sec = nftablesSyncSec(10_000, 2, 1, false, { ...defaultKubeProxySyncCostParams, computeSecPerServicePort: 0 });
    expect(sec).toBeGreaterThan(0.141);
    expect(sec).toBeLessThan(0.141 + 3 * calibrated('controlPlane.nftablesSecPerChangedElement') + 1e-9);
  });
});

function loop(sim: Simulation, overrides: Partial<typeof defaultKubeProxySyncLoopParams>, log: { ids: readonly number[]; t: number }[], phase = {}) {
  return new KubeProxySyncLoop(sim, {
    mode: 'iptables', services: 1000, endpointsPerService: 3,
    params: { ...defaultKubeProxySyncLoopParams, ...overrides },
    sinceFullSyncSec: 0, ...phase,
    onProgrammed: (ids, t) => log.push({ ids: [...ids], t }),
  });
}

describe('kube-proxy sync loop', () => {
  it('an idle loop programs a change after exactly one partial sync', () => {
    const sim = new Simulation();
    const log: { ids: readonly number[]; t: number }[] = [];
    const l = loop(sim, {}, log);
    l.notify(5, 0);
    sim.runUntil(10 * SEC);
    expect(log[0]).toEqual({ ids: [0], t: l.partialSyncDurationNs(1) });
  });

  it('syncs start at least minSyncPeriod apart; changes during a sync wait for the next (property)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 60 }), fc.constantFrom(1, 10), (arrivalsMs, minSync) => {
      const sim = new Simulation();
      const log: { ids: readonly number[]; t: number }[] = [];
      const starts: number[] = [];
      const l = loop(sim, { minSyncPeriodSec: minSync }, log);
      const sorted = [...arrivalsMs].sort((a, b) => a - b);
      sorted.forEach((ms, i) => sim.scheduleAt(ms * 1e6, () => l.notify(i % 7, i)));
      sim.runUntil(100 * SEC);
      const programmed = new Map<number, number>();
      for (const { ids, t } of log) for (const id of ids) programmed.set(id, t);
      expect(programmed.size).toBe(sorted.length);
      sorted.forEach((ms, i) => expect(programmed.get(i)!).toBeGreaterThan(ms * 1e6));
      // Sync ends, minus their durations, are the starts; consecutive starts are >= minSync apart.
      for (const { t } of log) starts.push(t);
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(minSync * SEC - l.fullSyncDurationNs);
    }), { numRuns: 40 });
  });

  it('without changes it syncs every syncPeriod; a full sync comes when fullSyncPeriod has passed', () => {
    const sim = new Simulation();
    const l = loop(sim, { syncPeriodSec: 30, fullSyncPeriodSec: 100 }, [], { sinceLastSyncSec: 0 });
    sim.runUntil(301 * SEC);
    expect(l.syncs).toBe(10);
    // The last full sync was at t = 0: the periodic syncs at 120 s and 240 s are the first >= 100 s after a full one.
    expect(l.fullSyncs).toBe(2);
  });
});
