/**
 * `svcpath run NAME`: runs an experiment into its results folder (experiments/lib/runStudy.ts),
 * with progress on stderr and either a short report or one JSON object on stdout.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs, intFlag, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { formatTable } from './textTable.ts';
import { MAX_WORKERS } from '../lib/workerPool.ts';
import { MEAN_SUFFIX } from '../lib/chartFields.ts';

/** Rows of the summary table printed after a run (all of them are in summary.arrow). */
const SUMMARY_ROWS_SHOWN = 40; // calibration-exempt: presentation, not a model quantity

const SYNOPSIS =
  'svcpath run NAME [--quick] [--workers N] [--out DIR] [--resume] [--replications N] [--shard i/n] [--seed S] [--cluster FILE [--node-class NAME]] [--json]';

const HELP = `usage: svcpath run NAME [--quick] [--workers N] [--out DIR] [--resume] [--replications N]
                        [--shard i/n] [--seed S] [--cluster FILE [--node-class NAME]] [--json]

Runs an experiment (see "svcpath list") and writes its results folder:
  runs.arrow             one row per point x replication: point, swept parameters, replication,
                         seed, every metric
  summary.arrow          one row per point: point, swept parameters, n, and per metric
                         <metric>_mean, _ci95HalfWidth, _p50, _p90, _p99, _min, _max
  chart-<chart>.vl.json  each chart's Vega-Lite spec, bound to "summary" or "runs" by name
  chart-<chart>.svg/png, runs.parquet, summary.parquet  when the renderers are installed
  manifest.json          study, seeds, replications per point, versions, git revision, timings
  .tasks/                one file per finished (point, replication), for --resume
Sweep points run in parallel on worker threads. Replication r of every point uses the random
streams of (seed, r), so points share common random numbers, and the tables are byte-identical
for any worker count, shard split, or interruption followed by --resume.

  NAME               an experiment name, or the path of an experiment file (e.g. ./study.ts)
  --quick            the experiment's quick variant (smaller sweep and runs), done in seconds
  --workers N        worker threads, an integer >= 1 (default: available cores, ${availableParallelism()} here)
  --out DIR          results folder (default results/NAME; results/NAME-shard-i-of-n with --shard)
  --resume           keep the finished tasks in DIR (after an interruption) and run the rest;
                     the study must be the same (name, parameters, points, seed, metrics)
  --replications N   N replications per point, an integer >= 1, replacing the experiment's count
                     or precision target; on a finished run of the same study in DIR only the
                     missing replications run
  --shard i/n        run only part of the study, for n machines: tasks whose index (replication
                     x points + point) mod n = i (with a precision target: points whose index
                     mod n = i); combine the n folders with "svcpath merge"
  --seed S           study seed, an integer >= 0 (default: the experiment's seed, else 1)
  --cluster FILE     run on a cluster profile (svcpath import): the experiment takes its base
                     values from it (Services, endpoints, datapath, nodes: "svcpath list" says
                     which experiments take a cluster and what each takes), its scenarios
                     simulate the node class's node (cores, clock, NIC, RAM, kernel, conntrack
                     size) and iptables' real KUBE-SERVICES positions; swept parameters keep the
                     sweep's values. Default DIR: results/NAME-on-PROFILE. The manifest records
                     the profile's name and hash, the node class and every value it supplied
  --node-class NAME  the profile's node class (default: the largest with workers)
  --json             no progress output; one JSON object on stdout when done
  --help             print this text

Without --resume (or the --replications case above) DIR starts over. Progress goes to stderr:
one redrawn line on a terminal, plain lines otherwise. Exit codes: 0 done, 1 failure (a
scenario error, an invalid experiment file), 2 usage error.

Example: npm run svcpath -- run queue-validation --quick`;

export interface RunInputs {
  nameOrPath: string;
  quick: boolean;
  workers: number | undefined;
  out: string | undefined;
  resume: boolean;
  replications: number | undefined;
  shard: { index: number; count: number } | undefined;
  seed: number | undefined;
  cluster: string | undefined;
  nodeClass: string | undefined;
  json: boolean;
}

export function parseShard(raw: string | undefined): { index: number; count: number } | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(count) && count >= 1 && index < count)) {
    throw new UsageError(`--shard: expected i/n with integers 0 <= i < n (e.g. 0/4), got "${raw}"`);
  }
  return { index, count };
}

export function parseRunArgs(argv: readonly string[]): RunInputs {
  const args = parseArgs(argv, {
    values: ['workers', 'out', 'replications', 'shard', 'seed', 'cluster', 'node-class'],
    flags: ['quick', 'resume', 'json'],
    maxPositionals: 1,
  });
  const nameOrPath = args.positionals[0];
  if (nameOrPath === undefined) throw new UsageError('missing the experiment NAME (see "svcpath list")');
  const opt = (name: string, min: number, max?: number) =>
    args.values.has(name) ? intFlag(args, name, { min, ...(max !== undefined ? { max } : {}) }) : undefined;
  const inputs: RunInputs = {
    nameOrPath,
    quick: args.flags.has('quick'),
    workers: opt('workers', 1, MAX_WORKERS),
    out: args.values.get('out'),
    resume: args.flags.has('resume'),
    replications: opt('replications', 1, 1_000_000),
    shard: parseShard(args.values.get('shard')),
    seed: opt('seed', 0, Number.MAX_SAFE_INTEGER),
    cluster: args.values.get('cluster'),
    nodeClass: args.values.get('node-class'),
    json: args.flags.has('json'),
  };
  if (inputs.nodeClass !== undefined && inputs.cluster === undefined) throw new UsageError('--node-class needs --cluster (the profile whose node class it names)');
  return inputs;
}

