/**
 * How big Cilium's CT maps are and what they cost in kernel memory (cilium/cilium pkg/maps/mapsize,
 * kernel/bpf/hashtab.c; docs/sources.md#cilium-ct-sizing, #bpf-htab-element).
 * Dynamic sizing (on by default): the agent budgets 0.25% of total RAM for its CT, NAT, neighbour
 * and sock-rev-NAT maps and scales each map's default size by budget / (what the defaults would
 * take): entries = floor(default x floor(RAM x ratio) / defaultsBudget), then clamps to the floor
 * (131,072 TCP / 65,536 any) and the ceiling 16,777,216. With dynamic sizing off the static
 * defaults 524,288 / 262,144 apply; an explicit bpf-ct-global-tcp-max wins over both.
 * Memory: a BPF LRU hash map preallocates every element, so it takes max_entries x element size
 * from the start, whatever the occupancy, plus the bucket array (next power of two >= max_entries
 * buckets). Element = htab_elem header 48 + key rounded to 8 (14 → 16) + value rounded to 8 (56)
 * = 120 B. Per-CPU LRU lists (bpf-distributed-lru, off by default) are not modelled.
 */
import { calibratedParams } from '../calibration/index.ts';
import { htabBucketCount } from '../ebpf/mapLookup.ts';

export interface CiliumCtSizingParams {
  /** bpf-map-dynamic-size-ratio, fraction of RAM. Default 0.0025. */
  readonly dynamicSizeRatio: number;
  /** Bytes the default map sizes take by the agent's element sizes, B. Default 21,233,664 (derived). */
  readonly defaultMapsBudgetBytes: number;
  /** Static default of bpf-ct-global-tcp-max, entries. Default 524,288. */
  readonly tcpDefaultEntries: number;
  /** Static default of bpf-ct-global-any-max, entries. Default 262,144. */
  readonly anyDefaultEntries: number;
  /** Floor of the dynamic TCP size, entries. Default 131,072. */
  readonly tcpMinEntries: number;
  /** Floor of the dynamic any size, entries. Default 65,536. */
  readonly anyMinEntries: number;
  /** Ceiling of a dynamic size, entries. Default 16,777,216. */
  readonly maxEntries: number;
  /** CT key (IPv4 tuple), B. Default 14. */
  readonly keyBytes: number;
  /** CT value (CtEntry), B. Default 56. */
  readonly valueBytes: number;
  /** htab_elem header, B. Default 48 (ebpf.htabElemHeaderBytes). */
  readonly elemHeaderBytes: number;
  /** Alignment of key and value in an element, B. Default 8. */
  readonly alignBytes: number;
  /** Memory per hash bucket, B. Default 16 (ebpf.htabBucketBytes, assumption). */
  readonly bucketBytes: number;
}

export const defaultCiliumCtSizingParams: CiliumCtSizingParams = calibratedParams({
  dynamicSizeRatio: 'conntrack.ciliumDynamicSizeRatio',
  defaultMapsBudgetBytes: 'conntrack.ciliumDefaultMapsBudgetBytes',
  tcpDefaultEntries: 'conntrack.ciliumCtTcpDefaultEntries',
  anyDefaultEntries: 'conntrack.ciliumCtAnyDefaultEntries',
  tcpMinEntries: 'conntrack.ciliumCtTcpMinEntries',
  anyMinEntries: 'conntrack.ciliumCtAnyMinEntries',
  maxEntries: 'conntrack.ciliumCtMaxEntries',
  keyBytes: 'conntrack.ciliumCtKeyBytes',
  valueBytes: 'conntrack.ciliumCtValueBytes',
  elemHeaderBytes: 'ebpf.htabElemHeaderBytes',
  alignBytes: 'conntrack.bpfHtabAlignBytes',
  bucketBytes: 'ebpf.htabBucketBytes',
});

export type CiliumCtMap = 'tcp' | 'any';

/**
 * The dynamic size of the TCP or non-TCP CT map for `memoryBytes` of RAM, before (`clamp: false`)
 * or after the floor and ceiling. Integer arithmetic as the agent's (Go int) code does it.
 */
