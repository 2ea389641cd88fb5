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
 * A connection sends its SYN, then K requests one after the other (each after the client
 * application's wake-up, drawn per message, that follows the previous response), then FIN. When a
 * message's last segment has left the TX link, the remote node answers after the wire and its
 * turnaround (remoteNode.ts). A packet dropped anywhere on the node (input backlog, RX ring or host
 * backlog, conntrack full, TX queue) or lost on the wire (random loss, each direction) is
 * retransmitted after the RTO (model/tcp), until its connection gives up. A lost segment of a
 * message followed by at least three later segments is resent by fast retransmit (three duplicate
 * ACKs) one round trip later instead; tail loss probes and RACK are not modelled, so a lost last
 * segment waits for the RTO.
 *
 * A guest NIC (`vmHost`, model/hypervisor) adds the VM boundary on both ways: a kick (VM exit) when
 * the guest hands a frame to an idle host worker, the worker's wake-up and work, the host's port (or
 * a VF's pipeline); on the way in, the host's port, NIC moderation, core wake-up and stack, the
 * worker, and the interrupt's delivery into the vCPU; the vCPUs' wake-ups replace C-state exits.
 *
 * Cores sleep between packets (the idle governor in CpuCores); the first packet's Service lookup
 * finds its structures partly displaced from the cache since its last use (cacheWarmth.ts) and pays
 * for the cold part; NAPI shares the NET_RX budget and hands over to ksoftirqd. Each message's RTT
 * is split into causes along its critical path as it happens (latencyCauses.ts).
 *
 * Hot path: the engine calls back with the packet or connection as the argument (callbacks made
 * once per run, no closure per packet), and packets are pooled. The callbacks are closures over
 * the run's constant parts (made once per run, so V8 can specialise them to those objects); the
 * totals they update are fields of PathMonitors, not closure variables.
 */
import { SOFTIRQ_PRIORITY, type CpuCores } from '../cpu/cpuCores.ts';
import type { Work } from '../cpu/workCost.ts';
import type { Simulation } from '../engine/index.ts';
import type { CacheWarmth } from '../lookup/cacheWarmth.ts';
import type { NapiPoll } from '../nic/napiPoll.ts';
import type { NetRxSoftirq } from '../nic/netRxSoftirq.ts';
import { NS_PER_SEC } from '../units.ts';
import { CAUSE } from './latencyCauses.ts';
import type { NicModel } from '../nic/nicModel.ts';
import { NicRx, type NicDropReason } from '../nic/nicRx.ts';
import { NicTx } from '../nic/nicTx.ts';
import { VhostThreads } from '../nic/vhostThreads.ts';
import type { VmHost } from '../hypervisor/vmHost.ts';
import type { RetransmissionPolicy } from '../tcp/retransmission.ts';
import { STAGE_INDEX, type StagedCost } from './packetCosts.ts';
import type { PathConntrack } from './pathConntrack.ts';
import type { PathMonitors } from './pathMonitors.ts';
import { isEgressKind, isHandshakeKind, PACKET_KIND, PacketPool, type PacketKind, type PathConnection, type PathPacket } from './pathPackets.ts';
import type { RemoteNode } from './remoteNode.ts';
import type { PathFrames } from './segmentFrames.ts';

const { syn: SYN, request: REQUEST, synAck: SYN_ACK, response: RESPONSE, finAck: FIN_ACK, fin: FIN } = PACKET_KIND;
const {
  idleExit: CAUSE_IDLE_EXIT, coreWait: CAUSE_CORE_WAIT, ksoftirqd: CAUSE_KSOFTIRQD, warmWalk: CAUSE_WARM_WALK, coldWalk: CAUSE_COLD_WALK,
  otherWork: CAUSE_OTHER_WORK, nicModeration: CAUSE_MODERATION, wire: CAUSE_WIRE, appWakeup: CAUSE_APP_WAKEUP, retransmission: CAUSE_RETRANSMISSION,
  vmExit: CAUSE_VM_EXIT, hostWakeup: CAUSE_HOST_WAKEUP, host: CAUSE_HOST, fabric: CAUSE_FABRIC,
} = CAUSE;
const LOOKUP = STAGE_INDEX.lookup;
const CONNECT = STAGE_INDEX.connect;
/** Duplicate ACKs that trigger a fast retransmit (RFC 5681 §3.2). */
const FAST_RETRANSMIT_DUPACKS = 3; // calibration-exempt: a protocol constant (RFC 5681), not a measurement

export interface PathTrafficOptions {
  readonly sim: Simulation;
  readonly cores: CpuCores;
  readonly nic: NicModel;
  readonly conntrack: PathConntrack;
  readonly monitors: PathMonitors;
  readonly retransmission: RetransmissionPolicy;
  readonly frames: PathFrames;
  readonly remote: RemoteNode;
  /** Work of a request segment and of a FIN on the way out, and of any packet on the way in. */
  readonly dataCost: StagedCost;
  readonly finCost: StagedCost;
  readonly ingressCost: StagedCost;
  /** Per-core input backlog (netdev_max_backlog), packets. */
  readonly maxBacklogPackets: number;
  /** The client application's wake-up after an answer, before it sends its next message, ns (integer draws). */
  readonly clientWakeupNs: () => number;
  /** The node's NET_RX budget and ksoftirqd hand-off. */
  readonly softirq: NetRxSoftirq;
  /** How cached the Service-lookup structures still are (one structure: id 0). */
  readonly warmth: CacheWarmth;
  /** Random loss on the wire, each direction, per packet. */
  readonly lossFraction: number;
  /** Uniform draws on [0, 1) deciding wire loss. */
  readonly lossDraw: () => number;
  /** End of the measured window: the run stops once it is over and every connection has finished, ns. */
  readonly durationNs: number;
  /** The run's connections, by id (shared with whoever needs to look one up). */
  readonly connections: PathConnection[];
  /** A guest NIC's host side (its VM boundary; the node's cores are its vCPUs); undefined for a physical NIC. */
  readonly vmHost: VmHost | undefined;
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
  const remote = o.remote;
  const wireNs = remote.wireOneWayNs;
  const maxBacklog = o.maxBacklogPackets;
  const clientWakeupNs = o.clientWakeupNs;
  const warmth = o.warmth;
  const loss = o.lossFraction;
  const lossDraw = o.lossDraw;
  const firstCauses = m.firstCauses;
  const estCauses = m.estCauses;
  const nic = o.nic;
  const vm = o.vmHost;
  const vcpu = vm?.vcpuIdle;
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

  /** A new packet (not a retransmission) starts its journey at `nowNs`. */
  const fresh = (p: PathPacket, nowNs: number): PathPacket => {
    p.firstNs = nowNs;
    return p;
  };

  const sendMessage = (conn: PathConnection, kind: PacketKind): void => {
    const nowNs = sim.nowNs;
    conn.txKind = kind;
    conn.lastTxDoneNs = 0;
    conn.msgStartNs = nowNs;
    conn.egressCauses.fill(0);
    conn.remoteCauses.fill(0);
    if (kind === REQUEST) {
      conn.pendingTx = frames.requestFrames.length;
      for (const frame of frames.requestFrames) egress(fresh(pool.get(conn, REQUEST, frame), nowNs));
    } else {
      conn.pendingTx = 1;
      egress(fresh(pool.get(conn, kind, kind === SYN ? frames.synFrameBytes : frames.finFrameBytes), nowNs));
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

  /**
   * The flow's core is ours (after `waitedNs`, of which the core's idle-state exit is part):
   * conntrack, the datapath's work, then the packet is forwarded.
   */
  const egressStart = (core: number, p: PathPacket, waitedNs: number): void => {
    backlog[core]!--;
    const conn = p.conn;
    const c = p.causes;
    const exitNs = cores.grantExitNs;
    if (vcpu === undefined) c[CAUSE_IDLE_EXIT] = c[CAUSE_IDLE_EXIT]! + exitNs;
    else if (exitNs > 0) vcpuWakeCauses(c, core, exitNs);
    c[CAUSE_CORE_WAIT] = c[CAUSE_CORE_WAIT]! + waitedNs - exitNs;
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
    let ns = cores.workNs(core, cost.work);
    if (cost.coldExtraNs > 0) {
      // The first packet's Service lookup: its warm part, and the cold part of its structures.
      const coldNs = Math.round((1 - warmth.touch(0, sim.nowNs)) * cost.coldExtraNs);
      const walkNs = (cost.cycles[LOOKUP]! + cost.cycles[CONNECT]!) * (NS_PER_SEC / cores.freqHz(core)) + cost.fixedNs[LOOKUP]! + cost.fixedNs[CONNECT]!;
      c[CAUSE_WARM_WALK] = c[CAUSE_WARM_WALK]! + walkNs;
      c[CAUSE_COLD_WALK] = c[CAUSE_COLD_WALK]! + coldNs;
      c[CAUSE_OTHER_WORK] = c[CAUSE_OTHER_WORK]! + ns - walkNs;
      ns += coldNs;
      if (m.windowOpen) m.coldWalkNs += coldNs;
    } else {
      c[CAUSE_OTHER_WORK] = c[CAUSE_OTHER_WORK]! + ns;
    }
    if (vm !== undefined && !p.ctDropped) {
      // The driver's kick at the end of the work: a VM exit if the queue pair's host worker is idle then.
      const kickNs = Math.round(vm.kickNsAt(tx.queueForCore(core), sim.nowNs + ns));
      c[CAUSE_VM_EXIT] = c[CAUSE_VM_EXIT]! + kickNs;
      ns += kickNs;
    }
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
    if (vm === undefined) {
      p.causes[CAUSE_WIRE] = p.causes[CAUSE_WIRE]! + (doneNs - nowNs);
    } else {
      // The host worker's wake-up, its queue and work (or a VF's pipeline), then the host's port.
      const c = p.causes;
      const hostDoneNs = vm.lastTxHostDoneNs;
      const wakeNs = vm.lastTxWakeNs;
      c[CAUSE_HOST_WAKEUP] = c[CAUSE_HOST_WAKEUP]! + wakeNs;
      c[CAUSE_HOST] = c[CAUSE_HOST]! + (hostDoneNs - nowNs - wakeNs);
      c[CAUSE_WIRE] = c[CAUSE_WIRE]! + (doneNs - hostDoneNs);
    }
    if (loss > 0 && lossDraw() < loss) {
      // Lost on the wire: the remote node never sees it.
      if (p.inWindow) m.lostOnWire++;
      lostSegment(p, conn.pendingTx - 1);
      return;
    }
    // The message's critical segment is the one that leaves last.
    if (doneNs >= conn.lastTxDoneNs) {
      conn.lastTxDoneNs = doneNs;
      conn.egressCauses.set(p.causes);
    }
    pool.put(p);
    if (--conn.pendingTx === 0 && !conn.failed) {
      const rc = conn.remoteCauses;
      const turnaroundNs = remote.turnaroundNs(conn.txKind, conn.id, conn.lastTxDoneNs + wireNs, rc);
      const backNs = conn.lastTxDoneNs + wireNs + turnaroundNs + wireNs;
      const delayNs = Math.max(0, Math.round(backNs) - nowNs);
      // The engine's clock is integer ns: the fabric's part absorbs the rounding.
      rc[CAUSE_FABRIC] = rc[CAUSE_FABRIC]! + (nowNs + delayNs - conn.lastTxDoneNs) - turnaroundNs;
      sim.schedule(delayNs, remoteReply, conn);
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
    const nowNs = sim.nowNs;
    if (conn.txKind === REQUEST) {
      const n = frames.responseFrames.length;
      conn.pendingRx = n;
      for (let i = 0; i < n; i++) arrive(fresh(pool.get(conn, RESPONSE, frames.responseFrames[i]!), nowNs), n - 1 - i);
    } else {
      conn.pendingRx = 1;
      const syn = conn.txKind === SYN;
      arrive(fresh(pool.get(conn, syn ? SYN_ACK : FIN_ACK, syn ? frames.synFrameBytes : frames.finFrameBytes), nowNs), 0);
    }
  };

  /** A packet from the remote node reaches this node's NIC, unless the wire loses it (`later` segments of its message follow it). */
  const arrive = (p: PathPacket, later: number): void => {
    if (loss > 0 && lossDraw() < loss) {
      if (m.windowOpen) m.lostOnWire++;
      lostSegment(p, later);
      return;
    }
    receive(p);
  };

  const receive = (p: PathPacket): void => {
    enterNode(p, sim.nowNs);
    if (vm !== undefined) {
      p.hostWireNs = 0;
      p.hostModerationNs = 0;
      p.hostWakeNs = 0;
    }
    rx.receive(p);
  };

  /** A vCPU's wake-up (`exitNs`, of the grant on `core`): the host's part (scheduler, host core) and the IPI/exit/injection. */
  const vcpuWakeCauses = (c: Float64Array, core: number, exitNs: number): void => {
    const hostNs = Math.min(exitNs, vcpu!.lastHostPartNs(core));
    c[CAUSE_HOST_WAKEUP] = c[CAUSE_HOST_WAKEUP]! + hostNs;
    c[CAUSE_VM_EXIT] = c[CAUSE_VM_EXIT]! + (exitNs - hostNs);
  };

  /**
   * NAPI's work for one packet on `core`: conntrack (reply direction) and the ingress stages. The
   * time since the packet reached the NIC splits into the wire, the ring's wait for the interrupt
   * (moderation), the wake-up of an idle core, ksoftirqd, and the wait for the core.
   */
  const ingressWork = (p: PathPacket, core: number, poll: NapiPoll<PathPacket>): Work => {
    if (!ctTouch(p.conn.id)) p.ctDropped = true;
    account(ingressCost, core);
    const nowNs = sim.nowNs;
    const c = p.causes;
    const ringNs = p.ringNs;
    if (vm === undefined) {
      c[CAUSE_WIRE] = c[CAUSE_WIRE]! + (ringNs - p.enteredNs);
    } else {
      // Through the VM's host: its port, its NIC's interrupt, its wake-ups, the rest its work.
      const w = p.hostWireNs;
      const m = p.hostModerationNs;
      const k = p.hostWakeNs;
      c[CAUSE_WIRE] = c[CAUSE_WIRE]! + w;
      c[CAUSE_MODERATION] = c[CAUSE_MODERATION]! + m;
      c[CAUSE_HOST_WAKEUP] = c[CAUSE_HOST_WAKEUP]! + k;
      c[CAUSE_HOST] = c[CAUSE_HOST]! + (ringNs - p.enteredNs - w - m - k);
    }
    const irqNs = poll.lastIrqNs;
    const moderationNs = irqNs >= ringNs ? Math.min(nowNs, irqNs) - ringNs : 0;
    const beforePoll = ringNs <= poll.pollGrantNs;
    // The part of the core's wake-up this packet waited for: all of it, or the rest of it if the
    // packet reached the ring while the core was already waking.
    const exitNs = beforePoll ? Math.max(0, Math.min(poll.pollExitNs, poll.pollGrantNs - Math.max(ringNs, irqNs))) : 0;
    const ksoftirqdNs = beforePoll && poll.pollInKsoftirqd ? Math.max(0, poll.pollGrantNs - Math.max(ringNs, irqNs) - exitNs) : 0;
    c[CAUSE_MODERATION] = c[CAUSE_MODERATION]! + moderationNs;
    c[CAUSE_KSOFTIRQD] = c[CAUSE_KSOFTIRQD]! + ksoftirqdNs;
    c[CAUSE_CORE_WAIT] = c[CAUSE_CORE_WAIT]! + (nowNs - ringNs) - moderationNs - exitNs - ksoftirqdNs;
    let deliveryNs = 0;
    if (vcpu === undefined) {
      c[CAUSE_IDLE_EXIT] = c[CAUSE_IDLE_EXIT]! + exitNs;
    } else {
      if (exitNs > 0) vcpuWakeCauses(c, core, exitNs);
      // The interrupt's delivery into the running vCPU, charged with this poll's first packet.
      deliveryNs = poll.pollDeliveryNs;
      if (deliveryNs > 0) {
        poll.pollDeliveryNs = 0;
        c[CAUSE_VM_EXIT] = c[CAUSE_VM_EXIT]! + deliveryNs;
      }
    }
    p.workStartNs = nowNs + deliveryNs;
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
    const nowNs = sim.nowNs;
    const c = p.causes;
    c[CAUSE_OTHER_WORK] = c[CAUSE_OTHER_WORK]! + (nowNs - p.workStartNs);
    if (conn.failed || --conn.pendingRx > 0) {
      pool.put(p);
      return;
    }
    if (kind === SYN_ACK || kind === RESPONSE) {
      // The client application, blocked in connect() or read(), runs after its wake-up: the RTT as
      // it measures it ends then.
      const wakeNs = clientWakeupNs();
      if (conn.recorded) {
        c[CAUSE_APP_WAKEUP] = c[CAUSE_APP_WAKEUP]! + wakeNs;
        const rttNs = nowNs + wakeNs - conn.msgStartNs;
        if (kind === SYN_ACK) {
          m.firstRtt.record(rttNs);
          firstCauses.record(rttNs, conn.egressCauses, conn.remoteCauses, c);
        } else {
          m.estRtt.record(rttNs);
          estCauses.record(rttNs, conn.egressCauses, conn.remoteCauses, c);
        }
      }
      if (kind === RESPONSE) conn.requestsLeft--;
      sim.schedule(wakeNs, sendNext, conn);
    } else {
      if (conn.recorded) {
        m.openTimeNs += nowNs - conn.startNs;
        m.openTimeCount++;
      }
      finish(conn);
    }
    pool.put(p);
  };

  // ---- drops, loss and retransmission ----------------------------------------------------------------

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

  /**
   * A segment lost on the wire. With at least three later segments of its message arriving, the
   * receiver's duplicate ACKs make the sender resend it one round trip later (fast retransmit);
   * otherwise it waits for the RTO like a dropped packet.
   */
  const lostSegment = (p: PathPacket, later: number): void => {
    if (later < FAST_RETRANSMIT_DUPACKS || p.conn.failed) {
      dropped(p);
      return;
    }
    if (m.windowOpen) m.fastRetransmits++;
    sim.schedule(Math.round(2 * wireNs), retransmit, p);
  };

  const retransmit = (arg: unknown): void => {
    const p = arg as PathPacket;
    const conn = p.conn;
    if (conn.failed) return;
    if (m.windowOpen) m.retransmissions[p.kind]!++;
    if (conn.recorded && !conn.retransmitted) m.retried++;
    conn.retransmitted = true;
    p.ctDropped = false;
    // Everything before this attempt (the lost or dropped attempts and their timeouts) is the retransmission's.
    const c = p.causes;
    c.fill(0);
    c[CAUSE_RETRANSMISSION] = sim.nowNs - p.firstNs;
    if (isEgressKind(p.kind)) egress(p);
    else receive(p);
  };

  // ---- the NIC ------------------------------------------------------------------------------------
  // virtio: one vhost thread per queue pair serves both directions (a VM's host: its worker threads).
  if (vm !== undefined && vm.queueCount !== queueCount) throw new RangeError(`the VM host serves ${vm.queueCount} queue pairs, the NIC has ${queueCount}`);
  const vhostThreads = vm !== undefined ? vm.threads : nic.virtio === undefined ? undefined : new VhostThreads(queueCount, nic.virtio);
  const rx = new NicRx<PathPacket>({
    nic,
    cores,
    queueCount,
    softirq: o.softirq,
    ...(vhostThreads === undefined ? {} : { vhostThreads }),
    ...(vm === undefined ? {} : { vmHost: vm }),
    perPacketWork: ingressWork,
    onDelivered: ingressDone,
    onDropped: rxDropped,
  });
  const tx = new NicTx(nic, queueCount, nic.txQueue, vhostThreads, vm);

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
