// Connection tracking (nf_conntrack and Cilium's CT map): table of contents.
export {
  hasSanitizedConntrackDefaults,
  nfConntrackDefaultBuckets,
  nfConntrackDefaultMaxEntries,
  kubeProxyConntrackMaxEntries,
  nfConntrackMemoryBytes,
  nfConntrackSizing,
  defaultNfConntrackSizingParams,
  type NfConntrackSizingParams,
  type NfConntrackNode,
  type NfConntrackSizing,
} from './nfConntrackSizing.ts';
export {
  ciliumCtDynamicEntries,
  bpfHtabElementBytes,
  ciliumCtElementBytes,
  ciliumCtMemoryBytes,
  ciliumCtSizing,
  defaultCiliumCtSizingParams,
  type CiliumCtSizingParams,
  type CiliumCtMap,
  type CiliumCtNode,
  type CiliumCtSizing,
} from './ciliumCtSizing.ts';
export {
  defaultNfConntrackTimeoutsParams,
  defaultKubeProxyConntrackTimeoutsParams,
  defaultCiliumCtTimeoutsParams,
  legacyCiliumCtTimeoutsParams,
  type NfConntrackTimeoutsParams,
  type CiliumCtTimeoutsParams,
} from './conntrackTimeouts.ts';
export {
  nfConntrackPolicy,
  ciliumCtPolicy,
  defaultConntrackGcParams,
  CONNTRACK_IMPLS,
  type ConntrackPolicy,
  type ConntrackImpl,
  type ConntrackGcParams,
  type NfConntrackPolicyOptions,
  type CiliumCtPolicyOptions,
} from './conntrackPolicy.ts';
export {
  ConntrackTable,
  conntrackGc,
  type ConntrackEntryState,
  type ConntrackInsertResult,
  type ConntrackRemovalReason,
  type ConntrackTableOptions,
} from './conntrackTable.ts';
export {
  simulateConntrack,
  type ConntrackNode,
  type ConntrackScenario,
  type ConntrackModelParams,
  type ConntrackResult,
} from './simulateConntrack.ts';
export { nfConntrackPacketWork, ciliumCtLookupWork } from './conntrackPacketCost.ts';
export {
  defaultConntrackWorkloadParams,
  defaultConntrackNodeParams,
  defaultConntrackKernelVersion,
  type ConntrackWorkloadParams,
  type ConntrackDefaultNodeParams,
  CONNTRACK_MAX_CONNECTIONS,
  CONNTRACK_MAX_HORIZON_SEC,
} from './conntrackWorkload.ts';
