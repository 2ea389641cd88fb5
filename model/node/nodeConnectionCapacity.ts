/**
 * A node's connection capacity: what the packet-level search finds within the SLO
 * (model/datapaths findCapacity), and on a cloud VM the smaller of that and what its allowances
 * pass once the burst credits are spent (cloudConnectionRateBound: the path model has no cloud
 * shaper in front of its NIC, so the allowances enter as this closed-form cap). Used by
 * `svcpath capacity`, the capacity-factors experiment and the cluster plans, so the three agree.
 */
import type { CapacityResult } from '../datapaths/capacity.ts';
import type { DatapathSpec } from '../datapaths/datapathSpec.ts';
import { cloudConnectionRateBound, type CloudConnectionBound } from './cloudConnectionBound.ts';
import type { CloudAllowanceParams } from './nodePreset.ts';

export interface NodeConnectionCapacity {
  /** Connections per second the node carries: the simulated capacity, capped by the allowances on a cloud VM. */
  readonly connectionsPerSec: number;
  /**
   * What sets it: 'first-packet p99' or the main drop cause of the lowest failing rate, the
   * search's stop reason when no rate failed, or the cloud allowance that caps it.
   */
  readonly limitedBy: string;
  /** The packet-level search's own capacity, before any allowance. */
  readonly simulatedConnectionsPerSec: number;
  /** The allowances' bound after the burst (null for a node without cloud allowances). */
  readonly cloudBound: CloudConnectionBound | null;
}

/**
 * What stopped the search at the lowest failing rate: the SLO (naming the main drop cause when
 * packets were dropped too, since a dropped SYN waits out its retransmission timeout), the drops'
 * main cause, or, when no rate failed, why the search stopped.
 */
export function simulatedLimit(r: CapacityResult): string {
  const u = r.upper;
  if (u === null) return r.stoppedBy;
  if (u.failedOn === 'drops') return u.mainDropCause ?? 'drops';
  return u.mainDropCause === null ? 'first-packet p99' : `first-packet p99 (with ${u.mainDropCause} drops)`;
}

/** The node's capacity from a finished search on `spec`, with the cloud allowances `cloud` (undefined: none). */
export function nodeConnectionCapacity(simulated: CapacityResult, spec: DatapathSpec, cloud: CloudAllowanceParams | undefined): NodeConnectionCapacity {
  const own = { connectionsPerSec: simulated.connectionsPerSec, limitedBy: simulatedLimit(simulated), simulatedConnectionsPerSec: simulated.connectionsPerSec };
  if (cloud === undefined) return { ...own, cloudBound: null };
  const bound = cloudConnectionRateBound(spec, cloud);
  return bound.boundPerSec < own.connectionsPerSec
    ? { ...own, connectionsPerSec: bound.boundPerSec, limitedBy: bound.limitedBy, cloudBound: bound }
    : { ...own, cloudBound: bound };
}
