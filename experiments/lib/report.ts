/**
 * The offline HTML report over a results folder: one section per `<dir>/manifest.json` with the
 * question, every `chart*.vl.json` drawn by vega-embed from the rows of the named Arrow tables
 * (`summary` from summary.arrow, `runs` from runs.arrow, any `<name>` from `<name>.arrow`), the
 * summary table, links to the data files and the manifest. The page needs no network.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomicSync } from './atomicWrite.ts';
import { arrowRows, datasetNames, firstDataUrl, withChartFont, type ChartRow } from './charts.ts';
import { vegaBrowserBundles } from './reportAssets.ts';
import { reportHtml, type ReportChart, type ReportSection, type ReportTable } from './reportHtml.ts';

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
  for (const [k, v] of Object.entries(manifest)) if (k !== 'name' && k !== 'question') add(k, v, 0);
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

  return {
    dir,
    title: typeof manifest.name === 'string' ? manifest.name : dir,
    ...(typeof manifest.question === 'string' ? { question: manifest.question } : {}),
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
  for (const e of entries.filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    if (await isFile(join(resultsDir, e, 'manifest.json'))) dirs.push(e);
  }
  const sections: ReportSection[] = [];
  for (const dir of dirs) sections.push(await readSection(resultsDir, dir));
  const path = join(resultsDir, 'index.html');
  writeFileAtomicSync(path, reportHtml(sections, vegaBrowserBundles()));
  return path;
}
