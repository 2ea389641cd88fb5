/**
 * `svcpath queue`: simulates an M/G/c FCFS queue (Poisson arrivals, c servers, infinite waiting
 * room) over independent replications and sets the estimates beside the closed form where one
 * exists. Reads and checks the flags, runs runQueueStudy (timing it with the wall clock, which
 * belongs here and never in model/), and prints a table or one JSON object (queueReport.ts).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs, intFlag, numberFlag, intOrChoiceFlag, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { queueReportJson, queueReportTable, type QueueRun } from './queueReport.ts';
import {
  parseDistribution,
  DistributionSpecError,
  exponential,
  type Distribution,
} from '../../model/engine/distributions/index.ts';
import { queueTicksPerSec, CHECKPOINT_EVERY, type QueueParams } from '../../model/queueing/ggcQueue.ts';

export const QUEUE_DEFAULT_CUSTOMERS = 100_000;
export const QUEUE_DEFAULT_REPLICATIONS = 10;
export const QUEUE_DEFAULT_SEED = 1;
/** MSER-5 needs two batches of 5 customers. */
const MIN_CUSTOMERS = 10;
/** Each replication keeps 8 bytes per customer (its wait) in memory. */
const MAX_CUSTOMERS = 100_000_000;
/** Means below this many engine ticks are visibly distorted by rounding to the time grid. */
const MIN_MEAN_TICKS = 1000;

const SYNOPSIS =
  'svcpath queue --servers C --arrival-rate PER_SEC --service DIST [--customers N] [--replications R] [--seed S] [--warmup auto|N] [--json] [--allow-unstable]';

const HELP = `usage: svcpath queue --servers C --arrival-rate PER_SEC --service DIST
                     [--customers N] [--replications R] [--seed S] [--warmup auto|N]
                     [--json] [--allow-unstable]

Simulates a FCFS queue with C identical servers, Poisson arrivals and independent service
times (M/G/c, unlimited waiting room) over R independent replications, and compares the
estimates with the closed form where one exists: Erlang C for M/M/c, Pollaczek-Khinchine for
M/G/1 (none for other M/G/c).

  --servers C              number of servers, an integer >= 1 (required)
  --arrival-rate PER_SEC   Poisson arrival rate, customers per second, > 0 (required)
  --service DIST           service-time distribution, times in seconds (required), one of:
                             exp:MEAN_SEC                    exponential
                             det:MEAN_SEC                    constant
                             erlang:K:MEAN_SEC               Erlang-K (K an integer >= 1)
                             hyperexp:P:MEAN1_SEC:MEAN2_SEC  exp(MEAN1) with probability P, else exp(MEAN2)
                             lognormal:MEAN_SEC:CV           lognormal, that mean and coefficient of variation
                             uniform:A_SEC:B_SEC             uniform on [A, B]
  --customers N            arrivals per replication, an integer in [${MIN_CUSTOMERS}, ${MAX_CUSTOMERS}] (default ${QUEUE_DEFAULT_CUSTOMERS})
  --replications R         independent replications, an integer >= 2 (default ${QUEUE_DEFAULT_REPLICATIONS}); the 95%
                           intervals are Student-t over the R per-replication means
  --seed S                 an integer >= 0 (default ${QUEUE_DEFAULT_SEED}); replication r draws from streams derived
                           from (S, r), so the same flags give the same results
  --warmup auto|N          customers deleted from the start of every replication: auto = one point
                           chosen by MSER-5 on the wait series averaged over the replications
                           (default); N = that many, rounded up to a multiple of ${CHECKPOINT_EVERY},
                           and it must stay below --customers
  --json                   print exactly one JSON object on stdout instead of the table
  --allow-unstable         run even if rho >= 1 (see below), with a warning
  --help                   print this text

The offered load rho = arrival rate x mean service time / C must be below 1, or the queue has
no steady state: it grows without bound. With --allow-unstable such a queue is run anyway, and
the numbers then describe the transient of the first N customers, not a steady state.

Output: per metric the mean over replications ± the 95% half-width, the closed-form value
(or —) and the relative difference; wait quantiles pool all kept customers of all
replications. customers/s = R x N / wall-clock seconds of the simulation.

Example: svcpath queue --servers 2 --arrival-rate 1.8 --service exp:1`;

export interface QueueInputs {
  servers: number;
  arrivalRatePerSec: number;
  /** The --service spec as typed. */
  serviceSpec: string;
  service: Distribution;
  customers: number;
  replications: number;
  seed: number;
  warmup: 'auto' | number;
  json: boolean;
  allowUnstable: boolean;
  /** Offered load rate * E[S] / servers. */
  rho: number;
}

function parseService(spec: string | undefined): Distribution {
  if (spec === undefined) throw new UsageError('--service is required, e.g. --service exp:0.001');
  try {
    return parseDistribution(spec);
  } catch (e) {
    if (e instanceof DistributionSpecError) throw new UsageError(`--service: ${e.message}`);
    throw e;
  }
}

