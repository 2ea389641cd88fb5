/**
 * Every `svcpath` subcommand, in the order `svcpath --help` lists them. Adding a command is one
 * file in experiments/cli/ exporting a Command, plus one line here.
 */
import type { Command } from './command.ts';
import { queueCommand } from './queue.ts';

export const COMMANDS: readonly Command[] = [queueCommand];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
