/**
 * The NIC strategy a datapath plugs in: a named value holding the NIC's parameters and the few
 * functions a composer needs (queues for a node, NIC-side time per frame, the NIC-side packet-rate
 * ceiling). Presets: 'physical-10g' (ixgbe), 'physical-25g' (mlx5), and the guest NICs of a VM,
 * each with the VM boundary under it (`vm`, model/hypervisor): 'virtio' (KVM + vhost-net, no
 * virtual coalescing), 'ena' (an AWS Nitro virtual function, adaptive moderation), 'gvnic' (GCP,
 * a 20 us interrupt rate limit, polling host engines) and 'vmxnet3' (VMware ESXi, rate-based
 * virtual coalescing at 4,000 interrupts/s); any of them optionally behind a cloud-allowance
 * shaper. The stateful receive path built from it is NicRx (with a VmHost for the boundary).
 */
import { defaultCloudShaperParams, cloudAllowancePps, type CloudShaperParams } from './cloudShaper.ts';
import {
  defaultEnaCoalescingParams, defaultGvnicCoalescingParams, defaultIxgbeCoalescingParams, defaultMlx5CoalescingParams, defaultVirtioCoalescingParams,
  defaultVmxnet3CoalescingParams, type InterruptCoalescingParams,
} from './interruptCoalescing.ts';
import { defaultEthernetFramingParams, lineRatePps, serializationNs, type EthernetFramingParams } from './lineRate.ts';
import { defaultNapiParams, type NapiParams } from './napiPoll.ts';
import { defaultRssParams, type RssParams } from './rssQueues.ts';
import {
  defaultEnaRxRingParams, defaultGvnicRxRingParams, defaultIxgbeRxRingParams, defaultMlx5RxRingParams, defaultVmxnet3RxRingParams, type NicDriver, type RxRingParams,
} from './rxRing.ts';
import {
  defaultEnaTxQueueParams, defaultGvnicTxQueueParams, defaultIxgbeTxQueueParams, defaultMlx5TxQueueParams, defaultVirtioTxQueueParams, defaultVmxnet3TxQueueParams,
  type TxQueueParams,
} from './nicTx.ts';
import { defaultVirtioNetParams, vhostServiceNs, virtioQueueCapacityPps, virtioQueueCount, type VirtioNetParams } from './virtioNet.ts';
import { calibratedParams } from '../calibration/index.ts';
import {
  andromedaGvnicBoundary, esxiVmxnet3Boundary, kvmVhostBoundary, nitroEnaBoundary, withVmOverrides, type VmBoundaryParams, type VmOverrides,
} from '../hypervisor/vmBoundary.ts';

export type NicModelName = 'physical-10g' | 'physical-25g' | 'virtio' | 'ena' | 'gvnic' | 'vmxnet3';

export const NIC_MODEL_NAMES: readonly NicModelName[] = ['physical-10g', 'physical-25g', 'virtio', 'ena', 'gvnic', 'vmxnet3'];

/** The guest NICs: a VM boundary lies under each. */
export const VM_NIC_MODEL_NAMES: readonly NicModelName[] = ['virtio', 'ena', 'gvnic', 'vmxnet3'];

/** True for a guest NIC (one with a VM boundary under it). */
export function isVmNicName(name: string): boolean {
  return (VM_NIC_MODEL_NAMES as readonly string[]).includes(name);
}

export interface NicModel {
  readonly name: NicModelName;
  readonly driver: NicDriver;
  /** physical: a port on the node; virtio: a paravirtual device served by a host worker per queue pair; vf: a virtual function (the device serves the guest's rings). */
  readonly kind: 'physical' | 'virtio' | 'vf';
  /** Line rate of a physical port or a VF, bit/s; undefined for a paravirtual NIC (no wire: the host worker is the server). */
  readonly linkRateBitsPerSec: number | undefined;
  readonly framing: EthernetFramingParams;
  readonly rxRing: RxRingParams;
  /** TX ring and qdisc limit of each TX queue (NicTx). */
  readonly txQueue: TxQueueParams;
  readonly coalescing: InterruptCoalescingParams;
  readonly napi: NapiParams;
  readonly rss: RssParams;
  /** A paravirtual NIC's host worker (virtio, gvnic, vmxnet3): its time per frame and the host backlog. */
  readonly virtio: VirtioNetParams | undefined;
  /** The VM boundary under a guest NIC (model/hypervisor); undefined for a physical NIC. */
  readonly vm: VmBoundaryParams | undefined;
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
    vm: undefined,
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
  /** The VM boundary (default: the preset's), or changes to the preset's. */
  readonly vm?: VmBoundaryParams | VmOverrides;
}

