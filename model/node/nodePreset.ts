/**
 * Node presets: the whole node as one named value (its cores and clock, RAM, NIC and, for a cloud
 * VM, the network allowances in front of it), so that a scenario can say "bare metal with a 10 GbE
 * NIC" or "an up-to-10-Gbit/s cloud VM" and get every number from the calibration table.
 *
 *   bare-metal-10g   the typical node (node.cores, node.memoryBytes, 3.6 GHz) with a physical 10 GbE NIC (ixgbe)
 *   bare-metal-25g   the same node with a physical 25 GbE NIC (mlx5)
 *   cloud-up-to-10g  the same vCPUs and RAM (an m5.2xlarge shape) at the cloud clock (3.1 GHz, assumption),
 *                    a virtio-net NIC (vhost-net, one queue pair per vCPU) behind ENA-style allowances: a
 *                    baseline bandwidth, a burst bandwidth while network I/O credits last, a per-flow cap,
 *                    a PPS allowance and a connection-tracking allowance
 *
 * A cloud VM's credits: a balance of `burstCreditSec x (burst - baseline)` bits, full at start,
 * drained by what the VM sends above its baseline and refilled by what it leaves below it; while
 * the balance is positive the allowance is the burst rate, once it is empty the baseline (AWS
 * documents that "up to" instances burst "typically from 5 to 60 minutes" and publishes neither the
 * balance nor the refill rule: docs/sources.md#aws-bandwidth). The real ENA device is an SR-IOV
 * function, not virtio; the preset uses the model's virtio NIC, whose vhost thread is the
 * per-queue limit a paravirtual NIC adds (the allowances, not the device, set a cloud VM's ceiling).
 */
import { calibratedParams } from '../calibration/index.ts';
import { BYTES_PER_GIB, bitsPerSecToGbitPerSec, hzToGhz } from '../units.ts';
import { NIC_MODEL_NAMES, nicModelByName, physical10gNic, physical25gNic, virtioNic, type NicModel, type NicModelName } from '../nic/nicModel.ts';

export type NodePresetName = 'bare-metal-10g' | 'bare-metal-25g' | 'cloud-up-to-10g';

export const NODE_PRESET_NAMES: readonly NodePresetName[] = ['bare-metal-10g', 'bare-metal-25g', 'cloud-up-to-10g'];

/** The cloud network's allowances for one VM (each per direction unless said otherwise). */
export interface CloudAllowanceParams {
  /** Sustained aggregate bandwidth allowance (frame bytes), bit/s. */
  readonly baselineBitsPerSec: number;
  /** Aggregate bandwidth allowance while burst credits last, bit/s (>= baseline). */
  readonly burstBitsPerSec: number;
  /** Seconds of full burst a full credit balance gives (0: no burst). */
  readonly burstCreditSec: number;
  /** Bandwidth of one flow (5-tuple), bit/s. */
  readonly perFlowCapBitsPerSec: number;
  /** Packets per second, both directions together. */
  readonly ppsAllowancePps: number;
  /** Connections the cloud network tracks; new ones beyond it are refused. */
  readonly conntrackAllowanceFlows: number;
}

/** An "up to 10 Gbit/s" VM: the design's 1 Gbit/s baseline example, a 10 Gbit/s burst, the documented per-flow cap. */
export const defaultCloudAllowanceParams: CloudAllowanceParams = calibratedParams({
  baselineBitsPerSec: 'nic.cloud.bwAllowanceBitsPerSec',
  burstBitsPerSec: 'node.preset.cloudBurstBitsPerSec',
  burstCreditSec: 'node.preset.cloudBurstCreditSec',
  perFlowCapBitsPerSec: 'nic.cloud.perFlowCapBitsPerSec',
  ppsAllowancePps: 'nic.cloud.ppsAllowancePps',
  conntrackAllowanceFlows: 'nic.cloud.conntrackAllowanceFlows',
});

export interface NodeHardwareParams {
  readonly cores: number;
  /** Highest clock (scaling_max_freq), Hz. */
  readonly cpuMaxFreqHz: number;
  readonly memoryBytes: number;
}

/** The typical node at the reference clock of the per-packet costs. */
export const defaultBareMetalNodeParams: NodeHardwareParams = calibratedParams({
  cores: 'node.cores',
  cpuMaxFreqHz: 'cpu.referenceFreqHz',
  memoryBytes: 'node.memoryBytes',
});

/** The same vCPUs and RAM at the cloud clock. */
export const defaultCloudNodeParams: NodeHardwareParams = calibratedParams({
  cores: 'node.cores',
  cpuMaxFreqHz: 'node.preset.cloudMaxFreqHz',
  memoryBytes: 'node.memoryBytes',
});

export interface NodePreset extends NodeHardwareParams {
  readonly name: NodePresetName;
  readonly kind: 'bare-metal' | 'cloud-vm';
  readonly nic: NicModelName;
  /** The cloud allowances (cloud VMs only). */
  readonly cloud: CloudAllowanceParams | undefined;
  /**
   * A virtio NIC's host link, bit/s: the physical port behind the VM's vhost threads, when it is
   * the one to count (a VM on a host with a 10 GbE port); undefined: not a limit (a cloud host's
   * port is far faster than the VM's allowances). Ignored for a physical NIC.
   */
  readonly hostLinkBitsPerSec: number | undefined;
}

