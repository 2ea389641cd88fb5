/**
 * Computes every claim's verdict now, from what is there: the results folder (experiments'
 * summary tables), the calibration table and the fact records. A claim whose experiment is not
 * built yet, or whose results are missing, is pending, with the reason; stale results (made by
 * other model code) still give a verdict, flagged, so a reader sees both the answer and that it
 * needs a re-run. `svcpath claims` prints the result and the report shows it.
 */
import type { Claim, ClaimedValue, EvidenceRef, Measured, Verdict } from './claimTypes.ts';
import { CLAIMS } from './registry.ts';
import { measureExperiments, readMeasure } from './readMeasure.ts';
import { resultsIndex, type ResultsIndex, type ResultsStatus } from './resultsIndex.ts';
import { formatInterval, formatNumber, formatRange } from './rules.ts';
import { seedQuestion } from './seedQuestions.ts';
import { citeSource } from './factRecord.ts';
import { calibrationEntry } from '../../model/calibration/index.ts';
import { factRecord } from './facts.ts';

export interface ClaimResult {
  readonly id: string;
  readonly question: number;
  readonly topic: string;
  readonly part: Claim['part'];
  /** The quote. */
  readonly claim: string;
  /** The claimed value in words ("50–100 µs", "round-robin"). */
  readonly claimedValue: string;
  readonly claimedRange: readonly [number, number] | null;
  readonly verdict: Verdict;
  /** Why: the rule's reading of the evidence, or what the claim is waiting for. */
  readonly verdictReason: string;
  /** The model's or the source's value: a number (mean), a string or a boolean; null when pending or out of scope. */
  readonly modelValue: number | string | boolean | null;
  readonly modelInterval: readonly [number, number] | null;
  /** The model value in words, with its interval and unit. */
  readonly modelText: string;
  /** Every measure of the test in words, by name (`primary` is modelText). */
  readonly measured: Readonly<Record<string, string>>;
  readonly unit: string;
  /** The experiment behind the primary measure (or the one a pending claim needs). */
  readonly experiment: string | null;
  /** The summary column(s), calibration key or fact key of the primary measure. */
  readonly metric: string | null;
  readonly where: Readonly<Record<string, unknown>> | null;
  readonly chart: { readonly experiment: string; readonly chart: string } | null;
  readonly evidence: readonly EvidenceRef[];
  readonly rule: string;
  readonly explanation: string;
  readonly sources: readonly string[];
  /** Results the verdict was computed from: their status and whether they came from quick mode. */
  readonly results: readonly { readonly experiment: string; readonly status: ResultsStatus; readonly quick: boolean | null }[];
  readonly needsFullRun: string | null;
}

export interface ClaimsEvaluation {
  readonly resultsDir: string;
  readonly claims: readonly ClaimResult[];
  /** Every experiment the claims read or wait for, with the state of its results. */
  readonly experiments: readonly ExperimentState[];
}

export interface ExperimentState {
  readonly name: string;
  /** built: registered in experiments/index.ts; not-built: a claim waits for it. */
  readonly built: boolean;
  /** Some claim reads its results (false: claims only wait for it). */
  readonly read: boolean;
  readonly status: ResultsStatus | 'not-built';
  readonly quick: boolean | null;
  readonly claims: readonly string[];
}

export interface EvaluateOptions {
  /** Registered experiment names. __Default value:__ experiments/index.ts */
  readonly registered?: readonly string[];
  /** The claims. __Default value:__ the registry */
  readonly claims?: readonly Claim[];
  /** An index to read from instead of `resultsDir` (tests). */
  readonly results?: ResultsIndex;
}

function claimedText(c: ClaimedValue): string {
  if (c.kind === 'range') return c.text || formatRange(c.low, c.high, c.unit);
  return c.text;
}

function modelTextOf(m: Measured): string {
  if (m.kind === 'number') return `${formatInterval(m.interval, m.unit)}${m.basis === 'assumption' ? ' (assumption)' : ''}`;
  const v = m.record.value;
  return `${typeof v === 'string' ? v : typeof v === 'number' ? formatNumber(v) : JSON.stringify(v)}${m.record.unit ? ` ${m.record.unit}` : ''}${m.record.status === 'unconfirmed' ? ' (unconfirmed)' : ''}`;
}

function sourcesOf(claim: Claim, measured: readonly Measured[]): string[] {
  const out: string[] = [];
  for (const m of measured) {
    for (const e of m.evidence) {
      if (e.kind === 'calibration') out.push(`calibration ${e.key}: ${calibrationEntry(e.key).source}`);
      if (e.kind === 'fact') {
        const f = factRecord(e.key);
        out.push(...f.sources.map(citeSource), `docs/sources.md#${f.anchor}`);
      }
    }
  }
  out.push(...claim.sources);
  return [...new Set(out)];
}

/** Every claim's verdict, computed from `resultsDir` now. */
export async function evaluateClaims(resultsDir: string, options: EvaluateOptions = {}): Promise<ClaimsEvaluation> {
  const registered = options.registered ?? (await import('../index.ts')).EXPERIMENTS.map((e) => e.name);
  const claims = options.claims ?? CLAIMS;
  const results = options.results ?? resultsIndex(resultsDir);
  const out = claims.map((c) => evaluateClaim(c, results, registered));

  const names = new Map<string, string[]>();
  const read = new Set<string>();
  const note = (name: string, id: string) => names.set(name, [...(names.get(name) ?? []), id]);
  for (const c of claims) {
    if (c.test.kind === 'needs-experiment') note(c.test.experiment, c.id);
    if (c.test.kind === 'measure') {
      for (const s of Object.values(c.test.measures)) {
        for (const e of measureExperiments(s)) {
          note(e, c.id);
          read.add(e);
        }
      }
    }
  }
  const experiments = [...names.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, ids]): ExperimentState => {
      const built = registered.includes(name);
      const r = built && read.has(name) ? results.get(name) : undefined;
      return { name, built, read: read.has(name), status: r?.status ?? (built ? 'missing' : 'not-built'), quick: r?.quick ?? null, claims: [...new Set(ids)] };
    });
  return { resultsDir, claims: out, experiments };
}

