/**
 * `svcpath merge`: combines the folders of `--shard i/n` runs into the folder a single run would
 * have written. It reads each shard's manifest.json (the study: points, columns, replication
 * policy) and runs.arrow (the rows), checks that the shards belong to one study and together hold
 * every needed (point, replication) exactly once, and writes the outputs through the same code as
 * a run, so runs.arrow and summary.arrow are byte for byte those of an unsharded run. The merged
 * folder also gets a `.tasks/` built from the rows, so it can be resumed or extended like any run.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { tableFromIPC } from 'apache-arrow';
import { canonicalJson } from './canonicalJson.ts';
import type { ChartDefinition } from './defineExperiment.ts';
import { buildManifest, clusterIdentity, identityOf, type StudyDescription } from './manifest.ts';
import { removeOwnedOutputs, writeOutputs } from './outputs.ts';
import { checkResultsFolder, defaultOutDir, StudyInputError } from './runStudy.ts';
import type { PlainRow, RunRow } from './tables.ts';
import { TaskStore } from './taskStore.ts';

export interface MergeOptions {
  /** Shard folders, each holding manifest.json and runs.arrow of one `--shard i/n` run. */
  readonly dirs: readonly string[];
  /** __Default value:__ results/<name> */
  readonly outDir?: string;
  /** SVG/PNG and Parquet, when their modules exist. __Default value:__ true */
  readonly optionalOutputs?: boolean;
}

export interface MergeResult {
  readonly name: string;
  readonly outDir: string;
  readonly shards: number;
  readonly rows: number;
  readonly replicationsPerPoint: number[];
  readonly files: string[];
  readonly notes: string[];
  readonly warnings: string[];
  readonly summary: PlainRow[];
}

type ShardManifest = StudyDescription & {
  precision?: { reachedTarget: (boolean | null)[]; relHalfWidth: (number | null)[] };
  git?: unknown;
  host?: unknown;
  timings?: unknown;
};

const STUDY_KEYS = [
  'name',
  'question',
  'quick',
  'fingerprint',
  'code',
  'seed',
  'warmup',
  'base',
  'sweep',
  'paramColumns',
  'metrics',
  'points',
  'replications',
] as const;

function readManifest(dir: string): ShardManifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) {
    throw new StudyInputError(`${dir}: no manifest.json, so not a finished run (is the shard still running, or was it interrupted? finish it with --resume)`);
  }
  const m = JSON.parse(readFileSync(path, 'utf8')) as ShardManifest;
  for (const k of [...STUDY_KEYS, 'shard', 'replicationsPerPoint'] as const) {
    if (!(k in m)) throw new StudyInputError(`${path}: field "${k}" is missing; not a manifest written by svcpath run`);
  }
  return m;
}

function readRows(dir: string, metrics: readonly string[]): RunRow[] {
  const t = tableFromIPC(readFileSync(join(dir, 'runs.arrow')));
  const col = (name: string) => {
    const c = t.getChild(name);
    if (c === null) throw new StudyInputError(`${join(dir, 'runs.arrow')}: column "${name}" is missing`);
    return c.toArray() as ArrayLike<number>;
  };
  const point = col('point');
  const replication = col('replication');
  const seed = col('seed');
  const values = metrics.map((m) => [m, col(m)] as const);
  const rows: RunRow[] = [];
  for (let i = 0; i < t.numRows; i++) {
    const m: Record<string, number> = {};
    for (const [name, v] of values) m[name] = v[i]!;
    rows.push({ point: point[i]!, replication: replication[i]!, seed: seed[i]!, metrics: m });
  }
  return rows;
}

