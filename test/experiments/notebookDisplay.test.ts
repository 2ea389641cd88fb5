/**
 * The notebook helpers: a chart's display bundle carries the same SVG and PNG that renderChart
 * makes and a self-contained Vega-Lite spec; tables show every row's values; `show` outside a
 * kernel prints the plain-text form.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { renderChart } from '../../experiments/lib/charts.ts';
import { notebookChart, VEGA_LITE_MIME } from '../../experiments/lib/notebookChart.ts';
import { JUPYTER_DISPLAY, markdown, mimeBundle, show } from '../../experiments/lib/notebookDisplay.ts';
import { notebookTable } from '../../experiments/lib/notebookTable.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const rows = [
  { rho: 0.5, wait: 1 },
  { rho: 0.8, wait: 4 },
  { rho: 0.9, wait: 9 },
];
const spec: TopLevelSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: 'M/M/1 mean wait',
  data: { name: 'points' },
  mark: 'line',
  encoding: { x: { field: 'rho', type: 'quantitative' }, y: { field: 'wait', type: 'quantitative' } },
};

describe('notebookChart', () => {
  it('shows the Vega-Lite spec with its rows, and the SVG and PNG renderChart makes', async () => {
    const chart = await notebookChart(spec, { points: rows });
    const reference = await renderChart(spec, { points: rows });
    const bundle = chart[JUPYTER_DISPLAY]();
    expect(bundle['image/svg+xml']).toBe(reference.svg);
    const png = Buffer.from(bundle['image/png'] as string, 'base64');
    expect([...png.subarray(0, PNG_SIGNATURE.length)]).toEqual(PNG_SIGNATURE);
    expect(png.equals(Buffer.from(reference.png))).toBe(true);
    const embedded = bundle[VEGA_LITE_MIME] as Record<string, unknown>;
    expect(embedded.$schema).toBeUndefined();
    expect((embedded.datasets as Record<string, unknown>).points).toEqual(rows);
    expect(bundle['text/plain']).toContain('M/M/1 mean wait');
  });

  it('refuses a chart Vega warns about, unless told to keep it', async () => {
    const broken: TopLevelSpec = { ...spec, encoding: { x: { field: 'rho', type: 'quantitative', scale: { type: 'log' } }, y: { field: 'wait', type: 'quantitative' } } };
    const withZero = [{ rho: 0, wait: 0 }, ...rows];
    await expect(notebookChart(broken, { points: withZero })).rejects.toThrow(/warnings/);
    await expect(notebookChart(broken, { points: withZero }, { allowWarnings: true })).resolves.toBeDefined();
  });

  it('names a dataset the spec needs and was not given', async () => {
    await expect(notebookChart(spec, {})).rejects.toThrow(/points/);
  });
});

describe('notebookTable', () => {
  it('shows every value of every row, in HTML and plain text, with HTML escaped', () => {
    const table = notebookTable([
      { name: '<b>a</b>', n: 1234, x: 0.123456 },
      { name: 'b & c', n: 5n, x: null },
    ]);
    const bundle = table[JUPYTER_DISPLAY]();
    const html = bundle['text/html'] as string;
    expect(html).toContain('&lt;b&gt;a&lt;/b&gt;');
    expect(html).toContain('b &amp; c');
    expect(html).not.toContain('<b>a</b>');
    const text = (bundle['text/plain'] as string).split('\n');
    expect(text[0]!.split(/\s+/)).toEqual(['name', 'n', 'x']);
    expect(text[1]).toContain('1,234');
    expect(text[1]).toContain('0.1235');
    expect(text[2]).toContain('5');
  });

  it('shows at most maxRows rows and counts the rest', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ i }));
    const text = notebookTable(many, { maxRows: 3 })[JUPYTER_DISPLAY]()['text/plain'] as string;
    expect(text.split('\n')).toHaveLength(1 + 3 + 1);
    expect(text).toContain('(4 more rows)');
  });

  it('rejects a bad option, naming it', () => {
    expect(() => notebookTable([{ a: 1 }], { digits: 0 })).toThrow(/digits/);
  });
});

describe('show outside a notebook', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the plain-text form', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await show(markdown('**hello**'));
    await show({ a: 1n });
    expect(log.mock.calls.map((c) => c[0])).toEqual(['**hello**', JSON.stringify({ a: 1 }, null, 2)]);
  });

  it('keeps a Displayable’s own bundle', () => {
    expect(mimeBundle(markdown('x'))).toEqual({ 'text/markdown': 'x', 'text/plain': 'x' });
  });
});
