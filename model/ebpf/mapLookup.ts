/**
 * Cost of one bpf_map_lookup_elem() on a hash, LRU-hash or LPM-trie map, as CPU work.
 *
 * Mechanism (hash maps): hash the key (a fixed part plus jhash/memcmp per key byte), read the
 * bucket, walk the chain. A successful search compares 1 + α/2 elements on average (chained
 * hashing, load α = entries / buckets, buckets = max_entries rounded up to a power of two); a
 * non-matching element is rejected on its hash (one cache line), the matching one is read in full
 * (its key may span lines). Each line touched is served by the private cache, the last-level
 * cache or DRAM with the probability that a uniformly accessed working set of that size misses
 * each level: P(miss) = 1 - min(1, cacheBytes / workingSetBytes). The working set is the bucket
 * lines in use plus the occupied elements. So cost grows with occupancy through both more probes
 * and more misses, and with key size through hashing and longer elements.
 *
 * LPM trie: a fixed part plus a per-node cost for each prefix length on the lookup path (the
 * trie's depth is at most the number of distinct prefix lengths), each node a line with the same
 * cache model (assumption).
 */
import { calibratedParams } from '../calibration/index.ts';
import type { Work } from '../cpu/workCost.ts';

export type BpfMapKind = 'hash' | 'lru-hash' | 'lpm';

/** One lookup: the map and how full it is. */
export interface MapLookupSpec {
  readonly kind: BpfMapKind;
  /** max_entries of the map. */
  readonly maxEntries: number;
  /** Entries in the map now (0..maxEntries). */
  readonly entries: number;
  readonly keyBytes: number;
  readonly valueBytes: number;
  /** LPM only: distinct prefix lengths on the lookup path (trie depth). Default 1. */
  readonly prefixLengths?: number;
  /** Other data competing for the same caches (packet buffers, other maps), bytes. Default 0. */
  readonly competingCacheBytes?: number;
}

export interface MapLookupParams {
  /** Hash lookup: fixed part (helper call, jhash finalisation, bucket index), cycles. Derived. */
  readonly hashFixedCycles: number;
  /** Hash lookup: jhash + memcmp per key byte, cycles/B. Derived. */
  readonly hashKeyByteCycles: number;
  /** LRU hash: extra for marking the element referenced, cycles. Assumption. */
  readonly lruRefCycles: number;
  /** LPM: fixed part, cycles. Assumption. */
  readonly lpmFixedCycles: number;
  /** LPM: per trie node (prefix length) visited, cycles. Assumption. */
  readonly lpmPerNodeCycles: number;
  /** LPM: bytes per trie node. Assumption. */
  readonly lpmNodeBytes: number;
  /** htab_elem header per element, B (48, sourced). */
  readonly htabElemHeaderBytes: number;
  /** Bytes per hash bucket (hlist_nulls_head + lock). Assumption. */
  readonly htabBucketBytes: number;
  readonly cacheLineBytes: number;
  /** Private (L2) cache per core, B. Assumption. */
  readonly privateCacheBytes: number;
  /** Last-level cache available to the core, B. Assumption. */
  readonly lastLevelCacheBytes: number;
  /** Effective stall when a line misses the private cache but hits the LLC, ns. Derived. */
  readonly llcHitStallNs: number;
}

export const defaultMapLookupParams: MapLookupParams = calibratedParams({
  hashFixedCycles: 'ebpf.hashLookupFixedCycles',
  hashKeyByteCycles: 'ebpf.hashLookupKeyByteCycles',
  lruRefCycles: 'ebpf.lruRefCycles',
  lpmFixedCycles: 'ebpf.lpmLookupFixedCycles',
  lpmPerNodeCycles: 'ebpf.lpmPerNodeCycles',
  lpmNodeBytes: 'ebpf.lpmNodeBytes',
  htabElemHeaderBytes: 'ebpf.htabElemHeaderBytes',
  htabBucketBytes: 'ebpf.htabBucketBytes',
  cacheLineBytes: 'ebpf.cacheLineBytes',
  privateCacheBytes: 'ebpf.privateCacheBytes',
  lastLevelCacheBytes: 'ebpf.lastLevelCacheBytes',
  llcHitStallNs: 'ebpf.llcHitStallNs',
});

/** Buckets of a BPF hash map: max_entries rounded up to a power of two (kernel/bpf/hashtab.c). */
export function htabBucketCount(maxEntries: number): number {
  if (!(Number.isInteger(maxEntries) && maxEntries >= 1)) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  return 2 ** Math.ceil(Math.log2(maxEntries));
}

const roundUp8 = (bytes: number): number => Math.ceil(bytes / 8) * 8; // calibration-exempt: the kernel rounds keys and values to 8 bytes (round_up(size, 8), kernel/bpf/hashtab.c)

/** Kernel memory of one hash element: header + key and value each rounded up to 8 B. */
export function htabElementBytes(keyBytes: number, valueBytes: number, p: MapLookupParams = defaultMapLookupParams): number {
  return p.htabElemHeaderBytes + roundUp8(keyBytes) + roundUp8(valueBytes);
}

