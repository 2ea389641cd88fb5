/**
 * A guard for what users see: the default experiments (experiments/index.ts), run in their quick
 * mode through the runner the CLI uses (what CI and `npm start -- --quick` run), must still show
 * what they exist to show. Each property reads the summary table a user would open and is written
 * as a function returning its violations, so the last test can show that each one fails on a
 * summary where the claim is broken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { ChartRow } from '../../experiments/lib/charts.ts';
import { quickRuns, removeTempDirs, summaryNumber } from './runnerHelpers.ts';

type Row = ChartRow;

const num = summaryNumber;
const interval = (row: Row, metric: string) => {
  const mean = num(row, `${metric}_mean`);
  const hw = num(row, `${metric}_ci95HalfWidth`);
  return { mean, hw, low: mean - hw, high: mean + hw };
};

// --- service-scaling ---------------------------------------------------------------------------

const GROWING = 'kube-proxy-iptables';
const FLAT = ['kube-proxy-nftables', 'cilium-tc', 'cilium-socket-lb'];
/**
 * "Flat" allows this share of the RTT on top of the two points' 95 % half-widths. The half-widths
 * alone cannot set the tolerance: the p50s of these datapaths come out identical in every
 * replication (3-significant-digit histograms, common random numbers), so their half-widths are
 * 0 and an interval-only test would demand bit-equality, while per-lookup costs that grow a little
 * with the table (a BPF hash map touching colder cache lines) are real. 2 % of a ~18 µs RTT over a
 * 300-fold range of Services is 0.4 µs; a cost linear in Services of 0.1 cycle per Service adds
 * 0.8 µs at 30,000 and fails it.
 */
const FLAT_SHARE = 0.02;

/** iptables' first-packet p50 grows with every step in Services (the intervals apart); the others stay flat. */
function serviceScalingViolations(rows: readonly Row[]): string[] {
  const out: string[] = [];
  const of = (datapath: string) => rows.filter((r) => r.datapath === datapath).sort((a, b) => num(a, 'services') - num(b, 'services'));
  const iptables = of(GROWING);
  for (let i = 1; i < iptables.length; i++) {
    const [a, b] = [interval(iptables[i - 1]!, 'firstPacketP50Us'), interval(iptables[i]!, 'firstPacketP50Us')];
    if (!(b.low > a.high)) {
      out.push(`${GROWING}: first-packet p50 at ${num(iptables[i]!, 'services')} Services (${b.mean.toFixed(1)} ± ${b.hw.toFixed(1)} µs) is not above ${num(iptables[i - 1]!, 'services')} Services (${a.mean.toFixed(1)} ± ${a.hw.toFixed(1)} µs)`);
    }
  }
  for (const datapath of FLAT) {
    const points = of(datapath);
    const first = interval(points[0]!, 'firstPacketP50Us');
    for (const p of points.slice(1)) {
      const b = interval(p, 'firstPacketP50Us');
      const allowed = first.hw + b.hw + FLAT_SHARE * first.mean;
      if (Math.abs(b.mean - first.mean) > allowed) {
        out.push(`${datapath}: first-packet p50 moves from ${first.mean.toFixed(2)} µs to ${b.mean.toFixed(2)} µs at ${num(p, 'services')} Services (allowed ± ${allowed.toFixed(2)} µs)`);
      }
    }
  }
  return out;
}

// --- conntrack-capacity ------------------------------------------------------------------------

/** What each table does when full, in every replication, and never below its capacity. */
const BREAKS: Record<string, { counter: string; never: string }> = {
  nf_conntrack: { counter: 'droppedNewConnections', never: 'evictedEntries' },
  'cilium-ct': { counter: 'evictedEntries', never: 'droppedNewConnections' },
};

/**
 * Above capacity (more connections offered than the table holds; they are all open at the peak,
 * since each stays open longer than the ramp) nf_conntrack drops new connections and Cilium
 * evicts, in every replication; below it, neither does in any replication; and neither table
 * breaks the other's way.
 */
