/**
 * kube-proxy's sync loop on one node (its BoundedFrequencyRunner): a Service or EndpointSlice change
 * asks for a sync; syncs start at least `minSyncPeriod` apart (default 1 s), one at a time, and at
 * least every `syncPeriod` (30 s) even without changes. A sync that starts when `fullSyncPeriod`
 * has passed since the last full sync rewrites every Service (full); the others write only the
 * Services that changed since the last sync (partial). Each sync takes kubeProxySyncCost's time;
 * every change it picked up is in the datapath when it ends. Changes that arrive during a sync wait
 * for the next one. Defaults: docs/sources.md#kube-proxy-sync.
 *
 * Simplification: the runner's burst of back-to-back syncs in older releases (burstSyncs = 2) is
 * not modelled: syncs start at most once per minSyncPeriod.
 */
import { calibratedParams } from '../calibration/index.ts';
import type { Simulation } from '../engine/index.ts';
import { roundNs, secToNs } from '../units.ts';
import { defaultKubeProxySyncCostParams, kubeProxySyncSec, type KubeProxyMode, type KubeProxySyncCostParams } from './kubeProxySyncCost.ts';

export interface KubeProxySyncLoopParams {
  /** Least time between sync starts, s. */
  readonly minSyncPeriodSec: number;
  /** Longest time without a sync, s. */
  readonly syncPeriodSec: number;
  /** A sync is full when this long has passed since the last full one, s. */
  readonly fullSyncPeriodSec: number;
}

export const defaultKubeProxySyncLoopParams: KubeProxySyncLoopParams = calibratedParams({
  minSyncPeriodSec: 'controlPlane.kubeProxyMinSyncPeriodSec',
  syncPeriodSec: 'controlPlane.kubeProxySyncPeriodSec',
  fullSyncPeriodSec: 'controlPlane.kubeProxyFullSyncPeriodSec',
});

export function checkKubeProxySyncLoopParams(p: KubeProxySyncLoopParams): void {
  if (!(p.minSyncPeriodSec >= 0) || !Number.isFinite(p.minSyncPeriodSec)) throw new RangeError(`kubeProxy.minSyncPeriodSec must be a finite number >= 0, got ${p.minSyncPeriodSec}`);
  if (!(p.syncPeriodSec > 0) || !Number.isFinite(p.syncPeriodSec)) throw new RangeError(`kubeProxy.syncPeriodSec must be a finite number > 0, got ${p.syncPeriodSec}`);
  if (!(p.fullSyncPeriodSec > 0) || !Number.isFinite(p.fullSyncPeriodSec)) throw new RangeError(`kubeProxy.fullSyncPeriodSec must be a finite number > 0, got ${p.fullSyncPeriodSec}`);
}

/** Called when a sync ends: the changes now in the datapath and the time, ns. */
export type ProgrammedFn = (changeIds: readonly number[], programmedNs: number) => void;

export interface KubeProxySyncLoopOptions {
  readonly mode: KubeProxyMode;
  readonly services: number;
  readonly endpointsPerService: number;
  readonly params?: KubeProxySyncLoopParams;
  readonly cost?: KubeProxySyncCostParams;
  /** Time since the last full sync when the simulation starts, s (a node's phase). Default 0. */
  readonly sinceFullSyncSec?: number;
  /** Time since the last sync started when the simulation starts, s. Default minSyncPeriod (free to sync). */
  readonly sinceLastSyncSec?: number;
  readonly onProgrammed: ProgrammedFn;
}

export class KubeProxySyncLoop {
  readonly params: KubeProxySyncLoopParams;
  private readonly cost: KubeProxySyncCostParams;
  private readonly minNs: number;
  private readonly periodNs: number;
  private readonly fullNs: number;
  private readonly partialNsCache = new Map<number, number>();
  private readonly fullSyncNs: number;
  private pendingChanges: number[] = [];
  private readonly pendingServices = new Set<number>();
  private running = false;
  private lastStartNs: number;
  private lastFullNs: number;
  /** The earliest time a start attempt is scheduled for, and its epoch (later attempts supersede). */
  private wakeNs = Infinity;
  private epoch = 0;
  syncs = 0;
  fullSyncs = 0;
  /** Time spent syncing, ns. */
  busyNs = 0;

