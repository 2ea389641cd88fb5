/**
 * The highest connection rate a node sustains within a latency SLO: bisection over simulated load.
 * A rate passes when the run's first-packet p99 RTT is within the SLO and its drop fraction below
 * the limit. The search doubles (or halves) from a starting rate until it brackets the answer, then
 * bisects geometrically until the bracket is narrower than the tolerance. Every run uses the same
 * seed, so the search is deterministic and neighbouring rates see common random numbers.
 * Each run simulates about `targetConnections` measured connections (its duration shrinks as the
 * rate grows), so an overload of a few percent can go unnoticed within one run: the answer is an
 * estimate at the tolerance, not an exact limit.
 */
import { defaultConntrackGcParams } from '../conntrack/conntrackPolicy.ts';
import type { DatapathSpec } from './datapathSpec.ts';
import type { PathResult } from './pathResult.ts';
import { simulatePath } from './simulatePath.ts';

/**
 * The drop fraction a rate must stay below to pass (exclusive), unless the query gives another:
 * the acceptance criterion of the capacity question (1 packet in 1000), not a model quantity.
 */
export const CAPACITY_MAX_DROP_FRACTION = 1e-3;

export interface CapacityQuery {
  /** First-packet p99 RTT limit, µs. */
  readonly sloP99Us: number;
  /** Largest acceptable drop fraction (exclusive). Default CAPACITY_MAX_DROP_FRACTION. */
  readonly maxDropFraction?: number;
  readonly seed: number;
}

/** Search settings: numerics of the search, not model quantities. */
export interface CapacitySearchOptions {
  /** Stop when upper / lower - 1 is below this. */
  readonly relTolerance: number;
  /** Measured connections per run. */
  readonly targetConnections: number;
  /** Lowest and highest rates tried, connections/s. */
  readonly minRatePerSec: number;
  readonly maxRatePerSec: number;
  /** Upper bound on simulation runs. */
  readonly maxRuns: number;
}

export const CAPACITY_SEARCH_DEFAULTS: CapacitySearchOptions = Object.freeze({
  relTolerance: 0.02, // calibration-exempt: search tolerance, not a model quantity
  targetConnections: 2000, // calibration-exempt: run length of the search, not a model quantity
  minRatePerSec: 1,
  maxRatePerSec: 10_000_000, // calibration-exempt: search bound, not a model quantity
  maxRuns: 40, // calibration-exempt: search bound, not a model quantity
});

export interface CapacityRun {
  readonly connectionsPerSec: number;
  readonly firstPacketP99Us: number;
  readonly dropFraction: number;
  readonly coreUtilization: number;
  readonly pass: boolean;
  /** Why it failed: the SLO, drops, or both; null when it passed. */
  readonly failedOn: 'slo' | 'drops' | 'slo+drops' | null;
  /** Where most packets were dropped, or null without drops. */
  readonly mainDropCause: 'rx-ring' | 'host-backlog' | 'cpu-backlog' | 'conntrack-full' | 'tx-queue' | null;
}

export interface CapacityResult {
  /** Highest passing rate found, connections/s (0 when even the lowest rate fails). */
  readonly connectionsPerSec: number;
  /** The passing and failing runs that bracket the answer (null when the search hit a bound). */
  readonly lower: CapacityRun | null;
  readonly upper: CapacityRun | null;
  /** Every run, in the order made. */
  readonly runs: readonly CapacityRun[];
  /** The full result of the highest passing run. */
  readonly atCapacity: PathResult | null;
  /** Why the search stopped. */
  readonly stoppedBy: 'tolerance' | 'max-rate' | 'min-rate' | 'max-runs';
}

/** The run length for a rate: warm-up plus enough time for `targetConnections` arrivals. */
export function capacityRunSpec(spec: DatapathSpec, ratePerSec: number, o: CapacitySearchOptions = CAPACITY_SEARCH_DEFAULTS): DatapathSpec {
  const measureSec = o.targetConnections / ratePerSec;
  const warmupSec = Math.min(spec.warmupSec, measureSec);
  const durationSec = warmupSec + measureSec;
  // A steady-state question: the run ends just before a conntrack GC pass, so a table too small for
  // the rate's closing entries gets no early-drop relief within the run (refusals arm it; only the
  // next pass acts on it): a rate that fills the table fails, as it does on a node between passes.
  const gcSec = defaultConntrackGcParams.nfGcIntervalSec;
  const conntrackGcPhaseFraction = spec.conntrackGcPhaseFraction ?? Math.max(0, 1 - durationSec / gcSec);
  return { ...spec, connectionsPerSec: ratePerSec, warmupSec, durationSec, conntrackGcPhaseFraction };
}

