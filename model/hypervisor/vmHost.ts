/**
 * One VM's host side in a run, assembled from a VmBoundaryParams: the state the boundary's
 * mechanisms keep and the few questions the guest's NIC and cores ask of it.
 *
 *   kickNs(queue, atNs)       the guest hands a frame to a TX queue: a kick (VM exit) if its doorbell
 *                             traps and the host worker is not processing that queue pair (vhost
 *                             disables notifications while it works: event-idx), else nothing
 *   tx(queue, bytes, nowNs)   the frame through the host: the queue pair's worker (woken if it
 *                             sleeps) and the host's port, or a VF's pipeline and link; when it has left
 *   rxHost(queue, bytes, now) a frame for the guest through the host before its worker: the host's
 *                             port, NIC moderation, core wake-up and stack (hostRx.ts), or a VF's link
 *                             and pipeline; when it is ready for the worker (or, for a VF, in the ring)
 *   deliveryNs(core, exitNs)  an interrupt reaches the guest: into a running vCPU it costs an exit
 *                             and injection unless interrupts are posted; a halted vCPU's wake-up
 *                             (the vCPU idle model, vcpuIdle.ts) already includes its injection
 *
 * The worker threads (`threads`, VhostThreads) are shared by both directions of a queue pair and
 * handed to the guest NIC's RX and TX sides. Host CPU (workers, host stack, polling, HLT exits) and
 * the guest's exits are counted for the CPU per packet a run reports.
 */
import type { IdleGovernor } from '../cpu/idleGovernor.ts';
import type { EthernetFramingParams } from '../nic/lineRate.ts';
import { serializationNs } from '../nic/lineRate.ts';
import type { VirtioNetParams } from '../nic/virtioNet.ts';
import { VhostThreads } from '../nic/vhostThreads.ts';
import { cyclesToNs } from '../units.ts';
import { HostRxPath } from './hostRx.ts';
import { HostWorkerWake } from './hostWorkerWake.ts';
import { VcpuIdle } from './vcpuIdle.ts';
import type { VmBoundaryParams } from './vmBoundary.ts';
import { vmExitTimes, type VmExitTimes } from './vmExits.ts';

export interface VmHostOptions {
  readonly boundary: VmBoundaryParams;
  /** Guest queue pairs (one host worker, one host NIC queue each). */
  readonly queuePairs: number;
  readonly vcpus: number;
  /** The host worker's time per frame (a paravirtual NIC's); undefined for a VF. */
  readonly worker: VirtioNetParams | undefined;
  /** A VF's own link, bit/s (undefined otherwise), and the guest NIC's framing. */
  readonly deviceLinkBitsPerSec: number | undefined;
  readonly framing: EthernetFramingParams;
  /** Clock of the host CPU (exits and host stack in cycles), Hz. */
  readonly freqHz: number;
  /** Host CPU per host NIC interrupt, cycles. */
  readonly irqCycles: number;
  /** The host's idle governor for `cores` host cores (its CPU's idle states), or undefined when its cores do not sleep. */
  readonly hostIdle: (cores: number) => IdleGovernor | undefined;
}

export class VmHost {
  readonly boundary: VmBoundaryParams;
  readonly exits: VmExitTimes;
  /** The queue pairs' host workers (undefined for a VF). */
  readonly threads: VhostThreads | undefined;
  readonly workerWake: HostWorkerWake | undefined;
  readonly hostRx: HostRxPath | undefined;
  readonly vcpuIdle: VcpuIdle;
  /** The last `rxHost`: its wait for the port, for host moderation and for the host core's exit, ns. */
  lastRxWireNs = 0;
  lastRxModerationNs = 0;
  lastRxWakeNs = 0;
  /** The last `tx`: its worker's wake-up and when the host part (worker or pipeline) was done, ns. */
  lastTxWakeNs = 0;
  lastTxHostDoneNs = 0;
  // ---- the guest's exits since the last resetStats() ----
  kicks = 0;
  kickNs = 0;
  runningInjections = 0;
  injectionNs = 0;

  private readonly queuePairs: number;
  private rxWireFreeNs = 0;
  private txWireFreeNs = 0;
  private readonly o: VmHostOptions;

  constructor(o: VmHostOptions) {
    const b = o.boundary;
    this.o = o;
    this.boundary = b;
    if (!(Number.isInteger(o.queuePairs) && o.queuePairs >= 1)) throw new RangeError(`queuePairs must be a positive integer, got ${o.queuePairs}`);
    this.queuePairs = o.queuePairs;
    this.exits = vmExitTimes(b.exits, o.freqHz, b.postedInterrupts);
    if (b.hostWorker === 'device') {
      if (!(o.deviceLinkBitsPerSec !== undefined && o.deviceLinkBitsPerSec > 0)) throw new RangeError(`a VF needs its link rate (deviceLinkBitsPerSec > 0), got ${o.deviceLinkBitsPerSec}`);
      this.threads = undefined;
      this.workerWake = undefined;
    } else {
      if (o.worker === undefined) throw new RangeError(`a ${b.hostWorker} host worker needs its time per frame (worker params)`);
      this.workerWake = b.hostWorker === 'sleeps'
        ? new HostWorkerWake({ workers: o.queuePairs, hostThreadWakeupNs: b.hostThreadWakeupNs, busyPollNs: b.hostWorkerBusyPollNs, hostIdle: o.hostIdle(o.queuePairs) })
        : undefined;
      this.threads = new VhostThreads(o.queuePairs, o.worker, this.workerWake);
    }
    this.hostRx = b.hostNic === undefined ? undefined : new HostRxPath({
      queues: o.queuePairs, nic: b.hostNic, irqNs: cyclesToNs(o.irqCycles, o.freqHz), stackNs: cyclesToNs(b.hostRxStackCycles, o.freqHz), hostIdle: o.hostIdle(o.queuePairs),
    });
    this.vcpuIdle = new VcpuIdle({
      vcpus: o.vcpus, haltPolling: b.haltPolling, exits: this.exits, hostThreadWakeupNs: b.hostThreadWakeupNs, hostIdle: o.hostIdle(o.vcpus),
    });
  }

