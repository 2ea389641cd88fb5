/**
 * Cilium security identities: an identity is a function of a pod's security-relevant labels, so
 * every pod with the same label set shares one identity ("Security identities are generated from
 * labels"); a new label set gets the next free cluster-local identity (256 ... 65535; 1-255 are
 * reserved). An endpoint whose labels the agent does not know yet gets `reserved:init` (5), which
 * drops all traffic unless a rule selects it. In CRD mode a new identity is a CiliumIdentity object
 * the agent creates through the API server (under its client rate limit), which is what makes
 * allocation cost time; a label set seen before costs no request. Sources:
 * docs/sources.md#cilium-identities, #cilium-security-identities.
 *
 * Simplification: one allocator for the cluster, as the operator or the CRD's uniqueness makes it
 * in the end; the duplicates that concurrent agents can create for one label set are not modelled.
 */
import { calibratedParams } from '../calibration/index.ts';

export interface IdentityParams {
  /** First cluster-local identity. */
  readonly minIdentity: number;
  /** Last cluster-local identity. */
  readonly maxIdentity: number;
  /** The identity of an endpoint whose labels are not known. */
  readonly reservedInit: number;
  /** API requests a new identity costs in CRD mode. */
  readonly apiCallsPerAllocation: number;
}

export const defaultIdentityParams: IdentityParams = calibratedParams({
  minIdentity: 'controlPlane.ciliumIdentityMin',
  maxIdentity: 'controlPlane.ciliumIdentityMax',
  reservedInit: 'controlPlane.ciliumReservedInitIdentity',
  apiCallsPerAllocation: 'controlPlane.ciliumIdentityApiCallsPerAllocation',
});

export interface IdentityLookup {
  readonly identity: number;
  /** True when this call allocated it (a new label set). */
  readonly allocated: boolean;
}

/** A canonical key of a label set: the same labels in any order give the same key. */
export function labelSetKey(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
}

export class IdentityAllocator {
  private readonly byLabels = new Map<string, number>();
  private next: number;

  constructor(readonly params: IdentityParams = defaultIdentityParams) {
    if (!(params.minIdentity > params.reservedInit && params.maxIdentity >= params.minIdentity)) {
      throw new RangeError(`identity range [${params.minIdentity}, ${params.maxIdentity}] must lie above the reserved identities (reserved:init = ${params.reservedInit})`);
    }
    this.next = params.minIdentity;
  }

  /** Identities allocated so far. */
  get allocated(): number {
    return this.byLabels.size;
  }

  /** The identity of this label set (by `labelSetKey`), allocating one for a new set. */
  identityFor(labelsKey: string): IdentityLookup {
    const known = this.byLabels.get(labelsKey);
    if (known !== undefined) return { identity: known, allocated: false };
    if (this.next > this.params.maxIdentity) {
      throw new RangeError(`no cluster-local identity left: all ${this.params.maxIdentity - this.params.minIdentity + 1} are in use`);
    }
    const identity = this.next++;
    this.byLabels.set(labelsKey, identity);
    return { identity, allocated: true };
  }

  /** True when this label set already has an identity. */
  has(labelsKey: string): boolean {
    return this.byLabels.has(labelsKey);
  }
}