/** The profile of --cluster (a ProfileError is a usage error naming the file and field). */
export async function readProfileFlag(file: string, nodeClass: string | undefined) {
  // Loaded here, not at the top, so --help and flag errors answer without zod.
  const { loadProfile } = await import('./clusterFlags.ts');
  return { profile: loadProfile(file), file, ...(nodeClass !== undefined ? { nodeClass } : {}) };
}

function cell(v: unknown, digits?: number): string {
  if (typeof v === 'number' && digits !== undefined && Number.isFinite(v) && !Number.isInteger(v)) return v.toPrecision(digits);
  return v === null || v === undefined ? 'NaN' : String(v);
}

async function runRun(argv: readonly string[]): Promise<void> {
  const inputs = parseRunArgs(argv);
  // Loaded only once the flags are valid, so --help and usage errors answer quickly.
  const { experimentRefFor, loadDefinitions, ExperimentNotFoundError } = await import('../lib/loadExperiment.ts');
  const { runStudy, StudyInputError } = await import('../lib/runStudy.ts');
  const { createProgressReporter } = await import('../lib/progress.ts');

  const ref = experimentRefFor(inputs.nameOrPath);
  if (ref.name === undefined) {
    if (!existsSync(new URL(ref.moduleUrl))) throw new UsageError(`NAME: no experiment file at ${resolve(inputs.nameOrPath)}`);
  } else {
    const defs = await loadDefinitions(ref.moduleUrl);
    const names = defs.map((d) => d.name);
    if (!names.includes(ref.name)) throw new UsageError(`unknown experiment "${ref.name}"; allowed: ${names.join(', ')}`);
    if (inputs.cluster !== undefined && defs.find((d) => d.name === ref.name)!.cluster === undefined) {
      const onClusters = defs.filter((d) => d.cluster !== undefined).map((d) => d.name);
      throw new UsageError(`--cluster: experiment "${ref.name}" does not run on a cluster profile; experiments that do: ${onClusters.join(', ')}`);
    }
  }
  const cluster = inputs.cluster === undefined ? undefined : await readProfileFlag(inputs.cluster, inputs.nodeClass);
  const mode = inputs.json ? 'none' : process.stderr.isTTY ? 'tty' : 'lines';
  let result;
  try {
    result = await runStudy({
      experiment: ref,
      quick: inputs.quick,
      resume: inputs.resume,
      ...(inputs.workers !== undefined ? { workers: inputs.workers } : {}),
      ...(inputs.out !== undefined ? { outDir: inputs.out } : {}),
      ...(inputs.replications !== undefined ? { replications: inputs.replications } : {}),
      ...(inputs.shard !== undefined ? { shard: inputs.shard } : {}),
      ...(inputs.seed !== undefined ? { seed: inputs.seed } : {}),
      ...(cluster !== undefined ? { cluster } : {}),
      onEvent: createProgressReporter(mode),
    });
  } catch (e) {
    if (e instanceof StudyInputError || e instanceof ExperimentNotFoundError) throw new UsageError(e.message);
    throw e;
  }

  if (inputs.json) {
    process.stdout.write(`${JSON.stringify({ ...result, wallMs: Math.round(result.wallMs) })}\n`);
    return;
  }
  const metric = result.summary.length > 0 ? Object.keys(result.summary[0]!).find((k) => k.endsWith(MEAN_SUFFIX))?.slice(0, -MEAN_SUFFIX.length) : undefined;
  const lines = [
    `${result.name}: ${result.tasks.inTables} rows (${result.tasks.ran} ran, ${result.tasks.reused} reused) in ${(result.wallMs / 1000).toFixed(1)}s -> ${result.outDir}`,
    `files: ${result.files.join(', ')}`,
  ];
  if (result.cluster !== null) {
    const supplied = Object.entries(result.cluster.fromProfile).map(([k, v]) => `${k}=${String(v)}`);
    lines.push(
      `on cluster "${result.cluster.profile}", node class ${result.cluster.nodeClass ?? '(none: the typical node)'}${supplied.length > 0 ? `; base values from the profile: ${supplied.join(', ')}` : ''}`,
      `the experiment takes ${result.cluster.uses}`,
    );
  }
  if (metric !== undefined) {
    const first = result.summary[0]!;
    const params = Object.keys(first).slice(1, Object.keys(first).indexOf('n'));
    const shown = result.summary.slice(0, SUMMARY_ROWS_SHOWN);
    lines.push(
      '',
      formatTable(
        [...params, 'n', `${metric} mean`, '± 95%'],
        shown.map((r) => [...params.map((p) => cell(r[p])), cell(r.n), cell(r[`${metric}_mean`], 4), cell(r[`${metric}_ci95HalfWidth`], 2)]), // calibration-exempt: significant digits of the printed mean and half-width
        [...params.map(() => 'right' as const), 'right', 'right', 'right'],
      ),
    );
    if (result.summary.length > shown.length) lines.push(`... ${result.summary.length - shown.length} more points in summary.arrow`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run an experiment into results/NAME (parallel, resumable, shardable)',
  synopsis: SYNOPSIS,
  help: HELP,
  run: runRun,
};
