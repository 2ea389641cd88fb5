// Datapaths (pod -> Service -> pod under kube-proxy iptables / nftables and Cilium tc / socket-LB): table of contents.
export {
  DATAPATH_NAMES, datapathSpec, checkDatapathSpec, specKernelVersion,
  defaultPathWorkloadParams, defaultPathNodeParams, defaultPathRunParams,
  type DatapathName, type DatapathSpec, type PathWorkloadParams, type PathNodeParams, type PathRunParams,
} from './datapathSpec.ts';
export {
  defaultPathFramingParams, defaultPathCostParams, defaultCiliumPathMapParams, defaultPathRemoteParams, pathModelParams,
  type PathFramingParams, type PathCostParams, type CiliumPathMapParams, type PathRemoteParams, type PathModelParams,
} from './pathParams.ts';
export {
  kubeProxyIptablesDatapath, kubeProxyNftablesDatapath, ciliumTcDatapath, ciliumSocketLbDatapath, datapathFor, conntrackImplOf, ciliumLbMapMaxEntries,
  type Datapath, type ServiceTranslation, type CiliumDatapathOptions,
} from './datapath.ts';
export {
  PATH_STAGES, STAGE_COUNT, STAGE_INDEX, stagedCost, stagedCostNs, combinedCost, serviceContext, clientEgressCost, clientIngressCost, connectCost, remoteIngressCost, remoteEgressCost,
  type PathStage, type StagedCost, type PathCostContext, type EgressKind,
} from './packetCosts.ts';
export type { PathResult, LatencySummaryUs, PathStageBreakdownNs, PacketCostNs } from './pathResult.ts';
export { simulatePath } from './simulatePath.ts';
export { pathRunSpec, minPacketsPerConnection, PATH_PACKET_BUDGET } from './pathRunSpec.ts';
export {
  findCapacity, capacityRunSpec, CAPACITY_SEARCH_DEFAULTS, CAPACITY_MAX_DROP_FRACTION,
  type CapacityQuery, type CapacitySearchOptions, type CapacityRun, type CapacityResult,
} from './capacity.ts';
