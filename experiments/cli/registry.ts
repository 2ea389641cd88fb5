/**
 * Every `svcpath` subcommand, in the order `svcpath --help` lists them. Adding a command is one
 * file in experiments/cli/ exporting a Command, plus one line here.
 */
import type { Command } from './command.ts';
import { queueCommand } from './queue.ts';
import { startCommand } from './start.ts';
import { listCommand } from './list.ts';
import { runCommand } from './run.ts';
import { mergeCommand } from './merge.ts';
import { reportCommand } from './report.ts';
import { k8sJobCommand } from './k8sJob.ts';
import { conntrackCommand } from './conntrack.ts';
import { paramsCommand } from './params.ts';
import { pathCommand } from './path.ts';
import { capacityCommand } from './capacity.ts';
import { propagationCommand } from './propagation.ts';
import { scaleUpCommand } from './scaleUp.ts';
import { throughputCommand } from './throughput.ts';
import { memoryCommand } from './memory.ts';
import { claimsCommand } from './claims.ts';
import { importCommand } from './import.ts';
import { planCommand } from './plan.ts';

export const COMMANDS: readonly Command[] = [startCommand, listCommand, runCommand, mergeCommand, queueCommand, reportCommand, k8sJobCommand, conntrackCommand, pathCommand, capacityCommand, propagationCommand, scaleUpCommand, throughputCommand, memoryCommand, claimsCommand, importCommand, planCommand, paramsCommand];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
