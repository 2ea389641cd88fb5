/**
 * `svcpath report`: writes the offline HTML report (results/index.html by default) over every
 * experiment folder in the results directory, and prints its path.
 */
import { stat } from 'node:fs/promises';
import { parseArgs, UsageError } from './args.ts';
import type { Command } from './command.ts';

export const REPORT_DEFAULT_RESULTS = 'results';

const SYNOPSIS = 'svcpath report [--results DIR]';

const HELP = `usage: ${SYNOPSIS}

Writes DIR/index.html, one self-contained page over every experiment folder in DIR (a folder
with a manifest.json): the question, the charts (drawn from the folder's Arrow tables), the
summary table, and links to runs.arrow, runs.parquet, summary.arrow, manifest.json and the
chart images. The chart libraries and the data are inside the page, so it opens offline and
can be mailed or archived as one file (the links to data files need the folder beside it).

  --results DIR   the results folder (default ${REPORT_DEFAULT_RESULTS})
  --help          print this text

Prints the path of the report. Example: npm run report`;

export const reportCommand: Command = {
  name: 'report',
  summary: 'write the offline HTML report over a results folder',
  synopsis: SYNOPSIS,
  help: HELP,
  async run(argv) {
    const args = parseArgs(argv, { values: ['results'], flags: [] });
    const dir = args.values.get('results') ?? REPORT_DEFAULT_RESULTS;
    const info = await stat(dir).catch(() => undefined);
    if (info === undefined || !info.isDirectory()) {
      throw new UsageError(`--results: "${dir}" is not a directory${args.values.has('results') ? '' : ' (the default; run an experiment first or pass --results DIR)'}`);
    }
    // Loaded here, not at the top: vega, vega-lite and Arrow would slow every other command's start.
    const { writeReport } = await import('../lib/report.ts');
    const path = await writeReport(dir);
    process.stdout.write(`${path}\n`);
  },
};
