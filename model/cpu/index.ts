// The cpu component: table of contents.
export { type Work, type WorkCostParams, defaultWorkCostParams, loadedMemoryWorkCostParams, NO_WORK, workNs, addWork, scaleWork } from './workCost.ts';
export { type CpuFrequencyParams, defaultCpuFrequencyParams, checkCpuFrequencyParams, clampFreqHz } from './cpuFrequency.ts';
export {
  type GovernorName, type GovernorParams, GOVERNOR_NAMES, defaultGovernorParams, governorFreqHz, isLoadDependent, parseGovernorName,
} from './governor.ts';
export { type KernelPacketCostParams, type KernelPacketStage, defaultKernelPacketCostParams, kernelPacketWork } from './kernelPacketCost.ts';
export {
  CpuCores, type CpuCoresOptions, type CpuCoresParams, defaultCpuCoresParams, SOFTIRQ_PRIORITY, TASK_PRIORITY,
} from './cpuCores.ts';
export {
  type IdleState, type IdleStateName, type CpuModelName, type CpuIdleModel, type IdleLimitName,
  CPU_MODEL_NAMES, IDLE_LIMIT_NAMES, cpuIdleModel, allowedIdleStates,
} from './idleStates.ts';
export { IdleGovernor, type IdleGovernorParams, type IdleGovernorOptions, defaultIdleGovernorParams, typicalIdleIntervalNs } from './idleGovernor.ts';
export { type SchedulerWakeupParams, defaultSchedulerWakeupParams, schedulerWakeupSampler, meanSchedulerWakeupNs, checkSchedulerWakeupParams } from './schedulerWakeup.ts';
