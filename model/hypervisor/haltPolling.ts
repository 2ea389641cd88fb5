/**
 * Halt polling: before a halted vCPU gives up its CPU, something spins waiting for its wake-up, for
 * an interval that adapts per vCPU to how long its halts last.
 *   host   KVM's kvm_vcpu_halt(): the host polls for the vCPU's halt_poll_ns before the vCPU thread
 *          sleeps. A wake-up within the interval leaves it unchanged; a halt that outlasts the
 *          ceiling (halt_poll_ns, 200 us) shrinks it (divisor 0: to zero); a shorter one grows it
 *          (x grow, at least grow_start), up to the ceiling. (Linux Documentation/virt/kvm/halt-polling.rst)
 *   guest  the haltpoll cpuidle governor (cpuidle-haltpoll, loaded only when the host sets
 *          KVM_HINTS_REALTIME): the vCPU polls in the guest for its poll_limit_ns, then executes HLT.
 *          After a halt it adjusts the limit from the halt's length: longer than the limit but within
 *          guest_halt_poll_ns: grow (x grow, at least grow_start, at most the ceiling); longer than the
 *          ceiling: shrink (divided by shrink). (drivers/cpuidle/governors/haltpoll.c, adjust_poll_limit)
 * The intervals start at zero (the drivers' initial value). Each call is one idle period of one
 * vCPU; the caller knows its length because the model's wake-ups are events it has already seen.
 */
import { calibratedParams } from '../calibration/index.ts';

export interface HaltPollParams {
  /** Ceiling of the interval (halt_poll_ns, guest_halt_poll_ns), ns. */
  readonly maxNs: number;
  /** Growth factor (0: never grows). */
  readonly grow: number;
  /** Interval grown to from zero, ns. */
  readonly growStartNs: number;
  /** Shrink divisor (0: shrink to zero). */
  readonly shrink: number;
}

export type HaltPollRule = 'host' | 'guest';

/** KVM's host halt polling: 200 us ceiling, grow x2 from 10 us, shrink to zero. */
export const defaultHostHaltPollParams: HaltPollParams = calibratedParams({
  maxNs: 'hypervisor.hostHaltPollNs',
  grow: 'hypervisor.hostHaltPollGrow',
  growStartNs: 'hypervisor.hostHaltPollGrowStartNs',
  shrink: 'hypervisor.hostHaltPollShrink',
});

/** The guest's haltpoll governor: 200 us ceiling, grow x2 from 50 us, shrink /2. */
export const defaultGuestHaltPollParams: HaltPollParams = calibratedParams({
  maxNs: 'cpu.haltPollNs',
  grow: 'hypervisor.guestHaltPollGrow',
  growStartNs: 'hypervisor.guestHaltPollGrowStartNs',
  shrink: 'hypervisor.guestHaltPollShrink',
});

export function checkHaltPollParams(p: HaltPollParams): void {
  for (const field of ['maxNs', 'grow', 'growStartNs', 'shrink'] as const) {
    const v = p[field];
    if (!(v >= 0 && Number.isFinite(v))) throw new RangeError(`${field} must be a finite number >= 0, got ${v}`);
  }
}

/** The adaptive polling interval of each of `count` vCPUs, under the host's or the guest's rule. */
export class HaltPollWindows {
  /** Current interval of each vCPU, ns. */
  readonly windowNs: Float64Array;

  constructor(count: number, readonly params: HaltPollParams, readonly rule: HaltPollRule) {
    if (!(Number.isInteger(count) && count >= 1)) throw new RangeError(`count must be a positive integer, got ${count}`);
    checkHaltPollParams(params);
    if (rule !== 'host' && rule !== 'guest') throw new RangeError(`rule must be 'host' or 'guest', got "${String(rule)}"`);
    this.windowNs = new Float64Array(count);
  }

  /** The interval vCPU `i` polls for when it next halts, ns (the host caps it at the ceiling first). */
  window(i: number): number {
    const w = this.windowNs[i]!;
    return w > this.params.maxNs ? this.params.maxNs : w;
  }

  /**
   * Host rule: vCPU `i` was halted for `haltNs` in all (its total block time, polling included).
   * Returns true when the wake-up came while the host was still polling; adapts the interval.
   */
  hostBlock(i: number, haltNs: number): boolean {
    const p = this.params;
    const max = p.maxNs;
    const w = this.window(i);
    this.windowNs[i] = w;
    const hit = w > 0 && haltNs <= w;
    if (max === 0) this.windowNs[i] = 0;
    else if (haltNs <= w) {
      // Woken while polling: the interval stays.
    } else if (w > 0 && haltNs > max) this.windowNs[i] = this.shrunk(w);
    else if (w < max && haltNs < max) this.windowNs[i] = this.grown(w);
    return hit;
  }

  /** Guest rule: vCPU `i` polled its whole limit and then halted for `haltNs`; adapts the limit. */
  guestHalted(i: number, haltNs: number): void {
    const p = this.params;
    const w = this.windowNs[i]!;
    if (haltNs > w && haltNs <= p.maxNs) this.windowNs[i] = Math.min(p.maxNs, this.grown(w));
    else if (haltNs > p.maxNs) this.windowNs[i] = p.shrink === 0 ? 0 : w / p.shrink;
  }

  private grown(w: number): number {
    const p = this.params;
    if (p.grow === 0) return w;
    const v = w * p.grow;
    return v < p.growStartNs ? p.growStartNs : v;
  }

  /** KVM's shrink: divided (or zeroed), and zero once below grow_start. */
  private shrunk(w: number): number {
    const p = this.params;
    const v = p.shrink === 0 ? 0 : w / p.shrink;
    return v < p.growStartNs ? 0 : v;
  }
}
