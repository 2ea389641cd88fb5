/**
 * How many nat-table rules kube-proxy's iptables mode writes, and how many of them the first packet
 * of a connection evaluates. The structure is the current (1.2x+) format from the kube-proxy test
 * fixture (pkg/proxy/iptables/proxier_test.go, TestCleanupLeftovers;
 * docs/sources.md#kube-proxy-nat-rules): per ClusterIP Service port with N endpoints, 1 rule in
 * KUBE-SERVICES, a KUBE-SVC-x chain with 1 masquerade rule + N jumps, and a KUBE-SEP-x chain of 2
 * rules per endpoint (2 + 3N in all); shared: the last KUBE-SERVICES rule (to KUBE-NODEPORTS),
 * KUBE-MARK-MASQ (1) and KUBE-POSTROUTING (3). Only the first packet of a connection walks the nat
 * table; later packets are translated from the conntrack entry and only see KUBE-FORWARD in the
 * filter table.
 */
import { calibratedParams } from '../calibration/index.ts';

export interface KubeProxyIptablesRulesParams {
  /** KUBE-SERVICES rules per Service port with endpoints, rules. Default 1. */
  readonly kubeServicesRulesPerServicePort: number;
  /** Rules after the Service rules in KUBE-SERVICES (the KUBE-NODEPORTS jump), rules. Default 1. */
  readonly kubeServicesTrailingRules: number;
  /** Masquerade rules at the top of each KUBE-SVC-x chain, rules. Default 1. */
  readonly kubeSvcMasqRulesPerService: number;
  /** Jump rules in KUBE-SVC-x per endpoint, rules. Default 1. */
  readonly kubeSvcJumpRulesPerEndpoint: number;
  /** Rules in each KUBE-SEP-x chain, rules. Default 2. */
  readonly kubeSepRulesPerEndpoint: number;
  /** Rules in KUBE-MARK-MASQ, rules. Default 1. */
  readonly kubeMarkMasqRules: number;
  /** Rules in KUBE-POSTROUTING, rules. Default 3. */
  readonly kubePostroutingRules: number;
  /** Position of the RELATED,ESTABLISHED accept rule in KUBE-FORWARD, rules. Default 3. */
  readonly kubeForwardEstablishedRulePosition: number;
}

export const defaultKubeProxyIptablesRulesParams: KubeProxyIptablesRulesParams = calibratedParams({
  kubeServicesRulesPerServicePort: 'lookup.kubeServicesRulesPerServicePort',
  kubeServicesTrailingRules: 'lookup.kubeServicesTrailingRules',
  kubeSvcMasqRulesPerService: 'lookup.kubeSvcMasqRulesPerService',
  kubeSvcJumpRulesPerEndpoint: 'lookup.kubeSvcJumpRulesPerEndpoint',
  kubeSepRulesPerEndpoint: 'lookup.kubeSepRulesPerEndpoint',
  kubeMarkMasqRules: 'lookup.kubeMarkMasqRules',
  kubePostroutingRules: 'lookup.kubePostroutingRules',
  kubeForwardEstablishedRulePosition: 'lookup.kubeForwardEstablishedRulePosition',
});

function requireCount(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
}

/**
 * Rules of one Service port with `endpoints` endpoints: 2 + 3N with the default structure. A Service
 * without endpoints has no nat rules (kube-proxy writes a REJECT rule in the filter table instead).
 */
export function natRulesPerServicePort(endpoints: number, p: KubeProxyIptablesRulesParams = defaultKubeProxyIptablesRulesParams): number {
  requireCount('endpoints', endpoints, 0);
  if (endpoints === 0) return 0;
  return (
    p.kubeServicesRulesPerServicePort +
    p.kubeSvcMasqRulesPerService +
    endpoints * (p.kubeSvcJumpRulesPerEndpoint + p.kubeSepRulesPerEndpoint)
  );
}

/** The shared nat rules: the KUBE-NODEPORTS jump, KUBE-MARK-MASQ and KUBE-POSTROUTING (5 by default). */
export function sharedNatRules(p: KubeProxyIptablesRulesParams = defaultKubeProxyIptablesRulesParams): number {
  return p.kubeServicesTrailingRules + p.kubeMarkMasqRules + p.kubePostroutingRules;
}

/**
 * Rules in kube-proxy's nat table for `services` ClusterIP Service ports. `endpointsPerService` is
 * either one count for every Service port or one count per Service port (length = services).
 */
