import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  natRuleCount,
  natRulesPerServicePort,
  iptablesFirstPacketRulesEvaluated,
  iptablesMeanFirstPacketRulesEvaluated,
  iptablesEstablishedRulesEvaluated,
  kubeServicesChainRules,
} from '../../../model/lookup/index.ts';

// From the kube-proxy test fixture (pkg/proxy/iptables/proxier_test.go, TestCleanupLeftovers;
// docs/sources.md#kube-proxy-nat-rules): 2 + 3N nat rules per Service port with N endpoints; shared
// rules: the last KUBE-SERVICES rule (1), KUBE-MARK-MASQ (1), KUBE-POSTROUTING (3).
const perServicePort = (n: number): number => (n === 0 ? 0 : 2 + 3 * n);
const SHARED = 1 + 1 + 3;

describe('natRuleCount(services, endpointsPerService)', () => {
  it('is S x (2 + 3N) + 5 on a table of sizes', () => {
    for (const [s, n] of [[1, 1], [1, 3], [5000, 2], [10_000, 3], [30_000, 10]] as const) {
      expect(natRuleCount(s, n), `${s} Services x ${n} endpoints`).toBe(s * (2 + 3 * n) + SHARED);
    }
    expect(natRuleCount(0, 3)).toBe(SHARED);
  });

  it('with one count per Service port sums 2 + 3N over the ports with endpoints (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 40 }), (counts) => {
        const expected = counts.reduce((a, n) => a + perServicePort(n), 0) + SHARED;
        expect(natRuleCount(counts.length, counts)).toBe(expected);
      }),
    );
  });

  it('never decreases when a Service port or an endpoint is added (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 100 }), (s, n) => {
        expect(natRuleCount(s + 1, n)).toBeGreaterThan(natRuleCount(s, n));
        expect(natRuleCount(s + 1, n + 1)).toBeGreaterThan(natRuleCount(s + 1, n));
      }),
    );
  });

  it('rejects bad counts, naming the argument', () => {
    expect(() => natRuleCount(-1, 1)).toThrow(/services must be an integer >= 0, got -1/);
    expect(() => natRuleCount(2, [1])).toThrow(/1 counts, expected one per Service port \(2\)/);
    expect(() => natRulesPerServicePort(1.5)).toThrow(/endpoints must be an integer/);
  });
});

describe('iptablesFirstPacketRulesEvaluated(positionOfService, endpoints, chosenEndpointIndex)', () => {
  it('walks KUBE-SERVICES to the Service, then 1 masq rule, i + 1 statistic rules, 2 KUBE-SEP rules and the KUBE-POSTROUTING return', () => {
    expect(iptablesFirstPacketRulesEvaluated(1, 1, 0)).toBe(1 + 1 + 1 + 2 + 1);
    expect(iptablesFirstPacketRulesEvaluated(2500, 3, 2)).toBe(2500 + 1 + 3 + 2 + 1);
  });

  it('adds KUBE-MARK-MASQ and all of KUBE-POSTROUTING when masquerading', () => {
    expect(iptablesFirstPacketRulesEvaluated(10, 4, 1, { masquerade: true })).toBe(10 + 1 + 2 + 2 + 1 + 3);
  });

  it('its mean over uniform positions and endpoints is iptablesMeanFirstPacketRulesEvaluated (exhaustive, property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 12 }), fc.boolean(), (s, n, masquerade) => {
        let sum = 0;
        for (let pos = 1; pos <= s; pos++) for (let i = 0; i < n; i++) sum += iptablesFirstPacketRulesEvaluated(pos, n, i, { masquerade });
        expect(iptablesMeanFirstPacketRulesEvaluated(s, n, { masquerade })).toBeCloseTo(sum / (s * n), 9);
      }),
      { numRuns: 50 },
    );
  });

  it('rejects an endpoint index beyond the endpoints', () => {
    expect(() => iptablesFirstPacketRulesEvaluated(1, 3, 3)).toThrow(/chosenEndpointIndex must be below endpoints \(3\), got 3/);
    expect(() => iptablesFirstPacketRulesEvaluated(0, 3, 0)).toThrow(/positionOfService must be an integer >= 1/);
  });
});

describe('established packets and the chain length', () => {
  it('an established packet evaluates KUBE-FORWARD up to its third (RELATED,ESTABLISHED) rule', () => {
    expect(iptablesEstablishedRulesEvaluated()).toBe(3);
  });

  it('KUBE-SERVICES holds one rule per Service port plus the KUBE-NODEPORTS jump', () => {
    expect(kubeServicesChainRules(30_000)).toBe(30_001);
  });
});
