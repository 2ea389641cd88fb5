/**
 * Interrupt moderation (ethtool -C): the NIC raises an RX interrupt once `rxCoalescePackets`
 * packets are waiting or `rxCoalesceUs` after the first unsignalled packet (EQE mode; in CQE mode
 * the timer restarts with every packet), whichever comes first. While NAPI polls, the interrupt is
 * masked; NAPI re-arms it when the ring is empty. The delay is part of every packet's latency.
 * In 'rate' mode `rxCoalesceUs` is instead the least time between two interrupts (an interrupt
 * throttling interval, as gVNIC's DQO ITR and VMXNET3's rate-based virtual coalescing work): a packet
 * that finds the interrupt armed raises it at once if the last one is that long ago, else when it is.
 * Adaptive moderation (DIM) is modelled as a rate rule: the delay rises from `adaptiveMinUs` at
 * `adaptiveLowRatePps` to `adaptiveMaxUs` at `adaptiveHighRatePps`, from the rate seen between
 * interrupts (an assumption standing in for DIM's throughput hill-climbing).
 */
import type { Simulation } from '../engine/index.ts';
import { calibratedParams } from '../calibration/index.ts';
import { nsPerEventToRatePerSec, roundNs, usToNs } from '../units.ts';

export type CoalescingTimerMode = 'eqe' | 'cqe' | 'rate';

export interface InterruptCoalescingParams {
  /** rx-usecs: longest an unsignalled packet waits for its interrupt, us (0 = at once). */
  readonly rxCoalesceUs: number;
  /** rx-frames: packets waiting that trigger an interrupt at once (0 = no count trigger). */
  readonly rxCoalescePackets: number;
  /** Adaptive: delay at or below the low rate, us. */
  readonly adaptiveMinUs: number;
  /** Adaptive: delay at or above the high rate, us. */
  readonly adaptiveMaxUs: number;
  readonly adaptiveLowRatePps: number;
  readonly adaptiveHighRatePps: number;
  /** Adaptive moderation on (adaptive-rx); then rxCoalesceUs is only the starting delay. */
  readonly adaptive: boolean;
  /** 'eqe': timer runs from the first packet; 'cqe': timer restarts with every packet; 'rate': at least rxCoalesceUs between interrupts. */
  readonly timerMode: CoalescingTimerMode;
}

const ADAPTIVE_KEYS = {
  adaptiveMinUs: 'nic.adaptiveCoalesce.minUs',
  adaptiveMaxUs: 'nic.adaptiveCoalesce.maxUs',
  adaptiveLowRatePps: 'nic.adaptiveCoalesce.lowRatePps',
  adaptiveHighRatePps: 'nic.adaptiveCoalesce.highRatePps',
} as const;

/** mlx5 default: 16 us / 32 packets, EQE mode, static. */
export const defaultMlx5CoalescingParams: InterruptCoalescingParams = calibratedParams(
  { rxCoalesceUs: 'nic.mlx5.rxCoalesceUs', rxCoalescePackets: 'nic.mlx5.rxCoalescePackets', ...ADAPTIVE_KEYS },
  { adaptive: false, timerMode: 'eqe' as CoalescingTimerMode },
);

/** ixgbe default: adaptive ITR (rx-usecs = 1 means "dynamic"); no packet-count trigger. */
export const defaultIxgbeCoalescingParams: InterruptCoalescingParams = calibratedParams(
  { rxCoalesceUs: 'nic.ixgbe.rxCoalesceUs', rxCoalescePackets: 'nic.ixgbe.rxCoalescePackets', ...ADAPTIVE_KEYS },
  { adaptive: true, timerMode: 'eqe' as CoalescingTimerMode },
);

/** virtio-net: notify at once (NAPI itself suppresses notifications while polling). */
export const defaultVirtioCoalescingParams: InterruptCoalescingParams = calibratedParams(
  { rxCoalesceUs: 'nic.virtio.rxCoalesceUs', rxCoalescePackets: 'nic.virtio.rxCoalescePackets', ...ADAPTIVE_KEYS },
  { adaptive: false, timerMode: 'eqe' as CoalescingTimerMode },
);

/** ENA (guest of a Nitro instance): adaptive moderation from rx-usecs 0, as later drivers start (DIM stand-in). */
export const defaultEnaCoalescingParams: InterruptCoalescingParams = calibratedParams(
  { rxCoalesceUs: 'nic.ena.rxCoalesceUs', rxCoalescePackets: 'nic.vm.rxCoalescePackets', ...ADAPTIVE_KEYS },
  { adaptive: true, timerMode: 'eqe' as CoalescingTimerMode },
);

/** gVNIC (DQO): an RX interrupt throttling interval of 20 us. */
export const defaultGvnicCoalescingParams: InterruptCoalescingParams = calibratedParams(
  { rxCoalesceUs: 'nic.gvnic.rxIrqIntervalUs', rxCoalescePackets: 'nic.vm.rxCoalescePackets', ...ADAPTIVE_KEYS },
  { adaptive: false, timerMode: 'rate' as CoalescingTimerMode },
);

/** VMXNET3: rate-based virtual interrupt coalescing at 4,000 interrupts/s (250 us apart). */
export const defaultVmxnet3CoalescingParams: InterruptCoalescingParams = calibratedParams(
  { rxCoalesceUs: 'nic.vmxnet3.rxIrqIntervalUs', rxCoalescePackets: 'nic.vm.rxCoalescePackets', ...ADAPTIVE_KEYS },
  { adaptive: false, timerMode: 'rate' as CoalescingTimerMode },
);

