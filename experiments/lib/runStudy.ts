/**
 * The experiment runner: one experiment in, one results folder out.
 *
 *   load ──► expand sweep ──► plan (shard, resume) ──► run in workers ──► persist each task ──► assemble tables ──► write outputs
 *
 * Seeding and common random numbers: task (point, replication) is identified by the study seed,
 * the point key (canonical JSON of the swept parameters) and the replication, but only seed and
 * replication enter its random numbers: it runs with `new RandomStreams(seed, replication)`, whose
 * named streams are mt19937 seeded from (seed, replication, stream name). So stream "arrivals" of
 * replication r yields the same uniforms at every sweep point; two points differ only through their
 * parameters, their outputs are positively correlated, and the difference between points (what a
 * sweep is for) has a much smaller variance than with independent seeds. The point key names the
 * row and the task file; it never changes a draw.
 *
 * Results are a pure function of the experiment, its seed and the replication policy: the streams
 * do not depend on which worker runs a task, each finished task is persisted on its own (so kill -9
 * loses at most the tasks in flight), and the tables are built from the persisted records sorted by
 * (point, replication). Worker count, shard split, execution order and interruptions therefore
 * change nothing in runs.arrow and summary.arrow; only manifest.json records times and hosts.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { removeTempFiles } from './atomicWrite.ts';
import type { ClusterProfile } from '../../model/cluster/clusterProfile.ts';
import { nodeClassOf, type ClusterInput } from '../../model/cluster/clusterSpecs.ts';
import { canonicalJson } from './canonicalJson.ts';
import type { ParamValue } from './defineExperiment.ts';
import { ClusterNotUsedError, type ResolvedExperiment } from './experimentSchema.ts';
import { loadExperiment, type ExperimentRef } from './loadExperiment.ts';
import { buildManifest, describeStudy, identityDifferences, studyIdentity, type ClusterStudy } from './manifest.ts';
import { codeFingerprint } from './codeFingerprint.ts';
import { OWNED_FILE, removeOwnedOutputs, writeOutputs } from './outputs.ts';
import { createScheduler, type Shard } from './schedulers.ts';
import type { PlainRow, RunRow } from './tables.ts';
import { TASKS_DIR, TaskStore, taskId, type TaskRecord } from './taskStore.ts';
import { runPool, ScenarioError } from './workerPool.ts';

export interface RunStudyOptions {
  readonly experiment: ExperimentRef;
  /** Apply the experiment's `quick` overrides. */
  readonly quick?: boolean;
  /** Worker threads. __Default value:__ os.availableParallelism() */
  readonly workers?: number;
  /** __Default value:__ results/<name> (results/<name>-shard-<i>-of-<n> for a shard), relative to the cwd */
  readonly outDir?: string;
  /** Keep the finished tasks in outDir and run only the rest. */
  readonly resume?: boolean;
  /** A fixed number of replications per point (replaces the experiment's replications or precision). */
  readonly replications?: number;
  readonly shard?: Shard;
  /** Replaces the experiment's seed. */
  readonly seed?: number;
  /** SVG/PNG and Parquet, when their modules exist. __Default value:__ true */
  readonly optionalOutputs?: boolean;
  readonly onEvent?: (event: StudyEvent) => void;
  /**
   * Run on a cluster: the experiment's `cluster.base` takes base values from the profile and the
   * scenarios get the node class as ctx.cluster. `nodeClass` names one of the profile's classes
   * (default: the largest with workers); `file` is recorded in the manifest.
   */
  readonly cluster?: { readonly profile: ClusterProfile; readonly nodeClass?: string; readonly file?: string };
}

export type StudyEvent =
  | {
      readonly kind: 'start';
      readonly name: string;
      readonly outDir: string;
      readonly points: number;
      readonly tasks: number;
      readonly reused: number;
      readonly workers: number;
      readonly mode: 'fixed' | 'precision';
    }
  | { readonly kind: 'progress'; readonly done: number; readonly total: number; readonly ran: number; readonly elapsedMs: number; readonly etaMs: number | null }
  | { readonly kind: 'writing' }
  | { readonly kind: 'note'; readonly message: string };

