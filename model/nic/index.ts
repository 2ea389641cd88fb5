// The nic component: table of contents.
export type { NicPacket } from './nicPacket.ts';
export {
  type EthernetFramingParams, defaultEthernetFramingParams, wireOverheadBytes, frameBytesForIpPacket, wireBitsPerFrame, lineRatePps, serializationNs,
} from './lineRate.ts';
export {
  type NicDriver, type RxRingParams, NIC_DRIVERS, RxRing, rxRingParamsFor,
  defaultIxgbeRxRingParams, defaultMlx5RxRingParams, defaultEnaRxRingParams, defaultVirtioRxRingParams, defaultGvnicRxRingParams, defaultVmxnet3RxRingParams,
} from './rxRing.ts';
export {
  type CoalescingTimerMode, type InterruptCoalescingParams, InterruptCoalescer, adaptiveCoalesceUs, checkCoalescingParams,
  defaultMlx5CoalescingParams, defaultIxgbeCoalescingParams, defaultVirtioCoalescingParams, defaultEnaCoalescingParams, defaultGvnicCoalescingParams,
  defaultVmxnet3CoalescingParams,
} from './interruptCoalescing.ts';
export { type NapiParams, type NapiPollOptions, NapiPoll, defaultNapiParams } from './napiPoll.ts';
export { NetRxSoftirq, type NetRxSoftirqParams, defaultNetRxSoftirqParams } from './netRxSoftirq.ts';
export { type RssParams, RssQueues, defaultRssParams, rssHash32, rssQueueForFlow } from './rssQueues.ts';
export { type VirtioNetParams, defaultVirtioNetParams, virtioQueueCount, vhostServiceNs, virtioQueueCapacityPps } from './virtioNet.ts';
export { VhostQueue } from './vhostQueue.ts';
export { VhostThreads, type VhostThreadWake } from './vhostThreads.ts';
export { TokenBucket } from './tokenBucket.ts';
export {
  type CloudShaperParams, type EnaAllowanceCounters, type ShaperDirection, type ShaperDropReason, type ShapingMode,
  CloudShaper, cloudAllowancePps, checkCloudShaperParams, defaultCloudShaperParams, defaultPlacementGroupCloudShaperParams,
} from './cloudShaper.ts';
export {
  type NicModel, type NicModelName, type LinkParams, type PhysicalNicOptions, type VirtioNicOptions, type EnaNicOptions,
  NIC_MODEL_NAMES, VM_NIC_MODEL_NAMES, isVmNicName, defaultLink10gParams, defaultLink25gParams, physical10gNic, physical25gNic, virtioNic, enaNic, gvnicNic,
  vmxnet3Nic, nicModelByName,
} from './nicModel.ts';
export { type NicDropReason, type NicRxOptions, NicRx } from './nicRx.ts';
export {
  type TxQueueParams, NicTx, txQueueParamsFor, checkTxQueueParams,
  defaultIxgbeTxQueueParams, defaultMlx5TxQueueParams, defaultEnaTxQueueParams, defaultVirtioTxQueueParams, defaultGvnicTxQueueParams, defaultVmxnet3TxQueueParams,
} from './nicTx.ts';
