// Service lookup (kube-proxy iptables / nftables, Cilium BPF maps, socket-LB): table of contents.
export {
  natRuleCount,
  natRulesPerServicePort,
  sharedNatRules,
  kubeServicesChainRules,
  iptablesFirstPacketRulesEvaluated,
  iptablesMeanFirstPacketRulesEvaluated,
  iptablesEstablishedRulesEvaluated,
  defaultKubeProxyIptablesRulesParams,
  type KubeProxyIptablesRulesParams,
  type FirstPacketRuleOptions,
} from './kubeProxyIptablesRules.ts';
export { defaultLookupTimingParams, lookupWorkNs, type LookupTimingParams } from './lookupTiming.ts';
export {
  iptablesCacheMissFraction,
  iptablesPerRuleWork,
  iptablesPerRuleNs,
  iptablesFirstPacketWork,
  iptablesFirstPacketColdWork,
  iptablesPerRuleColdWork,
  iptablesFirstPacketNs,
  iptablesEstablishedPacketWork,
  defaultIptablesCostParams,
  type IptablesCostParams,
  type IptablesFirstPacket,
} from './iptablesLookup.ts';
export {
  iptablesStatisticProbability,
  iptablesStatisticSelector,
  ipvsRoundRobinSelector,
  ciliumRandomSelector,
  endpointSelector,
  type EndpointSelector,
  type EndpointSelectionKind,
} from './endpointSelection.ts';
export { nftablesFirstPacketWork, nftablesEstablishedPacketWork, defaultNftablesCostParams, type NftablesCostParams } from './nftablesLookup.ts';
export {
  ciliumServiceMapEntries,
  ciliumBackendMapEntries,
  bpfMapOccupancyFraction,
  ciliumNewConnectionLookupWork,
  ciliumEstablishedLookupWork,
  defaultCiliumServiceLookupParams,
  type CiliumServiceLookupParams,
} from './bpfServiceLookup.ts';
export { socketLbConnectWork, socketLbPacketWork } from './socketLb.ts';
export {
  kubeProxyIptablesLookup,
  kubeProxyNftablesLookup,
  ciliumTcLookup,
  ciliumSocketLbLookup,
  lookupModel,
  LOOKUP_MODEL_NAMES,
  type LookupModel,
  type LookupModelName,
  type LookupContext,
  type IptablesLookupOptions,
  type NftablesLookupOptions,
  type CiliumLookupOptions,
} from './lookupModel.ts';
export { CacheWarmth, warmFraction, defaultCacheWarmthParams, type CacheWarmthParams } from './cacheWarmth.ts';
