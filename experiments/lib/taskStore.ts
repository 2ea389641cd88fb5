/**
 * The `.tasks/` folder of a results folder: one small JSON file per finished (point, replication),
 * written atomically, plus `study.json` (what the tasks belong to) and `lock.json` (which process is
 * writing). It is what makes a sweep resumable after kill -9 and extendable with more replications:
 * a task file exists only once its replication is complete, so a restart redoes at most the tasks
 * that were in flight.
 */
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from './canonicalJson.ts';
import { removeTempFiles, writeFileAtomicSync } from './atomicWrite.ts';

export const TASKS_DIR = '.tasks';

export interface TaskRecord {
  /** Sweep point index. */
  readonly point: number;
  /** The point's key (canonical JSON of its swept parameters). */
  readonly key: string;
  readonly replication: number;
  readonly seed: number;
  /** Study fingerprint the task belongs to. */
  readonly study: string;
  readonly metrics: Readonly<Record<string, number>>;
  /** Wall-clock time of the scenario call, ms (for the manifest's timings, never for tables). */
  readonly wallMs: number;
}

/** JSON has no NaN, Infinity or -0; they are written as strings so every value survives exactly. */
function encodeNumber(x: number): number | string {
  if (Number.isFinite(x) && !Object.is(x, -0)) return x;
  return Object.is(x, -0) ? '-0' : String(x);
}

function decodeNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === '-0') return -0;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw new Error(`not a number: ${JSON.stringify(v)}`);
}

export function encodeTask(t: TaskRecord): string {
  const metrics: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(t.metrics)) metrics[k] = encodeNumber(v);
  return `${canonicalJson({ ...t, metrics })}\n`;
}

export function decodeTask(text: string): TaskRecord {
  const o = JSON.parse(text) as Record<string, unknown>;
  const { point, key, replication, seed, study, wallMs } = o;
  if (
    typeof point !== 'number' ||
    typeof key !== 'string' ||
    typeof replication !== 'number' ||
    typeof seed !== 'number' ||
    typeof study !== 'string' ||
    typeof wallMs !== 'number' ||
    o.metrics === null ||
    typeof o.metrics !== 'object'
  ) {
    throw new Error('not a task record');
  }
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(o.metrics as Record<string, unknown>)) metrics[k] = decodeNumber(v);
  return { point, key, replication, seed, study, metrics, wallMs };
}

export function taskFileName(point: number, replication: number): string {
  return `p${point}-r${replication}.json`;
}

const TASK_FILE = /^p(\d+)-r(\d+)\.json$/;

/** What a folder's tasks belong to; a resume must match it exactly. */
export interface StudyIdentity {
  readonly fingerprint: string;
  readonly name: string;
  readonly base: Readonly<Record<string, unknown>>;
  readonly paramColumns: readonly unknown[];
  readonly pointKeys: readonly string[];
  readonly seed: number;
  readonly warmup: unknown;
  readonly metrics: readonly string[];
  /** codeFingerprint: the model and experiment sources the results come from. */
  readonly code: string;
  /** The cluster the study ran on (absent without one, so plain studies keep their fingerprint). */
  readonly cluster?: ClusterIdentity;
}

/** A cluster as part of a study's identity: the profile's name and content hash, and the node class. */
export interface ClusterIdentity {
  readonly profile: string;
  /** SHA-256 of the profile's canonical JSON. */
  readonly sha256: string;
  readonly nodeClass: string | null;
}

export class TaskStore {
  readonly dir: string;

  constructor(outDir: string) {
    this.dir = join(outDir, TASKS_DIR);
  }

  exists(): boolean {
    return existsSync(this.dir);
  }

  /** Deletes every task and the study identity (a fresh start); keeps the lock. */
  clear(): void {
    if (!this.exists()) return;
    for (const name of readdirSync(this.dir)) {
      if (name !== 'lock.json') rmSync(join(this.dir, name), { recursive: true, force: true });
    }
  }

  ensure(): void {
    mkdirSync(this.dir, { recursive: true });
  }

  readStudy(): StudyIdentity | undefined {
    const path = join(this.dir, 'study.json');
    if (!existsSync(path)) return undefined;
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as StudyIdentity;
    } catch {
      return undefined;
    }
  }

  writeStudy(study: StudyIdentity): void {
    writeFileAtomicSync(join(this.dir, 'study.json'), `${JSON.stringify(study, null, 1)}\n`);
  }

  write(task: TaskRecord): void {
    writeFileAtomicSync(join(this.dir, taskFileName(task.point, task.replication)), encodeTask(task));
  }

  /** Removes temporary files of crashed writers; returns how many. */
  removeTemps(): number {
    return removeTempFiles(this.dir);
  }

  /**
   * Finished tasks of study `fingerprint`, by "point/replication". Files that do not parse or
   * belong to another study are ignored (they will be redone and overwritten).
   */
  scan(fingerprint: string): Map<string, TaskRecord> {
    const out = new Map<string, TaskRecord>();
    if (!this.exists()) return out;
    for (const name of readdirSync(this.dir)) {
      const m = TASK_FILE.exec(name);
      if (m === null) continue;
      let t: TaskRecord;
      try {
        t = decodeTask(readFileSync(join(this.dir, name), 'utf8'));
      } catch {
        continue;
      }
      if (t.study !== fingerprint || t.point !== Number(m[1]) || t.replication !== Number(m[2])) continue;
      out.set(taskId(t.point, t.replication), t);
    }
    return out;
  }

  /**
   * Takes the folder's lock for this process. A lock left by a dead process (kill -9) on this host
   * is taken over; a live one is an error, since two runs would interleave their tasks.
   */
  lock(): () => void {
    this.ensure();
    const path = join(this.dir, 'lock.json');
    const me = { pid: process.pid, hostname: hostname() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, JSON.stringify(me));
        closeSync(fd);
        return () => rmSync(path, { force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      let holder: { pid?: unknown; hostname?: unknown } = {};
      try {
        holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
      } catch {
        // a lock being written or a torn one: treat as stale
      }
      if (typeof holder.pid === 'number' && holder.hostname === me.hostname && isAlive(holder.pid)) {
        throw new StudyLockedError(
          `${this.dir} is in use by another svcpath run (pid ${holder.pid}); wait for it or stop it, or use another --out folder`,
        );
      }
      rmSync(path, { force: true });
    }
    throw new StudyLockedError(`could not lock ${this.dir}`);
  }
}

export class StudyLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StudyLockedError';
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function taskId(point: number, replication: number): string {
  return `${point}/${replication}`;
}