  /** The guest hands a frame to TX `queue` at `atNs`: the kick's time on the vCPU, ns (0: no kick). */
  kickNsAt(queue: number, atNs: number): number {
    const b = this.boundary;
    if (!b.kickExits) return 0;
    const threads = this.threads;
    if (threads !== undefined && threads.freeAt(queue) + b.hostWorkerBusyPollNs >= atNs) return 0;
    this.kicks++;
    this.kickNs += this.exits.kickNs;
    return this.exits.kickNs;
  }

  /** A frame leaves the guest through TX `queue` at `nowNs`: when its last bit has left the host, ns. */
  tx(queue: number, frameBytes: number, nowNs: number): number {
    const b = this.boundary;
    let hostDoneNs: number;
    let linkBitsPerSec: number | undefined;
    if (this.threads === undefined) {
      hostDoneNs = nowNs + b.devicePipelineNs;
      this.lastTxWakeNs = 0;
      linkBitsPerSec = this.o.deviceLinkBitsPerSec;
    } else {
      hostDoneNs = this.threads.serve(queue, frameBytes, nowNs);
      this.lastTxWakeNs = this.threads.lastWakeNs;
      linkBitsPerSec = b.hostNic?.linkRateBitsPerSec;
    }
    this.lastTxHostDoneNs = hostDoneNs;
    if (linkBitsPerSec === undefined) return hostDoneNs;
    const doneNs = Math.max(hostDoneNs, this.txWireFreeNs) + serializationNs(linkBitsPerSec, frameBytes, b.hostNic?.framing ?? this.o.framing);
    this.txWireFreeNs = doneNs;
    return doneNs;
  }

  /**
   * A frame for RX `queue` reaches the host at `nowNs`: when it is ready for the queue pair's worker
   * (or, for a VF, in the guest's ring), ns; `lastRx*` say where it waited.
   */
  rxHost(queue: number, frameBytes: number, nowNs: number): number {
    const b = this.boundary;
    if (this.hostRx !== undefined) {
      const readyNs = this.hostRx.arrive(queue, frameBytes, nowNs);
      this.lastRxWireNs = this.hostRx.lastWireNs;
      this.lastRxModerationNs = this.hostRx.lastModerationNs;
      this.lastRxWakeNs = this.hostRx.lastWakeNs;
      return readyNs;
    }
    this.lastRxModerationNs = 0;
    this.lastRxWakeNs = 0;
    if (this.threads !== undefined) {
      this.lastRxWireNs = 0;
      return nowNs;
    }
    const wireDoneNs = Math.max(nowNs, this.rxWireFreeNs) + serializationNs(this.o.deviceLinkBitsPerSec!, frameBytes, this.o.framing);
    this.rxWireFreeNs = wireDoneNs;
    this.lastRxWireNs = wireDoneNs - nowNs;
    return wireDoneNs + b.devicePipelineNs;
  }

  /** An interrupt reaches vCPU `core`, whose grant waited `exitNs` for its wake-up: the delivery's extra time on the vCPU, ns. */
  deliveryNs(_core: number, exitNs: number): number {
    if (exitNs > 0) return 0;
    this.runningInjections++;
    const ns = this.exits.runningInjectionNs;
    this.injectionNs += ns;
    return ns;
  }

  /** Queue pairs of the guest NIC this host serves. */
  get queueCount(): number {
    return this.queuePairs;
  }

  /** Host CPU spent on this guest since the last resetStats(): workers, host stack, polling and HLT exits, ns. */
  get hostCpuNs(): number {
    const v = this.vcpuIdle;
    return (this.threads?.busyNs ?? 0) + (this.hostRx?.cpuNs ?? 0) + (this.workerWake?.busyPollNs ?? 0) + v.guestPollNs + v.hostPollNs + v.haltExitNs;
  }

  /** Restarts the counters (the measured window). */
  resetStats(): void {
    this.kicks = 0;
    this.kickNs = 0;
    this.runningInjections = 0;
    this.injectionNs = 0;
    if (this.threads !== undefined) this.threads.busyNs = 0;
    this.workerWake?.resetStats();
    this.hostRx?.resetStats();
    this.vcpuIdle.resetStats();
  }
}