function cloudParams(o: { readonly cloudAllowance?: boolean | CloudShaperParams }): CloudShaperParams | undefined {
  return o.cloudAllowance === true ? defaultCloudShaperParams : o.cloudAllowance === false || o.cloudAllowance === undefined ? undefined : o.cloudAllowance;
}

function vmBoundary(preset: VmBoundaryParams, given: VmBoundaryParams | VmOverrides | undefined): VmBoundaryParams {
  if (given === undefined) return preset;
  return 'hostWorker' in given ? given : withVmOverrides(preset, given);
}

/** A paravirtual guest NIC: a host worker per queue pair serves its virtqueues (the per-queue packet-rate limit). */
function paravirtualNic(name: NicModelName, driver: NicDriver, rxRing: RxRingParams, txQueue: TxQueueParams, coalescing: InterruptCoalescingParams,
  worker: VirtioNetParams, vm: VmBoundaryParams, o: VirtioNicOptions): NicModel {
  const virtio = o.virtio ?? worker;
  const multiqueue = o.multiqueue ?? true;
  const cloud = cloudParams(o);
  return Object.freeze({
    name, driver, kind: 'virtio' as const, linkRateBitsPerSec: undefined,
    framing: defaultEthernetFramingParams,
    rxRing: o.virtio === undefined ? rxRing : { ringSizePackets: virtio.ringSizePackets },
    txQueue: o.txQueue ?? txQueue,
    coalescing: o.coalescing ?? coalescing,
    napi: o.napi ?? defaultNapiParams,
    rss: o.rss ?? defaultRssParams,
    virtio,
    vm,
    cloud,
    queueCount: (coreCount: number): number => virtioQueueCount(coreCount, multiqueue),
    frameServiceNs: (frameBytes: number): number => vhostServiceNs(frameBytes, virtio),
    maxDeliveryPps: (frameBytes: number, queueCount: number): number => {
      const vhost = queueCount * virtioQueueCapacityPps(frameBytes, virtio);
      return cloud === undefined ? vhost : Math.min(vhost, cloudAllowancePps(frameBytes, 'in', cloud));
    },
  });
}

/** virtio-net on KVM + vhost-net: ring 256, ~1 Mpps per queue pair, no virtual coalescing; optionally behind cloud allowances. */
export function virtioNic(o: VirtioNicOptions = {}): NicModel {
  const rxRing = { ringSizePackets: (o.virtio ?? defaultVirtioNetParams).ringSizePackets };
  return paravirtualNic('virtio', 'virtio', rxRing, defaultVirtioTxQueueParams, defaultVirtioCoalescingParams, defaultVirtioNetParams,
    vmBoundary(kvmVhostBoundary(), o.vm), o);
}

/** gVNIC (GCP, DQO): ring 1024 (assumption), a 20 us RX interrupt rate limit, host engines that poll (their time per frame taken as vhost's). */
export function gvnicNic(o: VirtioNicOptions = {}): NicModel {
  const worker = { ...defaultVirtioNetParams, ringSizePackets: defaultGvnicRxRingParams.ringSizePackets };
  return paravirtualNic('gvnic', 'gve', defaultGvnicRxRingParams, defaultGvnicTxQueueParams, defaultGvnicCoalescingParams, worker,
    vmBoundary(andromedaGvnicBoundary(), o.vm), o);
}

