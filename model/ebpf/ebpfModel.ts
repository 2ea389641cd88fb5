/**
 * The eBPF strategy a datapath plugs in: given how the kernel runs BPF (JIT or interpreter, kernel
 * version, bpf_stats on or off), the time of one program run per packet. A run costs its
 * invocation and instructions (cycles, scale with f), its tail calls and stats clock reads (fixed
 * ns) and its map lookups (cycles + cache stalls + DRAM misses).
 */
import type { Work } from '../cpu/workCost.ts';
import { addWork, defaultWorkCostParams, workNs, type WorkCostParams } from '../cpu/workCost.ts';
import { bpfStatsOverheadNs, defaultBpfStatsParams, type BpfStatsParams } from './bpfStats.ts';
import { formatKernelVersion, parseKernelVersion, type KernelVersion } from './kernelVersion.ts';
import { defaultMapLookupParams, mapLookupWork, type MapLookupParams } from './mapLookup.ts';
import { defaultProgramCostParams, programExecutionWork, type BpfProgramSpec, type ProgramCostParams } from './programCost.ts';
import { defaultTailCallParams, tailCallNs, type TailCallParams } from './tailCall.ts';

export interface EbpfConfig {
  /** net.core.bpf_jit_enable != 0. */
  readonly jit: boolean;
  readonly kernelVersion: KernelVersion | string;
  /** kernel.bpf_stats_enabled = 1. */
  readonly statsEnabled: boolean;
  /** CONFIG_BPF_JIT_ALWAYS_ON: the interpreter is compiled out, so jit must be true. Default false. */
  readonly jitAlwaysOn?: boolean;
}

/** The cost tables an EbpfModel uses (each defaults to its calibrated params). */
export interface EbpfCostParams {
  readonly program: ProgramCostParams;
  readonly tailCall: TailCallParams;
  readonly stats: BpfStatsParams;
  readonly maps: MapLookupParams;
}

export interface EbpfModel {
  /** e.g. "ebpf(jit, 5.10, stats off)". */
  readonly name: string;
  readonly config: Readonly<{ jit: boolean; kernelVersion: KernelVersion; statsEnabled: boolean; jitAlwaysOn: boolean }>;
  /** Work of one run of `program` (tail calls and stats as stallNs: they do not scale with f). */
  programWork(program: BpfProgramSpec): Work;
  /** Time of one run of `program` on a core at `freqHz`, ns. */
  programNs(program: BpfProgramSpec, freqHz: number, workCost?: WorkCostParams): number;
  /** One tail call on this kernel, ns. */
  readonly tailCallNs: number;
  /** bpf_stats overhead per invocation, ns (0 when off). */
  readonly statsOverheadNs: number;
}

/** Builds the strategy; throws when the configuration cannot exist (JIT off with JIT_ALWAYS_ON). */
export function ebpfModel(config: EbpfConfig, costs: Partial<EbpfCostParams> = {}): EbpfModel {
  const kernelVersion = parseKernelVersion(config.kernelVersion);
  const jitAlwaysOn = config.jitAlwaysOn ?? false;
  if (typeof config.jit !== 'boolean') throw new TypeError(`jit must be a boolean, got ${String(config.jit)}`);
  if (typeof config.statsEnabled !== 'boolean') throw new TypeError(`statsEnabled must be a boolean, got ${String(config.statsEnabled)}`);
  if (!config.jit && jitAlwaysOn) {
    throw new RangeError('jit = false is impossible with jitAlwaysOn (CONFIG_BPF_JIT_ALWAYS_ON): the interpreter is compiled out');
  }
  const program = costs.program ?? defaultProgramCostParams;
  const maps = costs.maps ?? defaultMapLookupParams;
  const tailNs = tailCallNs(kernelVersion, costs.tailCall ?? defaultTailCallParams);
  const statsNs = bpfStatsOverheadNs(config.statsEnabled, costs.stats ?? defaultBpfStatsParams);
  const jit = config.jit;

  const programWork = (spec: BpfProgramSpec): Work => {
    if (!(Number.isInteger(spec.tailCalls) && spec.tailCalls >= 0)) {
      throw new RangeError(`program "${spec.name}": tailCalls must be an integer >= 0, got ${spec.tailCalls}`);
    }
    const fixed: Work = { cycles: 0, dramMisses: 0, stallNs: spec.tailCalls * tailNs + statsNs };
    return addWork(programExecutionWork(spec, jit, program), fixed, ...spec.mapLookups.map((m) => mapLookupWork(m, maps)));
  };

  return Object.freeze({
    name: `ebpf(${jit ? 'jit' : 'interpreter'}, ${formatKernelVersion(kernelVersion)}, stats ${config.statsEnabled ? 'on' : 'off'})`,
    config: Object.freeze({ jit, kernelVersion, statsEnabled: config.statsEnabled, jitAlwaysOn }),
    programWork,
    programNs: (spec: BpfProgramSpec, freqHz: number, workCost: WorkCostParams = defaultWorkCostParams): number =>
      workNs(programWork(spec), freqHz, workCost),
    tailCallNs: tailNs,
    statsOverheadNs: statsNs,
  });
}
