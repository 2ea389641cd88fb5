import { describe, expect, it } from 'vitest';
import { empirical } from '../../../model/engine/distributions/index.ts';
import { draw, expectDeclaredMoments, expectReproducible, expectSampleMoments, type RawMoments } from './momentCheck.ts';

function raw(values: number[], weights?: number[]): RawMoments {
  const w = weights ?? values.map(() => 1);
  const total = w.reduce((a, b) => a + b, 0);
  return [1, 2, 3, 4].map((j) => values.reduce((acc, x, i) => acc + (w[i]! / total) * x ** j, 0)) as unknown as RawMoments;
}

/** Upper chi-square quantile by the Wilson-Hilferty normal approximation, z standard deviations out. */
const chiSquareUpper = (df: number, z: number): number => df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;

describe('empirical', () => {
  const skewedValues = Array.from({ length: 100 }, (_, i) => (i + 1) * 0.01);
  const skewedWeights = Array.from({ length: 100 }, (_, i) => 1 / (i + 1) ** 1.5);

  it.each([
    ['weighted', [1, 2, 5], [1, 2, 1]],
    ['unweighted', [0, 3], undefined],
    ['zero weight entry', [1, 100, 2], [1, 0, 3]],
    ['single value', [0.7], undefined],
    ['100 skewed values', skewedValues, skewedWeights],
  ] as const)('%s: declared and sampled moments match the exact discrete moments', (_label, values, weights) => {
    const d = empirical([...values], weights === undefined ? undefined : [...weights]);
    expect(d.kind).toBe('empirical');
    const r = raw([...values], weights === undefined ? undefined : [...weights]);
    expectDeclaredMoments(d, r, 1e-12);
    expectSampleMoments(d, r);
  });

  it('draws only the given values, at their weighted frequencies (chi-square, 5 sigma)', () => {
    const values = skewedValues;
    const total = skewedWeights.reduce((a, b) => a + b, 0);
    const n = 200_000;
    const xs = draw(empirical(values, skewedWeights), 8, n);
    const index = new Map(values.map((v, i) => [v, i]));
    const counts = new Array<number>(values.length).fill(0);
    let foreign = 0;
    for (const x of xs) {
      const i = index.get(x);
      if (i === undefined) foreign++;
      else counts[i]!++;
    }
    expect(foreign).toBe(0);
    const chi2 = counts.reduce((acc, c, i) => {
      const e = (n * skewedWeights[i]!) / total;
      return acc + (c - e) ** 2 / e;
    }, 0);
    expect(chi2).toBeLessThan(chiSquareUpper(values.length - 1, 5));
  });

  it('never draws a zero-weight value', () => {
    expect(draw(empirical([1, 100, 2], [1, 0, 3]), 5, 50_000).includes(100)).toBe(false);
  });

  it('is reproducible from the stream seed', () => expectReproducible(empirical([1, 2, 3])));

  it('describes small tables in full and large ones by summary', () => {
    expect(empirical([1, 3], [1, 3]).describe()).toBe('empirical:1@0.25,3@0.75');
    expect(empirical(skewedValues).describe()).toMatch(/^empirical:n=100,mean=/);
  });

  it('rejects empty, negative, non-finite, mismatched or all-zero input', () => {
    expect(() => empirical([])).toThrow(/values must hold at least one value/);
    expect(() => empirical([1, -2])).toThrow(/values\[1\] must be .*non-negative.*-2/);
    expect(() => empirical([1, NaN])).toThrow(RangeError);
    expect(() => empirical([1, 2], [1])).toThrow(/weights must have one entry per value/);
    expect(() => empirical([1, 2], [1, -1])).toThrow(/weights\[1\]/);
    expect(() => empirical([1, 2], [0, 0])).toThrow(/positive finite sum/);
    expect(() => empirical([0, 0])).toThrow(/mean must be > 0/);
    expect(() => empirical('1,2' as unknown as number[])).toThrow(TypeError);
  });
});
