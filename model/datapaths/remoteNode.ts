/**
 * The wire and the remote (backend) node, as delays. The remote node has the client node's
 * hardware and datapath, is lightly loaded (no queueing) and runs at its governor's idle clock: a
 * message's turnaround there is its NIC's moderation delay at low rate plus one interrupt, the
 * ingress work of each segment, the server's part (the kernel's handshake answer for SYN and FIN,
 * the application's wake-up and processing for a request) and the egress work of each answering
 * segment. No Service lookup runs there: the packets are already addressed to the pod.
 */
import { defaultCpuCoresParams } from '../cpu/cpuCores.ts';
import type { CpuFrequencyParams } from '../cpu/cpuFrequency.ts';
import { governorFreqHz } from '../cpu/governor.ts';
import type { NicModel } from '../nic/nicModel.ts';
import { cyclesToNs, usToNs } from '../units.ts';
import { remoteEgressCost, remoteIngressCost, stagedCostNs, type PathCostContext } from './packetCosts.ts';
import { PACKET_KIND } from './pathPackets.ts';
import type { PathFrames } from './segmentFrames.ts';

export interface RemoteNodeDelays {
  /** Propagation and switching between the nodes, one way, ns. */
  readonly wireOneWayNs: number;
  /**
   * From a message's last segment reaching the remote node to its answer's last segment leaving
   * it, by the message's kind (index PACKET_KIND.syn, .request, .fin), ns (not rounded).
   */
  readonly turnaroundNs: readonly number[];
}

export function remoteNodeDelays(ctx: PathCostContext, nic: NicModel, frequency: CpuFrequencyParams, frames: PathFrames): RemoteNodeDelays {
  const remote = ctx.params.remote;
  const freqHz = governorFreqHz(ctx.spec.governor, 0, frequency);
  const c = nic.coalescing;
  const nicNs = usToNs(c.adaptive ? c.adaptiveMinUs : c.rxCoalesceUs) + cyclesToNs(defaultCpuCoresParams.irqEntryCycles, freqHz);
  const inFirstNs = stagedCostNs(remoteIngressCost(ctx, true), freqHz);
  const inNs = stagedCostNs(remoteIngressCost(ctx, false), freqHz);
  const outNs = stagedCostNs(remoteEgressCost(ctx), freqHz);
  const handshakeNs = cyclesToNs(ctx.params.costs.tcpHandshakeCycles, freqHz);
  const turnaroundNs: number[] = [];
  turnaroundNs[PACKET_KIND.syn] = nicNs + inFirstNs + handshakeNs + outNs;
  turnaroundNs[PACKET_KIND.request] =
    nicNs + frames.requestFrames.length * inNs + remote.appWakeupNs + remote.serverProcessingNs + frames.responseFrames.length * outNs;
  turnaroundNs[PACKET_KIND.fin] = nicNs + inNs + handshakeNs + outNs;
  return { wireOneWayNs: remote.wireOneWayNs, turnaroundNs };
}
