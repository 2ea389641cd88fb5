/**
 * How long one kube-proxy sync takes, as a function of the ruleset and of what changed.
 *
 * iptables mode writes its rules with one iptables-restore. A full sync writes every Service's
 * chains; a partial sync (MinimizeIPTablesRestore, KEP-3453) writes KUBE-SERVICES in full (it must
 * name every rule of a chain it touches) plus the KUBE-SVC and KUBE-SEP chains of the Services that
 * changed. Lines of input = rules + one declaration per chain (one KUBE-SVC chain per Service port,
 * one KUBE-SEP chain per endpoint), with the rule counts of model/lookup (2 + 3E nat rules per
 * Service port). Restore time = fixed + lines x time per line: a straight line through the one
 * published timing (695,992 lines in 12.8 s, kubernetes/kubernetes #96018): **fitted through one
 * point, its shape an assumption** (the KEPs publish no curve; docs/sources.md#kube-proxy-sync).
 * Both modes also rebuild their rules in memory for every Service port on every sync.
 *
 * nftables mode updates in one transaction: O(Services in the table) (the 141 ms to add one
 * Service with 10k present, PR #126013) plus time per rewritten element (Service or endpoint) of
 * the changed Services, or of all of them in a full sync (issue #135639's full sync gives the
 * per-element time). **Derived from two reported points; the per-element time is from a slow case.**
 */
import { calibrated, calibratedParams } from '../calibration/index.ts';
import { kubeServicesChainRules, natRulesPerServicePort, sharedNatRules } from '../lookup/kubeProxyIptablesRules.ts';

export type KubeProxyMode = 'iptables' | 'nftables';
export const KUBE_PROXY_MODES: readonly KubeProxyMode[] = ['iptables', 'nftables'];

export interface KubeProxySyncCostParams {
  /** iptables-restore time per input line, s. */
  readonly iptablesRestoreSecPerLine: number;
  /** iptables-restore time per call besides its lines, s. */
  readonly iptablesRestoreFixedSec: number;
  /** In-memory rule generation per Service port per sync (both modes), s. */
  readonly computeSecPerServicePort: number;
  /** nftables transaction time per Service in the table, s. */
  readonly nftablesSecPerServiceInTable: number;
  /** nftables time per rewritten Service or endpoint element, s. */
  readonly nftablesSecPerChangedElement: number;
}

export const defaultKubeProxySyncCostParams: KubeProxySyncCostParams = calibratedParams({
  iptablesRestoreSecPerLine: 'controlPlane.iptablesRestoreSecPerLine',
  iptablesRestoreFixedSec: 'controlPlane.iptablesRestoreFixedSec',
  computeSecPerServicePort: 'controlPlane.kubeProxyComputeSecPerServicePort',
  nftablesSecPerServiceInTable: 'controlPlane.nftablesSyncSecPerServiceInTable',
  nftablesSecPerChangedElement: 'controlPlane.nftablesSecPerChangedElement',
});

/** The published restore timing the iptables line is fitted through: { lines, seconds }. */
export function iptablesRestoreCheckPoint(): { readonly lines: number; readonly seconds: number } {
  return { lines: calibrated('controlPlane.iptablesRestoreCheckLines'), seconds: calibrated('controlPlane.iptablesRestoreCheckSec') };
}

function requireCount(name: string, v: number, min: number): void {
  if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
}

/** Lines of one Service port's own chains: its nat rules outside KUBE-SERVICES plus its chain declarations. */
function serviceChainLines(endpoints: number): number {
  const ownRules = natRulesPerServicePort(endpoints) - (endpoints > 0 ? kubeServicesChainRules(1) - kubeServicesChainRules(0) : 0);
  const chains = endpoints > 0 ? 1 + endpoints : 0;
  return ownRules + chains;
}

/**
 * Lines of iptables-restore input for `services` Service ports of `endpoints` endpoints each when
 * `changedServices` of them changed (a full sync writes all of them).
 */
export function iptablesRestoreLines(services: number, endpoints: number, changedServices: number, full: boolean): number {
  requireCount('services', services, 0);
  requireCount('endpoints', endpoints, 0);
  requireCount('changedServices', changedServices, 0);
  const written = full ? services : Math.min(changedServices, services);
  const kubeServicesRules = kubeServicesChainRules(services) - kubeServicesChainRules(0);
  return kubeServicesRules + sharedNatRules() + written * serviceChainLines(endpoints);
}

/** Time of one iptables-mode sync, s. */
export function iptablesSyncSec(services: number, endpoints: number, changedServices: number, full: boolean, p: KubeProxySyncCostParams = defaultKubeProxySyncCostParams): number {
  const lines = iptablesRestoreLines(services, endpoints, changedServices, full);
  return p.computeSecPerServicePort * services + p.iptablesRestoreFixedSec + p.iptablesRestoreSecPerLine * lines;
}

/** Time of one nftables-mode sync, s. */
export function nftablesSyncSec(services: number, endpoints: number, changedServices: number, full: boolean, p: KubeProxySyncCostParams = defaultKubeProxySyncCostParams): number {
  requireCount('services', services, 0);
  requireCount('endpoints', endpoints, 0);
  requireCount('changedServices', changedServices, 0);
  const written = full ? services : Math.min(changedServices, services);
  return p.computeSecPerServicePort * services + p.nftablesSecPerServiceInTable * services + p.nftablesSecPerChangedElement * written * (1 + endpoints);
}

/** Time of one sync in either mode, s. */
export function kubeProxySyncSec(
  mode: KubeProxyMode, services: number, endpoints: number, changedServices: number, full: boolean,
  p: KubeProxySyncCostParams = defaultKubeProxySyncCostParams,
): number {
  return mode === 'iptables' ? iptablesSyncSec(services, endpoints, changedServices, full, p) : nftablesSyncSec(services, endpoints, changedServices, full, p);
}
