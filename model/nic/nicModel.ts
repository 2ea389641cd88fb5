/**
 * The NIC strategy a datapath plugs in: a named value holding the NIC's parameters and the few
 * functions a composer needs (queues for a node, NIC-side time per frame, the NIC-side packet-rate
 * ceiling). Presets: 'physical-10g' (ixgbe), 'physical-25g' (mlx5) and 'virtio' (vhost-net, with an
 * optional cloud-allowance shaper). The stateful receive path built from it is NicRx.
 */
import { defaultCloudShaperParams, cloudAllowancePps, type CloudShaperParams } from './cloudShaper.ts';
import {
  defaultIxgbeCoalescingParams, defaultMlx5CoalescingParams, defaultVirtioCoalescingParams, type InterruptCoalescingParams,
} from './interruptCoalescing.ts';
import { defaultEthernetFramingParams, lineRatePps, serializationNs, type EthernetFramingParams } from './lineRate.ts';
import { defaultNapiParams, type NapiParams } from './napiPoll.ts';
import { defaultRssParams, type RssParams } from './rssQueues.ts';
import { defaultIxgbeRxRingParams, defaultMlx5RxRingParams, type NicDriver, type RxRingParams } from './rxRing.ts';
import { defaultIxgbeTxQueueParams, defaultMlx5TxQueueParams, defaultVirtioTxQueueParams, type TxQueueParams } from './nicTx.ts';
import { defaultVirtioNetParams, vhostServiceNs, virtioQueueCapacityPps, virtioQueueCount, type VirtioNetParams } from './virtioNet.ts';
import { calibratedParams } from '../calibration/index.ts';

export type NicModelName = 'physical-10g' | 'physical-25g' | 'virtio';

export const NIC_MODEL_NAMES: readonly NicModelName[] = ['physical-10g', 'physical-25g', 'virtio'];

export interface NicModel {
  readonly name: NicModelName;
  readonly driver: NicDriver;
  readonly kind: 'physical' | 'virtio';
  /** Line rate of a physical port, bit/s; undefined for virtio (no wire: the vhost thread is the server). */
  readonly linkRateBitsPerSec: number | undefined;
  readonly framing: EthernetFramingParams;
  readonly rxRing: RxRingParams;
  /** TX ring and qdisc limit of each TX queue (NicTx). */
  readonly txQueue: TxQueueParams;
  readonly coalescing: InterruptCoalescingParams;
  readonly napi: NapiParams;
  readonly rss: RssParams;
  /** virtio only. */
  readonly virtio: VirtioNetParams | undefined;
  /** Cloud allowances in front of the NIC, if any. */
  readonly cloud: CloudShaperParams | undefined;
  /** RX queues on a node with `coreCount` cores (v)CPUs. */
  queueCount(coreCount: number): number;
  /** NIC-side time per frame before it reaches the ring: wire time (physical) or vhost time (virtio), ns. */
  frameServiceNs(frameBytes: number): number;
  /** NIC-side receive packet-rate ceiling with `queueCount` queues (line rate, vhost threads, cloud allowances), pps, with no traffic the other way (virtio's vhost threads also serve TX). Ignores the guest/host CPU stack. */
  maxDeliveryPps(frameBytes: number, queueCount: number): number;
}

export interface LinkParams {
  /** Line rate of the port, bit/s. */
  readonly linkRateBitsPerSec: number;
}

/** A 10 GbE port. */
export const defaultLink10gParams: LinkParams = calibratedParams({ linkRateBitsPerSec: 'nic.linkRate10gBitsPerSec' });
/** A 25 GbE port. */
export const defaultLink25gParams: LinkParams = calibratedParams({ linkRateBitsPerSec: 'nic.linkRate25gBitsPerSec' });

export interface PhysicalNicOptions {
  readonly link?: LinkParams;
  readonly rxRing?: RxRingParams;
  readonly txQueue?: TxQueueParams;
  readonly coalescing?: InterruptCoalescingParams;
  readonly napi?: NapiParams;
  readonly rss?: RssParams;
  readonly framing?: EthernetFramingParams;
  /** Hardware queue limit; default: one queue per core. */
  readonly maxQueues?: number;
}

