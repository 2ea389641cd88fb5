/**
 * The shape of the claims registry: a claim quoted from the seed (eight interview answers about
 * Kubernetes Service datapaths, each with a follow-up), what it claims, how svcpath tests it, and
 * the rule that turns the model's or the source's value into a verdict. Nothing here holds a
 * verdict: verdicts are computed by evaluateClaims (evaluate.ts) from experiment results, calibration
 * entries and sourced fact records (facts.ts) each time they are asked for.
 */
import type { ParamValue } from '../lib/defineExperiment.ts';
import type { CalibrationLabel } from '../../model/calibration/index.ts';
import type { FactRecord } from './factRecord.ts';

export const VERDICTS = ['supported', 'wrong', 'misleading', 'unsupported', 'out-of-scope', 'pending'] as const;
/**
 * supported: the evidence agrees with the claim. wrong: it contradicts it. misleading: true only
 * in a case the claim does not name, or right in letter and wrong in effect. unsupported: nothing
 * sourced settles it (the model's number there is an assumption, or no source was found).
 * out-of-scope: not something a performance model can judge (policy semantics, operations).
 * pending: the experiment that would settle it is not built yet, or its results are missing.
 */
export type Verdict = (typeof VERDICTS)[number];

/** A closed interval; a point is low = mean = high. */
export interface Interval {
  readonly low: number;
  readonly mean: number;
  readonly high: number;
}

/** What the claim states. */
export type ClaimedValue =
  /** A number or a range, in `unit`; open ends are ±Infinity. */
  | { readonly kind: 'range'; readonly low: number; readonly high: number; readonly unit: string; readonly text: string }
  /** A name, a setting or a yes/no. */
  | { readonly kind: 'value'; readonly value: string | number | boolean; readonly text: string }
  /** A statement with no value to compare (out-of-scope and pending claims, mechanism claims judged by a rule on the evidence). */
  | { readonly kind: 'statement'; readonly text: string };

/** One number read from an experiment's summary table (results/<experiment>/summary.arrow). */
export interface ExperimentMeasure {
  readonly kind: 'experiment';
  readonly experiment: string;
  /** The metric; the summary columns read are `<metric>_mean` and `_ci95HalfWidth` (or `_max`). */
  readonly metric: string;
  /** Swept parameters that pick exactly one summary row (values present in quick and full mode). */
  readonly where: Readonly<Record<string, ParamValue>>;
  /** 'mean' (mean with its 95 % CI) or 'max' (the largest replication, a point). __Default value:__ 'mean' */
  readonly stat?: 'mean' | 'max';
  /** Multiplies the column (a unit change, e.g. ns to µs). __Default value:__ 1 */
  readonly factor?: number;
  readonly unit: string;
  /** What the number is, in a few words, for tables and explanations. */
  readonly label: string;
}

/** numerator / denominator of two experiment numbers; the interval is the quotient of the intervals. */
export interface RatioMeasure {
  readonly kind: 'ratio';
  readonly numerator: ExperimentMeasure;
  readonly denominator: ExperimentMeasure;
  readonly unit: string;
  readonly label: string;
}

/** A calibration entry: its value, and for an assumption its plausible range. */
export interface CalibrationMeasure {
  readonly kind: 'calibration';
  readonly key: string;
  /** Multiplies value and range. __Default value:__ 1 */
  readonly factor?: number;
  /** __Default value:__ the entry's unit */
  readonly unit?: string;
  readonly label: string;
}

/** A sourced fact record (facts.ts). */
export interface FactMeasure {
  readonly kind: 'fact';
  readonly key: string;
}

export type MeasureSpec = ExperimentMeasure | RatioMeasure | CalibrationMeasure | FactMeasure;

/** Where a number came from, for links: the summary rows (by `point`) of an experiment, or a table row. */
export type EvidenceRef =
  | { readonly kind: 'experiment'; readonly experiment: string; readonly points: readonly number[]; readonly columns: readonly string[] }
  | { readonly kind: 'calibration'; readonly key: string }
  | { readonly kind: 'fact'; readonly key: string };

/** A measure's value once read. */
export type Measured =
  | {
      readonly kind: 'number';
      readonly interval: Interval;
      readonly unit: string;
      readonly label: string;
      /** 'model' for experiment output; a calibration entry's own label otherwise. */
      readonly basis: 'model' | CalibrationLabel;
      readonly evidence: readonly EvidenceRef[];
    }
  | { readonly kind: 'fact'; readonly record: FactRecord; readonly evidence: readonly EvidenceRef[] };

export interface RuleOutcome {
  readonly verdict: Exclude<Verdict, 'pending' | 'out-of-scope'>;
  /** One sentence: which measure decided and how. */
  readonly reason: string;
}

/**
 * A rule: its statement in words (shown beside the claim) and the code that applies it. `measures`
 * holds every measure of the claim's test by name, read; `primary` is the one the claim's model
 * value is.
 */
export interface Rule {
  readonly text: string;
  judge(claimed: ClaimedValue, measures: Readonly<Record<string, Measured>>): RuleOutcome;
}

/** How a claim is tested. */
export type ClaimTest =
  | {
      readonly kind: 'measure';
      /** By name; `primary` is required and is the claim's model (or source) value. */
      readonly measures: Readonly<Record<string, MeasureSpec>> & { readonly primary: MeasureSpec };
      readonly rule: Rule;
      /** The chart that settles it, when an experiment does: results/<experiment>/chart-<chart>. */
      readonly chart?: { readonly experiment: string; readonly chart: string };
    }
  /** Needs an experiment that is not built yet (or not wired): the verdict is pending until it is. */
  | { readonly kind: 'needs-experiment'; readonly experiment: string; readonly what: string }
  /** Not a performance question: `why` says what kind of claim it is and what would settle it. */
  | { readonly kind: 'out-of-scope'; readonly why: string };

/** The answer's own text, or the follow-up question's. */
export type SeedPart = 'answer' | 'follow-up';

export interface Claim {
  /** kebab-case, starting with the question: `q1-iptables-per-packet-latency`. */
  readonly id: string;
  /** Seed question number, 1-8. */
  readonly question: number;
  readonly part: SeedPart;
  /** The claim as the seed words it (the quote is the data: the seed lives outside the repository). */
  readonly quote: string;
  readonly claimed: ClaimedValue;
  readonly test: ClaimTest;
  /**
   * The paragraph a platform engineer reads: what really happens and why, with the model's or the
   * source's numbers filled in from the measures (absent for pending claims).
   */
  explain(measures: Readonly<Record<string, Measured>>): string;
  /** Sources beyond those of the measures (docs/sources.md anchors, papers, repository files). */
  readonly sources: readonly string[];
  /** Set when the verdict needs the experiment's full run (its quick mode lacks the rows): why. */
  readonly needsFullRun?: string;
}
