/**
 * `npm run bench -- memory [--days N] [--datapath D] [--sample-hours H] [--rounds K] [--json]`:
 * wall time of the kernel-memory model (model/node simulateKernelMemory) over N days (default 21)
 * for one configuration: a 10,000-rule policy, 1,000 connections/s and a leak of 5/s refreshed
 * forever, sampled every hour (default), on the typical node. Median of K rounds (default 3) after
 * an untimed warm-up. Target: three weeks in under 10 s. The discrete-event table would need an
 * event per connection and per GC pass: about 1.8e9 connections over three weeks at these rates.
 */
import { median } from 'simple-statistics';
import { parseArgs, choiceFlag, intFlag, numberFlag, UsageError } from '../experiments/cli/args.ts';
import { DATAPATH_NAMES } from '../model/datapaths/index.ts';
import { kernelMemorySpec, simulateKernelMemory, KERNEL_MEMORY_MAX_DAYS } from '../model/node/index.ts';
import { SEC_PER_DAY, SEC_PER_HOUR } from '../model/units.ts';

export const MEMORY_USAGE = 'npm run bench -- memory [--days N] [--datapath D] [--sample-hours H] [--rounds K] [--json]';

/** Three weeks must take less than this, s. */
const TARGET_SEC = 10;

export function benchMemory(argv: string[]): void {
  const args = parseArgs(argv, { values: ['days', 'datapath', 'sample-hours', 'rounds'], flags: ['json'] });
  const days = numberFlag(args, 'days', { minExclusive: 0, fallback: 21 });
  if (days > KERNEL_MEMORY_MAX_DAYS) throw new UsageError(`--days: expected a number in (0, ${KERNEL_MEMORY_MAX_DAYS}], got "${args.values.get('days')}"`);
  const datapath = choiceFlag(args, 'datapath', DATAPATH_NAMES, 'cilium-tc');
  const sampleHours = numberFlag(args, 'sample-hours', { minExclusive: 0, fallback: 1 });
  const rounds = intFlag(args, 'rounds', { min: 1, fallback: 3 });
  const spec = kernelMemorySpec({ datapath, days, policyRules: 10_000, connectionsPerSec: 1000, leakConnectionsPerSec: 5, sampleSec: sampleHours * SEC_PER_HOUR });
  simulateKernelMemory(kernelMemorySpec({ ...spec, days: 1 }));
  const times: number[] = [];
  let samples = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    samples = simulateKernelMemory(spec).series.length;
    times.push((performance.now() - t0) / 1000);
  }
  const wallSec = median(times);
  const connections = (spec.connectionsPerSec + spec.leakConnectionsPerSec) * days * SEC_PER_DAY;
  const out = { benchmark: 'memory', datapath, days, samples, rounds, wallSec, targetSec: TARGET_SEC, meetsTarget: wallSec < TARGET_SEC, connectionsModelled: connections };
  if (args.flags.has('json')) console.log(JSON.stringify(out));
  else {
    console.log(`kernel memory, ${datapath}, ${days} days (${samples} samples, ${connections.toExponential(2)} connections in aggregate): ${wallSec.toFixed(3)} s wall, median of ${rounds}`);
    console.log(`target: three weeks in < ${TARGET_SEC} s: ${out.meetsTarget ? 'met' : 'NOT met'}`);
  }
}
