import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tableFromArrays } from 'apache-arrow';
import { logger, parse, View, Warn } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { arrowRows, bindChartData, datasetNames, renderChart, type ChartRow } from '../../experiments/lib/charts.ts';
import { chartFieldProblems, SUMMARY_STATS } from '../../experiments/lib/chartFields.ts';
import { ciChart, CI_FIELDS, type CiChartDescription, type CiPanel, type CiScaleType } from '../../experiments/lib/ciChart.ts';
import { buildTables } from '../../experiments/lib/tables.ts';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Synthetic M/M/1 study: two series, five load points, and the closed form W = rho / (1 - rho). */
function mm1Data(): { summary: Record<string, unknown>[]; theory: Record<string, unknown>[] } {
  const summary: Record<string, unknown>[] = [];
  for (const lookup of ['iptables', 'nftables']) {
    for (const rho of [0.1, 0.3, 0.5, 0.7, 0.9]) {
      const w = rho / (1 - rho);
      summary.push({
        rho,
        lookup,
        n: 5,
        meanWaitSec_mean: w * (lookup === 'nftables' ? 1.05 : 0.97),
        meanWaitSec_ci95HalfWidth: 0.02 + 0.1 * w,
        analyticMeanWaitSec_mean: w,
      });
    }
  }
  const theory = Array.from({ length: 41 }, (_, i) => {
    const rho = 0.05 + i * 0.0225;
    return { rho, waitSec: rho / (1 - rho) };
  });
  return { summary, theory };
}

/** A hand-written layered spec over two tables: summary points and a finer closed-form curve. */
const twoTableSpec: TopLevelSpec = {
  title: 'Mean wait against load',
  layer: [
    {
      data: { name: 'theory' },
      mark: { type: 'line', color: '#555' },
      encoding: { x: { field: 'rho', type: 'quantitative' }, y: { field: 'waitSec', type: 'quantitative' } },
    },
    {
      data: { name: 'summary' },
      mark: { type: 'point', filled: true },
      encoding: {
        x: { field: 'rho', type: 'quantitative', title: 'offered load ρ' },
        y: { field: 'meanWaitSec_mean', type: 'quantitative', title: 'mean wait (s)' },
        color: { field: 'lookup', type: 'nominal' },
      },
    },
  ],
};

const mm1Chart = ciChart({
  title: 'Mean wait against load',
  x: { field: 'rho', title: 'offered load ρ' },
  series: { field: 'lookup', title: 'lookup', sort: ['iptables', 'nftables'] },
  panels: [{ metric: 'meanWaitSec', y: { title: 'mean wait (s)' }, reference: { metric: 'analyticMeanWaitSec', title: 'M/M/1 closed form' } }],
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The spec with `clip: true` on every mark (Vega then numbers <clipPath> ids from a module-level counter). */
function withClip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withClip);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === 'mark' ? { ...(typeof v === 'string' ? { type: v } : (v as object)), clip: true } : withClip(v);
  }
  return out;
}

interface SceneItem {
  mark?: { name: string };
  datum?: ChartRow;
  x?: number;
  y?: number;
  y2?: number;
  items?: SceneItem[];
}

interface DrawnMark {
  /** The interval (a rule) or the mean (a point), from the mark's name ci_<layer>_<panel>_marks. */
  layer: 'interval' | 'mean';
  /** Which panel of the description drew it. */
  panel: number;
  datum: ChartRow;
  /** y, y2 mapped back through the mark's own y scale (data units). */
  y: number;
  y2: number | undefined;
}

/**
 * Renders the spec headlessly and returns every drawn interval and mean point, with its pixel
 * positions mapped back to data units by the mark's own y scale.
 */
