/**
 * TCP segments and their Ethernet frames: a message is cut into MSS-sized segments (MSS = MTU -
 * IPv4 and TCP headers - the timestamp option every segment after the handshake carries); SYN and
 * SYN-ACK carry the handshake options and no payload; FIN and FIN-ACK carry only headers.
 */
import { frameBytesForIpPacket, type EthernetFramingParams } from '../nic/lineRate.ts';
import type { PathFramingParams } from './pathParams.ts';

/** Frame sizes of one connection's packets, B (FCS included). */
export interface PathFrames {
  /** SYN and SYN-ACK. */
  readonly synFrameBytes: number;
  /** FIN and FIN-ACK. */
  readonly finFrameBytes: number;
  /** One frame per segment of a request, in order. */
  readonly requestFrames: readonly number[];
  /** One frame per segment of a response, in order. */
  readonly responseFrames: readonly number[];
}

/** Payload bytes of a full segment. */
export function mssBytes(framing: PathFramingParams): number {
  return framing.mtuBytes - framing.ipv4HeaderBytes - framing.tcpHeaderBytes - framing.tcpTimestampOptionBytes;
}

/** The frames of a message of `payloadBytes`: full segments, then the remainder. */
export function segmentFrames(payloadBytes: number, framing: PathFramingParams, ethernet: EthernetFramingParams): number[] {
  const mss = mssBytes(framing);
  const headerBytes = framing.ipv4HeaderBytes + framing.tcpHeaderBytes + framing.tcpTimestampOptionBytes;
  const n = Math.ceil(payloadBytes / mss);
  return Array.from({ length: n }, (_, i) => frameBytesForIpPacket(headerBytes + (i < n - 1 ? mss : payloadBytes - mss * (n - 1)), ethernet));
}

export function pathFrames(requestBytes: number, responseBytes: number, framing: PathFramingParams, ethernet: EthernetFramingParams): PathFrames {
  const dataHeaderBytes = framing.ipv4HeaderBytes + framing.tcpHeaderBytes + framing.tcpTimestampOptionBytes;
  return {
    synFrameBytes: frameBytesForIpPacket(framing.ipv4HeaderBytes + framing.tcpHeaderBytes + framing.tcpSynOptionBytes, ethernet),
    finFrameBytes: frameBytesForIpPacket(dataHeaderBytes, ethernet),
    requestFrames: segmentFrames(requestBytes, framing, ethernet),
    responseFrames: segmentFrames(responseBytes, framing, ethernet),
  };
}
