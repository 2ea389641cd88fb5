/**
 * The default node and workload of a conntrack run (`svcpath conntrack`): the typical node of the
 * calibration table (node.cores, node.memoryBytes, node.kernel*) and a connection workload that
 * opens the offered connections over a ramp, holds them, and refreshes the active ones at a
 * keep-alive interval. Every number comes from the calibration table.
 */
import { calibratedParams } from '../calibration/index.ts';

export interface ConntrackWorkloadParams {
  /** Connections open over this long by default: rate = N / rampSec. */
  readonly rampSec: number;
  readonly holdSec: number;
  readonly packetIntervalSec: number;
}

export const defaultConntrackWorkloadParams: ConntrackWorkloadParams = calibratedParams({
  rampSec: 'conntrack.workloadRampSec',
  holdSec: 'conntrack.workloadHoldSec',
  packetIntervalSec: 'conntrack.workloadPacketIntervalSec',
});

export interface ConntrackDefaultNodeParams {
  readonly cores: number;
  readonly memoryBytes: number;
  readonly kernelMajor: number;
  readonly kernelMinor: number;
}

export const defaultConntrackNodeParams: ConntrackDefaultNodeParams = calibratedParams({
  cores: 'node.cores',
  memoryBytes: 'node.memoryBytes',
  kernelMajor: 'node.kernelMajor',
  kernelMinor: 'node.kernelMinor',
});

/** "6.1" for the default node. */
export function defaultConntrackKernelVersion(p: ConntrackDefaultNodeParams = defaultConntrackNodeParams): string {
  return `${p.kernelMajor}.${p.kernelMinor}`;
}

/** The simulation keeps a few dozen bytes per connection and an entry per open flow: 1e7 connections are a few GB. */
export const CONNTRACK_MAX_CONNECTIONS = 10_000_000;
/**
 * Opening plus holding must end before this many simulated seconds: the engine's clock holds 2^53 ns
 * (about 9.0e6 s), and the run needs room after the last close for retransmissions and the drain.
 */
export const CONNTRACK_MAX_HORIZON_SEC = 8e6; // calibration-exempt: a bound below the engine's 2^53 ns clock, not a model quantity
