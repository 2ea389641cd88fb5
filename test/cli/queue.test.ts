import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './runCli.ts';

const MM1 = ['queue', '--servers', '1', '--arrival-rate', '0.8', '--service', 'exp:1', '--customers', '20000', '--replications', '5', '--seed', '1'];
const SMALL = ['--customers', '2000', '--replications', '3'];

function parseJsonOnly(r: CliResult): Record<string, unknown> {
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

function expectEstimate(v: unknown): asserts v is { mean: number; ci95HalfWidth: number } {
  expect(v).toEqual({ mean: expect.any(Number), ci95HalfWidth: expect.any(Number) });
  const e = v as { mean: number; ci95HalfWidth: number };
  expect(Number.isFinite(e.mean)).toBe(true);
  expect(e.ci95HalfWidth).toBeGreaterThanOrEqual(0);
}

describe('svcpath queue --json', () => {
  let mm1: Record<string, unknown>;
  let mm1Stderr: string;
  beforeAll(async () => {
    const r = await runCli([...MM1, '--json']);
    mm1Stderr = r.stderr;
    mm1 = parseJsonOnly(r);
  });

  it('prints one object with every field, typed, and nothing on stderr', () => {
    expect(mm1Stderr).toBe('');
    for (const k of ['meanWaitSec', 'meanSojournSec', 'meanQueueLength', 'meanInSystem', 'utilization', 'throughputPerSec']) {
      expectEstimate(mm1[k]);
    }
    expect(mm1.waitQuantilesSec).toEqual({ p50: expect.any(Number), p90: expect.any(Number), p99: expect.any(Number) });
    expect(mm1).toMatchObject({
      servers: 1,
      arrivalRatePerSec: 0.8,
      service: 'exp:1',
      customers: 20000,
      replications: 5,
      seed: 1,
      warmup: 'auto',
      stable: true,
      model: 'M/M/1',
    });
    expect(mm1.rho).toBeCloseTo(0.8, 12);
    expect(mm1.customersPerSec).toBeGreaterThan(0);
    expect(Number.isInteger(mm1.warmupCustomers)).toBe(true);
    const perRep = mm1.warmupCustomersPerReplication as number[];
    expect(perRep).toHaveLength(5);
    expect(Math.max(...perRep)).toBe(mm1.warmupCustomers);
    expect(mm1.analytic).toMatchObject({ model: expect.stringMatching(/Erlang C/), meanWaitSec: expect.any(Number) });
  });

  it('M/M/1: the closed form is the textbook one and lies within a few half-widths of the simulation', () => {
    // Computed here from the M/M/1 formulas, not by the code under test: Wq = rho / (mu - lambda).
    const lambda = 0.8;
    const mu = 1;
    const wq = lambda / mu / (mu - lambda);
    const analytic = mm1.analytic as { meanWaitSec: number; utilization: number; meanQueueLength: number };
    expect(analytic.meanWaitSec).toBeCloseTo(wq, 10);
    expect(analytic.meanQueueLength).toBeCloseTo(lambda * wq, 10);
    for (const [k, theory] of [
      ['meanWaitSec', wq],
      ['meanSojournSec', wq + 1 / mu],
      ['meanQueueLength', lambda * wq],
      ['utilization', lambda / mu],
    ] as const) {
      const e = mm1[k] as { mean: number; ci95HalfWidth: number };
      expect(Math.abs(e.mean - theory), `${k}: ${e.mean} ± ${e.ci95HalfWidth} vs ${theory}`).toBeLessThan(3 * e.ci95HalfWidth);
    }
  });

  it('same seed twice gives the same JSON except customersPerSec; another seed differs', async () => {
    const args = ['queue', '--servers', '2', '--arrival-rate', '1.5', '--service', 'erlang:3:1', ...SMALL, '--seed', '7', '--json'];
    const [a, b, c] = (await Promise.all([runCli(args), runCli(args), runCli([...args.slice(0, -2), '8', '--json'])])).map(parseJsonOnly);
    const strip = ({ customersPerSec: _, ...rest }: Record<string, unknown>) => rest;
    expect(strip(a!)).toEqual(strip(b!));
    expect((c!.meanWaitSec as { mean: number }).mean).not.toBe((a!.meanWaitSec as { mean: number }).mean);
  });

  it('uses Pollaczek-Khinchine for det: service on one server, and marks Allen-Cunneen for lognormal on two as an approximation', async () => {
    const [det, logn] = (
      await Promise.all([
        runCli(['queue', '--servers', '1', '--arrival-rate', '0.5', '--service', 'det:1', ...SMALL, '--json']),
        runCli(['queue', '--servers', '2', '--arrival-rate', '1', '--service', 'lognormal:1:2', ...SMALL, '--json']),
      ])
    ).map(parseJsonOnly);
    const a = det!.analytic as { model: string; meanWaitSec: number; exact: boolean };
    expect(a.model).toMatch(/Pollaczek/);
    expect(a.exact).toBe(true);
    // M/D/1: Wq = rho / (2 mu (1 - rho)) = 0.5 / (2 * 0.5) = 0.5 s.
    expect(a.meanWaitSec).toBeCloseTo(0.5, 10);
    expect(det!.model).toBe('M/D/1');
    const approx = logn!.analytic as { model: string; exact: boolean; waitQuantilesSec: unknown };
    expect(approx.model).toMatch(/Allen-Cunneen/);
    expect(approx.exact).toBe(false);
    expect(approx.waitQuantilesSec).toBeNull();
    expect(logn!.model).toBe('M/G/2');
  });

  it('honours --warmup N (rounded up to a multiple of 5) in every replication', async () => {
    const out = parseJsonOnly(await runCli(['queue', '--servers', '1', '--arrival-rate', '0.5', '--service', 'exp:1', ...SMALL, '--warmup', '98', '--json']));
    expect(out.warmup).toBe(98);
    expect(out.warmupCustomersPerReplication).toEqual([100, 100, 100]);
  });
});

describe('svcpath queue table', () => {
  it('prints a header, one row per metric with the analytic value and relative difference, and a speed footer', async () => {
    const r = await runCli(['queue', '--servers', '2', '--arrival-rate', '1.6', '--service', 'exp:1', ...SMALL]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^M\/M\/2, rho = 0\.800, 3 replications x 2000 customers, seed 1, warm-up MSER-5 \(\d+ customers\)$/);
    expect(r.stdout).toMatch(/^mean wait in queue Wq \(s\) +[\d.]+ +± [\d.e+-]+ +[\d.]+ +[+-]\d+\.\d\d%$/m);
    for (const label of ['mean sojourn W', 'mean queue length Lq', 'mean in system L', 'utilization', 'throughput', 'wait p99']) {
      expect(r.stdout).toContain(label);
    }
    expect(r.stdout).toMatch(/theory: M\/M\/c \(Erlang C\)/);
    expect(r.stdout).toMatch(/^metric +simulated +95% half-width +exact +rel\. diff$/m);
    expect(r.stdout).toMatch(/^speed: [\d,]+ customers\/s/m);
  });

  it('labels an approximation as such and shows — where the theory gives nothing (wait quantiles of G/G/c)', async () => {
    const r = await runCli(['queue', '--servers', '2', '--arrival', 'uniform:0:2', '--service', 'uniform:0:2.4', ...SMALL]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^G\/G\/2, rho = 0\.600/m);
    expect(r.stdout).toMatch(/^metric +simulated +95% half-width +approx\. +rel\. diff$/m);
    expect(r.stdout).toMatch(/^wait p99 \(s\), pooled .* — +—$/m);
    expect(r.stdout).toMatch(/theory: G\/G\/c \(Allen-Cunneen approximation\): differences of several %/);
  });

  it('shows — everywhere when the queue is unstable (no theory applies)', async () => {
    const r = await runCli(['queue', '--servers', '1', '--arrival-rate', '1.2', '--service', 'exp:1', ...SMALL, '--allow-unstable']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^mean wait in queue Wq \(s\) .* — +—$/m);
    expect(r.stdout).toMatch(/theory: none \(no formula for M\/M\/1 with rho >= 1\)/);
  });

  it('--arrival with exponential service on one server uses the exact GI/M/1 solution', async () => {
    const out = parseJsonOnly(await runCli(['queue', '--servers', '1', '--arrival', 'det:1', '--service', 'exp:0.5', ...SMALL, '--json']));
    expect(out.model).toBe('D/M/1');
    expect(out.arrival).toBe('det:1');
    expect(out.arrivalScv).toBe(0);
    const a = out.analytic as { model: string; exact: boolean; meanWaitSec: number };
    expect(a.model).toMatch(/GI\/M\/1/);
    expect(a.exact).toBe(true);
    // D/M/1 at rho = 0.5: sigma solves sigma = exp(-2 (1 - sigma)), sigma = 0.2031878; Wq = sigma / (mu (1 - sigma)).
    expect(a.meanWaitSec).toBeCloseTo((0.2031878 * 0.5) / (1 - 0.2031878), 6);
  });
});

describe('svcpath queue usage errors (exit 2, stderr names the flag and the value)', () => {
  const base = { servers: '1', 'arrival-rate': '0.5', service: 'exp:1' } as Record<string, string>;
  const argv = (over: Record<string, string | null>, extra: string[] = []): string[] => {
    const flags = { ...base, ...over };
    return ['queue', ...Object.entries(flags).flatMap(([k, v]) => (v === null ? [] : [`--${k}`, v])), ...SMALL, ...extra];
  };
  const cases: [name: string, args: string[], stderr: RegExp][] = [
    ['missing --servers', argv({ servers: null }), /--servers is required/],
    ['--servers 0', argv({ servers: '0' }), /--servers: expected an integer >= 1, got "0"/],
    ['--servers abc', argv({ servers: 'abc' }), /--servers: .*"abc"/],
    ['--arrival-rate -1', argv({ 'arrival-rate': '-1' }), /--arrival-rate: expected a number > 0, got "-1"/],
    ['neither --arrival-rate nor --arrival', argv({ 'arrival-rate': null }), /--arrival-rate PER_SEC or --arrival DIST is required/],
    ['both --arrival-rate and --arrival', argv({ arrival: 'exp:1' }), /give one of --arrival-rate and --arrival, not both/],
    ['--arrival bogus:1', argv({ 'arrival-rate': null, arrival: 'bogus:1' }), /--arrival: invalid distribution "bogus:1": unknown kind "bogus"/],
    ['--service exp:-1', argv({ service: 'exp:-1' }), /--service: invalid distribution "exp:-1": MEAN must be a positive number/],
    ['--service foo:1', argv({ service: 'foo:1' }), /--service: invalid distribution "foo:1": unknown kind "foo"; allowed: exp:MEAN/],
    ['--customers 1.5', ['queue', '--servers', '1', '--arrival-rate', '0.5', '--service', 'exp:1', '--customers', '1.5'], /--customers: expected an integer .*got "1\.5"/],
    ['--replications 1', ['queue', '--servers', '1', '--arrival-rate', '0.5', '--service', 'exp:1', '--replications', '1'], /--replications: expected an integer >= 2, got "1"/],
    ['--warmup banana', argv({}, ['--warmup', 'banana']), /--warmup: expected auto or an integer >= 0, got "banana"/],
    ['--warmup >= customers', argv({}, ['--warmup', '2000']), /--warmup 2000 must be smaller than --customers 2000/],
    ['--warmup rounding up to customers', argv({}, ['--warmup', '1998']), /--warmup 1998 \(rounded up to 2000.*\) must be smaller than --customers 2000/],
    ['unknown flag --bogus', argv({}, ['--bogus']), /unknown flag --bogus; allowed: --servers/],
    ['rho >= 1', argv({ 'arrival-rate': '1' }), /rho = .* = 1\.000 >= 1: the queue has no steady state.*--allow-unstable/],
    ['repeated flag', argv({}, ['--servers', '2']), /--servers given twice \("1" and "2"\)/],
  ];

  it('rejects each malformed flag', async () => {
    const results = await Promise.all(cases.map(([, args]) => runCli(args)));
    results.forEach((r, i) => {
      const [name, args, pattern] = cases[i]!;
      const where = `${name}: ${args.join(' ')}\n${r.stderr}`;
      expect(r.status, where).toBe(2);
      expect(r.stdout, where).toBe('');
      expect(r.stderr, where).toMatch(/^svcpath queue: error: /);
      expect(r.stderr, where).toMatch(pattern);
      expect(r.stderr, where).toMatch(/\nusage: svcpath queue --servers C /);
    });
  });

  it('runs rho >= 1 with --allow-unstable: exit 0, a warning on stderr, no closed form', async () => {
    const r = await runCli(argv({ 'arrival-rate': '1.2' }, ['--allow-unstable', '--json']));
    const out = parseJsonOnly(r);
    expect(r.stderr).toMatch(/^svcpath queue: warning: rho = 1\.200 >= 1: the queue has no steady state; the results describe the transient/);
    expect(out.stable).toBe(false);
    expect(out.analytic).toBeNull();
  });
});
