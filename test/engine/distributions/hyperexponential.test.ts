import { describe, expect, it } from 'vitest';
import { hyperexponential } from '../../../model/engine/distributions/index.ts';
import {
  expectDeclaredMoments,
  expectReproducible,
  expectSampleMoments,
  factorial,
  mixRaw,
  type RawMoments,
} from './momentCheck.ts';

const expRaw = (m: number): RawMoments => [1, 2, 3, 4].map((j) => factorial(j) * m ** j) as unknown as RawMoments;
const raw = (p: number, m1: number, m2: number): RawMoments =>
  mixRaw([
    [p, expRaw(m1)],
    [1 - p, expRaw(m2)],
  ]);

describe('hyperexponential', () => {
  it.each([
    [0.9, 0.1, 5],
    [0.5, 1, 1],
    [0, 1, 2],
    [1, 1, 2],
    [0.99, 1e-3, 0.05],
  ])('p=%s mean1=%s mean2=%s: declared and sampled moments match the closed form', (p, m1, m2) => {
    const d = hyperexponential(p, m1, m2);
    expect(d.kind).toBe('hyperexponential');
    expect(d.scv).toBeGreaterThanOrEqual(1 - 1e-12);
    expectDeclaredMoments(d, raw(p, m1, m2), 1e-12);
    expectSampleMoments(d, raw(p, m1, m2));
  });

  it('is reproducible from the stream seed', () => expectReproducible(hyperexponential(0.3, 1, 10)));

  it('describes itself as hyperexp:P:MEAN1:MEAN2', () =>
    expect(hyperexponential(0.25, 1, 8).describe()).toBe('hyperexp:0.25:1:8'));

  it('rejects p outside [0, 1] and non-positive means', () => {
    expect(() => hyperexponential(1.2, 1, 2)).toThrow(/p must be a probability in \[0, 1\], got 1\.2/);
    expect(() => hyperexponential(-0.1, 1, 2)).toThrow(RangeError);
    expect(() => hyperexponential(NaN, 1, 2)).toThrow(RangeError);
    expect(() => hyperexponential(0.5, 0, 2)).toThrow(/mean1/);
    expect(() => hyperexponential(0.5, 1, -2)).toThrow(/mean2/);
  });
});
