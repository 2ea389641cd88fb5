/**
 * The VM boundary under a guest NIC, as one value per kind of host: who serves the guest's queues
 * on the host, whether the guest's doorbell traps, what lies between that and the wire, how
 * interrupts reach the guest, who polls for a halted vCPU, and the network between two such VMs.
 *
 *   kvmVhostBoundary   KVM + QEMU + vhost-net on a host with a 10 GbE NIC (the `virtio` guest NIC):
 *                      kicks trap (ioeventfd exits), a vhost worker per queue pair sleeps when idle
 *                      (poll-us 0) and is woken per kick or per frame from the tap, the host's own NIC
 *                      (ixgbe: adaptive moderation) and its driver, bridge and tap below, posted
 *                      interrupts (APICv, KVM's default where the CPU has it), host halt polling
 *                      (the guest's haltpoll driver needs KVM_HINTS_REALTIME), one switch hop to the
 *                      peer (a private cluster).
 *   nitroEnaBoundary   an AWS Nitro instance's ENA (an SR-IOV virtual function): the guest's doorbell
 *                      writes go to the device (no exit), the offload card's pipeline each way
 *                      (assumption), no host thread, posted interrupts and host halt polling
 *                      (assumptions: Nitro's hypervisor is KVM-based, its settings are not published),
 *                      the cloud zone's fabric.
 *   andromedaGvnicBoundary  GCP's gVNIC: the host's Andromeda datapath serves the queues with
 *                      busy-polling engines ("hypervisor bypass", no thread wake-ups), so kicks need no
 *                      exit (assumption) and no host interrupt moderation applies; the engine's time per
 *                      frame is taken as vhost's (assumption); the cloud zone's fabric.
 *   esxiVmxnet3Boundary  VMware ESXi's VMXNET3: doorbells trap, a VMkernel thread serves the queues
 *                      and sleeps when idle, the host's physical NIC below; KVM's costs stand in for
 *                      ESXi's (not published), one switch hop.
 *
 * `haltPolling`, `postedInterrupts` and `fabricOneWayNs` are what a scenario varies
 * (`withVmOverrides`); the other fields describe the kind of host.
 */
import { calibrated, calibratedParams } from '../calibration/index.ts';
import { defaultIxgbeCoalescingParams } from '../nic/interruptCoalescing.ts';
import { defaultEthernetFramingParams } from '../nic/lineRate.ts';
import { usToNs } from '../units.ts';
import type { HostNicParams } from './hostRx.ts';
import { HALT_POLLING_MODES, type HaltPollingMode } from './vcpuIdle.ts';
import { checkVmExitParams, defaultVmExitParams, type VmExitParams } from './vmExits.ts';

/** Who serves a guest's queues on the host: a thread that sleeps when idle, an engine that busy-polls, or the device (a VF). */
export type HostWorkerKind = 'sleeps' | 'polls' | 'device';
export const HOST_WORKER_KINDS: readonly HostWorkerKind[] = ['sleeps', 'polls', 'device'];

export interface VmBoundaryParams {
  /** What host this describes (for tables). */
  readonly hypervisor: string;
  readonly hostWorker: HostWorkerKind;
  /** The guest's notify (doorbell) write traps into the hypervisor: a VM exit per kick. */
  readonly kickExits: boolean;
  /** The host's physical NIC below a host worker (its moderation and line rate); undefined: none in the path (a VF, or an engine that polls it). */
  readonly hostNic: HostNicParams | undefined;
  /** A VF's offload-card pipeline, each way, ns (0 for the others). */
  readonly devicePipelineNs: number;
  /** Interrupts reach a running vCPU as posted interrupts (APICv): no exit. */
  readonly postedInterrupts: boolean;
  /** Who polls for a halted vCPU. */
  readonly haltPolling: HaltPollingMode;
  /** Propagation and switching to the peer VM, one way, ns (the fabric; not the NIC). */
  readonly fabricOneWayNs: number;
  readonly exits: VmExitParams;
  /** Host scheduler latency of a sleeping host thread (a worker, a vCPU), ns. */
  readonly hostThreadWakeupNs: number;
  /** How long an idle host worker busy-polls before it sleeps, ns. */
  readonly hostWorkerBusyPollNs: number;
  /** Host CPU per received frame in the host's stack (driver, bridge, tap), cycles. */
  readonly hostRxStackCycles: number;
}

/** The host sides every kind shares (costs of KVM's mechanisms). */
const HOST = calibratedParams({
  hostThreadWakeupNs: 'hypervisor.hostThreadWakeupNs',
  hostRxStackCycles: 'hypervisor.hostRxStackCycles',
});
const hostWorkerBusyPollNs = (): number => usToNs(calibrated('hypervisor.vhostBusyPollUs'));

