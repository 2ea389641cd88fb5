import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maxMinFair, type FairClass, type FairResource } from '../../../model/node/index.ts';

const shared = (kind: string, capacity: number): FairResource => ({ kind, capacity, perFlow: false });
const perFlow = (kind: string, capacity: number): FairResource => ({ kind, capacity, perFlow: true });

describe('maxMinFair (progressive filling)', () => {
  it('flows sharing one link get equal shares; a capped flow leaves its rest to the others', () => {
    const a = maxMinFair([shared('link', 10)], [{ count: 4, uses: [{ resource: 0, coef: 1 }] }]);
    expect(a.rates[0]).toBeCloseTo(2.5, 12);
    const b = maxMinFair(
      [shared('link', 10), perFlow('cap', 1)],
      [{ count: 1, uses: [{ resource: 0, coef: 1 }, { resource: 1, coef: 1 }] }, { count: 2, uses: [{ resource: 0, coef: 1 }] }],
    );
    expect(b.rates).toEqual([1, 4.5]);
    expect(b.limiter).toEqual([1, 0]);
  });

  it('a class of n flows on a per-flow resource: each flow gets the whole capacity', () => {
    const a = maxMinFair([perFlow('cap', 3), shared('link', 100)], [{ count: 5, uses: [{ resource: 0, coef: 1 }, { resource: 1, coef: 1 }] }]);
    expect(a.rates[0]).toBe(3);
    expect(a.load[1]).toBe(15);
  });

  it('coefficients scale the usage (a resource counted in other units)', () => {
    const a = maxMinFair([shared('wire', 10)], [{ count: 1, uses: [{ resource: 0, coef: 2 }] }]);
    expect(a.rates[0]).toBe(5);
  });

  it('property: no shared resource is over capacity, and every flow has a bottleneck it gets the most of (max-min fairness)', () => {
    const arb = fc.record({
      caps: fc.array(fc.double({ min: 0.1, max: 100, noNaN: true }), { minLength: 1, maxLength: 6 }),
      classes: fc.array(fc.record({
        count: fc.integer({ min: 1, max: 5 }),
        picks: fc.array(fc.record({ r: fc.nat(), coef: fc.double({ min: 0.1, max: 10, noNaN: true }) }), { minLength: 1, maxLength: 4 }),
      }), { minLength: 1, maxLength: 6 }),
    });
    fc.assert(fc.property(arb, ({ caps, classes }) => {
      const resources = caps.map((c) => shared('r', c));
      const cls: FairClass[] = classes.map((c) => {
        const seen = new Set<number>();
        const uses = c.picks.map((p) => ({ resource: p.r % caps.length, coef: p.coef })).filter((u) => !seen.has(u.resource) && seen.add(u.resource));
        return { count: c.count, uses };
      });
      const a = maxMinFair(resources, cls);
      for (const [r, res] of resources.entries()) expect(a.load[r]!).toBeLessThanOrEqual(res.capacity * (1 + 1e-9));
      for (const [k, c] of cls.entries()) {
        // Bertsekas-Gallager: a feasible allocation is max-min fair iff every flow has a bottleneck: a
        // full resource on which no other flow gets more.
        const bottleneck = c.uses.some((u) => {
          const full = a.load[u.resource]! >= resources[u.resource]!.capacity * (1 - 1e-9);
          const others = cls.every((o, j) => !o.uses.some((v) => v.resource === u.resource) || a.rates[j]! <= a.rates[k]! * (1 + 1e-9));
          return full && others;
        });
        expect(bottleneck).toBe(true);
      }
    }));
  });

  it('rejects a class with no resource and bad coefficients, naming them', () => {
    expect(() => maxMinFair([], [{ count: 1, uses: [] }])).toThrow(/class 0 uses no resource/);
    expect(() => maxMinFair([shared('r', 1)], [{ count: 1, uses: [{ resource: 0, coef: 0 }] }])).toThrow(/coef must be a finite number > 0, got 0/);
    expect(() => maxMinFair([shared('r', 1)], [{ count: 1, uses: [{ resource: 3, coef: 1 }] }])).toThrow(/resource index 3 out of range/);
  });
});
