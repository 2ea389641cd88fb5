/**
 * The capacity plan's page (`svcpath plan`): one folder, `<out>/index.html` with the plan for one
 * cluster, beside plan.json (the plan as data), cluster-profile.json (its input) and the charts as
 * Vega-Lite specs, SVG and PNG. The page stands alone and offline: the charts are inline SVG,
 * rendered here (charts.ts), so it needs no script at all. The main report (report.ts) links every
 * plan folder it finds in the results folder.
 *
 * What it shows, per node class and datapath: what breaks first as Services, endpoints per Service
 * or connections per second grow, today's first-packet latency, conntrack fill and programming
 * latency, three charts (first-packet p99, network programming latency p99 and conntrack fill
 * against growth, each with its limit), every point, and the assumptions the numbers rest on.
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { ClusterProfile } from '../../model/cluster/clusterProfile.ts';
import { PLAN_DIMENSIONS, type CapacityPlan, type PlanPoint } from '../../model/cluster/capacityPlan.ts';
import { nodeClassNic, propagationProxy } from '../../model/cluster/clusterSpecs.ts';
import { defaultPropagationRunParams } from '../../model/controlplane/propagation.ts';
import { BYTES_PER_GIB } from '../../model/units.ts';
import { writeFileAtomicSync } from './atomicWrite.ts';
import { renderChart, type ChartRow } from './charts.ts';
import { escapeHtml, formatCell } from './reportHtml.ts';
import { profileJson } from '../cluster/profileSchema.ts';

/** The file a plan folder is recognised by (report.ts links folders holding it beside index.html). */
export const PLAN_FILE = 'plan.json';

// calibration-exempt-begin: chart geometry (pixels) and dash pattern
const PANEL_WIDTH = 230;
const PANEL_HEIGHT = 170;
const DASH = [5, 4];
/** Legends show whole datapath names; log axes label a few decades, not every tick. */
const LEGEND = { labelLimit: 320 };
const LOG_AXIS = { tickCount: 5, grid: true };
// calibration-exempt-end

const DIMENSION_TITLE: Record<string, string> = { services: 'Services grow', endpoints: 'endpoints per Service grow', connections: 'connections/s grow' };

function facetRow(plan: CapacityPlan): Record<string, unknown> {
  return new Set(plan.points.map((p) => p.nodeClass)).size > 1 ? { row: { field: 'nodeClass', type: 'nominal', title: 'node class' } } : {};
}

const xFactor = { field: 'factor', type: 'quantitative', scale: { type: 'log' }, title: 'growth factor (x today)', axis: { values: [1, 2, 5, 10, 20, 50, 100] } }; // calibration-exempt: the axis ticks of growth factors

/**
 * The layers every plan chart draws: one line per series against the growth factor, and the
 * dashed limit (a field of the rows, or a constant).
 */
function limitLayers(o: {
  readonly width: number;
  readonly y: Record<string, unknown>;
  readonly series: { readonly field: string; readonly title: string };
  readonly tooltip: readonly Record<string, unknown>[];
  readonly limit: { readonly field: string } | { readonly datum: number };
}): Record<string, unknown> {
  const series = { field: o.series.field, type: 'nominal', title: o.series.title, legend: LEGEND };
  const limitY = 'field' in o.limit ? { field: o.limit.field, type: 'quantitative' } : { datum: o.limit.datum };
  return {
    width: o.width,
    height: PANEL_HEIGHT,
    layer: [
      { mark: { type: 'line', point: true }, encoding: { x: xFactor, y: o.y, color: series, strokeDash: series, tooltip: o.tooltip } },
      { mark: { type: 'rule', strokeDash: DASH, color: '#a00' }, encoding: { y: limitY } },
    ],
  };
}

