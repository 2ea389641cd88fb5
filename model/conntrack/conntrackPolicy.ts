/**
 * The two connection-tracking tables as strategy values for ConntrackTable: what happens when the
 * table is full, how long entries live, how often garbage collection runs, and what memory the
 * table holds at a given occupancy.
 * - nf_conntrack (net/netfilter/nf_conntrack_core.c; docs/sources.md#nf-conntrack-table-full): a
 *   new flow that finds the table full is dropped ("nf_conntrack: table full, dropping packet")
 *   unless something can be freed; established flows keep working. Entries are slab objects, so
 *   memory follows occupancy.
 * - Cilium CT (Documentation/bpf/map_hash.rst; docs/sources.md#bpf-lru-eviction): an LRU hash map;
 *   inserts always succeed and the least recently used entry is evicted, which silently breaks an
 *   old idle flow. The map is preallocated, so memory is fixed at max_entries. The kernel LRU knows
 *   nothing of Cilium's lifetimes: only the agent's periodic garbage collection deletes expired
 *   entries.
 * Entry states tracked: established, and closing (after FIN: nf TIME_WAIT, Cilium FIN timeout).
 */
import { calibratedParams } from '../calibration/index.ts';
import { secToNs } from '../units.ts';
import { nfConntrackMemoryBytes, defaultNfConntrackSizingParams, type NfConntrackSizingParams } from './nfConntrackSizing.ts';
import { ciliumCtMemoryBytes, defaultCiliumCtSizingParams, type CiliumCtSizingParams } from './ciliumCtSizing.ts';
import {
  defaultCiliumCtTimeoutsParams,
  defaultKubeProxyConntrackTimeoutsParams,
  type CiliumCtTimeoutsParams,
  type NfConntrackTimeoutsParams,
} from './conntrackTimeouts.ts';

export type ConntrackImpl = 'nf_conntrack' | 'cilium-ct';
export const CONNTRACK_IMPLS: readonly ConntrackImpl[] = ['nf_conntrack', 'cilium-ct'];

export interface ConntrackPolicy {
  readonly name: ConntrackImpl;
  /** A new flow at a full table: dropped (nf_conntrack) or the LRU entry evicted (BPF LRU hash). */
  readonly whenFull: 'drop-new' | 'evict-lru';
  /** Lifetime of an established entry without traffic, ns (integer). */
  readonly establishedTimeoutNs: number;
  /** Lifetime of an entry after FIN, ns (integer). */
  readonly closingTimeoutNs: number;
  /** Interval between garbage-collection passes, ns (integer). */
  readonly gcIntervalNs: number;
  /**
   * nf_conntrack early drop: a refused insert arms it; the next GC run then frees closing entries
   * while the table is at or above this fill, at most `gcEarlyDropPerRun` entries per run, runs
   * `gcRunSpacingNs` apart for as long as refusals keep re-arming it. Infinity = never (Cilium).
   */
  readonly gcEarlyDropThresholdFraction: number;
  /** Entries one armed GC run frees at most (GC_SCAN_EXPIRED_MAX). */
  readonly gcEarlyDropPerRun: number;
  /** Time between back-to-back GC runs while early drop stays armed (one jiffy), ns (integer). */
  readonly gcRunSpacingNs: number;
  /** A new flow at a full table first frees expired entries (nf_conntrack's on-demand reaping). */
  readonly reapExpiredWhenFull: boolean;
  /** Memory of the table with `entries` of `capacityEntries` in use, B. */
  memoryBytes(entries: number, capacityEntries: number): number;
}

export interface ConntrackGcParams {
  /** nf_conntrack GC interval, s. Default 60 (derived from the kernel's gc_worker, 1–120). */
  readonly nfGcIntervalSec: number;
  /** nf_conntrack: fill at or above which an armed GC frees closing entries, fraction. Default 0.95 (sourced). */
  readonly nfGcEarlyDropThresholdFraction: number;
  /** nf_conntrack: most entries the GC frees per second while early drop is armed. Default 64,000 (derived). */
  readonly nfGcExpiredMaxPerSec: number;
  /** Kernel CONFIG_HZ: GC runs back to back one jiffy apart. Default 1000 (assumption, 100–1000). */
  readonly kernelHz: number;
  /** Cilium agent CT GC interval, s. Default 300 (assumption, 10–43,200). */
  readonly ciliumGcIntervalSec: number;
}

