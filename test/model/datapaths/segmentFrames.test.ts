/**
 * Segments and frames: a message is cut into full MSS-sized segments and one remainder, every
 * frame is the segment plus IPv4, TCP (with timestamps) and Ethernet headers, padded to the
 * Ethernet minimum, and no frame exceeds MTU + Ethernet header + FCS.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPathFramingParams } from '../../../model/datapaths/index.ts';
import { mssBytes, pathFrames, segmentFrames } from '../../../model/datapaths/segmentFrames.ts';
import { defaultEthernetFramingParams } from '../../../model/nic/index.ts';

const f = defaultPathFramingParams;
const eth = defaultEthernetFramingParams;
const headerBytes = f.ipv4HeaderBytes + f.tcpHeaderBytes + f.tcpTimestampOptionBytes + eth.ethernetHeaderBytes + eth.fcsBytes;

describe('segmentFrames', () => {
  it('payloads add up to the message; all segments but the last are full; frames fit the MTU (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (payloadBytes) => {
        const frames = segmentFrames(payloadBytes, f, eth);
        const mss = mssBytes(f);
        expect(frames.length).toBe(Math.ceil(payloadBytes / mss));
        const payloads = frames.map((frame) => frame - headerBytes);
        // Padding to the Ethernet minimum only ever adds to a short last segment.
        const last = payloads.length - 1;
        for (let i = 0; i < last; i++) expect(payloads[i]).toBe(mss);
        expect(payloads[last]!).toBeGreaterThanOrEqual(payloadBytes - mss * last);
        if (frames[last]! > eth.minFrameBytes) expect(payloads[last]).toBe(payloadBytes - mss * last);
        for (const frame of frames) expect(frame).toBeLessThanOrEqual(f.mtuBytes + eth.ethernetHeaderBytes + eth.fcsBytes);
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('SYN carries the handshake options and FIN only headers', () => {
    const p = pathFrames(100, 100, f, eth);
    expect(p.synFrameBytes).toBe(Math.max(eth.minFrameBytes, f.ipv4HeaderBytes + f.tcpHeaderBytes + f.tcpSynOptionBytes + eth.ethernetHeaderBytes + eth.fcsBytes));
    expect(p.finFrameBytes).toBe(Math.max(eth.minFrameBytes, headerBytes));
  });
});
