import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../../model/engine/randomStreams.ts';
import { standardExponentialSampler } from '../../../model/engine/distributions/exponentialZiggurat.ts';

describe('standardExponentialSampler', () => {
  const n = 1_000_000;
  const stream = new RandomStreams(7, 0).stream('zig');
  const draw = standardExponentialSampler(stream.uint32Fn, stream.uniformFn);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = draw();

  it('standardExponentialSampler() passes a Kolmogorov-Smirnov test against 1 - exp(-x)', () => {
    const sorted = Float64Array.from(xs).sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const f = 1 - Math.exp(-sorted[i]!);
      d = Math.max(d, f - i / n, (i + 1) / n - f);
    }
    // 1% critical value of the one-sample KS statistic for large n.
    expect(d).toBeLessThan(1.628 / Math.sqrt(n));
  });

  it('standardExponentialSampler() fills every strip and the tail with the right mass (chi-square)', () => {
    // Bins of equal probability 1/200 under Exp(1); the last bin is the tail beyond the 199/200 quantile.
    const bins = 200;
    const counts = new Float64Array(bins);
    for (const x of xs) counts[Math.min(bins - 1, Math.floor((1 - Math.exp(-x)) * bins))]!++;
    const expected = n / bins;
    let chi2 = 0;
    for (const c of counts) chi2 += (c - expected) ** 2 / expected;
    // 199 degrees of freedom: the 0.999 quantile is about 273.
    expect(chi2).toBeLessThan(273);
  });

  it('standardExponentialSampler() reaches the tail beyond the last strip (x > 7.697) at rate exp(-7.697)', () => {
    let tail = 0;
    for (const x of xs) if (x > 7.697117470131487) tail++;
    const p = Math.exp(-7.697117470131487);
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(tail - n * p)).toBeLessThan(4 * sd);
    let max = 0;
    for (const x of xs) max = Math.max(max, x);
    expect(max).toBeGreaterThan(10);
  });

  it('never returns a negative, NaN or infinite value', () => {
    for (const x of xs) expect(x >= 0 && Number.isFinite(x)).toBe(true);
  });
});