/** Expected distinct lines hit when `touches` uniform draws fall on `lines` lines. */
export function expectedDistinctLines(lines: number, touches: number): number {
  if (lines <= 0) return 0;
  return lines * -Math.expm1(touches * Math.log1p(-1 / Math.max(lines, 1 + Number.EPSILON)));
}

/** Where the lines of a lookup are served from. */
export interface LineTraffic {
  /** Cache lines one lookup touches. */
  readonly lines: number;
  /** Bytes the map's lookups keep hot (plus competing bytes). */
  readonly workingSetBytes: number;
  /** Probability a line misses the private cache. */
  readonly privateMissFraction: number;
  /** Probability a line misses the last-level cache (goes to DRAM). */
  readonly llcMissFraction: number;
}

/** P(miss) of a cache of `cacheBytes` under uniform access to `workingSetBytes`. */
export function uniformMissFraction(cacheBytes: number, workingSetBytes: number): number {
  return workingSetBytes <= cacheBytes ? 0 : 1 - cacheBytes / workingSetBytes;
}

/** Lines touched and cache behaviour of one lookup in the map described by `spec`. */
export function mapLineTraffic(spec: MapLookupSpec, p: MapLookupParams = defaultMapLookupParams): LineTraffic {
  checkSpec(spec);
  const line = p.cacheLineBytes;
  let lines: number;
  let workingSetBytes: number;
  if (spec.kind === 'lpm') {
    const nodes = spec.prefixLengths ?? 1;
    lines = nodes * Math.ceil(p.lpmNodeBytes / line);
    workingSetBytes = spec.entries * p.lpmNodeBytes;
  } else {
    const buckets = htabBucketCount(spec.maxEntries);
    const load = spec.entries / buckets;
    const elemBytes = htabElementBytes(spec.keyBytes, spec.valueBytes, p);
    const elemLines = Math.ceil(elemBytes / line);
    // Bucket line + non-matching elements (rejected on their hash: one line each) + the match in full.
    lines = 1 + load / 2 + elemLines;
    const bucketLines = (buckets * p.htabBucketBytes) / line;
    workingSetBytes = expectedDistinctLines(bucketLines, spec.entries) * line + spec.entries * elemBytes;
  }
  workingSetBytes += spec.competingCacheBytes ?? 0;
  return {
    lines,
    workingSetBytes,
    privateMissFraction: uniformMissFraction(p.privateCacheBytes, workingSetBytes),
    llcMissFraction: uniformMissFraction(p.lastLevelCacheBytes, workingSetBytes),
  };
}

/** CPU work of one lookup: cycles, DRAM misses (LLC misses) and LLC-hit stall time. */
export function mapLookupWork(spec: MapLookupSpec, p: MapLookupParams = defaultMapLookupParams): Work {
  const t = mapLineTraffic(spec, p);
  let cycles: number;
  if (spec.kind === 'lpm') {
    cycles = p.lpmFixedCycles + (spec.prefixLengths ?? 1) * p.lpmPerNodeCycles;
  } else {
    cycles = p.hashFixedCycles + spec.keyBytes * p.hashKeyByteCycles + (spec.kind === 'lru-hash' ? p.lruRefCycles : 0);
  }
  return {
    cycles,
    dramMisses: t.lines * t.llcMissFraction,
    stallNs: t.lines * (t.privateMissFraction - t.llcMissFraction) * p.llcHitStallNs,
  };
}

/** The same lookup when none of its lines is cached: every line it touches comes from DRAM. */
export function mapLookupColdWork(spec: MapLookupSpec, p: MapLookupParams = defaultMapLookupParams): Work {
  const warm = mapLookupWork(spec, p);
  return { cycles: warm.cycles, dramMisses: mapLineTraffic(spec, p).lines };
}

function checkSpec(spec: MapLookupSpec): void {
  if (spec.kind !== 'hash' && spec.kind !== 'lru-hash' && spec.kind !== 'lpm') {
    throw new RangeError(`kind must be 'hash', 'lru-hash' or 'lpm', got "${String(spec.kind)}"`);
  }
  if (!(Number.isInteger(spec.maxEntries) && spec.maxEntries >= 1)) throw new RangeError(`maxEntries must be a positive integer, got ${spec.maxEntries}`);
  if (!(spec.entries >= 0 && spec.entries <= spec.maxEntries)) {
    throw new RangeError(`entries must be in [0, maxEntries = ${spec.maxEntries}], got ${spec.entries}`);
  }
  if (!(Number.isInteger(spec.keyBytes) && spec.keyBytes >= 1)) throw new RangeError(`keyBytes must be a positive integer, got ${spec.keyBytes}`);
  if (!(Number.isInteger(spec.valueBytes) && spec.valueBytes >= 0)) throw new RangeError(`valueBytes must be an integer >= 0, got ${spec.valueBytes}`);
  const pl = spec.prefixLengths ?? 1;
  if (!(Number.isInteger(pl) && pl >= 1)) throw new RangeError(`prefixLengths must be a positive integer, got ${pl}`);
  const c = spec.competingCacheBytes ?? 0;
  if (!(c >= 0 && Number.isFinite(c))) throw new RangeError(`competingCacheBytes must be a finite number >= 0, got ${c}`);
}