function firstPacketChart(plan: CapacityPlan): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${plan.cluster}: first-packet RTT p99 as the cluster grows`, subtitle: `dashed: the SLO (${plan.options.sloP99Us} µs); each point one simulated run at the cluster's positions` },
    data: { name: 'points' },
    facet: { column: { field: 'dimensionTitle', type: 'nominal', title: null, sort: PLAN_DIMENSIONS.map((d) => DIMENSION_TITLE[d]) }, ...facetRow(plan) },
    spec: limitLayers({
      width: PANEL_WIDTH,
      y: { field: 'firstPacketP99Us', type: 'quantitative', scale: { type: 'log' }, title: 'first-packet p99 (µs)', axis: LOG_AXIS },
      series: { field: 'datapath', title: 'datapath' },
      tooltip: [{ field: 'datapath' }, { field: 'factor' }, { field: 'services' }, { field: 'endpointsPerService' }, { field: 'connectionsPerSec' }, { field: 'firstPacketP50Us', format: '.1f' }, { field: 'firstPacketP99Us', format: '.1f' }],
      limit: { field: 'sloP99Us' },
    }),
    resolve: { scale: { y: 'shared' } },
  } as unknown as TopLevelSpec;
}

function programmingChart(plan: CapacityPlan): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${plan.cluster}: network programming latency p99 (${plan.nodes.toLocaleString('en-US')} nodes)`, subtitle: `dashed: the limit (${plan.options.programmingSloSec} s); pod change to the rule on a node` },
    data: { name: 'programming' },
    facet: { column: { field: 'dimensionTitle', type: 'nominal', title: null, sort: [DIMENSION_TITLE.services, DIMENSION_TITLE.endpoints] } },
    spec: limitLayers({
      width: PANEL_WIDTH,
      y: { field: 'programmingP99Sec', type: 'quantitative', scale: { type: 'log' }, title: 'programming latency p99 (s)', axis: LOG_AXIS },
      series: { field: 'proxy', title: 'proxy' },
      tooltip: [{ field: 'proxy' }, { field: 'factor' }, { field: 'programmingP99Sec', format: '.2f' }, { field: 'fullSyncSec', format: '.2f' }, { field: 'programmingBacklog' }],
      limit: { field: 'programmingSloSec' },
    }),
  } as unknown as TopLevelSpec;
}

function conntrackChart(plan: CapacityPlan): TopLevelSpec {
  const layers = limitLayers({
    width: PANEL_WIDTH * 2,
    y: { field: 'fill', type: 'quantitative', scale: { type: 'symlog' }, title: 'entries / capacity', axis: { format: '.0%' } },
    series: { field: 'series', title: 'datapath' },
    tooltip: [{ field: 'series' }, { field: 'factor' }, { field: 'connectionsPerSec' }, { field: 'fill', format: '.2%' }, { field: 'capacity' }],
    limit: { datum: 1 },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${plan.cluster}: conntrack table fill as connections/s grow`, subtitle: 'dashed: full (new connections dropped or entries evicted); "measured" grows the node\'s own count' },
    data: { name: 'conntrack' },
    ...(Object.keys(facetRow(plan)).length > 0 ? { facet: { row: { field: 'nodeClass', type: 'nominal', title: 'node class' } }, spec: layers } : layers),
  } as unknown as TopLevelSpec;
}

function chartRows(plan: CapacityPlan): Record<string, ChartRow[]> {
  const points = plan.points.map((p) => ({ ...p, breaks: p.breaks.join(', '), dimensionTitle: DIMENSION_TITLE[p.dimension], sloP99Us: plan.options.sloP99Us }));
  const seen = new Set<string>();
  const programming: ChartRow[] = [];
  for (const p of plan.points) {
    if (p.dimension === 'connections') continue;
    const proxy = propagationProxy(p.datapath);
    const key = JSON.stringify([proxy, p.dimension, p.factor]);
    if (seen.has(key)) continue;
    seen.add(key);
    programming.push({
      proxy, dimension: p.dimension, dimensionTitle: DIMENSION_TITLE[p.dimension], factor: p.factor,
      programmingP99Sec: p.programmingP99Sec, fullSyncSec: p.fullSyncSec, programmingBacklog: p.programmingBacklog, programmingSloSec: plan.options.programmingSloSec,
    });
  }
  const conntrack: ChartRow[] = [];
  for (const p of plan.points.filter((q) => q.dimension === 'connections')) {
    conntrack.push({ nodeClass: p.nodeClass, series: p.datapath, factor: p.factor, connectionsPerSec: p.connectionsPerSec, fill: p.conntrackFill, capacity: p.conntrackCapacityEntries });
    if (p.measuredConntrackFill !== null) conntrack.push({ nodeClass: p.nodeClass, series: `${p.datapath} (measured)`, factor: p.factor, connectionsPerSec: p.connectionsPerSec, fill: p.measuredConntrackFill, capacity: p.conntrackCapacityEntries });
  }
  return { points, programming, conntrack };
}

