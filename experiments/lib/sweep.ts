/**
 * Sweep expansion: a sweep definition (grid / zip / list parts, see SweepPart) becomes the ordered
 * list of points the study runs. Each point carries the values of every swept parameter (the union
 * over all parts, so every row has the same columns; a part that does not set one takes the base
 * value), the full parameters the scenario gets (base + point), and its key: the canonical JSON of
 * the swept values, which names the point in task files and rows.
 */
import { canonicalJson } from './canonicalJson.ts';
import type { ParamValue } from './defineExperiment.ts';

export type ParamRecord = Record<string, ParamValue>;

export interface SweepPartInput {
  grid?: Record<string, readonly ParamValue[]>;
  zip?: Record<string, readonly ParamValue[]>;
  list?: readonly ParamRecord[];
}

export interface SweepPoint {
  /** Position in the expanded sweep, 0-based: the row order of every table. */
  readonly index: number;
  /** Every swept parameter (all sweep columns), effective value. */
  readonly swept: ParamRecord;
  /** Base merged with the point: what the scenario receives. */
  readonly params: ParamRecord;
  /** canonicalJson(swept). */
  readonly key: string;
}

export type ParamType = 'number' | 'string' | 'boolean';

export interface ParamColumn {
  readonly name: string;
  readonly type: ParamType;
}

export interface ExpandedSweep {
  readonly points: readonly SweepPoint[];
  /** Swept parameters in order of first mention. */
  readonly columns: readonly ParamColumn[];
}

/** A problem at a path inside the sweep (e.g. ["sweep", "zip"]). */
export interface SweepIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export class SweepExpansionError extends Error {
  constructor(readonly issues: readonly SweepIssue[]) {
    super(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
    this.name = 'SweepExpansionError';
  }
}

/** Normalizes a sweep to a list of parts (undefined = one empty part = the base point). */
export function sweepParts(sweep: SweepPartInput | readonly SweepPartInput[] | undefined): readonly SweepPartInput[] {
  if (sweep === undefined) return [{}];
  return Array.isArray(sweep) ? (sweep as readonly SweepPartInput[]) : [sweep as SweepPartInput];
}

function gridPoints(grid: Record<string, readonly ParamValue[]>): ParamRecord[] {
  let points: ParamRecord[] = [{}];
  for (const [k, values] of Object.entries(grid)) {
    const next: ParamRecord[] = [];
    for (const p of points) for (const v of values) next.push({ ...p, [k]: v });
    points = next;
  }
  return points;
}

function zipPoints(zip: Record<string, readonly ParamValue[]>): ParamRecord[] {
  const entries = Object.entries(zip);
  const n = entries[0]?.[1].length ?? 0;
  const points: ParamRecord[] = [];
  for (let i = 0; i < n; i++) {
    const p: ParamRecord = {};
    for (const [k, values] of entries) p[k] = values[i]!;
    points.push(p);
  }
  return entries.length === 0 ? [{}] : points;
}

function product(a: readonly ParamRecord[], b: readonly ParamRecord[]): ParamRecord[] {
  const out: ParamRecord[] = [];
  for (const x of a) for (const y of b) out.push({ ...x, ...y });
  return out;
}

/**
 * Expands `sweep` over `base`. Values are assumed type-checked against base already
 * (experimentSchema.ts); this checks the structure: zip lists of one length, a parameter set by only
 * one of grid / zip / list in a part, known parameters only, and no point twice.
 */
export function expandSweep(
  base: ParamRecord,
  sweep: SweepPartInput | readonly SweepPartInput[] | undefined,
  pathPrefix: readonly (string | number)[] = ['sweep'],
): ExpandedSweep {
  const issues: SweepIssue[] = [];
  const parts = sweepParts(sweep);
  const multi = Array.isArray(sweep);
  const columns: string[] = [];
  const partPoints: ParamRecord[][] = [];

  parts.forEach((part, pi) => {
    const at = (...rest: (string | number)[]) => [...pathPrefix, ...(multi ? [pi] : []), ...rest];
    const owner = new Map<string, string>();
    const claim = (key: string, where: string, path: (string | number)[]) => {
      if (!(key in base)) {
        issues.push({ path, message: `unknown parameter "${key}"; allowed: ${Object.keys(base).join(', ')}` });
        return;
      }
      const prev = owner.get(key);
      if (prev !== undefined && prev !== where) {
        issues.push({ path, message: `"${key}" is also set by ${prev}; a parameter may be swept by one of grid, zip, list` });
      }
      owner.set(key, where);
      if (!columns.includes(key)) columns.push(key);
    };
    for (const k of Object.keys(part.grid ?? {})) claim(k, 'grid', at('grid', k));
    for (const k of Object.keys(part.zip ?? {})) claim(k, 'zip', at('zip', k));
    (part.list ?? []).forEach((item, li) => {
      for (const k of Object.keys(item)) claim(k, 'list', at('list', li, k));
    });
    const zipLengths = Object.entries(part.zip ?? {}).map(([k, v]) => [k, v.length] as const);
    if (new Set(zipLengths.map(([, n]) => n)).size > 1) {
      issues.push({
        path: at('zip'),
        message: `zip lists must all have the same length; got ${zipLengths.map(([k, n]) => `${k}: ${n}`).join(', ')}`,
      });
    }
    let points = gridPoints(part.grid ?? {});
    points = product(points, zipPoints(part.zip ?? {}));
    if (part.list !== undefined) points = product(points, part.list as ParamRecord[]);
    partPoints.push(points);
  });
  if (issues.length > 0) throw new SweepExpansionError(issues);

  const types: ParamColumn[] = columns.map((name) => ({ name, type: typeof base[name] as ParamType }));
  const points: SweepPoint[] = [];
  const seen = new Map<string, number>();
  for (const part of partPoints) {
    for (const p of part) {
      const swept: ParamRecord = {};
      for (const c of columns) swept[c] = c in p ? p[c]! : base[c]!;
      const key = canonicalJson(swept);
      const index = points.length;
      const dup = seen.get(key);
      if (dup !== undefined) {
        issues.push({ path: [...pathPrefix], message: `points ${dup} and ${index} are the same point ${key}; every point must differ` });
        continue;
      }
      seen.set(key, index);
      points.push({ index, swept, params: { ...base, ...p }, key });
    }
  }
  if (issues.length > 0) throw new SweepExpansionError(issues);
  return { points, columns: types };
}
