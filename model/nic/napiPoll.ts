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
 * Approximations: the hard IRQ does not pre-empt work already on the core (it is charged when the
 * softirq gets the core); under sustained overload softirq keeps the core from tasks indefinitely
 * (Linux hands over to ksoftirqd after 2 ms or 10 restarts, and the scheduler then shares the core).
 */
import type { Simulation } from '../engine/index.ts';
import { Welford } from '../engine/index.ts';
import { calibratedParams } from '../calibration/index.ts';
import { SOFTIRQ_PRIORITY, type CpuCores } from '../cpu/cpuCores.ts';
import type { Work } from '../cpu/workCost.ts';
import { InterruptCoalescer, type InterruptCoalescingParams } from './interruptCoalescing.ts';
import type { RxRing } from './rxRing.ts';

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
  readonly perPacketWork: (pkt: T, core: number) => Work;
  /** Called when a packet's processing ends. */
  readonly onDone: (pkt: T, nowNs: number) => void;
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

  private scheduled = false;
  private irqPending = false;
  private budget = 0;
  private inPoll = 0;
  private readonly sim: Simulation;
  private readonly cores: CpuCores;
  private readonly perPacketWork: (pkt: T, core: number) => Work;
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
    this.coalescer = new InterruptCoalescer(this.sim, options.coalescing, () => {
      this.irqPending = true;
      this.schedulePoll();
    });
  }

  /** The NIC delivers `pkt` to this queue: into the ring (false if full, counted there), then the interrupt logic. */
  arrive(pkt: T): boolean {
    if (!this.ring.arrive(pkt)) return false;
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
    this.cores.acquire(this.core, this.startPollFn, undefined, SOFTIRQ_PRIORITY);
  }

  private startPoll(): void {
    this.polls++;
    this.budget = this.weightPackets;
    this.inPoll = 0;
    let irqNs = 0;
    if (this.irqPending) {
      this.irqPending = false;
      irqNs = this.cores.workNs(this.core, this.cores.irqWork);
      this.cores.chargeNs(this.core, irqNs);
    }
    this.processNext(irqNs);
  }

  /** Starts the next packet of the poll; `aheadNs` of work already charged on the core comes first (the interrupt's). */
  private processNext(aheadNs: number): void {
    if (this.budget === 0) {
      // Budget used up: queue the next poll at softirq priority *before* letting the core go, so
      // other softirq work on this core gets its turn but task work does not (net_rx_action).
      this.packetsPerPoll.add(this.inPoll);
      this.cores.acquire(this.core, this.startPollFn, undefined, SOFTIRQ_PRIORITY);
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
    const ns = this.cores.workNs(this.core, this.perPacketWork(pkt, this.core));
    this.cores.chargeNs(this.core, ns);
    this.sim.schedule(aheadNs + ns, this.finishPacketFn, pkt);
  }

  private finishPacket(pkt: T): void {
    this.budget--;
    this.inPoll++;
    this.processedPackets++;
    this.onDone(pkt, this.sim.nowNs);
    this.processNext(0);
  }

  private endPoll(): void {
    this.packetsPerPoll.add(this.inPoll);
    this.scheduled = false;
    this.cores.release(this.core);
  }
}