export interface StudyResult {
  readonly name: string;
  readonly question: string;
  readonly outDir: string;
  readonly quick: boolean;
  readonly points: number;
  readonly mode: 'fixed' | 'precision';
  readonly replicationsPerPoint: number[];
  /** inTables: rows written; ran: scenario calls in this run; reused: rows from earlier runs. */
  readonly tasks: { readonly inTables: number; readonly ran: number; readonly reused: number };
  readonly workers: number;
  readonly shard: Shard | null;
  readonly wallMs: number;
  readonly files: string[];
  readonly notes: string[];
  readonly summary: PlainRow[];
  /** The cluster the study ran on: the profile's name, the node class and what the profile supplied. */
  readonly cluster: { readonly profile: string; readonly nodeClass: string | null; readonly uses: string; readonly fromProfile: Record<string, ParamValue> } | null;
}

/** Bad input that only shows once the folder is looked at (exit code 2 in the CLI). */
export class StudyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StudyInputError';
  }
}

/** results/NAME, results/NAME-on-CLUSTER on a cluster, with -shard-i-of-n for a shard. */
export function defaultOutDir(name: string, shard?: Shard, clusterName?: string): string {
  const slug = clusterName?.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '');
  const onCluster = clusterName === undefined ? '' : `-on-${slug || 'cluster'}`;
  return join('results', `${name}${onCluster}${shard === undefined ? '' : `-shard-${shard.index}-of-${shard.count}`}`);
}

/** The profile and node class of a cluster run, or a StudyInputError naming the bad part. */
function clusterInputOf(c: NonNullable<RunStudyOptions['cluster']>): ClusterInput {
  try {
    return { profile: c.profile, nodeClass: nodeClassOf(c.profile, c.nodeClass) };
  } catch (e) {
    throw new StudyInputError(`--node-class: ${(e as Error).message}`);
  }
}

/** Loads the experiment, on the cluster when there is one (a refusal or a profile it cannot use is bad input). */
async function loadOnCluster(o: RunStudyOptions, cluster: ClusterInput | undefined): Promise<ResolvedExperiment> {
  try {
    return await loadExperiment(o.experiment, { quick: o.quick === true, ...(cluster !== undefined ? { cluster } : {}) });
  } catch (e) {
    if (e instanceof ClusterNotUsedError) throw new StudyInputError(`--cluster: ${e.message}`);
    if (cluster !== undefined && e instanceof RangeError) throw new StudyInputError(`--cluster: ${cluster.profile.name}: ${e.message}`);
    throw e;
  }
}

/** Refuses to write into a folder with files the runner does not own (a typo in --out must not clobber anything). */
export function checkResultsFolder(dir: string, flag = '--out'): void {
  if (!existsSync(dir)) return;
  const foreign = readdirSync(dir).filter((n) => n !== TASKS_DIR && !OWNED_FILE.test(n) && !n.endsWith('.tmp'));
  const ours = readdirSync(dir).some((n) => n === TASKS_DIR || n === 'manifest.json');
  if (foreign.length > 0 && !ours) {
    throw new StudyInputError(
      `${flag} ${dir}: the folder holds other files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}) and no svcpath results; choose a new or empty folder`, // calibration-exempt: presentation: name the first few files
    );
  }
}

function withOverrides(exp: ResolvedExperiment, o: RunStudyOptions): ResolvedExperiment {
  return {
    ...exp,
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.replications !== undefined ? { replicationPolicy: { mode: 'fixed', replications: o.replications } as const } : {}),
  };
}