/** The adaptive delay for a per-queue packet rate of `ratePps`, us (linear between the two rates). */
export function adaptiveCoalesceUs(ratePps: number, p: InterruptCoalescingParams): number {
  if (!(ratePps >= 0)) throw new RangeError(`ratePps must be >= 0, got ${ratePps}`);
  if (ratePps <= p.adaptiveLowRatePps) return p.adaptiveMinUs;
  if (ratePps >= p.adaptiveHighRatePps) return p.adaptiveMaxUs;
  const x = (ratePps - p.adaptiveLowRatePps) / (p.adaptiveHighRatePps - p.adaptiveLowRatePps);
  return p.adaptiveMinUs + x * (p.adaptiveMaxUs - p.adaptiveMinUs);
}

export function checkCoalescingParams(p: InterruptCoalescingParams): void {
  if (!(p.rxCoalesceUs >= 0)) throw new RangeError(`rxCoalesceUs must be >= 0, got ${p.rxCoalesceUs}`);
  if (!(Number.isInteger(p.rxCoalescePackets) && p.rxCoalescePackets >= 0)) {
    throw new RangeError(`rxCoalescePackets must be an integer >= 0, got ${p.rxCoalescePackets}`);
  }
  if (p.timerMode !== 'eqe' && p.timerMode !== 'cqe' && p.timerMode !== 'rate') {
    throw new RangeError(`timerMode must be 'eqe', 'cqe' or 'rate', got "${String(p.timerMode)}"`);
  }
  if (p.adaptive) {
    if (!(p.adaptiveMinUs >= 0 && p.adaptiveMaxUs >= p.adaptiveMinUs)) {
      throw new RangeError(`adaptive delays must satisfy 0 <= adaptiveMinUs <= adaptiveMaxUs, got ${p.adaptiveMinUs} and ${p.adaptiveMaxUs}`);
    }
    if (!(p.adaptiveLowRatePps >= 0 && p.adaptiveHighRatePps > p.adaptiveLowRatePps)) {
      throw new RangeError(`adaptive rates must satisfy 0 <= adaptiveLowRatePps < adaptiveHighRatePps, got ${p.adaptiveLowRatePps} and ${p.adaptiveHighRatePps}`);
    }
  }
}

/** The interrupt logic of one RX queue. */
export class InterruptCoalescer {
  /** Interrupts raised. */
  interrupts = 0;
  /** Delay currently applied, us (changes only when adaptive). */
  currentDelayUs: number;
  private armed = true;
  private pending = 0;
  private timerGeneration = 0;
  private timerRunning = false;
  private arrivals = 0;
  private arrivalsAtLastIrq = 0;
  private lastIrqNs: number;

  constructor(
    readonly sim: Simulation,
    readonly params: InterruptCoalescingParams,
    private readonly onInterrupt: () => void,
  ) {
    checkCoalescingParams(params);
    this.currentDelayUs = params.adaptive ? params.adaptiveMinUs : params.rxCoalesceUs;
    this.lastIrqNs = sim.nowNs;
  }

  /** True while an interrupt may be raised (NAPI is not polling). */
  get isArmed(): boolean {
    return this.armed;
  }

  /** The NIC has written one packet into the ring. */
  packetArrived(): void {
    this.arrivals++;
    this.pending++;
    if (!this.armed) return;
    this.evaluate(true);
  }

  /** NAPI completed (napi_complete_done): interrupts are enabled again with `pendingPackets` still in the ring. */
  rearm(pendingPackets = 0): void {
    this.armed = true;
    this.pending = pendingPackets;
    if (pendingPackets > 0) this.evaluate(false);
  }

  private evaluate(newPacket: boolean): void {
    const threshold = this.params.rxCoalescePackets;
    if (threshold > 0 && this.pending >= threshold) {
      this.scheduleFire(0);
      return;
    }
    if (!this.timerRunning || (newPacket && this.params.timerMode === 'cqe')) {
      const delayNs = roundNs(usToNs(this.currentDelayUs));
      const rateLimited = this.params.timerMode === 'rate';
      this.scheduleFire(rateLimited ? (this.interrupts === 0 ? 0 : Math.max(0, this.lastIrqNs + delayNs - this.sim.nowNs)) : delayNs);
    }
  }

  private scheduleFire(delayNs: number): void {
    const generation = ++this.timerGeneration;
    this.timerRunning = true;
    // The generation rides as the event's tag: no closure per timer.
    this.sim.schedule(delayNs, fireIfCurrent, this, generation);
  }

  /** Timer expiry (kernel-internal): fires unless a newer timer has replaced this one. */
  timerExpired(generation: number): void {
    if (generation === this.timerGeneration) this.fire();
  }

  private fire(): void {
    this.timerRunning = false;
    if (!this.armed || this.pending === 0) return;
    this.armed = false;
    this.pending = 0;
    this.timerGeneration++;
    this.interrupts++;
    const nowNs = this.sim.nowNs;
    if (this.params.adaptive) {
      const spanNs = nowNs - this.lastIrqNs;
      const packets = this.arrivals - this.arrivalsAtLastIrq;
      const ratePps = spanNs > 0 ? packets * nsPerEventToRatePerSec(spanNs) : 0;
      this.currentDelayUs = adaptiveCoalesceUs(ratePps, this.params);
    }
    this.lastIrqNs = nowNs;
    this.arrivalsAtLastIrq = this.arrivals;
    this.onInterrupt();
  }
}

function fireIfCurrent(coalescer: InterruptCoalescer, generation: number): void {
  coalescer.timerExpired(generation);
}
