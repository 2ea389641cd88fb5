/**
 * The cores of one node: each core is held by one piece of work at a time (work is pinned to a
 * core, as NIC queues are pinned to cores by IRQ affinity), with a waiting line per core in two
 * classes, softirq before task work (FIFO within a class, no pre-emption), per-core busy
 * accounting, and each core's clock as its governor sets it. The lines are kept here rather than
 * in an engine Resource per core: every packet of a datapath acquires and releases a core, and a
 * core needs neither slot bookkeeping nor the Resource's wait and line-length monitors.
 * Durations are rounded to integer ns with the remainder carried per core, so long runs add up
 * exactly. Load-dependent governors are evaluated lazily: when work starts on a core whose last
 * evaluation is at least one sampling period old, from its utilisation since then (no timer
 * events, so `sim.run()` still ends when the work does).
 * With an idle governor, a core that was idle sleeps in the state the governor chose when it went
 * idle, and the work that wakes it waits that state's exit latency first (the core is unavailable
 * meanwhile; the time counts as idle, not busy). The wait is part of `waitedNs`; the exit latency of
 * the grant being made is `grantExitNs` while its callback runs.
 */
import type { GrantCallback, Process, Simulation, Wait } from '../engine/index.ts';
import { FifoLine } from '../engine/requestLine.ts';
import { ReusableWait, SUSPENDS } from '../engine/reusableWait.ts';
import { calibratedParams } from '../calibration/index.ts';
import { usToNs } from '../units.ts';
import { checkCpuFrequencyParams, defaultCpuFrequencyParams, type CpuFrequencyParams } from './cpuFrequency.ts';
import { defaultGovernorParams, governorFreqHz, isLoadDependent, type GovernorName, type GovernorParams } from './governor.ts';
import { defaultWorkCostParams, workNs, type Work, type WorkCostParams } from './workCost.ts';
import type { IdleStateName } from './idleStates.ts';

/**
 * What an idle core costs the work that wakes it: the idle governor's C-state exits on bare metal
 * (IdleGovernor), or a guest vCPU's wake-up under its hypervisor (model/hypervisor/vcpuIdle.ts).
 */
export interface CoreIdleModel {
  readonly coreCount: number;
  /** Work reaches `core` after it was idle for `idleNs`: the time before the work can run, ns. */
  wake(core: number, idleNs: number): number;
  /** Wake-ups so far, by the state they came from. */
  readonly wakeups: Readonly<Record<IdleStateName, number>>;
  /** Exit latency paid by all wake-ups, ns. */
  readonly exitLatencyTotalNs: number;
}

/** Line priority of softirq (NAPI) work: served first. */
export const SOFTIRQ_PRIORITY = 0;
/** Line priority of task (process context) work. */
export const TASK_PRIORITY = 1;

/** The two classes of work that wait for a core. */
export type CorePriority = typeof SOFTIRQ_PRIORITY | typeof TASK_PRIORITY;

export interface CpuCoresParams {
  /** Number of cores. Default 6 (assumption). */
  readonly coreCount: number;
  /** CPU time per NIC interrupt (hard IRQ + raising NET_RX), cycles. Default 2000 (assumption). */
  readonly irqEntryCycles: number;
}

export const defaultCpuCoresParams: CpuCoresParams = calibratedParams({
  coreCount: 'node.cores',
  irqEntryCycles: 'cpu.irqEntryCycles',
});

export interface CpuCoresOptions {
  params?: CpuCoresParams;
  /** Default 'performance' (what Cilium's tuning guide recommends). */
  governor?: GovernorName;
  frequency?: CpuFrequencyParams;
  governorParams?: GovernorParams;
  workCost?: WorkCostParams;
  /** Idle states and their governor; default none (an idle core takes work at once, as with idle=poll). */
  idleGovernor?: CoreIdleModel;
  name?: string;
}

/** busySinceNs of a core that is waking from an idle state: unavailable, but not yet busy. */
const WAKING = Infinity;

export class CpuCores {
  readonly coreCount: number;
  readonly governor: GovernorName;
  readonly params: CpuCoresParams;
  readonly frequency: CpuFrequencyParams;
  readonly governorParams: GovernorParams;
  readonly workCost: WorkCostParams;
  /** The per-interrupt CPU work (hard IRQ entry/exit and raising NET_RX). */
  readonly irqWork: Work;
  /** Time each core spent doing work given to `run`/`runThen`, ns. */
  readonly workDoneNs: Float64Array;
  readonly idleGovernor: CoreIdleModel | undefined;
  /** While a grant's callback runs: the idle-state exit latency that grant waited, ns (0 if the core was awake). */
  grantExitNs = 0;

