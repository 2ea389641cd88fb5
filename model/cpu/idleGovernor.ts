/**
 * The idle governor: which state an idle core sleeps in, hence what the work that wakes it waits.
 * It follows Linux's `menu` governor: the predicted idle period is the smaller of the time to the
 * next timer and the "typical interval" of the core's last idle periods (their average, trusted
 * when they are regular: variance within a bound or the average many standard deviations above
 * zero; otherwise the largest is dropped and the test repeated while at least three quarters
 * remain); the chosen state is the deepest whose target residency fits the prediction and whose
 * exit latency is within the PM QoS limit. A state is chosen when the core goes idle, from the
 * history up to then, and its exit latency is paid by the work that ends the idle period. An idle
 * period longer than the time to the next timer is cut by that timer: the core wakes, records the
 * period and chooses again, so a core that stays idle goes deeper tick after tick, as under menu;
 * the work pays the exit of the state chosen last.
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
  const copy = new Float64Array(count);
  for (let i = 0; i < count; i++) copy[i] = periods[i]!;
  return typicalInterval(copy, 0, count, params.historyIntervals, params.maxVarianceUs2 * NS_PER_US * NS_PER_US, params.minStdDevsInMean * params.minStdDevsInMean);
}

/** Scratch for the sorted periods of one call (typicalInterval is not re-entrant). */
const sorted = new Float64Array(64); // calibration-exempt: scratch size, more than any history length used

/**
 * menu's get_typical_interval over periods[from, from + count), allocation-free (it runs on every
 * wake-up): the average is trusted when the periods are regular enough; otherwise the largest
 * periods (all equal to the maximum) are dropped and the test repeated while three quarters remain.
 * The periods are sorted once so that each drop is O(1) on running sums.
 */
function typicalInterval(periods: Float64Array, from: number, count: number, historyIntervals: number, maxVarianceNs2: number, stdDevs2: number): number {
  if (count === 0) return Infinity;
  if (count > sorted.length) throw new RangeError(`history of ${count} periods exceeds the governor's scratch (${sorted.length})`);
  let sum = 0;
  let sumSq = 0;
  // Insertion sort, descending.
  for (let i = 0; i < count; i++) {
    const v = periods[from + i]!;
    sum += v;
    sumSq += v * v;
    let j = i;
    while (j > 0 && sorted[j - 1]! < v) {
      sorted[j] = sorted[j - 1]!;
      j--;
    }
    sorted[j] = v;
  }
  let top = 0;
  let n = count;
  for (;;) {
    if (sorted[top]! === 0) return Infinity;
    const avg = sum / n;
    const variance = Math.max(0, sumSq / n - avg * avg);
    // At least three quarters of the history must remain for the average to be trusted.
    const enough = n * 4 >= historyIntervals * 3; // calibration-exempt: menu.c's "divisor * 4 >= INTERVALS * 3"
    if ((avg * avg > variance * stdDevs2 && enough) || variance <= maxVarianceNs2) return avg;
    if (!enough || n <= 1) return Infinity;
    // Drop every period equal to the largest (menu's threshold = max - 1).
    const max = sorted[top]!;
    while (top < count && sorted[top]! === max) {
      sum -= max;
      sumSq -= max * max;
      top++;
      n--;
    }
    if (n === 0) return Infinity;
  }
}

export class IdleGovernor {
  readonly states: readonly IdleState[];
  readonly params: IdleGovernorParams;
  readonly pmQosLatencyNs: number;
  readonly haltPollNs: number;
  /** Exit latency paid by all wake-ups, ns. */
  exitLatencyTotalNs = 0;
  private lastStateIndex = -1;

