/**
 * NAPI: an RX interrupt schedules a poll of its queue on the queue's core (softirq priority). A
 * poll takes up to `weightPackets` (dev_weight, 64) packets off the ring, one after another, each
 * for the time its work takes at the core's current clock; then it yields the core and polls again
 * if packets remain (ahead of task work, behind other softirq work on the core), or completes and
 * re-arms the interrupt if the ring is empty. The first poll after an interrupt first pays the
 * interrupt's CPU cost: its first packet is taken off the ring when the poll starts and finishes
 * after the interrupt's work plus its own (one engine event, not two; the descriptor is read
 * up to the IRQ cost, ~1 us, earlier than a driver would, which matters only to a ring that is
 * full to the last slot; drivers refill descriptors in batches anyway). A packet's latency
 * therefore includes the coalescing delay, the wait for the core and the processing of the
 * packets ahead of it.
 * With a NetRxSoftirq, the polls of a core share its NET_RX budget: when a round runs out and the
 * core may not restart, the remaining polls run in ksoftirqd (woken by the scheduler, then waiting
 * for the core as task work) until the ring is drained; without one, softirq keeps the core.
 * Approximation: the hard IRQ does not pre-empt work already on the core (it is charged when the
 * softirq gets the core).
 * A guest's NIC (with a VM boundary) adds the interrupt's delivery into the vCPU to the interrupt's
 * work (`deliveryNs`: an exit and injection for a running vCPU without posted interrupts; nothing
 * when the interrupt woke the vCPU, whose wake-up included it); `pollDeliveryNs` holds it for the
 * poll's first packet.
 */
import type { Simulation } from '../engine/index.ts';
import { Welford } from '../engine/index.ts';
import { calibratedParams } from '../calibration/index.ts';
import { SOFTIRQ_PRIORITY, TASK_PRIORITY, type CpuCores } from '../cpu/cpuCores.ts';
import type { Work } from '../cpu/workCost.ts';
import { InterruptCoalescer, type InterruptCoalescingParams } from './interruptCoalescing.ts';
import type { RxRing } from './rxRing.ts';
import type { NetRxSoftirq } from './netRxSoftirq.ts';

export interface NapiParams {
  /** Packets per poll before the core is yielded (dev_weight). Default 64. */
  readonly weightPackets: number;
}

export const defaultNapiParams: NapiParams = calibratedParams({ weightPackets: 'nic.napiWeightPackets' });

export interface NapiPollOptions<T> {
  readonly ring: RxRing<T>;
  readonly cores: CpuCores;
  /** The core this queue's interrupt is pinned to. */
  readonly core: number;
  readonly coalescing: InterruptCoalescingParams;
  readonly params?: NapiParams;
  /** CPU work to receive one packet on this core (driver + stack + programs). */
  readonly perPacketWork: (pkt: T, core: number, poll: NapiPoll<T>) => Work;
  /** Called when a packet's processing ends. */
  readonly onDone: (pkt: T, nowNs: number) => void;
  /** The core's NET_RX budget and ksoftirqd hand-off; default none (softirq keeps the core). */
  readonly softirq?: NetRxSoftirq;
  /** A guest's interrupt delivery into the vCPU (`core`, whose grant waited `exitNs` for its wake-up), ns; default none. */
  readonly deliveryNs?: (core: number, exitNs: number) => number;
}

export class NapiPoll<T> {
  readonly coalescer: InterruptCoalescer;
  readonly ring: RxRing<T>;
  readonly core: number;
  readonly weightPackets: number;
  /** Polls run (each up to weightPackets packets). */
  polls = 0;
  /** Packets processed. */
  processedPackets = 0;
  /** Packets per poll. */
  readonly packetsPerPoll = new Welford();
  /** When the last interrupt fired, ns (NaN before the first). */
  lastIrqNs = NaN;
  /** When the current poll got its core, the idle-state exit that grant waited, and whether it runs in ksoftirqd. */
  pollGrantNs = NaN;
  pollExitNs = 0;
  pollInKsoftirqd = false;
  /** The interrupt delivery charged with the current poll's interrupt, ns (0 without one); its consumer may clear it. */
  pollDeliveryNs = 0;

  private scheduled = false;
  private irqPending = false;
  private budget = 0;
  private inPoll = 0;
  private readonly sim: Simulation;
  private readonly cores: CpuCores;
  private readonly softirq: NetRxSoftirq | undefined;
  private readonly deliveryNs: ((core: number, exitNs: number) => number) | undefined;
  private readonly ksoftirqdPollFn = (): void => this.cores.acquire(this.core, this.startPollFn, undefined, TASK_PRIORITY);
  private readonly perPacketWork: (pkt: T, core: number, poll: NapiPoll<T>) => Work;
  private readonly onDone: (pkt: T, nowNs: number) => void;
  private readonly startPollFn = (): void => this.startPoll();
  private readonly emptyPollDoneFn = (): void => this.processNext(0);
  // The packet in service rides as the event's argument (a field would cost a write barrier per packet).
  private readonly finishPacketFn = (pkt: T): void => this.finishPacket(pkt);