export async function mergeStudies(o: MergeOptions): Promise<MergeResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  if (o.dirs.length === 0) throw new StudyInputError('give at least one shard folder');
  const dirs = o.dirs.map((d) => resolve(d));
  const manifests = dirs.map(readManifest);
  const first = manifests[0]!;

  // The shards must be one study, split one way, each shard once.
  manifests.forEach((m, i) => {
    for (const k of STUDY_KEYS) {
      if (k === 'question' || k === 'sweep') continue;
      if (canonicalJson(m[k]) !== canonicalJson(first[k])) {
        throw new StudyInputError(`${dirs[i]} is a different study from ${dirs[0]} (${k} differs); only shards of one run can be merged`);
      }
    }
    if (m.shard === null) throw new StudyInputError(`${dirs[i]} is not a shard (it was run without --shard); nothing to merge`);
  });
  const count = first.shard!.count;
  const byIndex = new Map<number, number>();
  manifests.forEach((m, i) => {
    if (m.shard!.count !== count) {
      throw new StudyInputError(`${dirs[i]} is shard ${m.shard!.index}/${m.shard!.count}, but ${dirs[0]} is of /${count}; all shards must share n`);
    }
    const other = byIndex.get(m.shard!.index);
    if (other !== undefined) throw new StudyInputError(`${dirs[other]} and ${dirs[i]} are both shard ${m.shard!.index}/${count}`);
    byIndex.set(m.shard!.index, i);
  });
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new StudyInputError(`shards ${missing.map((i) => `${i}/${count}`).join(', ')} are missing; merge needs all ${count}`);

  // Rows: each (point, replication) once, and per point exactly replications 0..k-1.
  const pointCount = first.points.length;
  const rows: RunRow[] = [];
  const seen = new Set<string>();
  manifests.forEach((m, i) => {
    for (const r of readRows(dirs[i]!, first.metrics)) {
      const id = `${r.point}/${r.replication}`;
      if (seen.has(id)) throw new StudyInputError(`point ${r.point}, replication ${r.replication} is in two shards (second: ${dirs[i]})`);
      seen.add(id);
      rows.push(r);
    }
  });
  rows.sort((a, b) => a.point - b.point || a.replication - b.replication);
  const perPoint = new Array<number>(pointCount).fill(0);
  for (const r of rows) perPoint[r.point]!++;
  for (const r of rows) {
    if (r.replication >= perPoint[r.point]!) {
      throw new StudyInputError(`point ${r.point} has replication ${r.replication} but only ${perPoint[r.point]} rows: some shard rows are missing`);
    }
  }
  const policy = first.replications;
  if (policy.mode === 'fixed') {
    const short = perPoint.findIndex((n) => n !== policy.replications);
    if (short >= 0) throw new StudyInputError(`point ${short} has ${perPoint[short]} of ${policy.replications} replications; a shard is incomplete`);
  } else {
    manifests.forEach((m, i) => {
      m.replicationsPerPoint.forEach((n, p) => {
        if (p % count === m.shard!.index && n !== perPoint[p]) {
          throw new StudyInputError(`${dirs[i]}: point ${p} should have ${n} replications, the rows hold ${perPoint[p]}`);
        }
      });
    });
  }

  // Precision outcome per point, from the shard that owns it.
  let precision: ShardManifest['precision'];
  if (policy.mode === 'precision') {
    const reachedTarget = new Array<boolean | null>(pointCount).fill(null);
    const relHalfWidth = new Array<number | null>(pointCount).fill(null);
    for (const m of manifests) {
      for (let p = m.shard!.index; p < pointCount; p += count) {
        reachedTarget[p] = m.precision?.reachedTarget[p] ?? null;
        relHalfWidth[p] = m.precision?.relHalfWidth[p] ?? null;
      }
    }
    precision = { reachedTarget, relHalfWidth };
  }

  const charts: ChartDefinition[] = first.charts.map((c) => ({
    name: c.name,
    spec: JSON.parse(readFileSync(join(dirs[0]!, c.file), 'utf8')) as ChartDefinition['spec'],
  }));

  const outDir = resolve(o.outDir ?? defaultOutDir(first.name, undefined, first.cluster?.profile));
  if (dirs.includes(outDir)) throw new StudyInputError(`--out ${outDir} is one of the shard folders; merge into another folder`);
  checkResultsFolder(outDir);
  mkdirSync(outDir, { recursive: true });
  const store = new TaskStore(outDir);
  const release = store.lock();
  try {
    store.clear();
    removeOwnedOutputs(outDir);
    const identity = identityOf({
      ...(first.cluster !== undefined ? { cluster: clusterIdentity(first.cluster) } : {}),
      code: first.code,
      name: first.name,
      base: first.base,
      paramColumns: first.paramColumns,
      pointKeys: first.points.map((p) => p.key),
      seed: first.seed,
      warmup: first.warmup,
      metrics: first.metrics,
    });
    const fingerprint = identity.fingerprint;
    if (fingerprint !== first.fingerprint) throw new StudyInputError(`${dirs[0]}/manifest.json: the study does not match its fingerprint (edited by hand?)`);
    store.writeStudy(identity);
    for (const r of rows) {
      store.write({ point: r.point, key: first.points[r.point]!.key, replication: r.replication, seed: r.seed, study: fingerprint, metrics: r.metrics, wallMs: 0 });
    }

    const study: StudyDescription = {
      ...(Object.fromEntries(STUDY_KEYS.map((k) => [k, first[k]])) as Pick<StudyDescription, (typeof STUDY_KEYS)[number]>),
      ...(first.answer !== undefined ? { answer: first.answer } : {}),
      replicationsPerPoint: perPoint,
      shard: null,
      charts: first.charts,
      ...(first.cluster !== undefined ? { cluster: first.cluster } : {}),
    };
    const out = await writeOutputs({
      dir: outDir,
      layout: {
        points: first.points.map((p) => ({ index: p.point, swept: p.params })),
        paramColumns: first.paramColumns,
        metrics: first.metrics,
      },
      rows,
      charts,
      optionalOutputs: o.optionalOutputs,
      manifest: ({ files, notes, tables }) =>
        buildManifest(study, {
          tasks: { inTables: rows.length, ranThisRun: 0, reused: rows.length, onDisk: rows.length },
          precision: precision ?? null,
          files,
          notes,
          tables,
          workers: 0,
          mergedFrom: manifests.map((m, i) => ({ dir: dirs[i], shard: m.shard, git: m.git, host: m.host, timings: m.timings })),
          timings: {
            startedAt: startedAt.toISOString(),
            finishedAt: new Date().toISOString(),
            wallMs: Math.round(performance.now() - t0),
          },
        }),
    });
    return {
      name: first.name,
      outDir,
      shards: count,
      rows: rows.length,
      replicationsPerPoint: perPoint,
      files: out.files,
      notes: out.notes,
      warnings: out.warnings,
      summary: out.tables.summaryRows,
    };
  } finally {
    release();
  }
}