/** A host's 10 GbE port (ixgbe, adaptive moderation): what the `physical-10g` node has. */
export const defaultHostNicParams: HostNicParams = calibratedParams(
  { linkRateBitsPerSec: 'nic.linkRate10gBitsPerSec' },
  { framing: defaultEthernetFramingParams, coalescing: defaultIxgbeCoalescingParams },
);

function boundary(p: Omit<VmBoundaryParams, 'exits' | 'hostThreadWakeupNs' | 'hostRxStackCycles' | 'hostWorkerBusyPollNs'>): VmBoundaryParams {
  const b: VmBoundaryParams = { ...p, exits: defaultVmExitParams, ...HOST, hostWorkerBusyPollNs: hostWorkerBusyPollNs() };
  checkVmBoundaryParams(b);
  return Object.freeze(b);
}

export function kvmVhostBoundary(): VmBoundaryParams {
  return boundary({
    hypervisor: 'KVM + QEMU + vhost-net', hostWorker: 'sleeps', kickExits: true, hostNic: defaultHostNicParams, devicePipelineNs: 0,
    postedInterrupts: true, haltPolling: 'host', fabricOneWayNs: calibrated('datapath.wireOneWayNs'),
  });
}

export function nitroEnaBoundary(): VmBoundaryParams {
  return boundary({
    hypervisor: 'AWS Nitro (ENA virtual function)', hostWorker: 'device', kickExits: false, hostNic: undefined,
    devicePipelineNs: calibrated('hypervisor.ena.devicePipelineNs'),
    postedInterrupts: true, haltPolling: 'host', fabricOneWayNs: calibrated('hypervisor.cloudFabricOneWayNs'),
  });
}

export function andromedaGvnicBoundary(): VmBoundaryParams {
  return boundary({
    hypervisor: 'GCP Andromeda (gVNIC, polling engines)', hostWorker: 'polls', kickExits: false, hostNic: undefined, devicePipelineNs: 0,
    postedInterrupts: true, haltPolling: 'host', fabricOneWayNs: calibrated('hypervisor.cloudFabricOneWayNs'),
  });
}

export function esxiVmxnet3Boundary(): VmBoundaryParams {
  return boundary({
    hypervisor: 'VMware ESXi (VMXNET3)', hostWorker: 'sleeps', kickExits: true, hostNic: defaultHostNicParams, devicePipelineNs: 0,
    postedInterrupts: true, haltPolling: 'host', fabricOneWayNs: calibrated('datapath.wireOneWayNs'),
  });
}

/** What a scenario may change on a boundary. */
export interface VmOverrides {
  readonly haltPolling?: HaltPollingMode;
  readonly postedInterrupts?: boolean;
  readonly fabricOneWayNs?: number;
}

/** `b` with the overrides given (undefined fields keep the boundary's). */
export function withVmOverrides(b: VmBoundaryParams, o: VmOverrides): VmBoundaryParams {
  const out: VmBoundaryParams = {
    ...b,
    ...(o.haltPolling === undefined ? {} : { haltPolling: o.haltPolling }),
    ...(o.postedInterrupts === undefined ? {} : { postedInterrupts: o.postedInterrupts }),
    ...(o.fabricOneWayNs === undefined ? {} : { fabricOneWayNs: o.fabricOneWayNs }),
  };
  checkVmBoundaryParams(out);
  return Object.freeze(out);
}

/** Throws naming the field, the value and what is allowed. */
export function checkVmBoundaryParams(b: VmBoundaryParams): void {
  if (!HOST_WORKER_KINDS.includes(b.hostWorker)) throw new RangeError(`hostWorker must be one of ${HOST_WORKER_KINDS.join(', ')}, got "${String(b.hostWorker)}"`);
  if (!HALT_POLLING_MODES.includes(b.haltPolling)) throw new RangeError(`haltPolling must be one of ${HALT_POLLING_MODES.join(', ')}, got "${String(b.haltPolling)}"`);
  for (const field of ['kickExits', 'postedInterrupts'] as const) {
    if (typeof b[field] !== 'boolean') throw new RangeError(`${field} must be true or false, got ${String(b[field])}`);
  }
  for (const field of ['devicePipelineNs', 'fabricOneWayNs', 'hostThreadWakeupNs', 'hostWorkerBusyPollNs', 'hostRxStackCycles'] as const) {
    const v = b[field];
    if (!(v >= 0 && Number.isFinite(v))) throw new RangeError(`${field} must be a finite number >= 0, got ${v}`);
  }
  if (b.hostWorker === 'device' && b.hostNic !== undefined) throw new RangeError('a VF (hostWorker device) has no host NIC below a host worker: hostNic must be undefined');
  if (b.hostWorker === 'device' && b.kickExits) throw new RangeError('a VF (hostWorker device) takes doorbell writes in the device: kickExits must be false');
  checkVmExitParams(b.exits);
}
