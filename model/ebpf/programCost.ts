/**
 * Cost of executing a BPF program's own instructions: a fixed invocation cost at the hook plus
 * instructions x cycles per instruction. JIT-compiled code runs at `jitCyclesPerInstruction`; the
 * interpreter multiplies the instruction part by `interpreterSlowdownFactor` (3-5x, classic-BPF
 * evidence; helpers such as map lookups are native code and are not slowed). With
 * CONFIG_BPF_JIT_ALWAYS_ON the interpreter is compiled out, so "JIT off" is not a state.
 * Executed instruction counts of real (Cilium) programs are unpublished: they are assumptions.
 */
import { calibratedParams } from '../calibration/index.ts';
import type { Work } from '../cpu/workCost.ts';
import type { MapLookupSpec } from './mapLookup.ts';

/** What one run of a program does, per packet. */
export interface BpfProgramSpec {
  readonly name: string;
  /** BPF instructions executed (not the program's size: only the path taken). */
  readonly instructions: number;
  /** Tail calls taken. */
  readonly tailCalls: number;
  /** Map lookups made, each with its map's occupancy. */
  readonly mapLookups: readonly MapLookupSpec[];
}

export interface ProgramCostParams {
  /** JIT: cycles per executed BPF instruction. Assumption 1 (0.5-3). */
  readonly jitCyclesPerInstruction: number;
  /** Interpreter time / JIT time per instruction. Assumption 4 (3-5, classic BPF). */
  readonly interpreterSlowdownFactor: number;
  /** Calling the program at its hook and acting on its verdict, cycles. Assumption 30 (10-100). */
  readonly invocationOverheadCycles: number;
}

export const defaultProgramCostParams: ProgramCostParams = calibratedParams({
  jitCyclesPerInstruction: 'ebpf.jitCyclesPerInstruction',
  interpreterSlowdownFactor: 'ebpf.interpreterSlowdownFactor',
  invocationOverheadCycles: 'ebpf.invocationOverheadCycles',
});

/** Cycles to execute `instructions` BPF instructions, JIT-compiled or interpreted. */
export function instructionCycles(instructions: number, jit: boolean, p: ProgramCostParams = defaultProgramCostParams): number {
  if (!(instructions >= 0) || !Number.isFinite(instructions)) throw new RangeError(`instructions must be a finite number >= 0, got ${instructions}`);
  return instructions * p.jitCyclesPerInstruction * (jit ? 1 : p.interpreterSlowdownFactor);
}

/** Invocation plus instructions (no tail calls, maps or stats: see ebpfModel). */
export function programExecutionWork(spec: BpfProgramSpec, jit: boolean, p: ProgramCostParams = defaultProgramCostParams): Work {
  return { cycles: p.invocationOverheadCycles + instructionCycles(spec.instructions, jit, p), dramMisses: 0 };
}

export interface NoopProgramParams {
  /** Instructions of the no-op XDP program ("r0 = XDP_PASS; exit"). */
  readonly instructions: number;
}

export const defaultNoopProgramParams: NoopProgramParams = calibratedParams({ instructions: 'ebpf.noopProgramInstructions' });

/** The no-op XDP program of the XDP paper's overhead check (13.3 ns/packet measured). */
export function noopXdpProgram(p: NoopProgramParams = defaultNoopProgramParams): BpfProgramSpec {
  return { name: 'xdp-noop', instructions: p.instructions, tailCalls: 0, mapLookups: [] };
}