const int = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');
const us = (v: number): string => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '-'); // calibration-exempt: presentation: digits by magnitude
const sec = (v: number): string => (Number.isFinite(v) ? (v >= 10 ? v.toFixed(1) : v.toFixed(2)) : 'never'); // calibration-exempt: presentation: digits by magnitude
const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);

function table(head: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[]): string {
  const th = head.map((h, i) => `<th${numeric[i] ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="num"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function breaksTable(plan: CapacityPlan): string {
  const maxFactor = Math.max(...plan.points.map((p) => p.factor));
  const rows: string[][] = [];
  const keys = [...new Set(plan.firstBreaks.map((b) => JSON.stringify([b.nodeClass, b.datapath])))];
  for (const key of keys) {
    const [nodeClass, datapath] = JSON.parse(key) as [string, string];
    const cells = PLAN_DIMENSIONS.map((d) => {
      const b = plan.firstBreaks.find((x) => x.nodeClass === nodeClass && x.datapath === datapath && x.dimension === d);
      if (b === undefined) return '-';
      if (b.factor === null) return `holds up to x${maxFactor}`;
      return `${b.factor === 1 ? 'already today' : `x${b.factor}`}: ${b.causes.join(', ')}`;
    });
    rows.push([nodeClass, `${datapath}${datapath === plan.currentDatapath ? ' (today\'s)' : ''}`, ...cells]);
  }
  return table(['node class', 'datapath', ...PLAN_DIMENSIONS.map((d) => `as ${DIMENSION_TITLE[d]}`)], rows, [false, false, false, false, false]);
}

function todayTable(plan: CapacityPlan): string {
  const today = plan.points.filter((p) => p.factor === 1 && p.dimension === 'services');
  return table(
    ['node class', 'datapath', 'first-packet p50 (µs)', 'p99 (µs)', 'core util', 'conntrack fill (model)', 'conntrack fill (measured)', 'cloud allowance used', 'programming p99 (s)', 'breaks'],
    today.map((p) => [
      p.nodeClass, p.datapath, us(p.firstPacketP50Us), us(p.firstPacketP99Us), pct(p.coreUtilization), pct(p.conntrackFill), pct(p.measuredConntrackFill), pct(p.cloudAllowanceFill),
      sec(p.programmingP99Sec), p.breaks.join(', ') || 'nothing',
    ]),
    [false, false, true, true, true, true, true, true, true, false],
  );
}

function pointsTable(plan: CapacityPlan): string {
  const cols: [string, (p: PlanPoint) => unknown][] = [
    ['node class', (p) => p.nodeClass], ['datapath', (p) => p.datapath], ['grows', (p) => p.dimension], ['factor', (p) => p.factor],
    ['Services', (p) => p.services], ['endpoints', (p) => p.endpointsPerService], ['conn/s', (p) => p.connectionsPerSec],
    ['p50 µs', (p) => p.firstPacketP50Us], ['p99 µs', (p) => p.firstPacketP99Us], ['drops', (p) => p.dropFraction], ['core util', (p) => p.coreUtilization],
    ['conntrack entries', (p) => p.conntrackEntries], ['capacity', (p) => p.conntrackCapacityEntries], ['cloud allowance used', (p) => p.cloudAllowanceFill ?? '-'],
    ['programming p99 s', (p) => p.programmingP99Sec],
    ['breaks', (p) => p.breaks.join(', ')],
  ];
  return table(cols.map(([h]) => h), plan.points.map((p) => cols.map(([, f]) => formatCell(f(p)))), cols.map(([h]) => !['node class', 'datapath', 'grows', 'breaks'].includes(h)));
}

function assumptions(plan: CapacityPlan, profile: ClusterProfile): string[] {
  const o = plan.options;
  const positions = plan.points.some((p) => p.positionsFrom === 'iptables-save');
  const out = [
    `Each node opens ${int(o.connectionsPerSec)} new connections per second today (--connections-per-sec), spread uniformly over the Service ports; the model does not know which Services carry the traffic.`,
    positions
      ? `kube-proxy iptables walks KUBE-SERVICES to each Service's real position (${int(plan.kubeServicesRules ?? 0)} rules, from iptables-save on one node). kube-proxy writes that chain in Go map order, so the positions change at every full sync; their spread, not any one Service's place, is what the plan uses.`
      : 'Without an iptables-save dump, KUBE-SERVICES positions are drawn uniformly over the Service ports with endpoints.',
    `Endpoints per Service: the mean over the cluster's Service ports with endpoints (${profile.endpointsPerServicePort.mean.toFixed(2)}; p99 ${int(profile.endpointsPerServicePort.p99)}, max ${int(profile.endpointsPerServicePort.max)}), rounded.`,
    'Nodes do not report their clock: a class runs at its preset\'s (the calibration table\'s) unless the profile\'s cpuGhz says otherwise; edit the profile to set it.',
    `Network programming latency comes from ${int(plan.nodes)} nodes at ${o.churnPerSec ?? defaultPropagationRunParams.churnPerSec} endpoint changes per second across the cluster${profile.proxy.kubeProxy?.minSyncPeriodSec ? `, minSyncPeriod ${profile.proxy.kubeProxy.minSyncPeriodSec} s` : ''}.`,
    `Limits: first-packet p99 <= ${o.sloP99Us} µs (--slo-p99-us), fewer than 1 packet in 1000 dropped, conntrack below full, on a cloud VM's class the connection rate within what its PPS and bandwidth allowances pass once the burst credits are spent, programming latency p99 <= ${o.programmingSloSec} s (--programming-slo-sec; ClusterLoader2's default threshold).`,
  ];
  if (plan.conntrackEntriesMeasured !== null) {
    out.push(`The measured conntrack count (${int(plan.conntrackEntriesMeasured)} entries on one node) grows with the connection rate; it applies to today's datapath (${plan.currentDatapath ?? 'unknown'}).`);
  }
  return out;
}

