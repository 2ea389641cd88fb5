/**
 * The standard chart of an experiment: per sweep point, the mean of a metric over replications
 * with its 95 % confidence interval, read from the summary table (`<metric>_mean`,
 * `<metric>_ci95HalfWidth`, `n`), optionally against a reference (a closed form, a configured
 * limit) drawn as a dashed line with rings. An experiment describes what to show (x, metrics,
 * series, panels, scales, titles with units) and `ciChart` writes the Vega-Lite spec, so every
 * experiment's charts draw intervals, references, legends and tooltips the same way.
 *
 * What each sweep point becomes, in every panel:
 *   - a vertical rule from mean − half-width to mean + half-width (a missing half-width, n = 1,
 *     draws no interval),
 *   - a filled point at the mean, with a tooltip: the grouping fields, x, mean, ± half-width, n
 *     and the reference value,
 *   - a line through the means of one series (unless `lines: false`),
 *   - the reference at that x: a ring, joined by a dashed line (unless `reference.mark: 'points'`).
 * The layers of panel i are named ci_<what>_i (interval, mean, line, referenceRing, referenceLine),
 * so that their Vega marks (ci_<what>_i_marks) can be found in the rendered scene.
 */
import type { TopLevelSpec } from 'vega-lite';

export type CiScaleType = 'linear' | 'log' | 'symlog';

export interface CiAxis {
  /** Axis title with its unit, e.g. "first-packet RTT p50 (µs)". */
  readonly title: string;
  /**
   * 'log' for sweeps and values over decades (every value > 0); 'symlog' for counts that may be
   * 0 (log-like above 1, linear through 0). __Default value:__ 'linear'
   */
  readonly scale?: CiScaleType;
  /** Start a linear axis at zero. __Default value:__ false */
  readonly zero?: boolean;
  /** d3-format for ticks and tooltips, e.g. ",.0f", ".3f", "+.0%". */
  readonly format?: string;
}

export interface CiXAxis extends CiAxis {
  /** A swept parameter (or a field `derive` computes). */
  readonly field: string;
  /**
   * Spread the points of one x side by side so their intervals do not overlap: neighbouring
   * series are this far apart, in x units (in decades on a log axis). Needs `series.sort` (or a
   * panel with several metrics, which are spread in their order).
   */
  readonly dodge?: number;
}

/** A field that splits the points into groups: colour (series), point shape, or panels (facet). */
export interface CiGroup {
  readonly field: string;
  /** Legend or header title. */
  readonly title: string;
  /**
   * Order of the values (legend, colours, panels): the values in order (values not listed come
   * after), or by another field, ascending (e.g. node labels by { field: 'cores' }).
   */
  readonly sort?: readonly (string | number)[] | { readonly field: string };
}

export interface CiFacet extends CiGroup {
  /** One column per value (side by side) or one row per value. __Default value:__ 'column' */
  readonly direction?: 'column' | 'row';
}

/** One of several metrics drawn in one panel; they are told apart by colour. */
export interface CiMetric {
  readonly metric: string;
  /** Legend label. */
  readonly label: string;
}

/** A value every point is compared with: a summary metric (its mean) or a Vega expression over a summary row. */
export type CiReference = {
  /** Legend label, e.g. "closed form (Erlang C, Pollaczek-Khinchine)". */
  readonly title: string;
  /** 'line': a dashed line through rings at the sweep points; 'points': the rings only. __Default value:__ 'line' */
  readonly mark?: 'line' | 'points';
} & ({ readonly metric: string; readonly expr?: never } | { readonly expr: string; readonly metric?: never });

export interface CiPanel {
  /** Panel title (a subtitle when the chart has one panel). */
  readonly title?: string;
  /** A metric of the experiment, or several (coloured by label; then the chart has no `series`). */
  readonly metric: string | readonly CiMetric[];
  /** Legend title of the metrics when there are several. __Default value:__ 'metric' */
  readonly metricsTitle?: string;
  /** The metric's name with its unit in tooltips. __Default value:__ `y.title` (the metric's label with several) */
  readonly label?: string;
  readonly y: CiAxis;
  /** Multiplies mean, half-width and reference before drawing (unit conversion, e.g. 1 / 1048576 for bytes to MiB). */
  readonly factor?: number;
  /** Only the summary rows for which this Vega expression is true, e.g. "datum.impl == 'cilium-ct'". */
  readonly filter?: string;
  readonly reference?: CiReference;
  /**
   * Draw mean / reference − 1 and half-width / |reference| (a relative error) with a rule at 0,
   * instead of the mean and the reference. Needs `reference`.
   */
  readonly relative?: boolean;
  /** Join the means of a series with a line. __Default value:__ true */
  readonly lines?: boolean;
}

