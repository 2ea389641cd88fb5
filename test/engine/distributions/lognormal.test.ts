import { describe, expect, it } from 'vitest';
import { lognormal } from '../../../model/engine/distributions/index.ts';
import { expectDeclaredMoments, expectReproducible, expectSampleMoments, type RawMoments } from './momentCheck.ts';

// sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2/2, E[X^j] = exp(j mu + j^2 sigma^2 / 2).
function raw(mean: number, cv: number): RawMoments {
  const s2 = Math.log(1 + cv * cv);
  const mu = Math.log(mean) - s2 / 2;
  return [1, 2, 3, 4].map((j) => Math.exp(j * mu + (j * j * s2) / 2)) as unknown as RawMoments;
}

describe('lognormal', () => {
  it.each([
    [1, 0.5],
    [2, 1],
    [3e-4, 0.2],
  ])('mean=%s cv=%s: declared and sampled moments match the closed form', (mean, cv) => {
    const d = lognormal(mean, cv);
    expect(d.kind).toBe('lognormal');
    expect(d.scv).toBeCloseTo(cv * cv, 14);
    expectDeclaredMoments(d, raw(mean, cv), 1e-9);
    expectSampleMoments(d, raw(mean, cv));
  });

  it('is reproducible from the stream seed', () => expectReproducible(lognormal(1, 0.7)));

  it('describes itself as lognormal:MEAN:CV', () => expect(lognormal(2, 0.5).describe()).toBe('lognormal:2:0.5'));

  it('rejects non-positive mean or cv', () => {
    expect(() => lognormal(0, 1)).toThrow(/mean/);
    expect(() => lognormal(1, 0)).toThrow(/cv must be .*positive.*got 0/);
    expect(() => lognormal(1, -1)).toThrow(RangeError);
  });
});
