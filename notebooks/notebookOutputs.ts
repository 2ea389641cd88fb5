/**
 * What an executed notebook's outputs say: the errors (a cell that threw), anything written to
 * stderr, and how many charts it shows (a display of the Vega-Lite MIME type with a static SVG or
 * PNG beside it, as experiments/lib/notebookChart.ts makes). `npm run notebooks` fails a notebook
 * on any error or stderr output and on a notebook without a chart.
 */
import { VEGA_LITE_MIME } from '../experiments/lib/notebookChart.ts';

/** The parts of an nbformat 4 notebook this reads. */
export interface NotebookJson {
  cells: { cell_type: string; id?: string; source: string | string[]; outputs?: OutputJson[]; execution_count?: number | null }[];
  metadata?: { kernelspec?: { name?: string } };
}

export interface OutputJson {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  data?: Record<string, unknown>;
}

export interface NotebookOutputReport {
  /** One line per error or stderr output: "cell 3: TypeError: ...". */
  readonly problems: string[];
  /** Displays carrying the Vega-Lite spec and a static SVG or PNG. */
  readonly charts: number;
}

const text = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join('') : (t ?? ''));

export function checkNotebookOutputs(nb: NotebookJson): NotebookOutputReport {
  const problems: string[] = [];
  let charts = 0;
  nb.cells.forEach((cell, i) => {
    const where = `cell ${i + 1}${cell.id ? ` (${cell.id})` : ''}`;
    for (const out of cell.outputs ?? []) {
      if (out.output_type === 'error') problems.push(`${where}: ${out.ename ?? 'Error'}: ${out.evalue ?? ''}`);
      else if (out.output_type === 'stream' && out.name === 'stderr') problems.push(`${where}: stderr: ${text(out.text).trim().split('\n')[0]}`);
      else if (out.data !== undefined && VEGA_LITE_MIME in out.data && ('image/svg+xml' in out.data || 'image/png' in out.data)) charts++;
    }
  });
  return { problems, charts };
}

/** Whether the notebook is as committed: no outputs and no execution counts. */
export function isCleared(nb: NotebookJson): boolean {
  return nb.cells.every((c) => c.cell_type !== 'code' || ((c.outputs ?? []).length === 0 && (c.execution_count ?? null) === null));
}
