/**
 * The EndpointSlice controller (kube-controller-manager): a pod change marks its Service dirty in a
 * work queue; `concurrentSyncs` workers take Services off the queue in order, recompute their slices
 * and write the changed slice to the API server. Queue semantics as client-go's workqueue: a Service
 * already waiting is not queued twice (changes to it merge into one sync), and a Service that changes
 * while a worker syncs it is queued again when that sync ends. With a batch period > 0 a changed
 * Service waits that long before it is queued, to join later changes. Each write waits for a token
 * of the controller's client rate limit (kube-controller-manager's QPS and burst, or a share of them)
 * and then the API server's write latency; the worker is busy meanwhile.
 *
 * Defaults (docs/sources.md#endpoint-removal): 5 workers, 100 endpoints per slice, no batching,
 * 20 QPS / 30 burst. One pod change rewrites one slice (the one holding that endpoint).
 */
import { calibratedParams } from '../calibration/index.ts';
import type { Simulation } from '../engine/index.ts';
import type { TokenBucket } from '../nic/tokenBucket.ts';
import { roundNs, secToNs } from '../units.ts';
import { apiWriteLatencyNs, defaultApiServerParams, type ApiServerParams } from './apiServer.ts';
import { clientRateLimiter, defaultKcmRateLimitParams, scaledRateLimit, type ClientRateLimitParams } from './clientRateLimits.ts';

export interface EndpointSliceControllerParams {
  /** Workers (ConcurrentServiceEndpointSyncs). */
  readonly concurrentSyncs: number;
  /** Endpoints per slice at most (MaxEndpointsPerSlice). */
  readonly maxEndpointsPerSlice: number;
  /** --endpointslice-updates-batch-period, s (0 = none). */
  readonly batchPeriodSec: number;
  /** CPU time of one Service sync before its write, s. */
  readonly syncSec: number;
  /** Share of kube-controller-manager's QPS and burst the controller's writes get, in (0, 1]. */
  readonly apiShareFraction: number;
}

export const defaultEndpointSliceControllerParams: EndpointSliceControllerParams = calibratedParams({
  concurrentSyncs: 'controlPlane.endpointSliceConcurrentSyncs',
  maxEndpointsPerSlice: 'controlPlane.endpointSliceMaxEndpointsPerSlice',
  batchPeriodSec: 'controlPlane.endpointSliceBatchPeriodSec',
  syncSec: 'controlPlane.endpointSliceSyncSec',
  apiShareFraction: 'controlPlane.kcmEndpointSliceApiShareFraction',
});

export function checkEndpointSliceControllerParams(p: EndpointSliceControllerParams): void {
  if (!Number.isSafeInteger(p.concurrentSyncs) || p.concurrentSyncs < 1) throw new RangeError(`endpointSlice.concurrentSyncs must be an integer >= 1, got ${p.concurrentSyncs}`);
  if (!Number.isSafeInteger(p.maxEndpointsPerSlice) || p.maxEndpointsPerSlice < 1) throw new RangeError(`endpointSlice.maxEndpointsPerSlice must be an integer >= 1, got ${p.maxEndpointsPerSlice}`);
  if (!(p.batchPeriodSec >= 0) || !Number.isFinite(p.batchPeriodSec)) throw new RangeError(`endpointSlice.batchPeriodSec must be a finite number >= 0, got ${p.batchPeriodSec}`);
  if (!(p.syncSec >= 0) || !Number.isFinite(p.syncSec)) throw new RangeError(`endpointSlice.syncSec must be a finite number >= 0, got ${p.syncSec}`);
  if (!(p.apiShareFraction > 0 && p.apiShareFraction <= 1)) throw new RangeError(`endpointSlice.apiShareFraction must be in (0, 1], got ${p.apiShareFraction}`);
}

/** Slices a Service with `endpoints` endpoints needs (at least one, also when it has none). */
export function slicesForEndpoints(endpoints: number, p: EndpointSliceControllerParams = defaultEndpointSliceControllerParams): number {
  if (!Number.isSafeInteger(endpoints) || endpoints < 0) throw new RangeError(`endpoints must be an integer >= 0, got ${endpoints}`);
  return Math.max(1, Math.ceil(endpoints / p.maxEndpointsPerSlice));
}

