/**
 * The shape of an experiment file: a typed, declarative object (name, question, base scenario,
 * sweep, replications or a precision target, warm-up, metrics, charts) that the runner turns into
 * results/<name>/. `defineExperiment` only types and tags the object; it is checked with zod when
 * the runner loads it (experimentSchema.ts), so one bad file never breaks `svcpath list`.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ClusterInput } from '../../model/cluster/clusterSpecs.ts';
import type { RandomStreams } from '../../model/engine/randomStreams.ts';

/** A swept or fixed parameter: one Arrow column (Float64, Utf8 or Bool). */
export type ParamValue = number | string | boolean;

/** Parameters of a scenario. Interfaces work too: every property must be a ParamValue. */
export type ParamsOf<P> = { [K in keyof P]: ParamValue };

/** Warm-up to delete from each replication: 'auto' = MSER-5, or that many leading observations. */
export type Warmup = 'auto' | number;

/** What a scenario receives besides its parameters. */
export interface ScenarioContext {
  /** The study seed (`seed` of the experiment, or --seed). */
  readonly seed: number;
  /** Replication index, 0-based. */
  readonly replication: number;
  /**
   * `new RandomStreams(seed, replication)`: the same for every sweep point, so stream "arrivals" of
   * replication r gives the same draws at every point (common random numbers).
   */
  readonly streams: RandomStreams;
  /** The experiment's warm-up policy, for scenarios that delete a warm-up. */
  readonly warmup: Warmup;
  /**
   * The cluster the study runs on (`svcpath run NAME --cluster FILE`), for what no parameter
   * carries: the node class's node and iptables' real Service positions. Undefined otherwise.
   */
  readonly cluster?: ClusterInput;
}

/**
 * What an experiment takes from a cluster profile (`svcpath run NAME --cluster FILE`). `base`
 * returns the parameters the profile supplies (its Services, endpoints, datapath, node size):
 * they replace the experiment's base values, and swept parameters keep the sweep's values (the
 * sweep is the question) unless `sweep` rewrites it, e.g. to put the cluster's own node in place
 * of a sweep over node sizes. What no parameter carries reaches the scenario as `ctx.cluster`.
 */
export interface ClusterUse<P> {
  /** One line: what the profile supplies (shown by `svcpath list` and in the manifest). */
  readonly uses: string;
  readonly base: (cluster: ClusterInput) => Partial<P>;
  /** The sweep on the cluster, from the experiment's own (after --quick). __Default value:__ unchanged */
  readonly sweep?: (cluster: ClusterInput, sweep: Sweep<P> | undefined) => Sweep<P>;
}

/** One replication at one sweep point: pure (no I/O, no clock), returns one value per metric. */
export type Scenario<P, M extends string> = (params: P, ctx: ScenarioContext) => Record<M, number>;

/** Values of some parameters, to be combined (see SweepPart). */
export type SweepValues<P> = { readonly [K in keyof P]?: readonly P[K][] };

/**
 * One part of a sweep. `grid` is the cartesian product of its lists (the first key varies
 * slowest); `zip` steps its lists together (all the same length); `list` gives points outright.
 * When a part has several of them, its points are grid × zip × list, in that order. A parameter
 * may appear in only one of them. Parameters not named keep their `base` value.
 */
export interface SweepPart<P> {
  readonly grid?: SweepValues<P>;
  readonly zip?: SweepValues<P>;
  readonly list?: readonly Partial<P>[];
}

/** A sweep: one part, or several parts whose points are concatenated in order. */
export type Sweep<P> = SweepPart<P> | readonly SweepPart<P>[];

/** Add replications per point until the metric's relative CI half-width reaches the target. */
export interface PrecisionSpec<M extends string> {
  /** Target half-width / |mean|, e.g. 0.05. */
  readonly relHalfWidth: number;
  /** Confidence of that interval. __Default value:__ 0.95 */
  readonly confidence?: number;
  /** __Default value:__ 3 (at least 2) */
  readonly minReplications?: number;
  readonly maxReplications: number;
  /** The metric whose interval decides. */
  readonly metric: M;
}

