/**
 * The body of a worker thread (started through workerBoot.mjs): loads the experiment named in
 * workerData, then runs one replication per message. Each replication gets
 * `new RandomStreams(seed, replication)` (the same streams at every sweep point: common random
 * numbers) and its wall-clock time is measured here, outside the model.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { ClusterInput } from '../../model/cluster/clusterSpecs.ts';
import { RandomStreams } from '../../model/engine/randomStreams.ts';
import { loadDefinition, type ExperimentRef } from './loadExperiment.ts';
import type { WorkerReply, WorkerTask } from './workerPool.ts';

const port = parentPort;
if (port === null) throw new Error('scenarioWorker.ts must run in a worker thread');

const { ref, cluster } = workerData as { ref: ExperimentRef; cluster: ClusterInput | undefined };
const definition = await loadDefinition(ref);
const scenario = definition.scenario as (params: unknown, ctx: unknown) => Record<string, number>;

port.on('message', (task: WorkerTask) => {
  let reply: WorkerReply;
  try {
    const t0 = performance.now();
    const metrics = scenario(task.params, {
      seed: task.seed,
      replication: task.replication,
      streams: new RandomStreams(task.seed, task.replication),
      warmup: task.warmup,
      ...(cluster !== undefined ? { cluster } : {}),
    });
    reply = { id: task.id, ok: true, metrics: { ...metrics }, wallMs: performance.now() - t0 };
  } catch (e) {
    reply = { id: task.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
