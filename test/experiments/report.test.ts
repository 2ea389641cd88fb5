import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC, type Table } from 'apache-arrow';
import { chromium } from 'playwright-core';
import type { TopLevelSpec } from 'vega-lite';
import { renderChart, arrowRows } from '../../experiments/lib/charts.ts';
import { REPORT_MAX_TABLE_ROWS, writeReport } from '../../experiments/lib/report.ts';
import { runCli } from '../cli/runCli.ts';
import { CLAIMS } from '../../experiments/claims/registry.ts';
import { FACTS } from '../../experiments/claims/facts.ts';
import { SEED_QUESTIONS } from '../../experiments/claims/seedQuestions.ts';
import { calibrationTable } from '../../model/calibration/index.ts';
import { cp } from 'node:fs/promises';
import { claimedExperiments, quickResults } from './claims/quickResults.ts';

const CHROMIUM = '/usr/bin/chromium';
/** The page's document as the browser-side callbacks use it (the test compiles without the DOM library). */
type PageGlobals = { document: { getElementById(id: string): { tagName: string } | null; documentElement: { clientWidth: number } } };
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let resultsDir: string;

async function writeArrow(path: string, table: Table): Promise<void> {
  await writeFile(path, tableToIPC(table, 'file'));
}

/**
 * A results folder as the runner leaves it: "mm1-wait" (summary, runs, theory tables, two charts,
 * pre-rendered images), "big-sweep" (a summary longer than the page shows), "broken" (a chart
 * naming a table that is not there), plus a folder without a manifest, which is not an experiment.
 */
