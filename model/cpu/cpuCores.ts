/**
 * The cores of one node: one engine Resource of one slot per core (so work can be pinned, as NIC
 * queues are pinned to cores by IRQ affinity), per-core busy accounting, and each core's clock as
 * its governor sets it. Softirq work is served before task work (priority line, no pre-emption).
 * Durations are rounded to integer ns with the remainder carried per core, so long runs add up
 * exactly. Load-dependent governors are evaluated lazily: when work starts on a core whose last
 * evaluation is at least one sampling period old, from its utilisation since then (no timer
 * events, so `sim.run()` still ends when the work does).
 */
import { Resource, type Simulation, type Wait } from '../engine/index.ts';
import { calibratedParams } from '../calibration/index.ts';
import { usToNs } from '../units.ts';
import { checkCpuFrequencyParams, defaultCpuFrequencyParams, type CpuFrequencyParams } from './cpuFrequency.ts';
import { defaultGovernorParams, governorFreqHz, isLoadDependent, type GovernorName, type GovernorParams } from './governor.ts';
import { defaultWorkCostParams, workNs, type Work, type WorkCostParams } from './workCost.ts';

/** Line priority of softirq (NAPI) work: served first. */
export const SOFTIRQ_PRIORITY = 0;
/** Line priority of task (process context) work. */
export const TASK_PRIORITY = 1;

export interface CpuCoresParams {
  /** Number of cores. Default 6 (assumption). */
  readonly coreCount: number;
  /** CPU time per NIC interrupt (hard IRQ + raising NET_RX), cycles. Default 2000 (assumption). */
  readonly irqEntryCycles: number;
}

export const defaultCpuCoresParams: CpuCoresParams = calibratedParams({
  coreCount: 'cpu.coreCount',
  irqEntryCycles: 'cpu.irqEntryCycles',
});

export interface CpuCoresOptions {
  params?: CpuCoresParams;
  /** Default 'performance' (what Cilium's tuning guide recommends). */
  governor?: GovernorName;
  frequency?: CpuFrequencyParams;
  governorParams?: GovernorParams;
  workCost?: WorkCostParams;
  name?: string;
}

export class CpuCores {
  readonly coreCount: number;
  readonly governor: GovernorName;
  readonly params: CpuCoresParams;
  readonly frequency: CpuFrequencyParams;
  readonly governorParams: GovernorParams;
  readonly workCost: WorkCostParams;
  /** The per-interrupt CPU work (hard IRQ entry/exit and raising NET_RX). */
  readonly irqWork: Work;
  /** One single-slot Resource per core (priority line: softirq before tasks). */
  readonly cores: readonly Resource[];
  /** Time each core spent doing work given to `run`/`runThen`, ns. */
  readonly workDoneNs: Float64Array;

  private readonly freqNowHz: Float64Array;
  private readonly busyAreaNs: Float64Array;
  private readonly busySinceNs: Float64Array;
  private readonly lastSampleNs: Float64Array;
  private readonly areaAtLastSampleNs: Float64Array;
  private readonly roundingCarryNs: Float64Array;
  private readonly samplingPeriodNs: number;
  private statsStartNs: number;
  private readonly statsAreaOffsetNs: Float64Array;

  constructor(readonly sim: Simulation, options: CpuCoresOptions = {}) {
    const name = options.name ?? 'cpu';
    this.params = options.params ?? defaultCpuCoresParams;
    const coreCount = this.params.coreCount;
    if (!Number.isInteger(coreCount) || coreCount < 1) throw new RangeError(`${name}: coreCount must be a positive integer, got ${coreCount}`);
    if (!(this.params.irqEntryCycles >= 0)) throw new RangeError(`${name}: irqEntryCycles must be >= 0, got ${this.params.irqEntryCycles}`);
    this.coreCount = coreCount;
    this.irqWork = Object.freeze({ cycles: this.params.irqEntryCycles, dramMisses: 0 });
    this.governor = options.governor ?? 'performance';
    this.frequency = options.frequency ?? defaultCpuFrequencyParams;
    checkCpuFrequencyParams(this.frequency);
    this.governorParams = options.governorParams ?? defaultGovernorParams;
    if (!(this.governorParams.samplingPeriodUs > 0)) {
      throw new RangeError(`${name}: samplingPeriodUs must be > 0, got ${this.governorParams.samplingPeriodUs}`);
    }
    this.workCost = options.workCost ?? defaultWorkCostParams;
    this.samplingPeriodNs = usToNs(this.governorParams.samplingPeriodUs);
    this.cores = Array.from({ length: coreCount }, (_, i) => new Resource(sim, { capacity: 1, discipline: 'priority', name: `${name}[${i}]` }));
    this.workDoneNs = new Float64Array(coreCount);
    this.freqNowHz = new Float64Array(coreCount).fill(governorFreqHz(this.governor, 0, this.frequency, this.governorParams));
    this.busyAreaNs = new Float64Array(coreCount);
    this.busySinceNs = new Float64Array(coreCount).fill(NaN);
    this.lastSampleNs = new Float64Array(coreCount).fill(sim.nowNs);
    this.areaAtLastSampleNs = new Float64Array(coreCount);
    this.roundingCarryNs = new Float64Array(coreCount);
    this.statsStartNs = sim.nowNs;
    this.statsAreaOffsetNs = new Float64Array(coreCount);
  }

