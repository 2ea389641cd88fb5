/**
 * `svcpath list`: the experiments registered in experiments/index.ts, each with its question.
 * Every definition is checked on the way, so a broken experiment file shows up here first.
 */
import { parseArgs } from './args.ts';
import type { Command } from './command.ts';
import { formatTable } from './textTable.ts';

const SYNOPSIS = 'svcpath list [--json]';

const HELP = `usage: ${SYNOPSIS}

Lists the experiments in experiments/index.ts: name and the question each one answers. Run one
with "svcpath run NAME" (add --quick for a run of a few seconds).

  --json   print one JSON array of { name, question } on stdout
  --help   print this text

Each experiment file is checked as it is listed; one that does not pass is reported on stderr
with the field at fault, and the exit code is then 1.`;

async function runList(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv, { values: [], flags: ['json'] });
  const { loadDefinitions, REGISTRY_URL } = await import('../lib/loadExperiment.ts');
  const { resolveExperiment, ExperimentDefinitionError } = await import('../lib/experimentSchema.ts');
  const listed: { name: string; question: string }[] = [];
  const problems: string[] = [];
  for (const def of await loadDefinitions(REGISTRY_URL)) {
    try {
      const exp = resolveExperiment(def);
      listed.push({ name: exp.name, question: exp.question });
    } catch (e) {
      if (!(e instanceof ExperimentDefinitionError)) throw e;
      problems.push(e.message);
    }
  }
  if (args.flags.has('json')) process.stdout.write(`${JSON.stringify(listed)}\n`);
  else process.stdout.write(`${formatTable(['name', 'question'], listed.map((x) => [x.name, x.question]), ['left', 'left'])}\n`);
  if (problems.length > 0) throw new Error(`invalid experiment definitions:\n${problems.join('\n')}`);
}

export const listCommand: Command = {
  name: 'list',
  summary: 'list the experiments and the question each answers',
  synopsis: SYNOPSIS,
  help: HELP,
  run: runList,
};