export const defaultConntrackGcParams: ConntrackGcParams = calibratedParams({
  nfGcIntervalSec: 'conntrack.nfGcIntervalSec',
  nfGcEarlyDropThresholdFraction: 'conntrack.nfGcEarlyDropThresholdFraction',
  nfGcExpiredMaxPerSec: 'conntrack.nfGcExpiredMaxPerSec',
  kernelHz: 'conntrack.kernelHz',
  ciliumGcIntervalSec: 'conntrack.ciliumGcIntervalSec',
});

const wholeNs = (sec: number): number => Math.round(secToNs(sec));

export interface NfConntrackPolicyOptions {
  /** Hash buckets of the table (from nfConntrackSizing). */
  readonly buckets: number;
  /** Default: kube-proxy's timeouts. */
  readonly timeouts?: NfConntrackTimeoutsParams;
  readonly gc?: ConntrackGcParams;
  readonly sizing?: NfConntrackSizingParams;
}

export function nfConntrackPolicy(options: NfConntrackPolicyOptions): ConntrackPolicy {
  const timeouts = options.timeouts ?? defaultKubeProxyConntrackTimeoutsParams;
  const gc = options.gc ?? defaultConntrackGcParams;
  const sizing = options.sizing ?? defaultNfConntrackSizingParams;
  const buckets = options.buckets;
  return {
    name: 'nf_conntrack',
    whenFull: 'drop-new',
    establishedTimeoutNs: wholeNs(timeouts.tcpEstablishedTimeoutSec),
    // The side that closes first goes through FIN_WAIT to TIME_WAIT; TIME_WAIT holds the entry.
    closingTimeoutNs: wholeNs(timeouts.tcpTimeWaitTimeoutSec),
    gcIntervalNs: wholeNs(gc.nfGcIntervalSec),
    gcEarlyDropThresholdFraction: gc.nfGcEarlyDropThresholdFraction,
    gcEarlyDropPerRun: Math.max(1, Math.round(gc.nfGcExpiredMaxPerSec / gc.kernelHz)),
    gcRunSpacingNs: wholeNs(1 / gc.kernelHz),
    reapExpiredWhenFull: true,
    memoryBytes: (entries) => nfConntrackMemoryBytes(entries, buckets, sizing),
  };
}

export interface CiliumCtPolicyOptions {
  readonly timeouts?: CiliumCtTimeoutsParams;
  readonly gc?: ConntrackGcParams;
  readonly sizing?: CiliumCtSizingParams;
}

export function ciliumCtPolicy(options: CiliumCtPolicyOptions = {}): ConntrackPolicy {
  const timeouts = options.timeouts ?? defaultCiliumCtTimeoutsParams;
  const gc = options.gc ?? defaultConntrackGcParams;
  const sizing = options.sizing ?? defaultCiliumCtSizingParams;
  let memoCapacity = NaN;
  let memoBytes = NaN;
  return {
    name: 'cilium-ct',
    whenFull: 'evict-lru',
    establishedTimeoutNs: wholeNs(timeouts.tcpRegularTimeoutSec),
    closingTimeoutNs: wholeNs(timeouts.tcpFinTimeoutSec),
    gcIntervalNs: wholeNs(gc.ciliumGcIntervalSec),
    gcEarlyDropThresholdFraction: Infinity,
    gcEarlyDropPerRun: 0,
    gcRunSpacingNs: wholeNs(1 / gc.kernelHz),
    reapExpiredWhenFull: false,
    // Preallocated: the same empty or full.
    memoryBytes: (_entries, capacityEntries) => {
      if (capacityEntries !== memoCapacity) {
        memoCapacity = capacityEntries;
        memoBytes = ciliumCtMemoryBytes(capacityEntries, sizing);
      }
      return memoBytes;
    },
  };
}
