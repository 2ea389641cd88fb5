/**
 * How big the nf_conntrack table is and what it costs in memory (nf_conntrack-sysctl.rst, kube-proxy's
 * defaults.go; docs/sources.md#nf-conntrack-sizing, #kube-proxy-conntrack, #nf-conntrack-memory).
 * Kernel defaults: nf_conntrack_buckets = total memory / 16384, clamped to [1024, 262144];
 * nf_conntrack_max = buckets on kernels >= 5.15 and 4 x buckets before. kube-proxy overrides the
 * maximum with max(maxPerCore x cores, min) = max(32768 x cores, 131072) and raises the hash size to
 * max / 4 when it is smaller. Memory = entries x bytes per nf_conn + buckets x bytes per bucket; the
 * entries are slab objects allocated per connection, so memory follows occupancy.
 * Simplification: the pre-5.15 bucket formula is taken to be the current one (only the change of
 * the max factor, commit d532bcd0b269, was checked).
 */
import { calibratedParams } from '../calibration/index.ts';
import { kernelAtLeast, parseKernelVersion } from '../ebpf/kernelVersion.ts';

export interface NfConntrackSizingParams {
  /** kube-proxy conntrack.maxPerCore, entries per core. Default 32,768. */
  readonly kubeProxyMaxPerCore: number;
  /** kube-proxy conntrack.min, entries. Default 131,072. */
  readonly kubeProxyMinEntries: number;
  /** kube-proxy raises hashsize to max / this, entries per bucket. Default 4. */
  readonly kubeProxyHashsizeDivisor: number;
  /** Default buckets = total memory / this, B per bucket. Default 16,384. */
  readonly bucketsMemoryDivisorBytes: number;
  /** Lower clamp of the default bucket count, buckets. Default 1024. */
  readonly bucketsMin: number;
  /** Upper clamp of the default bucket count, buckets. Default 262,144. */
  readonly bucketsMax: number;
  /** Default max = buckets x this on kernels >= 5.15, entries per bucket. Default 1. */
  readonly maxPerBucket: number;
  /** Default max = buckets x this before 5.15, entries per bucket. Default 4. */
  readonly maxPerBucketLegacy: number;
  /** First kernel with the current default: major. Default 5. */
  readonly sizingChangeKernelMajor: number;
  /** First kernel with the current default: minor. Default 15. */
  readonly sizingChangeKernelMinor: number;
  /** Memory per nf_conn, B. Default 320 (sourced range 300–400). */
  readonly entryBytes: number;
  /** Memory per hash bucket, B. Default 8 (sourced range 8–16). */
  readonly bucketBytes: number;
}

export const defaultNfConntrackSizingParams: NfConntrackSizingParams = calibratedParams({
  kubeProxyMaxPerCore: 'conntrack.kubeProxyMaxPerCore',
  kubeProxyMinEntries: 'conntrack.kubeProxyMinEntries',
  kubeProxyHashsizeDivisor: 'conntrack.kubeProxyHashsizeDivisor',
  bucketsMemoryDivisorBytes: 'conntrack.nfBucketsMemoryDivisorBytes',
  bucketsMin: 'conntrack.nfBucketsMin',
  bucketsMax: 'conntrack.nfBucketsMax',
  maxPerBucket: 'conntrack.nfMaxPerBucket',
  maxPerBucketLegacy: 'conntrack.nfMaxPerBucketLegacy',
  sizingChangeKernelMajor: 'conntrack.nfSizingChangeKernelMajor',
  sizingChangeKernelMinor: 'conntrack.nfSizingChangeKernelMinor',
  entryBytes: 'conntrack.nfEntryBytes',
  bucketBytes: 'conntrack.nfBucketBytes',
});

/** Whether `version` ("6.1", "5.10.0-21-amd64") has the current default (max = buckets), i.e. is at least 5.15; throws on an unreadable version. */
export function hasSanitizedConntrackDefaults(version: string, p: NfConntrackSizingParams = defaultNfConntrackSizingParams): boolean {
  return kernelAtLeast(parseKernelVersion(version), p.sizingChangeKernelMajor, p.sizingChangeKernelMinor);
}