export function ciliumCtDynamicEntries(
  memoryBytes: number,
  map: CiliumCtMap,
  p: CiliumCtSizingParams = defaultCiliumCtSizingParams,
  options: { clamp?: boolean } = {},
): number {
  if (!(memoryBytes > 0) || !Number.isFinite(memoryBytes)) throw new RangeError(`memoryBytes must be a finite number > 0, got ${memoryBytes}`);
  const availableBytes = Math.trunc(memoryBytes * p.dynamicSizeRatio);
  const reference = map === 'tcp' ? p.tcpDefaultEntries : p.anyDefaultEntries;
  const raw = Number((BigInt(reference) * BigInt(availableBytes)) / BigInt(p.defaultMapsBudgetBytes));
  if (options.clamp === false) return raw;
  const floor = map === 'tcp' ? p.tcpMinEntries : p.anyMinEntries;
  return Math.min(p.maxEntries, Math.max(floor, raw));
}

/** Kernel memory of one hash-map element: header + key and value each rounded up to the alignment, B. */
export function bpfHtabElementBytes(keyBytes: number, valueBytes: number, p: CiliumCtSizingParams = defaultCiliumCtSizingParams): number {
  const roundUp = (n: number): number => Math.ceil(n / p.alignBytes) * p.alignBytes;
  return p.elemHeaderBytes + roundUp(keyBytes) + roundUp(valueBytes);
}

/** Kernel memory of one CT map element (IPv4), B: 120 with the default struct sizes. */
export function ciliumCtElementBytes(p: CiliumCtSizingParams = defaultCiliumCtSizingParams): number {
  return bpfHtabElementBytes(p.keyBytes, p.valueBytes, p);
}

/** Kernel memory of a preallocated CT map with `maxEntries` elements, B (independent of occupancy). */
export function ciliumCtMemoryBytes(maxEntries: number, p: CiliumCtSizingParams = defaultCiliumCtSizingParams): number {
  return maxEntries * ciliumCtElementBytes(p) + htabBucketCount(maxEntries) * p.bucketBytes;
}

export interface CiliumCtNode {
  /** Total RAM of the node, B. */
  readonly memoryBytes: number;
  /** bpf-map-dynamic-size-ratio > 0 (the default). Default true. */
  readonly dynamicSizing?: boolean;
  /** An explicit bpf-ct-global-tcp-max. */
  readonly maxEntries?: number;
}

export interface CiliumCtSizing {
  /** TCP CT map max_entries. */
  readonly capacityEntries: number;
  /** Non-TCP CT map max_entries (explicit maxEntries only sets the TCP map). */
  readonly anyCapacityEntries: number;
  /** Buckets of the TCP map. */
  readonly buckets: number;
  /** Kernel memory of the TCP map, B (preallocated: the same empty or full). */
  readonly memoryBytesAtCapacity: number;
  readonly maxFrom: 'dynamic' | 'static-default' | 'explicit';
}

/** The TCP CT map a node ends up with. */
export function ciliumCtSizing(node: CiliumCtNode, p: CiliumCtSizingParams = defaultCiliumCtSizingParams): CiliumCtSizing {
  const dynamic = node.dynamicSizing ?? true;
  const anyCapacityEntries = dynamic ? ciliumCtDynamicEntries(node.memoryBytes, 'any', p) : p.anyDefaultEntries;
  let capacityEntries: number;
  let maxFrom: CiliumCtSizing['maxFrom'];
  if (node.maxEntries !== undefined) {
    if (!Number.isSafeInteger(node.maxEntries) || node.maxEntries < 1) throw new RangeError(`maxEntries must be an integer >= 1, got ${node.maxEntries}`);
    capacityEntries = node.maxEntries;
    maxFrom = 'explicit';
  } else if (dynamic) {
    capacityEntries = ciliumCtDynamicEntries(node.memoryBytes, 'tcp', p);
    maxFrom = 'dynamic';
  } else {
    capacityEntries = p.tcpDefaultEntries;
    maxFrom = 'static-default';
  }
  return {
    capacityEntries,
    anyCapacityEntries,
    buckets: htabBucketCount(capacityEntries),
    memoryBytesAtCapacity: ciliumCtMemoryBytes(capacityEntries, p),
    maxFrom,
  };
}
