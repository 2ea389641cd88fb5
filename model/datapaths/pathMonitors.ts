/**
 * What a path run measures, as it happens. Counts of packets and connections in the measured
 * window (after the warm-up), drops by cause, the two RTT histograms, the node's CPU time by stage
 * at each core's clock, and, over the whole run, the packets in the node integrated over time
 * (Little's law: L = λW, a check on the run's bookkeeping).
 *
 * Every total is a field of this object, not a closure variable: V8 (Node 20) allocates a new heap
 * number for every double stored in a closure variable, but updates a double field in place. The
 * per-packet methods (enterNode, leaveNode, account) are arrow functions made once per run, so the
 * packet journey (pathTraffic.ts) holds them in constants of its closures.
 */
import type { CpuCores } from '../cpu/cpuCores.ts';
import type { CpuFrequencyParams } from '../cpu/cpuFrequency.ts';
import { governorFreqHz, isLoadDependent, type GovernorName } from '../cpu/governor.ts';
import { QuantileHistogram } from '../engine/index.ts';
import { NS_PER_SEC } from '../units.ts';
import { LatencyAttribution } from './latencyCauses.ts';
import { STAGE_COUNT, type StagedCost } from './packetCosts.ts';
import { PACKET_KIND } from './pathPackets.ts';

/** What the monitors need to know of a packet. */
export interface MonitoredPacket {
  enteredNs: number;
  inWindow: boolean;
}

export class PathMonitors {
  /** The measured window is open (warm-up over, duration not reached). */
  windowOpen = false;

  // ---- packets in the window ----
  offered = 0;
  processed = 0;
  droppedRxRing = 0;
  droppedHostBacklog = 0;
  droppedCpuBacklog = 0;
  droppedConntrackFull = 0;
  droppedTxQueue = 0;
  /** Packets lost on the wire (random loss), both directions. */
  lostOnWire = 0;
  /** Lost segments resent by fast retransmit rather than after the RTO. */
  fastRetransmits = 0;
  /** Extra lookup time of first packets from the cold part of the lookup structures, ns. */
  coldWalkNs = 0;
  perPacketLookups = 0;
  connectLookups = 0;
  /** Packets processed over the whole run. */
  processedTotal = 0;

  // ---- connections ----
  opened = 0;
  /** Opened in the window. */
  measured = 0;
  /** Measured connections that retransmitted anything, and those that gave up. */
  retried = 0;
  failed = 0;
  /** Packets sent again in the window, by kind (index PACKET_KIND). */
  readonly retransmissions = new Float64Array(Object.keys(PACKET_KIND).length);
  /** Measured connections that closed, and their summed lifetimes. */
  openTimeCount = 0;
  openTimeNs = 0;
  /** connect() to SYN-ACK, per measured connection, ns. */
  readonly firstRtt = new QuantileHistogram();
  /** Request to the whole response, per measured request, ns. */
  readonly estRtt = new QuantileHistogram();
  /** The same RTTs split into causes (latencyCauses.ts). */
  readonly firstCauses = new LatencyAttribution();
  readonly estCauses = new LatencyAttribution();

  // ---- Little's law, over the whole run ----
  inNode = 0;
  enteredTotal = 0;
  /** Packets-in-node x time, integrated at every entry and exit, and the last update's time. */
  inNodeAreaNs = 0;
  inNodeSinceNs = 0;
  sojournNs = 0;

  // ---- CPU time by stage, in the window ----
  /** ns per stage (index as PATH_STAGES), packet work only (interrupts are what CpuCores charged beyond it). */
  readonly stageNs = new Float64Array(STAGE_COUNT);
  bpfInstructionNs = 0;
  /** CPU work and mean core utilisation when the window closed. */
  workAtCloseNs = NaN;
  utilAtClose = NaN;

  private readonly loadDependent: boolean;
  private readonly fixedNsPerCycle: number;

  constructor(private readonly cores: CpuCores, governor: GovernorName, frequency: CpuFrequencyParams) {
    this.loadDependent = isLoadDependent(governor);
    this.fixedNsPerCycle = NS_PER_SEC / governorFreqHz(governor, 0, frequency);
  }

  /** Warm-up over: restart the cores' statistics and count from now. */
  openWindow(): void {
    this.cores.resetStats();
    this.windowOpen = true;
  }

  /** Duration reached: stop counting, keep the cores' work and utilisation of the window. */
  closeWindow(): void {
    this.windowOpen = false;
    const cores = this.cores;
    let work = 0;
    let busy = 0;
    for (let core = 0; core < cores.coreCount; core++) {
      work += cores.workDoneNs[core]!;
      busy += cores.busyFraction(core);
    }
    this.workAtCloseNs = work;
    this.utilAtClose = busy / cores.coreCount;
  }

  /** A packet is offered to the node (sent by the client pod, or arriving from the wire). */
  readonly enterNode = (p: MonitoredPacket, nowNs: number): void => {
    p.enteredNs = nowNs;
    this.inNodeAreaNs += this.inNode * (nowNs - this.inNodeSinceNs);
    this.inNodeSinceNs = nowNs;
    this.inNode++;
    this.enteredTotal++;
    p.inWindow = this.windowOpen;
    if (this.windowOpen) this.offered++;
  };

  /** A packet leaves the node (done, or dropped). */
  readonly leaveNode = (p: MonitoredPacket, nowNs: number): void => {
    this.inNodeAreaNs += this.inNode * (nowNs - this.inNodeSinceNs);
    this.inNodeSinceNs = nowNs;
    this.inNode--;
    this.sojournNs += nowNs - p.enteredNs;
  };

  /** A packet's work on the node is done. */
  processedPacket(): void {
    this.processedTotal++;
    if (this.windowOpen) this.processed++;
  }

  /** Adds a packet's stage times at `core`'s current clock (window only). */
  readonly account = (cost: StagedCost, core: number): void => {
    if (!this.windowOpen) return;
    this.perPacketLookups += cost.serviceLookups;
    this.connectLookups += cost.connectTranslations;
    const nsPerCycle = this.loadDependent ? NS_PER_SEC / this.cores.freqHz(core) : this.fixedNsPerCycle;
    const cy = cost.cycles;
    const fx = cost.fixedNs;
    const stageNs = this.stageNs;
    for (let s = 0; s < STAGE_COUNT; s++) stageNs[s] = stageNs[s]! + cy[s]! * nsPerCycle + fx[s]!;
    this.bpfInstructionNs += cost.bpfInstructionCycles * nsPerCycle;
  };

  /** Time-average packets in the node up to `endNs`. */
  meanPacketsInNode(endNs: number): number {
    return endNs > 0 ? (this.inNodeAreaNs + this.inNode * (endNs - this.inNodeSinceNs)) / endNs : 0;
  }
}
