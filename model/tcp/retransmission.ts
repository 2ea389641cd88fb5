/**
 * TCP's retransmission timer as the models use it. A dropped packet is sent again after the
 * retransmission timeout (RTO); each further drop of the same packet doubles the wait (exponential
 * back-off, RFC 6298 §5.5); after `retries` retransmissions of one packet the connection gives up.
 * SYN and SYN-ACK wait the initial RTO (1 s, RFC 6298 §2.1: the handshake has no RTT sample yet);
 * data segments and FIN wait Linux's TCP_RTO_MIN (on a sub-millisecond RTT the computed RTO is
 * clamped to it). The retry count is tcp_syn_retries; the model uses it for every packet kind.
 *
 * One policy for the two simulations that retransmit: simulateConntrack (SYNs refused by a full
 * table) and simulatePath (every packet kind, whatever dropped it).
 */
import { calibratedParams } from '../calibration/index.ts';
import { secToNs } from '../units.ts';

export interface RetransmissionParams {
  /** Wait before the first retransmission of a SYN or SYN-ACK, s. */
  readonly initialRtoSec: number;
  /** Wait before the first retransmission of a data segment or FIN, s. */
  readonly dataRtoSec: number;
  /** Retransmissions of one packet before the connection gives up. */
  readonly retries: number;
}

export const defaultRetransmissionParams: RetransmissionParams = calibratedParams({
  initialRtoSec: 'conntrack.synInitialRtoSec',
  dataRtoSec: 'datapath.tcpRtoMinSec',
  retries: 'conntrack.synRetries',
});

export function checkRetransmissionParams(p: RetransmissionParams): void {
  for (const field of ['initialRtoSec', 'dataRtoSec'] as const) {
    const v = p[field];
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`retransmission.${field} must be a finite number of seconds > 0, got ${v}`);
  }
  if (!Number.isSafeInteger(p.retries) || p.retries < 0) throw new RangeError(`retransmission.retries must be an integer >= 0, got ${p.retries}`);
}

/** The timer's arithmetic on the engine's integer nanoseconds. */
export class RetransmissionPolicy {
  /** The base waits, rounded to whole ns once (doubling keeps them whole). */
  readonly initialRtoNs: number;
  readonly dataRtoNs: number;
  readonly retries: number;

  constructor(readonly params: RetransmissionParams = defaultRetransmissionParams) {
    checkRetransmissionParams(params);
    this.initialRtoNs = Math.round(secToNs(params.initialRtoSec));
    this.dataRtoNs = Math.round(secToNs(params.dataRtoSec));
    this.retries = params.retries;
  }

  /**
   * The wait after a packet's `drops`-th drop (1 = its first), ns: the base RTO of its kind
   * (`handshake`: SYN or SYN-ACK) doubled once for every earlier drop.
   */
  rtoNs(handshake: boolean, drops: number): number {
    return (handshake ? this.initialRtoNs : this.dataRtoNs) * 2 ** (drops - 1);
  }

  /** True when a packet dropped `drops` times has no retransmission left: the connection gives up. */
  givesUp(drops: number): boolean {
    return drops > this.retries;
  }
}
