/**
 * The offline HTML report over a results folder. It opens with what svcpath found: the seed's
 * claims with verdicts computed from these results (experiments/claims), filterable, each linked to
 * the chart and summary rows behind it, and one section per seed question with its key chart and a
 * plain answer. Then one section per `<dir>/manifest.json` with the question, the experiment's
 * written answer, every `chart*.vl.json` drawn by vega-embed from the rows of the named Arrow
 * tables (`summary` from summary.arrow, `runs` from runs.arrow, any `<name>` from `<name>.arrow`),
 * the summary table and links to the data files; then the calibration table, the sourced facts
 * and every manifest. The page needs no network, and nothing is run: it reads what is there.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomicSync } from './atomicWrite.ts';
import { arrowRows, datasetNames, firstDataUrl, withChartFont, type ChartRow } from './charts.ts';
import { vegaBrowserBundles } from './reportAssets.ts';
import { dataBlockId, reportHtml, specBlockId, type ReportChart, type ReportSection, type ReportTable } from './reportHtml.ts';
import { chartName } from './reportAnchors.ts';
import { findingsHtml, questionsHtml, FINDINGS_CLIENT, type FindingsContext, type KeyChartRef } from './reportFindings.ts';
import { calibrationHtml, factsHtml, manifestsHtml } from './reportProvenance.ts';
import { PLAN_FILE, planLinksHtml } from './planReport.ts';

/** Rows of the summary table shown in the page; the rest stay in the file. */
export const REPORT_MAX_TABLE_ROWS = 1000;

const CHART_RE = /^chart(-.+)?\.vl\.json$/;

/** Data files linked first in each section, in this order, when they exist; other tables and the chart specs follow. */
const DATA_FILES = ['summary.arrow', 'summary.parquet', 'runs.arrow', 'runs.parquet', 'manifest.json'];

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Scalars of the manifest, one level of nesting flattened ("timings.wallSec"); long arrays skipped. */
function manifestFacts(manifest: Record<string, unknown>): [string, string][] {
  const facts: [string, string][] = [];
  const add = (key: string, value: unknown, depth: number): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') facts.push([key, String(value)]);
    else if (Array.isArray(value)) {
      if (value.length <= 8 && value.every((v) => typeof v !== 'object')) facts.push([key, value.join(', ')]); // calibration-exempt: presentation: short lists are shown inline
    } else if (typeof value === 'object' && depth < 1) {
      for (const [k, v] of Object.entries(value)) add(`${key}.${k}`, v, depth + 1);
    }
  };
  for (const [k, v] of Object.entries(manifest)) if (k !== 'name' && k !== 'question' && k !== 'answer') add(k, v, 0);
  return facts;
}

async function readArrowRows(path: string): Promise<{ columns: string[]; rows: ChartRow[] }> {
  const table = tableFromIPC(await readFile(path));
  return { columns: table.schema.fields.map((f) => f.name), rows: arrowRows(table) };
}

