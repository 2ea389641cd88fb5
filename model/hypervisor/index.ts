// The hypervisor component: what lies under a guest's NIC. Table of contents.
export { type VmExitParams, type VmExitTimes, defaultVmExitParams, checkVmExitParams, vmExitTimes } from './vmExits.ts';
export { type HaltPollParams, type HaltPollRule, HaltPollWindows, defaultHostHaltPollParams, defaultGuestHaltPollParams, checkHaltPollParams } from './haltPolling.ts';
export { type HaltPollingMode, type VcpuIdleOptions, HALT_POLLING_MODES, VcpuIdle } from './vcpuIdle.ts';
export { type HostWorkerWakeOptions, HostWorkerWake } from './hostWorkerWake.ts';
export { type HostNicParams, type HostRxOptions, HostRxPath } from './hostRx.ts';
export {
  type HostWorkerKind, type VmBoundaryParams, type VmOverrides, HOST_WORKER_KINDS, defaultHostNicParams,
  kvmVhostBoundary, nitroEnaBoundary, andromedaGvnicBoundary, esxiVmxnet3Boundary, withVmOverrides, checkVmBoundaryParams,
} from './vmBoundary.ts';
export { type VmHostOptions, VmHost } from './vmHost.ts';
export { type VmCrossingNs, type RemoteVmOptions, RemoteVmSide } from './remoteVm.ts';
