/**
 * Ethernet line rate. Every frame (64 B minimum, FCS included) is sent with 8 B of preamble + SFD
 * and followed by a 12 B inter-packet gap, so it occupies (frame + 20) x 8 bit times on the wire:
 * pps = rate / ((frame + 20) x 8). 10 GbE: 14.881 Mpps at 64 B, 0.8127 Mpps at 1518 B.
 */
import { calibratedParams } from '../calibration/index.ts';
import { bytesToBits, durationNsAtRate } from '../units.ts';

export interface EthernetFramingParams {
  /** Preamble + start-of-frame delimiter, B (8). */
  readonly preambleSfdBytes: number;
  /** Minimum inter-packet gap, B (12). */
  readonly interPacketGapBytes: number;
  /** Minimum frame including FCS, B (64); shorter frames are padded. */
  readonly minFrameBytes: number;
  /** Frame check sequence, B (4). */
  readonly fcsBytes: number;
  /** MAC header without VLAN tag, B (14). */
  readonly ethernetHeaderBytes: number;
}

export const defaultEthernetFramingParams: EthernetFramingParams = calibratedParams({
  preambleSfdBytes: 'nic.preambleSfdBytes',
  interPacketGapBytes: 'nic.interPacketGapBytes',
  minFrameBytes: 'nic.minFrameBytes',
  fcsBytes: 'nic.fcsBytes',
  ethernetHeaderBytes: 'nic.ethernetHeaderBytes',
});

/** Per-frame overhead on the wire besides the frame itself, B (20). */
export function wireOverheadBytes(p: EthernetFramingParams = defaultEthernetFramingParams): number {
  return p.preambleSfdBytes + p.interPacketGapBytes;
}

/** The frame carrying an IP packet of `ipPacketBytes`: + MAC header + FCS, padded to the minimum. */
export function frameBytesForIpPacket(ipPacketBytes: number, p: EthernetFramingParams = defaultEthernetFramingParams): number {
  if (!(ipPacketBytes > 0) || !Number.isFinite(ipPacketBytes)) throw new RangeError(`ipPacketBytes must be a finite number > 0, got ${ipPacketBytes}`);
  return Math.max(p.minFrameBytes, ipPacketBytes + p.ethernetHeaderBytes + p.fcsBytes);
}

/** Bit times one frame of `frameBytes` (FCS included) occupies on the wire, with preamble and gap. */
export function wireBitsPerFrame(frameBytes: number, p: EthernetFramingParams = defaultEthernetFramingParams): number {
  if (!(frameBytes > 0) || !Number.isFinite(frameBytes)) throw new RangeError(`frameBytes must be a finite number > 0, got ${frameBytes}`);
  return bytesToBits(Math.max(frameBytes, p.minFrameBytes) + wireOverheadBytes(p));
}

/** Largest frame rate a link of `linkRateBitsPerSec` carries with frames of `frameBytes`, packets/s. */
export function lineRatePps(linkRateBitsPerSec: number, frameBytes: number, p: EthernetFramingParams = defaultEthernetFramingParams): number {
  checkRate(linkRateBitsPerSec);
  return linkRateBitsPerSec / wireBitsPerFrame(frameBytes, p);
}

/** Time one frame occupies the wire (serialisation + preamble + gap), ns (not rounded). */
export function serializationNs(linkRateBitsPerSec: number, frameBytes: number, p: EthernetFramingParams = defaultEthernetFramingParams): number {
  checkRate(linkRateBitsPerSec);
  return durationNsAtRate(wireBitsPerFrame(frameBytes, p), linkRateBitsPerSec);
}

function checkRate(linkRateBitsPerSec: number): void {
  if (!(linkRateBitsPerSec > 0) || !Number.isFinite(linkRateBitsPerSec)) {
    throw new RangeError(`linkRateBitsPerSec must be a finite number > 0, got ${linkRateBitsPerSec}`);
  }
}