/** VMXNET3 (VMware ESXi): rings 1024 / 512, rate-based virtual coalescing at 4,000 interrupts/s; the host thread's time per frame taken as vhost's. */
export function vmxnet3Nic(o: VirtioNicOptions = {}): NicModel {
  const worker = { ...defaultVirtioNetParams, ringSizePackets: defaultVmxnet3RxRingParams.ringSizePackets };
  return paravirtualNic('vmxnet3', 'vmxnet3', defaultVmxnet3RxRingParams, defaultVmxnet3TxQueueParams, defaultVmxnet3CoalescingParams, worker,
    vmBoundary(esxiVmxnet3Boundary(), o.vm), o);
}

export interface EnaNicOptions {
  readonly link?: LinkParams;
  readonly coalescing?: InterruptCoalescingParams;
  readonly cloudAllowance?: boolean | CloudShaperParams;
  readonly vm?: VmBoundaryParams | VmOverrides;
}

/**
 * ENA on an AWS Nitro instance: a virtual function whose rings the offload card serves (no host
 * thread); rings 1024, adaptive moderation; its link taken as 25 Gbit/s (the card's port; the
 * instance's allowances, not the link, bound what it carries).
 */
export function enaNic(o: EnaNicOptions = {}): NicModel {
  const linkRateBitsPerSec = (o.link ?? defaultLink25gParams).linkRateBitsPerSec;
  if (!(linkRateBitsPerSec > 0) || !Number.isFinite(linkRateBitsPerSec)) throw new RangeError(`linkRateBitsPerSec must be a finite number > 0, got ${linkRateBitsPerSec}`);
  const framing = defaultEthernetFramingParams;
  const cloud = cloudParams(o);
  return Object.freeze({
    name: 'ena' as const, driver: 'ena' as const, kind: 'vf' as const, linkRateBitsPerSec, framing,
    rxRing: defaultEnaRxRingParams,
    txQueue: defaultEnaTxQueueParams,
    coalescing: o.coalescing ?? defaultEnaCoalescingParams,
    napi: defaultNapiParams,
    rss: defaultRssParams,
    virtio: undefined,
    vm: vmBoundary(nitroEnaBoundary(), o.vm),
    cloud,
    queueCount: (coreCount: number): number => Math.max(1, coreCount),
    frameServiceNs: (frameBytes: number): number => serializationNs(linkRateBitsPerSec, frameBytes, framing),
    maxDeliveryPps: (frameBytes: number): number => {
      const line = lineRatePps(linkRateBitsPerSec, frameBytes, framing);
      return cloud === undefined ? line : Math.min(line, cloudAllowancePps(frameBytes, 'in', cloud));
    },
  });
}

/** Changes to a guest NIC's VM boundary that name nothing (every field undefined). */
function noOverrides(o: VmOverrides | undefined): boolean {
  return o === undefined || Object.values(o).every((v) => v === undefined);
}

/** A preset by name (as experiment files spell it); `vm` changes a guest NIC's boundary (refused for a physical NIC). */
export function nicModelByName(name: NicModelName, options: { cloudAllowance?: boolean; multiqueue?: boolean; vm?: VmOverrides } = {}): NicModel {
  if (!noOverrides(options.vm) && !isVmNicName(name)) {
    throw new RangeError(`the VM boundary (halt polling, posted interrupts, fabric) applies to a guest NIC (${VM_NIC_MODEL_NAMES.join(', ')}), got nic "${String(name)}"`);
  }
  const vm = noOverrides(options.vm) ? {} : { vm: options.vm! };
  const cloud = options.cloudAllowance === undefined ? {} : { cloudAllowance: options.cloudAllowance };
  switch (name) {
    case 'physical-10g': return physical10gNic();
    case 'physical-25g': return physical25gNic();
    case 'virtio': return virtioNic({ ...cloud, ...vm, ...(options.multiqueue === undefined ? {} : { multiqueue: options.multiqueue }) });
    case 'ena': return enaNic({ ...cloud, ...vm });
    case 'gvnic': return gvnicNic({ ...cloud, ...vm, ...(options.multiqueue === undefined ? {} : { multiqueue: options.multiqueue }) });
    case 'vmxnet3': return vmxnet3Nic({ ...cloud, ...vm, ...(options.multiqueue === undefined ? {} : { multiqueue: options.multiqueue }) });
    default: throw new RangeError(`nic must be one of ${NIC_MODEL_NAMES.join(', ')}, got "${String(name)}"`);
  }
}