export async function runStudy(o: RunStudyOptions): Promise<StudyResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  const emit = (e: StudyEvent) => o.onEvent?.(e);

  // 1. load: import the experiment file and check it (zod), with --quick, --seed, --replications.
  const cluster = o.cluster === undefined ? undefined : clusterInputOf(o.cluster);
  const exp = withOverrides(await loadOnCluster(o, cluster), o);
  const clusterStudy: ClusterStudy | undefined =
    cluster === undefined
      ? undefined
      : {
          profile: cluster.profile.name,
          sha256: createHash('sha256').update(canonicalJson(cluster.profile)).digest('hex'),
          nodeClass: cluster.nodeClass?.name ?? null,
          file: o.cluster?.file ?? null,
          uses: exp.clusterUses ?? '',
          fromProfile: exp.fromCluster ?? {},
          node: cluster.nodeClass,
        };
  // 2. expand sweep: done by the check above (exp.points, in sweep order; index = row order).
  const pointCount = exp.points.length;
  const shard = o.shard;
  if (shard !== undefined && !(Number.isInteger(shard.count) && shard.count >= 1 && Number.isInteger(shard.index) && shard.index >= 0 && shard.index < shard.count)) {
    throw new StudyInputError(`--shard ${shard.index}/${shard.count}: expected i/n with 0 <= i < n`);
  }
  const tLoad = performance.now();

  // 3. plan: take the folder, decide fresh vs resume, find finished tasks, pick this shard's tasks.
  const outDir = resolve(o.outDir ?? defaultOutDir(exp.name, shard, clusterStudy?.profile));
  checkResultsFolder(outDir);
  mkdirSync(outDir, { recursive: true });
  const store = new TaskStore(outDir);
  const release = store.lock();
  try {
    const identity = studyIdentity(exp, codeFingerprint(o.experiment), clusterStudy);
    const previous = store.readStudy();
    const finishedBefore = existsSync(join(outDir, 'manifest.json'));
    if (o.resume === true && previous !== undefined && previous.fingerprint !== identity.fingerprint) {
      throw new StudyInputError(
        `--resume: ${outDir} holds tasks of a different study (differs in ${identityDifferences(previous, identity).join(', ') || 'fingerprint'}); ` +
          'run without --resume to start over, or use another --out',
      );
    }
    // Asking a finished study of the same inputs for another replication count keeps its tasks.
    const reuse = o.resume === true || (o.replications !== undefined && finishedBefore && previous?.fingerprint === identity.fingerprint);
    store.removeTemps();
    removeTempFiles(outDir);
    if (!reuse) {
      store.clear();
      removeOwnedOutputs(outDir);
    }
    store.writeStudy(identity);

    const scheduler = createScheduler(exp.replicationPolicy, pointCount, shard);
    const records = new Map<string, TaskRecord>();
    const earlier = new Set<string>();
    for (const t of store.scan(identity.fingerprint).values()) {
      if (t.point >= pointCount || exp.points[t.point]!.key !== t.key || t.seed !== exp.seed) continue;
      if (!exp.metrics.every((m) => m in t.metrics)) continue;
      records.set(taskId(t.point, t.replication), t);
      earlier.add(taskId(t.point, t.replication));
      scheduler.record(t.point, t.replication, t.metrics);
    }
    const planned = scheduler.progress();
    const workers = scheduler.complete() ? 0 : Math.max(1, Math.min(o.workers ?? availableParallelism(), planned.total - planned.done));
    emit({
      kind: 'start',
      name: exp.name,
      outDir,
      points: pointCount,
      tasks: planned.total,
      reused: planned.done,
      workers,
      mode: exp.replicationPolicy.mode,
    });
    const tPlan = performance.now();

    // 4. run in workers, 5. persist each finished (point, replication) atomically as it arrives.
    let ran = 0;
    let taskWallMs = 0;
    if (workers > 0) {
      let nextId = 0;
      const runStart = performance.now();
      // The ETA extrapolates from the first result on, so worker start-up does not inflate it.
      let firstResultAt = 0;
      try {
        await runPool({
          size: workers,
          ref: o.experiment,
          ...(cluster !== undefined ? { cluster } : {}),
          next: () => {
            const k = scheduler.next();
            if (k === undefined) return undefined;
            const p = exp.points[k.point]!;
            return { id: nextId++, point: k.point, replication: k.replication, seed: exp.seed, params: p.params, warmup: exp.warmup };
          },
          onResult: (task, metrics, wallMs) => {
            const p = exp.points[task.point]!;
            const kept: Record<string, number> = {};
            for (const m of exp.metrics) {
              const v = metrics[m];
              if (typeof v !== 'number') {
                throw new Error(
                  `experiment "${exp.name}": the scenario returned no number for metric "${m}" at point ${task.point} ${p.key}, ` +
                    `replication ${task.replication} (got ${v === undefined ? 'nothing' : JSON.stringify(v)}); it returned: ${Object.keys(metrics).join(', ')}`,
                );
              }
              kept[m] = v;
            }
            const rec: TaskRecord = { point: task.point, key: p.key, replication: task.replication, seed: exp.seed, study: identity.fingerprint, metrics: kept, wallMs };
            store.write(rec);
            records.set(taskId(rec.point, rec.replication), rec);
            ran++;
            taskWallMs += wallMs;
            scheduler.record(rec.point, rec.replication, kept);
            const pr = scheduler.progress();
            const now = performance.now();
            if (ran === 1) firstResultAt = now;
            emit({
              kind: 'progress',
              done: pr.done,
              total: pr.total,
              ran,
              elapsedMs: now - runStart,
              etaMs: ran > 1 ? ((now - firstResultAt) / (ran - 1)) * (pr.total - pr.done) : null,
            });
          },
        });
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        const t = e.task;
        const [first, ...frames] = e.message.split('\n');
        throw new ScenarioError(
          `experiment "${exp.name}": the scenario failed at point ${t.point} ${exp.points[t.point]!.key}, replication ${t.replication}: ` +
            `${first}\n${frames.slice(0, 6).join('\n')}\nthe finished tasks are kept; fix the cause and rerun with --resume`, // calibration-exempt: presentation: the first frames of the stack
          t,
        );
      }
      if (!scheduler.complete()) throw new Error('internal: the workers stopped before every task the tables need was done');
    }
    const tRun = performance.now();

    // 6. assemble tables: the needed records, sorted by (point, replication).
    const selected = scheduler.selected();
    const rows: RunRow[] = selected.map((k) => {
      const r = records.get(taskId(k.point, k.replication))!;
      return { point: r.point, replication: r.replication, seed: r.seed, metrics: r.metrics };
    });
    const reused = selected.filter((k) => earlier.has(taskId(k.point, k.replication))).length;

    // 7. write outputs: tables, chart specs, optional SVG/PNG/Parquet, manifest last.
    emit({ kind: 'writing' });
    const replicationsPerPoint = scheduler.replicationsPerPoint();
    const study = describeStudy(exp, identity, replicationsPerPoint, shard, clusterStudy);
    const tWriteStart = performance.now();
    const out = await writeOutputs({
      dir: outDir,
      layout: { points: exp.points, paramColumns: exp.paramColumns, metrics: exp.metrics },
      rows,
      charts: exp.charts,
      optionalOutputs: o.optionalOutputs,
      manifest: ({ files, notes, tables }) =>
        buildManifest(study, {
          tasks: { inTables: rows.length, ranThisRun: ran, reused, onDisk: records.size },
          precision: scheduler.precisionOutcome(),
          files,
          notes,
          tables,
          workers,
          timings: {
            startedAt: startedAt.toISOString(),
            finishedAt: new Date().toISOString(),
            wallMs: Math.round(performance.now() - t0),
            loadMs: Math.round(tLoad - t0),
            planMs: Math.round(tPlan - tLoad),
            runMs: Math.round(tRun - tPlan),
            writeMs: Math.round(performance.now() - tWriteStart),
            taskWallMsSum: Math.round(taskWallMs),
            taskWallMsMean: ran > 0 ? Math.round((taskWallMs / ran) * 1000) / 1000 : 0,
          },
        }),
    });
    for (const n of out.warnings) emit({ kind: 'note', message: n });
    return {
      name: exp.name,
      question: exp.question,
      outDir,
      quick: exp.quick,
      points: pointCount,
      mode: exp.replicationPolicy.mode,
      replicationsPerPoint,
      tasks: { inTables: rows.length, ran, reused },
      workers,
      shard: shard ?? null,
      wallMs: performance.now() - t0,
      files: out.files,
      notes: out.notes,
      summary: out.tables.summaryRows,
      cluster:
        clusterStudy === undefined
          ? null
          : { profile: clusterStudy.profile, nodeClass: clusterStudy.nodeClass, uses: clusterStudy.uses, fromProfile: clusterStudy.fromProfile },
    };
  } finally {
    release();
  }
}
