import { describe, expect, it } from 'vitest';
import {
  requiredReplications,
  summarizeReplications,
} from '../../../model/engine/stats/replicationSummary.ts';
import { relativeHalfWidth, type ConfidenceInterval } from '../../../model/engine/stats/confidenceInterval.ts';
import { seededRandom } from './seededRandom.ts';

const ci = (n: number, mean: number, halfWidth: number): ConfidenceInterval => ({
  n,
  mean,
  halfWidth,
  lower: mean - halfWidth,
  upper: mean + halfWidth,
  confidence: 0.95,
  stdDev: NaN,
});

describe('summarizeReplications', () => {
  it('summarizeReplications(values) is the t-interval over replication values', () => {
    // Five replications' mean latencies: mean 12, s² = (4 + 1 + 0 + 1 + 4) / 4 = 2.5, t_{0.975,4} = 2.776.
    const s = summarizeReplications([10, 11, 12, 13, 14]);
    expect(s.n).toBe(5);
    expect(s.mean).toBe(12);
    expect(s.stdDev).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(s.halfWidth).toBeCloseTo((2.776 * Math.sqrt(2.5)) / Math.sqrt(5), 3);
  });

  it('summarizeReplications rejects fewer than 2 replications and non-finite values', () => {
    expect(() => summarizeReplications([])).toThrow(/values must hold at least 2 replications, got 0/);
    expect(() => summarizeReplications([1])).toThrow(/got 1/);
    expect(() => summarizeReplications([1, NaN])).toThrow(/samples\[1\] must be a finite number, got NaN/);
    expect(() => summarizeReplications([1, 2], 95)).toThrow(/confidence must be in \(0, 1\), got 95/);
  });
});

describe('requiredReplications', () => {
  it('requiredReplications(ci, target) is ceil(n · (halfWidth / (target · |mean|))²)', () => {
    // Half-width twice the target needs 4 times the replications; 1.5 times needs 2.25 times.
    expect(requiredReplications(ci(10, 1, 0.2), 0.1)).toBe(40);
    expect(requiredReplications(ci(10, -1, 0.2), 0.1)).toBe(40);
    expect(requiredReplications(ci(10, 2, 0.3), 0.1)).toBe(23); // 22.5 rounded up
    expect(requiredReplications(ci(10, 1, 0.05), 0.1)).toBe(3); // target already met: fewer than n suffice
    expect(requiredReplications(ci(10, 0, 0.05), 0.1)).toBe(Infinity);
  });

  it('requiredReplications predicts roughly the count that then meets the target', () => {
    const rng = seededRandom(11);
    const draw = () => rng.normal(100, 10);
    const pilot = summarizeReplications(Array.from({ length: 30 }, draw));
    const n = requiredReplications(pilot, 0.01);
    // Known σ/μ = 0.1: n ≈ (1.96 · 0.1 / 0.01)² ≈ 384.
    expect(n).toBeGreaterThan(250);
    expect(n).toBeLessThan(550);
    const rel = relativeHalfWidth(summarizeReplications(Array.from({ length: n }, draw)));
    expect(rel).toBeGreaterThan(0.007);
    expect(rel).toBeLessThan(0.013);
  });

  it('requiredReplications rejects a bad target or an interval without a half-width', () => {
    expect(() => requiredReplications(ci(10, 1, 0.2), 0)).toThrow(/targetRelHalfWidth must be a finite number > 0, got 0/);
    expect(() => requiredReplications(ci(10, 1, 0.2), NaN)).toThrow(/targetRelHalfWidth/);
    expect(() => requiredReplications(ci(1, 1, NaN), 0.1)).toThrow(/ci.n must be an integer >= 2, got 1/);
    expect(() => requiredReplications(ci(5, 1, NaN), 0.1)).toThrow(/ci.halfWidth must be a finite number >= 0, got NaN/);
  });
});