export interface CiChartDescription {
  readonly title: string;
  readonly x: CiXAxis;
  /** One panel, or several side by side. */
  readonly panels: readonly CiPanel[];
  /** Colour: one series (line) per value. */
  readonly series?: CiGroup;
  /** Point shape: a second split (its values get separate lines too). */
  readonly shape?: CiGroup;
  /** Small multiples: each panel repeated per value of this field. */
  readonly facet?: CiFacet;
  /** Fields computed per summary row before anything else: name -> Vega expression, e.g. { node: "datum.cores + ' vCPU'" }. */
  readonly derive?: Readonly<Record<string, string>>;
  /** One y scale for all panels (to compare their levels). __Default value:__ false */
  readonly sharedY?: boolean;
  /** Size of one panel (of one facet cell), px. __Default value:__ 360 x 260 */
  readonly width?: number;
  readonly height?: number;
}

/** What `ciChart` returns: a Vega-Lite spec over the `summary` table. */
export type CiChartSpec = TopLevelSpec & { readonly data: { readonly name: 'summary' } };

/** Fields the chart computes on each row (names chosen not to clash with `<metric>_<stat>` columns). */
export const CI_FIELDS = {
  x: 'ci_x',
  mean: 'ci_mean',
  halfWidth: 'ci_halfWidth',
  reference: 'ci_reference',
  /** The reference where the reference marks draw it: once per sweep point, also with several metrics. */
  referenceDrawn: 'ci_referenceDrawn',
  y: 'ci_y',
  low: 'ci_low',
  high: 'ci_high',
  /** On a log axis: a decade below the panel's smallest mean, where an interval reaching 0 is drawn to. */
  logFloor: 'ci_logFloor',
  metricKey: 'ci_metricKey',
  foldedMean: 'ci_foldedMean',
  metric: 'ci_metric',
} as const;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
// calibration-exempt-begin: chart geometry in pixels (sizes, strokes, dash pattern), no model quantity
const DEFAULT_WIDTH = 360;
const DEFAULT_HEIGHT = 260;
const REFERENCE_DASH = [6, 4];
const REFERENCE_COLOUR = '#555';
/** Legend labels are cut at this width (Vega estimates text width, generously). */
const LEGEND_LABEL_LIMIT = 320;
/** Room between the axis ends and the first and last x, so that end points are not cut in half. */
const X_PADDING = 16;
/** Room per tick on a linear x axis. */
const PX_PER_X_TICK = 80;
const STROKE = { line: 2, rule: 1.5, reference: 1.5, ring: 1.2 };
/** Areas of the point symbols, px^2: the ring of the reference is drawn around the point of the mean. */
const SYMBOL_SIZE = { point: 50, ring: 110 };
/** Vega's own symlog ticks are few and uneven; 0 and the powers of ten (to 1e12) read like a log axis. */
const SYMLOG_TICKS = [0, ...Array.from({ length: 13 }, (_, i) => 10 ** i)];
// calibration-exempt-end

type Json = Record<string, unknown>;

/** A JavaScript string literal that is also a valid Vega expression string literal. */
const lit = (s: string): string => JSON.stringify(s);
/** `datum.name`, or `datum["name"]` when the name is not an identifier. */
const ref = (field: string): string => (/^[A-Za-z_$][\w$]*$/.test(field) ? `datum.${field}` : `datum[${lit(field)}]`);
const validHalfWidth = (field: string): string => `(isValid(${ref(field)}) && isFinite(${ref(field)}) ? ${ref(field)} : 0)`;

class CiChartError extends Error {
  constructor(title: string, path: string, message: string) {
    super(`ciChart "${title}": ${path}: ${message}`);
    this.name = 'CiChartError';
  }
}

