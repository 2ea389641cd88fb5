/**
 * The VM boundary of the remote (backend) node when it is a VM too: the same mechanisms as the
 * client's (VmHost), timed per message without queueing, as the remote node is. A message's frames
 * reach the remote VM's host (its port, its NIC's moderation at a low rate or its rate limit, the
 * host core's wake-up, the interrupt and the stack per frame; or a VF's link and pipeline), then
 * the queue pair's worker (its wake-up if it slept since its last work, its time per frame), then
 * the guest NIC's moderation; the vCPU's wake-up and the interrupt's delivery are the remote node's
 * (its idle model is the VM's VcpuIdle). The answer leaves with the guest's kick (if the worker is
 * idle), the worker's wake-up and work, and the host's port (or a VF's pipeline and link).
 * Each part is added to a `VmCrossingNs` so the remote node can split its turnaround into causes.
 */
import type { IdleGovernor } from '../cpu/idleGovernor.ts';
import type { InterruptCoalescingParams } from '../nic/interruptCoalescing.ts';
import { serializationNs } from '../nic/lineRate.ts';
import { vhostServiceNs } from '../nic/virtioNet.ts';
import { cyclesToNs, usToNs } from '../units.ts';
import { HostWorkerWake } from './hostWorkerWake.ts';
import { VcpuIdle } from './vcpuIdle.ts';
import { vmExitTimes, type VmExitTimes } from './vmExits.ts';
import type { VmHostOptions } from './vmHost.ts';

/** Where a message's crossing of a VM boundary spent its time, ns (added to, never reset here). */
export interface VmCrossingNs {
  wireNs: number;
  moderationNs: number;
  vmExitNs: number;
  hostWakeupNs: number;
  hostNs: number;
}

/** The remote VM's host (as VmHost's) and its guest NIC's moderation. */
export interface RemoteVmOptions extends VmHostOptions {
  /** The guest NIC's own interrupt moderation. */
  readonly guestCoalescing: InterruptCoalescingParams;
}

/** The moderation delay at a low rate: the adaptive minimum, or the static delay. */
function lowRateDelayNs(c: InterruptCoalescingParams): number {
  return usToNs(c.adaptive ? c.adaptiveMinUs : c.rxCoalesceUs);
}

export class RemoteVmSide {
  readonly exits: VmExitTimes;
  readonly vcpuIdle: VcpuIdle;
  private readonly workerWake: HostWorkerWake | undefined;
  private readonly hostCoreIdle: IdleGovernor | undefined;
  private readonly hostBusyUntilNs: Float64Array;
  private readonly hostLastIrqNs: Float64Array;
  private readonly workerBusyUntilNs: Float64Array;
  private readonly guestLastIrqNs: Float64Array;
  private readonly irqNs: number;
  private readonly stackNs: number;

  constructor(private readonly o: RemoteVmOptions) {
    const b = o.boundary;
    this.exits = vmExitTimes(b.exits, o.freqHz, b.postedInterrupts);
    this.vcpuIdle = new VcpuIdle({ vcpus: o.vcpus, haltPolling: b.haltPolling, exits: this.exits, hostThreadWakeupNs: b.hostThreadWakeupNs, hostIdle: o.hostIdle(o.vcpus) });
    this.workerWake = b.hostWorker === 'sleeps'
      ? new HostWorkerWake({ workers: o.queuePairs, hostThreadWakeupNs: b.hostThreadWakeupNs, busyPollNs: b.hostWorkerBusyPollNs, hostIdle: o.hostIdle(o.queuePairs) })
      : undefined;
    if (b.hostWorker !== 'device' && o.worker === undefined) throw new RangeError(`a ${b.hostWorker} host worker needs its time per frame (worker params)`);
    if (b.hostWorker === 'device' && !(o.deviceLinkBitsPerSec !== undefined && o.deviceLinkBitsPerSec > 0)) {
      throw new RangeError(`a VF needs its link rate (deviceLinkBitsPerSec > 0), got ${o.deviceLinkBitsPerSec}`);
    }
    this.hostCoreIdle = b.hostNic === undefined ? undefined : o.hostIdle(o.queuePairs);
    this.hostBusyUntilNs = new Float64Array(o.queuePairs);
    this.hostLastIrqNs = new Float64Array(o.queuePairs).fill(-Infinity);
    this.workerBusyUntilNs = new Float64Array(o.queuePairs);
    this.guestLastIrqNs = new Float64Array(o.vcpus).fill(-Infinity);
    this.irqNs = cyclesToNs(o.irqCycles, o.freqHz);
    this.stackNs = cyclesToNs(b.hostRxStackCycles, o.freqHz);
  }

