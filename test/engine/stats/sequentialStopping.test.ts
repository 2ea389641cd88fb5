import { describe, expect, it } from 'vitest';
import { runToPrecision, SequentialStopper } from '../../../model/engine/stats/sequentialStopping.ts';
import { confidenceInterval, relativeHalfWidth } from '../../../model/engine/stats/confidenceInterval.ts';
import { seededRandom } from './seededRandom.ts';

describe('runToPrecision', () => {
  it('runToPrecision(target, run) stops at the first n >= min whose interval meets the target', () => {
    const rng = seededRandom(8);
    const seen: number[] = [];
    const target = { relHalfWidth: 0.01, minReplications: 5, maxReplications: 5_000 };
    const res = runToPrecision(target, (replication) => {
      seen.push(replication);
      return rng.normal(100, 10);
    });
    const n = res.values.length;
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(res.reachedTarget).toBe(true);
    expect(res.ci.n).toBe(n);
    // Checked against intervals rebuilt from scratch on every prefix.
    expect(relativeHalfWidth(confidenceInterval(res.values))).toBeLessThanOrEqual(0.01);
    for (let m = 5; m < n; m++) {
      expect(relativeHalfWidth(confidenceInterval(res.values.slice(0, m)))).toBeGreaterThan(0.01);
    }
    // σ/μ = 0.1 at 1% relative half-width: about (1.96 · 0.1 / 0.01)² ≈ 384 replications.
    expect(n).toBeGreaterThan(250);
    expect(n).toBeLessThan(550);
  });

  it('runToPrecision covers the true mean in about 95% of sequential runs', () => {
    const rng = seededRandom(10);
    let covered = 0;
    const runs = 300;
    for (let r = 0; r < runs; r++) {
      const res = runToPrecision({ relHalfWidth: 0.05, minReplications: 10, maxReplications: 1_000 }, () =>
        rng.normal(100, 10),
      );
      if (res.ci.lower <= 100 && 100 <= res.ci.upper) covered++;
    }
    expect(covered / runs).toBeGreaterThanOrEqual(0.88);
    expect(covered / runs).toBeLessThanOrEqual(0.99);
  });

  it('runToPrecision stops at maxReplications when the target is out of reach', () => {
    const rng = seededRandom(9);
    const res = runToPrecision({ relHalfWidth: 1e-6, maxReplications: 12 }, () => rng.normal(1, 1));
    expect(res.values.length).toBe(12);
    expect(res.reachedTarget).toBe(false);
    expect(res.ci.n).toBe(12);
  });

  it('runToPrecision of a constant metric stops at minReplications (default 3)', () => {
    const res = runToPrecision({ relHalfWidth: 0.01, maxReplications: 100 }, () => 42);
    expect(res.values).toEqual([42, 42, 42]);
    expect(res.ci.halfWidth).toBe(0);
    expect(res.reachedTarget).toBe(true);
  });

  it('runToPrecision of a zero-mean metric never meets a relative target', () => {
    const res = runToPrecision({ relHalfWidth: 0.5, maxReplications: 7 }, () => 0);
    expect(res.values.length).toBe(7);
    expect(res.reachedTarget).toBe(false);
  });

  it('runToPrecision rejects bad targets and non-finite replication results', () => {
    const run = () => 1;
    expect(() => runToPrecision({ relHalfWidth: 0, maxReplications: 10 }, run)).toThrow(
      /target.relHalfWidth must be a finite number > 0, got 0/,
    );
    expect(() => runToPrecision({ relHalfWidth: 0.1, confidence: 1, maxReplications: 10 }, run)).toThrow(
      /target.confidence must be in \(0, 1\), got 1/,
    );
    expect(() => runToPrecision({ relHalfWidth: 0.1, minReplications: 1, maxReplications: 10 }, run)).toThrow(
      /target.minReplications must be an integer >= 2, got 1/,
    );
    expect(() => runToPrecision({ relHalfWidth: 0.1, minReplications: 5, maxReplications: 4 }, run)).toThrow(
      /target.maxReplications must be an integer >= minReplications \(5\), got 4/,
    );
    expect(() => runToPrecision({ relHalfWidth: 0.1, maxReplications: 10 }, (r) => (r === 2 ? NaN : r + 1))).toThrow(
      /runReplication\(2\) must return a finite number, got NaN/,
    );
    expect(() => runToPrecision({ relHalfWidth: 0.1, maxReplications: 10 }, 5 as never)).toThrow(TypeError);
  });
});

describe('SequentialStopper', () => {
  it('sequentialStopper fed the same values stops where runToPrecision does', () => {
    const target = { relHalfWidth: 0.02, confidence: 0.9, maxReplications: 1_000 };
    const rngA = seededRandom(77);
    const res = runToPrecision(target, () => rngA.exponential(5));
    const rngB = seededRandom(77);
    const stopper = new SequentialStopper(target);
    expect(stopper.ci.n).toBe(0);
    expect(stopper.ci.mean).toBeNaN();
    while (!stopper.done) stopper.add(rngB.exponential(5));
    expect(stopper.count).toBe(res.values.length);
    expect(stopper.values).toEqual(res.values);
    expect(stopper.reachedTarget).toBe(res.reachedTarget);
    expect(stopper.ci).toEqual(res.ci);
    expect(stopper.ci.confidence).toBe(0.9);
  });

  it('sequentialStopper.add(x) after done throws; add(NaN) throws a RangeError', () => {
    const stopper = new SequentialStopper({ relHalfWidth: 0.1, maxReplications: 2, minReplications: 2 });
    expect(() => stopper.add(NaN)).toThrow(/value must be a finite number, got NaN/);
    stopper.add(1);
    expect(stopper.done).toBe(false);
    stopper.add(2);
    expect(stopper.done).toBe(true);
    expect(() => stopper.add(3)).toThrow(/done after 2 replications/);
  });
});
