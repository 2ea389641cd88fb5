/**
 * The wire and the remote (backend) node. The remote node has the client node's hardware and
 * datapath and is lightly loaded (its work does not queue), but its cores sleep like the client's:
 * a message reaching a core that has been idle waits its idle state's exit latency (the same idle
 * governor, fed by that core's own idle periods). A message's turnaround there is its NIC's
 * moderation delay at low rate, the exit latency, one interrupt and the ingress work of each
 * segment, the server's part (the kernel's handshake answer for SYN and FIN; for a request, the
 * server application's wake-up, drawn per request, and its processing) and the egress work of each
 * answering segment. No Service lookup runs there: the packets are already addressed to the pod.
 * When the node is a VM (a guest NIC), the remote node is the same kind of VM: its message first
 * crosses its host and its guest NIC's moderation (model/hypervisor/remoteVm.ts), its vCPU wakes as
 * a vCPU does (halt, host polling, the host scheduler), the interrupt is delivered, and the answer
 * leaves through the guest's kick, the host worker and the host's port; the fabric between the two
 * VMs is the boundary's. The turnaround is split into causes (latencyCauses.ts) as it is computed.
 */
import { defaultCpuCoresParams } from '../cpu/cpuCores.ts';
import type { CpuFrequencyParams } from '../cpu/cpuFrequency.ts';
import { governorFreqHz } from '../cpu/governor.ts';
import type { CoreIdleModel } from '../cpu/cpuCores.ts';
import type { RemoteVmSide, VmCrossingNs } from '../hypervisor/remoteVm.ts';
import type { NicModel } from '../nic/nicModel.ts';
import { cyclesToNs, usToNs } from '../units.ts';
import { CAUSE } from './latencyCauses.ts';
import { remoteEgressCost, remoteIngressCost, stagedCostNs, type PathCostContext } from './packetCosts.ts';
import { PACKET_KIND, type PacketKind } from './pathPackets.ts';
import type { PathFrames } from './segmentFrames.ts';

export interface RemoteNodeOptions {
  /** Cores of the remote node (a flow's messages are handled on one of them). */
  readonly coreCount: number;
  /** Its idle governor (one core each); undefined: its cores take work at once. Ignored for a VM (its vCPUs' idle model is the VM's). */
  readonly idleGovernor: CoreIdleModel | undefined;
  /** The remote VM's boundary, when the node is a VM. */
  readonly vm?: RemoteVmSide;
  /** The server application's wake-up latency, drawn per request, ns. */
  readonly serverWakeupNs: () => number;
}

export class RemoteNode {
  /** Propagation and switching between the nodes (the fabric), one way, ns. */
  readonly wireOneWayNs: number;
  private readonly nicNs: number;
  /** Work and fixed server time of each message kind (index PACKET_KIND.syn, .request, .fin), ns. */
  private readonly workNs: number[] = [];
  private readonly serverNs: number[] = [];
  private readonly busyUntilNs: Float64Array;
  /** Frames of each message kind in and out (index PACKET_KIND.syn, .request, .fin), for a VM's boundary. */
  private readonly inFrames: (readonly number[])[] = [];
  private readonly outFrames: (readonly number[])[] = [];
  private readonly crossing: VmCrossingNs = { wireNs: 0, moderationNs: 0, vmExitNs: 0, hostWakeupNs: 0, hostNs: 0 };

  constructor(ctx: PathCostContext, nic: NicModel, frequency: CpuFrequencyParams, frames: PathFrames, private readonly o: RemoteNodeOptions) {
    const remote = ctx.params.remote;
    const freqHz = governorFreqHz(ctx.spec.governor, 0, frequency);
    const c = nic.coalescing;
    if (o.vm !== undefined && nic.vm === undefined) throw new RangeError(`a remote VM needs a guest NIC, got ${nic.name}`);
    // The fabric: the spec's, else the guest NIC's boundary's, else one switch hop.
    const fabricUs = ctx.spec.fabricOneWayUs;
    this.wireOneWayNs = fabricUs !== undefined ? usToNs(fabricUs) : nic.vm === undefined ? remote.wireOneWayNs : nic.vm.fabricOneWayNs;
    this.inFrames[PACKET_KIND.syn] = [frames.synFrameBytes];
    this.outFrames[PACKET_KIND.syn] = [frames.synFrameBytes];
    this.inFrames[PACKET_KIND.request] = frames.requestFrames;
    this.outFrames[PACKET_KIND.request] = frames.responseFrames;
    this.inFrames[PACKET_KIND.fin] = [frames.finFrameBytes];
    this.outFrames[PACKET_KIND.fin] = [frames.finFrameBytes];
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
    if (this.o.vm !== undefined) return this.vmTurnaroundNs(this.o.vm, kind, flowId, arrivalNs, causes);
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

  /** turnaroundNs for a remote VM: its host and guest NIC in, its vCPU, its work, its kick, worker and port out. */
  private vmTurnaroundNs(vm: RemoteVmSide, kind: PacketKind, flowId: number, arrivalNs: number, causes: Float64Array): number {
    const core = flowId % this.o.coreCount;
    const x = this.crossing;
    x.wireNs = 0;
    x.moderationNs = 0;
    x.vmExitNs = 0;
    x.hostWakeupNs = 0;
    x.hostNs = 0;
    const rxNs = vm.receive(core, core, this.inFrames[kind]!, arrivalNs, x);
    const irqNs = arrivalNs + rxNs;
    const idleNs = irqNs - this.busyUntilNs[core]!;
    const exitNs = idleNs > 0 ? vm.vcpuIdle.wake(core, idleNs) : 0;
    const deliveryNs = vm.delivery(core, exitNs, x);
    const wakeNs = kind === PACKET_KIND.request ? this.o.serverWakeupNs() : 0;
    const remoteNs = this.workNs[kind]! + this.serverNs[kind]!;
    const sendAtNs = irqNs + exitNs + deliveryNs + remoteNs + wakeNs;
    const txNs = vm.send(core, this.outFrames[kind]!, sendAtNs, x);
    this.busyUntilNs[core] = Math.max(this.busyUntilNs[core]!, sendAtNs);
    causes[CAUSE.wire] = causes[CAUSE.wire]! + x.wireNs;
    causes[CAUSE.nicModeration] = causes[CAUSE.nicModeration]! + x.moderationNs;
    causes[CAUSE.vmExit] = causes[CAUSE.vmExit]! + x.vmExitNs;
    causes[CAUSE.hostWakeup] = causes[CAUSE.hostWakeup]! + x.hostWakeupNs;
    causes[CAUSE.host] = causes[CAUSE.host]! + x.hostNs;
    causes[CAUSE.remote] = causes[CAUSE.remote]! + remoteNs;
    causes[CAUSE.appWakeup] = causes[CAUSE.appWakeup]! + wakeNs;
    return sendAtNs + txNs - arrivalNs;
  }
}
