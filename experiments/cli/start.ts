/**
 * `svcpath start` (what `npm start` runs): every experiment in experiments/index.ts into
 * results/<name>, then the offline report results/index.html. Runs resume, so a killed start
 * continues where it stopped and a second start reuses finished results; an experiment whose
 * definition changed since its last run starts over. With --cluster FILE: every experiment that
 * runs on a cluster profile, on it, into results/<name>-on-<profile>, and the same report.
 */
import { parseArgs, intFlag, UsageError } from './args.ts';
import { readProfileFlag } from './run.ts';
import type { Command } from './command.ts';
import { MAX_WORKERS } from '../lib/workerPool.ts';

const SYNOPSIS = 'svcpath start [--quick] [--workers N] [--results DIR] [--cluster FILE [--node-class NAME]]';
const HELP = `usage: ${SYNOPSIS}

Runs the default experiments (every one "svcpath list" shows) and writes the offline report.

  --quick        each experiment's quick mode (seconds instead of minutes)
  --workers N    worker threads per experiment (default: all cores)
  --results DIR  where results/<name> folders and index.html go (default results)
  --cluster FILE run every experiment that takes a cluster profile (svcpath import) on it, into
                 results/<name>-on-<profile> (see "svcpath run --help"); the report shows them
                 beside the default experiments' results already in DIR
  --node-class NAME
                 the profile's node class (default: the largest with workers)
  --help         print this text

Finished tasks are kept: interrupt it at any time and run it again to continue.`;

async function runStart(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv, { values: ['workers', 'results', 'cluster', 'node-class'], flags: ['quick'] });
  const workers = args.values.has('workers') ? intFlag(args, 'workers', { min: 1, max: MAX_WORKERS }) : undefined;
  const resultsDir = args.values.get('results') ?? 'results';
  const clusterFile = args.values.get('cluster');
  if (args.values.has('node-class') && clusterFile === undefined) throw new UsageError('--node-class needs --cluster (the profile whose node class it names)');
  const cluster = clusterFile === undefined ? undefined : await readProfileFlag(clusterFile, args.values.get('node-class'));
  const { basename, join } = await import('node:path');
  const { EXPERIMENTS: ALL } = await import('../index.ts');
  const { experimentRefFor } = await import('../lib/loadExperiment.ts');
  const { defaultOutDir, runStudy, StudyInputError } = await import('../lib/runStudy.ts');
  const EXPERIMENTS = cluster === undefined ? ALL : ALL.filter((e) => e.cluster !== undefined);
  if (cluster !== undefined) {
    const left = ALL.filter((e) => e.cluster === undefined).map((e) => e.name);
    process.stderr.write(`on cluster "${cluster.profile.name}": ${EXPERIMENTS.length} experiments take it${left.length > 0 ? ` (not ${left.join(', ')})` : ''}\n`);
  }
  const { createProgressReporter } = await import('../lib/progress.ts');
  const { writeReport } = await import('../lib/report.ts');
  const mode = process.stderr.isTTY ? 'tty' : 'lines';

  for (const [i, exp] of EXPERIMENTS.entries()) {
    process.stderr.write(`[${i + 1}/${EXPERIMENTS.length}] ${exp.name}: ${exp.question}\n`);
    const options = {
      experiment: experimentRefFor(exp.name),
      quick: args.flags.has('quick'),
      outDir: join(resultsDir, basename(defaultOutDir(exp.name, undefined, cluster?.profile.name))),
      ...(workers !== undefined ? { workers } : {}),
      ...(cluster !== undefined ? { cluster } : {}),
      onEvent: createProgressReporter(mode),
    };
    try {
      await runStudy({ ...options, resume: true });
    } catch (e) {
      // A changed definition (or --quick vs full) cannot resume the old tasks: start that one over.
      if (!(e instanceof StudyInputError)) throw e;
      if (!/different study/.test(e.message)) throw new UsageError(e.message);
      process.stderr.write(`${exp.name}: the results folder holds an older study; starting it over\n`);
      await runStudy({ ...options, resume: false });
    }
  }
  const report = await writeReport(resultsDir);
  process.stdout.write(`report: ${report}\n`);
}

export const startCommand: Command = {
  name: 'start',
  summary: 'run every default experiment and write the offline report (npm start)',
  synopsis: SYNOPSIS,
  help: HELP,
  run: runStart,
};
