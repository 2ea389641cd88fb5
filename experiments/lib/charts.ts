/**
 * Charts without a browser: a Vega-Lite spec plus named datasets becomes an SVG (Vega's headless
 * View, no canvas) and a PNG (resvg, with the DejaVu TTFs shipped in node_modules, never the
 * system's fonts). Text widths are Vega's estimate from the character count, so the layout is the
 * same on every machine, and the SVG is byte-identical for the same spec and rows.
 */
import { Resvg } from '@resvg/resvg-js';
import type { Table } from 'apache-arrow';
import { logger, parse, resetSVGDefIds, View, Warn, type Loader } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CHART_FONT_FAMILY, dejavuFontFiles } from './reportAssets.ts';

export type ChartRow = Record<string, unknown>;
export type ChartDatasets = Record<string, ChartRow[]>;

export interface RenderChartOptions {
  /** PNG pixels per SVG unit. __Default value:__ 2 */
  pngScale?: number;
}

export interface RenderedChart {
  svg: string;
  png: Uint8Array;
  /** Vega-Lite and Vega warnings (e.g. a field missing from the data); rendering went on. */
  warnings: string[];
}

/** A JSON-safe copy of one row: Arrow rows become plain objects, bigint becomes number. */
function plainRow(row: unknown): ChartRow {
  const source = (typeof (row as { toJSON?: unknown }).toJSON === 'function' ? (row as { toJSON(): unknown }).toJSON() : row) as ChartRow;
  const out: ChartRow = {};
  for (const [k, v] of Object.entries(source)) out[k] = typeof v === 'bigint' ? Number(v) : v;
  return out;
}

/** The rows of an Arrow table as plain objects (bigint → number, dictionary → string), for charts. */
export function arrowRows(table: Table): ChartRow[] {
  return table.toArray().map(plainRow);
}

/** Every `data: {name}` the spec refers to, at any depth (layers, concatenations, lookups). */
export function datasetNames(spec: unknown): string[] {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'datasets') continue;
      if (k === 'data' && v !== null && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string') {
        names.add((v as { name: string }).name);
      }
      visit(v);
    }
  };
  visit(spec);
  return [...names].sort();
}

/** The first `data: {url}` in the spec, at any depth; charts here never load URLs. */
export function firstDataUrl(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'datasets') continue;
    if (k === 'data' && v !== null && typeof v === 'object' && typeof (v as { url?: unknown }).url === 'string') return (v as { url: string }).url;
    const inner = firstDataUrl(v);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/**
 * The spec with the datasets it names bound as top-level `datasets` and the chart font set to
 * DejaVu Sans; the input is not modified. The offline report embeds exactly this, so the page
 * and the PNG show the same chart. Throws if the spec names a dataset that is not given.
 */
export function bindChartData(spec: TopLevelSpec, datasets: ChartDatasets): TopLevelSpec {
  const url = firstDataUrl(spec);
  if (url !== undefined) throw new Error(`charts render offline, but the spec loads data from "${url}"; bind the rows as a named dataset instead`);
  const used = datasetNames(spec);
  const bound: Record<string, ChartRow[]> = {};
  for (const name of used) {
    const rows = datasets[name] ?? (spec.datasets?.[name] as ChartRow[] | undefined);
    if (rows === undefined) {
      throw new Error(`chart uses dataset "${name}", but only these were given: ${Object.keys(datasets).sort().join(', ') || '(none)'}`);
    }
    bound[name] = rows.map(plainRow);
  }
  const withFont = withChartFont(spec);
  return { ...withFont, datasets: { ...(withFont.datasets ?? {}), ...bound } } as TopLevelSpec;
}

/** A copy of the spec with `config.font` set to DejaVu Sans, the face the PNG renderer has. */
export function withChartFont(spec: TopLevelSpec): TopLevelSpec {
  const copy = structuredClone(spec) as TopLevelSpec & { config?: Record<string, unknown> };
  return { ...copy, config: { ...(copy.config ?? {}), font: CHART_FONT_FAMILY } } as TopLevelSpec;
}

/** A loader that refuses every URL (charts render from the bound rows only) and records the attempt. */
function offlineLoader(errors: string[]): Loader {
  const refuse = async (what: string): Promise<never> => {
    const message = `charts render offline, but the spec asks for "${what}" (bind the rows as a named dataset instead)`;
    errors.push(message);
    return Promise.reject(new Error(message));
  };
  return { load: refuse, sanitize: refuse, http: refuse, file: refuse };
}

function logText(args: readonly unknown[]): string {
  return args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
}

// Vega numbers SVG clip paths and gradients from module-level counters; renders take turns so
// that each one starts them from zero and the output does not depend on what ran before.
let renderQueue: Promise<unknown> = Promise.resolve();

async function renderSvg(spec: TopLevelSpec, warnings: string[]): Promise<string> {
  const errors: string[] = [];
  const log = logger(Warn, undefined, (method, _level, args) => {
    (method === 'error' ? errors : warnings).push(logText(args));
  });
  const vgSpec = compile(spec, { logger: log }).spec;
  const view = new View(parse(vgSpec), { renderer: 'none', loader: offlineLoader(errors), logger: log, logLevel: Warn });
  try {
    await view.runAsync();
    resetSVGDefIds();
    const svg = await view.toSVG();
    if (errors.length > 0) throw new Error(`the chart did not render: ${errors.join('; ')}`);
    return svg;
  } finally {
    view.finalize();
  }
}

/**
 * Renders a Vega-Lite spec whose `data: {name}` entries are filled from `datasets`, to SVG and PNG.
 * The font is always DejaVu Sans (the only face the PNG renderer loads). Throws when the spec
 * names a missing dataset, tries to load a URL, or Vega reports an error.
 *
 * @example
 * const { svg, png } = await renderChart(ciChart({ ... }), { summary: arrowRows(summaryTable) });  // ciChart.ts
 */
export async function renderChart(
  spec: TopLevelSpec,
  datasets: ChartDatasets,
  options: RenderChartOptions = {},
): Promise<RenderedChart> {
  const pngScale = options.pngScale ?? 2;
  if (!(pngScale > 0 && pngScale <= 16)) throw new Error(`renderChart: pngScale must be in (0, 16], got ${pngScale}`); // calibration-exempt: a bound on the PNG zoom
  const bound = bindChartData(spec, datasets);
  const warnings: string[] = [];
  const turn = renderQueue.then(() => renderSvg(bound, warnings));
  renderQueue = turn.catch(() => undefined);
  const svg = await turn;
  const png = new Resvg(svg, {
    font: { fontFiles: dejavuFontFiles(), loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
    fitTo: { mode: 'zoom', value: pngScale },
  })
    .render()
    .asPng();
  return { svg, png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength), warnings };
}