/** Which table a chart reads: one row per point ('summary') or per point × replication ('runs'). */
export type ChartDataName = 'summary' | 'runs';

/** A Vega-Lite chart over a result table, bound by name: the spec never embeds data or paths. */
export interface ChartDefinition {
  /** kebab-case; the files are chart-<name>.vl.json / .svg / .png. */
  readonly name: string;
  readonly spec: TopLevelSpec & { readonly data: { readonly name: ChartDataName } };
}

/** Overrides for `--quick`: a smaller study that finishes in seconds. */
export interface QuickOverrides<P, M extends string> {
  readonly base?: Partial<P>;
  /** Replaces the whole sweep. */
  readonly sweep?: Sweep<P>;
  readonly replications?: number;
  readonly precision?: PrecisionSpec<M>;
}

interface ExperimentFields<P, M extends string> {
  /** kebab-case, names results/<name>/. */
  readonly name: string;
  /** The question, in one sentence. */
  readonly question: string;
  /**
   * A short written answer to the question for the report: what the results show and why, in
   * plain words (a few sentences; the charts carry the numbers). Optional.
   */
  readonly answer?: string;
  /** One replication at one point; from model/, or a thin pure adapter over it. */
  readonly scenario: Scenario<P, M>;
  /** Every parameter's value where the sweep does not set it. */
  readonly base: NoInfer<P>;
  /** __Default value:__ the single point `base`. */
  readonly sweep?: Sweep<NoInfer<P>>;
  /** __Default value:__ 'auto' */
  readonly warmup?: Warmup;
  /** The scenario outputs to keep, in column order. */
  readonly metrics: readonly M[];
  readonly charts?: readonly ChartDefinition[];
  /** Study seed. __Default value:__ 1 */
  readonly seed?: number;
  readonly quick?: QuickOverrides<NoInfer<P>, NoInfer<M>>;
  /** How the experiment runs on a user's cluster; without it, `--cluster` is refused. */
  readonly cluster?: ClusterUse<NoInfer<P>>;
}

/** Exactly one of `replications` (a fixed count per point) or `precision`. */
export type ExperimentDefinition<P = Record<string, ParamValue>, M extends string = string> = ExperimentFields<P, M> &
  (
    | { readonly replications: number; readonly precision?: undefined }
    | { readonly precision: PrecisionSpec<NoInfer<M>>; readonly replications?: undefined }
  );

/** The loose type the runner handles once the generic parameters no longer matter. */
export type AnyExperimentDefinition = ExperimentDefinition<any, string>;

const EXPERIMENT_TAG = Symbol.for('svcpath.experiment');

/**
 * Types an experiment file and tags it for the loader.
 *
 * @example
 * export default defineExperiment({
 *   name: 'queue-validation', question: 'Does the engine reproduce queueing theory?',
 *   scenario: queueScenario, base: { servers: 1, rho: 0.5, ... },
 *   sweep: { grid: { servers: [1, 2, 4], rho: [0.3, 0.5, 0.9] } },
 *   replications: 10, metrics: ['meanWaitSec'], charts: [...],
 * });
 */
export function defineExperiment<P extends ParamsOf<P>, const M extends string>(
  definition: ExperimentDefinition<P, M>,
): ExperimentDefinition<P, M> {
  if (definition !== null && typeof definition === 'object' && !Object.isFrozen(definition)) {
    Object.defineProperty(definition, EXPERIMENT_TAG, { value: true, enumerable: false });
  }
  return definition;
}

/** True for objects made by defineExperiment (the loader's way to find them among exports). */
export function isTaggedExperiment(value: unknown): value is AnyExperimentDefinition {
  return value !== null && typeof value === 'object' && (value as Record<symbol, unknown>)[EXPERIMENT_TAG] === true;
}

/** Untagged look-alikes count too (an object literal typed as ExperimentDefinition); the check comes later. */
export function looksLikeExperiment(value: unknown): value is AnyExperimentDefinition {
  return value !== null && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string' && 'scenario' in value;
}