  private readonly history: Float64Array;
  private readonly filled: Int32Array;
  private readonly next: Int32Array;
  private readonly nextTimerNs: number;
  private readonly maxVarianceNs2: number;
  private readonly stdDevs2: number;
  private readonly stateCounts: Float64Array;
  private readonly historyIntervals: number;
  /** The deepest state within the PM QoS limit (-1: none), and its target residency. */
  private readonly deepestIndex: number;
  private readonly deepestResidencyNs: number;
  private readonly exitNs: Float64Array;
  private readonly residencyNs: Float64Array;

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
    this.maxVarianceNs2 = this.params.maxVarianceUs2 * NS_PER_US * NS_PER_US;
    this.stdDevs2 = this.params.minStdDevsInMean * this.params.minStdDevsInMean;
    this.stateCounts = new Float64Array(this.states.length + 1);
    this.historyIntervals = h;
    this.exitNs = Float64Array.from(this.states, (s) => s.exitLatencyNs);
    this.residencyNs = Float64Array.from(this.states, (s) => s.targetResidencyNs);
    let deepest = -1;
    this.states.forEach((s, i) => {
      if (s.exitLatencyNs <= this.pmQosLatencyNs) deepest = i;
    });
    this.deepestIndex = deepest;
    this.deepestResidencyNs = deepest < 0 ? Infinity : this.residencyNs[deepest]!;
    this.history = new Float64Array(coreCount * h);
    this.filled = new Int32Array(coreCount);
    this.next = new Int32Array(coreCount);
  }

  /** The state `core` enters when it goes idle now (from its history so far). */
  stateOnIdle(core: number): IdleState | undefined {
    const i = this.stateIndexOnIdle(core);
    return i < 0 ? undefined : this.states[i];
  }

  /** Index in `states` of the state `core` enters when it goes idle now, -1 for polling. */
  private stateIndexOnIdle(core: number): number {
    const h = this.historyIntervals;
    // Any typical interval is the average of some of the periods, so at least their minimum: when
    // that minimum and the next timer both fit the deepest allowed state, menu's answer is that state.
    if (this.nextTimerNs >= this.deepestResidencyNs) {
      const base = core * h;
      const n = this.filled[core]!;
      let min = Infinity;
      for (let i = 0; i < n; i++) {
        const v = this.history[base + i]!;
        if (v < min) min = v;
      }
      if (min >= this.deepestResidencyNs) return this.deepestIndex;
    }
    const typical = typicalInterval(this.history, core * h, this.filled[core]!, h, this.maxVarianceNs2, this.stdDevs2);
    const predictedNs = typical < this.nextTimerNs ? typical : this.nextTimerNs;
    const exit = this.exitNs;
    const residency = this.residencyNs;
    for (let i = exit.length - 1; i >= 0; i--) {
      if (residency[i]! <= predictedNs && exit[i]! <= this.pmQosLatencyNs) return i;
    }
    return -1;
  }

  /** Wake-ups from each state (and from polling) so far. */
  get wakeups(): Record<IdleStateName, number> {
    const out: Record<IdleStateName, number> = { poll: this.stateCounts[0]!, c1: 0, c1e: 0, c6: 0, halt: 0 };
    this.states.forEach((s, i) => (out[s.name] += this.stateCounts[i + 1]!));
    return out;
  }

  /**
   * Work reaches `core` after it was idle for `idleNs`: returns the exit latency it pays (ns) and
   * records the period in the core's history.
   */
  wake(core: number, idleNs: number): number {
    let exitNs = 0;
    let index = -1;
    let lastPeriodNs = idleNs;
    if (idleNs > this.nextTimerNs) {
      // The timers that cut the idle period: each is a period of its own in the history (more
      // than the history holds change nothing further); the work ends the last, partial one.
      const timers = Math.floor(idleNs / this.nextTimerNs);
      for (let i = Math.min(timers, this.historyIntervals); i > 0; i--) this.record(core, this.nextTimerNs);
      lastPeriodNs = idleNs - timers * this.nextTimerNs;
    }
    if (idleNs > this.haltPollNs) {
      index = this.stateIndexOnIdle(core);
      if (index >= 0) exitNs = this.exitNs[index]!;
    }
    this.record(core, lastPeriodNs);
    this.stateCounts[index + 1] = this.stateCounts[index + 1]! + 1;
    this.exitLatencyTotalNs += exitNs;
    this.lastStateIndex = index;
    return exitNs;
  }

  private record(core: number, periodNs: number): void {
    const h = this.historyIntervals;
    const next = this.next[core]!;
    this.history[core * h + next] = periodNs;
    this.next[core] = next + 1 === h ? 0 : next + 1;
    if (this.filled[core]! < h) this.filled[core] = this.filled[core]! + 1;
  }

  /** The state the last wake-up came from. */
  get lastState(): IdleStateName {
    return this.lastStateIndex < 0 ? 'poll' : this.states[this.lastStateIndex]!.name;
  }
}