  /** Current clock of `core`, Hz (re-evaluated if its governor is load-dependent and a period has passed). */
  freqHz(core: number): number {
    this.checkCore(core);
    if (isLoadDependent(this.governor)) {
      const nowNs = this.sim.nowNs;
      const sinceNs = nowNs - this.lastSampleNs[core]!;
      if (sinceNs >= this.samplingPeriodNs) {
        const area = this.busyAreaAt(core, nowNs);
        const util = Math.min(1, Math.max(0, (area - this.areaAtLastSampleNs[core]!) / sinceNs));
        this.freqNowHz[core] = governorFreqHz(this.governor, util, this.frequency, this.governorParams);
        this.lastSampleNs[core] = nowNs;
        this.areaAtLastSampleNs[core] = area;
      }
    }
    return this.freqNowHz[core]!;
  }

  /** Exact (fractional) time `work` takes on `core` at its current clock, ns. */
  exactWorkNs(core: number, work: Work): number {
    return workNs(work, this.freqHz(core), this.workCost);
  }

  /**
   * Integer ns for `work` on `core`, for the engine's clock: the rounding remainder is carried to
   * the core's next piece of work, so totals stay exact.
   */
  workNs(core: number, work: Work): number {
    const exact = this.exactWorkNs(core, work) + this.roundingCarryNs[core]!;
    const ns = Math.max(0, Math.round(exact));
    this.roundingCarryNs[core] = exact - ns;
    return ns;
  }


  /** Process style: `const slot = yield* cpu.request(core)`; waits for `core` behind higher priorities. */
  *request(core: number, priority = TASK_PRIORITY): Wait<number> {
    this.checkCore(core);
    const slot = yield* this.cores[core]!.request(priority);
    this.markBusy(core);
    return slot;
  }

  /** Callback style: `fn(core, arg)` once `core` is granted (at once if it is free). */
  acquire<A>(core: number, fn: (core: number, arg: A) => void, arg: A, priority = TASK_PRIORITY): void {
    this.checkCore(core);
    // A free core is taken at once (what Resource.acquire does too), without the closure a wait needs.
    if (this.cores[core]!.tryAcquire() >= 0) {
      this.markBusy(core);
      fn(core, arg);
      return;
    }
    this.cores[core]!.acquire((_slot: number, a: A) => {
      this.markBusy(core);
      fn(core, a);
    }, arg, priority);
  }

  /** Gives `core` back (the next in its line gets it). */
  release(core: number): void {
    this.checkCore(core);
    const since = this.busySinceNs[core]!;
    if (Number.isNaN(since)) throw notHeld(core);
    this.busyAreaNs[core] = this.busyAreaNs[core]! + (this.sim.nowNs - since);
    this.busySinceNs[core] = NaN;
    this.cores[core]!.release(0);
  }

  /** Process style: hold `core` for `work` at its current clock; returns the ns spent. */
  *run(core: number, work: Work, priority = TASK_PRIORITY): Wait<number> {
    yield* this.request(core, priority);
    const ns = this.workNs(core, work);
    this.workDoneNs[core] = this.workDoneNs[core]! + ns;
    yield* this.sim.timeout(ns);
    this.release(core);
    return ns;
  }

  /** Softirq processing: `run` at softirq priority. */
  softirq(core: number, work: Work): Wait<number> {
    return this.run(core, work, SOFTIRQ_PRIORITY);
  }

  /** Callback style `run`: `done(arg, ns)` after `work` has been done on `core`. */
  runThen<A>(core: number, work: Work, done: (arg: A, ns: number) => void, arg: A, priority = TASK_PRIORITY): void {
    this.acquire(core, () => {
      const ns = this.workNs(core, work);
      this.workDoneNs[core] = this.workDoneNs[core]! + ns;
      this.sim.schedule(ns, () => {
        this.release(core);
        done(arg, ns);
      });
    }, undefined, priority);
  }

  /** Charges `ns` of work done while `core` is held by the caller (for callers that drive the clock themselves). */
  chargeNs(core: number, ns: number): void {
    this.checkCore(core);
    this.workDoneNs[core] = this.workDoneNs[core]! + ns;
  }

  /** Fraction of time `core` was held since construction or the last `resetStats`. */
  busyFraction(core: number): number {
    this.checkCore(core);
    const nowNs = this.sim.nowNs;
    const spanNs = nowNs - this.statsStartNs;
    return spanNs === 0 ? NaN : (this.busyAreaAt(core, nowNs) - this.statsAreaOffsetNs[core]!) / spanNs;
  }

  /** True while `core` is held. */
  isBusy(core: number): boolean {
    this.checkCore(core);
    return !Number.isNaN(this.busySinceNs[core]!);
  }

  /** Restarts busy fractions, work totals and the cores' Resource monitors (warm-up deletion). */
  resetStats(): void {
    const nowNs = this.sim.nowNs;
    this.statsStartNs = nowNs;
    for (let c = 0; c < this.coreCount; c++) {
      this.statsAreaOffsetNs[c] = this.busyAreaAt(c, nowNs);
      this.workDoneNs[c] = 0;
      this.cores[c]!.resetStats();
    }
  }

  private busyAreaAt(core: number, nowNs: number): number {
    const since = this.busySinceNs[core]!;
    return this.busyAreaNs[core]! + (Number.isNaN(since) ? 0 : nowNs - since);
  }

  private markBusy(core: number): void {
    this.busySinceNs[core] = this.sim.nowNs;
  }

  private checkCore(core: number): void {
    if (!(Number.isInteger(core) && core >= 0 && core < this.coreCount)) throw badCore(core, this.coreCount);
  }
}

function notHeld(core: number): Error {
  return new Error(`release(${core}) of a core that is not held`);
}

// Built out of line: checkCore runs on every acquire, release and piece of work.
function badCore(core: number, coreCount: number): RangeError {
  return new RangeError(`core must be an integer in [0, ${coreCount - 1}], got ${core}`);
}
