/**
 * The packets' journey through the client node, and the connections that send them.
 *
 *   SYN, request segment, FIN (egress): client pod -veth-> per-CPU input backlog (drop-tail at
 *     netdev_max_backlog) -> softirq on the flow's core: conntrack, Service lookup / DNAT or BPF,
 *     forward -> NIC TX queue (ring + qdisc; full: dropped) -> wire -> remote node
 *   SYN-ACK, response segment, FIN-ACK (ingress): remote node -> wire -> NicRx (serialisation, RX
 *     ring, interrupt moderation, NAPI on the queue's core): conntrack (reply), reverse NAT,
 *     forward -> veth or bpf_redirect_peer -> client socket
 *
 * A connection sends its SYN, then K requests one after the other (each after the application's
 * wake-up that follows the previous response), then FIN. When a message's last segment has left
 * the TX link, the remote node answers after the wire and its turnaround (remoteNode.ts). A packet
 * dropped anywhere on the node (input backlog, RX ring or host backlog, conntrack full, TX queue)
 * is retransmitted after the RTO (model/tcp), until its connection gives up.
 *
 * Hot path: the engine calls back with the packet or connection as the argument (callbacks made
 * once per run, no closure per packet), and packets are pooled.
 */
import { SOFTIRQ_PRIORITY, type CpuCores } from '../cpu/cpuCores.ts';
import type { Work } from '../cpu/workCost.ts';
import type { Simulation } from '../engine/index.ts';
import type { NicModel } from '../nic/nicModel.ts';
import { NicRx, type NicDropReason } from '../nic/nicRx.ts';
import { NicTx } from '../nic/nicTx.ts';
import { VhostThreads } from '../nic/vhostThreads.ts';
import type { RetransmissionPolicy } from '../tcp/retransmission.ts';
import type { StagedCost } from './packetCosts.ts';
import type { PathConntrack } from './pathConntrack.ts';
import type { PathMonitors } from './pathMonitors.ts';
import { isEgressKind, isHandshakeKind, PACKET_KIND, PacketPool, type PacketKind, type PathConnection, type PathPacket } from './pathPackets.ts';
import type { RemoteNodeDelays } from './remoteNode.ts';
import type { PathFrames } from './segmentFrames.ts';

const { syn: SYN, request: REQUEST, synAck: SYN_ACK, response: RESPONSE, finAck: FIN_ACK, fin: FIN } = PACKET_KIND;

export interface PathTrafficOptions {
  readonly sim: Simulation;
  readonly cores: CpuCores;
  readonly nic: NicModel;
  readonly conntrack: PathConntrack;
  readonly monitors: PathMonitors;
  readonly retransmission: RetransmissionPolicy;
  readonly frames: PathFrames;
  readonly remote: RemoteNodeDelays;
  /** Work of a request segment and of a FIN on the way out, and of any packet on the way in. */
  readonly dataCost: StagedCost;
  readonly finCost: StagedCost;
  readonly ingressCost: StagedCost;
  /** Per-core input backlog (netdev_max_backlog), packets. */
  readonly maxBacklogPackets: number;
  /** Data in the client's socket to the client sending its next message, ns (integer). */
  readonly appWakeupNs: number;
  /** End of the measured window: the run stops once it is over and every connection has finished, ns. */
  readonly durationNs: number;
  /** The run's connections, by id (shared with whoever needs to look one up). */
  readonly connections: PathConnection[];
}

export class PathTraffic {
  readonly rx: NicRx<PathPacket>;
  /** Connections opened and not yet finished (closed or given up). */
  active = 0;
  private arrivalsDone = false;
  private readonly tx: NicTx;
  private readonly backlog: Int32Array;
  private readonly pool = new PacketPool();
  private readonly sim: Simulation;
  private readonly cores: CpuCores;
  private readonly ct: PathConntrack;
  private readonly monitors: PathMonitors;
  private readonly rto: RetransmissionPolicy;
  private readonly frames: PathFrames;
  private readonly wireNs: number;
  private readonly turnaroundNs: readonly number[];
  private readonly dataCost: StagedCost;
  private readonly finCost: StagedCost;
  private readonly ingressCost: StagedCost;
  private readonly maxBacklog: number;
  private readonly wakeupNs: number;
  private readonly durationNs: number;
  private readonly connections: PathConnection[];

  // Engine callbacks, made once.
  private readonly egressStartFn = (core: number, p: PathPacket): void => this.egressStart(core, p);
  private readonly egressDoneFn = (arg: unknown): void => this.egressDone(arg as PathPacket);
  private readonly remoteReplyFn = (arg: unknown): void => this.remoteReply(arg as PathConnection);
  private readonly sendNextFn = (arg: unknown): void => this.sendNext(arg as PathConnection);
  private readonly retransmitFn = (arg: unknown): void => this.retransmit(arg as PathPacket);

