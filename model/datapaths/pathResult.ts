/** What simulatePath reports: latencies, CPU cost and where it goes, drops, throughput, conntrack. */
import type { GovernorName } from '../cpu/governor.ts';
import type { HaltPollingMode } from '../hypervisor/vcpuIdle.ts';
import type { CpuModelName, IdleLimitName, IdleStateName } from '../cpu/idleStates.ts';
import type { CauseSplitUs } from './latencyCauses.ts';
import type { ConntrackImpl } from '../conntrack/conntrackPolicy.ts';
import type { NicModelName } from '../nic/nicModel.ts';
import type { DatapathName } from './datapathSpec.ts';

/** Quantiles of a latency, µs (from a QuantileHistogram: 3 significant digits); NaN when no sample. */
export interface LatencySummaryUs {
  readonly p01: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly mean: number;
  readonly max: number;
  /** Samples (connections or requests) measured. */
  readonly count: number;
}

/**
 * Why the tail is slow: the mean split into causes (latencyCauses.ts) of the median messages (those
 * in the p50's 2.2 %-wide RTT bucket) and of those at or above the p99 and the p99.9 (their bucket
 * and above).
 */
export interface TailAttribution {
  readonly p50: CauseSplitUs;
  readonly p99: CauseSplitUs;
  readonly p999: CauseSplitUs;
  /** Largest |RTT - sum of its causes| of any message, ns: 0 when every part of the path is accounted for. */
  readonly maxResidualNs: number;
}

/**
 * CPU time per packet processed on the node, ns, by stage (see packetCosts.ts). `nicNs` includes
 * the interrupt cost; `bpfInstructionNs` is the part of `bpfNs` spent executing BPF instructions
 * (what the JIT changes); `connectNs` is socket-LB's connect() translation spread over the packets.
 * The stages sum to `totalNs` (= cpuNsPerPacket).
 */
export interface PathStageBreakdownNs {
  readonly nicNs: number;
  readonly stackNs: number;
  readonly conntrackNs: number;
  readonly lookupNs: number;
  readonly bpfNs: number;
  readonly bpfInstructionNs: number;
  readonly connectNs: number;
  readonly totalNs: number;
}

/** One packet's CPU work on the client node by stage at a given clock, ns (no queueing, no interrupts). */
export interface PacketCostNs {
  readonly nicNs: number;
  readonly stackNs: number;
  readonly conntrackNs: number;
  readonly lookupNs: number;
  readonly bpfNs: number;
  readonly connectNs: number;
  readonly totalNs: number;
}

/**
 * A VM's boundary over the measured window (null for a physical NIC), per packet the node processed:
 * its exits, its vCPUs' wake-ups and its host's CPU. `guestExitNsPerPacket` (kicks and interrupt
 * deliveries into running vCPUs) is vCPU time, part of cpuNsPerPacket; the host's work (its
 * workers, its receive stack) and halt polling (guest and host polling, HLT exits, worker busy
 * polling) are the host's CPU spent on the guest, on top of it; `totalCpuNsPerPacket` adds them.
 */
export interface PathVmResult {
  readonly hypervisor: string;
  readonly haltPolling: HaltPollingMode;
  readonly postedInterrupts: boolean;
  readonly kicksPerPacket: number;
  readonly runningInjectionsPerPacket: number;
  /** vCPU wake-ups that found it polling in the guest, halted while the host polled, or asleep. */
  readonly vcpuWakeupsPerPacket: { readonly guestPoll: number; readonly hostPoll: number; readonly asleep: number };
  readonly hostWorkerWakeupsPerPacket: number;
  readonly guestExitNsPerPacket: number;
  readonly hostNsPerPacket: number;
  readonly haltPollNsPerPacket: number;
  readonly totalCpuNsPerPacket: number;
}

export interface PathResult {
  readonly datapath: DatapathName;
  readonly services: number;
  readonly endpointsPerService: number;
  readonly connectionsPerSec: number;
  readonly requestsPerConnection: number;
  readonly cores: number;
  readonly cpuFreqHz: number;
  readonly governor: GovernorName;
  readonly nic: NicModelName;
  readonly jit: boolean;
  readonly seed: number;
  readonly replication: number;

  /** connect() to the SYN-ACK in the client's socket, per connection (≥ 1 s when the SYN had to be retransmitted). */
  readonly firstPacketRttUs: LatencySummaryUs;
  /** Request sent to the whole response in the client's socket, per request on an established connection. */
  readonly establishedRttUs: LatencySummaryUs;
  /** Node CPU time per packet processed (both directions, interrupts and connect() work included), ns. */
  readonly cpuNsPerPacket: number;
  /** cpuNsPerPacket by stage. */
  readonly perPacketNs: PathStageBreakdownNs;
  /**
   * Where one packet's CPU time goes, per kind, at the clock the governor picks at the measured
   * utilisation (`atFreqHz`): the connection's first packet (SYN, with connect() for socket-LB;
   * iptables: the mean over the Service's position and the endpoint), a later client-to-Service
   * packet, and a packet back to the client.
   */
  readonly packetCostNs: {
    readonly atFreqHz: number;
    readonly firstPacket: PacketCostNs;
    readonly establishedEgress: PacketCostNs;
    readonly ingress: PacketCostNs;
  };
  /** Packets dropped at the node (RX ring, input backlog, conntrack table full) / packets offered to it. */
  readonly dropFraction: number;
  /** Packets the node processed per second (both directions). */
  readonly throughputPps: number;
  /** Mean busy fraction of the node's cores. */
  readonly coreUtilization: number;

