/**
 * The simulated connections and packets of a path run. A connection sends one message at a time
 * (SYN, a request, FIN) and waits for the answer (SYN-ACK, the response, FIN-ACK); a message is
 * one or more packets (segments). Packets are pooled: a packet whose journey is over is reused for
 * the next one, so a run allocates about as many packets as are in flight at once.
 */
import type { NicPacket } from '../nic/nicPacket.ts';
import { CAUSE_COUNT } from './latencyCauses.ts';
import type { StagedCost } from './packetCosts.ts';

/**
 * Packet kinds, as small integers (a packet's kind is read on every hop). The first three leave
 * the client pod (egress), the last three come back (ingress).
 */
export const PACKET_KIND = Object.freeze({ syn: 0, request: 1, fin: 2, synAck: 3, response: 4, finAck: 5 } as const); // calibration-exempt: codes, not quantities
export type PacketKind = (typeof PACKET_KIND)[keyof typeof PACKET_KIND];

/** True for the kinds that leave the client pod (SYN, request segment, FIN). */
export const isEgressKind = (kind: PacketKind): boolean => kind <= PACKET_KIND.fin;
/** True for SYN and SYN-ACK, which retransmit on the initial RTO. */
export const isHandshakeKind = (kind: PacketKind): boolean => kind === PACKET_KIND.syn || kind === PACKET_KIND.synAck;

export class PathConnection {
  requestsLeft: number;
  msgStartNs = 0;
  /** Segments of the outgoing message not yet handed to the TX link. */
  pendingTx = 0;
  lastTxDoneNs = 0;
  /** Kind of the message being sent (an egress kind). */
  txKind: PacketKind = PACKET_KIND.syn;
  /** Segments of the incoming message not yet delivered. */
  pendingRx = 0;
  failed = false;
  done = false;
  /** A packet of this connection has been sent again after a drop. */
  retransmitted = false;
  /** The current message's latency causes: its critical outgoing segment, and the wire and remote node (latencyCauses.ts). */
  readonly egressCauses = new Float64Array(CAUSE_COUNT);
  readonly remoteCauses = new Float64Array(CAUSE_COUNT);
  constructor(
    readonly id: number,
    /** The core its flow's RX queue is pinned to: egress softirq runs there too. */
    readonly core: number,
    /** Opened in the measured window (its latencies count). */
    readonly recorded: boolean,
    readonly startNs: number,
    /** Its SYN's work (for iptables, with its Service's position in KUBE-SERVICES). */
    readonly synCost: StagedCost,
    requests: number,
  ) {
    this.requestsLeft = requests;
  }
}

export class PathPacket implements NicPacket {
  /** Times this packet has been dropped. */
  drops = 0;
  enteredNs = 0;
  /** Offered to the node while the measured window was open (its drop counts). */
  inWindow = false;
  ctDropped = false;
  /** First offered to the node (before any retransmission), ns. */
  firstNs = 0;
  /** Entered its RX ring, ns (set by the NIC model). */
  ringNs = 0;
  /** Its work started on a core, ns. */
  workStartNs = 0;
  /** On a VM's host before the guest's ring: waiting for the port, the host NIC's interrupt, host wake-ups, ns (set by NicRx). */
  hostWireNs = 0;
  hostModerationNs = 0;
  hostWakeNs = 0;
  /** Its latency causes so far (latencyCauses.ts). */
  readonly causes = new Float64Array(CAUSE_COUNT);
  constructor(
    public conn: PathConnection,
    public kind: PacketKind,
    public frameBytes: number,
  ) {}
  /** Makes a finished packet a new one. */
  reuse(conn: PathConnection, kind: PacketKind, frameBytes: number): this {
    this.conn = conn;
    this.kind = kind;
    this.frameBytes = frameBytes;
    this.drops = 0;
    this.enteredNs = 0;
    this.inWindow = false;
    this.ctDropped = false;
    this.firstNs = 0;
    this.ringNs = 0;
    this.workStartNs = 0;
    this.hostWireNs = 0;
    this.hostModerationNs = 0;
    this.hostWakeNs = 0;
    this.causes.fill(0);
    return this;
  }
  get flowId(): number {
    return this.conn.id;
  }
}

/** Finished packets, reused by the next ones. */
export class PacketPool {
  private readonly free: PathPacket[] = [];
  get(conn: PathConnection, kind: PacketKind, frameBytes: number): PathPacket {
    return this.free.pop()?.reuse(conn, kind, frameBytes) ?? new PathPacket(conn, kind, frameBytes);
  }
  /** `p`'s journey is over: no event holds it any more. */
  put(p: PathPacket): void {
    this.free.push(p);
  }
}