const CSS = `
body { font-family: system-ui, "DejaVu Sans", sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
h2 { border-top: 1px solid #ddd; padding-top: 1.2rem; margin-top: 2rem; }
.note { color: #666; font-size: 0.9rem; }
.table-wrap { overflow: auto; max-height: 36rem; border: 1px solid #eee; margin: 0.5rem 0; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border-bottom: 1px solid #eee; padding: 0.2rem 0.6rem; text-align: left; vertical-align: top; }
th { position: sticky; top: 0; background: #fff; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } figcaption { color: #666; font-size: 0.85rem; }
ul.warnings li { color: #7a4b00; }
`;

/** The main report's section linking each plan folder's page, with one line on what it found. */
export async function planLinksHtml(resultsDir: string, dirs: readonly string[]): Promise<string> {
  const items: string[] = [];
  for (const dir of dirs) {
    let line = '';
    try {
      const plan = JSON.parse(await readFile(join(resultsDir, dir, PLAN_FILE), 'utf8')) as CapacityPlan;
      const broken = plan.firstBreaks.filter((b) => b.factor !== null && b.datapath === plan.currentDatapath);
      const first = broken.sort((a, b) => a.factor! - b.factor!)[0];
      line = `${plan.cluster}: ${int(plan.nodes)} nodes, ${int(plan.servicePortsWithEndpoints)} Service ports, ${plan.proxyMode}` +
        (first === undefined ? '' : `; today's datapath first breaks at x${first.factor} ${first.dimension} (${first.causes.join(', ')})`);
    } catch (e) {
      line = `${PLAN_FILE} could not be read: ${(e as Error).message}`;
    }
    items.push(`<li><a href="${escapeHtml(encodeURIComponent(dir))}/index.html">${escapeHtml(dir)}</a> — ${escapeHtml(line)}</li>`);
  }
  return [
    '<section id="plans">',
    '<h2>Capacity plans</h2>',
    '<p class="note">Plans of real clusters (svcpath import, then svcpath plan), each on a page of its own.</p>',
    `<ul>${items.join('')}</ul>`,
    '</section>',
  ].join('\n');
}

export interface WrittenPlan {
  readonly dir: string;
  readonly page: string;
  readonly files: readonly string[];
}

