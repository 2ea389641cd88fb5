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
 * once per run, no closure per packet), and packets are pooled. The callbacks are closures over
 * the run's constant parts (made once per run, so V8 can specialise them to those objects); the
 * totals they update are fields of PathMonitors, not closure variables.
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

/** What the run drives: connections in, the stop rule. */
export interface PathTraffic {
  /** A new connection: it sends its SYN now. */
  open(conn: PathConnection): void;
  /** No connection will arrive any more. */
  endArrivals(): void;
  /** Stops the run if the window has closed, no connection will arrive and none is open. */
  maybeStop(): void;
  /** The core a flow's packets are handled on: the one its RX queue is pinned to (RFS-like). */
  coreOfFlow(id: number): number;
  /** Connections opened and not yet finished (closed or given up). */
  readonly active: number;
  readonly rx: NicRx<PathPacket>;
}

export function pathTraffic(o: PathTrafficOptions): PathTraffic {
  const { sim, cores, monitors: m, frames, dataCost, finCost, ingressCost, connections, durationNs } = o;
  const ct = o.conntrack;
  const { enterNode, leaveNode, account } = m;
  const { touch: ctTouch, open: ctOpen, close: ctClose } = ct;
  const rto = o.retransmission;
  const wireNs = o.remote.wireOneWayNs;
  const turnaroundNs = o.remote.turnaroundNs;
  const maxBacklog = o.maxBacklogPackets;
  const wakeupNs = o.appWakeupNs;
  const nic = o.nic;
  const queueCount = nic.queueCount(cores.coreCount);
  const backlog = new Int32Array(cores.coreCount);
  const pool = new PacketPool();
  // Mutable run state is kept in an object, not in `let` closure variables: the callbacks then
  // read only constants from their context, which V8 compiles to faster code.
  const state = { active: 0, arrivalsDone: false };

  const maybeStop = (): void => {
    if (state.arrivalsDone && state.active === 0 && !m.windowOpen && sim.nowNs >= durationNs) sim.stop();
  };

  // ---- connections ---------------------------------------------------------------------------------

  const sendMessage = (conn: PathConnection, kind: PacketKind): void => {
    const nowNs = sim.nowNs;
    conn.txKind = kind;
    conn.lastTxDoneNs = 0;
    if (kind === REQUEST) {
      conn.msgStartNs = nowNs;
      conn.pendingTx = frames.requestFrames.length;
      for (const frame of frames.requestFrames) egress(pool.get(conn, REQUEST, frame));
    } else {
      conn.pendingTx = 1;
      egress(pool.get(conn, kind, kind === SYN ? frames.synFrameBytes : frames.finFrameBytes));
    }
  };

  /** The client application, woken by the answer, sends its next message. */
  const sendNext = (arg: unknown): void => {
    const conn = arg as PathConnection;
    if (conn.failed) return;
    sendMessage(conn, conn.requestsLeft > 0 ? REQUEST : FIN);
  };

  const finish = (conn: PathConnection): void => {
    if (conn.done) return;
    conn.done = true;
    state.active--;
    maybeStop();
  };

  // ---- egress: client pod -> input backlog -> softirq -> TX link ------------------------------------

  const egress = (p: PathPacket): void => {
    enterNode(p, sim.nowNs);
    const core = p.conn.core;
    if (backlog[core]! >= maxBacklog) {
      leaveNode(p, sim.nowNs);
      if (p.inWindow) m.droppedCpuBacklog++;
      dropped(p);
      return;
    }
    backlog[core]!++;
    cores.acquire(core, egressStart, p, SOFTIRQ_PRIORITY);
  };

  /** The flow's core is ours: conntrack, the datapath's work, then the packet is forwarded. */
  const egressStart = (core: number, p: PathPacket): void => {
    backlog[core]!--;
    const conn = p.conn;
    let cost: StagedCost;
    if (p.kind === SYN) {
      cost = conn.synCost;
      if (!ctOpen(conn.id)) p.ctDropped = true;
    } else if (p.kind === REQUEST) {
      cost = dataCost;
      if (!ctTouch(conn.id)) p.ctDropped = true;
    } else {
      cost = finCost;
      if (!ctTouch(conn.id)) p.ctDropped = true;
      else ctClose(conn.id);
    }
    account(cost, core);
    const ns = cores.workNs(core, cost.work);
    cores.chargeNs(core, ns);
    sim.schedule(ns, egressDone, p);
  };

  const egressDone = (arg: unknown): void => {
    const p = arg as PathPacket;
    const conn = p.conn;
    cores.release(conn.core);
    if (!nodeWorkDone(p)) return;
    const nowNs = sim.nowNs;
    const doneNs = tx.send(tx.queueForCore(conn.core), p.frameBytes, nowNs);
    if (doneNs < 0) {
      // The TX queue (ring + qdisc) is full: the qdisc drops it, TCP retransmits after the RTO.
      if (p.inWindow) m.droppedTxQueue++;
      dropped(p);
      return;
    }
    pool.put(p);
    if (doneNs > conn.lastTxDoneNs) conn.lastTxDoneNs = doneNs;
    if (--conn.pendingTx === 0 && !conn.failed) {
      const backNs = conn.lastTxDoneNs + wireNs + turnaroundNs[conn.txKind]! + wireNs;
      sim.schedule(Math.max(0, Math.round(backNs) - nowNs), remoteReply, conn);
    }
  };

  /** A packet's work on this node is over: count it; false if conntrack dropped it. */
  const nodeWorkDone = (p: PathPacket): boolean => {
    leaveNode(p, sim.nowNs);
    m.processedPacket();
    if (!p.ctDropped) return true;
    if (p.inWindow) m.droppedConntrackFull++;
    dropped(p);
    return false;
  };

  // ---- ingress: the remote node's answer -> NIC RX -> NAPI -> the client's socket -------------------

  /** The remote node's answer reaches the client node's NIC. */
  const remoteReply = (arg: unknown): void => {
    const conn = arg as PathConnection;
    if (conn.failed) return;
    if (conn.txKind === REQUEST) {
      conn.pendingRx = frames.responseFrames.length;
      for (const frame of frames.responseFrames) receive(pool.get(conn, RESPONSE, frame));
    } else {
      conn.pendingRx = 1;
      const syn = conn.txKind === SYN;
      receive(pool.get(conn, syn ? SYN_ACK : FIN_ACK, syn ? frames.synFrameBytes : frames.finFrameBytes));
    }
  };

  const receive = (p: PathPacket): void => {
    enterNode(p, sim.nowNs);
    rx.receive(p);
  };

  /** NAPI's work for one packet on `core`: conntrack (reply direction) and the ingress stages. */
  const ingressWork = (p: PathPacket, core: number): Work => {
    if (!ctTouch(p.conn.id)) p.ctDropped = true;
    account(ingressCost, core);
    return ingressCost.work;
  };

  const rxDropped = (p: PathPacket, reason: NicDropReason): void => {
    leaveNode(p, sim.nowNs);
    if (p.inWindow) {
      if (reason === 'rx-ring-full') m.droppedRxRing++;
      else m.droppedHostBacklog++;
    }
    dropped(p);
  };

  /** NAPI is done with a packet: it reaches the client's socket. */
  const ingressDone = (p: PathPacket): void => {
    if (!nodeWorkDone(p)) return;
    const conn = p.conn;
    const kind = p.kind;
    pool.put(p);
    if (conn.failed || --conn.pendingRx > 0) return;
    const nowNs = sim.nowNs;
    if (kind === SYN_ACK) {
      if (conn.recorded) m.firstRtt.record(nowNs - conn.startNs);
      sim.schedule(wakeupNs, sendNext, conn);
    } else if (kind === RESPONSE) {
      if (conn.recorded) m.estRtt.record(nowNs - conn.msgStartNs);
      conn.requestsLeft--;
      sim.schedule(wakeupNs, sendNext, conn);
    } else {
      if (conn.recorded) {
        m.openTimeNs += nowNs - conn.startNs;
        m.openTimeCount++;
      }
      finish(conn);
    }
  };

  // ---- drops and retransmission ---------------------------------------------------------------------

  const dropped = (p: PathPacket): void => {
    const conn = p.conn;
    if (conn.failed) return;
    const drops = ++p.drops;
    if (rto.givesUp(drops)) {
      conn.failed = true;
      if (conn.recorded) m.failed++;
      finish(conn);
      return;
    }
    sim.schedule(rto.rtoNs(isHandshakeKind(p.kind), drops), retransmit, p);
  };

  const retransmit = (arg: unknown): void => {
    const p = arg as PathPacket;
    const conn = p.conn;
    if (conn.failed) return;
    if (m.windowOpen) m.retransmissions[p.kind]!++;
    if (conn.recorded && !conn.retransmitted) m.retried++;
    conn.retransmitted = true;
    p.ctDropped = false;
    if (isEgressKind(p.kind)) egress(p);
    else receive(p);
  };

  // ---- the NIC ------------------------------------------------------------------------------------
  // virtio: one vhost thread per queue pair serves both directions.
  const vhostThreads = nic.virtio === undefined ? undefined : new VhostThreads(queueCount, nic.virtio);
  const rx = new NicRx<PathPacket>({
    nic,
    cores,
    queueCount,
    ...(vhostThreads === undefined ? {} : { vhostThreads }),
    perPacketWork: ingressWork,
    onDelivered: ingressDone,
    onDropped: rxDropped,
  });
  const tx = new NicTx(nic, queueCount, nic.txQueue, vhostThreads);

  return {
    open(conn: PathConnection): void {
      connections.push(conn);
      state.active++;
      sendMessage(conn, SYN);
    },
    endArrivals(): void {
      state.arrivalsDone = true;
      maybeStop();
    },
    maybeStop,
    coreOfFlow: (id: number): number => rx.rss.coreForQueue(rx.rss.queueForFlow(id)),
    get active(): number {
      return state.active;
    },
    rx,
  };
}
