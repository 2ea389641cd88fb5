import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chiSquaredDistributionTable } from 'simple-statistics';
import { RandomStream } from '../../../model/engine/index.ts';
import {
  iptablesStatisticProbability,
  iptablesStatisticSelector,
  ipvsRoundRobinSelector,
  ciliumRandomSelector,
  endpointSelector,
  type EndpointSelector,
} from '../../../model/lookup/index.ts';

/** Pearson's chi-square statistic of `counts` against equal expected counts. */
function chiSquareUniform(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
}

function draw(selector: EndpointSelector, endpoints: number, n: number): number[] {
  const counts = new Array<number>(endpoints).fill(0);
  for (let i = 0; i < n; i++) counts[selector.next(endpoints)]!++;
  return counts;
}

// Critical value at significance 0.005 (a false alarm once in 200 seeds; the seeds are fixed); df = N - 1.
const critical = (df: number): number => (chiSquaredDistributionTable as unknown as Record<number, Record<number, number>>)[df]![0.005]!;

describe('iptables statistic mode', () => {
  it('rule i matches with probability 1/(N - i), so each endpoint has probability 1/N (exact product, property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), (n) => {
        let reach = 1;
        for (let i = 0; i < n; i++) {
          const p = iptablesStatisticProbability(i, n);
          expect(reach * p).toBeCloseTo(1 / n, 12);
          reach *= 1 - p;
        }
        expect(reach).toBeCloseTo(0, 12);
      }),
    );
  });

  it('draws are uniform over the endpoints (chi-square, 10 endpoints, 100,000 draws, p = 0.005)', () => {
    for (const n of [2, 3, 10]) {
      const counts = draw(iptablesStatisticSelector(new RandomStream(42, 0, `statistic-${n}`)), n, 100_000);
      expect(chiSquareUniform(counts), `N = ${n}: ${counts.join(', ')}`).toBeLessThan(critical(n - 1));
    }
  });

  it('walks (N + 1) / 2 statistic rules on average (the index + 1 of the chosen rule)', () => {
    const n = 8;
    const draws = 100_000;
    const selector = iptablesStatisticSelector(new RandomStream(7, 0, 'walk'));
    let sum = 0;
    for (let i = 0; i < draws; i++) sum += selector.next(n) + 1;
    // The walk length is uniform on 1..N: variance (N^2 - 1) / 12; allow 4 standard errors.
    const se = Math.sqrt((n * n - 1) / 12 / draws);
    expect(Math.abs(sum / draws - (n + 1) / 2)).toBeLessThan(4 * se);
  });
});

describe('Cilium random and IPVS rr', () => {
  it('Cilium random is uniform (chi-square, p = 0.005)', () => {
    const counts = draw(ciliumRandomSelector(new RandomStream(42, 0, 'cilium')), 10, 100_000);
    expect(chiSquareUniform(counts)).toBeLessThan(critical(9));
  });

  it('IPVS rr cycles through the endpoints in order', () => {
    const rr = ipvsRoundRobinSelector();
    expect(Array.from({ length: 7 }, () => rr.next(3))).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(endpointSelector('ipvs-rr', new RandomStream(1, 0, 'x')).kind).toBe('ipvs-rr');
  });

  it('the same stream seed gives the same choices', () => {
    const a = iptablesStatisticSelector(new RandomStream(5, 1, 's'));
    const b = iptablesStatisticSelector(new RandomStream(5, 1, 's'));
    expect(Array.from({ length: 50 }, () => a.next(7))).toEqual(Array.from({ length: 50 }, () => b.next(7)));
  });

  it('rejects zero endpoints', () => {
    expect(() => ciliumRandomSelector(new RandomStream(1, 0, 'x')).next(0)).toThrow(/endpoints must be an integer >= 1, got 0/);
  });
});
