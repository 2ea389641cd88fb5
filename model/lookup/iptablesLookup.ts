/**
 * Work the kernel does in kube-proxy's iptables rules. Only the first packet of a connection walks
 * the nat table (iptables(8); docs/sources.md#iptables-nat-new-connections): KUBE-SERVICES rule by
 * rule to the target Service, then the Service and endpoint chains. Later packets only see
 * KUBE-FORWARD.
 *
 * The cost per rule rises with the ruleset because of the cache: a rule whose bytes are in the
 * last-level cache costs `ruleCycles`; the KUBE-SERVICES chain occupies rules x `ruleBytes`, and
 * once that outgrows the cache share the ruleset keeps, the non-resident fraction 1 - cache / chain
 * of every walk misses to DRAM, each missed rule stalling for `missLinesPerRule /
 * memoryLevelParallelism` DRAM latencies (the sequential walk keeps several misses in flight).
 * Cycles scale with the core clock, DRAM stalls do not (model/cpu). That is the warm walk, the
 * chain as cached as its size allows; a cold walk (cacheWarmth.ts: the chain displaced since its
 * last use) finds no rule cached and waits for DRAM on every one.
 */
import { calibratedParams } from '../calibration/index.ts';
import { scaleWork, type Work } from '../cpu/workCost.ts';
import { defaultLookupTimingParams, lookupWorkNs, type LookupTimingParams } from './lookupTiming.ts';
import {
  defaultKubeProxyIptablesRulesParams,
  iptablesEstablishedRulesEvaluated,
  iptablesFirstPacketRulesEvaluated,
  iptablesMeanFirstPacketRulesEvaluated,
  kubeServicesChainRules,
  type KubeProxyIptablesRulesParams,
} from './kubeProxyIptablesRules.ts';

export interface IptablesCostParams {
  /** Work of one rule resident in the last-level cache, cycles. Default 36 (assumption, 18–72). */
  readonly ruleCycles: number;
  /** Bytes one KUBE-SERVICES rule occupies, B. Default 488 (assumption, 300–700). */
  readonly ruleBytes: number;
  /** Last-level cache the chain can stay resident in, B. Default 8 MiB (assumption, 2–32 MiB). */
  readonly cacheShareBytes: number;
  /** Cache lines a non-matching rule must wait for when not resident, lines. Default 2 (assumption, 2–3). */
  readonly missLinesPerRule: number;
  /** DRAM misses a core overlaps during the walk, misses. Default 10 (assumption, 4–20). */
  readonly memoryLevelParallelism: number;
}

export const defaultIptablesCostParams: IptablesCostParams = calibratedParams({
  ruleCycles: 'lookup.iptablesRuleCycles',
  ruleBytes: 'lookup.iptablesRuleBytes',
  cacheShareBytes: 'lookup.iptablesCacheShareBytes',
  missLinesPerRule: 'lookup.iptablesMissLinesPerRule',
  memoryLevelParallelism: 'lookup.memoryLevelParallelism',
});

/** Fraction of a walk over `chainRules` rules that is not resident in the cache share (0 while it fits). */
export function iptablesCacheMissFraction(chainRules: number, p: IptablesCostParams = defaultIptablesCostParams): number {
  if (!(chainRules >= 0)) throw new RangeError(`chainRules must be >= 0, got ${chainRules}`);
  const chainBytes = chainRules * p.ruleBytes;
  return chainBytes <= p.cacheShareBytes ? 0 : 1 - p.cacheShareBytes / chainBytes;
}

/** Mean work per evaluated rule when the KUBE-SERVICES chain holds `chainRules` rules. */
export function iptablesPerRuleWork(chainRules: number, p: IptablesCostParams = defaultIptablesCostParams): Work {
  const stalls = (iptablesCacheMissFraction(chainRules, p) * p.missLinesPerRule) / p.memoryLevelParallelism;
  return { cycles: p.ruleCycles, dramMisses: stalls };
}

/**
 * Work per evaluated rule when none of the chain is cached (a cold walk): every rule's lines come
 * from DRAM, `missLinesPerRule / memoryLevelParallelism` DRAM latencies per rule.
 */
export function iptablesPerRuleColdWork(p: IptablesCostParams = defaultIptablesCostParams): Work {
  return { cycles: p.ruleCycles, dramMisses: p.missLinesPerRule / p.memoryLevelParallelism };
}

