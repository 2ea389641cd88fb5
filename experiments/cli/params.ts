/**
 * `svcpath params`: prints the calibration table, every default number of the model with its
 * unit, label (sourced / derived / assumption) and source; --json prints the entries as one array.
 * Sources are long (a primary document with its section, then the docs/sources.md section), so
 * each one is printed under its row, indented and wrapped to the terminal's width (120 columns
 * when stdout is not a terminal).
 */
import { parseArgs, choiceFlag } from './args.ts';
import type { Command } from './command.ts';
import { formatTable } from './textTable.ts';
import { calibrationTable, type CalibrationEntry } from '../../model/calibration/index.ts';

const LABELS = ['sourced', 'derived', 'assumption'] as const;

const SYNOPSIS = 'svcpath params [--label sourced|derived|assumption] [--json]';

const HELP = `usage: svcpath params [--label sourced|derived|assumption] [--json]

Prints the calibration table: every default number the model uses, once, with its unit, its
label and its source: the primary document (repository file and commit, paper and section, RFC,
URL) and, where useful, the section of docs/sources.md that collects it.
  sourced      stated in the source as written
  derived      computed from sourced data (the JSON carries the derivation)
  assumption   no source; the JSON carries the plausible range [low, high]

  --label L    only the entries with that label
  --json       print one JSON array of the entries (key, value, unit, label, source, derivation,
               range, meaning) instead of the table
  --help       print this text`;

/** Integers with thousands separators, others to 6 significant digits (the JSON keeps full precision). */
function num(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(6)));
}

function valueText(e: CalibrationEntry): string {
  return e.range ? `${num(e.value)} [${num(e.range[0])}, ${num(e.range[1])}]` : num(e.value);
}

/** Words of `text` on lines of at most `width` characters (a longer word, e.g. a URL, gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return line === '' ? [''] : [...lines, line];
}

/** Width to wrap sources at: the terminal's, or 120 columns when stdout is not a terminal. */
function outputWidth(): number {
  return process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : 120; // calibration-exempt: presentation: wrap width when stdout is not a terminal
}

const SOURCE_INDENT = '    ';

/** key, value [range], unit and label as a table; under each row its source, indented and wrapped. */
function formatParams(entries: readonly CalibrationEntry[], width: number): string {
  const rows = formatTable(
    ['key', 'value [range]', 'unit', 'label'],
    entries.map((e) => [e.key, valueText(e), e.unit, e.label]),
    ['left', 'right', 'left', 'left'],
  ).split('\n');
  const sourceWidth = Math.max(40, width - SOURCE_INDENT.length); // calibration-exempt: presentation: the narrowest column a source is wrapped to
  const out = [rows[0]!, `${SOURCE_INDENT}source`];
  entries.forEach((e, i) => {
    out.push(rows[i + 1]!, ...wrap(e.source, sourceWidth).map((l) => `${SOURCE_INDENT}${l}`));
  });
  return out.join('\n');
}

function runParams(argv: readonly string[]): void {
  const args = parseArgs(argv, { values: ['label'], flags: ['json'] });
  const label = args.values.has('label') ? choiceFlag(args, 'label', LABELS) : undefined;
  const entries = calibrationTable.filter((e) => label === undefined || e.label === label);
  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify(entries)}\n`);
    return;
  }
  process.stdout.write(`${formatParams(entries, outputWidth())}\n`);
  process.stdout.write(`\n${entries.length} entries${label === undefined ? '' : ` labelled ${label}`} of ${calibrationTable.length}\n`);
}

export const paramsCommand: Command = {
  name: 'params',
  summary: 'print the calibration table (every default number with unit, label and source)',
  synopsis: SYNOPSIS,
  help: HELP,
  run: runParams,
};
