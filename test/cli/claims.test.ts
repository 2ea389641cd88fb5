/**
 * `svcpath claims` as a user runs it: the table and the JSON over a results folder, the filters,
 * the notes on missing and stale results, --run-missing, and usage errors (exit 2, naming the
 * flag, the value and what is allowed).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './runCli.ts';
import { CLAIMS } from '../../experiments/claims/registry.ts';
import { VERDICTS } from '../../experiments/claims/claimTypes.ts';
import { claimedExperiments, copyQuickResults, quickResults } from '../experiments/claims/quickResults.ts';

let quick: string;
const temp: string[] = [];
const tempDir = (label: string): string => {
  const d = mkdtempSync(join(tmpdir(), `svcpath-claims-${label}-`));
  temp.push(d);
  return d;
};

beforeAll(async () => {
  quick = await quickResults();
}, 300_000);
afterAll(() => {
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

const REQUIRED = ['id', 'question', 'claim', 'claimedValue', 'verdict', 'modelValue', 'unit', 'experiment', 'metric', 'rule', 'explanation', 'sources'];

describe('svcpath claims', () => {
  it('--json prints every claim with its computed verdict and evidence', async () => {
    const r = await runCli(['claims', '--json', '--results', quick]);
    expect(r.status, r.stderr).toBe(0);
    const claims = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(claims.length).toBe(CLAIMS.length);
    expect(claims.length).toBeGreaterThanOrEqual(30);
    for (const c of claims) {
      for (const k of REQUIRED) expect(c, `${String(c.id)}.${k}`).toHaveProperty(k);
      expect(VERDICTS).toContain(c.verdict);
      expect(c.rule).toEqual(expect.any(String));
    }
    const perPacket = claims.find((c) => c.id === 'q1-iptables-per-packet-latency')!;
    expect(perPacket).toMatchObject({ experiment: 'service-scaling', metric: 'lookupNsPerPacket_mean', unit: 'µs', modelValue: expect.any(Number) });
  });

  it('--question and --verdict filter the claims, alone and together', async () => {
    const [q3, wrong, both] = await Promise.all([
      runCli(['claims', '--json', '--results', quick, '--question', '3']),
      runCli(['claims', '--json', '--results', quick, '--verdict', 'wrong']),
      runCli(['claims', '--json', '--results', quick, '--question', '2', '--verdict', 'wrong']),
    ]);
    const parse = (s: string) => JSON.parse(s) as { id: string; question: number; verdict: string }[];
    expect(parse(q3.stdout).map((c) => c.id)).toEqual(CLAIMS.filter((c) => c.question === 3).map((c) => c.id));
    expect(parse(wrong.stdout).length).toBeGreaterThan(0);
    expect(parse(wrong.stdout).every((c) => c.verdict === 'wrong')).toBe(true);
    expect(parse(both.stdout).length).toBeGreaterThan(0);
    expect(parse(both.stdout).every((c) => c.question === 2 && c.verdict === 'wrong')).toBe(true);
  });

  it('prints a table: the verdict counts first, one row per claim, then where the rules and explanations are', async () => {
    const r = await runCli(['claims', '--results', quick]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${CLAIMS.length} claims against .+: \\d+ supported, \\d+ wrong`));
    expect(lines[2]).toMatch(/^id +Q +verdict +claimed +model \/ source +evidence$/);
    for (const c of CLAIMS) expect(r.stdout).toMatch(new RegExp(`^${c.id} +${c.question} +[a-z-]+ `, 'm'));
    expect(r.stdout).toContain('svcpath claims --json');
  });

  it('says which results are missing or stale, on stdout with the table and on stderr with --json', async () => {
    const dir = tempDir('partial');
    const [kept, ...others] = claimedExperiments();
    await copyQuickResults(dir, [kept!, others[0]!]);
    // A stale folder: the manifest of another version of the code.
    const manifest = join(dir, others[0]!, 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), code: 'an-older-model' }));

    const table = await runCli(['claims', '--results', dir]);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toContain(`${others[0]} (stale)`);
    expect(table.stdout).toContain(`${others[1]} (missing)`);
    expect(table.stdout).not.toContain(`${kept} (`);
    expect(table.stdout).toContain('--run-missing');

    const json = await runCli(['claims', '--json', '--results', dir]);
    expect(json.status).toBe(0);
    expect(() => JSON.parse(json.stdout)).not.toThrow();
    expect(json.stderr).toContain(`${others[1]} (missing)`);
    const claims = JSON.parse(json.stdout) as { verdict: string; verdictReason: string; results: { experiment: string; status: string }[] }[];
    const waiting = claims.filter((c) => c.results.some((x) => x.experiment === others[1]));
    expect(waiting.length).toBeGreaterThan(0);
    for (const c of waiting) expect(c.verdict).toBe('pending');
  });

  it('--run-missing runs the missing experiments in quick mode, then every claim has its verdict', async () => {
    const dir = tempDir('run-missing');
    const all = claimedExperiments();
    // l7-proxy's quick mode takes a few seconds; everything else is copied in.
    const missing = all.includes('l7-proxy') ? 'l7-proxy' : all[0]!;
    await copyQuickResults(dir, all.filter((n) => n !== missing));
    const r = await runCli(['claims', '--run-missing', '--workers', '1', '--results', dir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`running ${missing} in quick mode`);
    for (const other of all.filter((n) => n !== missing)) expect(r.stderr).not.toContain(`running ${other} `);
    expect(JSON.parse(readFileSync(join(dir, missing, 'manifest.json'), 'utf8'))).toMatchObject({ name: missing, quick: true });
    const claims = JSON.parse(r.stdout) as { id: string; verdict: string; experiment: string | null }[];
    for (const c of claims.filter((x) => x.experiment === missing)) expect([c.id, c.verdict]).not.toEqual([c.id, 'pending']);
    expect(r.stderr).not.toContain(`${missing} (missing)`);
  }, 120_000);

  it.each([
    [['--question', '0'], /--question: expected an integer in \[1, 8\], got "0"/],
    [['--question', '9'], /--question: expected an integer in \[1, 8\], got "9"/],
    [['--question', 'three'], /--question: expected an integer in \[1, 8\], got "three"/],
    [['--verdict', 'maybe'], /--verdict: "maybe" is not allowed; allowed: supported, wrong, misleading, unsupported, out-of-scope, pending/],
    [['--results', '/nonexistent/svcpath'], /--results: "\/nonexistent\/svcpath" does not exist; allowed: an existing results folder/],
    [['--workers', '2'], /--workers: only used with --run-missing/],
    [['--run-missing', '--workers', '0'], /--workers: expected an integer in \[1, \d+\], got "0"/],
    [['--colour'], /unknown flag --colour; allowed: --question, --verdict, --results, --workers, --json, --run-missing/],
  ])('exits 2 on %j, naming the flag, the value and what is allowed', async (args, message) => {
    const r = await runCli(['claims', ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('usage: svcpath claims');
  });

  it('rejects a --results that is a file', async () => {
    const dir = tempDir('file');
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const r = await runCli(['claims', '--results', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--results: "${file}" is not a directory`);
  });

  it('--help describes the verdicts and every flag', async () => {
    const r = await runCli(['claims', '--help']);
    expect(r.status).toBe(0);
    for (const s of [...VERDICTS, '--json', '--question', '--verdict', '--results', '--run-missing', '--workers']) expect(r.stdout).toContain(s);
  });
});
