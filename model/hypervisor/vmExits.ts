/**
 * What crossing the VM boundary costs the guest's vCPU, in cycles of the host CPU it runs on:
 *   kick       the guest writes a virtqueue's notify register (a doorbell that traps): a VM exit,
 *              KVM's ioeventfd handling, and the re-entry. The host worker is signalled meanwhile.
 *   injection  an interrupt for a running vCPU: with posted interrupts (APICv) the CPU delivers it
 *              without an exit; without them the host's IPI forces an exit and KVM injects the
 *              interrupt on re-entry.
 *   halt wake  a halted vCPU woken by an interrupt while the host still polls for it: the IPI, the
 *              exit and the injection before the guest runs again (cpu.haltWakeupCycles). A vCPU
 *              whose host thread has gone to sleep also waits for the host scheduler (vcpuIdle.ts).
 *   HLT        the exit a vCPU takes when it halts: CPU time only, nothing waits for it.
 */
import { calibratedParams } from '../calibration/index.ts';
import { cyclesToNs } from '../units.ts';

export interface VmExitParams {
  /** Direct cost of one exit and re-entry, cycles. Default 2000 (SplitX, sourced). */
  readonly exitCycles: number;
  /** A kick's handling beyond the exit (fast MMIO decode, ioeventfd signal), cycles. Assumption 2000. */
  readonly kickHandlingCycles: number;
  /** Interrupt into a running vCPU without posted interrupts, cycles. Assumption 4781 (the tscdeadline test without APICv). */
  readonly injectionNoPostedCycles: number;
  /** Interrupt into a running vCPU with posted interrupts, cycles. Assumption 0. */
  readonly injectionPostedCycles: number;
  /** A halted vCPU woken while the host polls: IPI + exit + injection, cycles. Default 4238 (sourced). */
  readonly haltWakeupCycles: number;
}

export const defaultVmExitParams: VmExitParams = calibratedParams({
  exitCycles: 'hypervisor.vmExitCycles',
  kickHandlingCycles: 'hypervisor.kickHandlingCycles',
  injectionNoPostedCycles: 'hypervisor.injectionNoPostedCycles',
  injectionPostedCycles: 'hypervisor.injectionPostedCycles',
  haltWakeupCycles: 'cpu.haltWakeupCycles',
});

export function checkVmExitParams(p: VmExitParams): void {
  for (const field of ['exitCycles', 'kickHandlingCycles', 'injectionNoPostedCycles', 'injectionPostedCycles', 'haltWakeupCycles'] as const) {
    const v = p[field];
    if (!(v >= 0 && Number.isFinite(v))) throw new RangeError(`${field} must be a finite number >= 0, got ${v}`);
  }
}

/** The exit costs of one guest at its host CPU's clock, ns. */
export interface VmExitTimes {
  /** One kick: exit + handling + re-entry. */
  readonly kickNs: number;
  /** One interrupt into a running vCPU (posted or not, as configured). */
  readonly runningInjectionNs: number;
  /** A halted vCPU woken while the host polls. */
  readonly haltWakeupNs: number;
  /** The exit of a vCPU that halts (CPU only). */
  readonly haltExitNs: number;
}

/** The exit costs at `freqHz`, with or without posted interrupts. */
export function vmExitTimes(p: VmExitParams, freqHz: number, postedInterrupts: boolean): VmExitTimes {
  checkVmExitParams(p);
  if (!(freqHz > 0) || !Number.isFinite(freqHz)) throw new RangeError(`freqHz must be a finite number > 0, got ${freqHz}`);
  return Object.freeze({
    kickNs: cyclesToNs(p.exitCycles + p.kickHandlingCycles, freqHz),
    runningInjectionNs: cyclesToNs(postedInterrupts ? p.injectionPostedCycles : p.injectionNoPostedCycles, freqHz),
    haltWakeupNs: cyclesToNs(p.haltWakeupCycles, freqHz),
    haltExitNs: cyclesToNs(p.exitCycles, freqHz),
  });
}
