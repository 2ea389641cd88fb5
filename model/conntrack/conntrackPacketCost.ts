/**
 * What connection tracking adds to every packet, as CPU work (model/cpu `Work`).
 * - nf_conntrack: the XDP paper's +347 ns per packet on one core (1.8 Mpps with conntrack vs 4.8
 *   Mpps raw, CoNEXT 2018 §4.1; docs/sources.md#nf-conntrack-cost), held by model/cpu as cycles at
 *   3.6 GHz (`conntrack-extra`): a whole-stack figure for an existing, cache-resident entry; no
 *   dependence on the table's size is modelled.
 * - Cilium CT: one lookup in the CT LRU hash map (14-byte key, 56-byte value) at its fill and size,
 *   costed by model/ebpf (`mapLookupWork`, which adds cache misses as the map outgrows the caches);
 *   the CT entry update is not included.
 */
import type { Work } from '../cpu/workCost.ts';
import { defaultKernelPacketCostParams, kernelPacketWork, type KernelPacketCostParams } from '../cpu/kernelPacketCost.ts';
import { defaultMapLookupParams, mapLookupWork, type MapLookupParams } from '../ebpf/mapLookup.ts';
import { defaultCiliumCtSizingParams, type CiliumCtSizingParams } from './ciliumCtSizing.ts';

/** nf_conntrack work per packet of an established flow. */
export function nfConntrackPacketWork(p: KernelPacketCostParams = defaultKernelPacketCostParams): Work {
  return kernelPacketWork('conntrack-extra', p);
}

/** Cilium CT lookup work per packet, for a map of `capacityEntries` holding `entries`. */
export function ciliumCtLookupWork(
  capacityEntries: number,
  entries: number,
  sizing: CiliumCtSizingParams = defaultCiliumCtSizingParams,
  maps: MapLookupParams = defaultMapLookupParams,
): Work {
  return mapLookupWork({ kind: 'lru-hash', maxEntries: capacityEntries, entries, keyBytes: sizing.keyBytes, valueBytes: sizing.valueBytes }, maps);
}