async function drawnCiMarks(spec: TopLevelSpec, rows: ChartRow[]): Promise<{ marks: DrawnMark[]; warnings: string[] }> {
  const warnings: string[] = [];
  const log = logger(Warn, undefined, (_method, _level, args) => {
    warnings.push(args.map(String).join(' '));
  });
  const vg = compile(bindChartData(spec, { summary: rows }), { logger: log }).spec as { marks?: unknown[] };
  const yScaleOf = new Map<string, string>();
  const walk = (marks: unknown[] = []): void => {
    for (const m of marks as { name: string; encode?: { update?: { y?: { scale?: string } } }; marks?: unknown[] }[]) {
      const scale = m.encode?.update?.y?.scale;
      if (scale !== undefined) yScaleOf.set(m.name, scale);
      walk(m.marks);
    }
  };
  walk(vg.marks);
  const view = new View(parse(vg as never), { renderer: 'none', logger: log, logLevel: Warn });
  await view.runAsync();
  const out: DrawnMark[] = [];
  const visit = (item: SceneItem): void => {
    const mark = item.mark;
    const layer = mark === undefined || item.datum === undefined ? null : /^ci_(interval|mean)_(\d+)_marks$/.exec(mark.name);
    if (layer) {
      const scale = view.scale(yScaleOf.get(mark!.name)!) as unknown as { invert(px: number): number };
      out.push({ layer: layer[1] as DrawnMark['layer'], panel: Number(layer[2]), datum: item.datum!, y: scale.invert(item.y!), y2: item.y2 === undefined ? undefined : scale.invert(item.y2) });
    }
    for (const child of item.items ?? []) visit(child);
  };
  visit((view.scenegraph() as unknown as { root: SceneItem }).root);
  view.finalize();
  return { marks: out, warnings };
}

function closeTo(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected));
}

