// Node scenarios (presets, bulk throughput, kernel memory over time): table of contents.
export {
  type NodePresetName, type NodePreset, type NodePresetOverrides, type CloudAllowanceParams, type NodeHardwareParams,
  NODE_PRESET_NAMES, defaultCloudAllowanceParams, defaultBareMetalNodeParams, defaultCloudNodeParams,
  nodePreset, checkNodePreset, isNodePresetName, nodeNicModel, describeNodePreset,
} from './nodePreset.ts';
export { maxMinFair, type FairResource, type FairUse, type FairClass, type FairAllocation } from './maxMinFair.ts';
export {
  type BulkModelParams, type BulkSpec, type BulkSpecInput, defaultBulkModelParams, checkBulkModelParams, bulkSpec, checkBulkSpec,
  BULK_MAX_FLOWS, BULK_MAX_SAMPLES,
} from './bulkSpec.ts';
export {
  type BulkSegments, type BulkWork, type BulkCpuWork, type BulkWorkNs, type BulkCpuCosts,
  bulkSegments, bulkCpuWork, bulkCpuCosts, bulkCostContext, specFrequency, saturatedFreqHz,
} from './bulkCosts.ts';
export { BULK_LIMITERS, BULK_LIMITER_LABELS, type BulkLimiter, type BulkNetwork, type BulkResourceModel, bulkResourceModel, bulkBaseRttNs } from './bulkResources.ts';
export {
  simulateBulkThroughput, bulkFlowIds, bulkNetwork, type BulkThroughputResult, type BulkPhase, type BulkSample,
} from './simulateBulkThroughput.ts';
export { simulateBulkPackets, bulkWindowBytes, type BulkPacketRunOptions, type BulkPacketRunResult } from './bulkPacketRun.ts';
export { cloudConnectionRateBound, type CloudConnectionBound } from './cloudConnectionBound.ts';
export { nodeConnectionCapacity, simulatedLimit, type NodeConnectionCapacity } from './nodeConnectionCapacity.ts';
export { conntrackOccupancy, type FlowClass, type OccupancySample, type OccupancyResult } from './conntrackOccupancy.ts';
export {
  KERNEL_MEMORY_OWNERS, KERNEL_MEMORY_MAX_DAYS, KERNEL_MEMORY_MAX_SAMPLES, defaultKernelMemoryParams, defaultKernelMemoryWorkloadParams,
  kernelMemorySpec, checkKernelMemorySpec, simulateKernelMemory, ciliumCtNatBytes, ciliumLbMapBytes,
  type KernelMemoryOwner, type KernelMemoryParams, type KernelMemoryWorkloadParams, type KernelMemorySpec, type KernelMemorySample,
  type KernelMemoryOwnerSummary, type KernelMemoryResult,
} from './kernelMemory.ts';
