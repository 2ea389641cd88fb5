/**
 * Shared pieces of the validation suite: "theory inside the simulated 95% interval" as an
 * assertion with a readable failure message, and independent replications of the G/G/c queue
 * that keep the raw trace, for statistics the study does not report (P(wait > 0), quantiles).
 * Nothing here knows a simulated number: every expected value comes from a closed form.
 */
import { expect } from 'vitest';
import {
  deterministic,
  erlang,
  exponential,
  hyperexponential,
  lognormal,
  uniform,
  type Distribution,
} from '../../model/engine/distributions/index.ts';
import { RandomStreams } from '../../model/engine/randomStreams.ts';
import { summarizeReplications } from '../../model/engine/stats/replicationSummary.ts';
import { simulateQueue, type QueueParams, type QueueTrace } from '../../model/queueing/ggcQueue.ts';
import { mser5Warmup, summarizeTrace, type QueueReplicationStats } from '../../model/queueing/queueSummary.ts';

export interface Interval {
  mean: number;
  /** Half-width of the 95% Student-t interval. */
  ci95HalfWidth: number;
}

/** |simulated - theory| <= 95% half-width, i.e. the closed form lies inside the interval. */
export function expectTheoryInInterval(what: string, est: Interval, theory: number): void {
  const miss = Math.abs(est.mean - theory);
  report(`${what}: sim ${est.mean.toPrecision(6)} ± ${est.ci95HalfWidth.toPrecision(3)}, theory ${theory.toPrecision(6)}, miss ${(miss / est.ci95HalfWidth).toFixed(2)} hw`);
  expect(Number.isFinite(est.mean) && Number.isFinite(est.ci95HalfWidth), `${what}: non-finite estimate`).toBe(true);
  expect(
    miss,
    `${what}: simulated ${est.mean} ± ${est.ci95HalfWidth} (95%) does not contain theory ${theory} ` +
      `(miss = ${(miss / est.ci95HalfWidth).toFixed(2)} half-widths)`,
  ).toBeLessThanOrEqual(est.ci95HalfWidth);
}

/** With VALIDATION_REPORT=1 in the environment, prints how each comparison came out. */
export function report(line: string): void {
  if (process.env['VALIDATION_REPORT']) console.log(`[validation] ${line}`);
}

/** 95% t-interval over one value per replication. */
export function interval(values: readonly number[]): Interval {
  const ci = summarizeReplications(values);
  return { mean: ci.mean, ci95HalfWidth: ci.halfWidth };
}

export interface Replication {
  trace: QueueTrace;
  stats: QueueReplicationStats;
}

/**
 * Runs `replications` independent replications exactly as runQueueStudy does (streams from
 * (seed, r), MSER-5 warm-up per replication when warmup is 'auto') and hands each one to `visit`
 * together with its trace, so a caller can compute its own per-replication statistic without
 * keeping every trace alive.
 */
export function forEachReplication(
  params: QueueParams,
  options: { replications: number; seed: number; warmup: 'auto' | number },
  visit: (rep: Replication) => void,
): void {
  const traces: QueueTrace[] = [];
  for (let r = 0; r < options.replications; r++) traces.push(simulateQueue(params, new RandomStreams(options.seed, r)));
  // One truncation point for all replications, as runQueueStudy chooses it.
  const d = options.warmup === 'auto' ? mser5Warmup(traces) : options.warmup;
  for (const trace of traces) visit({ trace, stats: summarizeTrace(trace, d) });
}

/** Fraction of the admitted customers after the warm-up whose wait was positive. */
export function waitedFraction({ trace, stats }: Replication): number {
  let waited = 0;
  let admitted = 0;
  for (let i = stats.warmupCustomers; i < trace.customers; i++) {
    const w = trace.waitTicks[i]!;
    if (Number.isNaN(w)) continue;
    admitted++;
    if (w > 0) waited++;
  }
  return waited / admitted;
}

/** Generous per-test timeout for the long simulations (the suite budget is enforced separately). */
export const LONG = 120_000;

/** Computes a value on first use and keeps it: several `it`s share one expensive study. */
export function lazy<T>(make: () => T): () => T {
  let value: { v: T } | null = null;
  return () => (value ??= { v: make() }).v;
}

/** Service (or inter-arrival) laws with mean m, from scv 0 (det) to scv 4 (lognormal cv 2). */
export const LAWS_WITH_MEAN: Readonly<Record<string, (m: number) => Distribution>> = {
  exp: (m) => exponential(m),
  det: (m) => deterministic(m),
  erlang3: (m) => erlang(3, m),
  hyperexp: (m) => hyperexponential(0.2, 3 * m, 0.5 * m),
  lognormal: (m) => lognormal(m, 2),
  uniform: (m) => uniform(0, 2 * m),
};
