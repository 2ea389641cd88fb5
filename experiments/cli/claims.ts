/**
 * `svcpath claims`: every claim of the seed next to its evidence and a verdict computed now from
 * the results folder (what `npm start` writes), the calibration table and the sourced fact
 * records. A table by default, one JSON array with --json; filters by question and verdict; says
 * which experiments' results are missing or stale, and with --run-missing runs those in quick mode
 * first.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs, choiceFlag, intFlag, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { formatTable } from './textTable.ts';
import { VERDICTS, type Verdict } from '../claims/claimTypes.ts';
import { SEED_QUESTIONS } from '../claims/seedQuestions.ts';
import { MAX_WORKERS } from '../lib/workerPool.ts';

export const CLAIMS_DEFAULT_RESULTS = 'results';
const QUESTIONS = SEED_QUESTIONS.map((q) => q.number);
const FIRST_Q = Math.min(...QUESTIONS);
const LAST_Q = Math.max(...QUESTIONS);

const SYNOPSIS = `svcpath claims [--json] [--question ${FIRST_Q}-${LAST_Q}] [--verdict ${VERDICTS.join('|')}] [--results DIR] [--run-missing [--workers N]]`;

const HELP = `usage: svcpath claims [--json] [--question Q] [--verdict V] [--results DIR]
                      [--run-missing [--workers N]]

The seed's claims (eight interview answers about Kubernetes Service datapaths and their
follow-ups), each next to the evidence that settles it and a verdict computed now:
  supported     the evidence agrees
  wrong         it contradicts the claim
  misleading    true only in a case the claim does not name, or changes nothing
  unsupported   nothing sourced settles it (the model's number there is an assumption)
  out-of-scope  not a performance question (policy semantics, operations)
  pending       the experiment that settles it is not built yet, or its results are missing
Evidence is an experiment's summary table in the results folder (a mean with its 95 % CI), a
calibration entry ("svcpath params"), or a sourced fact record (an option's real name and
default, what a sysctl does, whether a metric exists). Each claim carries its rule in words.

  --json          one JSON array: id, question, claim, claimedValue, verdict, verdictReason,
                  modelValue, modelInterval, unit, experiment, metric, where, chart, rule,
                  explanation, sources, results (status of the results used), needsFullRun
  --question Q    only the claims of seed question Q (${FIRST_Q}-${LAST_Q})
  --verdict V     only the claims with that verdict: ${VERDICTS.join(', ')}
  --results DIR   the results folder to read (default ${CLAIMS_DEFAULT_RESULTS}, what "npm start" writes)
  --run-missing   first run, in quick mode, every experiment the claims read whose results are
                  missing or stale (made by other model or experiment code)
  --workers N     worker threads for --run-missing (default: all cores)
  --help          print this text

Without --json, notes on missing and stale results follow the table; with --json they go to
stderr. Example: npm run -s svcpath -- claims --question 3`;

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

// calibration-exempt-begin: presentation (column widths of the table, in characters)
const CLAIMED_WIDTH = 44;
const MODEL_WIDTH = 34;
const EVIDENCE_WIDTH = 48;
// calibration-exempt-end

async function runClaims(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv, { values: ['question', 'verdict', 'results', 'workers'], flags: ['json', 'run-missing'] });
  const question = args.values.has('question') ? intFlag(args, 'question', { min: FIRST_Q, max: LAST_Q }) : undefined;
  const verdict: Verdict | undefined = args.values.has('verdict') ? choiceFlag(args, 'verdict', VERDICTS) : undefined;
  const runMissing = args.flags.has('run-missing');
  if (args.values.has('workers') && !runMissing) throw new UsageError('--workers: only used with --run-missing; allowed: --run-missing --workers N');
  const workers = args.values.has('workers') ? intFlag(args, 'workers', { min: 1, max: MAX_WORKERS }) : undefined;
  const dir = args.values.get('results') ?? CLAIMS_DEFAULT_RESULTS;
  const info = await stat(dir).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) throw new UsageError(`--results: "${dir}" is not a directory; allowed: a results folder such as ${CLAIMS_DEFAULT_RESULTS}/`);
  if (info === undefined && args.values.has('results') && !runMissing) {
    throw new UsageError(`--results: "${dir}" does not exist; allowed: an existing results folder (npm start writes ${CLAIMS_DEFAULT_RESULTS}/), or add --run-missing to create it`);
  }

  // Loaded here: the registry imports every experiment and the model.
  const { evaluateClaims, verdictCounts } = await import('../claims/evaluate.ts');
  let evaluation = await evaluateClaims(dir);
  if (runMissing) {
    const toRun = evaluation.experiments.filter((e) => e.built && e.read && e.status !== 'fresh').map((e) => e.name);
    if (toRun.length > 0) {
      await mkdir(dir, { recursive: true });
      const { runStudy } = await import('../lib/runStudy.ts');
      const { experimentRefFor } = await import('../lib/loadExperiment.ts');
      const { createProgressReporter } = await import('../lib/progress.ts');
      for (const name of toRun) {
        process.stderr.write(`svcpath claims: running ${name} in quick mode (its results were ${evaluation.experiments.find((e) => e.name === name)!.status})\n`);
        await runStudy({
          experiment: experimentRefFor(name), quick: true, outDir: join(dir, name),
          ...(workers !== undefined ? { workers } : {}),
          onEvent: createProgressReporter(process.stderr.isTTY ? 'tty' : 'lines'),
        });
      }
      evaluation = await evaluateClaims(dir);
    }
  }

  const shown = evaluation.claims.filter((c) => (question === undefined || c.question === question) && (verdict === undefined || c.verdict === verdict));
  const notes: string[] = [];
  const missing = evaluation.experiments.filter((e) => e.built && e.read && e.status !== 'fresh');
  if (missing.length > 0) {
    notes.push(`missing or stale results in ${dir}: ${missing.map((e) => `${e.name} (${e.status})`).join(', ')}; "svcpath claims --run-missing" runs them in quick mode, "npm start" in full`);
  }
  const unbuilt = evaluation.experiments.filter((e) => !e.built);
  if (unbuilt.length > 0) notes.push(`not built yet: ${unbuilt.map((e) => `${e.name} (${e.claims.length} claims pending)`).join(', ')}`);
  const unwired = evaluation.experiments.filter((e) => e.built && !e.read);
  if (unwired.length > 0) notes.push(`built, but no claim reads it yet: ${unwired.map((e) => `${e.name} (${e.claims.length} claims pending)`).join(', ')}`);
  const quick = evaluation.experiments.filter((e) => e.status === 'fresh' && e.quick).map((e) => e.name);
  if (quick.length > 0) notes.push(`from quick-mode results: ${quick.join(', ')}`);

  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    for (const n of notes) process.stderr.write(`svcpath claims: ${n}\n`);
    return;
  }
  const counts = verdictCounts(shown);
  const summary = VERDICTS.filter((v) => counts[v] > 0).map((v) => `${counts[v]} ${v.replace(/-/g, ' ')}`).join(', ');
  const filter = [question !== undefined ? `question ${question}` : '', verdict !== undefined ? `verdict ${verdict}` : ''].filter(Boolean).join(', ');
  process.stdout.write(`${shown.length} claims${filter ? ` (${filter})` : ''} against ${dir}/: ${summary || 'none'}\n\n`);
  const evidence = (c: (typeof shown)[number]): string => {
    if (c.verdict === 'out-of-scope') return 'out of scope';
    if (c.metric === null) return c.experiment !== null ? `needs ${c.experiment}` : '';
    return c.experiment !== null ? `${c.experiment} ${c.metric}` : c.metric;
  };
  const table = formatTable(
    ['id', 'Q', 'verdict', 'claimed', 'model / source', 'evidence'],
    shown.map((c) => [c.id, String(c.question), c.verdict, cut(c.claimedValue, CLAIMED_WIDTH), cut(c.modelText, MODEL_WIDTH), cut(evidence(c), EVIDENCE_WIDTH)]),
    ['left', 'right', 'left', 'left', 'left', 'left'],
  );
  process.stdout.write(`${table}\n`);
  process.stdout.write(`\n${[...notes, 'rules, explanations and sources: svcpath claims --json (or the report, results/index.html)'].join('\n')}\n`);
}

export const claimsCommand: Command = {
  name: 'claims',
  summary: "the seed's claims with computed verdicts against the results, calibration and sourced facts",
  synopsis: SYNOPSIS,
  help: HELP,
  run: runClaims,
};