function check(d: CiChartDescription): void {
  const fail = (path: string, message: string): never => {
    throw new CiChartError(d.title, path, message);
  };
  if (d.panels.length === 0) fail('panels', 'expected at least one panel');
  for (const [k, v] of [['width', d.width], ['height', d.height]] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) fail(k, `expected a positive number of pixels, got ${v}`);
  }
  if (d.x.dodge !== undefined && !(Number.isFinite(d.x.dodge) && d.x.dodge > 0)) fail('x.dodge', `expected a positive number, got ${d.x.dodge}`);
  if (d.sharedY === true) {
    const kinds = new Set(d.panels.map((p) => `${p.relative === true ? 'relative ' : ''}${p.y.scale ?? 'linear'}`));
    if (kinds.size > 1) fail('sharedY', `panels share one y scale only if they draw the same kind of y; these draw ${[...kinds].join(', ')}`);
  }
  d.panels.forEach((p, i) => {
    const at = `panels[${i}]`;
    const metrics = typeof p.metric === 'string' ? [p.metric] : p.metric;
    if (metrics.length === 0) fail(`${at}.metric`, 'expected a metric name or a non-empty list of { metric, label }');
    if (metrics.some((m) => m === '' || (typeof m !== 'string' && (m.metric === '' || m.label === '')))) fail(`${at}.metric`, 'metric names and labels must be non-empty');
    if (typeof p.metric !== 'string' && d.series !== undefined) {
      fail(`${at}.metric`, `several metrics are told apart by colour, so the chart cannot also colour by series "${d.series.field}"; use shape or facet for it`);
    }
    if (p.factor !== undefined && !(Number.isFinite(p.factor) && p.factor > 0)) fail(`${at}.factor`, `expected a positive finite number, got ${p.factor}`);
    if (p.reference !== undefined && (p.reference.metric === undefined) === (p.reference.expr === undefined)) {
      fail(`${at}.reference`, 'expected exactly one of metric (a summary metric) or expr (a Vega expression)');
    }
    if (p.relative === true && p.reference === undefined) fail(`${at}.relative`, 'a relative error needs a reference');
    if (d.x.dodge !== undefined && typeof p.metric === 'string' && !isValueList(d.series?.sort)) {
      fail('x.dodge', 'dodging places series by their order: give series.sort as a list of values');
    }
  });
}

function scaleOf(axis: CiAxis, extra: Json = {}): Json {
  const type = axis.scale ?? 'linear';
  return type === 'linear' ? { zero: axis.zero ?? false, ...extra } : { type, ...extra };
}

function axisOf(axis: CiAxis, extra: Json = {}): Json {
  const values = axis.scale === 'symlog' ? { values: SYMLOG_TICKS } : {};
  const format = axis.format === undefined ? {} : { format: axis.format };
  const all = { ...values, ...format, ...extra };
  return Object.keys(all).length === 0 ? {} : { axis: all };
}

/** The encoding of the colour groups: the series field, or the metric label when a panel has several. */
function colourEncoding(d: CiChartDescription, metricLabels: readonly string[] | null, metricsTitle: string): Json {
  if (metricLabels !== null) {
    return { color: { field: CI_FIELDS.metric, type: 'nominal', title: metricsTitle, sort: [...allMetricLabels(d)], legend: { labelLimit: LEGEND_LABEL_LIMIT } } };
  }
  if (d.series === undefined) return {};
  return { color: { ...groupEncoding(d.series), legend: { labelLimit: LEGEND_LABEL_LIMIT } } };
}

function groupEncoding(g: CiGroup): Json {
  const sort = g.sort === undefined ? {} : { sort: isValueList(g.sort) ? [...g.sort] : { field: g.sort.field } };
  return { field: g.field, type: 'nominal', title: g.title, ...sort };
}

function isValueList(sort: CiGroup['sort']): sort is readonly (string | number)[] {
  return Array.isArray(sort);
}

function allMetricLabels(d: CiChartDescription): string[] {
  const labels: string[] = [];
  for (const p of d.panels) if (typeof p.metric !== 'string') for (const m of p.metric) if (!labels.includes(m.label)) labels.push(m.label);
  return labels;
}