describe('renderChart(spec, datasets)', () => {
  it('renders a ciChart (CI rules, points, closed form) as SVG and PNG in DejaVu Sans', async () => {
    const { summary } = mm1Data();
    const { svg, png, warnings } = await renderChart(mm1Chart, { summary });
    expect(warnings).toEqual([]);
    expect(svg.startsWith('<svg')).toBe(true);
    // One error bar (a rule) per summary row.
    const ruleGroup = svg.match(/<g class="mark-rule role-mark[^"]*"[^>]*>(.*?)<\/g>/s)?.[1] ?? '';
    expect(ruleGroup.match(/<line /g)?.length).toBe(summary.length);
    expect(svg).toMatch(/<g class="mark-line role-mark/);
    expect(svg).toContain('M/M/1 closed form');
    expect(svg).toContain('font-family="DejaVu Sans"');
    expect(svg).not.toMatch(/font-family="sans-serif"/);

    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const svgWidth = Number(svg.match(/^<svg[^>]* width="(\d+(?:\.\d+)?)"/)?.[1]);
    const svgHeight = Number(svg.match(/^<svg[^>]* height="(\d+(?:\.\d+)?)"/)?.[1]);
    expect(pngSize(png)).toEqual({ width: Math.round(svgWidth * 2), height: Math.round(svgHeight * 2) });
  });

  it('gives byte-identical SVG and PNG for the same inputs, whatever was rendered before or alongside', async () => {
    const { summary } = mm1Data();
    const clipped = withClip(mm1Chart) as TopLevelSpec;
    const first = await renderChart(clipped, { summary });
    expect(first.svg).toMatch(/<clipPath id="clip1"/);
    await renderChart(mm1Chart, { summary });
    const [a, b] = await Promise.all([renderChart(clipped, { summary }), renderChart(clipped, { summary })]);
    for (const again of [a, b]) {
      expect(again.svg).toBe(first.svg);
      expect(Buffer.compare(Buffer.from(again.png), Buffer.from(first.png))).toBe(0);
    }
  });

  it('layers specs over several named tables', async () => {
    const { summary, theory } = mm1Data();
    const { svg, warnings } = await renderChart(twoTableSpec, { summary, theory });
    expect(warnings).toEqual([]);
    const line = svg.match(/<g class="mark-line role-mark[^"]*"[^>]*><path [^>]*d="([^"]+)"/)?.[1] ?? '';
    expect(line.split(/[ML]/).filter((p) => p.trim() !== '').length).toBe(theory.length);
  });

  it('takes the rows of an Arrow table (bigint and dictionary columns) through arrowRows', async () => {
    const table = tableFromArrays({
      serviceCount: BigInt64Array.of(10n, 100n, 1000n),
      lookup: ['iptables', 'iptables', 'iptables'],
      p99LatencyNs: Float64Array.of(900, 1500, 9000),
    });
    const rows = arrowRows(table);
    expect(rows[1]).toEqual({ serviceCount: 100, lookup: 'iptables', p99LatencyNs: 1500 });
    const spec: TopLevelSpec = {
      data: { name: 'runs' },
      mark: 'line',
      encoding: {
        x: { field: 'serviceCount', type: 'quantitative', scale: { type: 'log' } },
        y: { field: 'p99LatencyNs', type: 'quantitative' },
        color: { field: 'lookup', type: 'nominal' },
      },
    };
    const { svg } = await renderChart(spec, { runs: rows });
    expect(svg).toMatch(/<g class="mark-line role-mark/);
    expect(svg).toContain('iptables');
  });

  it('rejects a spec that names a dataset that was not given, naming it', async () => {
    await expect(renderChart(twoTableSpec, { summary: [] })).rejects.toThrow(/dataset "theory", but only these were given: summary/);
  });

  it('refuses to load data from a URL (charts render offline)', async () => {
    const spec: TopLevelSpec = { data: { url: 'https://example.com/x.csv' }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } };
    await expect(renderChart(spec, {})).rejects.toThrow(/offline/);
  });
});

describe('bindChartData(spec, datasets)', () => {
  it('binds only the datasets the spec names, sets DejaVu Sans, and leaves the input untouched', () => {
    const { summary, theory } = mm1Data();
    const before = JSON.stringify(twoTableSpec);
    const bound = bindChartData(twoTableSpec, { summary, theory, runs: [{ x: 1 }] }) as TopLevelSpec & { config: { font: string } };
    expect(Object.keys(bound.datasets ?? {}).sort()).toEqual(['summary', 'theory']);
    expect(bound.config.font).toBe('DejaVu Sans');
    expect(JSON.stringify(twoTableSpec)).toBe(before);
  });

  it('datasetNames(spec) finds names in layers and nested views', () => {
    expect(datasetNames(twoTableSpec)).toEqual(['summary', 'theory']);
    expect(datasetNames(mm1Chart)).toEqual(['summary']);
    expect(datasetNames({ hconcat: [{ data: { name: 'b' } }, { layer: [{ data: { name: 'a' } }] }] })).toEqual(['a', 'b']);
  });
});

// ---------------------------------------------------------------------------------------------
// ciChart: the spec's shape, as properties over random descriptions and random summary tables.

const PARAMS = ['load', 'servers', 'datapath', 'node'] as const;
const identifier = fc.stringMatching(/^[a-z][A-Za-z0-9]{0,11}$/).filter((s) => !(PARAMS as readonly string[]).includes(s) && s !== 'n' && s !== 'point');

interface Study {
  metrics: string[];
  description: CiChartDescription;
}

/** Random descriptions over a sweep of load x datapath x node, with metrics named at random. */
const studies: fc.Arbitrary<Study> = fc
  .record({
    metrics: fc.uniqueArray(identifier, { minLength: 3, maxLength: 5 }),
    xScale: fc.constantFrom<CiScaleType>('linear', 'log'),
    panels: fc.array(
      fc.record({
        yScale: fc.constantFrom<CiScaleType>('linear', 'log', 'symlog'),
        several: fc.boolean(),
        reference: fc.constantFrom('none', 'metric', 'expr'),
        referenceMark: fc.constantFrom<'line' | 'points'>('line', 'points'),
        relative: fc.boolean(),
        factor: fc.constantFrom(undefined, 1e-3, 4),
        filter: fc.boolean(),
        lines: fc.boolean(),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    series: fc.boolean(),
    facet: fc.boolean(),
    dodge: fc.boolean(),
    sharedY: fc.boolean(),
  })
  .map(({ metrics, xScale, panels, series, facet, dodge, sharedY }) => {
    const anySeveral = panels.some((p) => p.several);
    const seriesOn = series && !anySeveral;
    // Dodging needs an order of the colour groups: the series' sort, or the metrics' order.
    const dodgeOn = dodge && (seriesOn || panels.every((p) => p.several));
    const [first, second, third] = metrics as [string, string, string];
    const description: CiChartDescription = {
      title: 'a chart',
      x: { field: 'load', title: 'load (1/s)', scale: xScale, ...(dodgeOn ? { dodge: xScale === 'log' ? 0.01 : 0.5 } : {}) },
      ...(seriesOn ? { series: { field: 'datapath', title: 'datapath', sort: ['b', 'a'] } } : {}),
      ...(facet ? { facet: { field: 'node', title: 'node', sort: { field: 'servers' } } } : {}),
      derive: { node: "'node ' + datum.servers" },
      // One y scale only for panels that draw the same kind of y (ciChart refuses the rest).
      sharedY: sharedY && new Set(panels.map((p) => (p.relative && p.reference !== 'none' ? 'relative' : p.yScale))).size === 1,
      width: 120,
      height: 90,
      panels: panels.map((p, i): CiPanel => {
        const reference =
          p.reference === 'metric'
            ? { metric: third, title: 'reference', mark: p.referenceMark }
            : p.reference === 'expr'
              ? { expr: 'datum.load * 2 + 1', title: 'reference', mark: p.referenceMark }
              : undefined;
        const relative = p.relative && reference !== undefined;
        return {
          title: `panel ${i}`,
          metric: p.several ? [{ metric: first, label: 'first' }, { metric: second, label: 'second' }] : first,
          y: { title: 'y (unit)', scale: relative ? 'linear' : p.yScale },
          ...(reference !== undefined ? { reference, relative } : {}),
          ...(p.factor !== undefined ? { factor: p.factor } : {}),
          ...(p.filter ? { filter: "datum.datapath != 'c'" } : {}),
          lines: p.lines,
        };
      }),
    };
    return { metrics, description };
  });

/** The summary table's columns for a sweep over PARAMS with these metrics, as the runner writes them. */
function summaryColumns(metrics: readonly string[]): string[] {
  return ['point', ...PARAMS, 'n', ...metrics.flatMap((m) => SUMMARY_STATS.map((s) => `${m}_${s}`))];
}

/** Random summary rows: every (load, datapath, servers) point, positive means, half-widths below the mean. */
function summaryRows(metrics: readonly string[]): fc.Arbitrary<ChartRow[]> {
  const points: Record<string, number | string>[] = [];
  for (const load of [1, 3, 10]) for (const datapath of ['a', 'b', 'c']) for (const servers of [1, 4]) points.push({ load, datapath, servers });
  const value = fc.double({ min: 0.5, max: 1e4, noNaN: true });
  const row = fc.record({
    means: fc.array(value, { minLength: metrics.length, maxLength: metrics.length }),
    relHalfWidths: fc.array(fc.oneof(fc.double({ min: 0, max: 0.9, noNaN: true }), fc.constant(NaN)), { minLength: metrics.length, maxLength: metrics.length }),
    n: fc.integer({ min: 1, max: 30 }),
  });
  return fc.array(row, { minLength: points.length, maxLength: points.length }).map((rs) =>
    rs.map((r, i) => {
      const out: ChartRow = { point: i, ...points[i]!, node: 'overwritten by derive', n: r.n };
      metrics.forEach((m, j) => {
        out[`${m}_mean`] = r.means[j]!;
        out[`${m}_ci95HalfWidth`] = r.means[j]! * r.relHalfWidths[j]!;
      });
      return out;
    }),
  );
}

/** What a mark drawn by panel `p` should show for its row: [low, mean, high] from the table's own columns. */
function expectedInterval(p: CiPanel, datum: ChartRow): [number, number, number] {
  const metric = typeof p.metric === 'string' ? p.metric : (datum[CI_FIELDS.metricKey] as string).replace(/_mean$/, '');
  const k = p.factor ?? 1;
  const mean = (datum[`${metric}_mean`] as number) * k;
  const raw = datum[`${metric}_ci95HalfWidth`] as number;
  const hw = (Number.isFinite(raw) ? raw : 0) * k;
  if (p.relative === true && p.reference !== undefined) {
    const ref = (p.reference.metric !== undefined ? (datum[`${p.reference.metric}_mean`] as number) : (datum.load as number) * 2 + 1) * k;
    const y = mean / ref - 1;
    return [y - hw / Math.abs(ref), y, y + hw / Math.abs(ref)];
  }
  return [mean - hw, mean, mean + hw];
}

/** Strings in the spec under `key`, at any depth. */
function stringsUnder(node: unknown, key: string, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((v) => stringsUnder(v, key, out));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key && typeof v === 'string') out.push(v);
      else if (k === key && Array.isArray(v)) out.push(...v.filter((x): x is string => typeof x === 'string'));
      else stringsUnder(v, key, out);
    }
  }
  return out;
}

/**
 * Every field the spec reads, from encodings and sorts (`field`), fold lists and Vega expressions
 * (`datum.x`, `datum["x"]`, and quoted `<metric>_<stat>` names looked up dynamically); and every
 * field its transforms create (`as`).
 */
function fieldUse(spec: unknown): { read: Set<string>; created: Set<string> } {
  const read = new Set([...stringsUnder(spec, 'field'), ...stringsUnder(spec, 'fold')]);
  const stat = new RegExp(`^[A-Za-z_$][\\w$]*_(${SUMMARY_STATS.join('|')})$`);
  for (const expr of [...stringsUnder(spec, 'calculate'), ...stringsUnder(spec, 'filter')]) {
    for (const m of expr.matchAll(/datum\.([A-Za-z_$][\w$]*)/g)) read.add(m[1]!);
    for (const m of expr.matchAll(/datum\[\s*"([^"]+)"\s*\]/g)) read.add(m[1]!);
    for (const m of expr.matchAll(/"([^"]+)"/g)) if (stat.test(m[1]!)) read.add(m[1]!);
  }
  return { read, created: new Set(stringsUnder(spec, 'as')) };
}

describe('ciChart(description)', () => {
  it('reads only columns of the summary table (or fields its own transforms make), for any description', () => {
    fc.assert(
      fc.property(studies, ({ metrics, description }) => {
        const spec = ciChart(description);
        const columns = summaryColumns(metrics);
        expect(spec.data).toEqual({ name: 'summary' });
        // The runner's own check (experimentSchema) accepts it.
        expect(chartFieldProblems(spec, { summary: columns, runs: [] })).toEqual([]);
        const { read, created } = fieldUse(spec);
        const unknown = [...read].filter((f) => !columns.includes(f) && !created.has(f));
        expect(unknown).toEqual([]);
        // Each metric the description names is read as <metric>_mean and <metric>_ci95HalfWidth, and
        // not vacuously: without those columns the same check names them.
        for (const p of description.panels) {
          for (const m of typeof p.metric === 'string' ? [p.metric] : p.metric.map((x) => x.metric)) {
            expect(read.has(`${m}_mean`) && read.has(`${m}_ci95HalfWidth`), m).toBe(true);
          }
        }
        const without = columns.filter((c) => !c.startsWith(`${metrics[0]}_`));
        expect([...read].filter((f) => !without.includes(f) && !created.has(f))).toContain(`${metrics[0]}_mean`);
      }),
      { numRuns: 200 },
    );
  });

  it('draws each interval from mean - half-width to mean + half-width and the point at the mean, in every panel and scale', async () => {
    await fc.assert(
      fc.asyncProperty(
        studies.chain((s) => summaryRows(s.metrics).map((rows) => ({ ...s, rows }))),
        async ({ description, rows }) => {
          const { marks, warnings } = await drawnCiMarks(ciChart(description), rows);
          expect(warnings).toEqual([]);
          const rules = marks.filter((m) => m.layer === 'interval');
          const points = marks.filter((m) => m.layer === 'mean');
          // One interval and one point per row that a panel shows, per metric it shows.
          const shown = description.panels.reduce((sum, p) => {
            const kept = p.filter === undefined ? rows.length : rows.filter((r) => r.datapath !== 'c').length;
            return sum + kept * (typeof p.metric === 'string' ? 1 : p.metric.length);
          }, 0);
          expect(rules.length).toBe(shown);
          expect(points.length).toBe(shown);
          for (const r of rules) {
            const [low, , high] = expectedInterval(description.panels[r.panel]!, r.datum);
            expect(closeTo(r.y, low), `low ${r.y} vs ${low}`).toBe(true);
            expect(closeTo(r.y2!, high), `high ${r.y2} vs ${high}`).toBe(true);
          }
          for (const p of points) expect(closeTo(p.y, expectedInterval(description.panels[p.panel]!, p.datum)[1])).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('on a log axis, draws an interval whose lower end is <= 0 down to a decade below the smallest mean (no NaN, no warning)', async () => {
    const rows = [1, 10, 100].map((load, i) => ({ load, n: 3, rttUs_mean: [20, 30, 2000][i]!, rttUs_ci95HalfWidth: [1, 2, 2600][i]! }));
    const spec = ciChart({ title: 't', x: { field: 'load', title: 'load', scale: 'log' }, panels: [{ metric: 'rttUs', y: { title: 'RTT (µs, log)', scale: 'log' } }] });
    const { marks, warnings } = await drawnCiMarks(spec, rows);
    expect(warnings).toEqual([]);
    const rules = marks.filter((m) => m.layer === 'interval').sort((a, b) => (a.datum.load as number) - (b.datum.load as number));
    // The third interval (2000 ± 2600) has no lower end on a log axis: it goes to 20 / 10 = 2.
    [19, 28, 2].forEach((low, i) => expect(closeTo(rules[i]!.y, low), `low ${rules[i]!.y} vs ${low}`).toBe(true));
    [21, 32, 4600].forEach((high, i) => expect(closeTo(rules[i]!.y2!, high), `high ${rules[i]!.y2} vs ${high}`).toBe(true));
    const { svg } = await renderChart(spec, { summary: rows });
    expect(svg).not.toContain('NaN');
  });

  it('takes its rows from a summary table the runner builds (metric names with the runner\'s suffixes)', async () => {
    const layout = {
      points: [1, 2, 4].map((servers, index) => ({ index, swept: { servers } })),
      paramColumns: [{ name: 'servers', type: 'number' as const }],
      metrics: ['waitSec'],
    };
    const rows = layout.points.flatMap((p) => [0, 1, 2].map((replication) => ({ point: p.index, replication, seed: 1, metrics: { waitSec: p.index + replication / 10 } })));
    // The rows the runner renders its charts from.
    const summary = buildTables(layout, rows).summaryRows as ChartRow[];
    const spec = ciChart({ title: 't', x: { field: 'servers', title: 'servers' }, panels: [{ metric: 'waitSec', y: { title: 'wait (s)' } }] });
    const { marks } = await drawnCiMarks(spec, summary);
    const rules = marks.filter((m) => m.layer === 'interval').sort((a, b) => (a.datum.servers as number) - (b.datum.servers as number));
    expect(rules.map((r) => closeTo((r.y + r.y2!) / 2, r.datum.waitSec_mean as number))).toEqual([true, true, true]);
    // Three replications 0, 0.1, 0.2 above the point index: Student-t half-width t(0.975, 2) * 0.1 / sqrt(3).
    for (const r of rules) expect(closeTo((r.y2! - r.y) / 2, (tQuantile(0.975, 2) * 0.1) / Math.sqrt(3))).toBe(true);
  });

  it('puts tooltips with x, mean, ± half-width and n on the points, and the reference when there is one', () => {
    const spec = JSON.stringify(mm1Chart);
    for (const field of ['rho', CI_FIELDS.mean, CI_FIELDS.halfWidth, 'n', CI_FIELDS.reference, 'lookup']) expect(spec).toContain(`{"field":"${field}"`);
    expect(spec).toMatch(/"tooltip":\[/);
  });

  it.each<[string, Partial<CiChartDescription>, RegExp]>([
    ['no panels', { panels: [] }, /ciChart "t": panels: expected at least one panel/],
    [
      'several metrics and a series',
      { series: { field: 'datapath', title: 'datapath' }, panels: [{ metric: [{ metric: 'a', label: 'A' }], y: { title: 'y' } }] },
      /panels\[0\]\.metric: several metrics are told apart by colour, so the chart cannot also colour by series "datapath"/,
    ],
    ['a relative error without a reference', { panels: [{ metric: 'a', y: { title: 'y' }, relative: true }] }, /panels\[0\]\.relative: a relative error needs a reference/],
    [
      'a reference with both a metric and an expression',
      { panels: [{ metric: 'a', y: { title: 'y' }, reference: { metric: 'b', expr: '1', title: 'r' } as never }] },
      /panels\[0\]\.reference: expected exactly one of metric/,
    ],
    ['a dodge without an order', { x: { field: 'load', title: 'x', dodge: 1 }, series: { field: 'datapath', title: 'd' } }, /x\.dodge: dodging places series by their order/],
    [
      'a shared y scale over a log and a linear panel',
      { sharedY: true, panels: [{ metric: 'a', y: { title: 'y', scale: 'log' } }, { metric: 'a', y: { title: 'y' } }] },
      /sharedY: panels share one y scale only if they draw the same kind of y; these draw log, linear/,
    ],
    ['a zero factor', { panels: [{ metric: 'a', y: { title: 'y' }, factor: 0 }] }, /panels\[0\]\.factor: expected a positive finite number, got 0/],
  ])('rejects %s, naming the field', (_name, change, message) => {
    const base: CiChartDescription = { title: 't', x: { field: 'load', title: 'x' }, panels: [{ metric: 'a', y: { title: 'y' } }] };
    expect(() => ciChart({ ...base, ...change })).toThrow(message);
  });
});
