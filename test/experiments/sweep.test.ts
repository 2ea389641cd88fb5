import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expandSweep, SweepExpansionError, type ParamRecord } from '../../experiments/lib/sweep.ts';
import { canonicalJson } from '../../experiments/lib/canonicalJson.ts';

const NAMES = ['a', 'b', 'c', 'd', 'e'] as const;
const BASE: ParamRecord = { a: 0, b: 'base', c: false, d: -1, e: 100 };

/** Distinct values of one parameter's type. */
function valuesFor(name: (typeof NAMES)[number], min: number, max: number): fc.Arbitrary<(number | string | boolean)[]> {
  if (name === 'b') return fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { minLength: min, maxLength: max });
  if (name === 'c') return fc.uniqueArray(fc.boolean(), { minLength: Math.min(min, 2), maxLength: Math.min(max, 2) });
  return fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: min, maxLength: max });
}

/** A grid over a random subset of the parameters, in a random order. */
const gridArb = fc
  .shuffledSubarray([...NAMES], { minLength: 1, maxLength: 3 })
  .chain((keys) => fc.tuple(...keys.map((k) => valuesFor(k, 1, 3).map((v) => [k, v] as const))))
  .map((entries) => Object.fromEntries(entries) as Record<string, (number | string | boolean)[]>);

function cartesianSize(grid: Record<string, unknown[]>): number {
  return Object.values(grid).reduce((n, v) => n * v.length, 1);
}

describe('expandSweep(base, sweep)', () => {
  it('grid: every combination exactly once, first key slowest', () => {
    fc.assert(
      fc.property(gridArb, (grid) => {
        const { points, columns } = expandSweep(BASE, { grid });
        const keys = Object.keys(grid);
        expect(points).toHaveLength(cartesianSize(grid));
        expect(columns.map((c) => c.name)).toEqual(keys);
        // the i-th point is the mixed-radix digits of i, last key fastest
        points.forEach((p, i) => {
          let rest = i;
          const expected: ParamRecord = {};
          for (let k = keys.length - 1; k >= 0; k--) {
            const values = grid[keys[k]!]!;
            expected[keys[k]!] = values[rest % values.length]!;
            rest = Math.floor(rest / values.length);
          }
          expect(p.swept).toEqual(expected);
          expect(p.index).toBe(i);
          expect(p.key).toBe(canonicalJson(expected));
          expect(p.params).toEqual({ ...BASE, ...expected });
        });
      }),
    );
  });

  it('zip: the i-th point takes the i-th value of every list', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((n) =>
          fc.tuple(fc.uniqueArray(fc.integer(), { minLength: n, maxLength: n }), fc.array(fc.string(), { minLength: n, maxLength: n })),
        ),
        ([as, bs]) => {
          const { points } = expandSweep(BASE, { zip: { a: as, b: bs } });
          expect(points.map((p) => p.swept)).toEqual(as.map((a, i) => ({ a, b: bs[i] })));
        },
      ),
    );
  });

  it('zip: lists of different lengths are an error naming the lengths', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), (n, m) => {
        fc.pre(n !== m);
        const zip = { a: Array.from({ length: n }, (_, i) => i), d: Array.from({ length: m }, (_, i) => i) };
        expect(() => expandSweep(BASE, { zip })).toThrow(`sweep.zip: zip lists must all have the same length; got a: ${n}, d: ${m}`);
      }),
    );
  });

  it('list: the points as given, unset parameters at their base value (the union of all list keys as columns)', () => {
    const { points, columns } = expandSweep(BASE, { list: [{ a: 1 }, { b: 'q', a: 2 }, {}] });
    expect(columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(points.map((p) => p.swept)).toEqual([
      { a: 1, b: 'base' },
      { a: 2, b: 'q' },
      { a: 0, b: 'base' },
    ]);
  });

  it('grid × zip × list in one part: sizes multiply, each grid combination meets every zip step and list item', () => {
    fc.assert(
      fc.property(gridArb, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), (grid, zipLen, listLen) => {
        const free = NAMES.filter((k) => !(k in grid) && k !== 'b' && k !== 'c');
        fc.pre(free.length >= 2);
        const [zk, lk] = free as [string, string];
        const zip = { [zk]: Array.from({ length: zipLen }, (_, i) => 1000 + i) };
        const list = Array.from({ length: listLen }, (_, i) => ({ [lk]: 2000 + i }));
        const { points, columns } = expandSweep(BASE, { grid, zip, list });
        expect(points).toHaveLength(cartesianSize(grid) * zipLen * listLen);
        expect(columns.map((c) => c.name)).toEqual([...Object.keys(grid), zk, lk]);
        expect(new Set(points.map((p) => p.key)).size).toBe(points.length);
        // list fastest, then zip, then grid
        expect(points.slice(0, listLen).map((p) => p.swept[lk])).toEqual(list.map((x) => x[lk]));
        expect(points.filter((_, i) => i % listLen === 0).slice(0, zipLen).map((p) => p.swept[zk])).toEqual(zip[zk]);
      }),
    );
  });

  it('several parts: points concatenate in order, columns are the union, indices run on', () => {
    fc.assert(
      fc.property(gridArb, gridArb, (g1, g2) => {
        // make the two parts' points distinct: part 2 sets e to a value part 1 never has
        fc.pre(!('e' in g1));
        const part2 = { ...g2, e: [999] };
        const { points, columns } = expandSweep(BASE, [{ grid: g1 }, { grid: part2 }]);
        expect(points).toHaveLength(cartesianSize(g1) + cartesianSize(part2));
        expect(points.map((p) => p.index)).toEqual(points.map((_, i) => i));
        const names = columns.map((c) => c.name);
        expect(new Set(names)).toEqual(new Set([...Object.keys(g1), ...Object.keys(part2)]));
        for (const p of points) expect(Object.keys(p.swept)).toEqual(names);
        for (const p of points.slice(0, cartesianSize(g1))) expect(p.swept.e).toBe(BASE.e);
      }),
    );
  });

  it('no sweep is the single base point, with no columns and key "{}"', () => {
    const { points, columns } = expandSweep(BASE, undefined);
    expect(columns).toEqual([]);
    expect(points).toEqual([{ index: 0, swept: {}, params: BASE, key: '{}' }]);
  });

  it('rejects unknown parameters and repeated points', () => {
    expect(() => expandSweep(BASE, { grid: { z: [1] } })).toThrow('sweep.grid.z: unknown parameter "z"; allowed: a, b, c, d, e');
    const err = (() => {
      try {
        expandSweep(BASE, [{ list: [{ a: 1 }] }, { grid: { a: [2, 1] } }]);
      } catch (e) {
        return e as SweepExpansionError;
      }
      return undefined;
    })();
    expect(err?.issues).toEqual([{ path: ['sweep'], message: 'points 0 and 2 are the same point {"a":1}; every point must differ' }]);
  });

  it('keys are canonical: the same values in another key order give the same key', () => {
    const p1 = expandSweep(BASE, { list: [{ a: 1, b: 'x' }] }).points[0]!;
    const p2 = expandSweep(BASE, { list: [{ b: 'x', a: 1 }] }).points[0]!;
    expect(p1.key).toBe(p2.key);
    expect(p1.key).toBe('{"a":1,"b":"x"}');
  });
});