/** Transforms that give each row ci_mean and ci_halfWidth (one row per metric when there are several). */
function metricTransforms(p: CiPanel): Json[] {
  const k = p.factor ?? 1;
  const times = k === 1 ? '' : ` * ${k}`;
  if (typeof p.metric === 'string') {
    return [
      { calculate: `${ref(`${p.metric}_mean`)}${times}`, as: CI_FIELDS.mean },
      { calculate: `${validHalfWidth(`${p.metric}_ci95HalfWidth`)}${times}`, as: CI_FIELDS.halfWidth },
    ];
  }
  const labels = Object.fromEntries(p.metric.map((m) => [`${m.metric}_mean`, m.label]));
  const halfWidths = Object.fromEntries(p.metric.map((m) => [`${m.metric}_mean`, `${m.metric}_ci95HalfWidth`]));
  const hw = `datum[${JSON.stringify(halfWidths)}[datum.${CI_FIELDS.metricKey}]]`;
  return [
    { fold: p.metric.map((m) => `${m.metric}_mean`), as: [CI_FIELDS.metricKey, CI_FIELDS.foldedMean] },
    { calculate: `${JSON.stringify(labels)}[datum.${CI_FIELDS.metricKey}]`, as: CI_FIELDS.metric },
    { calculate: `datum.${CI_FIELDS.foldedMean}${times}`, as: CI_FIELDS.mean },
    { calculate: `(isValid(${hw}) && isFinite(${hw}) ? ${hw} : 0)${times}`, as: CI_FIELDS.halfWidth },
  ];
}

/**
 * ci_reference in the panel's units, null where it is not a finite number (Vega-Lite leaves such
 * rows out of the reference marks). With several metrics the rows are folded, one per metric, and
 * ci_referenceDrawn (what the reference marks draw) is kept on the first metric's row only, so
 * that each reference point is drawn once.
 */
function referenceTransform(p: CiPanel): Json[] {
  if (p.reference === undefined) return [];
  const k = p.factor ?? 1;
  const raw = p.reference.metric !== undefined ? ref(`${p.reference.metric}_mean`) : `(${p.reference.expr})`;
  const value = k === 1 ? raw : `${raw} * ${k}`;
  const r = `datum.${CI_FIELDS.reference}`;
  const drawn = typeof p.metric === 'string' ? r : `datum.${CI_FIELDS.metricKey} == ${lit(`${p.metric[0]!.metric}_mean`)} ? ${r} : null`;
  return [
    { calculate: value, as: CI_FIELDS.reference },
    { calculate: `isValid(${r}) && isFinite(${r}) ? ${r} : null`, as: CI_FIELDS.reference },
    { calculate: drawn, as: CI_FIELDS.referenceDrawn },
  ];
}

/** ci_x: the x field, moved sideways by the point's colour group when dodging. */
function dodgeTransform(d: CiChartDescription, p: CiPanel): Json[] {
  const dodge = d.x.dodge;
  if (dodge === undefined) return [];
  const order = typeof p.metric === 'string' ? [...((d.series?.sort ?? []) as readonly (string | number)[])] : allMetricLabels(d);
  const groupField = typeof p.metric === 'string' ? d.series!.field : CI_FIELDS.metric;
  const index = `indexof(${JSON.stringify(order)}, ${ref(groupField)})`;
  const offset = `(${index} - ${(order.length - 1) / 2})`;
  const x = ref(d.x.field);
  return [{ calculate: d.x.scale === 'log' ? `${x} * pow(10, ${dodge} * ${offset})` : `${x} + ${dodge} * ${offset}`, as: CI_FIELDS.x }];
}