  constructor(private readonly sim: Simulation, private readonly opts: KubeProxySyncLoopOptions) {
    this.params = opts.params ?? defaultKubeProxySyncLoopParams;
    checkKubeProxySyncLoopParams(this.params);
    this.cost = opts.cost ?? defaultKubeProxySyncCostParams;
    this.minNs = roundNs(secToNs(this.params.minSyncPeriodSec));
    this.periodNs = roundNs(secToNs(this.params.syncPeriodSec));
    this.fullNs = roundNs(secToNs(this.params.fullSyncPeriodSec));
    this.lastFullNs = sim.nowNs - roundNs(secToNs(opts.sinceFullSyncSec ?? 0));
    this.lastStartNs = sim.nowNs - roundNs(secToNs(opts.sinceLastSyncSec ?? this.params.minSyncPeriodSec));
    this.fullSyncNs = roundNs(secToNs(kubeProxySyncSec(opts.mode, opts.services, opts.endpointsPerService, opts.services, true, this.cost)));
    this.wakeAt(this.lastStartNs + this.periodNs);
  }

  /** Duration of a full sync of this node's ruleset, ns. */
  get fullSyncDurationNs(): number {
    return this.fullSyncNs;
  }

  /** Duration of a partial sync that rewrites `changed` Services, ns. */
  partialSyncDurationNs(changed: number): number {
    let ns = this.partialNsCache.get(changed);
    if (ns === undefined) {
      ns = roundNs(secToNs(kubeProxySyncSec(this.opts.mode, this.opts.services, this.opts.endpointsPerService, changed, false, this.cost)));
      this.partialNsCache.set(changed, ns);
    }
    return ns;
  }

  /** A change of `service` reached this node now. */
  notify(service: number, changeId: number): void {
    this.pendingChanges.push(changeId);
    this.pendingServices.add(service);
    if (!this.running) this.wakeAt(Math.max(this.sim.nowNs, this.lastStartNs + this.minNs));
  }

  private wakeAt(tNs: number): void {
    if (tNs >= this.wakeNs) return;
    this.wakeNs = tNs;
    const epoch = ++this.epoch;
    this.sim.scheduleAt(tNs, () => {
      if (epoch === this.epoch) this.tryStart();
    });
  }

  private tryStart(): void {
    this.wakeNs = Infinity;
    if (this.running) return;
    const now = this.sim.nowNs;
    const earliest = this.lastStartNs + this.minNs;
    if (now < earliest) {
      this.wakeAt(earliest);
      return;
    }
    const periodic = now >= this.lastStartNs + this.periodNs;
    if (this.pendingChanges.length === 0 && !periodic) return;
    const full = now - this.lastFullNs >= this.fullNs;
    const durationNs = full ? this.fullSyncNs : this.partialSyncDurationNs(this.pendingServices.size);
    const changes = this.pendingChanges;
    this.pendingChanges = [];
    this.pendingServices.clear();
    this.running = true;
    this.lastStartNs = now;
    if (full) {
      this.lastFullNs = now;
      this.fullSyncs++;
    }
    this.syncs++;
    this.busyNs += durationNs;
    this.sim.schedule(durationNs, () => this.finish(changes));
  }

  private finish(changes: readonly number[]): void {
    this.running = false;
    if (changes.length > 0) this.opts.onProgrammed(changes, this.sim.nowNs);
    const next = this.pendingChanges.length > 0 ? this.lastStartNs + this.minNs : this.lastStartNs + this.periodNs;
    this.wakeAt(Math.max(this.sim.nowNs, next));
  }
}
