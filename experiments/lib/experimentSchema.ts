/**
 * Checks an experiment definition with zod and resolves it into what the runner needs: the points
 * of the sweep, the column layout, the replication policy. Every problem is reported with the
 * experiment's name, the field path and what is allowed, e.g.
 * `experiment "queue-validation": sweep.grid.servers[2]: expected a number, got "x"`.
 * Checking happens in three stages: the top-level shape; the sweep and quick overrides against the
 * types of `base`; then cross-field rules (metrics vs parameters, the charts' data and fields).
 */
import { z } from 'zod';
import type { ClusterInput } from '../../model/cluster/clusterSpecs.ts';
import { DEFAULT_CONFIDENCE, DEFAULT_MIN_REPLICATIONS } from '../../model/engine/stats/index.ts';
import type { ChartDefinition, ParamValue, ScenarioContext, Warmup } from './defineExperiment.ts';
import {
  expandSweep,
  SweepExpansionError,
  type ParamColumn,
  type ParamRecord,
  type SweepPartInput,
  type SweepPoint,
} from './sweep.ts';
import { chartFieldProblems, SUMMARY_STATS, type TableColumns } from './chartFields.ts';

export type ReplicationPolicy =
  | { readonly mode: 'fixed'; readonly replications: number }
  | {
      readonly mode: 'precision';
      readonly relHalfWidth: number;
      readonly confidence: number;
      readonly minReplications: number;
      readonly maxReplications: number;
      readonly metric: string;
    };

/** An experiment after checking, with --quick applied: everything the runner needs. */
export interface ResolvedExperiment {
  readonly name: string;
  readonly question: string;
  /** The experiment's written answer, when it has one. */
  readonly answer?: string;
  readonly scenario: (params: ParamRecord, ctx: ScenarioContext) => Record<string, number>;
  readonly base: ParamRecord;
  /** The sweep as written (after --quick), for the manifest. */
  readonly sweep: unknown;
  readonly points: readonly SweepPoint[];
  readonly paramColumns: readonly ParamColumn[];
  readonly metrics: readonly string[];
  readonly replicationPolicy: ReplicationPolicy;
  readonly warmup: Warmup;
  readonly seed: number;
  readonly charts: readonly ChartDefinition[];
  readonly quick: boolean;
  /** What the experiment takes from a cluster profile (null: it runs on no cluster). */
  readonly clusterUses: string | null;
  /** With a cluster: the base values its profile supplied (already in `base`). */
  readonly fromCluster: ParamRecord | null;
}

/** `--cluster` given to an experiment that takes nothing from a cluster. */
export class ClusterNotUsedError extends Error {
  constructor(readonly experiment: string) {
    super(`experiment "${experiment}" does not run on a cluster profile (it has no mapping from one)`);
    this.name = 'ClusterNotUsedError';
  }
}

export class ExperimentDefinitionError extends Error {
  constructor(
    readonly experiment: string,
    readonly issues: readonly string[],
  ) {
    super(issues.map((i) => `experiment ${experiment}: ${i}`).join('\n'));
    this.name = 'ExperimentDefinitionError';
  }
}

export const DEFAULT_SEED = 1;
/** Column names the tables use themselves. */
export const RESERVED_COLUMNS = ['point', 'replication', 'seed', 'n'] as const;

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

// --- leaf schemas, each message says what is allowed ---------------------------------------------

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => {
  const error = max === Number.MAX_SAFE_INTEGER ? `expected an integer >= ${min}` : `expected an integer in [${min}, ${max}]`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const kebabName = (what: string) =>
  z.string({ error: `expected ${what}, a kebab-case string such as "queue-validation"` }).regex(KEBAB, {
    error: `expected ${what}, a kebab-case string such as "queue-validation"`,
  });
const paramValue = z.union([z.number(), z.string(), z.boolean()], {
  error: 'expected a parameter value: a finite number, a string or a boolean',
});
const plainObject = (what: string) =>
  z.custom<Record<string, unknown>>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), { error: `expected ${what}` });

const precisionSchema = z.strictObject(
  {
    relHalfWidth: z.number({ error: 'expected a number > 0' }).gt(0, { error: 'expected a number > 0' }),
    confidence: z
      .number({ error: 'expected a number in (0, 1)' })
      .gt(0, { error: 'expected a number in (0, 1)' })
      .lt(1, { error: 'expected a number in (0, 1)' })
      .optional(),
    minReplications: int(2).optional(),
    maxReplications: int(2),
    metric: z.string({ error: 'expected the name of one of the metrics' }),
  },
  { error: unknownKeys(['relHalfWidth', 'confidence', 'minReplications', 'maxReplications', 'metric']) },
);