  constructor(o: PathTrafficOptions) {
    this.sim = o.sim;
    this.cores = o.cores;
    this.ct = o.conntrack;
    this.monitors = o.monitors;
    this.rto = o.retransmission;
    this.frames = o.frames;
    this.wireNs = o.remote.wireOneWayNs;
    this.turnaroundNs = o.remote.turnaroundNs;
    this.dataCost = o.dataCost;
    this.finCost = o.finCost;
    this.ingressCost = o.ingressCost;
    this.maxBacklog = o.maxBacklogPackets;
    this.wakeupNs = o.appWakeupNs;
    this.durationNs = o.durationNs;
    this.connections = o.connections;
    const nic = o.nic;
    const queueCount = nic.queueCount(o.cores.coreCount);
    // virtio: one vhost thread per queue pair serves both directions.
    const vhostThreads = nic.virtio === undefined ? undefined : new VhostThreads(queueCount, nic.virtio);
    this.rx = new NicRx<PathPacket>({
      nic,
      cores: o.cores,
      queueCount,
      ...(vhostThreads === undefined ? {} : { vhostThreads }),
      perPacketWork: (p: PathPacket, core: number) => this.ingressWork(p, core),
      onDelivered: (p: PathPacket) => this.ingressDone(p),
      onDropped: (p: PathPacket, reason: NicDropReason) => this.rxDropped(p, reason),
    });
    this.tx = new NicTx(nic, queueCount, nic.txQueue, vhostThreads);
    this.backlog = new Int32Array(o.cores.coreCount);
  }

  /** The core a flow's packets are handled on: the one its RX queue is pinned to (RFS-like). */
  coreOfFlow(id: number): number {
    return this.rx.rss.coreForQueue(this.rx.rss.queueForFlow(id));
  }

  /** A new connection: it sends its SYN now. */
  open(conn: PathConnection): void {
    this.connections.push(conn);
    this.active++;
    this.sendMessage(conn, SYN);
  }

  /** No connection will arrive any more. */
  endArrivals(): void {
    this.arrivalsDone = true;
    this.maybeStop();
  }

  /** The run ends when the window has closed, no connection will arrive and none is open. */
  maybeStop(): void {
    if (this.arrivalsDone && this.active === 0 && !this.monitors.windowOpen && this.sim.nowNs >= this.durationNs) this.sim.stop();
  }

  // ---- connections ---------------------------------------------------------------------------------

  private sendMessage(conn: PathConnection, kind: PacketKind): void {
    const nowNs = this.sim.nowNs;
    conn.txKind = kind;
    conn.lastTxDoneNs = 0;
    if (kind === REQUEST) {
      conn.msgStartNs = nowNs;
      const frames = this.frames.requestFrames;
      conn.pendingTx = frames.length;
      for (const frame of frames) this.egress(this.pool.get(conn, REQUEST, frame));
    } else {
      conn.pendingTx = 1;
      this.egress(this.pool.get(conn, kind, kind === SYN ? this.frames.synFrameBytes : this.frames.finFrameBytes));
    }
  }

  private sendNext(conn: PathConnection): void {
    if (conn.failed) return;
    this.sendMessage(conn, conn.requestsLeft > 0 ? REQUEST : FIN);
  }

  private finish(conn: PathConnection): void {
    if (conn.done) return;
    conn.done = true;
    this.active--;
    this.maybeStop();
  }

  // ---- egress: client pod -> input backlog -> softirq -> TX link ------------------------------------

  private egress(p: PathPacket): void {
    this.monitors.enterNode(p, this.sim.nowNs);
    const core = p.conn.core;
    if (this.backlog[core]! >= this.maxBacklog) {
      const m = this.monitors;
      m.leaveNode(p, this.sim.nowNs);
      if (p.inWindow) m.droppedCpuBacklog++;
      this.dropped(p);
      return;
    }
    this.backlog[core]!++;
    this.cores.acquire(core, this.egressStartFn, p, SOFTIRQ_PRIORITY);
  }

  private egressStart(core: number, p: PathPacket): void {
    this.backlog[core]!--;
    const conn = p.conn;
    let cost: StagedCost;
    if (p.kind === SYN) {
      cost = conn.synCost;
      if (!this.ct.open(conn.id)) p.ctDropped = true;
    } else if (p.kind === REQUEST) {
      cost = this.dataCost;
      if (!this.ct.touch(conn.id)) p.ctDropped = true;
    } else {
      cost = this.finCost;
      if (!this.ct.touch(conn.id)) p.ctDropped = true;
      else this.ct.close(conn.id);
    }
    this.monitors.account(cost, core);
    const cores = this.cores;
    const ns = cores.workNs(core, cost.work);
    cores.chargeNs(core, ns);
    this.sim.schedule(ns, this.egressDoneFn, p);
  }