function physicalNic(name: NicModelName, driver: NicDriver, link: LinkParams, rxRing: RxRingParams, txQueue: TxQueueParams,
  coalescing: InterruptCoalescingParams, o: PhysicalNicOptions): NicModel {
  const linkRateBitsPerSec = (o.link ?? link).linkRateBitsPerSec;
  if (!(linkRateBitsPerSec > 0) || !Number.isFinite(linkRateBitsPerSec)) {
    throw new RangeError(`linkRateBitsPerSec must be a finite number > 0, got ${linkRateBitsPerSec}`);
  }
  const framing = o.framing ?? defaultEthernetFramingParams;
  const maxQueues = o.maxQueues ?? Infinity;
  return Object.freeze({
    name, driver, kind: 'physical' as const, linkRateBitsPerSec, framing,
    rxRing: o.rxRing ?? rxRing,
    txQueue: o.txQueue ?? txQueue,
    coalescing: o.coalescing ?? coalescing,
    napi: o.napi ?? defaultNapiParams,
    rss: o.rss ?? defaultRssParams,
    virtio: undefined,
    cloud: undefined,
    queueCount: (coreCount: number): number => Math.max(1, Math.min(coreCount, maxQueues)),
    frameServiceNs: (frameBytes: number): number => serializationNs(linkRateBitsPerSec, frameBytes, framing),
    maxDeliveryPps: (frameBytes: number): number => lineRatePps(linkRateBitsPerSec, frameBytes, framing),
  });
}

/** 10 GbE, Intel ixgbe: ring 512, adaptive ITR. */
export function physical10gNic(o: PhysicalNicOptions = {}): NicModel {
  return physicalNic('physical-10g', 'ixgbe', defaultLink10gParams, defaultIxgbeRxRingParams, defaultIxgbeTxQueueParams, defaultIxgbeCoalescingParams, o);
}

/** 25 GbE, NVIDIA mlx5: ring 1024, 16 us / 32 packets. */
export function physical25gNic(o: PhysicalNicOptions = {}): NicModel {
  return physicalNic('physical-25g', 'mlx5', defaultLink25gParams, defaultMlx5RxRingParams, defaultMlx5TxQueueParams, defaultMlx5CoalescingParams, o);
}

export interface VirtioNicOptions {
  /** One queue pair per vCPU (true, default) or a single queue. */
  readonly multiqueue?: boolean;
  readonly virtio?: VirtioNetParams;
  readonly txQueue?: TxQueueParams;
  readonly coalescing?: InterruptCoalescingParams;
  readonly napi?: NapiParams;
  readonly rss?: RssParams;
  /** Put cloud allowances in front: true for the defaults, or explicit params. Default none. */
  readonly cloudAllowance?: boolean | CloudShaperParams;
}

/** virtio-net on vhost-net: ring 256, ~1 Mpps per queue pair; optionally behind cloud allowances. */
export function virtioNic(o: VirtioNicOptions = {}): NicModel {
  const virtio = o.virtio ?? defaultVirtioNetParams;
  const multiqueue = o.multiqueue ?? true;
  const cloud = o.cloudAllowance === true ? defaultCloudShaperParams : o.cloudAllowance === false || o.cloudAllowance === undefined ? undefined : o.cloudAllowance;
  return Object.freeze({
    name: 'virtio' as const, driver: 'virtio' as const, kind: 'virtio' as const, linkRateBitsPerSec: undefined,
    framing: defaultEthernetFramingParams,
    rxRing: { ringSizePackets: virtio.ringSizePackets },
    txQueue: o.txQueue ?? defaultVirtioTxQueueParams,
    coalescing: o.coalescing ?? defaultVirtioCoalescingParams,
    napi: o.napi ?? defaultNapiParams,
    rss: o.rss ?? defaultRssParams,
    virtio,
    cloud,
    queueCount: (coreCount: number): number => virtioQueueCount(coreCount, multiqueue),
    frameServiceNs: (frameBytes: number): number => vhostServiceNs(frameBytes, virtio),
    maxDeliveryPps: (frameBytes: number, queueCount: number): number => {
      const vhost = queueCount * virtioQueueCapacityPps(frameBytes, virtio);
      return cloud === undefined ? vhost : Math.min(vhost, cloudAllowancePps(frameBytes, 'in', cloud));
    },
  });
}

/** A preset by name (as experiment files spell it). */
export function nicModelByName(name: NicModelName, options: { cloudAllowance?: boolean; multiqueue?: boolean } = {}): NicModel {
  switch (name) {
    case 'physical-10g': return physical10gNic();
    case 'physical-25g': return physical25gNic();
    case 'virtio': return virtioNic(options);
    default: throw new RangeError(`nic must be one of ${NIC_MODEL_NAMES.join(', ')}, got "${String(name)}"`);
  }
}
