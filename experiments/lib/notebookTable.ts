/**
 * Rows as a notebook table: an HTML table for JupyterLab, VS Code and nbconvert, and the same as
 * aligned plain text for consoles. Numbers are rounded for reading only (the rows keep every
 * digit); Arrow rows and bigint columns are accepted as they come from a table.
 *
 * @example
 * notebookTable(arrowRows(summary), { columns: ['datapath', 'services', 'firstPacketP99Us_mean'] });
 */
import { formatTable } from '../cli/textTable.ts';
import { displayable, type Displayable } from './notebookDisplay.ts';

export interface NotebookTableOptions {
  /** Columns in order. __Default value:__ every key of the first row */
  columns?: readonly string[];
  /** Significant digits of non-integers. __Default value:__ 4 */
  digits?: number;
  /** Rows shown; the rest are counted in a last line. __Default value:__ 50 */
  maxRows?: number;
}

const DEFAULT_DIGITS = 4; // calibration-exempt: presentation, digits a reader compares at a glance
const DEFAULT_MAX_ROWS = 50; // calibration-exempt: presentation, a screenful of rows

export interface NotebookTable extends Displayable {
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, unknown>[];
}

function cellText(v: unknown, digits: number): string {
  if (typeof v === 'bigint') return v.toLocaleString('en-US');
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumSignificantDigits: digits });
  }
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function plainObject(row: unknown): Record<string, unknown> {
  const r = row as { toJSON?: () => unknown };
  return (typeof r.toJSON === 'function' ? r.toJSON() : row) as Record<string, unknown>;
}

export function notebookTable(rows: Iterable<unknown>, options: NotebookTableOptions = {}): NotebookTable {
  const all = [...rows].map(plainObject);
  const columns = options.columns ?? Object.keys(all[0] ?? {});
  const digits = options.digits ?? DEFAULT_DIGITS;
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  if (!Number.isInteger(digits) || digits < 1) throw new RangeError(`notebookTable: digits must be an integer >= 1, got ${digits}`);
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new RangeError(`notebookTable: maxRows must be an integer >= 1, got ${maxRows}`);
  const shown = all.slice(0, maxRows).map((r) => columns.map((c) => cellText(r[c], digits)));
  const more = all.length > maxRows ? `(${all.length - maxRows} more rows)` : '';
  const numeric = columns.map((c) => all.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number' || typeof r[c] === 'bigint'));
  const table = { columns, rows: all };
  return displayable(table, () => {
    const align = numeric.map((n) => (n ? 'right' : 'left') as 'right' | 'left');
    const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
    const body = shown
      .map((cells) => `<tr>${cells.map((t, j) => `<td style="text-align:${align[j]}">${escapeHtml(t)}</td>`).join('')}</tr>`)
      .join('\n');
    return {
      'text/html': `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>${more ? `\n<p>${more}</p>` : ''}`,
      'text/plain': formatTable(columns, shown, align) + (more ? `\n${more}` : ''),
    };
  });
}