  private egressDone(p: PathPacket): void {
    const conn = p.conn;
    this.cores.release(conn.core);
    if (!this.nodeWorkDone(p)) return;
    const nowNs = this.sim.nowNs;
    const doneNs = this.tx.send(this.tx.queueForCore(conn.core), p.frameBytes, nowNs);
    if (doneNs < 0) {
      // The TX queue (ring + qdisc) is full: the qdisc drops it, TCP retransmits after the RTO.
      if (p.inWindow) this.monitors.droppedTxQueue++;
      this.dropped(p);
      return;
    }
    this.pool.put(p);
    if (doneNs > conn.lastTxDoneNs) conn.lastTxDoneNs = doneNs;
    if (--conn.pendingTx === 0 && !conn.failed) {
      const backNs = conn.lastTxDoneNs + this.wireNs + this.turnaroundNs[conn.txKind]! + this.wireNs;
      this.sim.schedule(Math.max(0, Math.round(backNs) - nowNs), this.remoteReplyFn, conn);
    }
  }

  /** A packet's work on this node is over: count it; false if conntrack dropped it. */
  private nodeWorkDone(p: PathPacket): boolean {
    const m = this.monitors;
    m.leaveNode(p, this.sim.nowNs);
    m.processedPacket();
    if (!p.ctDropped) return true;
    if (p.inWindow) m.droppedConntrackFull++;
    this.dropped(p);
    return false;
  }

  // ---- ingress: the remote node's answer -> NIC RX -> NAPI -> the client's socket -------------------

  /** The remote node's answer reaches the client node's NIC. */
  private remoteReply(conn: PathConnection): void {
    if (conn.failed) return;
    if (conn.txKind === REQUEST) {
      const frames = this.frames.responseFrames;
      conn.pendingRx = frames.length;
      for (const frame of frames) this.receive(this.pool.get(conn, RESPONSE, frame));
    } else {
      conn.pendingRx = 1;
      const syn = conn.txKind === SYN;
      this.receive(this.pool.get(conn, syn ? SYN_ACK : FIN_ACK, syn ? this.frames.synFrameBytes : this.frames.finFrameBytes));
    }
  }

  private receive(p: PathPacket): void {
    this.monitors.enterNode(p, this.sim.nowNs);
    this.rx.receive(p);
  }

  /** NAPI's work for one packet on `core`: conntrack (reply direction) and the ingress stages. */
  private ingressWork(p: PathPacket, core: number): Work {
    if (!this.ct.touch(p.conn.id)) p.ctDropped = true;
    this.monitors.account(this.ingressCost, core);
    return this.ingressCost.work;
  }

  private rxDropped(p: PathPacket, reason: NicDropReason): void {
    const m = this.monitors;
    m.leaveNode(p, this.sim.nowNs);
    if (p.inWindow) {
      if (reason === 'rx-ring-full') m.droppedRxRing++;
      else m.droppedHostBacklog++;
    }
    this.dropped(p);
  }

  private ingressDone(p: PathPacket): void {
    if (!this.nodeWorkDone(p)) return;
    const conn = p.conn;
    const kind = p.kind;
    this.pool.put(p);
    if (conn.failed || --conn.pendingRx > 0) return;
    const nowNs = this.sim.nowNs;
    const m = this.monitors;
    if (kind === SYN_ACK) {
      if (conn.recorded) m.firstRtt.record(nowNs - conn.startNs);
      this.sim.schedule(this.wakeupNs, this.sendNextFn, conn);
    } else if (kind === RESPONSE) {
      if (conn.recorded) m.estRtt.record(nowNs - conn.msgStartNs);
      conn.requestsLeft--;
      this.sim.schedule(this.wakeupNs, this.sendNextFn, conn);
    } else {
      if (conn.recorded) {
        m.openTimeNs += nowNs - conn.startNs;
        m.openTimeCount++;
      }
      this.finish(conn);
    }
  }

  // ---- drops and retransmission ---------------------------------------------------------------------

  private dropped(p: PathPacket): void {
    const conn = p.conn;
    if (conn.failed) return;
    const drops = ++p.drops;
    if (p.kind === SYN && !conn.retried) {
      conn.retried = true;
      if (conn.recorded) this.monitors.retried++;
    }
    if (this.rto.givesUp(drops)) {
      conn.failed = true;
      if (conn.recorded) this.monitors.failed++;
      this.finish(conn);
      return;
    }
    this.sim.schedule(this.rto.rtoNs(isHandshakeKind(p.kind), drops), this.retransmitFn, p);
  }

  private retransmit(p: PathPacket): void {
    if (p.conn.failed) return;
    p.ctDropped = false;
    if (isEgressKind(p.kind)) this.egress(p);
    else this.receive(p);
  }
}
