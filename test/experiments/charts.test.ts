import { describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import type { TopLevelSpec } from 'vega-lite';
import { arrowRows, bindChartData, ciChartSpec, datasetNames, renderChart } from '../../experiments/lib/charts.ts';

/** Synthetic M/M/1 study: two series, five load points, and the closed form W = rho / (1 - rho). */
function mm1Data(): { summary: Record<string, unknown>[]; theory: Record<string, unknown>[] } {
  const summary: Record<string, unknown>[] = [];
  for (const lookup of ['iptables', 'nftables']) {
    for (const rho of [0.1, 0.3, 0.5, 0.7, 0.9]) {
      const w = rho / (1 - rho);
      summary.push({ rho, lookup, meanWaitSec: w * (lookup === 'nftables' ? 1.05 : 0.97), meanWaitSecCi95HalfWidth: 0.02 + 0.1 * w });
    }
  }
  const theory = Array.from({ length: 41 }, (_, i) => {
    const rho = 0.05 + i * 0.0225;
    return { rho, waitSec: rho / (1 - rho) };
  });
  return { summary, theory };
}

const mm1Spec = ciChartSpec({
  data: 'summary',
  x: 'rho',
  xTitle: 'offered load ρ',
  mean: 'meanWaitSec',
  halfWidth: 'meanWaitSecCi95HalfWidth',
  yTitle: 'mean wait (s)',
  color: 'lookup',
  analytic: { data: 'theory', x: 'rho', y: 'waitSec', title: 'M/M/1 closed form' },
  title: 'Mean wait against load',
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function count(haystack: string, needle: RegExp): number {
  return haystack.match(needle)?.length ?? 0;
}

describe('renderChart(spec, datasets)', () => {
  it('renders CI error bars with the closed-form line layered on top, as SVG and PNG', async () => {
    const { summary, theory } = mm1Data();
    const { svg, png, warnings } = await renderChart(mm1Spec, { summary, theory });
    expect(warnings).toEqual([]);
    expect(svg.startsWith('<svg')).toBe(true);
    // One filled point per summary row, one error bar (a rule) per row, one line for the curve.
    const symbolGroup = svg.match(/<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/s)?.[1] ?? '';
    expect(count(symbolGroup, /<path /g)).toBe(summary.length);
    const ruleGroup = svg.match(/<g class="mark-rule role-mark[^"]*"[^>]*>(.*?)<\/g>/s)?.[1] ?? '';
    expect(count(ruleGroup, /<line /g)).toBe(summary.length);
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
    const { summary, theory } = mm1Data();
    // clip: true makes Vega number <clipPath> ids from a module-level counter.
    const clipped = { ...mm1Spec, layer: [...(mm1Spec as { layer: object[] }).layer.map((l) => ({ ...l, mark: { ...(l as { mark: object }).mark, clip: true } }))] } as TopLevelSpec;
    const first = await renderChart(clipped, { summary, theory });
    expect(first.svg).toMatch(/<clipPath id="clip1"/);
    await renderChart(mm1Spec, { summary, theory });
    const [a, b] = await Promise.all([renderChart(clipped, { summary, theory }), renderChart(clipped, { summary, theory })]);
    for (const again of [a, b]) {
      expect(again.svg).toBe(first.svg);
      expect(Buffer.compare(Buffer.from(again.png), Buffer.from(first.png))).toBe(0);
    }
  });

  it('draws the closed form from a Vega expression over the summary rows (analytic.expr)', async () => {
    const { summary } = mm1Data();
    const spec = ciChartSpec({
      data: 'summary',
      x: 'rho',
      mean: 'meanWaitSec',
      halfWidth: 'meanWaitSecCi95HalfWidth',
      analytic: { data: 'summary', x: 'rho', expr: 'datum.rho / (1 - datum.rho)', title: 'M/M/1 closed form' },
    });
    const { svg, warnings } = await renderChart(spec, { summary });
    expect(warnings).toEqual([]);
    const line = svg.match(/<g class="mark-line role-mark[^"]*"[^>]*><path [^>]*d="([^"]+)"/)?.[1] ?? '';
    // One vertex per summary row (the two series share the five rho values, drawn as one path).
    expect(line.split(/[ML]/).filter((p) => p.trim() !== '').length).toBe(summary.length);
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
    await expect(renderChart(mm1Spec, { summary: [] })).rejects.toThrow(/dataset "theory", but only these were given: summary/);
  });

  it('refuses to load data from a URL (charts render offline)', async () => {
    const spec: TopLevelSpec = { data: { url: 'https://example.com/x.csv' }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } };
    await expect(renderChart(spec, {})).rejects.toThrow(/offline/);
  });
});

describe('bindChartData(spec, datasets)', () => {
  it('binds only the datasets the spec names, sets DejaVu Sans, and leaves the input untouched', () => {
    const { summary, theory } = mm1Data();
    const before = JSON.stringify(mm1Spec);
    const bound = bindChartData(mm1Spec, { summary, theory, runs: [{ x: 1 }] }) as TopLevelSpec & { config: { font: string } };
    expect(Object.keys(bound.datasets ?? {}).sort()).toEqual(['summary', 'theory']);
    expect(bound.config.font).toBe('DejaVu Sans');
    expect(JSON.stringify(mm1Spec)).toBe(before);
  });

  it('datasetNames(spec) finds names in layers and nested views', () => {
    expect(datasetNames(mm1Spec)).toEqual(['summary', 'theory']);
    expect(datasetNames({ hconcat: [{ data: { name: 'b' } }, { layer: [{ data: { name: 'a' } }] }] })).toEqual(['a', 'b']);
  });
});
