/**
 * Cilium's per-packet programs as BpfProgramSpecs. How many instructions they execute and how many
 * tail calls they take per packet is unpublished ([U]): the defaults are assumptions with wide
 * ranges, meant to be swept. The map lookups depend on the datapath mode and table sizes, so the
 * composer passes them in (e.g. CT lru-hash + policy hash + ipcache LPM).
 */
import { calibratedParams } from '../calibration/index.ts';
import type { MapLookupSpec } from './mapLookup.ts';
import type { BpfProgramSpec } from './programCost.ts';

export type CiliumProgramName = 'from-container' | 'to-container' | 'from-netdev';

export interface CiliumProgramParams {
  /** cil_from_container: executed instructions per packet. Assumption 1000 (200-5000). */
  readonly fromContainerInstructions: number;
  readonly fromContainerTailCalls: number;
  /** Delivery to a pod (to-container / policy): instructions. Assumption 700 (150-4000). */
  readonly toContainerInstructions: number;
  readonly toContainerTailCalls: number;
  /** cil_from_netdev (bpf_host): instructions. Assumption 500 (100-3000). */
  readonly fromNetdevInstructions: number;
  readonly fromNetdevTailCalls: number;
}

export const defaultCiliumProgramParams: CiliumProgramParams = calibratedParams({
  fromContainerInstructions: 'ebpf.cilium.fromContainerInstructions',
  fromContainerTailCalls: 'ebpf.cilium.fromContainerTailCalls',
  toContainerInstructions: 'ebpf.cilium.toContainerInstructions',
  toContainerTailCalls: 'ebpf.cilium.toContainerTailCalls',
  fromNetdevInstructions: 'ebpf.cilium.fromNetdevInstructions',
  fromNetdevTailCalls: 'ebpf.cilium.fromNetdevTailCalls',
});

/** The spec of one Cilium program run with the given map lookups. */
export function ciliumProgram(
  name: CiliumProgramName,
  mapLookups: readonly MapLookupSpec[],
  p: CiliumProgramParams = defaultCiliumProgramParams,
): BpfProgramSpec {
  switch (name) {
    case 'from-container':
      return { name, instructions: p.fromContainerInstructions, tailCalls: p.fromContainerTailCalls, mapLookups };
    case 'to-container':
      return { name, instructions: p.toContainerInstructions, tailCalls: p.toContainerTailCalls, mapLookups };
    case 'from-netdev':
      return { name, instructions: p.fromNetdevInstructions, tailCalls: p.fromNetdevTailCalls, mapLookups };
    default:
      throw new RangeError(`Cilium program must be 'from-container', 'to-container' or 'from-netdev', got "${String(name)}"`);
  }
}
