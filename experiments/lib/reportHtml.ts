/**
 * The HTML of the offline report (report.ts gathers what goes in it). Everything is inline: the
 * vega, vega-lite and vega-embed browser builds, the chart specs and their rows as JSON script
 * blocks, and the CSS, so the page opens from a file:// URL with no network at all. The page has
 * no timestamp of its own: the same results give the same bytes.
 */
import type { ChartRow } from './charts.ts';
import { anchors, chartName } from './reportAnchors.ts';

export interface ReportChart {
  /** File name of the spec, e.g. "chart-wait.vl.json". */
  file: string;
  /** The spec ready to embed (font set, datasets bound at load time), or absent with an error. */
  spec?: unknown;
  /** Dataset names the spec uses, looked up in the experiment's data block. */
  datasets: string[];
  error?: string;
  /** Links to the pre-rendered images, relative to the report, if they exist. */
  svgHref?: string;
  pngHref?: string;
}

export interface ReportTable {
  file: string;
  columns: string[];
  rows: ChartRow[];
  totalRows: number;
}

export interface ReportSection {
  /** The experiment's folder name (also its anchor). */
  dir: string;
  title: string;
  question?: string;
  /** The experiment's written answer (manifest.json `answer`), if it has one. */
  answer?: string;
  /** Flattened scalar facts from manifest.json (name, git revision, timings, ...). */
  facts: [string, string][];
  manifestJson: string;
  charts: ReportChart[];
  summary?: ReportTable;
  /** Rows of every dataset a chart of this experiment uses. */
  data: Record<string, ChartRow[]>;
  /** Links to the data files that exist: [label, href]. */
  files: [string, string][];
}

