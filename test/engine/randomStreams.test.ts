import { describe, expect, it } from 'vitest';
import mt19937 from '@stdlib/random-base-mt19937';
import { RandomStream, RandomStreams, streamSeedWords } from '../../model/engine/randomStreams.ts';

function draws(stream: RandomStream, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(stream.uniform());
  return out;
}

/** Upper chi-square quantile by the Wilson-Hilferty normal approximation, z standard deviations out. */
function chiSquareUpper(df: number, z: number): number {
  const c = 2 / (9 * df);
  return df * (1 - c + z * Math.sqrt(c)) ** 3;
}

describe('streamSeedWords', () => {
  it('lays out seed and replication as hi/lo uint32 words followed by a 2-word name hash', () => {
    const seed = 3 * 2 ** 32 + 7;
    const rep = 2 ** 40 + 9;
    const w = streamSeedWords(seed, rep, 'arrivals');
    expect(w.length).toBeGreaterThanOrEqual(4);
    expect(Array.from(w.slice(0, 4))).toEqual([3, 7, 2 ** 8, 9]);
    expect(Array.from(streamSeedWords(0, 0, 'arrivals').slice(4))).toEqual(Array.from(w.slice(4)));
    expect(Array.from(streamSeedWords(0, 0, 'arrivalz').slice(4))).not.toEqual(Array.from(w.slice(4)));
  });

  it('keeps the largest safe integer exact', () => {
    const w = streamSeedWords(Number.MAX_SAFE_INTEGER, 0, 'x');
    expect(w[0]! * 2 ** 32 + w[1]!).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('rejects bad seeds, replications and names, naming the argument and value', () => {
    expect(() => streamSeedWords(-1, 0, 'a')).toThrow(RangeError);
    expect(() => streamSeedWords(-1, 0, 'a')).toThrow(/seed.*-1/);
    expect(() => streamSeedWords(1.5, 0, 'a')).toThrow(/seed.*1\.5/);
    expect(() => streamSeedWords(2 ** 53, 0, 'a')).toThrow(RangeError);
    expect(() => streamSeedWords(NaN, 0, 'a')).toThrow(RangeError);
    expect(() => streamSeedWords(0, -3, 'a')).toThrow(/replication.*-3/);
    expect(() => streamSeedWords('1' as unknown as number, 0, 'a')).toThrow(TypeError);
    expect(() => streamSeedWords(0, 0, '')).toThrow(RangeError);
    expect(() => streamSeedWords(0, 0, '')).toThrow(/name/);
    expect(() => streamSeedWords(0, 0, 5 as unknown as string)).toThrow(TypeError);
    expect(() => new RandomStreams(-1, 0)).toThrow(/seed/);
    expect(() => new RandomStreams(0, 0.5)).toThrow(/replication/);
    expect(() => new RandomStreams(0, 0).stream('')).toThrow(RangeError);
  });
});

describe('RandomStreams', () => {
  it('gives identical sequences for the same (seed, replication, name)', () => {
    const a = new RandomStreams(42, 3).stream('service');
    const b = new RandomStreams(42, 3).stream('service');
    expect(draws(a, 2000)).toEqual(draws(b, 2000));
  });

  it('is mt19937 seeded by init_by_array with the stream seed words, 53-bit normalized', () => {
    const s = new RandomStreams(9, 1).stream('svc');
    const reference = (mt19937.factory({ seed: s.seedWords }) as unknown as { normalized: () => number })
      .normalized;
    for (let i = 0; i < 100; i++) expect(s.uniform()).toBe(reference());
  });

  it('gives different sequences for a different name, replication or seed', () => {
    const base = draws(new RandomStreams(1, 0).stream('a'), 10);
    expect(draws(new RandomStreams(1, 0).stream('b'), 10)).not.toEqual(base);
    expect(draws(new RandomStreams(1, 1).stream('a'), 10)).not.toEqual(base);
    expect(draws(new RandomStreams(2, 0).stream('a'), 10)).not.toEqual(base);
    // Seed and replication occupy different words, so swapping them changes the stream.
    expect(draws(new RandomStreams(0, 1).stream('a'), 10)).not.toEqual(draws(new RandomStreams(1, 0).stream('a'), 10));
  });

  it('returns the same stream object for the same name', () => {
    const streams = new RandomStreams(5, 0);
    expect(streams.stream('x')).toBe(streams.stream('x'));
    expect(streams.stream('x')).not.toBe(streams.stream('y'));
    expect(streams.seed).toBe(5);
    expect(streams.replication).toBe(0);
  });

  it('does not depend on creation order or on draws from other streams', () => {
    const alone = new RandomStreams(7, 2);
    const bAlone = draws(alone.stream('b'), 500);

    const crowded = new RandomStreams(7, 2);
    const a = crowded.stream('a');
    draws(a, 1234);
    crowded.stream('c');
    const bCrowded = crowded.stream('b');
    draws(a, 10);
    expect(draws(bCrowded, 500)).toEqual(bAlone);
  });

  it('uniformFn advances the same sequence as uniform()', () => {
    const s1 = new RandomStreams(3, 0).stream('s');
    const s2 = new RandomStreams(3, 0).stream('s');
    const f = s1.uniformFn;
    const mixed = [f(), s1.uniform(), f(), s1.uniform()];
    expect(mixed).toEqual(draws(s2, 4));
  });

  it('draws lie in [0, 1)', () => {
    const s = new RandomStreams(11, 0).stream('range');
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < 100_000; i++) {
      const u = s.uniform();
      if (u < min) min = u;
      if (u > max) max = u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });

  it('passes chi-square and Kolmogorov-Smirnov uniformity checks on 100k draws', () => {
    const n = 100_000;
    const bins = 100;
    const s = new RandomStreams(2024, 0).stream('uniformity');
    const xs = new Float64Array(n);
    const counts = new Array<number>(bins).fill(0);
    for (let i = 0; i < n; i++) {
      const u = s.uniform();
      xs[i] = u;
      counts[Math.floor(u * bins)]!++;
    }
    const expected = n / bins;
    const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    // 5 sigma on the normal scale: a false alarm has probability ~3e-7.
    expect(chi2).toBeLessThan(chiSquareUpper(bins - 1, 5));

    xs.sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      d = Math.max(d, (i + 1) / n - xs[i]!, xs[i]! - i / n);
    }
    // Asymptotic KS: P(sqrt(n) D > t) ~ 2 exp(-2 t^2); t = 2.5 gives ~7e-6.
    expect(d * Math.sqrt(n)).toBeLessThan(2.5);
  });

  it('gives 1000 streams s0..s999 pairwise distinct first draws', () => {
    const streams = new RandomStreams(1, 0);
    const first = new Set<number>();
    for (let i = 0; i < 1000; i++) first.add(streams.stream(`s${i}`).uniform());
    expect(first.size).toBe(1000);
  });
});
