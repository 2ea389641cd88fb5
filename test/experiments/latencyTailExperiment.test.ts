/**
 * A guard for the latency-tail experiment (quick mode, through the CLI's runner): its summary
 * must show what the experiment is for. Deeper idle states never shorten the p99; idle=poll has no
 * idle exits in the median split; wire loss makes connections retransmit at the rate the loss
 * implies (a lost packet among 2 x (K + 2) per connection) and puts the retransmission timeout in the
 * tail's split. Each property is a function returning its violations, and the last test shows that
 * each one fails on a summary where its claim is broken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartRow } from '../../experiments/lib/charts.ts';
import latencyTail from '../../experiments/latencyTail.ts';
import { quickRuns, removeTempDirs, summaryNumber } from './runnerHelpers.ts';

type Row = ChartRow;
const num = summaryNumber;
const DEPTH = ['poll', 'c1', 'c1e', 'c6'];

function idleViolations(rows: readonly Row[]): string[] {
  const out: string[] = [];
  const noLoss = rows.filter((r) => r.lossFraction === 0);
  for (const datapath of new Set(noLoss.map((r) => r.datapath))) {
    const points = noLoss.filter((r) => r.datapath === datapath).sort((a, b) => DEPTH.indexOf(String(a.idleState)) - DEPTH.indexOf(String(b.idleState)));
    for (let i = 1; i < points.length; i++) {
      for (const metric of ['firstPacketP99Us', 'establishedP99Us']) {
        const [a, b] = [points[i - 1]!, points[i]!];
        const slack = num(a, `${metric}_ci95HalfWidth`) + num(b, `${metric}_ci95HalfWidth`);
        if (num(b, `${metric}_mean`) + slack < num(a, `${metric}_mean`)) {
          out.push(`${datapath}: ${metric} with ${String(b.idleState)} allowed is below ${String(a.idleState)}'s`);
        }
      }
    }
    for (const p of points.filter((r) => r.idleState === 'poll')) {
      if (num(p, 'firstMedianIdleExitUs_max') !== 0) out.push(`${datapath}: idle=poll still pays idle exits`);
    }
  }
  return out;
}

function lossViolations(rows: readonly Row[], requestsPerConnection: number): string[] {
  const out: string[] = [];
  for (const r of rows.filter((row) => num(row, 'lossFraction') > 0)) {
    const p = num(r, 'lossFraction');
    const expected = 1 - (1 - p) ** (2 * (requestsPerConnection + 2));
    const observed = num(r, 'retransmittedFraction_mean');
    // Binomial spread over at least 300 connections per replication: 4 standard deviations.
    const allowed = 4 * Math.sqrt((expected * (1 - expected)) / 300);
    if (Math.abs(observed - expected) > allowed) out.push(`${String(r.datapath)} at loss ${p}: ${observed} of the connections retransmitted, expected ${expected.toFixed(4)}`);
    // A lost SYN or SYN-ACK waits the 1 s initial RTO: the tail's split is mostly that wait.
    if (p >= 1e-2 && !(num(r, 'firstTailRetransmissionUs_mean') > 0.5e6)) out.push(`${String(r.datapath)} at loss ${p}: the first-packet tail is not the retransmission timeout`);
  }
  return out;
}

let rows: Row[] = [];
let notes: string[] = [];
const K = (latencyTail.base as { requestsPerConnection: number }).requestsPerConnection;

beforeAll(async () => {
  const run = await quickRuns(['latency-tail'] as const);
  rows = run.summaries['latency-tail'];
  notes = run.notes['latency-tail'];
}, 240_000);
afterAll(removeTempDirs);

describe('latency-tail, quick mode, shows what it is for', () => {
  it('runs without warnings and covers poll, C1E and C6, with and without loss', () => {
    expect(notes).toEqual([]);
    expect(new Set(rows.map((r) => r.idleState))).toEqual(new Set(['poll', 'c1e', 'c6']));
    expect(rows.some((r) => num(r, 'lossFraction') >= 1e-2)).toBe(true);
  });

  it('a deeper idle state never shortens the p99; idle=poll pays no idle exit', () => {
    expect(idleViolations(rows)).toEqual([]);
  });

  it('loss makes connections retransmit at the rate it implies, and the RTO is the tail', () => {
    expect(lossViolations(rows, K)).toEqual([]);
  });

  it('each property fails on a summary where its claim is broken', () => {
    const edit = (match: (r: Row) => boolean, change: (r: Row) => Row) => rows.map((r) => (match(r) ? change({ ...r }) : r));
    const c6 = (r: Row) => r.idleState === 'c6' && r.lossFraction === 0;
    expect(idleViolations(edit(c6, (r) => ({ ...r, firstPacketP99Us_mean: 1, firstPacketP99Us_ci95HalfWidth: 0 })))).not.toEqual([]);
    expect(idleViolations(edit((r) => r.idleState === 'poll', (r) => ({ ...r, firstMedianIdleExitUs_max: 4 })))).not.toEqual([]);
    const lossy = (r: Row) => num(r, 'lossFraction') > 0;
    expect(lossViolations(edit(lossy, (r) => ({ ...r, retransmittedFraction_mean: 0.01 })), K)).not.toEqual([]);
    expect(lossViolations(edit(lossy, (r) => ({ ...r, firstTailRetransmissionUs_mean: 0 })), K)).not.toEqual([]);
  });
});
