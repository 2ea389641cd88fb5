/**
 * A chart as a notebook output: one display bundle that carries the Vega-Lite spec with its rows
 * bound in (JupyterLab and VS Code draw it, interactive) and the same chart as SVG and PNG, rendered
 * offline by renderChart exactly as the results folders' charts are (nbconvert's HTML, code hosts
 * and any frontend without a Vega renderer show those). A frontend picks the richest type it can.
 *
 * @example
 * // in a notebook cell (Deno kernel): the cell's value is displayed
 * await notebookChart({ data: { name: 'points' }, mark: 'line', encoding: { ... } }, { points: rows });
 */
import { Buffer } from 'node:buffer';
import type { TopLevelSpec } from 'vega-lite';
import { bindChartData, renderChart, type ChartDatasets } from './charts.ts';
import { displayable, type Displayable } from './notebookDisplay.ts';

/**
 * The MIME type JupyterLab's and VS Code's Vega renderers register for Vega-Lite (its major version
 * names the Vega-Lite they embed). The bundle's spec carries no `$schema`, so the renderer reads it
 * as its own version instead of warning about this project's newer one.
 */
export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';

export interface NotebookChartOptions {
  /** Keep going when Vega warns (e.g. a field missing from the rows). __Default value:__ false: throw */
  allowWarnings?: boolean;
  /** PNG pixels per SVG unit, as for renderChart. */
  pngScale?: number;
}

export interface NotebookChart extends Displayable {
  /** The spec as embedded: rows bound as `datasets`, DejaVu Sans, no `$schema`. */
  readonly spec: Record<string, unknown>;
  readonly svg: string;
  readonly png: Uint8Array;
}

/**
 * Renders `spec` over the named `datasets` (as renderChart does) and returns a value that a
 * notebook shows as the chart. Throws when the spec names a dataset not given, loads a URL, or
 * Vega warns (unless `allowWarnings`): a chart in a notebook that CI runs should draw cleanly.
 */
export async function notebookChart(spec: TopLevelSpec, datasets: ChartDatasets = {}, options: NotebookChartOptions = {}): Promise<NotebookChart> {
  const { $schema: _schema, ...bound } = bindChartData(spec, datasets) as TopLevelSpec & { $schema?: string };
  const rendered = await renderChart(spec, datasets, options.pngScale === undefined ? {} : { pngScale: options.pngScale });
  if (rendered.warnings.length > 0 && options.allowWarnings !== true) {
    throw new Error(`the chart drew with warnings (pass { allowWarnings: true } to keep it): ${rendered.warnings.join('; ')}`);
  }
  const t = spec.title as unknown;
  const title = typeof t === 'string' ? t : typeof (t as { text?: unknown } | undefined)?.text === 'string' ? (t as { text: string }).text : 'Vega-Lite chart';
  const chart = { spec: bound as Record<string, unknown>, svg: rendered.svg, png: rendered.png };
  return displayable(chart, () => ({
    [VEGA_LITE_MIME]: chart.spec,
    'image/svg+xml': chart.svg,
    'image/png': Buffer.from(chart.png).toString('base64'),
    'text/plain': `<chart: ${title}>`,
  }));
}
