import { describe, expect, it } from 'vitest';
import { exponential } from '../../../model/engine/distributions/index.ts';
import { expectDeclaredMoments, expectReproducible, expectSampleMoments, factorial, type RawMoments } from './momentCheck.ts';

// E[X^j] = j! m^j.
const raw = (m: number): RawMoments => [1, 2, 3, 4].map((j) => factorial(j) * m ** j) as unknown as RawMoments;

describe('exponential', () => {
  it.each([0.5, 3, 2e-6])('mean %s: declared and sampled moments match the closed form', (m) => {
    const d = exponential(m);
    expect(d.kind).toBe('exponential');
    expect(d.scv).toBe(1);
    expectDeclaredMoments(d, raw(m));
    expectSampleMoments(d, raw(m));
  });

  it('is reproducible from the stream seed', () => expectReproducible(exponential(1)));

  it('describes itself as exp:MEAN', () => {
    expect(exponential(0.5).describe()).toBe('exp:0.5');
    expect(exponential(1e-7).describe()).toBe('exp:1e-7');
  });

  it('rejects non-positive, non-finite and non-number means, naming the argument and value', () => {
    for (const bad of [0, -1, NaN, Infinity]) {
      expect(() => exponential(bad)).toThrow(RangeError);
      expect(() => exponential(bad)).toThrow(new RegExp(`mean must be .*got ${String(bad)}`));
    }
    expect(() => exponential('1' as unknown as number)).toThrow(TypeError);
  });
});
