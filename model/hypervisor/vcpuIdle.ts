/**
 * An idle vCPU and what waking it costs: the guest's idle loop under KVM, in place of the C-states
 * of a bare-metal core. A guest has no C-states of its own (KVM does not expose MWAIT by default):
 * an idle vCPU executes HLT, which exits to the host. Then, per idle period of length `idleNs`:
 *
 *   guest polling (cpuidle-haltpoll, halt polling 'on')   the vCPU first spins in the guest for its
 *       adaptive limit; work that arrives meanwhile finds it running: no exit, no wake-up (an
 *       interrupt still needs delivering: injection into a running vCPU, charged by the NIC side).
 *   HLT        the vCPU exits (CPU only). The host then, with host halt polling ('host' or 'on'),
 *       polls for its adaptive interval: a wake-up within it costs the IPI, exit and injection
 *       (haltWakeupNs) and nothing more.
 *   sleep      past the host's interval (or with polling off) the vCPU thread sleeps and its host
 *       core goes idle in the host CPU's own idle states: the wake-up then also waits for the host
 *       scheduler (hostThreadWakeupNs) and the host core's idle-state exit.
 *
 * `wake(core, idleNs)` is what CpuCores calls when work reaches an idle core (the idle-governor
 * interface); it returns the time until the vCPU runs the work and records which part of it was the
 * host's (the scheduler and the host core's exit) for the latency attribution. Polling time and
 * halt exits are CPU the host spends on the guest's behalf: counted here, not charged to the vCPU.
 * Assumption: one host core per vCPU (dedicated vCPUs), so a sleeping vCPU's host core is idle.
 */
import type { IdleGovernor } from '../cpu/idleGovernor.ts';
import type { IdleStateName } from '../cpu/idleStates.ts';
import { defaultGuestHaltPollParams, defaultHostHaltPollParams, HaltPollWindows, type HaltPollParams } from './haltPolling.ts';
import type { VmExitTimes } from './vmExits.ts';

/** Which side polls for a halted vCPU: neither, the host only (the kernels' default), or both. */
export type HaltPollingMode = 'off' | 'host' | 'on';
export const HALT_POLLING_MODES: readonly HaltPollingMode[] = ['off', 'host', 'on'];

export interface VcpuIdleOptions {
  readonly vcpus: number;
  readonly haltPolling: HaltPollingMode;
  /** The guest's exit costs at its host CPU's clock. */
  readonly exits: VmExitTimes;
  /** Host scheduler latency of a sleeping vCPU thread, ns. */
  readonly hostThreadWakeupNs: number;
  /** The host cores under the vCPUs (one each) and their idle states; undefined: they wake at once. */
  readonly hostIdle: IdleGovernor | undefined;
  readonly hostPoll?: HaltPollParams;
  readonly guestPoll?: HaltPollParams;
}

export class VcpuIdle {
  readonly coreCount: number;
  readonly haltPolling: HaltPollingMode;
  /** Exit latency paid by all wake-ups (what an idle governor reports), ns. */
  exitLatencyTotalNs = 0;
  // ---- statistics since the last resetStats() ----
  /** Wake-ups that found the vCPU polling in the guest, halted with the host polling, asleep. */
  guestPollWakeups = 0;
  hostPollWakeups = 0;
  sleepWakeups = 0;
  /** Host CPU spent polling in the guest and in the host, and on HLT exits, ns. */
  guestPollNs = 0;
  hostPollNs = 0;
  haltExitNs = 0;
  /** The part of the wake-ups that was the host's (scheduler, host core exit) and the IPI/exit/injection part, ns. */
  hostWakeupNs = 0;
  vmExitWakeupNs = 0;

  private readonly guestWindows: HaltPollWindows | undefined;
  private readonly hostWindows: HaltPollWindows | undefined;
  private readonly lastHostNs: Float64Array;
  private readonly exits: VmExitTimes;
  private readonly hostThreadWakeupNs: number;
  private readonly hostIdle: IdleGovernor | undefined;
  private wakeupsFromPoll = 0;
  private wakeupsFromHalt = 0;

