/**
 * One datapath on one node, packet by packet: `simulatePath(spec, seed, replication?)`.
 *
 * Topology (README): client pods on the modelled node open connections to ClusterIP Services whose
 * backends run on a remote node. The client node is modelled in full: its cores (CpuCores, clock
 * by governor), its NIC (NicRx, NicTx), its conntrack table and the datapath's per-packet work;
 * the wire and the remote node are delays. This function puts the parts together and runs them:
 *
 *   pathConntrack.ts     the conntrack table, started in its steady state
 *   packetCosts.ts       each packet kind's CPU work by stage
 *   segmentFrames.ts     the frames of SYN, FIN and each message's segments
 *   remoteNode.ts        the wire and the remote node's turnaround per message (its cores sleep too)
 *   pathTraffic.ts       the packets' journey through the node, drops, wire loss and retransmission (model/tcp)
 *   latencyCauses.ts     each RTT split into causes along its critical path
 *   pathMonitors.ts      what is measured: window counts, RTT histograms and their causes, CPU time by stage, Little's law
 *   assemblePathResult.ts the PathResult
 *
 * With a guest NIC the node is a VM (and so is the remote node): its NIC carries the VM boundary
 * (model/hypervisor: exits, the host's workers, stack and wake-ups, interrupt delivery), its cores
 * are vCPUs whose wake-ups follow halt polling, and the spec's CPU model and idle states are its
 * host's (the host cores under the vCPUs, workers and NIC queues sleep in them).
 * The node's cores sleep in idle states between packets (model/cpu idleGovernor.ts, per the spec's
 * CPU model and deepest allowed state), its NAPI polls share the NET_RX budget (model/nic
 * netRxSoftirq.ts), applications wake with the scheduler's latency (model/cpu schedulerWakeup.ts),
 * and the Service-lookup structures cool down between uses (model/lookup cacheWarmth.ts).
 *
 * Connections arrive as a Poisson stream; each targets a Service drawn uniformly (its position in
 * KUBE-SERVICES, which sets an iptables SYN's cost: uniform over the chain, or drawn from the
 * spec's servicePositions, a cluster's real ones) and an endpoint chosen as the datapath does.
 * A pure function of (spec, seed, replication, params): no clock, no I/O.
 */
import { Simulation, RandomStreams, exponential } from '../engine/index.ts';
import { CpuCores, defaultCpuCoresParams } from '../cpu/cpuCores.ts';
import { defaultCpuFrequencyParams } from '../cpu/cpuFrequency.ts';
import { governorFreqHz } from '../cpu/governor.ts';
import { RemoteVmSide } from '../hypervisor/remoteVm.ts';
import { VmHost } from '../hypervisor/vmHost.ts';
import { IdleGovernor } from '../cpu/idleGovernor.ts';
import { allowedIdleStates, cpuIdleModel } from '../cpu/idleStates.ts';
import { defaultSchedulerWakeupParams, schedulerWakeupSampler } from '../cpu/schedulerWakeup.ts';
import { CacheWarmth, defaultCacheWarmthParams } from '../lookup/cacheWarmth.ts';
import { NetRxSoftirq } from '../nic/netRxSoftirq.ts';
import { defaultWorkCostParams } from '../cpu/workCost.ts';
import { endpointSelector } from '../lookup/endpointSelection.ts';
import type { LookupContext } from '../lookup/lookupModel.ts';
import { isVmNicName, nicModelByName } from '../nic/nicModel.ts';
import { RetransmissionPolicy } from '../tcp/retransmission.ts';
import { secToNs, usToNs } from '../units.ts';
import { assemblePathResult, vmRunStats, type VmRunStats } from './assemblePathResult.ts';
import { datapathFor } from './datapath.ts';
import { checkDatapathSpec, type DatapathSpec } from './datapathSpec.ts';
import { clientEgressCost, clientIngressCost, combinedCost, connectCost, serviceContext, type PathCostContext, type StagedCost } from './packetCosts.ts';
import { conntrackSteadyState, PathConntrack } from './pathConntrack.ts';
import { PathMonitors } from './pathMonitors.ts';
import { PathConnection } from './pathPackets.ts';
import { pathModelParams, type PathModelParams } from './pathParams.ts';
import type { PathResult } from './pathResult.ts';
import { pathTraffic } from './pathTraffic.ts';
import { RemoteNode } from './remoteNode.ts';
import { pathFrames } from './segmentFrames.ts';

