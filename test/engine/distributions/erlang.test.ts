import { describe, expect, it } from 'vitest';
import { erlang, ERLANG_PRODUCT_MAX_K } from '../../../model/engine/distributions/index.ts';
import { expectDeclaredMoments, expectReproducible, expectSampleMoments, type RawMoments } from './momentCheck.ts';

// Gamma(k, scale theta = mean/k): E[X^j] = theta^j k (k+1) ... (k+j-1).
function raw(k: number, mean: number): RawMoments {
  const theta = mean / k;
  const out: number[] = [];
  let rising = 1;
  for (let j = 1; j <= 4; j++) {
    rising *= k + j - 1;
    out.push(theta ** j * rising);
  }
  return out as unknown as RawMoments;
}

describe('erlang', () => {
  it.each([
    [1, 2],
    [4, 0.5],
    [ERLANG_PRODUCT_MAX_K, 1],
    [ERLANG_PRODUCT_MAX_K + 1, 1],
    [1000, 3e-3],
  ])('k=%s mean=%s: declared and sampled moments match the closed form', (k, mean) => {
    const d = erlang(k, mean);
    expect(d.kind).toBe('erlang');
    expect(d.scv).toBeCloseTo(1 / k, 14);
    expectDeclaredMoments(d, raw(k, mean), 1e-9);
    expectSampleMoments(d, raw(k, mean));
  });

  it('is reproducible from the stream seed on both sampling paths', () => {
    expectReproducible(erlang(3, 1));
    expectReproducible(erlang(ERLANG_PRODUCT_MAX_K + 5, 1));
  });

  it('describes itself as erlang:K:MEAN', () => expect(erlang(4, 0.001).describe()).toBe('erlang:4:0.001'));

  it('rejects k that is not an integer >= 1 and non-positive means', () => {
    expect(() => erlang(1.5, 1)).toThrow(/k must be an integer >= 1, got 1\.5/);
    expect(() => erlang(0, 1)).toThrow(RangeError);
    expect(() => erlang(2, -1)).toThrow(/mean must be .*-1/);
    expect(() => erlang(2, 0)).toThrow(RangeError);
  });
});
