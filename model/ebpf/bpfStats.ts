/**
 * kernel.bpf_stats_enabled = 1 makes every program run read the clock twice (ktime_get_ns()
 * before and after) to account run time: about 2 x 20 ns per invocation on bare metal. Fixed ns:
 * the clock read does not scale with core frequency. Off by default.
 */
import { calibratedParams } from '../calibration/index.ts';

export interface BpfStatsParams {
  /** One ktime_get_ns(), ns. Default 20. */
  readonly ktimeGetNs: number;
  /** Clock reads per invocation. Default 2. */
  readonly ktimeCallsPerInvocation: number;
}

export const defaultBpfStatsParams: BpfStatsParams = calibratedParams({
  ktimeGetNs: 'ebpf.ktimeGetNs',
  ktimeCallsPerInvocation: 'ebpf.statsKtimeCallsPerInvocation',
});

/** Extra time per program invocation, ns: 0 when stats are off. */
export function bpfStatsOverheadNs(statsEnabled: boolean, p: BpfStatsParams = defaultBpfStatsParams): number {
  return statsEnabled ? p.ktimeCallsPerInvocation * p.ktimeGetNs : 0;
}