/** Runs `spec` once. `replication` selects independent random streams for the same seed. */
export function simulatePath(spec: DatapathSpec, seed: number, replication = 0, modelParams: Partial<PathModelParams> = {}): PathResult {
  checkDatapathSpec(spec);
  const params = pathModelParams(modelParams);
  const dp = datapathFor(spec, params.cilium);
  const sim = new Simulation();
  const streams = new RandomStreams(seed, replication);
  const workCost = defaultWorkCostParams;
  const frequency = { minFreqHz: Math.min(defaultCpuFrequencyParams.minFreqHz, spec.cpuFreqHz), maxFreqHz: spec.cpuFreqHz };
  const idleGovernor = (coreCount = spec.cores): IdleGovernor | undefined => {
    const model = cpuIdleModel(spec.cpuModel);
    const states = allowedIdleStates(model, spec.idleState);
    if (states.length === 0) return undefined;
    return new IdleGovernor(coreCount, {
      states,
      haltPollNs: model.haltPollNs,
      ...(spec.pmQosLatencyUs === undefined ? {} : { pmQosLatencyNs: usToNs(spec.pmQosLatencyUs) }),
    });
  };
  const nic = nicModelByName(spec.nic, isVmNicName(spec.nic) ? {
    vm: {
      haltPolling: spec.haltPolling,
      postedInterrupts: spec.postedInterrupts,
      fabricOneWayNs: spec.fabricOneWayUs === undefined ? undefined : usToNs(spec.fabricOneWayUs),
    },
  } : {});
  // A guest NIC: the VM's host side, whose vCPU idle model replaces the cores' C-states.
  const vmParts = (): { readonly boundary: NonNullable<typeof nic.vm>; readonly queuePairs: number; readonly vcpus: number; readonly freqHz: number } | undefined =>
    nic.vm === undefined ? undefined : { boundary: nic.vm, queuePairs: nic.queueCount(spec.cores), vcpus: spec.cores, freqHz: governorFreqHz(spec.governor, 0, frequency) };
  const vmCommon = vmParts();
  const vmHost = vmCommon === undefined ? undefined : new VmHost({
    ...vmCommon, worker: nic.virtio, deviceLinkBitsPerSec: nic.kind === 'vf' ? nic.linkRateBitsPerSec : undefined, framing: nic.framing,
    irqCycles: defaultCpuCoresParams.irqEntryCycles, hostIdle: idleGovernor,
  });
  const clientIdle = vmHost?.vcpuIdle ?? idleGovernor();
  const cores = new CpuCores(sim, {
    params: { coreCount: spec.cores, irqEntryCycles: defaultCpuCoresParams.irqEntryCycles },
    governor: spec.governor,
    frequency,
    workCost,
    ...(clientIdle === undefined ? {} : { idleGovernor: clientIdle }),
  });
  const wakeup = params.wakeup;
  const softirq = new NetRxSoftirq(cores, schedulerWakeupSampler(streams.stream('datapath.ksoftirqdWakeup'), wakeup));
  const retransmission = new RetransmissionPolicy(params.retransmission);
  const lambda = spec.connectionsPerSec;
  const ctState = conntrackSteadyState(spec, dp, streams);

  // ---- per-packet work -------------------------------------------------------------------------
  const costCtx: PathCostContext = {
    datapath: dp, spec, params, workCost, ctCapacityEntries: ctState.capacityEntries, ctOccupancyEntries: ctState.occupancyEntries,
  };
  // The SYN carries socket-LB's connect() translation (same core, just before; zero elsewhere).
  const connCost = connectCost(costCtx);
  const synCostFor = (lookup?: LookupContext): StagedCost => combinedCost(clientEgressCost(costCtx, 'syn', lookup), connCost);
  // Only an iptables SYN's cost depends on its Service (the position of its rule).
  const constantSynCost = dp.name === 'kube-proxy-iptables' ? undefined : synCostFor();
  const dataCost = clientEgressCost(costCtx, 'data');
  const finCost = clientEgressCost(costCtx, 'fin');
  const ingressCost = clientIngressCost(costCtx);
  const frames = pathFrames(spec.requestBytes, spec.responseBytes, params.framing, nic.framing);

  // ---- the node ----------------------------------------------------------------------------------
  const durationNs = Math.round(secToNs(spec.durationSec));
  const warmupNs = Math.round(secToNs(spec.warmupSec));
  const monitors = new PathMonitors(cores, spec.governor, frequency);
  const connections: PathConnection[] = [];
  // At least the connections the run can open: arrivals over the run and the first SYN retransmission, twice over.
  const runConnectionsBound = Math.ceil(lambda * (spec.durationSec + retransmission.params.initialRtoSec) * 2) + 100;
  const conntrack = new PathConntrack(sim, ctState, runConnectionsBound, (id) => {
    const conn = connections[id];
    return conn !== undefined && !conn.done;
  });
  const remote = new RemoteNode(costCtx, nic, frequency, frames, {
    coreCount: spec.cores,
    idleGovernor: vmCommon === undefined ? idleGovernor() : undefined,
    serverWakeupNs: schedulerWakeupSampler(streams.stream('datapath.serverWakeup'), wakeup),
    ...(vmCommon === undefined ? {} : {
      vm: new RemoteVmSide({
        ...vmCommon, worker: nic.virtio, deviceLinkBitsPerSec: nic.kind === 'vf' ? nic.linkRateBitsPerSec : undefined, framing: nic.framing,
        guestCoalescing: nic.coalescing, irqCycles: defaultCpuCoresParams.irqEntryCycles, hostIdle: idleGovernor,
      }),
    }),
  });
  const traffic = pathTraffic({
    sim, cores, nic, conntrack, monitors, retransmission, frames, remote,
    dataCost, finCost, ingressCost,
    maxBacklogPackets: params.costs.netdevMaxBacklogPackets,
    clientWakeupNs: schedulerWakeupSampler(streams.stream('datapath.clientWakeup'), wakeup),
    softirq,
    warmth: new CacheWarmth(1, 0, { ...defaultCacheWarmthParams, pressureBytesPerUs: spec.cachePressureBytesPerUs }),
    lossFraction: spec.lossFraction,
    lossDraw: streams.stream('datapath.wireLoss').uniformFn,
    durationNs,
    connections,
    vmHost,
  });

  // ---- arrivals ----------------------------------------------------------------------------------
  const nextGapSec = exponential(1 / lambda).sampler(streams.stream('datapath.arrivals'));
  const uService = streams.stream('datapath.service').uniformFn;
  const selector = endpointSelector(dp.endpointSelection, streams.stream('datapath.endpoint'));
  const baseCtx = serviceContext(spec);
  const positions = spec.servicePositions;

  const arrive = (): void => {
    const nowNs = sim.nowNs;
    const id = monitors.opened++;
    const u = uService();
    const servicePosition = positions === undefined ? 1 + Math.floor(u * spec.services) : positions[Math.floor(u * positions.length)]!;
    const endpointIndex = selector.next(spec.endpointsPerService);
    const synCost = constantSynCost ?? synCostFor({ ...baseCtx, servicePosition, endpointIndex });
    const recorded = nowNs >= warmupNs;
    if (recorded) monitors.measured++;
    traffic.open(new PathConnection(id, traffic.coreOfFlow(id), recorded, nowNs, synCost, spec.requestsPerConnection));
    scheduleArrival();
  };

  const scheduleArrival = (): void => {
    const gapNs = Math.round(secToNs(nextGapSec()));
    if (sim.nowNs + gapNs >= durationNs) {
      traffic.endArrivals();
      return;
    }
    sim.schedule(gapNs, arrive);
  };

  // ---- the measured window -----------------------------------------------------------------------
  let vmStats: VmRunStats | undefined;
  sim.schedule(warmupNs, () => {
    monitors.openWindow();
    vmHost?.resetStats();
  });
  sim.schedule(durationNs, () => {
    monitors.closeWindow();
    if (vmHost !== undefined) vmStats = vmRunStats(vmHost);
    traffic.maybeStop();
  });

  scheduleArrival();
  // Drain: 2^(retries + 2) initial RTOs after the window (a SYN's whole retransmission schedule is
  // 2^retries - 1 of them), then stop regardless.
  const drainNs = retransmission.initialRtoNs * 2 ** (retransmission.retries + 2);
  sim.runUntil(durationNs + drainNs);

  return assemblePathResult({
    spec, seed, replication, datapath: dp, frequency, monitors, conntrack,
    costs: { firstPacket: constantSynCost ?? synCostFor(), establishedEgress: dataCost, ingress: ingressCost },
    windowNs: durationNs - warmupNs,
    endNs: sim.nowNs,
    events: sim.eventsProcessed,
    unfinished: traffic.active,
    idleGovernor: clientIdle,
    softirq,
    vm: vmStats,
    fabricOneWayNs: remote.wireOneWayNs,
  });
}