function panelLayers(d: CiChartDescription, p: CiPanel, index: number): { transform: Json[]; layer: Json[] } {
  const name = (what: string) => ({ name: `ci_${what}_${index}` });
  const several = typeof p.metric !== 'string';
  const labels = several ? (p.metric as readonly CiMetric[]).map((m) => m.label) : null;
  const colour = colourEncoding(d, labels, p.metricsTitle ?? 'metric');
  const shape = d.shape === undefined ? {} : { shape: groupEncoding(d.shape) };
  const shapeDetail = d.shape === undefined ? {} : { detail: { field: d.shape.field, type: 'nominal' } };
  const relative = p.relative === true;
  const xScaleExtra = d.x.scale === 'log' || d.x.scale === 'symlog' ? { nice: false, padding: X_PADDING } : { padding: X_PADDING };
  // A linear x with padding would get ticks every 0.05 from 0.25 and lose every other label; fewer, rounder ticks.
  const xTicks = (d.x.scale ?? 'linear') === 'linear' ? { tickCount: Math.max(2, Math.round((d.width ?? DEFAULT_WIDTH) / PX_PER_X_TICK)) } : {};
  const xEncoding = (field: string) => ({ field, type: 'quantitative', title: d.x.title, scale: scaleOf(d.x, xScaleExtra), ...axisOf(d.x, xTicks) });
  const x = xEncoding(d.x.dodge === undefined ? d.x.field : CI_FIELDS.x);
  const y = { field: CI_FIELDS.y, type: 'quantitative', title: p.y.title, scale: scaleOf(p.y), ...axisOf(p.y) };
  // Every row gets all of the chart's fields before the layers split it (per-layer transforms
  // under a facet make Vega-Lite's dataflow optimiser give up, with a warning).
  const transform = [
    ...(p.filter === undefined ? [] : [{ filter: p.filter }]),
    ...metricTransforms(p),
    ...referenceTransform(p),
    ...dodgeTransform(d, p),
    relative
      ? { calculate: `datum.${CI_FIELDS.mean} / datum.${CI_FIELDS.reference} - 1`, as: CI_FIELDS.y }
      : { calculate: `datum.${CI_FIELDS.mean}`, as: CI_FIELDS.y },
    relative
      ? { calculate: `datum.${CI_FIELDS.y} - datum.${CI_FIELDS.halfWidth} / abs(datum.${CI_FIELDS.reference})`, as: CI_FIELDS.low }
      : { calculate: `datum.${CI_FIELDS.y} - datum.${CI_FIELDS.halfWidth}`, as: CI_FIELDS.low },
    relative
      ? { calculate: `datum.${CI_FIELDS.y} + datum.${CI_FIELDS.halfWidth} / abs(datum.${CI_FIELDS.reference})`, as: CI_FIELDS.high }
      : { calculate: `datum.${CI_FIELDS.y} + datum.${CI_FIELDS.halfWidth}`, as: CI_FIELDS.high },
    // A log axis has no 0: an interval whose lower end is <= 0 is drawn down to a decade below the
    // panel's smallest mean (the bottom of the plot), instead of a NaN the browser refuses to draw.
    ...(p.y.scale === 'log'
      ? [
          { joinaggregate: [{ op: 'min', field: CI_FIELDS.y, as: CI_FIELDS.logFloor }] },
          { calculate: `datum.${CI_FIELDS.low} > 0 ? datum.${CI_FIELDS.low} : datum.${CI_FIELDS.logFloor} / 10`, as: CI_FIELDS.low },
        ]
      : []),
  ];
  const format = p.y.format !== undefined && !p.y.format.includes('%') ? p.y.format : '.4~g';
  const tooltip = [
    ...(d.facet ? [{ field: d.facet.field, type: 'nominal', title: d.facet.title }] : []),
    ...(d.series && !several ? [{ field: d.series.field, type: 'nominal', title: d.series.title }] : []),
    ...(several ? [{ field: CI_FIELDS.metric, type: 'nominal', title: p.metricsTitle ?? 'metric' }] : []),
    ...(d.shape ? [{ field: d.shape.field, type: 'nominal', title: d.shape.title }] : []),
    { field: d.x.field, type: 'quantitative', title: d.x.title, ...(d.x.format ? { format: d.x.format } : {}) },
    { field: CI_FIELDS.mean, type: 'quantitative', title: `mean: ${p.label ?? p.y.title}`, format },
    { field: CI_FIELDS.halfWidth, type: 'quantitative', title: '± 95% CI half-width', format },
    { field: 'n', type: 'quantitative', title: 'replications (n)' },
    ...(p.reference ? [{ field: CI_FIELDS.reference, type: 'quantitative', title: p.reference.title, format }] : []),
    ...(relative ? [{ field: CI_FIELDS.y, type: 'quantitative', title: 'relative difference', format: '+.2%' }] : []),
  ];

  // Drawing order: the zero rule and the reference rings under the estimates (so that a point's
  // tooltip is not covered), the dashed reference line over them (so that it shows where it
  // coincides with a series' line).
  const layers: Json[] = [];
  if (relative) {
    layers.push({ mark: { type: 'rule', color: 'gray' }, encoding: { y: { datum: 0, type: 'quantitative' } } });
  }
  const referenceLayers: Json[] = [];
  if (p.reference !== undefined && !relative) {
    // Colour follows the series (one reference per series); with several metrics it is one grey reference.
    const refColour = several || d.series === undefined ? { color: { value: REFERENCE_COLOUR } } : colour;
    const refY = { ...y, field: CI_FIELDS.referenceDrawn };
    const legend = {
      strokeDash: { datum: p.reference.title, type: 'nominal', scale: { range: [REFERENCE_DASH] }, legend: { title: null, symbolStrokeColor: REFERENCE_COLOUR, labelLimit: LEGEND_LABEL_LIMIT } },
    };
    const asLine = (p.reference.mark ?? 'line') === 'line';
    layers.push({
      ...name('referenceRing'),
      mark: { type: 'point', filled: false, size: SYMBOL_SIZE.ring, strokeWidth: STROKE.ring },
      encoding: { x: xEncoding(d.x.field), y: refY, ...refColour, ...shapeDetail, ...(asLine ? {} : legend) },
    });
    if (asLine) {
      referenceLayers.push({
        ...name('referenceLine'),
        mark: { type: 'line', strokeWidth: STROKE.reference },
        encoding: { x: xEncoding(d.x.field), y: refY, ...refColour, ...shapeDetail, ...legend },
      });
    }
  }
  if (!(p.lines === false || relative)) layers.push({ ...name('line'), mark: { type: 'line', strokeWidth: STROKE.line }, encoding: { x, y, ...colour, ...shapeDetail } });
  layers.push(
    { ...name('interval'), mark: { type: 'rule', strokeWidth: STROKE.rule }, encoding: { x, y: { ...y, field: CI_FIELDS.low }, y2: { field: CI_FIELDS.high }, ...colour } },
    { ...name('mean'), mark: { type: 'point', filled: true, size: SYMBOL_SIZE.point, opacity: 1 }, encoding: { x, y, ...colour, ...shape, tooltip } },
    ...referenceLayers,
  );
  return { transform, layer: layers };

}

