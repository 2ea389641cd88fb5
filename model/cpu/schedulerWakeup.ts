/**
 * Scheduler wake-up latency: from the event that wakes a blocked thread (data in its socket, a
 * softirq raised for ksoftirqd) to the thread running. A floor (the shortest wake-up cyclictest
 * measures), plus an exponential spread above it (run-queue work, cache refills, interrupts in
 * between), plus, with the probability that the core is running another CPU-bound task, a wait
 * for part of that task's scheduler slice (uniform over the slice). The floor and the slice are
 * sourced; the spread and the busy probability are assumptions (no published distribution for a
 * busy node): sweep them. Idle-state exits are not part of it: CpuCores adds them when the thread
 * needs an idle core.
 */
import { calibratedParams } from '../calibration/index.ts';
import { standardExponentialSampler } from '../engine/distributions/exponentialZiggurat.ts';
import type { RandomStream } from '../engine/randomStreams.ts';

export interface SchedulerWakeupParams {
  readonly minNs: number;
  readonly spreadMeanNs: number;
  readonly otherTaskBusyFraction: number;
  readonly baseSliceNs: number;
}

export const defaultSchedulerWakeupParams: SchedulerWakeupParams = calibratedParams({
  minNs: 'cpu.wakeupMinNs',
  spreadMeanNs: 'cpu.wakeupSpreadMeanNs',
  otherTaskBusyFraction: 'cpu.otherTaskBusyFraction',
  baseSliceNs: 'cpu.schedBaseSliceNs',
});

export function checkSchedulerWakeupParams(p: SchedulerWakeupParams): void {
  if (!(p.minNs >= 0 && Number.isFinite(p.minNs))) throw new RangeError(`minNs must be a finite number >= 0, got ${p.minNs}`);
  if (!(p.spreadMeanNs >= 0 && Number.isFinite(p.spreadMeanNs))) throw new RangeError(`spreadMeanNs must be a finite number >= 0, got ${p.spreadMeanNs}`);
  if (!(p.otherTaskBusyFraction >= 0 && p.otherTaskBusyFraction <= 1)) {
    throw new RangeError(`otherTaskBusyFraction must be in [0, 1], got ${p.otherTaskBusyFraction}`);
  }
  if (!(p.baseSliceNs >= 0 && Number.isFinite(p.baseSliceNs))) throw new RangeError(`baseSliceNs must be a finite number >= 0, got ${p.baseSliceNs}`);
}

/** Mean wake-up latency, ns: floor + spread + P(busy) x half a slice. */
export function meanSchedulerWakeupNs(p: SchedulerWakeupParams = defaultSchedulerWakeupParams): number {
  return p.minNs + p.spreadMeanNs + (p.otherTaskBusyFraction * p.baseSliceNs) / 2;
}

/**
 * A sampler of wake-up latencies (integer ns) drawing from `stream`. Which wake-ups find the core
 * busy is a Bernoulli sequence; it is drawn as geometric gaps between busy ones (the same law, one
 * draw per busy wake-up instead of one per wake-up).
 */
export function schedulerWakeupSampler(stream: RandomStream, p: SchedulerWakeupParams = defaultSchedulerWakeupParams): () => number {
  checkSchedulerWakeupParams(p);
  const exp = standardExponentialSampler(stream.uint32Fn, stream.uniformFn);
  const u = stream.uniformFn;
  const { minNs, spreadMeanNs, otherTaskBusyFraction: busy, baseSliceNs } = p;
  // Wake-ups before the next busy one: geometric on {0, 1, ...} with success probability `busy`.
  const logIdle = Math.log1p(-busy);
  const gap = (): number => (busy >= 1 ? 0 : Math.floor(Math.log1p(-u()) / logIdle));
  const state = { untilBusy: busy > 0 ? gap() : Infinity };
  return (): number => {
    let ns = minNs + spreadMeanNs * exp();
    if (state.untilBusy-- === 0) {
      ns += u() * baseSliceNs;
      state.untilBusy = gap();
    }
    return Math.round(ns);
  };
}