export function parseQueueArgs(argv: readonly string[]): QueueInputs {
  const args = parseArgs(argv, {
    values: ['servers', 'arrival-rate', 'service', 'customers', 'replications', 'seed', 'warmup'],
    flags: ['json', 'allow-unstable'],
  });
  const servers = intFlag(args, 'servers', { min: 1 });
  const arrivalRatePerSec = numberFlag(args, 'arrival-rate', { minExclusive: 0 });
  if (!Number.isFinite(1 / arrivalRatePerSec)) {
    throw new UsageError(`--arrival-rate: "${args.values.get('arrival-rate')}" is too small (1/rate overflows)`);
  }
  const serviceSpec = args.values.get('service');
  const service = parseService(serviceSpec);
  const customers = intFlag(args, 'customers', { min: MIN_CUSTOMERS, max: MAX_CUSTOMERS, fallback: QUEUE_DEFAULT_CUSTOMERS });
  const replications = intFlag(args, 'replications', { min: 2, fallback: QUEUE_DEFAULT_REPLICATIONS });
  const seed = intFlag(args, 'seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: QUEUE_DEFAULT_SEED });
  const warmup = intOrChoiceFlag(args, 'warmup', ['auto'] as const, { min: 0, fallback: 'auto' });
  if (warmup !== 'auto') {
    const aligned = Math.ceil(warmup / CHECKPOINT_EVERY) * CHECKPOINT_EVERY;
    if (aligned >= customers) {
      const rounded = aligned === warmup ? '' : ` (rounded up to ${aligned}, a multiple of ${CHECKPOINT_EVERY})`;
      throw new UsageError(`--warmup ${warmup}${rounded} must be smaller than --customers ${customers}, or no customer is left to observe`);
    }
  }
  const rho = (arrivalRatePerSec * service.mean) / servers;
  const allowUnstable = args.flags.has('allow-unstable');
  if (!(rho < 1) && !allowUnstable) {
    throw new UsageError(
      `rho = --arrival-rate x mean service time / --servers = ${arrivalRatePerSec} x ${service.mean} / ${servers} = ${rho.toPrecision(4)} >= 1: ` +
        'the queue has no steady state (it grows without bound); lower the arrival rate, shorten the service or add servers, ' +
        'or pass --allow-unstable to simulate the transient anyway',
    );
  }
  return {
    servers,
    arrivalRatePerSec,
    serviceSpec: serviceSpec!,
    service,
    customers,
    replications,
    seed,
    warmup,
    json: args.flags.has('json'),
    allowUnstable,
    rho,
  };
}

function warn(message: string): void {
  process.stderr.write(`svcpath queue: warning: ${message}\n`);
}

async function runQueue(argv: readonly string[]): Promise<void> {
  const inputs = parseQueueArgs(argv);
  // Loaded only once the flags are valid, so --help and usage errors answer quickly.
  const { runQueueStudy } = await import('../../model/queueing/queueStudy.ts');
  const params: QueueParams = {
    servers: inputs.servers,
    interarrivalSec: exponential(1 / inputs.arrivalRatePerSec),
    serviceSec: inputs.service,
    customers: inputs.customers,
  };
  if (!(inputs.rho < 1)) {
    warn(
      `rho = ${inputs.rho.toPrecision(4)} >= 1: the queue has no steady state; the results describe the transient of ` +
        `the first ${inputs.customers} customers and grow with --customers, no closed form applies, and ` +
        `MSER-5 warm-up deletion (the default) assumes a steady state (--warmup 0 keeps every customer)`,
    );
  }
  const ticksPerSec = queueTicksPerSec(params);
  const smallestMeanSec = Math.min(params.interarrivalSec.mean, params.serviceSec.mean);
  if (smallestMeanSec * ticksPerSec < MIN_MEAN_TICKS) {
    warn(
      `the engine rounds every time to a ${1e9 / ticksPerSec} ns grid; a mean of ${smallestMeanSec} s is under ` +
        `${MIN_MEAN_TICKS} grid steps, so the rounding visibly distorts the results`,
    );
  }
  const t0 = performance.now();
  const result = runQueueStudy(params, { replications: inputs.replications, seed: inputs.seed, warmup: inputs.warmup });
  const wallSec = (performance.now() - t0) / 1000;
  const run: QueueRun = { inputs, result, wallSec, customersPerSec: (inputs.replications * inputs.customers) / wallSec };
  if (inputs.json) process.stdout.write(`${JSON.stringify(queueReportJson(run))}\n`);
  else process.stdout.write(`${queueReportTable(run)}\n`);
}

export const queueCommand: Command = {
  name: 'queue',
  summary: 'simulate an M/G/c queue over replications and compare with Erlang C / Pollaczek-Khinchine',
  synopsis: SYNOPSIS,
  help: HELP,
  run: runQueue,
};
