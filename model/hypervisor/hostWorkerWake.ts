/**
 * The wake-up of a host worker thread that serves a guest's queues (vhost-net's worker, one per
 * queue pair). An idle worker busy-polls its queues for `busyPollNs` (vhost's busyloop_timeout,
 * QEMU's poll-us, 0 by default) and then sleeps; the next kick or packet for it finds it asleep and
 * waits for the host scheduler (hostThreadWakeupNs) and for the idle-state exit of the worker's host
 * core, idle since the worker's last work (the host CPU's own idle states; one host core per worker,
 * an assumption). Busy polling costs host CPU, counted here.
 */
import type { IdleGovernor } from '../cpu/idleGovernor.ts';

export interface HostWorkerWakeOptions {
  readonly workers: number;
  /** Host scheduler latency of a sleeping thread, ns. */
  readonly hostThreadWakeupNs: number;
  /** How long an idle worker busy-polls before it sleeps, ns. */
  readonly busyPollNs: number;
  /** The workers' host cores and their idle states; undefined: they wake at once. */
  readonly hostIdle: IdleGovernor | undefined;
}

export class HostWorkerWake {
  /** Wake-ups of a sleeping worker, and work that found it busy-polling, since the last resetStats(). */
  wakeups = 0;
  pollHits = 0;
  /** Host CPU spent busy-polling, and the wake-up time paid, since the last resetStats(), ns. */
  busyPollNs = 0;
  wakeupNs = 0;

  constructor(private readonly o: HostWorkerWakeOptions) {
    if (!(Number.isInteger(o.workers) && o.workers >= 1)) throw new RangeError(`workers must be a positive integer, got ${o.workers}`);
    for (const field of ['hostThreadWakeupNs', 'busyPollNs'] as const) {
      const v = o[field];
      if (!(v >= 0 && Number.isFinite(v))) throw new RangeError(`${field} must be a finite number >= 0, got ${v}`);
    }
    if (o.hostIdle !== undefined && o.hostIdle.coreCount !== o.workers) {
      throw new RangeError(`the host idle governor has ${o.hostIdle.coreCount} cores, there are ${o.workers} workers (one host core each)`);
    }
  }

  /** Work reaches worker `worker`, idle for `idleNs`: the delay before it runs, ns. */
  wakeNs(worker: number, idleNs: number): number {
    const poll = this.o.busyPollNs;
    if (idleNs <= poll) {
      this.busyPollNs += idleNs;
      this.pollHits++;
      return 0;
    }
    this.busyPollNs += poll;
    this.wakeups++;
    const idle = this.o.hostIdle;
    const ns = this.o.hostThreadWakeupNs + (idle === undefined ? 0 : idle.wake(worker, idleNs - poll));
    this.wakeupNs += ns;
    return ns;
  }

  resetStats(): void {
    this.wakeups = 0;
    this.pollHits = 0;
    this.busyPollNs = 0;
    this.wakeupNs = 0;
  }
}