function conntrackViolations(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const impl = String(r.impl);
    const b = BREAKS[impl];
    if (b === undefined) {
      out.push(`unknown table "${impl}"`);
      continue;
    }
    const where = `${impl}, ${num(r, 'connections')} connections, ${num(r, 'cores')} cores`;
    const over = num(r, 'connections') > num(r, 'capacityEntries_mean');
    if (over && !(num(r, `${b.counter}_min`) > 0)) out.push(`${where}: above the capacity of ${num(r, 'capacityEntries_mean')}, ${b.counter} is 0 in some replication`);
    if (!over && num(r, `${b.counter}_max`) !== 0) out.push(`${where}: below the capacity of ${num(r, 'capacityEntries_mean')}, ${b.counter} reaches ${num(r, `${b.counter}_max`)}`);
    if (num(r, `${b.never}_max`) !== 0) out.push(`${where}: ${b.never} reaches ${num(r, `${b.never}_max`)}, but ${impl} does not break that way`);
  }
  return out;
}

// --- queue-validation --------------------------------------------------------------------------

/** Family-wise false-alarm rate of the queue check, if the engine were exactly right. */
const QUEUE_FAMILY_ALPHA = 0.01;

/**
 * The allowed distance from the closed form, in 95 % half-widths: the Bonferroni-adjusted
 * Student-t quantile for `points` intervals at a family-wise rate of 1 %, over the 95 % one.
 * With the quick mode's 10 replications and 5 points: t(0.999, 9) / t(0.975, 9) = 4.30 / 2.26 = 1.9.
 * Over 80 seeds of that mode none had a point outside 2 half-widths and 12 % had one outside 1;
 * its half-widths (1.5-2.5 % of the wait) let an Erlang C 10 % high, or exponential draws 2 % long,
 * fail it.
 */
function queueHalfWidths(replications: number, points: number): number {
  return tQuantile(1 - QUEUE_FAMILY_ALPHA / (2 * points), replications - 1) / tQuantile(0.975, replications - 1);
}

/** Each simulated mean wait lies within queueHalfWidths(n, points) half-widths of the closed form. */
function queueViolations(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const { mean, hw } = interval(r, 'meanWaitSec');
    const exact = num(r, 'analyticMeanWaitSec_mean');
    const k = queueHalfWidths(num(r, 'n'), rows.length);
    const queue = `${r.service === 'exp' ? 'M/M/' : 'M/D/'}${num(r, 'servers')} at rho ${num(r, 'rho')}`;
    if (!(hw > 0 && Number.isFinite(exact))) out.push(`${queue}: no interval (half-width ${hw}) or no closed form (${exact})`);
    else if (Math.abs(mean - exact) > k * hw) {
      out.push(`${queue}: simulated mean wait ${mean.toFixed(4)} ± ${hw.toFixed(4)} is ${(Math.abs(mean - exact) / hw).toFixed(2)} half-widths from the closed form ${exact.toFixed(4)} (allowed ${k.toFixed(2)})`);
    }
  }
  return out;
}

// --- one quick run of each ---------------------------------------------------------------------

const DEFAULTS = ['queue-validation', 'service-scaling', 'conntrack-capacity'] as const;
let summaries = {} as Record<(typeof DEFAULTS)[number], Row[]>;
let notes = {} as Record<(typeof DEFAULTS)[number], string[]>;

beforeAll(async () => {
  ({ summaries, notes } = await quickRuns(DEFAULTS));
}, 240_000);
afterAll(removeTempDirs);