  readonly conntrackImpl: ConntrackImpl;
  /** Table size (nf_conntrack_max, or the Cilium TCP CT map's max_entries), entries. */
  readonly conntrackCapacityEntries: number;
  /**
   * Entries the table holds in steady state at this load (Little's law: entries per connection x
   * rate x (connection lifetime + closing-state timeout), plus preexisting idle connections),
   * capped at the capacity. The simulated window is shorter than the closing timeouts, so the run
   * starts with the closing entries of earlier connections already in the table.
   */
  readonly conntrackEntries: number;
  /** Kernel memory of the table holding conntrackEntries (Cilium: preallocated, the same at any fill), B. */
  readonly conntrackMemoryBytes: number;
  /** Largest number of entries the simulated table held. */
  readonly conntrackPeakEntries: number;
  /** New connections' SYNs the table refused (nf_conntrack full), retransmissions included. */
  readonly conntrackDroppedNewConnections: number;
  /** Entries evicted to make room (Cilium LRU). */
  readonly conntrackEvictedEntries: number;
  /** Preexisting idle connections whose entry was evicted (they break when they next send). */
  readonly brokenIdleFlows: number;
  /** Open measured connections whose entry was evicted (re-created by the next packet; under per-packet LB it may pick another backend). */
  readonly evictedOpenConnections: number;

  /** Service translations done on the packet path and in connect(), over the measured window. */
  readonly serviceLookups: { readonly perPacket: number; readonly atConnect: number };
  /** Packets processed and dropped in the measured window, drops by reason. */
  readonly packets: {
    readonly offered: number;
    readonly processed: number;
    readonly droppedRxRing: number;
    readonly droppedHostBacklog: number;
    readonly droppedCpuBacklog: number;
    readonly droppedConntrackFull: number;
    /** Dropped by the qdisc of a full NIC TX queue (ring + qdisc limit) on the way out. */
    readonly droppedTxQueue: number;
    /** Lost on the wire (random loss, both directions; not offered to the node when arriving). */
    readonly lostOnWire: number;
    /** Lost segments resent by fast retransmit (three duplicate ACKs) instead of after the RTO. */
    readonly fastRetransmits: number;
  };
  readonly connections: {
    /** Opened during the run. */
    readonly opened: number;
    /** Opened in the measured window. */
    readonly measured: number;
    /** Measured connections that retransmitted at least one packet, of any kind (counts by kind: `retransmissions`). */
    readonly retried: number;
    /** Measured connections that gave up after every retransmission. */
    readonly failed: number;
    /** Connections still open when the run hit its time limit. */
    readonly unfinished: number;
  };
  /**
   * Packets sent again after a drop in the measured window, by kind, whatever dropped them: the
   * client retransmits SYN, request segments and FIN, the remote node SYN-ACK, response segments
   * and FIN-ACK. Each is also a packet offered to the node (`packets.offered`).
   */
  readonly retransmissions: {
    readonly syn: number;
    readonly synAck: number;
    readonly request: number;
    readonly response: number;
    readonly fin: number;
    readonly finAck: number;
  };
  /** Propagation and switching between the two nodes, one way, µs (one switch hop, or a cloud zone's fabric). */
  readonly fabricOneWayUs: number;
  /** The VM boundary under a guest NIC; null for a physical NIC. */
  readonly vm: PathVmResult | null;
  /** The node's processor, its deepest allowed idle state, and the client node's wake-ups from each state over the run. */
  readonly idle: {
    readonly cpuModel: CpuModelName;
    readonly idleState: IdleLimitName;
    readonly pmQosLatencyUs: number | null;
    readonly wakeups: Readonly<Record<IdleStateName, number>>;
    /** Mean exit latency per wake-up, µs. */
    readonly meanExitLatencyUs: number;
  };
  /** NET_RX softirq over the run: rounds that ran out of budget and hand-offs to ksoftirqd, summed over cores. */
  readonly softirq: { readonly timeSqueeze: number; readonly ksoftirqdHandoffs: number };
  /** Extra lookup time of first packets in the window from structures no longer cached, per first packet, ns. */
  readonly coldWalkNsPerFirstPacket: number;
  /** First-packet and established RTT split into causes, for the median and the tail. */
  readonly tailAttribution: { readonly firstPacket: TailAttribution; readonly established: TailAttribution };
  /** Over the whole run: time-average packets in the node, packet arrival rate, mean time in the node. L = λW. */
  readonly littlesLaw: { readonly meanPacketsInNode: number; readonly arrivalRatePps: number; readonly meanSojournNs: number };
  /** bpf-lb-map-max the Cilium datapaths were given (raised to fit the Services); null for kube-proxy. */
  readonly lbMapMaxEntries: number | null;
  /** The measured window (durationSec - warmupSec), s: what the window counts, rates and throughput refer to. */
  readonly measuredSec: number;
  /** Simulated time when the run ended (warm-up, window and the drain of open connections), s. */
  readonly simulatedSec: number;
  /** Packets processed over the whole run (warm-up and drain included). */
  readonly packetsSimulated: number;
  readonly events: number;
}
