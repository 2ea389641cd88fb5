/**
 * `svcpath merge DIR...`: combines the folders of `svcpath run --shard i/n` runs into one results
 * folder, byte-identical in its tables to an unsharded run (experiments/lib/mergeStudies.ts).
 */
import { parseArgs, UsageError } from './args.ts';
import type { Command } from './command.ts';

const SYNOPSIS = 'svcpath merge DIR... [--out DIR] [--json]';

const HELP = `usage: svcpath merge DIR... [--out DIR] [--json]

Merges the results folders of the n shards of one study ("svcpath run NAME --shard i/n", one
folder per shard) into one folder with the runs.arrow and summary.arrow an unsharded run would
have written, byte for byte, plus charts, Parquet, a manifest (listing the shards' hosts and
timings under mergedFrom) and .tasks/, so the result can be extended like any run. Every shard
0..n-1 must be given once and be finished (have a manifest.json).

  DIR...     the shard folders
  --out DIR  the merged folder (default results/NAME); not one of the shard folders
  --json     print one JSON object on stdout
  --help     print this text

Example: svcpath merge results/queue-validation-shard-*-of-3 --out results/queue-validation`;

async function runMerge(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv, { values: ['out'], flags: ['json'], maxPositionals: 100_000 });
  if (args.positionals.length === 0) throw new UsageError('give the shard folders to merge');
  const { mergeStudies } = await import('../lib/mergeStudies.ts');
  const { StudyInputError } = await import('../lib/runStudy.ts');
  const out = args.values.get('out');
  let r;
  try {
    r = await mergeStudies({ dirs: args.positionals, ...(out !== undefined ? { outDir: out } : {}) });
  } catch (e) {
    if (e instanceof StudyInputError) throw new UsageError(e.message);
    throw e;
  }
  if (args.flags.has('json')) process.stdout.write(`${JSON.stringify(r)}\n`);
  else {
    process.stdout.write(`${r.name}: merged ${r.shards} shards, ${r.rows} rows -> ${r.outDir}\nfiles: ${r.files.join(', ')}\n`);
    for (const n of r.warnings) process.stderr.write(`svcpath merge: note: ${n}\n`);
  }
}

export const mergeCommand: Command = {
  name: 'merge',
  summary: 'merge the shard folders of a --shard i/n study into one results folder',
  synopsis: SYNOPSIS,
  help: HELP,
  run: runMerge,
};
