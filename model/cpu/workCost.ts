/**
 * CPU work split in two: cycles, which take cycles / f and so shrink as the clock rises, and
 * memory stalls, which take a fixed time whatever the clock (a DRAM miss costs ≈82–130 ns at any
 * core frequency). Key assumption: the two parts add (no overlap between computing and waiting).
 */
import { calibratedParams } from '../calibration/index.ts';
import { cyclesToNs } from '../units.ts';

/** An amount of CPU work. */
export interface Work {
  /** Core clock cycles; time = cycles / freqHz. */
  readonly cycles: number;
  /** DRAM misses on the critical path; each stalls `dramMissLatencyNs` at any frequency. */
  readonly dramMisses: number;
  /** Other frequency-independent stall time, ns (e.g. last-level-cache hits, fixed-latency reads). */
  readonly stallNs?: number;
}

export interface WorkCostParams {
  /** Stall per DRAM miss, ns. Default: 82 ns (Intel MLC at light load; 130 ns at full load). */
  readonly dramMissLatencyNs: number;
}

export const defaultWorkCostParams: WorkCostParams = calibratedParams({ dramMissLatencyNs: 'cpu.dramLatencyLightLoadNs' });

/** The same params with the loaded DRAM latency (memory bandwidth saturated). */
export const loadedMemoryWorkCostParams: WorkCostParams = calibratedParams({ dramMissLatencyNs: 'cpu.dramLatencyLoadedNs' });

/** No work. */
export const NO_WORK: Work = Object.freeze({ cycles: 0, dramMisses: 0 });

/**
 * Time to do `work` on a core running at `freqHz`, ns (not rounded).
 *
 * @example
 * workNs({ cycles: 3600, dramMisses: 1 }, 3.6e9, { dramMissLatencyNs: 82 }) // returns 1082
 */
export function workNs(work: Work, freqHz: number, params: WorkCostParams = defaultWorkCostParams): number {
  const stallNs = work.stallNs ?? 0;
  // One test on the hot path (x - x is 0 only for finite x); the message is built out of line.
  if (!(work.cycles >= 0 && work.dramMisses >= 0 && stallNs >= 0 && freqHz > 0 && work.cycles - work.cycles + work.dramMisses - work.dramMisses + stallNs - stallNs + freqHz - freqHz === 0)) {
    throw badWork(work, freqHz);
  }
  return cyclesToNs(work.cycles, freqHz) + work.dramMisses * params.dramMissLatencyNs + stallNs;
}

function badWork(work: Work, freqHz: number): RangeError {
  const stallNs = work.stallNs ?? 0;
  for (const [name, v] of [['work.cycles', work.cycles], ['work.dramMisses', work.dramMisses], ['work.stallNs', stallNs]] as const) {
    if (!(v >= 0) || !Number.isFinite(v)) return new RangeError(`${name} must be a finite number >= 0, got ${v}`);
  }
  return new RangeError(`freqHz must be a finite number > 0, got ${freqHz}`);
}

/** The sum of several pieces of work. */
export function addWork(...parts: readonly Work[]): Work {
  let cycles = 0;
  let dramMisses = 0;
  let stallNs = 0;
  for (const w of parts) {
    cycles += w.cycles;
    dramMisses += w.dramMisses;
    stallNs += w.stallNs ?? 0;
  }
  return { cycles, dramMisses, stallNs };
}

/** `work` done `times` times (e.g. per-packet work times a batch). */
export function scaleWork(work: Work, times: number): Work {
  if (!(times >= 0) || !Number.isFinite(times)) throw new RangeError(`times must be a finite number >= 0, got ${times}`);
  return { cycles: work.cycles * times, dramMisses: work.dramMisses * times, stallNs: (work.stallNs ?? 0) * times };
}
