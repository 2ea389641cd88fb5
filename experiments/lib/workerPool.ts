/**
 * A pool of worker threads that run replications. Tasks are pulled from `next()` one at a time per
 * idle worker (the caller's scheduler decides the order and may add tasks as results arrive, as
 * precision mode does); results come back in completion order, which is why the runner persists
 * them by (point, replication) and sorts before writing: nothing depends on which worker ran what.
 */
import { Worker } from 'node:worker_threads';
import type { ClusterInput } from '../../model/cluster/clusterSpecs.ts';
import type { ParamRecord } from './sweep.ts';
import type { Warmup } from './defineExperiment.ts';
import type { ExperimentRef } from './loadExperiment.ts';

/** Most worker threads a run accepts (a sanity bound on --workers, far above any machine's cores). */
export const MAX_WORKERS = 1_024; // calibration-exempt: an input bound, not a model quantity

export interface WorkerTask {
  readonly id: number;
  readonly point: number;
  readonly replication: number;
  readonly seed: number;
  readonly params: ParamRecord;
  readonly warmup: Warmup;
}

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly metrics: Record<string, number>; readonly wallMs: number }
  | { readonly id: number; readonly ok: false; readonly error: string };

export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly task: WorkerTask,
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export interface PoolOptions {
  readonly size: number;
  readonly ref: ExperimentRef;
  /** The cluster the study runs on, given to every scenario call as ctx.cluster. */
  readonly cluster?: ClusterInput;
  /** The next task to run, or undefined when none is ready now (more may follow a result). */
  next(): WorkerTask | undefined;
  /** Called on the main thread for every result, in completion order; throwing stops the pool. */
  onResult(task: WorkerTask, metrics: Record<string, number>, wallMs: number): void;
}

const BOOT_URL = new URL('./workerBoot.mjs', import.meta.url);
const ENTRY_URL = new URL('./scenarioWorker.ts', import.meta.url).href;

/** Runs until next() is empty with nothing in flight; resolves with the number of workers started. */
export function runPool(options: PoolOptions): Promise<number> {
  const { size } = options;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be an integer >= 1, got ${size}`);
  return new Promise<number>((resolve, reject) => {
    const workers: Worker[] = [];
    const running = new Map<Worker, WorkerTask>();
    const idle: Worker[] = [];
    let settled = false;

    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      void Promise.all(workers.map((w) => w.terminate())).then(
        () => (error === undefined ? resolve(workers.length) : reject(error)),
        () => (error === undefined ? resolve(workers.length) : reject(error)),
      );
    };

    const dispatch = (): void => {
      if (settled) return;
      while (idle.length > 0) {
        const task = options.next();
        if (task === undefined) break;
        const w = idle.shift()!;
        running.set(w, task);
        w.postMessage(task);
      }
      if (running.size === 0 && idle.length === workers.length) finish();
    };

    for (let i = 0; i < size; i++) {
      // execArgv: [] keeps the parent's tsx flags out; workerBoot.mjs registers tsx itself.
      const w = new Worker(BOOT_URL, { workerData: { entry: ENTRY_URL, ref: options.ref, cluster: options.cluster }, execArgv: [] });
      workers.push(w);
      w.on('message', (msg: WorkerReply | { ready: true }) => {
        if (settled) return;
        if ('ready' in msg) {
          idle.push(w);
          dispatch();
          return;
        }
        const task = running.get(w);
        running.delete(w);
        if (task === undefined || task.id !== msg.id) {
          finish(new Error(`worker replied to task ${msg.id}, which it was not running`));
          return;
        }
        if (!msg.ok) {
          finish(new ScenarioError(msg.error, task));
          return;
        }
        try {
          options.onResult(task, msg.metrics, msg.wallMs);
        } catch (e) {
          finish(e);
          return;
        }
        idle.push(w);
        dispatch();
      });
      w.on('error', (e) => finish(e));
      w.on('exit', (code) => {
        if (!settled) finish(new Error(`a worker thread exited with code ${code} before the study finished`));
      });
    }
  });
}
