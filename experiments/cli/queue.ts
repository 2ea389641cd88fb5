/**
 * `svcpath queue`: simulates a G/G/c FCFS queue (renewal arrivals, c servers, unlimited waiting
 * room) over independent replications and sets the estimates beside the theory: the exact closed
 * form where one exists (M/M/c, M/G/1, GI/M/1), else the Allen-Cunneen approximation. Reads and
 * checks the flags with the rules of model/queueing/queueRunRules.ts, runs runQueueStudy (timing
 * it with the wall clock, which belongs here and never in model/), and prints a table or one
 * JSON object (queueReport.ts).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs, intFlag, numberFlag, intOrChoiceFlag, UsageError, type ParsedArgs } from './args.ts';
import type { Command } from './command.ts';
import { queueReportJson, queueReportTable, type QueueRun } from './queueReport.ts';
import {
  parseDistribution,
  DistributionSpecError,
  exponential,
  type Distribution,
} from '../../model/engine/distributions/index.ts';
import { CHECKPOINT_EVERY, type QueueParams } from '../../model/queueing/ggcQueue.ts';
import {
  QUEUE_RUN_DEFAULTS, QUEUE_MIN_CUSTOMERS, QUEUE_MAX_CUSTOMERS, QUEUE_MIN_REPLICATIONS, QUEUE_MIN_MEAN_TICKS,
  offeredLoad, isStable, alignedWarmup, timeGridDistortion,
} from '../../model/queueing/queueRunRules.ts';

const SYNOPSIS =
  'svcpath queue --servers C (--arrival-rate PER_SEC | --arrival DIST) --service DIST [--customers N] [--replications R] [--seed S] [--warmup auto|N] [--json] [--allow-unstable]';

const HELP = `usage: svcpath queue --servers C (--arrival-rate PER_SEC | --arrival DIST) --service DIST
                     [--customers N] [--replications R] [--seed S] [--warmup auto|N]
                     [--json] [--allow-unstable]

Simulates a FCFS queue with C identical servers, unlimited waiting room, independent
inter-arrival times and independent service times (G/G/c) over R independent replications, and
compares the estimates with theory: the exact closed form where one exists (Erlang C for M/M/c,
Pollaczek-Khinchine for M/G/1, the root-sigma solution for GI/M/1), otherwise the Allen-Cunneen
approximation for G/G/c (Kingman's formula for c = 1), marked as an approximation: it is
typically within about 10 % and is not a test of the simulator.

  --servers C              number of servers, an integer >= 1 (required)
  --arrival-rate PER_SEC   Poisson arrivals at this rate, customers per second, > 0
                           (the same as --arrival exp:1/PER_SEC)
  --arrival DIST           inter-arrival time distribution, seconds (same syntax as --service);
                           give exactly one of --arrival-rate and --arrival
  --service DIST           service-time distribution, times in seconds (required), one of:
                             exp:MEAN_SEC                    exponential
                             det:MEAN_SEC                    constant
                             erlang:K:MEAN_SEC               Erlang-K (K an integer >= 1)
                             hyperexp:P:MEAN1_SEC:MEAN2_SEC  exp(MEAN1) with probability P, else exp(MEAN2)
                             lognormal:MEAN_SEC:CV           lognormal, that mean and coefficient of variation
                             uniform:A_SEC:B_SEC             uniform on [A, B]
  --customers N            arrivals per replication, an integer in [${QUEUE_MIN_CUSTOMERS}, ${QUEUE_MAX_CUSTOMERS}] (default ${QUEUE_RUN_DEFAULTS.customers})
  --replications R         independent replications, an integer >= ${QUEUE_MIN_REPLICATIONS} (default ${QUEUE_RUN_DEFAULTS.replications}); the 95%
                           intervals are Student-t over the R per-replication means
  --seed S                 an integer >= 0 (default ${QUEUE_RUN_DEFAULTS.seed}); replication r draws from streams derived
                           from (S, r), so the same flags give the same results
  --warmup auto|N          customers deleted from the start of every replication: auto = one point
                           chosen by MSER-5 on the wait series averaged over the replications
                           (default); N = that many, rounded up to a multiple of ${CHECKPOINT_EVERY},
                           and it must stay below --customers
  --json                   print exactly one JSON object on stdout instead of the table
  --allow-unstable         run even if rho >= 1 (see below), with a warning
  --help                   print this text

The offered load rho = mean service time / (C x mean inter-arrival time) must be below 1, or the
queue has no steady state: it grows without bound. With --allow-unstable such a queue is run
anyway, and the numbers then describe the transient of the first N customers, not a steady state.

Output: per metric the mean over replications ± the 95% half-width, the theory's value (or —)
and the relative difference; wait quantiles pool all kept customers of all replications.
customers/s = R x N / wall-clock seconds of the simulation.

Examples: svcpath queue --servers 2 --arrival-rate 1.8 --service exp:1
          svcpath queue --servers 1 --arrival erlang:2:1 --service exp:0.8`;

export interface QueueInputs {
  servers: number;
  arrivalRatePerSec: number;
  /** The inter-arrival spec: --arrival as typed, or exp:MEAN for --arrival-rate. */
  arrivalSpec: string;
  interarrival: Distribution;
  /** The --service spec as typed. */
  serviceSpec: string;
  service: Distribution;
  customers: number;
  replications: number;
  seed: number;
  warmup: 'auto' | number;
  json: boolean;
  allowUnstable: boolean;
  /** Offered load E[S] / (servers E[A]). */
  rho: number;
}