  /** Waiting for each core: softirq work, then task work. */
  private readonly softirqLines: readonly FifoLine[];
  private readonly taskLines: readonly FifoLine[];
  private readonly requestWait: CoreRequestWait;
  private readonly loadDependent: boolean;
  private readonly freqNowHz: Float64Array;
  private readonly busyAreaNs: Float64Array;
  private readonly busySinceNs: Float64Array;
  private readonly lastSampleNs: Float64Array;
  private readonly areaAtLastSampleNs: Float64Array;
  private readonly roundingCarryNs: Float64Array;
  private readonly samplingPeriodNs: number;
  private statsStartNs: number;
  private readonly statsAreaOffsetNs: Float64Array;
  private readonly idleSinceNs: Float64Array;
  private readonly wakeDoneFn = (core: number): void => this.wakeDone(core);

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
    this.softirqLines = Array.from({ length: coreCount }, () => new FifoLine());
    this.taskLines = Array.from({ length: coreCount }, () => new FifoLine());
    this.requestWait = new CoreRequestWait(this, name);
    this.loadDependent = isLoadDependent(this.governor);
    this.workDoneNs = new Float64Array(coreCount);
    this.freqNowHz = new Float64Array(coreCount).fill(governorFreqHz(this.governor, 0, this.frequency, this.governorParams));
    this.busyAreaNs = new Float64Array(coreCount);
    this.busySinceNs = new Float64Array(coreCount).fill(NaN);
    this.lastSampleNs = new Float64Array(coreCount).fill(sim.nowNs);
    this.areaAtLastSampleNs = new Float64Array(coreCount);
    this.roundingCarryNs = new Float64Array(coreCount);
    this.statsStartNs = sim.nowNs;
    this.statsAreaOffsetNs = new Float64Array(coreCount);
    this.idleGovernor = options.idleGovernor;
    if (this.idleGovernor !== undefined && this.idleGovernor.coreCount !== coreCount) {
      throw new RangeError(`${name}: the idle governor has ${this.idleGovernor.coreCount} cores, the node ${coreCount}`);
    }
    this.idleSinceNs = new Float64Array(coreCount).fill(sim.nowNs);
  }

  /** Current clock of `core`, Hz (re-evaluated if its governor is load-dependent and a period has passed). */
  freqHz(core: number): number {
    this.checkCore(core);
    if (this.loadDependent) {
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


  /**
   * Process style: `yield* cpu.request(core, priority)` waits for `core` (behind earlier work of
   * the same class and all softirq work) and returns it. `yield*` it at once: the wait is reused.
   */
  request(core: number, priority: CorePriority = TASK_PRIORITY): Wait<number> {
    this.checkCore(core);
    checkPriority(priority);
    const op = this.requestWait;
    op.core = core;
    op.priority = priority;
    return op;
  }

  /** Callback style: `fn(core, arg, waitedNs)` once `core` is granted (at once, inside this call, if it is free). */
  acquire<A>(core: number, fn: GrantCallback<number, A>, arg: A, priority: CorePriority = TASK_PRIORITY): void {
    this.checkCore(core);
    checkPriority(priority);
    if (Number.isNaN(this.busySinceNs[core]!) && !this.startWake(core)) {
      this.markBusy(core);
      fn(core, arg, 0);
      return;
    }
    this.lineFor(core, priority).push(fn, arg, this.sim.nowNs, priority);
  }

  /**
   * An idle core is reached: if its idle state has an exit latency, it starts waking (the caller
   * then queues in its line, served when the wake completes) and this returns true.
   */
  private startWake(core: number): boolean {
    const governor = this.idleGovernor;
    if (governor === undefined) return false;
    const nowNs = this.sim.nowNs;
    const exitNs = Math.round(governor.wake(core, nowNs - this.idleSinceNs[core]!));
    if (exitNs <= 0) return false;
    this.busySinceNs[core] = WAKING;
    this.sim.schedule(exitNs, this.wakeDoneFn, core);
    return true;
  }

  /** The core is awake: the first in its lines gets it (or it goes idle again if they left meanwhile). */
  private wakeDone(core: number): void {
    const nowNs = this.sim.nowNs;
    const softirq = this.softirqLines[core]!;
    const line = softirq.length > 0 ? softirq : this.taskLines[core]!;
    if (line.length === 0) {
      this.busySinceNs[core] = NaN;
      this.idleSinceNs[core] = nowNs;
      return;
    }
    this.busySinceNs[core] = nowNs;
    this.grant(core, line, nowNs, nowNs - line.headSinceNs());
  }

  /** Gives `core` back: the first softirq waiter, else the first task waiter, gets it at once. */
  release(core: number): void {
    this.checkCore(core);
    const since = this.busySinceNs[core]!;
    if (Number.isNaN(since)) throw notHeld(core);
    const nowNs = this.sim.nowNs;
    this.busyAreaNs[core] = this.busyAreaNs[core]! + (nowNs - since);
    const softirq = this.softirqLines[core]!;
    const line = softirq.length > 0 ? softirq : this.taskLines[core]!;
    if (line.length === 0) {
      this.busySinceNs[core] = NaN;
      this.idleSinceNs[core] = nowNs;
      return;
    }
    this.busySinceNs[core] = nowNs;
    this.grant(core, line, nowNs, 0);
  }

  /** Hands `core` to the head of `line`; `exitNs` of its wait was an idle-state exit. */
  private grant(core: number, line: FifoLine, nowNs: number, exitNs: number): void {
    const waiter = line.headWaiter();
    const arg = line.headArg();
    const sinceNs = line.headSinceNs();
    line.dropHead();
    if (typeof waiter === 'function') {
      this.grantExitNs = exitNs;
      waiter(core, arg, nowNs - sinceNs);
      this.grantExitNs = 0;
    } else {
      // Granted: until it resumes, an interrupt must give the core back (see cancelRequest).
      waiter.waitToken = core;
      this.sim.wake(waiter, core);
    }
  }

  /** Kernel internal (process style): `core` now if it is free, else -1 after putting `proc` in its line. */
  beginRequest(proc: Process<any>, core: number, priority: CorePriority): number {
    if (Number.isNaN(this.busySinceNs[core]!) && !this.startWake(core)) {
      this.markBusy(core);
      return core;
    }
    proc.waitToken = inLineToken(core);
    this.lineFor(core, priority).push(proc, undefined, this.sim.nowNs, priority);
    return -1;
  }

  /** Kernel internal: an interrupted request leaves its line, or gives back the core it was granted. */
  cancelRequest(proc: Process<any>): void {
    const token = proc.waitToken as number;
    proc.waitToken = undefined;
    if (token >= 0) {
      this.release(token);
      return;
    }
    const core = inLineToken(token);
    if (this.softirqLines[core]!.remove(proc) < 0) this.taskLines[core]!.remove(proc);
  }

  /** The line of `priority` (checked by the caller) at `core`. */
  private lineFor(core: number, priority: CorePriority): FifoLine {
    return priority === SOFTIRQ_PRIORITY ? this.softirqLines[core]! : this.taskLines[core]!;
  }

  /** Process style: hold `core` for `work` at its current clock; returns the ns spent. */
  *run(core: number, work: Work, priority: CorePriority = TASK_PRIORITY): Wait<number> {
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
  runThen<A>(core: number, work: Work, done: (arg: A, ns: number) => void, arg: A, priority: CorePriority = TASK_PRIORITY): void {
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

  /** Task (process-context) work waiting for `core`: what makes the kernel's need_resched true. */
  waitingTasks(core: number): number {
    this.checkCore(core);
    return this.taskLines[core]!.length;
  }

  /** True while `core` is held (or waking up for work that waits for it). */
  isBusy(core: number): boolean {
    this.checkCore(core);
    return !Number.isNaN(this.busySinceNs[core]!);
  }

  /** Restarts busy fractions and work totals (warm-up deletion). */
  resetStats(): void {
    const nowNs = this.sim.nowNs;
    this.statsStartNs = nowNs;
    for (let c = 0; c < this.coreCount; c++) {
      this.statsAreaOffsetNs[c] = this.busyAreaAt(c, nowNs);
      this.workDoneNs[c] = 0;
    }
  }

  private busyAreaAt(core: number, nowNs: number): number {
    const since = this.busySinceNs[core]!;
    return this.busyAreaNs[core]! + (Number.isNaN(since) || since === WAKING ? 0 : nowNs - since);
  }

  private markBusy(core: number): void {
    this.busySinceNs[core] = this.sim.nowNs;
  }

  private checkCore(core: number): void {
    if (!(Number.isInteger(core) && core >= 0 && core < this.coreCount)) throw badCore(core, this.coreCount);
  }
}

/**
 * A process's `waitToken` while it waits for a core: -1 - core in the core's line, the core itself
 * once granted (until it resumes). The map is its own inverse.
 */
function inLineToken(x: number): number {
  return -1 - x;
}

class CoreRequestWait extends ReusableWait<number> {
  core = 0;
  priority: CorePriority = TASK_PRIORITY;
  protected readonly label: string;
  constructor(private readonly cpu: CpuCores, name: string) {
    super(cpu.sim);
    this.label = `${name}.request()`;
  }
  protected begin(proc: Process<any>): number | typeof SUSPENDS {
    const core = this.cpu.beginRequest(proc, this.core, this.priority);
    return core >= 0 ? core : SUSPENDS;
  }
  protected override cancel(proc: Process<any>): void {
    this.cpu.cancelRequest(proc);
  }
}

function checkPriority(priority: number): void {
  if (priority !== SOFTIRQ_PRIORITY && priority !== TASK_PRIORITY) throw badPriority(priority);
}

function badPriority(priority: number): RangeError {
  return new RangeError(`priority must be SOFTIRQ_PRIORITY (${SOFTIRQ_PRIORITY}) or TASK_PRIORITY (${TASK_PRIORITY}), got ${priority}`);
}

function notHeld(core: number): Error {
  return new Error(`release(${core}) of a core that is not held`);
}

// Built out of line: checkCore runs on every acquire, release and piece of work.
function badCore(core: number, coreCount: number): RangeError {
  return new RangeError(`core must be an integer in [0, ${coreCount - 1}], got ${core}`);
}