/** What may be changed on a preset (the CLI's --baseline-gbps, --burst-gbps, --burst-credit-sec; experiments' factors). */
export interface NodePresetOverrides {
  readonly cores?: number;
  readonly cpuMaxFreqHz?: number;
  readonly memoryBytes?: number;
  readonly nic?: NicModelName;
  /** Partial allowances; on a bare-metal preset they put allowances (the defaults, overridden) in front of its NIC. */
  readonly cloud?: Partial<CloudAllowanceParams>;
  readonly hostLinkBitsPerSec?: number;
}

export function isNodePresetName(name: string): name is NodePresetName {
  return (NODE_PRESET_NAMES as readonly string[]).includes(name);
}

/** The preset `name`, with `overrides`; throws naming the field, the value and what is allowed. */
export function nodePreset(name: NodePresetName, overrides: NodePresetOverrides = {}): NodePreset {
  if (!isNodePresetName(name)) throw new RangeError(`node must be one of ${NODE_PRESET_NAMES.join(', ')}, got "${String(name)}"`);
  const cloudVm = name === 'cloud-up-to-10g';
  const hw = cloudVm ? defaultCloudNodeParams : defaultBareMetalNodeParams;
  const nic: NicModelName = overrides.nic ?? (name === 'bare-metal-25g' ? 'physical-25g' : cloudVm ? 'virtio' : 'physical-10g');
  const cloud = cloudVm || overrides.cloud !== undefined ? { ...defaultCloudAllowanceParams, ...overrides.cloud } : undefined;
  const preset: NodePreset = {
    name,
    kind: cloudVm ? 'cloud-vm' : 'bare-metal',
    cores: overrides.cores ?? hw.cores,
    cpuMaxFreqHz: overrides.cpuMaxFreqHz ?? hw.cpuMaxFreqHz,
    memoryBytes: overrides.memoryBytes ?? hw.memoryBytes,
    nic,
    cloud,
    hostLinkBitsPerSec: overrides.hostLinkBitsPerSec,
  };
  checkNodePreset(preset);
  return Object.freeze(preset);
}

export function checkNodePreset(p: NodePreset): void {
  const positive = (field: string, v: number): void => {
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${field} must be a finite number > 0, got ${v}`);
  };
  if (!(Number.isSafeInteger(p.cores) && p.cores >= 1)) throw new RangeError(`cores must be a positive integer, got ${p.cores}`);
  positive('cpuMaxFreqHz', p.cpuMaxFreqHz);
  if (!(Number.isSafeInteger(p.memoryBytes) && p.memoryBytes >= 1)) throw new RangeError(`memoryBytes must be a positive integer, got ${p.memoryBytes}`);
  if (!NIC_MODEL_NAMES.includes(p.nic)) throw new RangeError(`nic must be one of ${NIC_MODEL_NAMES.join(', ')}, got "${String(p.nic)}"`);
  if (p.hostLinkBitsPerSec !== undefined) positive('hostLinkBitsPerSec', p.hostLinkBitsPerSec);
  const c = p.cloud;
  if (c === undefined) return;
  positive('cloud.baselineBitsPerSec', c.baselineBitsPerSec);
  positive('cloud.perFlowCapBitsPerSec', c.perFlowCapBitsPerSec);
  positive('cloud.ppsAllowancePps', c.ppsAllowancePps);
  if (!(Number.isFinite(c.burstBitsPerSec) && c.burstBitsPerSec >= c.baselineBitsPerSec)) {
    throw new RangeError(`cloud.burstBitsPerSec must be finite and >= the baseline (${c.baselineBitsPerSec}), got ${c.burstBitsPerSec}`);
  }
  if (!(Number.isFinite(c.burstCreditSec) && c.burstCreditSec >= 0)) throw new RangeError(`cloud.burstCreditSec must be a finite number >= 0, got ${c.burstCreditSec}`);
  if (!(Number.isSafeInteger(c.conntrackAllowanceFlows) && c.conntrackAllowanceFlows >= 1)) {
    throw new RangeError(`cloud.conntrackAllowanceFlows must be a positive integer, got ${c.conntrackAllowanceFlows}`);
  }
}

/** The preset's NIC model (virtio with one queue pair per vCPU). Allowances are not attached: the node scenarios apply them. */
export function nodeNicModel(p: NodePreset): NicModel {
  switch (p.nic) {
    case 'physical-10g': return physical10gNic();
    case 'physical-25g': return physical25gNic();
    case 'virtio': return virtioNic({ multiqueue: true });
    case 'ena': case 'gvnic': case 'vmxnet3': return nicModelByName(p.nic);
    default: throw new RangeError(`nic must be one of ${NIC_MODEL_NAMES.join(', ')}, got "${String(p.nic)}"`);
  }
}

/** One line for tables: "8 vCPUs at 3.1 GHz, virtio, 32 GiB, allowances 1 Gbit/s baseline / 10 burst for 1039 s". */
export function describeNodePreset(p: NodePreset): string {
  const gib = p.memoryBytes / BYTES_PER_GIB;
  const base = `${p.name}: ${p.cores} ${p.kind === 'cloud-vm' ? 'vCPUs' : 'cores'} at ${hzToGhz(p.cpuMaxFreqHz).toFixed(1)} GHz, ${p.nic}, ${gib.toFixed(0)} GiB`;
  const c = p.cloud;
  if (c === undefined) return base;
  const gbps = (bitsPerSec: number): string => bitsPerSecToGbitPerSec(bitsPerSec).toPrecision(3);
  return `${base}; allowances ${gbps(c.baselineBitsPerSec)} Gbit/s baseline, ${gbps(c.burstBitsPerSec)} burst for ${c.burstCreditSec.toFixed(0)} s of credits, ${gbps(c.perFlowCapBitsPerSec)} per flow`;
}
