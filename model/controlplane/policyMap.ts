/**
 * The per-endpoint policy map (cilium_policy_<id>): one entry per (peer identity, port/protocol,
 * direction) the endpoint's policy allows, so an endpoint needs
 *   entries = sum over the rules selecting it of (peer identities the rule selects x its ports)
 * per direction (maps.rst: "Max 16k allowed identity + port + protocol pairs"). The map holds at
 * most `bpf-policy-map-max` entries (default 16,384; the agent accepts 256 ... 65,536). When the
 * policy needs more, the update fails ("the map is full"), the endpoint's regeneration fails and the
 * entries that did not fit are missing: traffic they would allow is dropped as policy-denied
 * (issues #8060, #9117, #28337; docs/sources.md#cilium-policy-limits). Memory per entry: an LPM-trie
 * node, 72 B (derived).
 *
 * Which entries are missing when the map is full depends on the order the agent wrote them; the
 * model takes the allowed traffic to be spread evenly over the entries the policy needs, so the
 * dropped share of allowed traffic is (needed - capacity) / needed.
 */
import { calibratedParams } from '../calibration/index.ts';

export type PolicyDirection = 'ingress' | 'egress';

/** One rule as the policy map sees it: how many peers it selects on how many ports, one way. */
export interface PolicyRuleShape {
  readonly peerIdentities: number;
  readonly portsProtocols: number;
  readonly direction: PolicyDirection;
}

export interface PolicyMapParams {
  /** bpf-policy-map-max, entries per endpoint. */
  readonly maxEntries: number;
  /** Smallest bpf-policy-map-max accepted. */
  readonly minAllowedEntries: number;
  /** Largest bpf-policy-map-max accepted. */
  readonly maxAllowedEntries: number;
  /** Kernel memory per entry, B. */
  readonly entryBytes: number;
}

export const defaultPolicyMapParams: PolicyMapParams = calibratedParams({
  maxEntries: 'datapath.ciliumPolicyMapMaxEntries',
  minAllowedEntries: 'controlPlane.policyMapMinEntries',
  maxAllowedEntries: 'controlPlane.policyMapMaxAllowedEntries',
  entryBytes: 'controlPlane.policyMapEntryBytes',
});

/** Throws naming the value and the allowed range when `maxEntries` is not a bpf-policy-map-max the agent accepts. */
export function checkPolicyMapMaxEntries(maxEntries: number, p: PolicyMapParams = defaultPolicyMapParams): void {
  if (!Number.isSafeInteger(maxEntries) || maxEntries < p.minAllowedEntries || maxEntries > p.maxAllowedEntries) {
    throw new RangeError(`bpf-policy-map-max must be an integer in [${p.minAllowedEntries}, ${p.maxAllowedEntries}], got ${maxEntries}`);
  }
}

/** Entries an endpoint's policy needs: sum of peers x ports over the rules selecting it (both directions). */
export function policyMapEntriesNeeded(rules: readonly PolicyRuleShape[]): number {
  let n = 0;
  for (const r of rules) {
    if (!Number.isSafeInteger(r.peerIdentities) || r.peerIdentities < 0) throw new RangeError(`peerIdentities must be an integer >= 0, got ${r.peerIdentities}`);
    if (!Number.isSafeInteger(r.portsProtocols) || r.portsProtocols < 1) throw new RangeError(`portsProtocols must be an integer >= 1, got ${r.portsProtocols}`);
    n += r.peerIdentities * r.portsProtocols;
  }
  return n;
}

/** (rule, selected peer identity) pairs: the work of computing the policy (ports aside). */
export function rulePeerPairs(rules: readonly PolicyRuleShape[]): number {
  return rules.reduce((a, r) => a + r.peerIdentities, 0);
}

export interface PolicyMapState {
  readonly entriesNeeded: number;
  readonly capacityEntries: number;
  readonly installedEntries: number;
  readonly missingEntries: number;
  /** installed / capacity (bpf_map_pressure). */
  readonly fillFraction: number;
  /** The policy does not fit: the regeneration fails. */
  readonly regenerationFails: boolean;
  /** Share of the traffic the policy allows that is dropped as policy-denied. */
  readonly allowedTrafficDropFraction: number;
  /** Kernel memory of the installed entries, B. */
  readonly memoryBytes: number;
}

export function policyMapState(entriesNeeded: number, p: PolicyMapParams = defaultPolicyMapParams): PolicyMapState {
  if (!Number.isSafeInteger(entriesNeeded) || entriesNeeded < 0) throw new RangeError(`entriesNeeded must be an integer >= 0, got ${entriesNeeded}`);
  checkPolicyMapMaxEntries(p.maxEntries, p);
  const installed = Math.min(entriesNeeded, p.maxEntries);
  const missing = entriesNeeded - installed;
  return {
    entriesNeeded,
    capacityEntries: p.maxEntries,
    installedEntries: installed,
    missingEntries: missing,
    fillFraction: installed / p.maxEntries,
    regenerationFails: missing > 0,
    allowedTrafficDropFraction: entriesNeeded === 0 ? 0 : missing / entriesNeeded,
    memoryBytes: installed * p.entryBytes,
  };
}