async function readSection(resultsDir: string, dir: string): Promise<ReportSection> {
  const base = join(resultsDir, dir);
  const manifestText = await readFile(join(base, 'manifest.json'), 'utf8');
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(manifestText) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${join(base, 'manifest.json')} is not valid JSON: ${(e as Error).message}`);
  }
  const names = (await readdir(base)).sort();
  const href = (file: string): string => `${encodeURIComponent(dir)}/${encodeURIComponent(file)}`;

  const datasets = new Map<string, { columns: string[]; rows: ChartRow[] } | string>();
  const dataset = async (name: string): Promise<{ columns: string[]; rows: ChartRow[] } | string> => {
    let hit = datasets.get(name);
    if (hit === undefined) {
      const file = `${name}.arrow`;
      hit = (await isFile(join(base, file)))
        ? await readArrowRows(join(base, file)).catch((e: Error) => `dataset "${name}": ${file} could not be read: ${e.message}`)
        : `dataset "${name}": there is no ${file} in ${base}`;
      datasets.set(name, hit);
    }
    return hit;
  };

  const charts: ReportChart[] = [];
  const data: Record<string, ChartRow[]> = {};
  for (const file of names.filter((n) => CHART_RE.test(n))) {
    const stem = file.slice(0, -'.vl.json'.length);
    const chart: ReportChart = { file, datasets: [] };
    if (names.includes(`${stem}.svg`)) chart.svgHref = href(`${stem}.svg`);
    if (names.includes(`${stem}.png`)) chart.pngHref = href(`${stem}.png`);
    charts.push(chart);
    let spec: TopLevelSpec;
    try {
      spec = JSON.parse(await readFile(join(base, file), 'utf8')) as TopLevelSpec;
    } catch (e) {
      chart.error = `${file} is not valid JSON: ${(e as Error).message}`;
      continue;
    }
    const url = firstDataUrl(spec);
    if (url !== undefined) {
      chart.error = `${file} loads data from "${url}"; the report is offline, so charts use named datasets only`;
      continue;
    }
    chart.datasets = datasetNames(spec);
    const problems: string[] = [];
    for (const name of chart.datasets) {
      const d = await dataset(name);
      if (typeof d === 'string') problems.push(d);
      else data[name] = d.rows;
    }
    if (problems.length > 0) chart.error = `${file}: ${problems.join('; ')}`;
    else chart.spec = withChartFont(spec);
  }

  let summary: ReportTable | undefined;
  if (names.includes('summary.arrow')) {
    const s = await dataset('summary');
    if (typeof s !== 'string') {
      summary = { file: 'summary.arrow', columns: s.columns, rows: s.rows.slice(0, REPORT_MAX_TABLE_ROWS), totalRows: s.rows.length };
    }
  }

  const otherTables = names.filter((n) => /\.(arrow|parquet|csv)$/.test(n) && !DATA_FILES.includes(n));
  const files: [string, string][] = [
    ...DATA_FILES.filter((f) => names.includes(f)),
    ...otherTables,
    ...names.filter((n) => CHART_RE.test(n)),
  ].map((f) => [f, href(f)]);

  // A run on a user's cluster says so in its title; the written answer is about the typical node, so it is left out.
  const cluster = manifest.cluster as { profile?: unknown; nodeClass?: unknown } | undefined;
  const name = typeof manifest.name === 'string' ? manifest.name : dir;
  return {
    dir,
    title: cluster === undefined ? name : `${name} on cluster "${String(cluster.profile)}" (node class ${cluster.nodeClass === null ? 'none' : String(cluster.nodeClass)})`,
    ...(typeof manifest.question === 'string' ? { question: manifest.question } : {}),
    ...(typeof manifest.answer === 'string' && cluster === undefined ? { answer: manifest.answer } : {}),
    facts: manifestFacts(manifest),
    manifestJson: JSON.stringify(manifest, null, 2),
    charts,
    ...(summary ? { summary } : {}),
    data,
    files,
  };
}

/**
 * Writes `<resultsDir>/index.html`, an offline report of every experiment folder in `resultsDir`
 * (a folder counts when it holds manifest.json), and returns its path. The write is atomic. A
 * chart whose data is missing shows its error in the page instead of failing the report.
 *
 * @example
 * await writeReport('results'); // returns 'results/index.html'
 */
export async function writeReport(resultsDir: string): Promise<string> {
  const entries = await readdir(resultsDir, { withFileTypes: true });
  const dirs: string[] = [];
  const plans: string[] = [];
  for (const e of entries.filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    if (await isFile(join(resultsDir, e, 'manifest.json'))) dirs.push(e);
    else if ((await isFile(join(resultsDir, e, PLAN_FILE))) && (await isFile(join(resultsDir, e, 'index.html')))) plans.push(e);
  }
  const sections: ReportSection[] = [];
  for (const dir of dirs) sections.push(await readSection(resultsDir, dir));
  const { evaluateClaims } = await import('../claims/evaluate.ts');
  const evaluation = await evaluateClaims(resultsDir);
  const ctx = findingsContext(sections);
  const html = reportHtml(sections, vegaBrowserBundles(), {
    findings: findingsHtml(evaluation, ctx),
    questions: questionsHtml(evaluation, ctx),
    ...(plans.length === 0 ? {} : { plans: await planLinksHtml(resultsDir, plans) }),
    provenance: [calibrationHtml(), factsHtml(), manifestsHtml(sections)].join('\n'),
    script: FINDINGS_CLIENT,
  });
  const path = join(resultsDir, 'index.html');
  writeFileAtomicSync(path, html);
  return path;
}

/** The charts that rendered and the summary rows shown, by experiment folder: what the findings may link to. */
function findingsContext(sections: readonly ReportSection[]): FindingsContext {
  const charts = new Map<string, KeyChartRef>();
  const rows = new Map<string, Set<number>>();
  sections.forEach((s, i) => {
    s.charts.forEach((c, j) => {
      if (c.spec === undefined) return;
      charts.set(`${s.dir}/${chartName(c.file)}`, { specId: specBlockId(i, j), dataId: dataBlockId(i), datasets: c.datasets, caption: `${s.title}: ${c.file}` });
    });
    const points = new Set<number>();
    for (const r of s.summary?.rows ?? []) if (typeof r.point === 'number') points.add(r.point);
    rows.set(s.dir, points);
  });
  return { charts, rows };
}
