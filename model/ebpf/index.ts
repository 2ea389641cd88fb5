// The ebpf component: table of contents.
export { type KernelVersion, parseKernelVersion, kernelAtLeast, formatKernelVersion } from './kernelVersion.ts';
export {
  type BpfProgramSpec, type ProgramCostParams, type NoopProgramParams,
  defaultProgramCostParams, defaultNoopProgramParams, instructionCycles, programExecutionWork, noopXdpProgram,
} from './programCost.ts';
export { type TailCallParams, defaultTailCallParams, tailCallNs } from './tailCall.ts';
export {
  type BpfMapKind, type MapLookupSpec, type MapLookupParams, type LineTraffic,
  defaultMapLookupParams, htabBucketCount, htabElementBytes, expectedDistinctLines, uniformMissFraction, mapLineTraffic, mapLookupWork, mapLookupColdWork,
} from './mapLookup.ts';
export { type BpfStatsParams, defaultBpfStatsParams, bpfStatsOverheadNs } from './bpfStats.ts';
export { type CiliumProgramName, type CiliumProgramParams, defaultCiliumProgramParams, ciliumProgram } from './ciliumPrograms.ts';
export { type EbpfConfig, type EbpfCostParams, type EbpfModel, ebpfModel } from './ebpfModel.ts';
