/**
 * Cold caches: how much of a structure a lookup finds still cached, given how long ago it was last
 * touched. Everything else on the node displaces lines from the cache share the structure lives in
 * at `pressureBytesPerUs`; with random replacement a line survives t of that with probability
 * exp(-pressure t / share), so a structure last touched t ago is found warm in that fraction and
 * cold (every line from DRAM) in the rest. A lookup's cost is then warm + (1 - warm fraction) x
 * (cold - warm). The iptables KUBE-SERVICES walk and the BPF maps of a datapath each keep their own
 * last-touch time (per node: the last-level cache is shared by the cores).
 */
import { calibratedParams } from '../calibration/index.ts';
import { NS_PER_US } from '../units.ts';

export interface CacheWarmthParams {
  /** Bytes of the cache share other work displaces per us. Default 1000 (assumption, 0-10000). */
  readonly pressureBytesPerUs: number;
  /** The cache share the structures live in, B (the iptables share). */
  readonly cacheShareBytes: number;
}

export const defaultCacheWarmthParams: CacheWarmthParams = calibratedParams({
  pressureBytesPerUs: 'lookup.cachePressureBytesPerUs',
  cacheShareBytes: 'lookup.iptablesCacheShareBytes',
});

/** Fraction of a structure's cached lines still cached `gapNs` after its last use. */
export function warmFraction(gapNs: number, p: CacheWarmthParams = defaultCacheWarmthParams): number {
  if (!(gapNs >= 0)) throw new RangeError(`gapNs must be >= 0, got ${gapNs}`);
  if (p.pressureBytesPerUs === 0) return 1;
  return Math.exp(-(p.pressureBytesPerUs * gapNs) / NS_PER_US / p.cacheShareBytes);
}

/** The last use of each of a node's cached structures; `touch` answers how warm it was. */
export class CacheWarmth {
  readonly params: CacheWarmthParams;
  private readonly lastUseNs: Float64Array;

  /** `structures` independent structures, all last used at `startNs` (a run that starts warm). */
  constructor(structures: number, startNs: number, params: CacheWarmthParams = defaultCacheWarmthParams) {
    if (!(params.pressureBytesPerUs >= 0 && Number.isFinite(params.pressureBytesPerUs))) {
      throw new RangeError(`pressureBytesPerUs must be a finite number >= 0, got ${params.pressureBytesPerUs}`);
    }
    if (!(params.cacheShareBytes > 0)) throw new RangeError(`cacheShareBytes must be > 0, got ${params.cacheShareBytes}`);
    this.params = params;
    this.lastUseNs = new Float64Array(structures).fill(startNs);
  }

  /** Structure `id` is used at `nowNs`: the fraction of it that was still cached. */
  touch(id: number, nowNs: number): number {
    const w = warmFraction(Math.max(0, nowNs - this.lastUseNs[id]!), this.params);
    this.lastUseNs[id] = nowNs;
    return w;
  }
}