const chartSchema = z.strictObject(
  {
    name: kebabName('a chart name'),
    spec: plainObject('a Vega-Lite spec object with data: { name: "summary" | "runs" }'),
  },
  { error: unknownKeys(['name', 'spec']) },
);

const TOP_KEYS = [
  'name',
  'question',
  'answer',
  'scenario',
  'base',
  'sweep',
  'replications',
  'precision',
  'warmup',
  'metrics',
  'charts',
  'seed',
  'quick',
  'cluster',
] as const;

const topSchema = z.strictObject(
  {
    name: kebabName('the experiment name'),
    question: z
      .string({ error: 'expected the question as one sentence ending in "?"' })
      .regex(/\S.*\?\s*$/s, { error: 'expected the question as one sentence ending in "?"' }),
    answer: z
      .string({ error: 'expected the answer as a string of a few sentences' })
      .regex(/\S/, { error: 'expected the answer as a string of a few sentences' })
      .optional(),
    scenario: z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', {
      error: 'expected the scenario function (params, ctx) => metrics',
    }),
    base: z.record(z.string(), paramValue, { error: 'expected an object of parameter values' }),
    sweep: z.unknown().optional(),
    replications: int(1).optional(),
    precision: precisionSchema.optional(),
    warmup: z
      .custom<'auto' | number>((v) => v === 'auto' || (Number.isSafeInteger(v) && (v as number) >= 0), {
        error: 'expected "auto" or an integer >= 0',
      })
      .optional(),
    metrics: z
      .array(
        z.string({ error: 'expected a metric name' }).regex(IDENTIFIER, {
          error: 'expected a metric name: letters, digits and _, not starting with a digit',
        }),
        { error: 'expected an array of metric names' },
      )
      .min(1, { error: 'expected at least one metric' }),
    charts: z.array(chartSchema, { error: 'expected an array of { name, spec }' }).optional(),
    seed: int(0).optional(),
    quick: z
      .strictObject(
        {
          base: plainObject('an object of parameter values').optional(),
          sweep: z.unknown().optional(),
          replications: int(1).optional(),
          precision: precisionSchema.optional(),
        },
        { error: unknownKeys(['base', 'sweep', 'replications', 'precision']) },
      )
      .optional(),
    cluster: z
      .strictObject(
        {
          uses: z.string({ error: 'expected one line saying what the profile supplies' }).regex(/\S/, { error: 'expected one line saying what the profile supplies' }),
          base: z.custom<(c: ClusterInput) => unknown>((v) => typeof v === 'function', { error: 'expected a function (cluster) => base values' }),
          sweep: z.custom<(c: ClusterInput, sweep: unknown) => unknown>((v) => typeof v === 'function', { error: 'expected a function (cluster, sweep) => sweep' }).optional(),
        },
        { error: unknownKeys(['uses', 'base', 'sweep']) },
      )
      .optional(),
  },
  { error: unknownKeys([...TOP_KEYS]) },
);

type Top = z.infer<typeof topSchema>;

function unknownKeys(allowed: readonly string[]) {
  return (iss: { code?: string }) => (iss.code === 'unrecognized_keys' ? `unknown field; allowed: ${allowed.join(', ')}` : undefined);
}

// --- sweep schemas, built from the types of base ------------------------------------------------

function valueSchema(v: ParamValue) {
  if (typeof v === 'number') return z.number({ error: 'expected a number' });
  if (typeof v === 'string') return z.string({ error: 'expected a string' });
  return z.boolean({ error: 'expected true or false' });
}

function sweepSchemas(base: ParamRecord) {
  const keys = Object.keys(base);
  const allowed = { error: (iss: { code?: string }) => (iss.code === 'unrecognized_keys' ? `unknown parameter; allowed: ${keys.join(', ')}` : undefined) };
  const values = z.strictObject(
    Object.fromEntries(
      keys.map((k) => [
        k,
        z
          .array(valueSchema(base[k]!), { error: 'expected an array of values' })
          .min(1, { error: 'expected at least one value' })
          .optional(),
      ]),
    ),
    allowed,
  );
  const partial = z.strictObject(Object.fromEntries(keys.map((k) => [k, valueSchema(base[k]!).optional()])), allowed);
  const part = z.strictObject(
    {
      grid: values.optional(),
      zip: values.optional(),
      list: z.array(partial, { error: 'expected an array of points' }).min(1, { error: 'expected at least one point' }).optional(),
    },
    { error: (iss) => (iss.code === 'unrecognized_keys' ? 'unknown field; allowed: grid, zip, list' : 'expected an object { grid?, zip?, list? }') },
  );
  return { part, partial, parts: z.array(part).min(1, { error: 'expected at least one sweep part' }) };
}