export interface ReportBundle {
  name: string;
  version: string;
  code: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that can sit inside <script type="application/json"> whatever strings it holds. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** A browser build inside <script>: a literal "</script" would end the element early. */
function scriptCode(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** Table cells: integers as they are, other numbers to 4 significant digits. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
    return String(Number(value.toPrecision(4)));
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The ids of an experiment section's data block and chart spec blocks (the question sections re-use them). */
export const dataBlockId = (index: number): string => `exp-${index}-data`;
export const specBlockId = (index: number, chart: number): string => `exp-${index}-spec-${chart}`;

/** A summary table; with `rowAnchor`, each row whose `point` is a number gets that id (links from the findings land there). */
function tableHtml(t: ReportTable, rowAnchor?: (point: number) => string): string {
  const numeric = t.columns.map((c) => t.rows.length > 0 && t.rows.every((r) => r[c] === null || typeof r[c] === 'number'));
  const head = t.columns.map((c, i) => `<th${numeric[i] ? ' class="num"' : ''}>${escapeHtml(c)}</th>`).join('');
  const body = t.rows
    .map((r) => {
      const id = rowAnchor !== undefined && typeof r.point === 'number' ? ` id="${escapeHtml(rowAnchor(r.point))}"` : '';
      return `<tr${id}>${t.columns.map((c, i) => `<td${numeric[i] ? ' class="num"' : ''}>${escapeHtml(formatCell(r[c]))}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const note =
    t.rows.length < t.totalRows ? `<p class="note">First ${t.rows.length} of ${t.totalRows} rows; all of them are in ${escapeHtml(t.file)}.</p>` : '';
  return `<div class="table-wrap summary-wrap"><table class="summary"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>${note}`;
}

function sectionHtml(s: ReportSection, index: number): string {
  const charts = s.charts
    .map((c, j) => {
      const images = [c.svgHref && `<a href="${escapeHtml(c.svgHref)}">SVG</a>`, c.pngHref && `<a href="${escapeHtml(c.pngHref)}">PNG</a>`]
        .filter(Boolean)
        .join(' · ');
      const caption = `<figcaption>${escapeHtml(c.file)}${images ? ` · ${images}` : ''}</figcaption>`;
      const figureId = escapeHtml(anchors.chart(s.dir, chartName(c.file)));
      if (c.spec === undefined) {
        return `<figure class="chart" id="${figureId}"><div class="chart-view" data-status="error">${escapeHtml(c.error ?? 'no spec')}</div>${caption}</figure>`;
      }
      const specId = specBlockId(index, j);
      return [
        `<figure class="chart" id="${figureId}">`,
        `<div class="chart-view" data-chart data-spec="${specId}" data-data="${dataBlockId(index)}" data-datasets="${escapeHtml(c.datasets.join(','))}" data-status="pending"></div>`,
        caption,
        `<script type="application/json" id="${specId}">${scriptJson(c.spec)}</script>`,
        `</figure>`,
      ].join('\n');
    })
    .join('\n');
  const files = s.files.map(([label, href]) => `<li><a href="${escapeHtml(href)}">${escapeHtml(label)}</a></li>`).join('');
  return [
    `<section class="experiment" id="${escapeHtml(s.dir)}">`,
    `<h2>${escapeHtml(s.title)}</h2>`,
    s.question ? `<p class="question">${escapeHtml(s.question)}</p>` : '',
    s.answer ? `<p class="answer"><b>What it shows.</b> ${escapeHtml(s.answer)}</p>` : '',
    charts,
    s.summary ? `<h3>Summary <span class="note">(${escapeHtml(s.summary.file)})</span></h3>\n${tableHtml(s.summary, (p) => anchors.row(s.dir, p))}` : '',
    `<h3>Files</h3><ul class="files">${files}</ul>`,
    `<p class="note"><a href="#${escapeHtml(anchors.manifest(s.dir))}">Manifest</a> (parameters, seeds, versions, timings) at the end of the page.</p>`,
    `<script type="application/json" id="${dataBlockId(index)}">${scriptJson(s.data)}</script>`,
    `</section>`,
  ]
    .filter((x) => x !== '')
    .join('\n');
}

const CSS = `
body { font-family: system-ui, "DejaVu Sans", sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
h1 { margin-bottom: 0.2rem; } h2 { border-top: 1px solid #ddd; padding-top: 1.5rem; margin-top: 2.5rem; }
.question { font-size: 1.1rem; font-style: italic; }
.note { color: #666; font-size: 0.9rem; font-weight: normal; }
figure.chart { margin: 1rem 0; } figcaption { color: #666; font-size: 0.85rem; }
.chart-view[data-status="error"] { color: #a00; white-space: pre-wrap; border: 1px solid #a00; padding: 0.5rem; }
.table-wrap { overflow: auto; max-height: 32rem; border: 1px solid #eee; }
.table-wrap thead th { position: sticky; top: 0; background: #fff; box-shadow: 0 1px 0 #ddd; }
.claims-wrap { max-height: 48rem; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border-bottom: 1px solid #eee; padding: 0.2rem 0.6rem; text-align: left; vertical-align: top; }
tr:target, figure:target, section:target > h3 { background: #fff6d5; }
nav.parts a { margin-right: 0.8rem; }
.answer { background: #f4f8fb; border-left: 3px solid #6a9fc9; padding: 0.5rem 0.8rem; }
.situation { color: #444; font-style: italic; }
.verdict, .count { display: inline-block; border-radius: 3px; padding: 0 0.4rem; font-size: 0.8rem; white-space: nowrap; border: 1px solid transparent; }
button.count { cursor: pointer; font: inherit; font-size: 0.85rem; margin: 0 0.3rem 0.3rem 0; }
.v-supported { background: #dff3e1; border-color: #7bbf83; } .v-wrong { background: #f9dcdc; border-color: #d27b7b; }
.v-misleading { background: #fbecd2; border-color: #d9a550; } .v-unsupported { background: #ece4f5; border-color: #a38cc4; }
.v-out-of-scope { background: #eeeeee; border-color: #aaaaaa; } .v-pending { background: #e3eef9; border-color: #87a9cf; }
.filters { margin: 0.6rem 0; } .filters select { font: inherit; }
table.claims { width: 100%; } table.claims td:nth-child(3) { min-width: 17rem; } table.claims td:nth-child(4), table.claims td:nth-child(5) { max-width: 11rem; } table.claims q { font-style: italic; }
td.links { font-size: 0.8rem; overflow-wrap: anywhere; min-width: 9rem; }
ul.sources { margin: 0.2rem 0; padding-left: 1.2rem; font-size: 0.8rem; color: #555; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.facts th { font-weight: normal; color: #555; }
pre { background: #f7f7f7; padding: 0.8rem; overflow-x: auto; font-size: 0.8rem; }
`;

/**
 * Renders every pending chart with vega-embed (SVG renderer), binding the named datasets from the
 * experiment's data block, and marks each container data-status="ok" or "error"; when all are
 * done, <body data-charts="done">. Anything the page's Content-Security-Policy blocks (a request to
 * the network, say) is collected in window.svcpathCspViolations.
 */
const WATCH_CSP = `
window.svcpathCspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.svcpathCspViolations.push(e.blockedURI + ' (' + e.violatedDirective + ')'));
`;

const CLIENT = `
(async () => {
  const dataCache = new Map();
  const dataOf = (id) => {
    if (!dataCache.has(id)) dataCache.set(id, JSON.parse(document.getElementById(id).textContent));
    return dataCache.get(id);
  };
  for (const el of document.querySelectorAll('[data-chart]')) {
    try {
      const spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
      const data = dataOf(el.dataset.data);
      const datasets = Object.assign({}, spec.datasets);
      for (const name of el.dataset.datasets.split(',').filter(Boolean)) datasets[name] = data[name];
      spec.datasets = datasets;
      await vegaEmbed(el, spec, { mode: 'vega-lite', renderer: 'svg', actions: { export: true, source: true, compiled: false, editor: false } });
      el.dataset.status = 'ok';
    } catch (e) {
      el.dataset.status = 'error';
      el.textContent = 'This chart failed to render: ' + (e && e.message ? e.message : String(e));
    }
  }
  document.body.dataset.charts = 'done';
})();
`;

/** The parts around the experiment sections, each already HTML (report.ts builds them). */
export interface ReportParts {
  /** What svcpath found: the claims, first in the page. */
  findings?: string;
  /** One section per seed question. */
  questions?: string;
  /** Links to the capacity plans in the results folder (svcpath plan), each a page of its own. */
  plans?: string;
  /** After the experiments: calibration table, facts, manifests. */
  provenance?: string;
  /** More client code, run after the charts' loader is set up. */
  script?: string;
}

export function reportHtml(sections: readonly ReportSection[], bundles: readonly ReportBundle[], parts: ReportParts = {}): string {
  const toc = sections.length
    ? `<ul class="toc">${sections.map((s) => `<li><a href="#${escapeHtml(s.dir)}">${escapeHtml(s.title)}</a>${s.question ? ` — ${escapeHtml(s.question)}` : ''}</li>`).join('')}</ul>`
    : '<p>No results yet: run an experiment (<code>npm start</code> or <code>svcpath run NAME</code>), then <code>npm run report</code>.</p>';
  const versions = bundles.map((b) => `${b.name} ${b.version}`).join(', ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Belt and braces: the page needs nothing from the network, so the browser may fetch nothing.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>svcpath results</title>',
    `<style>${CSS}</style>`,
    `<script>${WATCH_CSP}</script>`,
    ...bundles.map((b) => `<script>/* ${b.name} ${b.version} */\n${scriptCode(b.code)}\n</script>`),
    '</head>',
    '<body>',
    '<h1>svcpath results</h1>',
    `<p class="note">Offline report: the data and the chart libraries (${escapeHtml(versions)}) are inside this file. Links to data files are relative to it.</p>`,
    `<nav class="parts">${[
      parts.findings ? '<a href="#findings">What svcpath found</a>' : '',
      parts.questions ? '<a href="#questions">The seed\'s questions</a>' : '',
      parts.plans ? '<a href="#plans">Capacity plans</a>' : '',
      '<a href="#experiments">Experiments</a>',
      parts.provenance ? '<a href="#calibration">Calibration</a><a href="#facts">Sourced facts</a><a href="#manifests">Manifests</a>' : '',
    ].join('')}</nav>`,
    parts.findings ?? '',
    parts.questions ?? '',
    parts.plans ?? '',
    `<section id="experiments">`,
    `<h2>Experiments</h2>`,
    toc,
    ...sections.map(sectionHtml),
    `</section>`,
    parts.provenance ?? '',
    `<script>${CLIENT}</script>`,
    parts.script ? `<script>${scriptCode(parts.script)}</script>` : '',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
