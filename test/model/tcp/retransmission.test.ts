/**
 * The retransmission timer against RFC 6298's rules: the first wait is the base RTO of the packet's
 * kind, each later wait doubles (§5.5), and a connection gives up after its retransmissions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibrated } from '../../../model/calibration/index.ts';
import { defaultRetransmissionParams, RetransmissionPolicy } from '../../../model/tcp/index.ts';

describe('RetransmissionPolicy', () => {
  it('defaults: SYN and SYN-ACK wait the initial RTO, data and FIN the minimum RTO (the calibration rows)', () => {
    const p = new RetransmissionPolicy();
    expect(p.rtoNs(true, 1)).toBe(calibrated('conntrack.synInitialRtoSec') * 1e9);
    expect(p.rtoNs(false, 1)).toBe(calibrated('datapath.tcpRtoMinSec') * 1e9);
    expect(p.retries).toBe(calibrated('conntrack.synRetries'));
  });

  it('each wait doubles the previous one, and the waits before giving up sum to (2^retries - 1) base RTOs (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 10, noNaN: true }), fc.double({ min: 1e-3, max: 10, noNaN: true }), fc.integer({ min: 0, max: 10 }), (initialRtoSec, dataRtoSec, retries) => {
        const p = new RetransmissionPolicy({ initialRtoSec, dataRtoSec, retries });
        for (const handshake of [true, false]) {
          let total = 0;
          let drops = 1;
          for (; !p.givesUp(drops); drops++) {
            if (drops > 1) expect(p.rtoNs(handshake, drops)).toBe(2 * p.rtoNs(handshake, drops - 1));
            total += p.rtoNs(handshake, drops);
          }
          // A packet is sent 1 + retries times; the last drop ends the connection.
          expect(drops).toBe(retries + 1);
          expect(total).toBe((2 ** retries - 1) * p.rtoNs(handshake, 1));
        }
      }),
      { numRuns: 200, seed: 12 },
    );
  });

  it('bad parameters name the field, the value and what is allowed', () => {
    const d = defaultRetransmissionParams;
    expect(() => new RetransmissionPolicy({ ...d, initialRtoSec: 0 })).toThrow(/retransmission\.initialRtoSec must be a finite number of seconds > 0, got 0/);
    expect(() => new RetransmissionPolicy({ ...d, dataRtoSec: Number.NaN })).toThrow(/retransmission\.dataRtoSec/);
    expect(() => new RetransmissionPolicy({ ...d, retries: 1.5 })).toThrow(/retransmission\.retries must be an integer >= 0, got 1.5/);
  });
});
