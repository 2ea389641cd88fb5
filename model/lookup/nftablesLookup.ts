/**
 * kube-proxy's nftables mode (KEP-3866; docs/sources.md#nftables-mechanism): the first packet of a
 * connection finds its Service in one verdict-map lookup keyed by (ip, proto, port) instead of
 * walking a rule per Service, so its cost does not depend on the number of Services; a second
 * verdict map (`numgen random mod N`) picks the endpoint chain, and a few ordinary rules do the
 * masquerade checks and the DNAT. Established packets skip the nat chains (conntrack) and see a few
 * ct-state rules. Every number here is an assumption with a range (no published per-lookup figure);
 * the work is all cycles (small, hot structures).
 */
import { calibratedParams } from '../calibration/index.ts';
import type { Work } from '../cpu/workCost.ts';
import { defaultIptablesCostParams, type IptablesCostParams } from './iptablesLookup.ts';

export interface NftablesCostParams {
  /** One verdict-map lookup, cycles. Default 90 (assumption, 54–216). */
  readonly vmapLookupCycles: number;
  /** Verdict-map lookups on a first packet, lookups. Default 2 (assumption, 1–3). */
  readonly firstPacketVmapLookups: number;
  /** Ordinary rules on a first packet, rules. Default 4 (assumption, 2–8). */
  readonly firstPacketRules: number;
  /** One ordinary rule, cycles. Default 36 (assumption, 18–72). */
  readonly ruleCycles: number;
  /** Rules an established packet evaluates, rules. Default 3 (assumption, 1–5). */
  readonly establishedRules: number;
  /** Cache lines one verdict-map lookup reads (dependent loads), lines. Default 3 (assumption, 2–6). */
  readonly vmapLookupLines: number;
}

export const defaultNftablesCostParams: NftablesCostParams = calibratedParams({
  vmapLookupCycles: 'lookup.nftablesVmapLookupCycles',
  firstPacketVmapLookups: 'lookup.nftablesFirstPacketVmapLookups',
  firstPacketRules: 'lookup.nftablesFirstPacketRules',
  ruleCycles: 'lookup.nftablesRuleCycles',
  establishedRules: 'lookup.nftablesEstablishedRules',
  vmapLookupLines: 'lookup.nftablesVmapLookupLines',
});

/** nftables work of the first packet of a connection; the same for any number of Services. */
export function nftablesFirstPacketWork(p: NftablesCostParams = defaultNftablesCostParams): Work {
  return { cycles: p.firstPacketVmapLookups * p.vmapLookupCycles + p.firstPacketRules * p.ruleCycles, dramMisses: 0 };
}

/** nftables work of an established packet. */
export function nftablesEstablishedPacketWork(p: NftablesCostParams = defaultNftablesCostParams): Work {
  return { cycles: p.establishedRules * p.ruleCycles, dramMisses: 0 };
}

/**
 * The first packet's work when none of the maps and rules is cached: each verdict-map lookup waits
 * for its lines one after another (hash bucket, element, verdict: dependent loads), each rule for
 * its lines with the walk's memory-level parallelism as in iptables.
 */
export function nftablesFirstPacketColdWork(p: NftablesCostParams = defaultNftablesCostParams, rules: IptablesCostParams = defaultIptablesCostParams): Work {
  const warm = nftablesFirstPacketWork(p);
  return {
    cycles: warm.cycles,
    dramMisses: p.firstPacketVmapLookups * p.vmapLookupLines + (p.firstPacketRules * rules.missLinesPerRule) / rules.memoryLevelParallelism,
  };
}