function panelView(d: CiChartDescription, p: CiPanel, index: number, withTitle: boolean): Json {
  const size = { width: d.width ?? DEFAULT_WIDTH, height: d.height ?? DEFAULT_HEIGHT };
  const title = withTitle && p.title !== undefined ? { title: p.title } : {};
  const { transform, layer } = panelLayers(d, p, index);
  if (d.facet === undefined) return { ...title, ...size, transform, layer };
  return { ...title, transform, facet: { [d.facet.direction ?? 'column']: groupEncoding(d.facet) }, spec: { ...size, layer } };
}

/**
 * The Vega-Lite spec of a mean ± 95 % CI chart over the summary table. Throws, naming the
 * description field, when the description is inconsistent.
 *
 * @example
 * // Simulated mean wait with its interval against the closed form, one colour per queue.
 * ciChart({
 *   title: 'Simulated mean wait (95% CI) vs the closed form',
 *   x: { field: 'rho', title: 'offered load per server (rho)' },
 *   series: { field: 'servers', title: 'servers (c)' },
 *   panels: [{ metric: 'meanWaitSec', y: { title: 'mean wait (s)' },
 *              reference: { metric: 'analyticMeanWaitSec', title: 'closed form (Erlang C)' } }],
 * });
 */
export function ciChart(d: CiChartDescription): CiChartSpec {
  check(d);
  const derive = Object.entries(d.derive ?? {}).map(([as, calculate]) => ({ calculate, as }));
  const top: Json = {
    $schema: SCHEMA,
    data: { name: 'summary' },
    ...(derive.length > 0 ? { transform: derive } : {}),
  };
  if (d.panels.length === 1) {
    const p = d.panels[0]!;
    const view = panelView(d, p, 0, false);
    return {
      ...top,
      title: p.title === undefined ? d.title : { text: d.title, subtitle: p.title },
      ...view,
      transform: [...derive, ...(view.transform as Json[])],
    } as unknown as CiChartSpec;
  }
  return {
    ...top,
    title: d.title,
    hconcat: d.panels.map((p, i) => panelView(d, p, i, true)),
    ...(d.sharedY === true ? { resolve: { scale: { y: 'shared' } } } : {}),
  } as unknown as CiChartSpec;
}
