/**
 * `npm run bench -- <benchmark> [flags]`: speed measured as ratios against a baseline run in the
 * same invocation (never as timed assertions in tests).
 *
 *   mm1         --customers N --api process|event [--seed S] [--rounds K] [--simpy-src DIR] [--json] [--no-peer]
 *               M/M/1 at rho = 0.9 on our engine; the same model runs on SimPy 4.1.2 right after
 *               (bench/peers/simpy_mm1.py; SimPy from --simpy-src, $SIMPY_SRC or python3's
 *               packages, see bench/peers/README.md), K rounds (default 3), and the median of the
 *               rounds' ratios is printed. Our side of a round repeats the run until it covers
 *               >= 2 s of wall time (customers/s = total over total). Targets: >= 15x SimPy
 *               (process API), >= 50x (event API).
 *   mm1-memory  [--customers N] [--api process|event] [--json]
 *               peak RSS of fresh processes running N and 10 N customers (flat memory check;
 *               target: within 20 %).
 *   workers     [--workers N] [--json]
 *               one CPU-bound study with 1 worker and with N (default all cores): speed-up and
 *               byte-identical tables.
 *   pipeline    [--packets N] [--datapath D] [--seed S] [--rounds K] [--no-peer] [--json]
 *               simulated packets per wall-clock second through the full datapath model
 *               (bench/pipeline.ts); single-threaded, so per core. When ns-3 is installed, the
 *               same invocation runs ns-3 on the same traffic (bench/peers/ns3_pipeline.cc) and
 *               prints the ratio. Target: >= 10x ns-3's packets/s.
 *   instructions --model pipeline|mm1-event|mm1-process [--baseline GIT_REF] [--json]
 *               instructions per packet or customer under valgrind's callgrind, for the working
 *               tree and a git ref (bench/instructions.ts): a ratio a noisy machine cannot blur.
 *   memory      [--days N] [--datapath D] [--sample-hours H] [--rounds K] [--json]
 *               wall time of the kernel-memory model over N days (default 21) for one
 *               configuration (bench/memory.ts). Target: three weeks in under 10 s.
 *
 * Results and their history: bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { median } from 'simple-statistics';
import { fileURLToPath } from 'node:url';
import { runMm1, type BenchApi } from './mm1Models.ts';
import { runSimpy, simpySource } from './simpyPeer.ts';
import { benchWorkers } from './workers.ts';
import { parseArgs, UsageError, intFlag, choiceFlag } from '../experiments/cli/args.ts';
import { benchPipeline, PIPELINE_USAGE } from './pipeline.ts';
import { benchInstructions, INSTRUCTIONS_USAGE } from './instructions.ts';
import { benchMemory, MEMORY_USAGE } from './memory.ts';

/** Wall time our side of one mm1 round covers at least (repeated runs), seconds. */
const OURS_MIN_SEC = 2;
/** Our customers/s over SimPy 4.1.2's, at least, per API. */
const MM1_TARGET_RATIO: Record<BenchApi, number> = { process: 15, event: 50 };

const USAGE = `usage: npm run bench -- mm1 --customers N --api process|event [--seed S] [--rounds K] [--simpy-src DIR] [--json] [--no-peer]
       npm run bench -- mm1-memory [--customers N] [--api process|event] [--json]
       npm run bench -- workers [--workers N] [--json]
       ${PIPELINE_USAGE}
       ${INSTRUCTIONS_USAGE}
       ${MEMORY_USAGE}`;