async function buildResults(dir: string): Promise<void> {
  const mm1 = join(dir, 'mm1-wait');
  await mkdir(mm1, { recursive: true });
  const rhos = [0.1, 0.3, 0.5, 0.7, 0.9];
  const lookups = ['iptables', 'nftables'];
  const summary = tableFromArrays({
    rho: Float64Array.from(lookups.flatMap(() => rhos)),
    lookup: lookups.flatMap((l) => rhos.map(() => l)),
    meanWaitSec: Float64Array.from(lookups.flatMap((l, j) => rhos.map((r) => (r / (1 - r)) * (1 + 0.03 * j)))),
    meanWaitSecCi95HalfWidth: Float64Array.from(lookups.flatMap(() => rhos.map((r) => 0.02 + 0.1 * (r / (1 - r))))),
    replications: BigInt64Array.from(lookups.flatMap(() => rhos.map(() => 5n))),
  });
  const runs = tableFromArrays({
    rho: Float64Array.from({ length: 50 }, (_, i) => rhos[i % 5]!),
    replication: Int32Array.from({ length: 50 }, (_, i) => Math.floor(i / 10)),
    lookup: Array.from({ length: 50 }, (_, i) => lookups[Math.floor(i / 5) % 2]!),
    meanWaitSec: Float64Array.from({ length: 50 }, (_, i) => (rhos[i % 5]! / (1 - rhos[i % 5]!)) * (0.9 + 0.02 * (i % 10))),
  });
  const theory = tableFromArrays({
    rho: Float64Array.from({ length: 41 }, (_, i) => 0.05 + i * 0.0225),
    waitSec: Float64Array.from({ length: 41 }, (_, i) => (0.05 + i * 0.0225) / (1 - (0.05 + i * 0.0225))),
  });
  await writeArrow(join(mm1, 'summary.arrow'), summary);
  await writeArrow(join(mm1, 'runs.arrow'), runs);
  await writeArrow(join(mm1, 'theory.arrow'), theory);
  await writeFile(
    join(mm1, 'manifest.json'),
    JSON.stringify({
      name: 'mm1-wait',
      question: 'Does the simulated M/M/1 wait <match> the closed form?',
      gitRevision: 'abc1234',
      timings: { startedAt: '2026-01-01T00:00:00Z', wallSec: 12.5 },
      seeds: [0, 1, 2, 3, 4],
    }),
  );
  // Points with their 95% intervals over the summary, and the closed form from a table of its own.
  const rho = { field: 'rho', type: 'quantitative' } as const;
  const lookup = { field: 'lookup', type: 'nominal' } as const;
  const waitSpec: TopLevelSpec = {
    layer: [
      { data: { name: 'theory' }, mark: 'line', encoding: { x: rho, y: { field: 'waitSec', type: 'quantitative' } } },
      {
        data: { name: 'summary' },
        transform: [
          { calculate: 'datum.meanWaitSec - datum.meanWaitSecCi95HalfWidth', as: 'low' },
          { calculate: 'datum.meanWaitSec + datum.meanWaitSecCi95HalfWidth', as: 'high' },
        ],
        layer: [
          { mark: 'rule', encoding: { x: rho, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color: lookup } },
          { mark: { type: 'point', filled: true }, encoding: { x: rho, y: { field: 'meanWaitSec', type: 'quantitative' }, color: lookup } },
        ],
      },
    ],
  };
  const runsSpec: TopLevelSpec = {
    data: { name: 'runs' },
    mark: 'point',
    encoding: { x: { field: 'rho', type: 'quantitative' }, y: { field: 'meanWaitSec', type: 'quantitative' }, color: { field: 'lookup', type: 'nominal' } },
  };
  await writeFile(join(mm1, 'chart-wait.vl.json'), JSON.stringify(waitSpec));
  await writeFile(join(mm1, 'chart-runs.vl.json'), JSON.stringify(runsSpec));
  const rendered = await renderChart(waitSpec, { summary: arrowRows(summary), theory: arrowRows(theory) });
  await writeFile(join(mm1, 'chart-wait.svg'), rendered.svg);
  await writeFile(join(mm1, 'chart-wait.png'), rendered.png);

  const big = join(dir, 'big-sweep');
  await mkdir(big);
  const n = REPORT_MAX_TABLE_ROWS + 5;
  await writeArrow(
    join(big, 'summary.arrow'),
    tableFromArrays({ serviceCount: Float64Array.from({ length: n }, (_, i) => i + 1), p99LatencyNs: Float64Array.from({ length: n }, (_, i) => 1000 + Math.sqrt(i)) }),
  );
  await writeFile(join(big, 'manifest.json'), JSON.stringify({ name: 'big-sweep', question: 'How does p99 grow with Services?' }));
  await writeFile(
    join(big, 'chart.vl.json'),
    JSON.stringify({ data: { name: 'summary' }, mark: 'line', encoding: { x: { field: 'serviceCount', type: 'quantitative' }, y: { field: 'p99LatencyNs', type: 'quantitative' } } }),
  );

  const broken = join(dir, 'broken');
  await mkdir(broken);
  await writeFile(join(broken, 'manifest.json'), JSON.stringify({ name: 'broken' }));
  await writeFile(join(broken, 'chart-x.vl.json'), JSON.stringify({ data: { name: 'nosuch' }, mark: 'point' }));

  await mkdir(join(dir, 'shard-0'));
  await writeFile(join(dir, 'shard-0', 'runs.arrow'), 'not an experiment folder');
}

beforeAll(async () => {
  resultsDir = await mkdtemp(join(tmpdir(), 'svcpath-report-'));
  await buildResults(resultsDir);
});
afterAll(async () => {
  await rm(resultsDir, { recursive: true, force: true });
});

