/**
 * `npm run bench -- instructions --model pipeline|mm1-event|mm1-process [--baseline REF] [--json]`
 *
 * Instructions per simulated packet (or customer): a speed benchmark that a noisy machine cannot
 * blur. Wall time on a shared VM moves by +-20 % between runs; valgrind's callgrind counts the
 * instructions a process executes, which do not depend on what else the machine does. The model
 * runs with V8 in --predictable mode (single-threaded, so compilation happens at the same points
 * every time) and fixed hash and random seeds (a Map's hash seed otherwise changes the count by
 * up to 10 % from run to run) at two sizes, and the benchmark reports (I(large) - I(small)) / (large - small): the
 * cost of one more packet, with start-up and compilation cancelled out (repeat runs agree to about
 * 1 %). With --baseline REF the model at that git ref (git archive into a temporary folder) is
 * counted the same way and the ratio current / baseline printed. Instructions are not time (cache
 * misses and mispredicted branches cost more than an add), so a small difference says which way a
 * change goes, not exactly how much faster it runs. Needs valgrind (a Debian package).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { parseArgs, choiceFlag, UsageError } from '../experiments/cli/args.ts';

export const INSTRUCTIONS_USAGE = 'npm run bench -- instructions --model pipeline|mm1-event|mm1-process [--baseline GIT_REF] [--json]';

const MODELS = ['pipeline', 'mm1-event', 'mm1-process'] as const;
type Model = (typeof MODELS)[number];

/** Sizes (packets or customers) of the small and the large run, and what one unit is. */
const SIZES: Record<Model, { small: number; large: number; unit: string }> = {
  pipeline: { small: 20_000, large: 60_000, unit: 'packet' },
  'mm1-event': { small: 100_000, large: 300_000, unit: 'customer' },
  'mm1-process': { small: 100_000, large: 300_000, unit: 'customer' },
};

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The script one counted process runs: the model of `tree` at size argv[2]; prints the units simulated. */
function entrySource(model: Model, tree: string): string {
  if (model === 'pipeline') {
    // Refs older than runPipelineOnce: the same run built from the bench's exported workload.
    return `import * as bench from ${JSON.stringify(join(tree, 'bench/pipeline.ts'))};
import { datapathSpec, simulatePath } from ${JSON.stringify(join(tree, 'model/datapaths/index.ts'))};
const packets = Number(process.argv[2]);
const b = bench as any;
const r = b.runPipelineOnce !== undefined ? b.runPipelineOnce('kube-proxy-iptables', packets, 1)
  : { packets: simulatePath(datapathSpec({ datapath: 'kube-proxy-iptables', services: 5000, connectionsPerSec: b.PIPELINE_CONNECTIONS_PER_SEC,
      requestsPerConnection: b.PIPELINE_REQUESTS_PER_CONNECTION, warmupSec: 0.05,
      durationSec: 0.05 + packets / (b.PIPELINE_CONNECTIONS_PER_SEC * (4 + 2 * b.PIPELINE_REQUESTS_PER_CONNECTION)) }), 1).packetsSimulated };
console.log(r.packets);`;
  }
  const api = model === 'mm1-event' ? 'event' : 'process';
  return `import { runMm1 } from ${JSON.stringify(join(tree, 'bench/mm1Models.ts'))};
const r = runMm1('${api}', Number(process.argv[2]), 1);
console.log(r.customers);`;
}

/** Bundles the model of `tree` into one file in `workDir` (beside a node_modules link, for the packages). */
function bundle(model: Model, tree: string, workDir: string): string {
  mkdirSync(workDir, { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(workDir, 'node_modules'), 'dir');
  const entry = join(workDir, 'entry.ts');
  writeFileSync(entry, entrySource(model, tree));
  const out = join(workDir, 'bundle.mjs');
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, packages: 'external', logLevel: 'error' });
  return out;
}

/** Instructions executed by `node --predictable bundle size`, and the units it reports. */
function count(bundlePath: string, size: number): Promise<{ instructions: number; units: number }> {
  return new Promise((done, fail) => {
    const child = spawn('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--predictable', '--hash-seed=1', '--random-seed=1', bundlePath, String(size)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const collected = /Collected : (\d+)/.exec(err);
      const units = Number(out.trim().split('\n').pop());
      if (code !== 0 || collected === null || !Number.isFinite(units)) {
        fail(new Error(`valgrind run of ${bundlePath} ${size} failed (exit ${code}): ${err.slice(-500)}`));
        return;
      }
      done({ instructions: Number(collected[1]), units });
    });
  });
}

/** Instructions per unit of the model in `tree`, from a small and a large run (run in parallel). */
async function instructionsPerUnit(model: Model, tree: string, workDir: string): Promise<number> {
  const file = bundle(model, tree, workDir);
  const { small, large } = SIZES[model];
  const [a, b] = await Promise.all([count(file, small), count(file, large)]);
  return (b.instructions - a.instructions) / (b.units - a.units);
}

/** Extracts the model's folders at `ref` into `dir`. */
function checkout(ref: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const archive = spawnSync('git', ['-C', REPO, 'archive', '--format=tar', ref, 'model', 'bench', 'experiments'], { maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new UsageError(`--baseline: "${ref}" is not a git ref of this repository (${archive.stderr.toString().trim()})`);
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`could not extract ${ref}: ${untar.stderr.toString()}`);
}

export async function benchInstructions(argv: string[]): Promise<void> {
  const args = parseArgs(argv, { values: ['model', 'baseline'], flags: ['json'] });
  const model = choiceFlag(args, 'model', MODELS, 'pipeline');
  const ref = args.values.get('baseline');
  if (spawnSync('valgrind', ['--version']).error !== undefined) {
    throw new UsageError('the instructions benchmark needs valgrind on the PATH (Debian: apt-get install valgrind)');
  }
  const work = mkdtempSync(join(tmpdir(), 'svcpath-instructions-'));
  try {
    if (ref !== undefined) checkout(ref, join(work, 'baseline-tree'));
    const [current, baseline] = await Promise.all([
      instructionsPerUnit(model, REPO, join(work, 'current')),
      ...(ref === undefined ? [] : [instructionsPerUnit(model, join(work, 'baseline-tree'), join(work, 'baseline'))]),
    ]);
    const unit = SIZES[model].unit;
    const out = {
      benchmark: 'instructions',
      model,
      unit,
      instructionsPerUnit: Math.round(current!),
      ...(baseline === undefined ? {} : { baseline: { ref, instructionsPerUnit: Math.round(baseline) }, ratio: Number((current! / baseline).toFixed(4)) }),
    };
    if (args.flags.has('json')) {
      console.log(JSON.stringify(out));
      return;
    }
    console.log(`${model}: ${out.instructionsPerUnit.toLocaleString('en-US')} instructions per ${unit} (callgrind, V8 --predictable)`);
    if (baseline !== undefined) console.log(`  baseline ${ref}: ${Math.round(baseline).toLocaleString('en-US')} per ${unit}; current / baseline = ${out.ratio}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
