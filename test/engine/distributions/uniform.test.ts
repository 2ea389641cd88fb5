import { describe, expect, it } from 'vitest';
import { uniform } from '../../../model/engine/distributions/index.ts';
import { draw, expectDeclaredMoments, expectReproducible, expectSampleMoments, type RawMoments } from './momentCheck.ts';

// E[X^j] = (b^(j+1) - a^(j+1)) / ((j+1)(b-a)); a point mass when a = b.
const raw = (a: number, b: number): RawMoments =>
  [1, 2, 3, 4].map((j) => (a === b ? a ** j : (b ** (j + 1) - a ** (j + 1)) / ((j + 1) * (b - a)))) as unknown as RawMoments;

describe('uniform', () => {
  it.each([
    [0, 2],
    [1, 3],
    [5e-6, 2e-5],
  ])('[%s, %s]: declared and sampled moments match the closed form', (a, b) => {
    const d = uniform(a, b);
    expect(d.kind).toBe('uniform');
    expectDeclaredMoments(d, raw(a, b), 1e-9);
    expectSampleMoments(d, raw(a, b));
    const xs = draw(d, 3, 10_000);
    expect(xs.every((x) => x >= a && x <= b)).toBe(true);
  });

  it('degenerates to a constant when a = b', () => {
    const d = uniform(2, 2);
    expect(d.variance).toBe(0);
    expect(draw(d, 1, 100).every((x) => x === 2)).toBe(true);
  });

  it('is reproducible from the stream seed', () => expectReproducible(uniform(0, 1)));

  it('describes itself as uniform:A:B', () => expect(uniform(0, 2.5).describe()).toBe('uniform:0:2.5'));

  it('rejects a < 0, b < a, b = 0 and non-finite bounds', () => {
    expect(() => uniform(-1, 1)).toThrow(/a must be .*non-negative.*-1/);
    expect(() => uniform(2, 1)).toThrow(/b must be >= a.*a=2, b=1/);
    expect(() => uniform(0, 0)).toThrow(/b must be > 0/);
    expect(() => uniform(0, Infinity)).toThrow(RangeError);
    expect(() => uniform(NaN, 1)).toThrow(RangeError);
  });
});