/** A sweep is one part or an array of parts; dispatching here keeps zod's errors specific. */
function parseSweep(schemas: ReturnType<typeof sweepSchemas>, value: unknown, prefix: readonly PropertyKey[], issues: Issue[]): void {
  if (Array.isArray(value)) parse(schemas.parts, value, prefix, issues);
  else parse(schemas.part, value, prefix, issues);
}

// --- formatting ----------------------------------------------------------------------------------

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(definition)' : out;
}

export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v); // calibration-exempt: presentation: long strings are cut in error messages
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'boolean' || v === null) return String(v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return `an object`;
}

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): Issue[] {
  const out: Issue[] = [];
  for (const iss of error.issues) {
    const path = [...prefix, ...iss.path];
    if (iss.code === 'unrecognized_keys') {
      for (const k of iss.keys) out.push({ path: [...path, k], message: iss.message });
      continue;
    }
    const hasInput = 'input' in iss;
    out.push({ path, message: hasInput ? `${iss.message}, got ${describeValue(iss.input)}` : iss.message });
  }
  return out;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, prefix: readonly PropertyKey[], issues: Issue[]): T | undefined {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return r.data;
  issues.push(...zodIssues(r.error, prefix));
  return undefined;
}

// --- resolution ----------------------------------------------------------------------------------

