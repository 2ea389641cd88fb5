/**
 * The `svcpath` entry point (`npm run svcpath -- <command> ...`, or bin/svcpath.js): dispatches to
 * the commands in registry.ts, answers `--help`, and maps errors to exit codes: 2 for usage errors
 * (UsageError, DistributionSpecError), 1 for anything else. Sets process.exitCode instead of
 * calling process.exit, so buffered stdout is flushed.
 */
import { UsageError } from './args.ts';
import type { Command } from './command.ts';
import { COMMANDS, findCommand } from './registry.ts';
import { DistributionSpecError } from '../../model/engine/distributions/distributionSpecError.ts';

const HELP_FLAGS = ['--help', '-h'];

function commandNames(): string {
  return ['help', ...COMMANDS.map((c) => c.name)].join(', ');
}

function commandList(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 'help'.length);
  return [
    'usage: svcpath <command> [flags]',
    '       svcpath <command> --help     usage of one command',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  this list; "svcpath help <command>" = "svcpath <command> --help"`,
  ].join('\n');
}

function topLevelError(message: string): number {
  process.stderr.write(`svcpath: error: ${message}; allowed commands: ${commandNames()}\nrun "svcpath --help" for the list\n`);
  return 2;
}

async function runCommand(command: Command, argv: readonly string[]): Promise<number> {
  if (argv.some((a) => HELP_FLAGS.includes(a))) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    await command.run(argv);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof DistributionSpecError) {
      process.stderr.write(
        `svcpath ${command.name}: error: ${e.message}\nusage: ${command.synopsis}\nrun "svcpath ${command.name} --help" for details\n`,
      );
      return 2;
    }
    process.stderr.write(`svcpath ${command.name}: error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || HELP_FLAGS.includes(name) || (name === 'help' && rest.length === 0)) {
    process.stdout.write(`${commandList()}\n`);
    return 0;
  }
  if (name === 'help') {
    const target = rest[0]!;
    const command = findCommand(target);
    if (command === undefined) return topLevelError(`unknown command "${target}"`);
    if (rest.length > 1) return topLevelError(`"svcpath help" takes one command name, got ${rest.length}: ${rest.join(' ')}`);
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  const command = findCommand(name);
  if (command === undefined) return topLevelError(`unknown command "${name}"`);
  return runCommand(command, rest);
}

// `svcpath params | head`: a reader that stops early is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv.slice(2));
