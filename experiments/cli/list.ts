/**
 * `svcpath list`: the experiments registered in experiments/index.ts, each with its question.
 * Every definition is checked on the way, so a broken experiment file shows up here first.
 */
import { parseArgs } from './args.ts';
import type { Command } from './command.ts';
import { formatTable } from './textTable.ts';

const SYNOPSIS = 'svcpath list [--json]';

const HELP = `usage: ${SYNOPSIS}

Lists the experiments in experiments/index.ts: name, the question each one answers, and whether
it runs on a cluster profile (svcpath import). Run one with "svcpath run NAME" (add --quick for
a run of a few seconds, --cluster FILE to run it on your cluster).

  --json   print one JSON array of { name, question, cluster } on stdout (cluster: what the
           experiment takes from a cluster profile with "svcpath run NAME --cluster FILE",
           null when it takes nothing)
  --help   print this text

Each experiment file is checked as it is listed; one that does not pass is reported on stderr
with the field at fault, and the exit code is then 1.`;

async function runList(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv, { values: [], flags: ['json'] });
  const { loadDefinitions, REGISTRY_URL } = await import('../lib/loadExperiment.ts');
  const { resolveExperiment, ExperimentDefinitionError } = await import('../lib/experimentSchema.ts');
  const listed: { name: string; question: string; cluster: string | null }[] = [];
  const problems: string[] = [];
  for (const def of await loadDefinitions(REGISTRY_URL)) {
    try {
      const exp = resolveExperiment(def);
      listed.push({ name: exp.name, question: exp.question, cluster: exp.clusterUses });
    } catch (e) {
      if (!(e instanceof ExperimentDefinitionError)) throw e;
      problems.push(e.message);
    }
  }
  if (args.flags.has('json')) process.stdout.write(`${JSON.stringify(listed)}\n`);
  else {
    const rows = listed.map((x) => [x.name, x.cluster === null ? '-' : 'yes', x.question]);
    process.stdout.write(`${formatTable(['name', '--cluster', 'question'], rows, ['left', 'left', 'left'])}\n`);
  }
  if (problems.length > 0) throw new Error(`invalid experiment definitions:\n${problems.join('\n')}`);
}

export const listCommand: Command = {
  name: 'list',
  summary: 'list the experiments and the question each answers',
  synopsis: SYNOPSIS,
  help: HELP,
  run: runList,
};
