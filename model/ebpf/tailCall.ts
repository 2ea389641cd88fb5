/**
 * Cost of a BPF tail call. Before Linux 5.5 a tail call is an indirect jump through a retpoline
 * (20-30 ns, Cloudflare); from 5.5 constant-key tail calls are patched into direct jumps (< 10 ns).
 * The time is taken as fixed ns (measured on production hardware; not rescaled by frequency).
 */
import { calibratedParams } from '../calibration/index.ts';
import { kernelAtLeast, parseKernelVersion, type KernelVersion } from './kernelVersion.ts';

export interface TailCallParams {
  /** Per tail call before the switch version, ns. Default 25 (20-30). */
  readonly before55Ns: number;
  /** Per tail call from the switch version on, ns. Default 5 (< 10). */
  readonly from55Ns: number;
  /** First kernel with cheap tail calls: 5.5. */
  readonly directJumpKernelMajor: number;
  readonly directJumpKernelMinor: number;
}

export const defaultTailCallParams: TailCallParams = calibratedParams({
  before55Ns: 'ebpf.tailCallBefore55Ns',
  from55Ns: 'ebpf.tailCallFrom55Ns',
  directJumpKernelMajor: 'ebpf.tailCallDirectJumpKernelMajor',
  directJumpKernelMinor: 'ebpf.tailCallDirectJumpKernelMinor',
});

/** Time of one tail call on kernel `kernelVersion`, ns. */
export function tailCallNs(kernelVersion: KernelVersion | string, p: TailCallParams = defaultTailCallParams): number {
  const v = parseKernelVersion(kernelVersion);
  return kernelAtLeast(v, p.directJumpKernelMajor, p.directJumpKernelMinor) ? p.from55Ns : p.before55Ns;
}