describe('writeReport(resultsDir)', () => {
  it('writes index.html atomically with one section per experiment folder, tables and links', async () => {
    const path = await writeReport(resultsDir);
    expect(path).toBe(join(resultsDir, 'index.html'));
    expect((await readdir(resultsDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const html = await readFile(path, 'utf8');

    const sections = [...html.matchAll(/<section class="experiment" id="([^"]+)">/g)].map((m) => m[1]);
    expect(sections).toEqual(['big-sweep', 'broken', 'mm1-wait']);
    expect(html).toContain('Does the simulated M/M/1 wait &lt;match&gt; the closed form?');
    expect(html).toContain('<th>timings.wallSec</th><td>12.5</td>');
    // Links only to files that exist.
    for (const f of ['summary.arrow', 'runs.arrow', 'theory.arrow', 'manifest.json', 'chart-wait.vl.json', 'chart-wait.svg', 'chart-wait.png']) {
      expect(html).toContain(`href="mm1-wait/${f}"`);
    }
    expect(html).not.toContain('href="mm1-wait/runs.parquet"');
    expect(html).not.toContain('href="mm1-wait/chart-runs.svg"');
    // The long summary is cut in the page, with a note.
    expect(html).toContain(`First ${REPORT_MAX_TABLE_ROWS} of ${REPORT_MAX_TABLE_ROWS + 5} rows`);
    // The broken chart is reported in place.
    expect(html).toContain('dataset &quot;nosuch&quot;: there is no nosuch.arrow');
    // No address the browser could fetch: no src=, no <link>, no http(s) in attributes.
    expect(html).not.toMatch(/<script[^>]+src=|<link /);
    expect(html).not.toMatch(/(?:href|src)="https?:/);
  });

  it('opens with the findings (every claim, with its verdict), one section per seed question, then experiments, calibration, facts and manifests', async () => {
    const html = await readFile(await writeReport(resultsDir), 'utf8');
    const order = ['id="findings"', 'id="questions"', 'id="experiments"', 'id="calibration"', 'id="facts"', 'id="manifests"'].map((m) => html.indexOf(m));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const claimRows = [...html.matchAll(/<tr id="claim-([^"]+)" data-question="(\d)" data-verdict="([a-z-]+)">/g)];
    expect(claimRows.map((m) => m[1])).toEqual(CLAIMS.map((c) => c.id));
    // This folder holds none of the experiments the claims read: those claims wait for their results.
    const byId = new Map(claimRows.map((m) => [m[1]!, m[3]!]));
    expect(byId.get('q1-iptables-per-packet-latency')).toBe('pending');
    expect(byId.get('q1-round-robin-endpoints')).toBe('wrong');
    expect(html).toContain('Results missing or stale:');
    expect([...html.matchAll(/<section class="seed-question" id="question-(\d)">/g)].map((m) => Number(m[1]))).toEqual(SEED_QUESTIONS.map((q) => q.number));
    expect([...html.matchAll(/<tr id="calibration-/g)]).toHaveLength(calibrationTable.length);
    expect([...html.matchAll(/<tr id="fact-/g)]).toHaveLength(FACTS.length);
    for (const dir of ['big-sweep', 'broken', 'mm1-wait']) expect(html).toContain(`<details id="manifest-${dir}">`);
  });

  it('is byte-identical when written twice from the same results', async () => {
    const a = await readFile(await writeReport(resultsDir), 'utf8');
    const b = await readFile(await writeReport(resultsDir), 'utf8');
    expect(a === b).toBe(true);
  });

  it.skipIf(!existsSync(CHROMIUM))(
    `renders every chart in headless Chromium with no request leaving the page (needs ${CHROMIUM}: apt-get install chromium)`,
    async () => {
      const path = await writeReport(resultsDir);
      const userDataDir = await mkdtemp(join(tmpdir(), 'svcpath-chromium-'));
      const browser = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
      try {
        const requested: string[] = [];
        const offline = (url: string): boolean => /^(file|data|blob|about):/.test(url);
        await browser.route('**/*', (route) => (offline(route.request().url()) ? route.continue() : route.abort()));
        const page = await browser.newPage();
        page.on('request', (r) => requested.push(r.url()));
        const problems: string[] = [];
        page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
        });

        await page.goto(pathToFileURL(path).href);
        await page.waitForSelector('body[data-charts="done"]', { timeout: 20_000 });

        const charts = await page.$$eval('.chart-view[data-chart]', (els) =>
          els.map((el) => ({ status: el.getAttribute('data-status'), drawn: el.querySelector('svg.marks, canvas') !== null, text: el.textContent?.slice(0, 200) })),
        );
        expect(charts).toHaveLength(3); // big-sweep/chart, mm1-wait/chart-runs, mm1-wait/chart-wait
        for (const c of charts) expect(c).toMatchObject({ status: 'ok', drawn: true });
        // The chart-wait view draws the points, the error bars and the closed-form line.
        const waitMarks = await page.$$eval('#mm1-wait .chart-view[data-chart] svg.marks', (svgs) =>
          svgs.map((s) => ['mark-symbol', 'mark-rule', 'mark-line'].filter((m) => s.querySelector(`g.${m}.role-mark`) !== null)),
        );
        expect(waitMarks).toContainEqual(['mark-symbol', 'mark-rule', 'mark-line']);
        expect(await page.$$eval('.chart-view[data-status="error"]', (els) => els.length)).toBe(1); // "broken"
        expect(problems).toEqual([]);
        expect(requested.filter((u) => !offline(u))).toEqual([]);
        expect(await page.evaluate(() => (globalThis as unknown as { svcpathCspViolations: string[] }).svcpathCspViolations)).toEqual([]);

        // Every in-page link of the findings and question sections lands on an element of the page.
        const dangling = await page.$$eval('#findings a[href^="#"], #questions a[href^="#"], nav.parts a', (as) =>
          as.map((a) => a.getAttribute('href')!.slice(1)).filter((id) => (globalThis as unknown as PageGlobals).document.getElementById(id) === null),
        );
        expect(dangling).toEqual([]);
        // The filters hide the claims of other questions and verdicts.
        await page.selectOption('#filter-question', '3');
        const shown = await page.$$eval('#claims-table tbody tr:not([hidden])', (rows) => rows.map((r) => r.getAttribute('data-question')));
        expect(shown.length).toBe(CLAIMS.filter((c) => c.question === 3).length);
        expect(new Set(shown)).toEqual(new Set(['3']));
        await page.selectOption('#filter-verdict', 'wrong');
        const both = await page.$$eval('#claims-table tbody tr:not([hidden])', (rows) => rows.map((r) => [r.getAttribute('data-question'), r.getAttribute('data-verdict')]));
        expect(both.length).toBeGreaterThan(0);
        expect(both.every(([q, v]) => q === '3' && v === 'wrong')).toBe(true);
        expect(problems).toEqual([]);

        // The guard is live: a fetch to the network is blocked by the page's own policy.
        await page.evaluate(() => fetch('http://192.0.2.1/x').catch(() => undefined));
        expect(await page.evaluate(() => (globalThis as unknown as { svcpathCspViolations: string[] }).svcpathCspViolations)).toHaveLength(1);
      } finally {
        await browser.close();
        await rm(userDataDir, { recursive: true, force: true });
      }
    },
  );
});

describe('svcpath report', () => {
  it('writes the report for --results DIR and prints its path', async () => {
    const r = await runCli(['report', '--results', resultsDir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${join(resultsDir, 'index.html')}\n`);
  });

  it('rejects a --results that is not a directory with exit 2, naming it', async () => {
    const r = await runCli(['report', '--results', join(resultsDir, 'nosuch')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^svcpath report: error: --results: ".*nosuch" is not a directory/);
  });
});

describe('the report over real results (the experiments the claims read, in quick mode)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'svcpath-report-quick-'));
    const quick = await quickResults();
    for (const name of claimedExperiments()) await cp(join(quick, name), join(dir, name), { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!existsSync(CHROMIUM))(
    'renders every chart (the key charts of the questions too), every claim link lands on its chart, summary row, fact or calibration row, no console error, no request',
    async () => {
      const path = await writeReport(dir);
      const html = await readFile(path, 'utf8');
      // Each experiment's written answer sits under its question.
      for (const name of claimedExperiments()) {
        expect(html, name).toMatch(new RegExp(`<section class="experiment" id="${name}">\\n<h2>[^<]*</h2>\\n<p class="question">[^<]*</p>\\n<p class="answer"><b>What it shows.</b> `));
      }
      const userDataDir = await mkdtemp(join(tmpdir(), 'svcpath-chromium-'));
      const browser = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
      try {
        const requested: string[] = [];
        const offline = (url: string): boolean => /^(file|data|blob|about):/.test(url);
        await browser.route('**/*', (route) => (offline(route.request().url()) ? route.continue() : route.abort()));
        const page = await browser.newPage();
        page.on('request', (r) => requested.push(r.url()));
        const problems: string[] = [];
        page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
        });
        await page.goto(pathToFileURL(path).href);
        await page.waitForSelector('body[data-charts="done"]', { timeout: 120_000 });

        const charts = await page.$$eval('.chart-view[data-chart]', (els) =>
          els.map((el) => ({ where: el.closest('section')?.id, status: el.getAttribute('data-status'), drawn: el.querySelector('svg.marks, canvas') !== null })),
        );
        for (const c of charts) expect(c).toMatchObject({ status: 'ok', drawn: true });
        const keyCharts = SEED_QUESTIONS.filter((q) => !('pending' in q.keyChart)).map((q) => `question-${q.number}`);
        for (const q of keyCharts) expect(charts.some((c) => c.where === q), q).toBe(true);

        const links = await page.$$eval('#claims-table tbody tr', (rows) =>
          rows.map((r) => ({
            id: r.id,
            verdict: r.getAttribute('data-verdict'),
            targets: [...r.querySelectorAll('td.links a[href^="#"]')].map((a) => {
              const id = a.getAttribute('href')!.slice(1);
              const el = (globalThis as unknown as PageGlobals).document.getElementById(id);
              return { id, exists: el !== null, tag: el?.tagName ?? null };
            }),
          })),
        );
        expect(links).toHaveLength(CLAIMS.length);
        for (const l of links) for (const t of l.targets) expect(t, `${l.id} -> #${t.id}`).toMatchObject({ exists: true });
        // Every claim settled by an experiment links to its chart (a figure) and to its summary rows
        // (a claim that needs the full run waits in quick mode, and says why).
        for (const c of CLAIMS) {
          const l = links.find((x) => x.id === `claim-${c.id}`)!;
          if (c.needsFullRun !== undefined) {
            expect(l.verdict, c.id).toBe('pending');
            continue;
          }
          if (c.test.kind === 'measure' && c.test.chart !== undefined) {
            expect(l.targets.some((t) => t.tag === 'FIGURE'), `${c.id}: chart`).toBe(true);
            expect(l.targets.some((t) => t.tag === 'TR' && t.id.includes('-row-')), `${c.id}: summary row`).toBe(true);
          }
          if (c.test.kind === 'measure' && c.test.measures.primary.kind === 'fact') expect(l.targets.some((t) => t.id.startsWith('fact-')), `${c.id}: fact`).toBe(true);
          if (c.test.kind === 'measure' && c.test.measures.primary.kind === 'calibration') expect(l.targets.some((t) => t.id.startsWith('calibration-')), `${c.id}: calibration`).toBe(true);
        }
        // Summary tables fit the page or scroll inside it.
        const overflow = await page.$$eval('.summary-wrap', (els) => els.map((e) => e.getBoundingClientRect().right <= (globalThis as unknown as PageGlobals).document.documentElement.clientWidth + 1));
        expect(overflow.every(Boolean)).toBe(true);
        expect(problems).toEqual([]);
        expect(requested.filter((u) => !offline(u))).toEqual([]);
        expect(await page.evaluate(() => (globalThis as unknown as { svcpathCspViolations: string[] }).svcpathCspViolations)).toEqual([]);
      } finally {
        await browser.close();
        await rm(userDataDir, { recursive: true, force: true });
      }
    },
    300_000,
  );
});