export function findCapacity(spec: DatapathSpec, query: CapacityQuery, options: Partial<CapacitySearchOptions> = {}): CapacityResult {
  const o = { ...CAPACITY_SEARCH_DEFAULTS, ...options };
  if (!(query.sloP99Us > 0) || !Number.isFinite(query.sloP99Us)) throw new RangeError(`sloP99Us must be a finite number > 0, got ${query.sloP99Us}`);
  const maxDrop = query.maxDropFraction ?? CAPACITY_MAX_DROP_FRACTION;
  const runs: CapacityRun[] = [];
  const results = new Map<number, PathResult>();
  const evaluate = (rate: number): CapacityRun => {
    const r = simulatePath(capacityRunSpec(spec, rate, o), query.seed);
    const p99 = r.firstPacketRttUs.p99;
    const sloOk = p99 <= query.sloP99Us;
    const dropOk = r.dropFraction < maxDrop;
    const p = r.packets;
    const causes = [
      ['rx-ring', p.droppedRxRing], ['host-backlog', p.droppedHostBacklog], ['cpu-backlog', p.droppedCpuBacklog], ['conntrack-full', p.droppedConntrackFull],
      ['tx-queue', p.droppedTxQueue],
    ] as const;
    const main = causes.reduce((a, b) => (b[1] > a[1] ? b : a));
    const run: CapacityRun = {
      connectionsPerSec: rate,
      firstPacketP99Us: p99,
      dropFraction: r.dropFraction,
      coreUtilization: r.coreUtilization,
      pass: sloOk && dropOk,
      failedOn: sloOk && dropOk ? null : !sloOk && !dropOk ? 'slo+drops' : !sloOk ? 'slo' : 'drops',
      mainDropCause: main[1] > 0 ? main[0] : null,
    };
    runs.push(run);
    if (run.pass) results.set(rate, r);
    return run;
  };
  const clampRate = (r: number): number => Math.min(o.maxRatePerSec, Math.max(o.minRatePerSec, r));
  let lower: CapacityRun | null = null;
  let upper: CapacityRun | null = null;
  const first = evaluate(clampRate(spec.connectionsPerSec));
  let stoppedBy: CapacityResult['stoppedBy'] = 'tolerance';
  if (first.pass) {
    lower = first;
    while (upper === null) {
      if (lower.connectionsPerSec >= o.maxRatePerSec) { stoppedBy = 'max-rate'; break; }
      if (runs.length >= o.maxRuns) { stoppedBy = 'max-runs'; break; }
      const next = evaluate(clampRate(lower.connectionsPerSec * 2));
      if (next.pass) lower = next;
      else upper = next;
    }
  } else {
    upper = first;
    while (lower === null) {
      if (upper.connectionsPerSec <= o.minRatePerSec) { stoppedBy = 'min-rate'; break; }
      if (runs.length >= o.maxRuns) { stoppedBy = 'max-runs'; break; }
      const next = evaluate(clampRate(upper.connectionsPerSec / 2));
      if (next.pass) lower = next;
      else upper = next;
    }
  }
  while (lower !== null && upper !== null && upper.connectionsPerSec / lower.connectionsPerSec - 1 > o.relTolerance) {
    if (runs.length >= o.maxRuns) { stoppedBy = 'max-runs'; break; }
    const mid = Math.sqrt(lower.connectionsPerSec * upper.connectionsPerSec);
    const run = evaluate(mid);
    if (run.pass) lower = run;
    else upper = run;
  }
  return {
    connectionsPerSec: lower?.connectionsPerSec ?? 0,
    lower,
    upper,
    runs,
    atCapacity: lower === null ? null : (results.get(lower.connectionsPerSec) ?? null),
    stoppedBy,
  };
}
