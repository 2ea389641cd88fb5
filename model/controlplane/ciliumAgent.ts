/**
 * cilium-agent's event handling on one node: Kubernetes events (Service and EndpointSlice updates,
 * CiliumEndpoint updates for the ipcache) are handled one after another; a Service event costs the
 * agent's processing time plus one BPF map update per changed backend and one for the Service's
 * master entry; an ipcache event costs its processing time plus one map update. There is no sync
 * loop and no rate limit between the watch and the maps: an EndpointSlice change is in the datapath
 * as soon as the agent has handled it. Defaults: docs/sources.md#cilium-control-plane (assumptions:
 * no per-event time is published).
 */
import { calibratedParams } from '../calibration/index.ts';
import type { Simulation } from '../engine/index.ts';
import { roundNs, secToNs } from '../units.ts';

export interface CiliumAgentParams {
  /** Time to handle one Kubernetes event, s. */
  readonly eventProcessingSec: number;
  /** One BPF map update from the agent, s. */
  readonly bpfMapUpdateSec: number;
  /** Time to turn one CiliumEndpoint event into an ipcache entry, s. */
  readonly ipcacheUpdateSec: number;
}

export const defaultCiliumAgentParams: CiliumAgentParams = calibratedParams({
  eventProcessingSec: 'controlPlane.ciliumEventProcessingSec',
  bpfMapUpdateSec: 'controlPlane.ciliumBpfMapUpdateSec',
  ipcacheUpdateSec: 'controlPlane.ciliumIpcacheUpdateSec',
});

export function checkCiliumAgentParams(p: CiliumAgentParams): void {
  for (const [name, v] of Object.entries(p)) {
    if (typeof v === 'number' && !(v >= 0 && Number.isFinite(v))) throw new RangeError(`ciliumAgent.${name} must be a finite number >= 0, got ${v}`);
  }
}

/** Time to apply a Service change with `backendsChanged` changed backends, s. */
export function ciliumServiceUpdateSec(backendsChanged: number, p: CiliumAgentParams = defaultCiliumAgentParams): number {
  if (!Number.isSafeInteger(backendsChanged) || backendsChanged < 0) throw new RangeError(`backendsChanged must be an integer >= 0, got ${backendsChanged}`);
  return p.eventProcessingSec + (backendsChanged + 1) * p.bpfMapUpdateSec;
}

/** Time to apply one ipcache change, s. */
export function ciliumIpcacheUpdateSec(p: CiliumAgentParams = defaultCiliumAgentParams): number {
  return p.ipcacheUpdateSec + p.bpfMapUpdateSec;
}

/**
 * One agent's event queue: a single FIFO worker. `submit(workSec, done)` calls `done(tNs)` when the
 * event has been handled: at max(now, end of the previous event) + work.
 */
export class CiliumAgentQueue {
  private busyUntilNs = -Infinity;
  handled = 0;
  busyNs = 0;

  constructor(private readonly sim: Simulation) {}

  submit(workSec: number, done: (handledNs: number) => void): void {
    if (!(workSec >= 0) || !Number.isFinite(workSec)) throw new RangeError(`workSec must be a finite number >= 0, got ${workSec}`);
    const workNs = roundNs(secToNs(workSec));
    const endNs = Math.max(this.sim.nowNs, this.busyUntilNs) + workNs;
    this.busyUntilNs = endNs;
    this.busyNs += workNs;
    this.handled++;
    this.sim.scheduleAt(endNs, () => done(endNs));
  }
}
