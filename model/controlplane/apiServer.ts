/**
 * The API server as the control plane sees it: a write (create or update) answers after a latency,
 * and every watcher of the written kind receives the event after a delivery delay. The API server's
 * watch cache sends one event to its watchers one after another, so the k-th watcher in that order
 * gets it k x (time per watcher) later on top of the random delivery delay; a cluster of N nodes
 * whose kube-proxy or cilium-agent all watch EndpointSlices pays up to N times that per event.
 * Watch events are pushed on long-lived streams: no client rate limit paces them (clientRateLimits.ts
 * paces requests). Defaults: docs/sources.md#control-plane-slo, #cilium-control-plane (all
 * assumptions: no typical write or delivery latency is published).
 */
import { calibratedParams } from '../calibration/index.ts';
import type { RandomStream } from '../engine/index.ts';
import { roundNs, secToNs } from '../units.ts';
import { delaySamplerNs } from './delaySampler.ts';

export interface ApiServerParams {
  /** Time from a client sending a write to the answer, s. */
  readonly writeLatencySec: number;
  /** Mean delay from a committed write to a watcher receiving the event, s. */
  readonly watchDeliveryMeanSec: number;
  /** Coefficient of variation of that delay (lognormal; 0 = constant). */
  readonly watchDeliveryCv: number;
  /** Fan-out time per watcher, s: the k-th watcher (0-based) gets the event k times this later. */
  readonly watchDispatchPerWatcherSec: number;
}

export const defaultApiServerParams: ApiServerParams = calibratedParams({
  writeLatencySec: 'controlPlane.apiWriteLatencySec',
  watchDeliveryMeanSec: 'controlPlane.watchDeliveryMeanSec',
  watchDeliveryCv: 'controlPlane.watchDeliveryCv',
  watchDispatchPerWatcherSec: 'controlPlane.watchDispatchPerWatcherSec',
});

export function checkApiServerParams(p: ApiServerParams): void {
  for (const [name, v] of Object.entries(p)) {
    if (typeof v === 'number' && !(v >= 0 && Number.isFinite(v))) throw new RangeError(`apiServer.${name} must be a finite number >= 0, got ${v}`);
  }
}

/** Write latency in integer ns. */
export function apiWriteLatencyNs(p: ApiServerParams = defaultApiServerParams): number {
  return roundNs(secToNs(p.writeLatencySec));
}

/** Watch delivery delays drawn from one named stream. */
export class WatchDelivery {
  private readonly draw: () => number;
  private readonly perWatcherNs: number;

  constructor(stream: RandomStream, readonly params: ApiServerParams = defaultApiServerParams) {
    checkApiServerParams(params);
    this.draw = delaySamplerNs(params.watchDeliveryMeanSec, params.watchDeliveryCv, stream);
    this.perWatcherNs = secToNs(params.watchDispatchPerWatcherSec);
  }

  /** Delay until the watcher at `position` (0-based, in the API server's fan-out order) has the event, ns. */
  delayNs(position = 0): number {
    if (!Number.isSafeInteger(position) || position < 0) throw new RangeError(`position must be an integer >= 0, got ${position}`);
    return this.draw() + roundNs(position * this.perWatcherNs);
  }
}
