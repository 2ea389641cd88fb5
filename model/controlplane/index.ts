// The control plane (what programs the datapath): table of contents.
export { delaySamplerNs } from './delaySampler.ts';
export { WatchDelivery, apiWriteLatencyNs, checkApiServerParams, defaultApiServerParams, type ApiServerParams } from './apiServer.ts';
export {
  clientRateLimiter, scaledRateLimit, checkClientRateLimitParams,
  defaultKcmRateLimitParams, defaultKubeProxyRateLimitParams, defaultCiliumAgentRateLimitParams,
  type ClientRateLimitParams,
} from './clientRateLimits.ts';
export {
  EndpointSliceController, slicesForEndpoints, checkEndpointSliceControllerParams, defaultEndpointSliceControllerParams,
  type EndpointSliceControllerParams, type EndpointSliceControllerOptions, type SliceWrittenFn,
} from './endpointSliceController.ts';
export {
  KUBE_PROXY_MODES, iptablesRestoreLines, iptablesSyncSec, nftablesSyncSec, kubeProxySyncSec, iptablesRestoreCheckPoint,
  defaultKubeProxySyncCostParams, type KubeProxyMode, type KubeProxySyncCostParams,
} from './kubeProxySyncCost.ts';
export {
  KubeProxySyncLoop, checkKubeProxySyncLoopParams, defaultKubeProxySyncLoopParams,
  type KubeProxySyncLoopParams, type KubeProxySyncLoopOptions, type ProgrammedFn,
} from './kubeProxySyncLoop.ts';
export {
  CiliumAgentQueue, ciliumServiceUpdateSec, ciliumIpcacheUpdateSec, checkCiliumAgentParams, defaultCiliumAgentParams, type CiliumAgentParams,
} from './ciliumAgent.ts';
export {
  simulatePropagation, LatencyRecorder, PROXY_KINDS, defaultPropagationRunParams,
  type ProxyKind, type PropagationScenario, type PropagationModelParams, type PropagationResult, type PropagationRunParams, type LatencySummarySec,
} from './propagation.ts';
export { IdentityAllocator, labelSetKey, defaultIdentityParams, type IdentityParams, type IdentityLookup } from './identityAllocation.ts';
export {
  EndpointApiLimiter, checkEndpointApiLimiterParams, defaultEndpointApiLimiterParams,
  type EndpointApiLimiterParams, type EndpointApiLimiterOptions, type EndpointApiRequest,
} from './endpointApiLimiter.ts';
export {
  policyMapEntriesNeeded, rulePeerPairs, policyMapState, checkPolicyMapMaxEntries, defaultPolicyMapParams,
  type PolicyRuleShape, type PolicyDirection, type PolicyMapParams, type PolicyMapState,
} from './policyMap.ts';
export { PolicyTrigger, regenerationSec, defaultPolicyRegenerationParams, type PolicyRegenerationParams } from './policyRegeneration.ts';
export { simulateRegenerationDrops, type RegenerationDropsScenario, type RegenerationDropsResult } from './regenerationDrops.ts';
export {
  connectGiveUpSec, establishedGiveUpSec, backendExitSec, backendStateAt, removalBehaviour, BACKEND_EXITS, defaultBackendRemovalParams,
  type BackendRemovalParams, type BackendExit, type BackendState, type ExistingConnections, type RemovalBehaviour, type RemovalOptions,
} from './backendRemoval.ts';
export {
  simulateStaleEndpoints, CLIENT_CONNECTION_MODES, STALE_WINDOW_EDGES_SEC, defaultStaleWorkloadParams,
  type StaleEndpointsScenario, type StaleEndpointsResult, type StaleWindow, type ClientConnectionMode, type StaleWorkloadParams,
} from './staleEndpoints.ts';
export {
  simulateScaleUp, SCALE_UP_DROP_CAUSES, defaultScaleUpWorkloadParams,
  type ScaleUpScenario, type ScaleUpModelParams, type ScaleUpResult, type ScaleUpDropCause, type ScaleUpWorkloadParams,
} from './scaleUp.ts';
export {
  simulateL7Proxy, rttSamplerFromPercentiles, loopbackHopNs, loopbackHopCpuNs, l7ProxyCapacityPerSec, l7ProxyNodeCpuSecPerRequest, checkL7ProxyParams, defaultL7ProxyParams,
  type L7ProxyParams, type L7ProxyScenario, type L7ProxyResult, type RttPercentilesUs,
} from './l7Proxy.ts';