function mm1(argv: string[]): void {
  const args = parseArgs(argv, { values: ['customers', 'api', 'seed', 'rounds', 'simpy-src'], flags: ['json', 'no-peer'] });
  const customers = intFlag(args, 'customers', { min: 1, fallback: 1_000_000 });
  const api = choiceFlag(args, 'api', ['process', 'event'] as const, 'event');
  const seed = intFlag(args, 'seed', { min: 0, fallback: 1 });
  const roundCount = intFlag(args, 'rounds', { min: 1, fallback: 3 });
  const source = args.flags.has('no-peer') ? { unavailable: 'skipped (--no-peer)' } : simpySource(args.values.get('simpy-src'));
  // Once SimPy turns out to be unavailable, later rounds do not look for it again.
  let withPeer = !('unavailable' in source);
  // Steady state: V8 compiles the hot path in tiers while it runs, so the first run of a size
  // includes compilation, and the next one still runs partly in code being re-optimised in the
  // background; two untimed runs (other seeds) go first. SimPy (CPython, no JIT) runs at its
  // steady speed from the start. On a shared VM the speed of memory-bound code drifts by tens of
  // percent from second to second (an ALU-only loop much less), so a single 0.3 s run of ours
  // would sample that noise where SimPy's run of ten seconds or more averages it: each round
  // therefore repeats our run (same seed, identical work) until it has timed at least
  // OURS_MIN_SEC, takes total customers over total time, then times SimPy back to back, and the
  // reported ratio is the median of the rounds' ratios.
  runMm1(api, customers, seed + 1);
  runMm1(api, customers, seed + 2);
  const rounds: { customersPerSec: number; runs: number; simpyCustomersPerSec: number | null; ratio: number | null }[] = [];
  let last: ReturnType<typeof runMm1> | undefined;
  let peer: ReturnType<typeof runSimpy> = 'unavailable' in source ? source : { unavailable: 'not run' };
  for (let r = 0; r < roundCount; r++) {
    let runs = 0;
    let wallSec = 0;
    do {
      last = runMm1(api, customers, seed);
      runs++;
      wallSec += last.wallSec;
    } while (wallSec < OURS_MIN_SEC);
    const oursRate = (runs * customers) / wallSec;
    if (withPeer && !('unavailable' in source)) peer = runSimpy(customers, seed, source.src);
    const simpyRate = 'unavailable' in peer ? null : peer.customersPerSec;
    rounds.push({
      customersPerSec: Math.round(oursRate),
      runs,
      simpyCustomersPerSec: simpyRate === null ? null : Math.round(simpyRate),
      ratio: simpyRate === null ? null : Number((oursRate / simpyRate).toFixed(2)),
    });
    if (simpyRate === null) withPeer = false;
  }
  const ours = last!;
  const ratios = rounds.map((r) => r.ratio).filter((r): r is number => r !== null);
  const customersPerSec = median(rounds.map((r) => r.customersPerSec));
  const out = {
    benchmark: 'mm1',
    api,
    customers,
    customersPerSec,
    // Every run simulates the same events (same seed): events/customer times the median rate.
    eventsPerSec: Math.round((customersPerSec * ours.events) / customers),
    meanWaitMs: ours.meanWaitMs,
    theoryWaitMs: ours.theoryWaitMs,
    simpy: 'unavailable' in peer ? null : { ...peer, customersPerSec: median(rounds.map((r) => r.simpyCustomersPerSec!)) },
    simpyUnavailable: 'unavailable' in peer ? peer.unavailable : undefined,
    ratioVsSimpy: ratios.length === 0 ? null : Number(median(ratios).toFixed(2)),
    rounds,
    node: process.version,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  if (args.flags.has('json')) {
    console.log(JSON.stringify(out));
    return;
  }
  console.log(`M/M/1 rho=0.9, ${customers} customers, api=${api}, ${roundCount} round(s), medians`);
  console.log(`  svcpath   ${out.customersPerSec.toLocaleString('en')} customers/s  ${out.eventsPerSec.toLocaleString('en')} events/s  (mean wait ${ours.meanWaitMs.toFixed(3)} ms, theory ${ours.theoryWaitMs.toFixed(3)})`);
  if (out.simpy) {
    console.log(`  SimPy ${out.simpy.simpyVersion}  ${out.simpy.customersPerSec.toLocaleString('en')} customers/s  (Python ${out.simpy.python})`);
    console.log(`  ratio     ${out.ratioVsSimpy}x SimPy customers/s  (rounds: ${ratios.join(', ')})`);
    const target = MM1_TARGET_RATIO[api];
    console.log(`  target    >= ${target}x SimPy (${api} API): ${out.ratioVsSimpy! >= target ? 'met' : 'NOT met'}`);
  } else {
    console.log(`  SimPy: ${out.simpyUnavailable}`);
  }
}

function mm1Memory(argv: string[]): void {
  const args = parseArgs(argv, { values: ['customers', 'api'], flags: ['json'] });
  const customers = intFlag(args, 'customers', { min: 1000, fallback: 1_000_000 });
  const api = choiceFlag(args, 'api', ['process', 'event'] as const, 'process');
  const self = fileURLToPath(import.meta.url);
  const measure = (n: number): number => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, 'mm1', '--customers', String(n), '--api', api, '--json', '--no-peer'], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`child run failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!).maxRssBytes;
  };
  const small = measure(customers);
  const large = measure(customers * 10);
  const out = { benchmark: 'mm1-memory', api, customers: [customers, customers * 10], maxRssBytes: [small, large], ratio: Number((large / small).toFixed(3)) };
  if (args.flags.has('json')) console.log(JSON.stringify(out));
  else console.log(`peak RSS: ${(small / 2 ** 20).toFixed(1)} MiB at ${customers} customers, ${(large / 2 ** 20).toFixed(1)} MiB at ${customers * 10} (ratio ${out.ratio})`);
}

const benches: Record<string, (argv: string[]) => void | Promise<void>> = {
  mm1,
  'mm1-memory': mm1Memory,
  workers: benchWorkers,
  pipeline: benchPipeline,
  instructions: benchInstructions,
  memory: benchMemory,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const bench = name === undefined ? undefined : benches[name];
  if (bench === undefined) {
    console.error(`${name === undefined ? 'missing benchmark name' : `unknown benchmark "${name}"`}; allowed: ${Object.keys(benches).join(', ')}\n${USAGE}`);
    return 2;
  }
  try {
    await bench(rest);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
