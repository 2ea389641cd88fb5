/**
 * Lookups are CPU work (model/cpu `Work`): cycles, which take cycles / f, plus DRAM misses, which
 * take a fixed latency whatever the clock. This turns that work into nanoseconds for a core clock
 * and a memory system; by default the 3.6 GHz reference clock the cycle counts are quoted at and
 * the light-load DRAM latency (82 ns).
 */
import { calibratedParams } from '../calibration/index.ts';
import { defaultWorkCostParams, workNs, type Work, type WorkCostParams } from '../cpu/workCost.ts';

export interface LookupTimingParams {
  /** Core clock the lookups run at, Hz. Default: cpu.referenceFreqHz (3.6 GHz). */
  readonly freqHz: number;
  /** DRAM miss latency (model/cpu). Default: light load, 82 ns. */
  readonly workCost: WorkCostParams;
}

export const defaultLookupTimingParams: LookupTimingParams = calibratedParams({ freqHz: 'cpu.referenceFreqHz' }, { workCost: defaultWorkCostParams });

/** Time of `work` at the given clock and memory latency, ns. */
export function lookupWorkNs(work: Work, timing: LookupTimingParams = defaultLookupTimingParams): number {
  return workNs(work, timing.freqHz, timing.workCost);
}
