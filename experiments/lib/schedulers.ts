/**
 * Which (point, replication) tasks a study runs, in which order, and which of them make the tables.
 *
 * Canonical task order is replication-major: task index = replication × points + point. Adding
 * replications appends tasks without renumbering the old ones, so shards (`index mod n = i`) and
 * finished task files stay valid when a study grows.
 *
 * Precision mode decides per point, deterministically: replication values are fed to a
 * SequentialStopper strictly in order 0, 1, 2, ..., and the point stops at the first k where the
 * target holds. Results that arrive early wait for their predecessors; replications beyond the
 * stopping point (run speculatively to keep workers busy) are kept on disk but never reach the
 * tables. So the tables do not depend on worker count or timing. A precision study is sharded by
 * point (point mod n = i), since a point's stopping decision needs all of its replications.
 */
import { SequentialStopper } from '../../model/engine/stats/sequentialStopping.ts';
import { relativeHalfWidth } from '../../model/engine/stats/confidenceInterval.ts';
import type { ReplicationPolicy } from './experimentSchema.ts';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface TaskKey {
  readonly point: number;
  readonly replication: number;
}

export interface Scheduler {
  /** The next task to run now, or undefined (for now). */
  next(): TaskKey | undefined;
  /** A finished task's metrics (also for tasks finished by an earlier run). */
  record(point: number, replication: number, metrics: Readonly<Record<string, number>>): void;
  /** True when every task the tables need is recorded. */
  complete(): boolean;
  /** The tasks whose rows make the tables, sorted by (point, replication). */
  selected(): TaskKey[];
  /** Tasks recorded so far that the tables need / (an estimate of) how many they need. */
  progress(): { done: number; total: number };
  /** Per point: replications in the tables (0 for points outside the shard). */
  replicationsPerPoint(): number[];
  /** Precision mode: per point, whether the target was met (null outside the shard), and the relative half-width reached. */
  precisionOutcome(): { reachedTarget: (boolean | null)[]; relHalfWidth: (number | null)[] } | null;
}

export function inShard(taskIndex: number, shard: Shard | undefined): boolean {
  return shard === undefined || taskIndex % shard.count === shard.index;
}

export function createScheduler(policy: ReplicationPolicy, pointCount: number, shard: Shard | undefined): Scheduler {
  return policy.mode === 'fixed'
    ? new FixedScheduler(policy.replications, pointCount, shard)
    : new PrecisionScheduler(policy, pointCount, shard);
}

class FixedScheduler implements Scheduler {
  readonly #tasks: TaskKey[] = [];
  readonly #wanted = new Set<string>();
  readonly #done = new Set<string>();
  #cursor = 0;
  readonly #perPoint: number[];

  constructor(replications: number, pointCount: number, shard: Shard | undefined) {
    this.#perPoint = new Array<number>(pointCount).fill(0);
    for (let r = 0; r < replications; r++) {
      for (let p = 0; p < pointCount; p++) {
        if (!inShard(r * pointCount + p, shard)) continue;
        this.#tasks.push({ point: p, replication: r });
        this.#wanted.add(`${p}/${r}`);
        this.#perPoint[p]!++;
      }
    }
  }