/** Mean time per evaluated rule, ns. */
export function iptablesPerRuleNs(
  chainRules: number,
  p: IptablesCostParams = defaultIptablesCostParams,
  timing: LookupTimingParams = defaultLookupTimingParams,
): number {
  return lookupWorkNs(iptablesPerRuleWork(chainRules, p), timing);
}

/** What one connection's first packet meets in kube-proxy's iptables rules. */
export interface IptablesFirstPacket {
  /** ClusterIP Service ports programmed on the node (rules in KUBE-SERVICES besides the last). */
  readonly servicePorts: number;
  /** Endpoints of the target Service. */
  readonly endpoints: number;
  /** 1-based index of the target Service port in KUBE-SERVICES; omitted = the mean over a uniform position. */
  readonly servicePosition?: number;
  /** 0-based index of the chosen endpoint; omitted = the mean over a uniform choice. */
  readonly endpointIndex?: number;
  /** The packet is masqueraded (KUBE-MARK-MASQ + KUBE-POSTROUTING). Default false. */
  readonly masquerade?: boolean;
}

/**
 * Netfilter work of the first packet of a connection: rules evaluated x the per-rule work at this
 * ruleset size. With position and endpoint omitted it is the expectation over uniform ones. The
 * whole walk is charged at the KUBE-SERVICES per-rule work (the Service and endpoint chains of
 * one Service are touched once per connection and are no more likely to be cached).
 */
export function iptablesFirstPacketWork(
  packet: IptablesFirstPacket,
  p: IptablesCostParams = defaultIptablesCostParams,
  rules: KubeProxyIptablesRulesParams = defaultKubeProxyIptablesRulesParams,
): Work {
  return scaleWork(iptablesPerRuleWork(kubeServicesChainRules(packet.servicePorts, rules), p), firstPacketRulesEvaluated(packet, rules));
}

/** Rules the first packet evaluates (the mean over uniform position and endpoint when they are omitted). */
function firstPacketRulesEvaluated(packet: IptablesFirstPacket, rules: KubeProxyIptablesRulesParams): number {
  const options = { masquerade: packet.masquerade ?? false, params: rules };
  if (packet.servicePosition === undefined && packet.endpointIndex === undefined) {
    return iptablesMeanFirstPacketRulesEvaluated(packet.servicePorts, packet.endpoints, options);
  }
  if (packet.servicePosition === undefined || packet.endpointIndex === undefined) {
    throw new RangeError('give both servicePosition and endpointIndex, or neither (for the mean)');
  }
  if (packet.servicePosition > packet.servicePorts) {
    throw new RangeError(`servicePosition must be <= servicePorts (${packet.servicePorts}), got ${packet.servicePosition}`);
  }
  return iptablesFirstPacketRulesEvaluated(packet.servicePosition, packet.endpoints, packet.endpointIndex, options);
}

/** The same walk when none of the chain is cached. */
export function iptablesFirstPacketColdWork(
  packet: IptablesFirstPacket,
  p: IptablesCostParams = defaultIptablesCostParams,
  rules: KubeProxyIptablesRulesParams = defaultKubeProxyIptablesRulesParams,
): Work {
  return scaleWork(iptablesPerRuleColdWork(p), firstPacketRulesEvaluated(packet, rules));
}

/** The same, ns. */
export function iptablesFirstPacketNs(
  packet: IptablesFirstPacket,
  p: IptablesCostParams = defaultIptablesCostParams,
  rules: KubeProxyIptablesRulesParams = defaultKubeProxyIptablesRulesParams,
  timing: LookupTimingParams = defaultLookupTimingParams,
): number {
  return lookupWorkNs(iptablesFirstPacketWork(packet, p, rules), timing);
}

/**
 * Netfilter work of an established packet: KUBE-FORWARD up to its ESTABLISHED accept rule,
 * evaluated on every forwarded packet and therefore always cached. The nat table is not consulted.
 */
export function iptablesEstablishedPacketWork(
  p: IptablesCostParams = defaultIptablesCostParams,
  rules: KubeProxyIptablesRulesParams = defaultKubeProxyIptablesRulesParams,
): Work {
  return { cycles: iptablesEstablishedRulesEvaluated(rules) * p.ruleCycles, dramMisses: 0 };
}
