/**
 * The notebooks as committed (executing them is `npm run notebooks`, which CI runs): each is an
 * nbformat 4.5 notebook for the Deno kernel, committed without outputs, importing only files that
 * exist by relative paths with their `.ts` extension, and drawing at least one chart. Also the
 * output check the runner applies to executed notebooks, and the runner's Jupyter environment.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VEGA_LITE_MIME } from '../../experiments/lib/notebookChart.ts';
import { checkNotebookOutputs, isCleared, type NotebookJson } from '../../notebooks/notebookOutputs.ts';
import { JUPYTER_DIR, jupyterEnv, KERNEL_NAME } from '../../notebooks/run.ts';

const NOTEBOOKS = resolve(dirname(fileURLToPath(import.meta.url)), '../../notebooks');
const files = readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ipynb')).sort();
const load = (f: string) => JSON.parse(readFileSync(join(NOTEBOOKS, f), 'utf8')) as NotebookJson & { nbformat: number; nbformat_minor: number };
const source = (cell: NotebookJson['cells'][number]) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);

describe('the committed notebooks', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('%s is an nbformat 4.5 notebook for the Deno kernel, with cell ids, committed without outputs', (f) => {
    const nb = load(f);
    expect([nb.nbformat, nb.nbformat_minor]).toEqual([4, 5]);
    expect(nb.metadata?.kernelspec?.name).toBe(KERNEL_NAME);
    const ids = nb.cells.map((c) => c.id);
    expect(ids.every((id) => typeof id === 'string' && id !== '')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(isCleared(nb), 'clear the outputs before committing (executed copies go to results/notebooks/)').toBe(true);
  });

  it.each(files)('%s imports existing files by relative paths with their .ts extension', (f) => {
    const code = load(f).cells.filter((c) => c.cell_type === 'code').map(source).join('\n');
    const specifiers = [...code.matchAll(/\bfrom\s+'([^']+)'/g)].map((m) => m[1]!);
    expect(specifiers.length).toBeGreaterThan(0);
    for (const s of specifiers.filter((x) => x.startsWith('.'))) {
      expect(s, `${f}: ${s}`).toMatch(/\.ts$/);
      expect(existsSync(resolve(NOTEBOOKS, s)), `${f}: ${s} does not exist`).toBe(true);
    }
  });

  it.each(files)('%s draws a chart and shows its outputs with show()', (f) => {
    const code = load(f).cells.filter((c) => c.cell_type === 'code').map(source).join('\n');
    expect(code).toMatch(/await show\(await notebookChart\(/);
  });
});

describe('checkNotebookOutputs', () => {
  const cell = (outputs: NonNullable<NotebookJson['cells'][number]['outputs']>) => ({ cell_type: 'code', id: 'c', source: '', outputs });
  const chart = { output_type: 'display_data', data: { [VEGA_LITE_MIME]: {}, 'image/svg+xml': '<svg/>', 'text/plain': 'x' } };

  it('counts a chart only with a static image beside the Vega-Lite spec', () => {
    const nb = { cells: [cell([chart]), cell([{ output_type: 'display_data', data: { [VEGA_LITE_MIME]: {} } }])] };
    expect(checkNotebookOutputs(nb)).toEqual({ problems: [], charts: 1 });
  });

  it('reports errors and stderr, with the cell', () => {
    const nb = {
      cells: [
        cell([{ output_type: 'error', ename: 'TypeError', evalue: 'x is undefined' }]),
        cell([{ output_type: 'stream', name: 'stdout', text: 'fine\n' }, { output_type: 'stream', name: 'stderr', text: ['Warning: ', 'careful\nmore\n'] }]),
      ],
    };
    expect(checkNotebookOutputs(nb).problems).toEqual(['cell 1 (c): TypeError: x is undefined', 'cell 2 (c): stderr: Warning: careful']);
  });
});

describe('the runner’s Jupyter environment', () => {
  it('puts the project’s kernelspec first and keeps config and runtime files in the project', () => {
    const env = jupyterEnv({ JUPYTER_PATH: '/elsewhere', HOME: homedir() });
    expect(env.JUPYTER_PATH!.split(delimiter)[0]).toBe(JUPYTER_DIR);
    expect(env.JUPYTER_PATH).toContain('/elsewhere');
    for (const key of ['JUPYTER_CONFIG_DIR', 'JUPYTER_RUNTIME_DIR'] as const) expect(env[key]!.startsWith(JUPYTER_DIR)).toBe(true);
    expect(JUPYTER_DIR.startsWith(resolve(NOTEBOOKS))).toBe(true);
  });
});
