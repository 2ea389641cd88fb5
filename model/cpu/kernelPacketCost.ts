/**
 * Per-packet costs of the Linux receive path, measured on one core of a Xeon E5-1650 v4 at
 * 3.6 GHz (XDP paper) and stored as cycles at that clock, so they scale as cycles / f on the
 * modelled core. The whole measured time is treated as cycles: the benchmark used one UDP stream,
 * so its tables were cache-resident (assumption); big tables add DRAM misses on top.
 */
import { calibratedParams } from '../calibration/index.ts';
import type { Work } from './workCost.ts';

export interface KernelPacketCostParams {
  /** Driver RX + XDP_DROP, cycles/packet (24 Mpps at 3.6 GHz). */
  readonly xdpDropCycles: number;
  /** Driver RX + skb + iptables raw-table drop, cycles/packet (4.8 Mpps). */
  readonly linuxRawDropCycles: number;
  /** Extra for nf_conntrack on an existing entry, cycles/packet (1.8 vs 4.8 Mpps: +347 ns). */
  readonly conntrackExtraCycles: number;
  /** Receive + route (one route) + transmit, cycles/packet (1.74 Mpps). */
  readonly linuxIpForwardCycles: number;
  /** As linuxIpForwardCycles with a full BGP table, cycles/packet (1.37 Mpps). */
  readonly linuxIpForwardFullTableCycles: number;
  /** One function call, cycles (1.3 ns). */
  readonly functionCallCycles: number;
  /** Clock the cycle counts were measured at, Hz (3.6 GHz). */
  readonly referenceFreqHz: number;
}

export const defaultKernelPacketCostParams: KernelPacketCostParams = calibratedParams({
  xdpDropCycles: 'cpu.xdpDropCycles',
  linuxRawDropCycles: 'cpu.linuxRawDropCycles',
  conntrackExtraCycles: 'cpu.conntrackExtraCycles',
  linuxIpForwardCycles: 'cpu.linuxIpForwardCycles',
  linuxIpForwardFullTableCycles: 'cpu.linuxIpForwardFullTableCycles',
  functionCallCycles: 'cpu.functionCallCycles',
  referenceFreqHz: 'cpu.referenceFreqHz',
});

/** The receive-path stages the XDP paper measured. */
export type KernelPacketStage =
  | 'xdp-drop'
  | 'linux-raw-drop'
  | 'linux-conntrack-drop'
  | 'conntrack-extra'
  | 'linux-ip-forward'
  | 'linux-ip-forward-full-table'
  | 'function-call';

/** Per-packet work of one stage (cycles only; see the file comment for why no memory stalls). */
export function kernelPacketWork(stage: KernelPacketStage, p: KernelPacketCostParams = defaultKernelPacketCostParams): Work {
  return { cycles: kernelPacketCycles(stage, p), dramMisses: 0 };
}

function kernelPacketCycles(stage: KernelPacketStage, p: KernelPacketCostParams): number {
  switch (stage) {
    case 'xdp-drop': return p.xdpDropCycles;
    case 'linux-raw-drop': return p.linuxRawDropCycles;
    case 'linux-conntrack-drop': return p.linuxRawDropCycles + p.conntrackExtraCycles;
    case 'conntrack-extra': return p.conntrackExtraCycles;
    case 'linux-ip-forward': return p.linuxIpForwardCycles;
    case 'linux-ip-forward-full-table': return p.linuxIpForwardFullTableCycles;
    case 'function-call': return p.functionCallCycles;
    default: throw new RangeError(`unknown kernel packet stage "${String(stage)}"`);
  }
}
