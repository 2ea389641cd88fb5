/**
 * The host's receive path under a paravirtual guest NIC: a frame for the guest crosses the host's
 * physical port (serialisation at its line rate, one port for the host), waits for the host NIC's
 * interrupt (its own moderation: rx-usecs from the first unsignalled frame, adaptive from the rate
 * between interrupts, or a rate limit between interrupts), wakes the host NIC queue's core if it is
 * idle (the host CPU's idle states), and is taken through the host's driver, bridge and tap by NAPI
 * on that core (the interrupt's CPU once, then `stackNs` per frame, one frame after another). The
 * frame is then in the tap queue, for the guest's host worker (vhost) to pick up.
 * Event-free: `arrive` is called in arrival order and returns when the frame reaches the tap queue;
 * the caller schedules what follows. While NAPI is still processing a queue (its interrupt masked),
 * later frames are taken in the same poll; frames arriving before a pending interrupt fires join it.
 * Simplifications: the packet-count trigger (rx-frames) is not modelled (it would fire a pending
 * interrupt early); one host core per host NIC queue, one queue per guest queue pair.
 */
import type { IdleGovernor } from '../cpu/idleGovernor.ts';
import { adaptiveCoalesceUs, checkCoalescingParams, type InterruptCoalescingParams } from '../nic/interruptCoalescing.ts';
import { serializationNs, type EthernetFramingParams } from '../nic/lineRate.ts';
import { nsPerEventToRatePerSec, usToNs } from '../units.ts';

/** The host's physical NIC as its receive path sees it. */
export interface HostNicParams {
  readonly linkRateBitsPerSec: number;
  readonly framing: EthernetFramingParams;
  readonly coalescing: InterruptCoalescingParams;
}

export interface HostRxOptions {
  readonly queues: number;
  readonly nic: HostNicParams;
  /** Host CPU per interrupt (hard IRQ, raising NET_RX), ns. */
  readonly irqNs: number;
  /** Host CPU per frame (driver, bridge, tap), ns. */
  readonly stackNs: number;
  /** The host NIC queues' cores and their idle states (one core per queue); undefined: they wake at once. */
  readonly hostIdle: IdleGovernor | undefined;
}

export class HostRxPath {
  /** The last arrival's wait for the port, for the host NIC's interrupt, and for its core's idle exit, ns. */
  lastWireNs = 0;
  lastModerationNs = 0;
  lastWakeNs = 0;
  // ---- statistics since the last resetStats() ----
  interrupts = 0;
  frames = 0;
  /** Host CPU of the interrupts and the frames, ns. */
  cpuNs = 0;

  private wireFreeNs = 0;
  private readonly pendingIrqNs: Float64Array;
  private readonly coreFreeNs: Float64Array;
  private readonly lastIrqNs: Float64Array;
  private readonly delayUs: Float64Array;
  private readonly arrivalsSinceIrq: Float64Array;

  constructor(private readonly o: HostRxOptions) {
    if (!(Number.isInteger(o.queues) && o.queues >= 1)) throw new RangeError(`queues must be a positive integer, got ${o.queues}`);
    if (!(o.nic.linkRateBitsPerSec > 0) || !Number.isFinite(o.nic.linkRateBitsPerSec)) {
      throw new RangeError(`linkRateBitsPerSec must be a finite number > 0, got ${o.nic.linkRateBitsPerSec}`);
    }
    checkCoalescingParams(o.nic.coalescing);
    for (const field of ['irqNs', 'stackNs'] as const) {
      const v = o[field];
      if (!(v >= 0 && Number.isFinite(v))) throw new RangeError(`${field} must be a finite number >= 0, got ${v}`);
    }
    if (o.hostIdle !== undefined && o.hostIdle.coreCount !== o.queues) {
      throw new RangeError(`the host idle governor has ${o.hostIdle.coreCount} cores, the host NIC ${o.queues} queues (one core each)`);
    }
    const c = o.nic.coalescing;
    this.pendingIrqNs = new Float64Array(o.queues).fill(-Infinity);
    this.coreFreeNs = new Float64Array(o.queues);
    this.lastIrqNs = new Float64Array(o.queues).fill(-Infinity);
    this.delayUs = new Float64Array(o.queues).fill(c.adaptive ? c.adaptiveMinUs : c.rxCoalesceUs);
    this.arrivalsSinceIrq = new Float64Array(o.queues);
  }

  /** A `frameBytes` frame for host NIC queue `queue` reaches the host's port at `nowNs`: when it is in the tap queue, ns. */
  arrive(queue: number, frameBytes: number, nowNs: number): number {
    const o = this.o;
    const wireDoneNs = Math.max(nowNs, this.wireFreeNs) + serializationNs(o.nic.linkRateBitsPerSec, frameBytes, o.nic.framing);
    this.wireFreeNs = wireDoneNs;
    this.lastWireNs = wireDoneNs - nowNs;
    this.arrivalsSinceIrq[queue] = this.arrivalsSinceIrq[queue]! + 1;
    const coreFree = this.coreFreeNs[queue]!;
    let startNs: number;
    let moderationNs = 0;
    let wakeNs = 0;
    if (wireDoneNs <= this.pendingIrqNs[queue]!) {
      // An interrupt is pending: the frame is taken in the poll it starts.
      const irqNs = this.pendingIrqNs[queue]!;
      moderationNs = irqNs - wireDoneNs;
      startNs = Math.max(coreFree, irqNs);
    } else if (wireDoneNs < coreFree) {
      // NAPI is still polling this queue (interrupt masked): the frame joins the poll.
      startNs = coreFree;
    } else {
      const irqNs = wireDoneNs + this.interruptDelayNs(queue, wireDoneNs);
      moderationNs = irqNs - wireDoneNs;
      this.pendingIrqNs[queue] = irqNs;
      this.lastIrqNs[queue] = irqNs;
      this.arrivalsSinceIrq[queue] = 0;
      const idle = o.hostIdle;
      if (idle !== undefined && irqNs > coreFree) wakeNs = idle.wake(queue, irqNs - coreFree);
      startNs = irqNs + wakeNs + o.irqNs;
      this.interrupts++;
      this.cpuNs += o.irqNs;
    }
    const doneNs = startNs + o.stackNs;
    this.coreFreeNs[queue] = doneNs;
    this.frames++;
    this.cpuNs += o.stackNs;
    this.lastModerationNs = moderationNs;
    this.lastWakeNs = wakeNs;
    return doneNs;
  }

  /** The moderation delay of a new interrupt on `queue` for a frame ready at `atNs`, ns. */
  private interruptDelayNs(queue: number, atNs: number): number {
    const c = this.o.nic.coalescing;
    const last = this.lastIrqNs[queue]!;
    if (c.adaptive && Number.isFinite(last) && atNs > last) {
      this.delayUs[queue] = adaptiveCoalesceUs(this.arrivalsSinceIrq[queue]! * nsPerEventToRatePerSec(atNs - last), c);
    }
    const delayNs = usToNs(this.delayUs[queue]!);
    if (c.timerMode === 'rate') return Number.isFinite(last) ? Math.max(0, last + delayNs - atNs) : 0;
    return delayNs;
  }

  resetStats(): void {
    this.interrupts = 0;
    this.frames = 0;
    this.cpuNs = 0;
  }
}
