/**
 * The cluster profile's pure parts: count summaries (against the definition of the nearest-rank
 * percentile on the sorted list) and the nat rules of a Service port program (the ClusterIP part is
 * kubeProxyIptablesRules' 2 + 3N, each feature adds the rules kube-proxy's format gives it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogramOfValues, histogramQuantile, summarizeHistogram } from '../../../model/cluster/countSummary.ts';
import { kubeServicesRulesOfProgram, natRulesOfProgram, type ServicePortProgram } from '../../../model/cluster/kubeProxyServiceRules.ts';
import { natRulesPerServicePort } from '../../../model/lookup/kubeProxyIptablesRules.ts';

describe('count summaries', () => {
  it('equal the mean and nearest-rank percentiles of the sorted values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 300 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const rank = (q: number): number => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
        const s = summarizeHistogram(histogramOfValues(values));
        expect(s.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
        expect(s.p50).toBe(rank(0.5));
        expect(s.p99).toBe(rank(0.99));
        expect(s.max).toBe(sorted[sorted.length - 1]);
        expect(histogramQuantile(histogramOfValues(values), 0)).toBe(sorted[0]);
      }),
    );
  });

  it('is all zeros for no values', () => {
    expect(summarizeHistogram([])).toEqual({ mean: 0, p50: 0, p99: 0, max: 0 });
  });
});

describe('nat rules of a Service port program', () => {
  const plain: ServicePortProgram = { endpoints: 3, externalIps: 0, loadBalancerIps: 0, nodePort: false, externalTrafficLocal: false, loadBalancerSourceRanges: 0, clientIpAffinity: false };

  it('a ClusterIP port is the model\'s 2 + 3N, with one KUBE-SERVICES rule; no endpoints, no rules', () => {
    for (const n of [1, 2, 7, 100]) {
      expect(natRulesOfProgram({ ...plain, endpoints: n })).toBe(natRulesPerServicePort(n));
      expect(kubeServicesRulesOfProgram({ ...plain, endpoints: n })).toBe(1);
    }
    expect(natRulesOfProgram({ ...plain, endpoints: 0, externalIps: 2, nodePort: true })).toBe(0);
    expect(kubeServicesRulesOfProgram({ ...plain, endpoints: 0, externalIps: 2 })).toBe(0);
  });

  it('external and load-balancer IPs add a KUBE-SERVICES rule each and one KUBE-EXT chain; a NodePort adds its KUBE-NODEPORTS rule', () => {
    const base = natRulesPerServicePort(3);
    expect(natRulesOfProgram({ ...plain, nodePort: true })).toBe(base + 1 + 2);
    expect(natRulesOfProgram({ ...plain, externalIps: 2 })).toBe(base + 2 + 2);
    expect(kubeServicesRulesOfProgram({ ...plain, externalIps: 2, loadBalancerIps: 1 })).toBe(4);
    expect(natRulesOfProgram({ ...plain, loadBalancerIps: 1, nodePort: true })).toBe(base + 1 + 1 + 2);
    // externalTrafficPolicy Local: three KUBE-EXT rules; source ranges: a KUBE-FW chain of ranges + 1.
    expect(natRulesOfProgram({ ...plain, loadBalancerIps: 1, externalTrafficLocal: true })).toBe(base + 1 + 3);
    expect(natRulesOfProgram({ ...plain, loadBalancerIps: 1, loadBalancerSourceRanges: 2 })).toBe(base + 1 + 2 + 3);
    // ClientIP affinity: one recent-match rule per endpoint.
    expect(natRulesOfProgram({ ...plain, clientIpAffinity: true })).toBe(base + 3);
  });

  it('refuses negative or fractional counts', () => {
    expect(() => natRulesOfProgram({ ...plain, externalIps: -1 })).toThrow(/externalIps must be an integer >= 0/);
    expect(() => kubeServicesRulesOfProgram({ ...plain, endpoints: 1.5 })).toThrow(/endpoints must be an integer >= 0/);
  });
});
