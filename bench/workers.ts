/**
 * `npm run bench -- workers [--workers N] [--json]`: the same study (bench/workersExperiment.ts)
 * with 1 worker and with N (default: all cores), in one invocation; prints the speed-up and
 * checks that both runs wrote byte-identical tables.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStudy } from '../experiments/lib/runStudy.ts';
import { parseArgs, intFlag } from '../experiments/cli/args.ts';

export async function benchWorkers(argv: string[]): Promise<void> {
  const args = parseArgs(argv, { values: ['workers'], flags: ['json'] });
  const workers = intFlag(args, 'workers', { min: 2, max: 1024, fallback: Math.max(2, availableParallelism()) });
  const experiment = { moduleUrl: new URL('./workersExperiment.ts', import.meta.url).href };
  const root = mkdtempSync(join(tmpdir(), 'svcpath-bench-workers-'));
  try {
    const time = async (n: number) => {
      const outDir = join(root, `w${n}`);
      const r = await runStudy({ experiment, workers: n, outDir, optionalOutputs: false });
      return { wallMs: r.wallMs, runs: readFileSync(join(outDir, 'runs.arrow')), summary: readFileSync(join(outDir, 'summary.arrow')) };
    };
    const one = await time(1);
    const many = await time(workers);
    const out = {
      benchmark: 'workers',
      workers,
      cores: availableParallelism(),
      wallMs1: Math.round(one.wallMs),
      wallMsN: Math.round(many.wallMs),
      speedup: Number((one.wallMs / many.wallMs).toFixed(2)),
      identicalTables: one.runs.equals(many.runs) && one.summary.equals(many.summary),
    };
    if (args.flags.has('json')) console.log(JSON.stringify(out));
    else {
      console.log(`96 M/M/1 replications x 100,000 customers: 1 worker ${(out.wallMs1 / 1000).toFixed(2)} s, ${workers} workers ${(out.wallMsN / 1000).toFixed(2)} s`);
      console.log(`speed-up ${out.speedup}x on ${out.cores} cores; tables byte-identical: ${out.identicalTables}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
