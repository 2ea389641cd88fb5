/**
 * The nat rules kube-proxy's iptables mode writes for one Service port program, beyond the
 * ClusterIP rules of model/lookup/kubeProxyIptablesRules.ts (2 + 3N): external IPs, load-balancer
 * ingress IPs, NodePorts and ClientIP session affinity. The structure is the current (1.2x+) format
 * of pkg/proxy/iptables/proxier.go as its test fixtures show it (TestOverallIPTablesRules;
 * docs/sources.md#kube-proxy-nat-rules):
 *   - each external IP and each load-balancer ingress IP: one KUBE-SERVICES rule;
 *   - a NodePort: one KUBE-NODEPORTS rule;
 *   - any of the three: a KUBE-EXT-x chain: 2 rules (masquerade, jump to KUBE-SVC-x) with
 *     externalTrafficPolicy Cluster; 3 with Local (pod traffic, masquerade and route LOCAL traffic;
 *     a node with local endpoints adds a jump and a KUBE-SVL-x chain, which depend on the node and
 *     are not counted);
 *   - loadBalancerSourceRanges: a KUBE-FW-x chain, one rule per range plus the final one;
 *   - sessionAffinity ClientIP: one `-m recent --rcheck` rule per endpoint in KUBE-SVC-x.
 * A program without usable endpoints writes no nat rules (a REJECT in the filter table instead).
 */
import { defaultKubeProxyIptablesRulesParams, natRulesPerServicePort, type KubeProxyIptablesRulesParams } from '../lookup/kubeProxyIptablesRules.ts';

/** What kube-proxy needs to know of one Service port program to write its rules. */
export interface ServicePortProgram {
  /** Usable endpoints (ready, or serving and terminating when none is ready). */
  readonly endpoints: number;
  readonly externalIps: number;
  readonly loadBalancerIps: number;
  /** The port has a NodePort (type NodePort, or LoadBalancer allocating node ports). */
  readonly nodePort: boolean;
  readonly externalTrafficLocal: boolean;
  readonly loadBalancerSourceRanges: number;
  readonly clientIpAffinity: boolean;
}

/** Rules of a KUBE-EXT-x chain with externalTrafficPolicy Local on a node without local endpoints. */
const EXT_LOCAL_RULES = 3; // calibration-exempt: a count of rules in kube-proxy's format (pod traffic, masquerade LOCAL, route LOCAL)

function requireCount(name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value >= 0)) throw new RangeError(`${name} must be an integer >= 0, got ${value}`);
}

function checkProgram(p: ServicePortProgram): void {
  requireCount('endpoints', p.endpoints);
  requireCount('externalIps', p.externalIps);
  requireCount('loadBalancerIps', p.loadBalancerIps);
  requireCount('loadBalancerSourceRanges', p.loadBalancerSourceRanges);
}

/** KUBE-SERVICES rules of the program: its ClusterIP rule and one per external and load-balancer IP (none without endpoints). */
export function kubeServicesRulesOfProgram(p: ServicePortProgram, params: KubeProxyIptablesRulesParams = defaultKubeProxyIptablesRulesParams): number {
  checkProgram(p);
  if (p.endpoints === 0) return 0;
  return params.kubeServicesRulesPerServicePort + p.externalIps + p.loadBalancerIps;
}

/** Every nat rule of the program (0 without endpoints). */
export function natRulesOfProgram(p: ServicePortProgram, params: KubeProxyIptablesRulesParams = defaultKubeProxyIptablesRulesParams): number {
  checkProgram(p);
  if (p.endpoints === 0) return 0;
  let rules = natRulesPerServicePort(p.endpoints, params) + p.externalIps + p.loadBalancerIps;
  if (p.clientIpAffinity) rules += p.endpoints;
  const external = p.externalIps > 0 || p.loadBalancerIps > 0 || p.nodePort;
  if (p.nodePort) rules += 1;
  if (external) rules += p.externalTrafficLocal ? EXT_LOCAL_RULES : 2;
  if (p.loadBalancerIps > 0 && p.loadBalancerSourceRanges > 0) rules += p.loadBalancerSourceRanges + 1;
  return rules;
}
