/**
 * How long a `svcpath path` run lasts. It simulates the spec's duration (by default the calibrated
 * datapath.durationSec, of which datapath.warmupSec is warm-up) unless the connection rate would
 * make that more than about PATH_PACKET_BUDGET packets: then the measured window shrinks until the
 * run fits the budget, and the warm-up with it when it would be longer than the window. The
 * budget bounds a command's run time, not a model quantity; a shortened run says so (its
 * measuredSec). capacityRunSpec (capacity.ts) is the same idea for the capacity search: a fixed
 * number of measured connections per candidate rate.
 */
import type { DatapathSpec } from './datapathSpec.ts';

/** Packets a `path` run simulates at most, about. */
export const PATH_PACKET_BUDGET = 1_000_000;

/** SYN, SYN-ACK, FIN and FIN-ACK. */
const HANDSHAKE_AND_CLOSE_PACKETS = 4; // calibration-exempt: a count of TCP packets, not a quantity to calibrate

/**
 * The fewest packets a connection of `requestsPerConnection` exchanges: the handshake, the close,
 * and at least one segment each way per request (more when a message exceeds the MSS).
 */
export function minPacketsPerConnection(requestsPerConnection: number): number {
  return HANDSHAKE_AND_CLOSE_PACKETS + 2 * requestsPerConnection;
}

/** `spec` with its warm-up and duration shortened, if needed, to about `packetBudget` packets. */
export function pathRunSpec(spec: DatapathSpec, packetBudget = PATH_PACKET_BUDGET): DatapathSpec {
  if (!(packetBudget > 0)) throw new RangeError(`packetBudget must be a number > 0, got ${packetBudget}`);
  const budgetSec = packetBudget / (spec.connectionsPerSec * minPacketsPerConnection(spec.requestsPerConnection));
  const measureSec = Math.min(spec.durationSec - spec.warmupSec, budgetSec);
  const warmupSec = Math.min(spec.warmupSec, measureSec);
  return { ...spec, warmupSec, durationSec: warmupSec + measureSec };
}
