/**
 * `svcpath params`: prints the calibration table, every default number of the model with its
 * unit, label (sourced / derived / assumption) and source; --json prints the entries as one array.
 */
import { parseArgs, choiceFlag } from './args.ts';
import type { Command } from './command.ts';
import { formatTable } from './textTable.ts';
import { calibrationTable, type CalibrationEntry } from '../../model/calibration/index.ts';

const LABELS = ['sourced', 'derived', 'assumption'] as const;

const SYNOPSIS = 'svcpath params [--label sourced|derived|assumption] [--json]';

const HELP = `usage: svcpath params [--label sourced|derived|assumption] [--json]

Prints the calibration table: every default number the model uses, once, with its unit, its
label and its source (document and section, as named in reference/datapath-facts.md).
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

function runParams(argv: readonly string[]): void {
  const args = parseArgs(argv, { values: ['label'], flags: ['json'] });
  const label = args.values.has('label') ? choiceFlag(args, 'label', LABELS) : undefined;
  const entries = calibrationTable.filter((e) => label === undefined || e.label === label);
  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify(entries)}\n`);
    return;
  }
  const rows = entries.map((e) => [e.key, valueText(e), e.unit, e.label, e.source]);
  process.stdout.write(`${formatTable(['key', 'value [range]', 'unit', 'label', 'source'], rows, ['left', 'right', 'left', 'left', 'left'])}\n`);
  process.stdout.write(`\n${entries.length} entries${label === undefined ? '' : ` labelled ${label}`} of ${calibrationTable.length}\n`);
}

export const paramsCommand: Command = {
  name: 'params',
  summary: 'print the calibration table (every default number with unit, label and source)',
  synopsis: SYNOPSIS,
  help: HELP,
  run: runParams,
};