  next(): TaskKey | undefined {
    while (this.#cursor < this.#tasks.length) {
      const t = this.#tasks[this.#cursor++]!;
      if (!this.#done.has(`${t.point}/${t.replication}`)) return t;
    }
    return undefined;
  }

  record(point: number, replication: number): void {
    const id = `${point}/${replication}`;
    if (this.#wanted.has(id)) this.#done.add(id);
  }

  complete(): boolean {
    return this.#done.size === this.#tasks.length;
  }

  selected(): TaskKey[] {
    return [...this.#tasks].sort((a, b) => a.point - b.point || a.replication - b.replication);
  }

  progress(): { done: number; total: number } {
    return { done: this.#done.size, total: this.#tasks.length };
  }

  replicationsPerPoint(): number[] {
    return [...this.#perPoint];
  }

  precisionOutcome(): null {
    return null;
  }
}

interface PointState {
  readonly point: number;
  readonly stopper: SequentialStopper;
  readonly values: Map<number, number>;
  /** Replications fed to the stopper: 0..fed-1. */
  fed: number;
  /** Replications handed out (or found finished): 0..issued-1 are taken care of. */
  issued: number;
  /** Replications in the tables, once decided. */
  final: number | null;
}

class PrecisionScheduler implements Scheduler {
  readonly #states: PointState[] = [];
  readonly #byPoint = new Map<number, PointState>();
  readonly #recorded = new Set<string>();

  constructor(
    private readonly policy: Extract<ReplicationPolicy, { mode: 'precision' }>,
    private readonly pointCount: number,
    shard: Shard | undefined,
  ) {
    for (let p = 0; p < pointCount; p++) {
      if (!inShard(p, shard)) continue;
      const s: PointState = {
        point: p,
        stopper: new SequentialStopper({
          relHalfWidth: policy.relHalfWidth,
          confidence: policy.confidence,
          minReplications: policy.minReplications,
          maxReplications: policy.maxReplications,
        }),
        values: new Map(),
        fed: 0,
        issued: 0,
        final: null,
      };
      this.#states.push(s);
      this.#byPoint.set(p, s);
    }
  }

  /** Skips replications that are already recorded. */
  #skipRecorded(s: PointState): void {
    while (this.#recorded.has(`${s.point}/${s.issued}`)) s.issued++;
  }

  next(): TaskKey | undefined {
    // Needed now: the first minReplications of every point, then the replication each undecided
    // point must see next. Lowest replication first, then lowest point: the canonical order.
    let best: PointState | undefined;
    for (const s of this.#states) {
      if (s.final !== null) continue;
      this.#skipRecorded(s);
      const needed = s.issued < this.policy.minReplications || s.issued <= s.fed;
      if (needed && s.issued < this.policy.maxReplications && (best === undefined || s.issued < best.issued)) best = s;
    }
    // Nothing needed now: run ahead on the least-advanced undecided point (its result may be
    // discarded if the point stops earlier).
    if (best === undefined) {
      for (const s of this.#states) {
        if (s.final !== null || s.issued >= this.policy.maxReplications) continue;
        if (best === undefined || s.issued < best.issued) best = s;
      }
    }
    if (best === undefined) return undefined;
    return { point: best.point, replication: best.issued++ };
  }

  record(point: number, replication: number, metrics: Readonly<Record<string, number>>): void {
    const s = this.#byPoint.get(point);
    if (s === undefined) return;
    this.#recorded.add(`${point}/${replication}`);
    const value = metrics[this.policy.metric];
    s.values.set(replication, value ?? NaN);
    while (s.final === null && s.values.has(s.fed)) {
      const v = s.values.get(s.fed)!;
      if (!Number.isFinite(v)) {
        throw new Error(
          `precision metric "${this.policy.metric}" is ${v} at point ${point}, replication ${s.fed}; the stopping rule needs finite values`,
        );
      }
      s.stopper.add(v);
      s.fed++;
      if (s.stopper.done) s.final = s.stopper.count;
    }
  }

  complete(): boolean {
    return this.#states.every((s) => s.final !== null);
  }

  selected(): TaskKey[] {
    const out: TaskKey[] = [];
    for (const s of this.#states) for (let r = 0; r < (s.final ?? 0); r++) out.push({ point: s.point, replication: r });
    return out;
  }

  progress(): { done: number; total: number } {
    let done = 0;
    let total = 0;
    for (const s of this.#states) {
      done += s.final ?? s.fed;
      total += s.final ?? Math.max(s.fed + 1, this.policy.minReplications);
    }
    return { done, total };
  }

  replicationsPerPoint(): number[] {
    const out = new Array<number>(this.pointCount).fill(0);
    for (const s of this.#states) out[s.point] = s.final ?? 0;
    return out;
  }

  precisionOutcome(): { reachedTarget: (boolean | null)[]; relHalfWidth: (number | null)[] } {
    const reachedTarget = new Array<boolean | null>(this.pointCount).fill(null);
    const rel = new Array<number | null>(this.pointCount).fill(null);
    for (const s of this.#states) {
      reachedTarget[s.point] = s.stopper.reachedTarget;
      const r = relativeHalfWidth(s.stopper.ci);
      rel[s.point] = Number.isFinite(r) ? r : null;
    }
    return { reachedTarget, relHalfWidth: rel };
  }
}