  /**
   * A message of `frames` (bytes each) for the guest reaches the host at `arrivalNs` on `queue`,
   * for vCPU `core`: the time until its interrupt reaches the vCPU, ns (before the vCPU's wake-up).
   */
  receive(queue: number, core: number, frames: readonly number[], arrivalNs: number, out: VmCrossingNs): number {
    const b = this.o.boundary;
    const last = frames[frames.length - 1]!;
    let t = arrivalNs;
    if (b.hostNic !== undefined) {
      const serNs = serializationNs(b.hostNic.linkRateBitsPerSec, last, b.hostNic.framing);
      const c = b.hostNic.coalescing;
      const atNs = t + serNs;
      const modNs = this.moderationNs(c, this.hostLastIrqNs, queue, atNs);
      const irqAtNs = atNs + modNs;
      const idleNs = irqAtNs - this.hostBusyUntilNs[queue]!;
      const wakeNs = idleNs > 0 && this.hostCoreIdle !== undefined ? this.hostCoreIdle.wake(queue, idleNs) : 0;
      const workNs = this.irqNs + frames.length * this.stackNs;
      t = irqAtNs + wakeNs + workNs;
      this.hostBusyUntilNs[queue] = Math.max(this.hostBusyUntilNs[queue]!, t);
      out.wireNs += serNs;
      out.moderationNs += modNs;
      out.hostWakeupNs += wakeNs;
      out.hostNs += workNs;
    } else if (b.hostWorker === 'device') {
      const serNs = serializationNs(this.o.deviceLinkBitsPerSec!, last, this.o.framing);
      t += serNs + b.devicePipelineNs;
      out.wireNs += serNs;
      out.hostNs += b.devicePipelineNs;
    }
    if (b.hostWorker !== 'device') t = this.work(queue, frames, t, out);
    const modNs = this.moderationNs(this.o.guestCoalescing, this.guestLastIrqNs, core, t);
    out.moderationNs += modNs;
    return t + modNs - arrivalNs;
  }

  /**
   * The wait of a message ready at `atNs` for its interrupt (`lastIrqNs[i]`: the last or pending
   * interrupt of that queue): at a low rate, the static delay or the adaptive minimum; under a rate
   * limit, the pending interrupt if one is still to come (the message joins it), else the later of
   * now and the interval after the last.
   */
  private moderationNs(c: InterruptCoalescingParams, lastIrqNs: Float64Array, i: number, atNs: number): number {
    if (c.timerMode !== 'rate') return lowRateDelayNs(c);
    const last = lastIrqNs[i]!;
    if (atNs <= last) return last - atNs;
    const irqNs = Math.max(atNs, last + usToNs(c.rxCoalesceUs));
    lastIrqNs[i] = irqNs;
    return irqNs - atNs;
  }

  /** The interrupt reached vCPU `core`, whose wake-up took `exitNs` (0: it was running): the delivery's time, ns, added to `out`. */
  delivery(core: number, exitNs: number, out: VmCrossingNs): number {
    if (exitNs > 0) {
      const hostNs = Math.min(exitNs, this.vcpuIdle.lastHostPartNs(core));
      out.hostWakeupNs += hostNs;
      out.vmExitNs += exitNs - hostNs;
      return 0;
    }
    const ns = this.exits.runningInjectionNs;
    out.vmExitNs += ns;
    return ns;
  }

  /** The guest sends `frames` on `queue` at `atNs` (its work done): the time until the last leaves the host, ns. */
  send(queue: number, frames: readonly number[], atNs: number, out: VmCrossingNs): number {
    const b = this.o.boundary;
    let t = atNs;
    if (b.kickExits && this.workerBusyUntilNs[queue]! + b.hostWorkerBusyPollNs < t) {
      t += this.exits.kickNs;
      out.vmExitNs += this.exits.kickNs;
    }
    const last = frames[frames.length - 1]!;
    if (b.hostWorker === 'device') {
      const serNs = serializationNs(this.o.deviceLinkBitsPerSec!, last, this.o.framing);
      out.hostNs += b.devicePipelineNs;
      out.wireNs += serNs;
      return t + b.devicePipelineNs + serNs - atNs;
    }
    t = this.work(queue, frames, t, out);
    if (b.hostNic !== undefined) {
      const serNs = serializationNs(b.hostNic.linkRateBitsPerSec, last, b.hostNic.framing);
      out.wireNs += serNs;
      t += serNs;
    }
    return t - atNs;
  }

  /**
   * The queue pair's worker takes `frames` from `atNs` (woken if it slept since its last work): when
   * it is done, ns. Without queueing, as the remote node is timed: messages are computed when they
   * are sent, not in the order they reach the worker, so a worker 'busy' with a later message's
   * answer must not delay an earlier one.
   */
  private work(queue: number, frames: readonly number[], atNs: number, out: VmCrossingNs): number {
    const idleNs = atNs - this.workerBusyUntilNs[queue]!;
    const wakeNs = idleNs > 0 && this.workerWake !== undefined ? this.workerWake.wakeNs(queue, idleNs) : 0;
    let serviceNs = 0;
    for (const bytes of frames) serviceNs += vhostServiceNs(bytes, this.o.worker!);
    const doneNs = atNs + wakeNs + serviceNs;
    out.hostWakeupNs += wakeNs;
    out.hostNs += serviceNs;
    this.workerBusyUntilNs[queue] = Math.max(this.workerBusyUntilNs[queue]!, doneNs);
    return doneNs;
  }
}
