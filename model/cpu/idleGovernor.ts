/**
 * The idle governor: which state an idle core sleeps in, hence what the work that wakes it waits.
 * It follows Linux's `menu` governor: the predicted idle period is the smaller of the time to the
 * next timer and the "typical interval" of the core's last idle periods (their average, trusted
 * when they are regular: variance within a bound or the average many standard deviations above
 * zero; otherwise the largest is dropped and the test repeated while at least three quarters
 * remain); the chosen state is the deepest whose target residency fits the prediction and whose
 * exit latency is within the PM QoS limit. A state is chosen when the core goes idle, from the
 * history up to then, and its exit latency is paid by the work that ends the idle period.
 * A KVM guest with halt polling spins for up to haltPollNs first: work that arrives meanwhile pays
 * nothing (the poll's CPU time is not charged to the node's work).
 * Simplifications: menu's correction factors and its I/O-wait latency scaling are left out (no
 * task waits on I/O here), and the next timer is a fixed distance (an assumption, see the table).
 */
import { calibratedParams } from '../calibration/index.ts';
import { NS_PER_US, usToNs } from '../units.ts';
import type { IdleState, IdleStateName } from './idleStates.ts';

export interface IdleGovernorParams {
  /** Idle periods kept per core for the typical interval. Default 8 (menu's INTERVALS). */
  readonly historyIntervals: number;
  /** Periods with at most this variance predict by their average, us^2. Default 400. */
  readonly maxVarianceUs2: number;
  /** Or whose average exceeds this many standard deviations. Default 6. */
  readonly minStdDevsInMean: number;
  /** Time from going idle to the core's next timer, us (assumption). */
  readonly nextTimerUs: number;
}

export const defaultIdleGovernorParams: IdleGovernorParams = calibratedParams({
  historyIntervals: 'cpu.idleGovernorHistoryIntervals',
  maxVarianceUs2: 'cpu.idleGovernorMaxVarianceUs2',
  minStdDevsInMean: 'cpu.idleGovernorMinStdDevsInMean',
  nextTimerUs: 'cpu.idleNextTimerUs',
});

export interface IdleGovernorOptions {
  /** Enabled states, shallow to deep (none: the idle loop polls). */
  readonly states: readonly IdleState[];
  /** PM QoS resume-latency limit: no state with a longer exit latency, ns. Default: none. */
  readonly pmQosLatencyNs?: number;
  /** Guest halt polling before the first state, ns. Default 0. */
  readonly haltPollNs?: number;
  readonly params?: IdleGovernorParams;
}

/** The typical interval of `periods` (ns) by menu's rule, or Infinity when they are too irregular. */
export function typicalIdleIntervalNs(periods: ArrayLike<number>, count: number, params: IdleGovernorParams): number {
  const maxVarianceNs2 = params.maxVarianceUs2 * NS_PER_US * NS_PER_US;
  const stdDevs2 = params.minStdDevsInMean * params.minStdDevsInMean;
  let threshold = Infinity;
  for (;;) {
    let max = 0;
    let sum = 0;
    let n = 0;
    for (let i = 0; i < count; i++) {
      const v = periods[i]!;
      if (v > threshold) continue;
      sum += v;
      n++;
      if (v > max) max = v;
    }
    if (n === 0 || max === 0) return Infinity;
    const avg = sum / n;
    let sq = 0;
    for (let i = 0; i < count; i++) {
      const v = periods[i]!;
      if (v <= threshold) sq += (v - avg) * (v - avg);
    }
    const variance = sq / n;
    // At least three quarters of the history must remain for the average to be trusted.
    const enough = n * 4 >= params.historyIntervals * 3; // calibration-exempt: menu.c's "divisor * 4 >= INTERVALS * 3"
    if ((avg * avg > variance * stdDevs2 && enough) || variance <= maxVarianceNs2) return avg;
    if (!enough || n <= 1) return Infinity;
    threshold = max - 1;
  }
}

export class IdleGovernor {
  readonly states: readonly IdleState[];
  readonly params: IdleGovernorParams;
  readonly pmQosLatencyNs: number;
  readonly haltPollNs: number;
  /** Wake-ups from each state (and from polling) so far. */
  readonly wakeups: Record<IdleStateName, number> = { poll: 0, c1: 0, c1e: 0, c6: 0, halt: 0 };
  /** Exit latency paid by all wake-ups, ns. */
  exitLatencyTotalNs = 0;
  /** The state the last wake-up came from. */
  lastState: IdleStateName = 'poll';

  private readonly history: Float64Array;
  private readonly filled: Int32Array;
  private readonly next: Int32Array;
  private readonly nextTimerNs: number;

  constructor(readonly coreCount: number, options: IdleGovernorOptions) {
    this.params = options.params ?? defaultIdleGovernorParams;
    const h = this.params.historyIntervals;
    if (!(Number.isInteger(h) && h >= 1)) throw new RangeError(`historyIntervals must be a positive integer, got ${h}`);
    this.states = options.states;
    for (let i = 1; i < this.states.length; i++) {
      if (!(this.states[i]!.exitLatencyNs >= this.states[i - 1]!.exitLatencyNs)) {
        throw new RangeError(`idle states must be ordered shallow to deep (exit latency non-decreasing), got ${this.states.map((s) => s.name).join(', ')}`);
      }
    }
    this.pmQosLatencyNs = options.pmQosLatencyNs ?? Infinity;
    if (!(this.pmQosLatencyNs >= 0)) throw new RangeError(`pmQosLatencyNs must be >= 0, got ${this.pmQosLatencyNs}`);
    this.haltPollNs = options.haltPollNs ?? 0;
    if (!(this.haltPollNs >= 0)) throw new RangeError(`haltPollNs must be >= 0, got ${this.haltPollNs}`);
    this.nextTimerNs = usToNs(this.params.nextTimerUs);
    this.history = new Float64Array(coreCount * h);
    this.filled = new Int32Array(coreCount);
    this.next = new Int32Array(coreCount);
  }

  /** The state `core` enters when it goes idle now (from its history so far). */
  stateOnIdle(core: number): IdleState | undefined {
    const h = this.params.historyIntervals;
    const typical = typicalIdleIntervalNs(this.history.subarray(core * h, core * h + h), this.filled[core]!, this.params);
    const predictedNs = Math.min(this.nextTimerNs, typical);
    let chosen: IdleState | undefined;
    for (const s of this.states) {
      if (s.targetResidencyNs <= predictedNs && s.exitLatencyNs <= this.pmQosLatencyNs) chosen = s;
    }
    return chosen;
  }

  /**
   * Work reaches `core` after it was idle for `idleNs`: returns the exit latency it pays (ns) and
   * records the period in the core's history.
   */
  wake(core: number, idleNs: number): number {
    let exitNs = 0;
    let name: IdleStateName = 'poll';
    if (idleNs > this.haltPollNs) {
      const s = this.stateOnIdle(core);
      if (s !== undefined) {
        exitNs = s.exitLatencyNs;
        name = s.name;
      }
    }
    const h = this.params.historyIntervals;
    this.history[core * h + this.next[core]!] = idleNs;
    this.next[core] = (this.next[core]! + 1) % h;
    if (this.filled[core]! < h) this.filled[core] = this.filled[core]! + 1;
    this.wakeups[name]++;
    this.exitLatencyTotalNs += exitNs;
    this.lastState = name;
    return exitNs;
  }
}