export function natRuleCount(
  services: number,
  endpointsPerService: number | readonly number[],
  p: KubeProxyIptablesRulesParams = defaultKubeProxyIptablesRulesParams,
): number {
  requireCount('services', services, 0);
  let perService = 0;
  if (typeof endpointsPerService === 'number') {
    perService = services * natRulesPerServicePort(endpointsPerService, p);
  } else {
    if (endpointsPerService.length !== services) {
      throw new RangeError(`endpointsPerService has ${endpointsPerService.length} counts, expected one per Service port (${services})`);
    }
    for (const n of endpointsPerService) perService += natRulesPerServicePort(n, p);
  }
  return perService + sharedNatRules(p);
}

/** Rules in the KUBE-SERVICES chain: one per Service port with endpoints plus the trailing rule. */
export function kubeServicesChainRules(servicePorts: number, p: KubeProxyIptablesRulesParams = defaultKubeProxyIptablesRulesParams): number {
  requireCount('servicePorts', servicePorts, 0);
  return servicePorts * p.kubeServicesRulesPerServicePort + p.kubeServicesTrailingRules;
}

export interface FirstPacketRuleOptions {
  /**
   * The packet is masqueraded (source outside the cluster CIDR, or hairpin): it also runs
   * KUBE-MARK-MASQ and all of KUBE-POSTROUTING. Default false (pod-to-Service traffic), which
   * evaluates only KUBE-POSTROUTING's first rule (RETURN when unmarked).
   */
  readonly masquerade?: boolean;
  readonly params?: KubeProxyIptablesRulesParams;
}

/**
 * nat rules the first packet of a connection evaluates: KUBE-SERVICES rules 1..positionOfService
 * (the last of them matches), the KUBE-SVC masquerade rule, the statistic rules up to and including
 * the chosen endpoint's (0-based `chosenEndpointIndex`), the 2 KUBE-SEP rules, and in POSTROUTING
 * KUBE-POSTROUTING's first rule (or, when masquerading, KUBE-MARK-MASQ and all of KUBE-POSTROUTING).
 * Jump rules in the built-in chains (PREROUTING/OUTPUT → KUBE-SERVICES) are not counted.
 */
export function iptablesFirstPacketRulesEvaluated(
  positionOfService: number,
  endpoints: number,
  chosenEndpointIndex: number,
  options: FirstPacketRuleOptions = {},
): number {
  const p = options.params ?? defaultKubeProxyIptablesRulesParams;
  requireCount('positionOfService', positionOfService, 1);
  requireCount('endpoints', endpoints, 1);
  requireCount('chosenEndpointIndex', chosenEndpointIndex, 0);
  if (chosenEndpointIndex >= endpoints) {
    throw new RangeError(`chosenEndpointIndex must be below endpoints (${endpoints}), got ${chosenEndpointIndex}`);
  }
  const postrouting = options.masquerade ? p.kubeMarkMasqRules + p.kubePostroutingRules : 1;
  return (
    positionOfService * p.kubeServicesRulesPerServicePort +
    p.kubeSvcMasqRulesPerService +
    (chosenEndpointIndex + 1) * p.kubeSvcJumpRulesPerEndpoint +
    p.kubeSepRulesPerEndpoint +
    postrouting
  );
}

/**
 * The mean of iptablesFirstPacketRulesEvaluated when the target Service's position is uniform over
 * the `servicePorts` rules of KUBE-SERVICES and the endpoint is uniform over `endpoints` (the
 * statistic rules pick each endpoint with probability 1/N): positions average (S + 1) / 2 and the
 * statistic rules walked average (N + 1) / 2.
 */
export function iptablesMeanFirstPacketRulesEvaluated(
  servicePorts: number,
  endpoints: number,
  options: FirstPacketRuleOptions = {},
): number {
  requireCount('servicePorts', servicePorts, 1);
  requireCount('endpoints', endpoints, 1);
  const half = 0.5; // calibration-exempt: a rule placed uniformly in the chain sits halfway down it on average
  // Linear in position and index, so the mean rule count is the count at the mean position/index.
  const p = options.params ?? defaultKubeProxyIptablesRulesParams;
  const postrouting = options.masquerade ? p.kubeMarkMasqRules + p.kubePostroutingRules : 1;
  return (
    (servicePorts + 1) * half * p.kubeServicesRulesPerServicePort +
    p.kubeSvcMasqRulesPerService +
    (endpoints + 1) * half * p.kubeSvcJumpRulesPerEndpoint +
    p.kubeSepRulesPerEndpoint +
    postrouting
  );
}

/** Filter rules an established, unmarked packet evaluates: KUBE-FORWARD up to its ESTABLISHED accept. */
export function iptablesEstablishedRulesEvaluated(p: KubeProxyIptablesRulesParams = defaultKubeProxyIptablesRulesParams): number {
  return p.kubeForwardEstablishedRulePosition;
}