  constructor(options: NapiPollOptions<T>) {
    this.ring = options.ring;
    this.cores = options.cores;
    this.sim = options.cores.sim;
    this.core = options.core;
    const weight = (options.params ?? defaultNapiParams).weightPackets;
    if (!(Number.isInteger(weight) && weight >= 1)) throw new RangeError(`weightPackets must be a positive integer, got ${weight}`);
    this.weightPackets = weight;
    this.perPacketWork = options.perPacketWork;
    this.onDone = options.onDone;
    this.softirq = options.softirq;
    this.deliveryNs = options.deliveryNs;
    this.coalescer = new InterruptCoalescer(this.sim, options.coalescing, () => {
      this.lastIrqNs = this.sim.nowNs;
      this.irqPending = true;
      this.schedulePoll();
    });
  }

  /** The NIC delivers `pkt` to this queue: into the ring (false if full, counted there), then the interrupt logic. */
  arrive(pkt: T): boolean {
    if (!this.ring.arrive(pkt)) return false;
    const stamped = pkt as { ringNs?: number };
    if (stamped.ringNs !== undefined) stamped.ringNs = this.sim.nowNs;
    this.coalescer.packetArrived();
    return true;
  }

  /** Interrupts raised on this queue. */
  get interrupts(): number {
    return this.coalescer.interrupts;
  }

  private schedulePoll(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const softirq = this.softirq;
    if (softirq === undefined) {
      this.cores.acquire(this.core, this.startPollFn, undefined, SOFTIRQ_PRIORITY);
      return;
    }
    softirq.scheduled(this.core);
    this.cores.acquire(this.core, this.startPollFn, undefined, softirq.priorityFor(this.core));
  }

  private startPoll(): void {
    this.polls++;
    this.pollGrantNs = this.sim.nowNs;
    this.pollExitNs = this.cores.grantExitNs;
    this.pollInKsoftirqd = this.softirq !== undefined && this.softirq.isInKsoftirqd(this.core);
    this.budget = this.weightPackets;
    this.inPoll = 0;
    let irqNs = 0;
    this.pollDeliveryNs = 0;
    if (this.irqPending) {
      this.irqPending = false;
      irqNs = this.cores.workNs(this.core, this.cores.irqWork);
      if (this.deliveryNs !== undefined) {
        const deliveryNs = Math.round(this.deliveryNs(this.core, this.pollExitNs));
        this.pollDeliveryNs = deliveryNs;
        irqNs += deliveryNs;
      }
      this.cores.chargeNs(this.core, irqNs);
    }
    this.processNext(irqNs);
  }

  /** Starts the next packet of the poll; `aheadNs` of work already charged on the core comes first (the interrupt's). */
  private processNext(aheadNs: number): void {
    if (this.budget === 0) {
      // Weight used up: queue the next poll *before* letting the core go, so other softirq work on
      // this core gets its turn but task work does not (net_rx_action) -- unless the core's NET_RX
      // budget moved the work to ksoftirqd, which waits like a task (after its wake-up).
      this.packetsPerPoll.add(this.inPoll);
      const next = this.softirq === undefined ? 'softirq' : this.softirq.afterWeight(this.core);
      if (next === 'handoff') this.sim.schedule(Math.max(0, Math.round(this.softirq!.ksoftirqdWakeupNs())), this.ksoftirqdPollFn);
      else this.cores.acquire(this.core, this.startPollFn, undefined, next === 'softirq' ? SOFTIRQ_PRIORITY : TASK_PRIORITY);
      this.cores.release(this.core);
      return;
    }
    const pkt = this.ring.take();
    if (pkt === undefined) {
      if (aheadNs > 0) {
        // Nothing to receive after all: the core is held for the interrupt's work alone.
        this.sim.schedule(aheadNs, this.emptyPollDoneFn);
        return;
      }
      this.endPoll();
      this.coalescer.rearm(this.ring.size);
      return;
    }
    const ns = this.cores.workNs(this.core, this.perPacketWork(pkt, this.core, this));
    this.cores.chargeNs(this.core, ns);
    this.sim.schedule(aheadNs + ns, this.finishPacketFn, pkt);
  }

  private finishPacket(pkt: T): void {
    this.budget--;
    this.inPoll++;
    this.processedPackets++;
    this.softirq?.packet(this.core);
    this.onDone(pkt, this.sim.nowNs);
    this.processNext(0);
  }

  private endPoll(): void {
    this.packetsPerPoll.add(this.inPoll);
    this.scheduled = false;
    this.softirq?.completed(this.core);
    this.cores.release(this.core);
  }
}