/** Called when a Service's slice has been written: the changes it carries and the time, ns. */
export type SliceWrittenFn = (service: number, changeIds: readonly number[], writtenNs: number) => void;

export interface EndpointSliceControllerOptions {
  readonly params?: EndpointSliceControllerParams;
  readonly api?: ApiServerParams;
  /** kube-controller-manager's limits; the controller gets `params.apiShareFraction` of them. */
  readonly rateLimit?: ClientRateLimitParams;
  readonly onWritten: SliceWrittenFn;
}

export class EndpointSliceController {
  readonly params: EndpointSliceControllerParams;
  private readonly bucket: TokenBucket;
  private readonly writeNs: number;
  private readonly syncNs: number;
  private readonly batchNs: number;
  private readonly onWritten: SliceWrittenFn;
  /** Change ids per Service not yet picked up by a sync. */
  private readonly pending = new Map<number, number[]>();
  /** Services marked dirty (queued or waiting for their batch period or for their running sync). */
  private readonly dirty = new Set<number>();
  private readonly processing = new Set<number>();
  private readonly queue: number[] = [];
  private head = 0;
  private idleWorkers: number;
  /** Slice writes done. */
  writes = 0;
  /** Longest the queue has been (Services waiting for a worker). */
  maxQueueLength = 0;

  constructor(private readonly sim: Simulation, opts: EndpointSliceControllerOptions) {
    this.params = opts.params ?? defaultEndpointSliceControllerParams;
    checkEndpointSliceControllerParams(this.params);
    this.bucket = clientRateLimiter(scaledRateLimit(opts.rateLimit ?? defaultKcmRateLimitParams, this.params.apiShareFraction), sim.nowNs);
    this.writeNs = apiWriteLatencyNs(opts.api ?? defaultApiServerParams);
    this.syncNs = roundNs(secToNs(this.params.syncSec));
    this.batchNs = roundNs(secToNs(this.params.batchPeriodSec));
    this.onWritten = opts.onWritten;
    this.idleWorkers = this.params.concurrentSyncs;
  }

  /** Services waiting for a worker. */
  get queueLength(): number {
    return this.queue.length - this.head;
  }

  /** The controller has seen a pod change of `service` now; `changeId` identifies it in onWritten. */
  podChanged(service: number, changeId: number): void {
    if (!Number.isSafeInteger(service) || service < 0) throw new RangeError(`service must be an integer >= 0, got ${service}`);
    let list = this.pending.get(service);
    if (list === undefined) this.pending.set(service, (list = []));
    list.push(changeId);
    if (this.dirty.has(service)) return;
    this.dirty.add(service);
    if (this.processing.has(service)) return; // re-queued when its sync ends
    if (this.batchNs > 0) this.sim.schedule(this.batchNs, (s) => this.enqueue(s as number), service);
    else this.enqueue(service);
  }

  private enqueue(service: number): void {
    this.queue.push(service);
    this.maxQueueLength = Math.max(this.maxQueueLength, this.queueLength);
    this.startWorkers();
  }

  private startWorkers(): void {
    while (this.idleWorkers > 0 && this.head < this.queue.length) {
      const service = this.queue[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.queue.length) { // calibration-exempt: compaction threshold of the array queue, not a model number
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.idleWorkers--;
      this.dirty.delete(service);
      this.processing.add(service);
      const changes = this.pending.get(service) ?? [];
      this.pending.delete(service);
      this.sim.schedule(this.syncNs, () => this.afterSync(service, changes));
    }
  }

  private afterSync(service: number, changes: readonly number[]): void {
    const goNs = this.bucket.reserve(this.sim.nowNs, 1);
    const doneNs = Math.ceil(goNs) + this.writeNs;
    this.sim.scheduleAt(doneNs, () => this.afterWrite(service, changes));
  }

  private afterWrite(service: number, changes: readonly number[]): void {
    this.writes++;
    this.processing.delete(service);
    this.idleWorkers++;
    if (changes.length > 0) this.onWritten(service, changes, this.sim.nowNs);
    if (this.dirty.has(service)) this.enqueue(service);
    else this.startWorkers();
  }
}
