/**
 * `npm run bench -- workers [--workers N] [--json]`: the same study (bench/workersExperiment.ts)
 * with 1 worker and with N (default: all cores), in one invocation; prints the speed-up and
 * checks that both runs wrote byte-identical tables. It also measures the machine's own ceiling,
 * a pure arithmetic loop on 1 thread and on N, because on shared VMs the vCPUs do not scale
 * perfectly even with no software in the way; efficiency = speed-up / ceiling.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStudy } from '../experiments/lib/runStudy.ts';
import { parseArgs, intFlag } from '../experiments/cli/args.ts';

const SPIN = `
  const { parentPort } = require('node:worker_threads');
  let a = 0;
  for (let i = 0; i < 2e8; i++) a += Math.sqrt(i);
  parentPort.postMessage(a);
`;

/** Wall time of `threads` threads each running the same fixed arithmetic loop. */
function spinMs(threads: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    let done = 0;
    for (let k = 0; k < threads; k++) {
      const w = new Worker(SPIN, { eval: true });
      w.on('error', reject);
      w.on('message', () => {
        void w.terminate();
        if (++done === threads) resolve(performance.now() - t0);
      });
    }
  });
}

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
    const ceiling = (workers * (await spinMs(1))) / (await spinMs(workers));
    const speedup = one.wallMs / many.wallMs;
    const out = {
      benchmark: 'workers',
      workers,
      cores: availableParallelism(),
      wallMs1: Math.round(one.wallMs),
      wallMsN: Math.round(many.wallMs),
      speedup: Number(speedup.toFixed(2)),
      hardwareCeiling: Number(ceiling.toFixed(2)),
      efficiency: Number((speedup / ceiling).toFixed(2)),
      identicalTables: one.runs.equals(many.runs) && one.summary.equals(many.summary),
    };
    if (args.flags.has('json')) console.log(JSON.stringify(out));
    else {
      console.log(`96 M/M/1 replications x 100,000 customers: 1 worker ${(out.wallMs1 / 1000).toFixed(2)} s, ${workers} workers ${(out.wallMsN / 1000).toFixed(2)} s`);
      console.log(`speed-up ${out.speedup}x on ${out.cores} cores; tables byte-identical: ${out.identicalTables}`);
      console.log(`machine ceiling (arithmetic loop, 1 vs ${workers} threads) ${out.hardwareCeiling}x; runner efficiency ${out.efficiency}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
