/**
 * Plain-text tables for terminal output: columns padded to their widest cell, separated by two
 * spaces, each column aligned left or right.
 */

export type ColumnAlign = 'left' | 'right';

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly ColumnAlign[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, j) => Math.max(...all.map((r) => (r[j] ?? '').length)));
  return all
    .map((r) =>
      widths
        .map((w, j) => {
          const cell = r[j] ?? '';
          return align[j] === 'right' ? cell.padStart(w) : cell.padEnd(w);
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