  constructor(o: VcpuIdleOptions) {
    if (!(Number.isInteger(o.vcpus) && o.vcpus >= 1)) throw new RangeError(`vcpus must be a positive integer, got ${o.vcpus}`);
    if (!HALT_POLLING_MODES.includes(o.haltPolling)) throw new RangeError(`haltPolling must be one of ${HALT_POLLING_MODES.join(', ')}, got "${String(o.haltPolling)}"`);
    if (!(o.hostThreadWakeupNs >= 0 && Number.isFinite(o.hostThreadWakeupNs))) {
      throw new RangeError(`hostThreadWakeupNs must be a finite number >= 0, got ${o.hostThreadWakeupNs}`);
    }
    if (o.hostIdle !== undefined && o.hostIdle.coreCount !== o.vcpus) {
      throw new RangeError(`the host idle governor has ${o.hostIdle.coreCount} cores, the guest ${o.vcpus} vCPUs (one host core per vCPU)`);
    }
    this.coreCount = o.vcpus;
    this.haltPolling = o.haltPolling;
    this.exits = o.exits;
    this.hostThreadWakeupNs = o.hostThreadWakeupNs;
    this.hostIdle = o.hostIdle;
    this.guestWindows = o.haltPolling === 'on' ? new HaltPollWindows(o.vcpus, o.guestPoll ?? defaultGuestHaltPollParams, 'guest') : undefined;
    this.hostWindows = o.haltPolling === 'off' ? undefined : new HaltPollWindows(o.vcpus, o.hostPoll ?? defaultHostHaltPollParams, 'host');
    this.lastHostNs = new Float64Array(o.vcpus);
  }

  /**
   * Work reaches vCPU `core` after it was idle for `idleNs`: returns the time until it runs (ns; 0
   * when it was polling in the guest) and adapts the polling intervals.
   */
  wake(core: number, idleNs: number): number {
    let halted = idleNs;
    const guest = this.guestWindows;
    if (guest !== undefined) {
      const limit = guest.window(core);
      if (idleNs <= limit) {
        this.guestPollNs += idleNs;
        this.guestPollWakeups++;
        this.wakeupsFromPoll++;
        this.lastHostNs[core] = 0;
        return 0;
      }
      this.guestPollNs += limit;
      halted = idleNs - limit;
      guest.guestHalted(core, halted);
    }
    this.haltExitNs += this.exits.haltExitNs;
    let hostNs = 0;
    const host = this.hostWindows;
    let polled = 0;
    let hit = false;
    if (host !== undefined) {
      polled = Math.min(host.window(core), halted);
      hit = host.hostBlock(core, halted);
    }
    this.hostPollNs += polled;
    if (hit) {
      this.hostPollWakeups++;
    } else {
      this.sleepWakeups++;
      hostNs = this.hostThreadWakeupNs + (this.hostIdle === undefined ? 0 : this.hostIdle.wake(core, halted - polled));
    }
    const exitNs = this.exits.haltWakeupNs + hostNs;
    this.lastHostNs[core] = hostNs;
    this.hostWakeupNs += hostNs;
    this.vmExitWakeupNs += this.exits.haltWakeupNs;
    this.exitLatencyTotalNs += exitNs;
    this.wakeupsFromHalt++;
    return exitNs;
  }

  /** Of the last wake-up of `core`, the host's part (scheduler and host core exit), ns. */
  lastHostPartNs(core: number): number {
    return this.lastHostNs[core]!;
  }

  /** Wake-ups by the state the vCPU was in (the idle governor's report): polling in the guest, or halted. */
  get wakeups(): Record<IdleStateName, number> {
    return { poll: this.wakeupsFromPoll, c1: 0, c1e: 0, c6: 0, halt: this.wakeupsFromHalt };
  }

  /** Restarts the statistics (the measured window). */
  resetStats(): void {
    this.guestPollWakeups = 0;
    this.hostPollWakeups = 0;
    this.sleepWakeups = 0;
    this.guestPollNs = 0;
    this.hostPollNs = 0;
    this.haltExitNs = 0;
    this.hostWakeupNs = 0;
    this.vmExitWakeupNs = 0;
  }
}