/** One claim's verdict against `results`. */
export function evaluateClaim(claim: Claim, results: ResultsIndex, registered: readonly string[]): ClaimResult {
  const q = seedQuestion(claim.question);
  const base = {
    id: claim.id,
    question: claim.question,
    topic: q.topic,
    part: claim.part,
    claim: claim.quote,
    claimedValue: claimedText(claim.claimed),
    claimedRange: claim.claimed.kind === 'range' ? ([claim.claimed.low, claim.claimed.high] as const) : null,
    needsFullRun: claim.needsFullRun ?? null,
  };
  const blank = { modelValue: null, modelInterval: null, modelText: '', measured: {}, unit: claim.claimed.kind === 'range' ? claim.claimed.unit : '', metric: null, where: null, chart: null, evidence: [] };

  const t = claim.test;
  if (t.kind === 'out-of-scope') {
    return { ...base, ...blank, verdict: 'out-of-scope', verdictReason: t.why, experiment: null, rule: 'out of scope: not a question of performance or capacity, which is what svcpath models', explanation: claim.explain({}), sources: [...claim.sources], results: [] };
  }
  if (t.kind === 'needs-experiment') {
    const built = registered.includes(t.experiment);
    return {
      ...base, ...blank,
      verdict: 'pending',
      verdictReason: built ? `experiment ${t.experiment} exists; this claim is not wired to its metrics yet (${t.what})` : `needs experiment ${t.experiment} (${t.what})`,
      experiment: t.experiment,
      rule: `pending until experiment ${t.experiment} gives ${t.what}`,
      explanation: claim.explain({}),
      sources: [...claim.sources],
      results: [],
    };
  }

  const specs = Object.entries(t.measures);
  const needed = [...new Set(specs.flatMap(([, s]) => measureExperiments(s)))];
  const unbuilt = needed.filter((n) => !registered.includes(n));
  const primarySpec = t.measures.primary;
  const primaryExperiment = primarySpec.kind === 'experiment' ? primarySpec : primarySpec.kind === 'ratio' ? primarySpec.numerator : undefined;
  const identity = {
    experiment: primaryExperiment?.experiment ?? null,
    metric: primarySpec.kind === 'experiment' ? `${primarySpec.metric}_${primarySpec.stat === 'max' ? 'max' : 'mean'}`
      : primarySpec.kind === 'ratio' ? `${primarySpec.numerator.metric}_mean / ${primarySpec.denominator.metric}_mean`
      : primarySpec.kind === 'calibration' ? `calibration ${primarySpec.key}` : `fact ${primarySpec.key}`,
    where: primarySpec.kind === 'experiment' ? primarySpec.where : primarySpec.kind === 'ratio' ? { numerator: primarySpec.numerator.where, denominator: primarySpec.denominator.where } : null,
    chart: t.chart ?? null,
    rule: t.rule.text,
  };
  const state = needed.filter((n) => registered.includes(n)).map((n) => {
    const r = results.get(n);
    return { experiment: n, status: r.status, quick: r.quick };
  });
  if (unbuilt.length > 0) {
    return { ...base, ...blank, ...identity, verdict: 'pending', verdictReason: `needs experiment ${unbuilt.join(', ')}`, explanation: claim.explain({}), sources: [...claim.sources], results: state };
  }

  const measured: Record<string, Measured> = {};
  const missing: string[] = [];
  for (const [name, spec] of specs) {
    const r = readMeasure(spec, results);
    if (r.ok) measured[name] = r.measured;
    else missing.push(r.missing);
  }
  if (missing.length > 0) {
    return { ...base, ...blank, ...identity, verdict: 'pending', verdictReason: [...new Set(missing)].join('; '), explanation: claim.explain({}), sources: [...claim.sources], results: state };
  }
  const outcome = t.rule.judge(claim.claimed, measured);
  const primary = measured.primary!;
  const stale = state.filter((s) => s.status === 'stale').map((s) => s.experiment);
  return {
    ...base,
    ...identity,
    verdict: outcome.verdict,
    verdictReason: `${outcome.reason}${stale.length > 0 ? ` (from stale results of ${stale.join(', ')}: re-run to confirm)` : ''}`,
    modelValue: primary.kind === 'number' ? primary.interval.mean : primary.record.value,
    modelInterval: primary.kind === 'number' ? [primary.interval.low, primary.interval.high] : null,
    modelText: modelTextOf(primary),
    measured: Object.fromEntries(Object.entries(measured).map(([k, m]) => [k, modelTextOf(m)])),
    unit: primary.kind === 'number' ? primary.unit : (primary.record.unit ?? ''),
    evidence: Object.values(measured).flatMap((m) => m.evidence),
    explanation: claim.explain(measured),
    sources: sourcesOf(claim, Object.values(measured)),
    results: state,
  };
}

/** Verdict -> count, in VERDICTS order, zeros included. */
export function verdictCounts(claims: readonly ClaimResult[]): Record<Verdict, number> {
  const counts = { supported: 0, wrong: 0, misleading: 0, unsupported: 0, 'out-of-scope': 0, pending: 0 } satisfies Record<Verdict, number>;
  for (const c of claims) counts[c.verdict]++;
  return counts;
}