/** Writes the plan's folder (every file atomically) and returns the page's path. */
export async function writePlanPage(dir: string, plan: CapacityPlan, profile: ClusterProfile): Promise<WrittenPlan> {
  mkdirSync(dir, { recursive: true });
  const data = chartRows(plan);
  const charts: [string, TopLevelSpec, string][] = [
    ['chart-first-packet', firstPacketChart(plan), 'First-packet RTT p99 against growth, per datapath'],
    ['chart-programming', programmingChart(plan), 'Network programming latency p99 against growth, per proxy'],
    ['chart-conntrack', conntrackChart(plan), 'Conntrack table fill against connection growth'],
  ];
  const figures: string[] = [];
  const files: string[] = [];
  for (const [name, spec, caption] of charts) {
    const rendered = await renderChart(spec, data);
    writeFileAtomicSync(join(dir, `${name}.vl.json`), `${JSON.stringify(spec, null, 2)}\n`);
    writeFileAtomicSync(join(dir, `${name}.svg`), rendered.svg);
    writeFileAtomicSync(join(dir, `${name}.png`), rendered.png);
    files.push(`${name}.vl.json`, `${name}.svg`, `${name}.png`);
    figures.push(`<figure id="${name}">${rendered.svg}<figcaption>${escapeHtml(caption)} · <a href="${name}.svg">SVG</a> · <a href="${name}.png">PNG</a> · <a href="${name}.vl.json">Vega-Lite</a></figcaption></figure>`);
  }
  writeFileAtomicSync(join(dir, PLAN_FILE), `${JSON.stringify(plan, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1)}\n`);
  writeFileAtomicSync(join(dir, 'cluster-profile.json'), `${profileJson(profile)}\n`);
  files.push(PLAN_FILE, 'cluster-profile.json');

  const classes = plan.nodeClasses
    .map((k) => `${escapeHtml(k.name)}: ${int(k.count)} nodes, ${k.cpuCores} cores, ${(k.memoryBytes / BYTES_PER_GIB).toFixed(0)} GiB, Linux ${escapeHtml(k.kernelVersion)}${k.cpuGhz === null ? '' : `, ${k.cpuGhz} GHz`} (${escapeHtml(k.nodePreset)}, NIC ${escapeHtml(nodeClassNic(k))})`)
    .join('; ');
  const o = plan.options;
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>svcpath capacity plan: ${escapeHtml(plan.cluster)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>Capacity plan: ${escapeHtml(plan.cluster)}</h1>`,
    `<p>${escapeHtml(`Proxy: ${plan.proxyMode}${plan.currentDatapath === null ? '' : ` (modelled as ${plan.currentDatapath})`}. ${int(plan.nodes)} nodes; ${int(plan.servicePortsWithEndpoints)} Service ports with endpoints (${profile.primaryFamily}), ${plan.endpointsPerServicePortMean.toFixed(2)} endpoints each on average${plan.kubeServicesRules === null ? '' : `; KUBE-SERVICES ${int(plan.kubeServicesRules)} rules`}.`)}</p>`,
    `<p class="note">Node classes planned: ${classes || 'none in the profile (the calibration table\'s typical node)'}. Growth factors ${escapeHtml(o.growth.join(', '))}; seed ${o.seed}; up to ${int(o.packetBudget)} packets per run. Made by <code>svcpath plan</code> from <a href="cluster-profile.json">cluster-profile.json</a>; the numbers are in <a href="${PLAN_FILE}">${PLAN_FILE}</a>.</p>`,
    '<h2 id="breaks">What breaks first</h2>',
    '<p class="note">For each node class and datapath, the smallest growth of one quantity at which a limit is passed, and which.</p>',
    breaksTable(plan),
    '<h2 id="today">Today</h2>',
    todayTable(plan),
    '<h2 id="charts">As the cluster grows</h2>',
    ...figures,
    '<h2 id="assumptions">Assumptions</h2>',
    `<ul>${assumptions(plan, profile).map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul>`,
    ...(profile.warnings.length === 0 ? [] : ['<h3>What the import noticed</h3>', `<ul class="warnings">${profile.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`]),
    '<h2 id="points">Every point</h2>',
    pointsTable(plan),
    '<h2 id="files">Files</h2>',
    `<ul>${files.map((f) => `<li><a href="${escapeHtml(f)}">${escapeHtml(f)}</a></li>`).join('')}</ul>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  const page = join(dir, 'index.html');
  writeFileAtomicSync(page, html);
  return { dir, page, files: [...files, 'index.html'] };
}
