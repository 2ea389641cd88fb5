/**
 * The calibrated numbers a path composes besides its components' own tables: packet framing, the
 * per-packet pieces no component itemises (veth hop, TCP segment work, the server's handshake, the
 * extra work of creating a conntrack entry), the input backlog, the Cilium maps every packet reads
 * (policy, ipcache), the remote side (wire, application wake-up, server time) and TCP's
 * retransmission timer (model/tcp). Every number is a row of the calibration table
 * (model/calibration/datapathCalibration.ts, and conntrack's for the SYN retransmissions).
 */
import { defaultSchedulerWakeupParams, type SchedulerWakeupParams } from '../cpu/schedulerWakeup.ts';
import { calibratedParams } from '../calibration/index.ts';
import { defaultRetransmissionParams, type RetransmissionParams } from '../tcp/retransmission.ts';

export interface PathFramingParams {
  readonly mtuBytes: number;
  readonly ipv4HeaderBytes: number;
  readonly tcpHeaderBytes: number;
  /** Options on every segment after the handshake (timestamps). */
  readonly tcpTimestampOptionBytes: number;
  /** Options on SYN and SYN-ACK. */
  readonly tcpSynOptionBytes: number;
}

export const defaultPathFramingParams: PathFramingParams = calibratedParams({
  mtuBytes: 'datapath.mtuBytes',
  ipv4HeaderBytes: 'datapath.ipv4HeaderBytes',
  tcpHeaderBytes: 'datapath.tcpHeaderBytes',
  tcpTimestampOptionBytes: 'datapath.tcpTimestampOptionBytes',
  tcpSynOptionBytes: 'datapath.tcpSynOptionBytes',
});

export interface PathCostParams {
  /** pod <-> host veth crossing, cycles per packet. */
  readonly vethHopCycles: number;
  /** TCP work per segment at an end point, cycles. */
  readonly tcpSegmentCycles: number;
  /** Server kernel: SYN in, SYN-ACK out (also used for FIN -> FIN-ACK), cycles. */
  readonly tcpHandshakeCycles: number;
  /** Conntrack work of the packet that creates an entry / a lookup of an existing one. */
  readonly ctNewEntryCostFactor: number;
  /** Per-core input backlog (netdev_max_backlog), packets. */
  readonly netdevMaxBacklogPackets: number;
}

export const defaultPathCostParams: PathCostParams = calibratedParams({
  vethHopCycles: 'datapath.vethHopCycles',
  tcpSegmentCycles: 'datapath.tcpSegmentCycles',
  tcpHandshakeCycles: 'datapath.tcpHandshakeCycles',
  ctNewEntryCostFactor: 'datapath.ctNewEntryCostFactor',
  netdevMaxBacklogPackets: 'datapath.netdevMaxBacklogPackets',
});

export interface CiliumPathMapParams {
  /** CT lookups of a client-to-Service packet under per-packet (tc) LB. */
  readonly tcCtLookupsPerServicePacket: number;
  readonly policyMapMaxEntries: number;
  readonly policyMapEntries: number;
  readonly policyKeyBytes: number;
  readonly policyValueBytes: number;
  readonly ipcacheMaxEntries: number;
  readonly ipcacheEntries: number;
  readonly ipcachePrefixLengths: number;
  readonly ipcacheKeyBytes: number;
  readonly ipcacheValueBytes: number;
}

export const defaultCiliumPathMapParams: CiliumPathMapParams = calibratedParams({
  tcCtLookupsPerServicePacket: 'datapath.ciliumTcCtLookupsPerServicePacket',
  policyMapMaxEntries: 'datapath.ciliumPolicyMapMaxEntries',
  policyMapEntries: 'datapath.ciliumPolicyMapEntries',
  policyKeyBytes: 'datapath.ciliumPolicyKeyBytes',
  policyValueBytes: 'datapath.ciliumPolicyValueBytes',
  ipcacheMaxEntries: 'datapath.ciliumIpcacheMaxEntries',
  ipcacheEntries: 'datapath.ciliumIpcacheEntries',
  ipcachePrefixLengths: 'datapath.ciliumIpcachePrefixLengths',
  ipcacheKeyBytes: 'datapath.ciliumIpcacheKeyBytes',
  ipcacheValueBytes: 'datapath.ciliumIpcacheValueBytes',
});

export interface PathRemoteParams {
  /** Propagation + switching between the nodes, one way, ns. */
  readonly wireOneWayNs: number;
  /** Server application time per request, ns. */
  readonly serverProcessingNs: number;
}

export const defaultPathRemoteParams: PathRemoteParams = calibratedParams({
  wireOneWayNs: 'datapath.wireOneWayNs',
  serverProcessingNs: 'datapath.serverProcessingNs',
});

/** Everything calibrated a path run uses beyond the spec; each part defaults to its table rows. */
export interface PathModelParams {
  readonly framing: PathFramingParams;
  /** Scheduler wake-up latency of the applications and ksoftirqd (model/cpu/schedulerWakeup.ts). */
  readonly wakeup: SchedulerWakeupParams;
  readonly costs: PathCostParams;
  readonly cilium: CiliumPathMapParams;
  readonly remote: PathRemoteParams;
  /** RTOs of a dropped packet by kind, and the retransmissions before a connection gives up. */
  readonly retransmission: RetransmissionParams;
}

export function pathModelParams(overrides: Partial<PathModelParams> = {}): PathModelParams {
  return {
    framing: overrides.framing ?? defaultPathFramingParams,
    wakeup: overrides.wakeup ?? defaultSchedulerWakeupParams,
    costs: overrides.costs ?? defaultPathCostParams,
    cilium: overrides.cilium ?? defaultCiliumPathMapParams,
    remote: overrides.remote ?? defaultPathRemoteParams,
    retransmission: overrides.retransmission ?? defaultRetransmissionParams,
  };
}
