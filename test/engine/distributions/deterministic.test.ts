import { describe, expect, it } from 'vitest';
import { deterministic } from '../../../model/engine/distributions/index.ts';
import { RandomStreams } from '../../../model/engine/randomStreams.ts';
import { draw, expectDeclaredMoments } from './momentCheck.ts';

describe('deterministic', () => {
  it('has the moments of a point mass and always returns the value', () => {
    const v = 0.25;
    const d = deterministic(v);
    expect(d.kind).toBe('deterministic');
    expectDeclaredMoments(d, [v, v ** 2, v ** 3, v ** 4]);
    expect(d.variance).toBe(0);
    expect(d.scv).toBe(0);
    expect(draw(d, 1, 1000).every((x) => x === v)).toBe(true);
  });

  it('consumes no draws from its stream', () => {
    const stream = new RandomStreams(4, 0).stream('s');
    const sample = deterministic(2).sampler(stream);
    for (let i = 0; i < 10; i++) sample();
    expect(stream.uniform()).toBe(new RandomStreams(4, 0).stream('s').uniform());
  });

  it('describes itself as det:VALUE', () => expect(deterministic(1.5e-3).describe()).toBe('det:0.0015'));

  it('rejects non-positive values', () => {
    for (const bad of [0, -2, NaN, Infinity]) expect(() => deterministic(bad)).toThrow(/value must be .*positive/);
  });
});
