/**
 * The wire and the remote (backend) node. The remote node has the client node's hardware and
 * datapath and is lightly loaded (its work does not queue), but its cores sleep like the client's:
 * a message reaching a core that has been idle waits its idle state's exit latency (the same idle
 * governor, fed by that core's own idle periods). A message's turnaround there is its NIC's
 * moderation delay at low rate, the exit latency, one interrupt and the ingress work of each
 * segment, the server's part (the kernel's handshake answer for SYN and FIN; for a request, the
 * server application's wake-up, drawn per request, and its processing) and the egress work of each
 * answering segment. No Service lookup runs there: the packets are already addressed to the pod.
 * The turnaround is split into causes (latencyCauses.ts) as it is computed.
 */
import { defaultCpuCoresParams } from '../cpu/cpuCores.ts';
import type { CpuFrequencyParams } from '../cpu/cpuFrequency.ts';
import { governorFreqHz } from '../cpu/governor.ts';
import type { IdleGovernor } from '../cpu/idleGovernor.ts';
import type { NicModel } from '../nic/nicModel.ts';
import { cyclesToNs, usToNs } from '../units.ts';
import { CAUSE } from './latencyCauses.ts';
import { remoteEgressCost, remoteIngressCost, stagedCostNs, type PathCostContext } from './packetCosts.ts';
import { PACKET_KIND, type PacketKind } from './pathPackets.ts';
import type { PathFrames } from './segmentFrames.ts';

export interface RemoteNodeOptions {
  /** Cores of the remote node (a flow's messages are handled on one of them). */
  readonly coreCount: number;
  /** Its idle governor (one core each); undefined: its cores take work at once. */
  readonly idleGovernor: IdleGovernor | undefined;
  /** The server application's wake-up latency, drawn per request, ns. */
  readonly serverWakeupNs: () => number;
}

export class RemoteNode {
  /** Propagation and switching between the nodes, one way, ns. */
  readonly wireOneWayNs: number;
  private readonly nicNs: number;
  /** Work and fixed server time of each message kind (index PACKET_KIND.syn, .request, .fin), ns. */
  private readonly workNs: number[] = [];
  private readonly serverNs: number[] = [];
  private readonly busyUntilNs: Float64Array;

  constructor(ctx: PathCostContext, nic: NicModel, frequency: CpuFrequencyParams, frames: PathFrames, private readonly o: RemoteNodeOptions) {
    const remote = ctx.params.remote;
    const freqHz = governorFreqHz(ctx.spec.governor, 0, frequency);
    const c = nic.coalescing;
    this.wireOneWayNs = remote.wireOneWayNs;
    this.nicNs = usToNs(c.adaptive ? c.adaptiveMinUs : c.rxCoalesceUs);
    const irqNs = cyclesToNs(defaultCpuCoresParams.irqEntryCycles, freqHz);
    const inFirstNs = stagedCostNs(remoteIngressCost(ctx, true), freqHz);
    const inNs = stagedCostNs(remoteIngressCost(ctx, false), freqHz);
    const outNs = stagedCostNs(remoteEgressCost(ctx), freqHz);
    const handshakeNs = cyclesToNs(ctx.params.costs.tcpHandshakeCycles, freqHz);
    this.workNs[PACKET_KIND.syn] = irqNs + inFirstNs + outNs;
    this.serverNs[PACKET_KIND.syn] = handshakeNs;
    this.workNs[PACKET_KIND.request] = irqNs + frames.requestFrames.length * inNs + frames.responseFrames.length * outNs;
    this.serverNs[PACKET_KIND.request] = remote.serverProcessingNs;
    this.workNs[PACKET_KIND.fin] = irqNs + inNs + outNs;
    this.serverNs[PACKET_KIND.fin] = handshakeNs;
    this.busyUntilNs = new Float64Array(o.coreCount);
  }

  /**
   * The message of `kind` from flow `flowId` reaches the remote node at `arrivalNs`: returns the
   * time until its answer's last segment leaves (not rounded) and adds its parts to `causes`.
   */
  turnaroundNs(kind: PacketKind, flowId: number, arrivalNs: number, causes: Float64Array): number {
    const core = flowId % this.o.coreCount;
    const irqNs = arrivalNs + this.nicNs;
    const idleNs = irqNs - this.busyUntilNs[core]!;
    const exitNs = idleNs > 0 && this.o.idleGovernor !== undefined ? this.o.idleGovernor.wake(core, idleNs) : 0;
    const wakeNs = kind === PACKET_KIND.request ? this.o.serverWakeupNs() : 0;
    const remoteNs = this.workNs[kind]! + this.serverNs[kind]!;
    const totalNs = this.nicNs + exitNs + remoteNs + wakeNs;
    this.busyUntilNs[core] = Math.max(this.busyUntilNs[core]!, arrivalNs + totalNs);
    causes[CAUSE.nicModeration] = causes[CAUSE.nicModeration]! + this.nicNs;
    causes[CAUSE.idleExit] = causes[CAUSE.idleExit]! + exitNs;
    causes[CAUSE.remote] = causes[CAUSE.remote]! + remoteNs;
    causes[CAUSE.appWakeup] = causes[CAUSE.appWakeup]! + wakeNs;
    return totalNs;
  }
}