function experimentLabel(input: unknown): string {
  const name = input !== null && typeof input === 'object' ? (input as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? JSON.stringify(name) : '(unnamed)';
}

/**
 * Checks `input` (the export of an experiment file) and resolves it, with the --quick overrides
 * when `quick` is set. Throws ExperimentDefinitionError listing every problem found.
 */
export interface ResolveOptions {
  readonly quick?: boolean;
  /** Run on this cluster: the experiment's `cluster.base` supplies base values. */
  readonly cluster?: ClusterInput;
}

export function resolveExperiment(input: unknown, options: ResolveOptions = {}): ResolvedExperiment {
  const label = experimentLabel(input);
  const fail = (issues: Issue[]): never => {
    throw new ExperimentDefinitionError(
      label,
      issues.map((i) => `${formatPath(i.path)}: ${i.message}`),
    );
  };
  const issues: Issue[] = [];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    fail([{ path: [], message: `expected an object made by defineExperiment(...), got ${describeValue(input)}` }]);
  }
  const top = parse(topSchema, input, [], issues) as Top | undefined;
  if (top === undefined) return fail(issues);

  // Stage 2: the sweep and the quick overrides, against the types of base.
  const base = top.base as ParamRecord;
  const schemas = sweepSchemas(base);
  parseSweep(schemas, top.sweep ?? {}, ['sweep'], issues);
  const quick = options.quick === true;
  if (top.quick?.base !== undefined) parse(schemas.partial, top.quick.base, ['quick', 'base'], issues);
  if (top.quick?.sweep !== undefined) parseSweep(schemas, top.quick.sweep, ['quick', 'sweep'], issues);
  if (issues.length > 0) return fail(issues);
  let sweepDef = quick && top.quick?.sweep !== undefined ? top.quick.sweep : top.sweep;
  let sweepPath: (string | number)[] = quick && top.quick?.sweep !== undefined ? ['quick', 'sweep'] : ['sweep'];
  let fromCluster: ParamRecord | null = null;
  if (options.cluster !== undefined) {
    if (top.cluster === undefined) throw new ClusterNotUsedError(top.name);
    fromCluster = { ...(top.cluster.base(options.cluster) as ParamRecord) };
    parse(schemas.partial, fromCluster, ['cluster', 'base(profile)'], issues);
    if (top.cluster.sweep !== undefined) {
      sweepDef = top.cluster.sweep(options.cluster, sweepDef);
      sweepPath = ['cluster', 'sweep(profile)'];
      parseSweep(schemas, sweepDef ?? {}, sweepPath, issues);
    }
    if (issues.length > 0) return fail(issues);
  }

  // Stage 3: cross-field rules.
  const metrics = top.metrics;
  const paramNames = Object.keys(base);
  const seenMetric = new Set<string>();
  metrics.forEach((m, i) => {
    if (seenMetric.has(m)) issues.push({ path: ['metrics', i], message: `"${m}" is listed twice` });
    seenMetric.add(m);
    if ((RESERVED_COLUMNS as readonly string[]).includes(m)) {
      issues.push({ path: ['metrics', i], message: `"${m}" is a column of its own; reserved: ${RESERVED_COLUMNS.join(', ')}` });
    }
    if (paramNames.includes(m)) issues.push({ path: ['metrics', i], message: `"${m}" is also a parameter; metric and parameter names must differ` });
    for (const s of SUMMARY_STATS) {
      if (paramNames.includes(`${m}_${s}`)) {
        issues.push({ path: ['metrics', i], message: `summary column "${m}_${s}" would clash with the parameter of that name` });
      }
    }
  });
  for (const k of paramNames) {
    if (!IDENTIFIER.test(k)) {
      issues.push({ path: ['base'], message: `parameter name ${JSON.stringify(k)} is not allowed: use letters, digits and _, not starting with a digit (it becomes a column name)` });
    }
  }
  for (const r of RESERVED_COLUMNS) {
    if (paramNames.includes(r)) issues.push({ path: ['base', r], message: `"${r}" is a column of its own; reserved: ${RESERVED_COLUMNS.join(', ')}` });
  }
  const policyOf = (
    where: readonly PropertyKey[],
    replications: number | undefined,
    precision: Top['precision'],
  ): ReplicationPolicy | undefined => {
    if (replications !== undefined && precision !== undefined) {
      issues.push({ path: where, message: 'give either replications or precision, not both' });
      return undefined;
    }
    if (replications !== undefined) return { mode: 'fixed', replications };
    if (precision === undefined) {
      issues.push({ path: where, message: 'missing replications or precision: give one (a count per point, or a target precision)' });
      return undefined;
    }
    const minReplications = precision.minReplications ?? DEFAULT_MIN_REPLICATIONS;
    if (!metrics.includes(precision.metric)) {
      issues.push({ path: [...where, 'precision', 'metric'], message: `"${precision.metric}" is not a metric; allowed: ${metrics.join(', ')}` });
    }
    if (precision.maxReplications < minReplications) {
      issues.push({
        path: [...where, 'precision', 'maxReplications'],
        message: `expected an integer >= minReplications (${minReplications}), got ${precision.maxReplications}`,
      });
    }
    return {
      mode: 'precision',
      relHalfWidth: precision.relHalfWidth,
      confidence: precision.confidence ?? DEFAULT_CONFIDENCE,
      minReplications,
      maxReplications: precision.maxReplications,
      metric: precision.metric,
    };
  };
  let policy = policyOf([], top.replications, top.precision);
  if (quick && top.quick !== undefined && (top.quick.replications !== undefined || top.quick.precision !== undefined)) {
    policy = policyOf(['quick'], top.quick.replications, top.quick.precision);
  }

  const effectiveBase: ParamRecord = { ...base, ...(quick ? (top.quick?.base as ParamRecord | undefined) : undefined), ...fromCluster };
  let expanded: ReturnType<typeof expandSweep> | undefined;
  try {
    expanded = expandSweep(effectiveBase, sweepDef as SweepPartInput | SweepPartInput[] | undefined, sweepPath);
  } catch (e) {
    if (!(e instanceof SweepExpansionError)) throw e;
    issues.push(...e.issues);
  }

  const charts = (top.charts ?? []) as unknown as ChartDefinition[];
  const chartNames = new Set<string>();
  charts.forEach((c, i) => {
    if (chartNames.has(c.name)) issues.push({ path: ['charts', i, 'name'], message: `"${c.name}" is used by two charts` });
    chartNames.add(c.name);
    if (expanded === undefined) return;
    const columns: TableColumns = {
      runs: ['point', ...expanded.columns.map((p) => p.name), 'replication', 'seed', ...metrics],
      summary: [
        'point',
        ...expanded.columns.map((p) => p.name),
        'n',
        ...metrics.flatMap((m) => SUMMARY_STATS.map((s) => `${m}_${s}`)),
      ],
    };
    for (const p of chartFieldProblems(c.spec, columns)) issues.push({ path: ['charts', i, 'spec', ...p.path], message: p.message });
  });

  if (issues.length > 0 || policy === undefined || expanded === undefined) return fail(issues);
  return {
    name: top.name,
    question: top.question.trim(),
    ...(top.answer !== undefined ? { answer: top.answer.trim().replace(/\s+/g, ' ') } : {}),
    scenario: top.scenario as ResolvedExperiment['scenario'],
    base: effectiveBase,
    sweep: sweepDef ?? null,
    points: expanded.points,
    paramColumns: expanded.columns,
    metrics,
    replicationPolicy: policy,
    warmup: top.warmup ?? 'auto',
    seed: top.seed ?? DEFAULT_SEED,
    charts,
    quick,
    clusterUses: top.cluster?.uses ?? null,
    fromCluster,
  };
}