function parseDist(flag: string, spec: string | undefined): Distribution {
  if (spec === undefined) throw new UsageError(`--${flag} is required, e.g. --${flag} exp:0.001`);
  try {
    return parseDistribution(spec);
  } catch (e) {
    if (e instanceof DistributionSpecError) throw new UsageError(`--${flag}: ${e.message}`);
    throw e;
  }
}

/** --arrival-rate R (Poisson) or --arrival DIST, exactly one. */
function parseArrivals(args: ParsedArgs): { interarrival: Distribution; arrivalSpec: string } {
  const hasRate = args.values.has('arrival-rate');
  const hasDist = args.values.has('arrival');
  if (hasRate === hasDist) {
    throw new UsageError(
      hasRate ? 'give one of --arrival-rate and --arrival, not both' : '--arrival-rate PER_SEC or --arrival DIST is required, e.g. --arrival-rate 1.8',
    );
  }
  if (hasDist) {
    const arrivalSpec = args.values.get('arrival')!;
    return { interarrival: parseDist('arrival', arrivalSpec), arrivalSpec };
  }
  const rate = numberFlag(args, 'arrival-rate', { minExclusive: 0 });
  if (!Number.isFinite(1 / rate)) throw new UsageError(`--arrival-rate: "${args.values.get('arrival-rate')}" is too small (1/rate overflows)`);
  const interarrival = exponential(1 / rate);
  return { interarrival, arrivalSpec: interarrival.describe() };
}

export function parseQueueArgs(argv: readonly string[]): QueueInputs {
  const args = parseArgs(argv, {
    values: ['servers', 'arrival-rate', 'arrival', 'service', 'customers', 'replications', 'seed', 'warmup'],
    flags: ['json', 'allow-unstable'],
  });
  const servers = intFlag(args, 'servers', { min: 1 });
  const { interarrival, arrivalSpec } = parseArrivals(args);
  const arrivalRatePerSec = 1 / interarrival.mean;
  const serviceSpec = args.values.get('service');
  const service = parseDist('service', serviceSpec);
  const customers = intFlag(args, 'customers', { min: QUEUE_MIN_CUSTOMERS, max: QUEUE_MAX_CUSTOMERS, fallback: QUEUE_RUN_DEFAULTS.customers });
  const replications = intFlag(args, 'replications', { min: QUEUE_MIN_REPLICATIONS, fallback: QUEUE_RUN_DEFAULTS.replications });
  const seed = intFlag(args, 'seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: QUEUE_RUN_DEFAULTS.seed });
  const warmup = intOrChoiceFlag(args, 'warmup', ['auto'] as const, { min: 0, fallback: 'auto' });
  if (warmup !== 'auto') {
    const aligned = alignedWarmup(warmup);
    if (aligned >= customers) {
      const rounded = aligned === warmup ? '' : ` (rounded up to ${aligned}, a multiple of ${CHECKPOINT_EVERY})`;
      throw new UsageError(`--warmup ${warmup}${rounded} must be smaller than --customers ${customers}, or no customer is left to observe`);
    }
  }
  const rho = offeredLoad(interarrival, service, servers);
  const allowUnstable = args.flags.has('allow-unstable');
  if (!isStable(rho) && !allowUnstable) {
    throw new UsageError(
      `rho = mean service time / (--servers x mean inter-arrival time) = ${service.mean} / (${servers} x ${interarrival.mean}) = ${rho.toPrecision(4)} >= 1: ` +
        'the queue has no steady state (it grows without bound); lower the arrival rate, shorten the service or add servers, ' +
        'or pass --allow-unstable to simulate the transient anyway',
    );
  }
  return {
    servers,
    arrivalRatePerSec,
    arrivalSpec,
    interarrival,
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
    interarrivalSec: inputs.interarrival,
    serviceSec: inputs.service,
    customers: inputs.customers,
  };
  if (!isStable(inputs.rho)) {
    warn(
      `rho = ${inputs.rho.toPrecision(4)} >= 1: the queue has no steady state; the results describe the transient of ` +
        `the first ${inputs.customers} customers and grow with --customers, no closed form applies, and ` +
        `MSER-5 warm-up deletion (the default) assumes a steady state (--warmup 0 keeps every customer)`,
    );
  }
  const grid = timeGridDistortion(params);
  if (grid !== null) {
    warn(
      `the engine rounds every time to a ${grid.gridNs} ns grid; a mean of ${grid.smallestMeanSec} s is under ` +
        `${QUEUE_MIN_MEAN_TICKS} grid steps, so the rounding visibly distorts the results`,
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
  summary: 'simulate a G/G/c queue over replications and compare with its closed form or approximation',
  synopsis: SYNOPSIS,
  help: HELP,
  run: runQueue,
};
