/**
 * The NET_RX softirq of each core: the budget its NAPI polls share and the hand-off to ksoftirqd.
 * One round (net_rx_action) takes at most `budgetPackets` packets (netdev_budget) or runs at most
 * `budgetUsecs` (netdev_budget_usecs) over all the core's NAPI instances, each poll at most its
 * weight; a round that runs out counts a time_squeeze and re-raises the softirq. The core restarts
 * rounds back to back (handle_softirqs) only up to `maxRestarts` times and `maxSoftirqTimeUs`, and
 * only while no task waits for the core (need_resched); past that the rest of the work moves to
 * the core's ksoftirqd thread, which first has to be woken and then waits for the core like any task
 * (behind task work already in line), until no poll is left and softirq processing is over.
 * Approximations: the budget is checked when a poll yields (after its weight), as net_rx_action
 * does between NAPI instances; polls scheduled while ksoftirqd owns the work also go to ksoftirqd.
 */
import { calibratedParams } from '../calibration/index.ts';
import { SOFTIRQ_PRIORITY, TASK_PRIORITY, type CorePriority, type CpuCores } from '../cpu/cpuCores.ts';
import { usToNs } from '../units.ts';

export interface NetRxSoftirqParams {
  /** netdev_budget: packets per round. Default 300. */
  readonly budgetPackets: number;
  /** netdev_budget_usecs: time per round, us. Default 8000 (HZ = 250). */
  readonly budgetUsecs: number;
  /** MAX_SOFTIRQ_RESTART. Default 10. */
  readonly maxRestarts: number;
  /** MAX_SOFTIRQ_TIME in whole jiffies, us. Default 4000 (HZ = 250). */
  readonly maxSoftirqTimeUs: number;
}

export const defaultNetRxSoftirqParams: NetRxSoftirqParams = calibratedParams({
  budgetPackets: 'nic.netdevBudgetPackets',
  budgetUsecs: 'nic.netdevBudgetUsecs',
  maxRestarts: 'cpu.maxSoftirqRestarts',
  maxSoftirqTimeUs: 'cpu.maxSoftirqTimeUs',
});

export class NetRxSoftirq {
  readonly params: NetRxSoftirqParams;
  /** Rounds that ran out of budget, per core (/proc/net/softnet_stat's third column). */
  readonly timeSqueeze: Float64Array;
  /** Times softirq work moved to ksoftirqd, per core. */
  readonly ksoftirqdHandoffs: Float64Array;

  private readonly budgetNs: number;
  private readonly maxSoftirqTimeNs: number;
  private readonly active: Int32Array;
  private readonly roundPackets: Float64Array;
  private readonly roundStartNs: Float64Array;
  private readonly runStartNs: Float64Array;
  private readonly restarts: Int32Array;
  private readonly inKsoftirqd: Uint8Array;

  /**
   * @param ksoftirqdWakeupNs the scheduler's delay before a woken ksoftirqd thread asks for its core
   */
  constructor(readonly cores: CpuCores, readonly ksoftirqdWakeupNs: () => number, params: NetRxSoftirqParams = defaultNetRxSoftirqParams) {
    for (const [k, v] of Object.entries(params)) if (!(v >= 1)) throw new RangeError(`NetRxSoftirq: ${k} must be >= 1, got ${v}`);
    this.params = params;
    const n = cores.coreCount;
    this.budgetNs = usToNs(params.budgetUsecs);
    this.maxSoftirqTimeNs = usToNs(params.maxSoftirqTimeUs);
    this.timeSqueeze = new Float64Array(n);
    this.ksoftirqdHandoffs = new Float64Array(n);
    this.active = new Int32Array(n);
    this.roundPackets = new Float64Array(n);
    this.roundStartNs = new Float64Array(n);
    this.runStartNs = new Float64Array(n);
    this.restarts = new Int32Array(n);
    this.inKsoftirqd = new Uint8Array(n);
  }

  /** The class a new poll on `core` waits in: softirq, or task when ksoftirqd has the core's work. */
  priorityFor(core: number): CorePriority {
    return this.inKsoftirqd[core] === 1 ? TASK_PRIORITY : SOFTIRQ_PRIORITY;
  }

  /** True while `core`'s NET_RX work runs in ksoftirqd. */
  isInKsoftirqd(core: number): boolean {
    return this.inKsoftirqd[core] === 1;
  }

  /** A NAPI instance on `core` was scheduled (its interrupt fired); the core's softirq run starts if it is the first. */
  scheduled(core: number): void {
    if (this.active[core]!++ === 0) {
      const nowNs = this.cores.sim.nowNs;
      this.runStartNs[core] = nowNs;
      this.roundStartNs[core] = nowNs;
      this.roundPackets[core] = 0;
      this.restarts[core] = 0;
    }
  }

  /** A packet of `core`'s NET_RX work was processed. */
  packet(core: number): void {
    this.roundPackets[core] = this.roundPackets[core]! + 1;
  }

  /**
   * A poll on `core` used its weight and packets remain: ends the round if its budget is spent,
   * moves the work to ksoftirqd if the core may not restart, and says where the next poll runs:
   * in softirq, in ksoftirqd, or in ksoftirqd just woken (`handoff`: it must wait for the scheduler first).
   */
  afterWeight(core: number): 'softirq' | 'ksoftirqd' | 'handoff' {
    if (this.inKsoftirqd[core] === 1) return 'ksoftirqd';
    const nowNs = this.cores.sim.nowNs;
    if (this.roundPackets[core]! < this.params.budgetPackets && nowNs - this.roundStartNs[core]! < this.budgetNs) return 'softirq';
    this.timeSqueeze[core] = this.timeSqueeze[core]! + 1;
    this.roundPackets[core] = 0;
    this.roundStartNs[core] = nowNs;
    const restarts = ++this.restarts[core]!;
    if (restarts < this.params.maxRestarts && nowNs - this.runStartNs[core]! < this.maxSoftirqTimeNs && this.cores.waitingTasks(core) === 0) {
      return 'softirq';
    }
    this.inKsoftirqd[core] = 1;
    this.ksoftirqdHandoffs[core] = this.ksoftirqdHandoffs[core]! + 1;
    return 'handoff';
  }

  /** A NAPI instance on `core` completed (its ring is empty); the run ends with the last one. */
  completed(core: number): void {
    if (--this.active[core]! === 0) this.inKsoftirqd[core] = 0;
  }
}