describe('the default experiments, quick mode, show what they are for', () => {
  it('run without warnings: every table and chart is written', () => {
    for (const name of DEFAULTS) expect(notes[name], name).toEqual([]);
  });

  it('service-scaling: kube-proxy iptables first-packet p50 grows with Services; nftables and Cilium stay flat', () => {
    const rows = summaries['service-scaling'];
    const services = [...new Set(rows.map((r) => num(r, 'services')))].sort((a, b) => a - b);
    // Not vacuous: the sweep spans 100 to 30,000 Services with a step between, for all four datapaths.
    expect(services[0]).toBe(100);
    expect(services.at(-1)).toBe(30_000);
    expect(services.length).toBeGreaterThanOrEqual(3);
    for (const d of [GROWING, ...FLAT]) expect(rows.filter((r) => r.datapath === d).length, d).toBe(services.length);
    expect(serviceScalingViolations(rows)).toEqual([]);
  });

  it('conntrack-capacity: nf_conntrack drops and Cilium evicts once offered connections exceed the table, neither below', () => {
    const rows = summaries['conntrack-capacity'];
    // Not vacuous: each table is offered less and more than it holds.
    for (const impl of Object.keys(BREAKS)) {
      const mine = rows.filter((r) => r.impl === impl);
      expect(mine.some((r) => num(r, 'connections') > num(r, 'capacityEntries_mean')), `${impl} above capacity`).toBe(true);
      expect(mine.some((r) => num(r, 'connections') < num(r, 'capacityEntries_mean')), `${impl} below capacity`).toBe(true);
    }
    expect(conntrackViolations(rows)).toEqual([]);
  });

  it('queue-validation: each simulated mean wait is within its (multiple-comparison) interval of the closed form', () => {
    const rows = summaries['queue-validation'];
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(queueViolations(rows)).toEqual([]);
  });

  it('each property fails on a summary where its claim is broken', () => {
    const edit = (rows: Row[], match: (r: Row) => boolean, change: (r: Row) => Row) => rows.map((r) => (match(r) ? change({ ...r }) : r));

    const scaling = summaries['service-scaling'];
    const top = Math.max(...scaling.map((r) => num(r, 'services')));
    const atTop = (d: string) => (r: Row) => r.datapath === d && r.services === top;
    // iptables stops growing at the last step (its p50 drops back to the previous point's).
    const prev = scaling.filter((r) => r.datapath === GROWING).sort((a, b) => num(b, 'services') - num(a, 'services'))[1]!;
    expect(serviceScalingViolations(edit(scaling, atTop(GROWING), (r) => ({ ...r, firstPacketP50Us_mean: prev.firstPacketP50Us_mean })))).not.toEqual([]);
    // nftables grows by 10 % over the range.
    expect(serviceScalingViolations(edit(scaling, atTop('kube-proxy-nftables'), (r) => ({ ...r, firstPacketP50Us_mean: num(r, 'firstPacketP50Us_mean') * 1.1 })))).not.toEqual([]);

    const conntrack = summaries['conntrack-capacity'];
    const over = (impl: string) => (r: Row) => r.impl === impl && num(r, 'connections') > num(r, 'capacityEntries_mean');
    const under = (impl: string) => (r: Row) => r.impl === impl && num(r, 'connections') < num(r, 'capacityEntries_mean');
    expect(conntrackViolations(edit(conntrack, over('nf_conntrack'), (r) => ({ ...r, droppedNewConnections_min: 0 })))).not.toEqual([]);
    expect(conntrackViolations(edit(conntrack, over('cilium-ct'), (r) => ({ ...r, evictedEntries_min: 0 })))).not.toEqual([]);
    expect(conntrackViolations(edit(conntrack, under('cilium-ct'), (r) => ({ ...r, evictedEntries_max: 1 })))).not.toEqual([]);
    expect(conntrackViolations(edit(conntrack, under('nf_conntrack'), (r) => ({ ...r, droppedNewConnections_max: 1 })))).not.toEqual([]);
    expect(conntrackViolations(edit(conntrack, over('nf_conntrack'), (r) => ({ ...r, evictedEntries_max: 1 })))).not.toEqual([]);

    const queue = summaries['queue-validation'];
    // A closed form off by a few half-widths at one point (e.g. Erlang C with the wrong server count).
    const k = queueHalfWidths(num(queue[0]!, 'n'), queue.length);
    const shifted = edit(queue, (r) => r === queue[0], (r) => ({ ...r, analyticMeanWaitSec_mean: num(r, 'meanWaitSec_mean') + 1.01 * k * num(r, 'meanWaitSec_ci95HalfWidth') }));
    expect(queueViolations(shifted)).not.toEqual([]);
  });
});