function requirePositive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a finite number > 0, got ${value}`);
}

/** Kernel default nf_conntrack_buckets for a machine with `memoryBytes` of RAM. */
export function nfConntrackDefaultBuckets(memoryBytes: number, p: NfConntrackSizingParams = defaultNfConntrackSizingParams): number {
  requirePositive('memoryBytes', memoryBytes);
  const raw = Math.floor(memoryBytes / p.bucketsMemoryDivisorBytes);
  return Math.min(p.bucketsMax, Math.max(p.bucketsMin, raw));
}

/** Kernel default nf_conntrack_max: buckets (>= 5.15) or 4 x buckets (older). */
export function nfConntrackDefaultMaxEntries(
  memoryBytes: number,
  kernelVersion: string,
  p: NfConntrackSizingParams = defaultNfConntrackSizingParams,
): number {
  const factor = hasSanitizedConntrackDefaults(kernelVersion, p) ? p.maxPerBucket : p.maxPerBucketLegacy;
  return nfConntrackDefaultBuckets(memoryBytes, p) * factor;
}

/** The nf_conntrack_max kube-proxy sets: max(maxPerCore x cores, min). */
export function kubeProxyConntrackMaxEntries(cores: number, p: NfConntrackSizingParams = defaultNfConntrackSizingParams): number {
  if (!Number.isSafeInteger(cores) || cores < 1) throw new RangeError(`cores must be an integer >= 1, got ${cores}`);
  return Math.max(p.kubeProxyMaxPerCore * cores, p.kubeProxyMinEntries);
}

/** Memory of an nf_conntrack table holding `entries` entries in `buckets` buckets, B. */
export function nfConntrackMemoryBytes(entries: number, buckets: number, p: NfConntrackSizingParams = defaultNfConntrackSizingParams): number {
  if (!(entries >= 0)) throw new RangeError(`entries must be >= 0, got ${entries}`);
  if (!(buckets >= 0)) throw new RangeError(`buckets must be >= 0, got ${buckets}`);
  return entries * p.entryBytes + buckets * p.bucketBytes;
}

export interface NfConntrackNode {
  /** Total RAM of the node, B. */
  readonly memoryBytes: number;
  /** CPU cores kube-proxy counts. */
  readonly cores: number;
  /** Kernel version, e.g. "6.1". */
  readonly kernelVersion: string;
  /** kube-proxy (iptables or nftables mode) manages the table. Default true. */
  readonly kubeProxy?: boolean;
  /** An explicit nf_conntrack_max (e.g. kube-proxy's conntrack.min/maxPerCore tuned, or a sysctl). */
  readonly maxEntries?: number;
}

export interface NfConntrackSizing {
  /** nf_conntrack_max, entries. */
  readonly capacityEntries: number;
  /** Hash buckets (hashsize). */
  readonly buckets: number;
  /** Memory when the table is full, B. */
  readonly memoryBytesAtCapacity: number;
  /** Where the maximum came from. */
  readonly maxFrom: 'kernel-default' | 'kube-proxy' | 'explicit';
}

/** The table a node ends up with: kernel defaults, then kube-proxy's settings (or an explicit max). */
export function nfConntrackSizing(node: NfConntrackNode, p: NfConntrackSizingParams = defaultNfConntrackSizingParams): NfConntrackSizing {
  const kernelBuckets = nfConntrackDefaultBuckets(node.memoryBytes, p);
  const kubeProxy = node.kubeProxy ?? true;
  let capacityEntries: number;
  let maxFrom: NfConntrackSizing['maxFrom'];
  if (node.maxEntries !== undefined) {
    if (!Number.isSafeInteger(node.maxEntries) || node.maxEntries < 1) throw new RangeError(`maxEntries must be an integer >= 1, got ${node.maxEntries}`);
    capacityEntries = node.maxEntries;
    maxFrom = 'explicit';
  } else if (kubeProxy) {
    capacityEntries = kubeProxyConntrackMaxEntries(node.cores, p);
    maxFrom = 'kube-proxy';
  } else {
    capacityEntries = nfConntrackDefaultMaxEntries(node.memoryBytes, node.kernelVersion, p);
    maxFrom = 'kernel-default';
  }
  if (maxFrom !== 'kernel-default') hasSanitizedConntrackDefaults(node.kernelVersion, p);
  const buckets = kubeProxy ? Math.max(kernelBuckets, Math.floor(capacityEntries / p.kubeProxyHashsizeDivisor)) : kernelBuckets;
  return { capacityEntries, buckets, memoryBytesAtCapacity: nfConntrackMemoryBytes(capacityEntries, buckets, p), maxFrom };
}
