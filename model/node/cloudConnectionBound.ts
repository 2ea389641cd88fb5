/**
 * The most connections per second a cloud VM's allowances let through, for the request/response
 * workload of svcpath path (each connection: SYN, SYN-ACK, K requests and K responses cut into
 * segments, FIN, FIN-ACK; no pure ACKs, as in simulatePath): the PPS allowance counts the packets
 * of both directions, the bandwidth allowance each direction's frame bytes. A closed form, for the
 * capacity questions the packet-level path model answers without a cloud shaper in front of it.
 * The conntrack allowance is left out: how long the cloud tracks a closed connection is not
 * published (docs/sources.md#ena-allowances).
 */
import type { DatapathSpec } from '../datapaths/datapathSpec.ts';
import { defaultPathFramingParams, type PathFramingParams } from '../datapaths/pathParams.ts';
import { pathFrames } from '../datapaths/segmentFrames.ts';
import { defaultEthernetFramingParams } from '../nic/lineRate.ts';
import { bytesToBits } from '../units.ts';
import type { CloudAllowanceParams } from './nodePreset.ts';

/** SYN, SYN-ACK, FIN and FIN-ACK. */
const HANDSHAKE_AND_CLOSE_PACKETS = 4; // calibration-exempt: a count of TCP packets, not a quantity to calibrate

export interface CloudConnectionBound {
  /** Packets of one connection, both directions. */
  readonly packetsPerConnection: number;
  /** Frame bits one connection sends out of the client VM, and receives into it. */
  readonly bitsOutPerConnection: number;
  readonly bitsInPerConnection: number;
  /** Connections/s the PPS allowance passes. */
  readonly ppsBoundPerSec: number;
  /** Connections/s the bandwidth allowance passes (the busier direction). */
  readonly bandwidthBoundPerSec: number;
  readonly boundPerSec: number;
  readonly limitedBy: 'pps-allowance' | 'bandwidth-allowance';
}

export function cloudConnectionRateBound(
  spec: DatapathSpec, cloud: CloudAllowanceParams, allowanceBitsPerSec = cloud.baselineBitsPerSec, framing: PathFramingParams = defaultPathFramingParams,
): CloudConnectionBound {
  if (!(allowanceBitsPerSec > 0) || !Number.isFinite(allowanceBitsPerSec)) throw new RangeError(`allowanceBitsPerSec must be a finite number > 0, got ${allowanceBitsPerSec}`);
  const f = pathFrames(spec.requestBytes, spec.responseBytes, framing, defaultEthernetFramingParams);
  const k = spec.requestsPerConnection;
  const sum = (frames: readonly number[]): number => frames.reduce((a, b) => a + b, 0);
  const handshakeAndClose = f.synFrameBytes + f.finFrameBytes;
  const bitsOut = bytesToBits(handshakeAndClose + k * sum(f.requestFrames));
  const bitsIn = bytesToBits(handshakeAndClose + k * sum(f.responseFrames));
  const packets = HANDSHAKE_AND_CLOSE_PACKETS + k * (f.requestFrames.length + f.responseFrames.length);
  const ppsBound = cloud.ppsAllowancePps / packets;
  const bandwidthBound = allowanceBitsPerSec / Math.max(bitsOut, bitsIn);
  return {
    packetsPerConnection: packets,
    bitsOutPerConnection: bitsOut,
    bitsInPerConnection: bitsIn,
    ppsBoundPerSec: ppsBound,
    bandwidthBoundPerSec: bandwidthBound,
    boundPerSec: Math.min(ppsBound, bandwidthBound),
    limitedBy: ppsBound <= bandwidthBound ? 'pps-allowance' : 'bandwidth-allowance',
  };
}
