/**
 * A cluster profile: what a real cluster programs into its Service datapath, read from the dumps a
 * user can take with standard tools (`svcpath import`, experiments/cluster/) and written as one
 * JSON file that every command takes with `--cluster`. The profile is a summary, never the objects
 * themselves: counts, distributions and the few settings that change the model.
 *
 * Vocabulary. A *Service port program* is what kube-proxy writes for one (Service, port, IP family):
 * a ClusterIP Service with two ports and two families is four programs. Headless and ExternalName
 * Services program nothing. A program's *usable endpoints* are the endpoints kube-proxy sends new
 * connections to: the ready ones, or, when none is ready, the serving ones that are terminating
 * (kube-proxy's terminating-endpoints fallback). Only programs with at least one usable endpoint get
 * nat rules (a program without one gets a REJECT rule in the filter table instead).
 *
 * The JSON schema lives in experiments/cluster/profileSchema.ts (zod), which checks a file against
 * these types; the fields are documented here.
 */

export const CLUSTER_PROFILE_SCHEMA = 'svcpath.cluster-profile/v1';

export type IpFamily = 'IPv4' | 'IPv6';
export const IP_FAMILIES: readonly IpFamily[] = ['IPv4', 'IPv6'];

/** How kube-proxy (or its replacement) programs Services on the nodes. */
export type ProxyMode = 'iptables' | 'nftables' | 'ipvs' | 'cilium-kube-proxy-replacement' | 'unknown';
export const PROXY_MODES: readonly ProxyMode[] = ['iptables', 'nftables', 'ipvs', 'cilium-kube-proxy-replacement', 'unknown'];

/** Mean and percentiles of a count over Service port programs (nearest rank). All 0 when there is none. */
export interface CountSummary {
  readonly mean: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** The programs of one IP family. */
export interface FamilyProfile {
  /** Service port programs of this family (ClusterIP Services, not headless or ExternalName). */
  readonly servicePorts: number;
  /** Those with at least one usable endpoint (the ones with nat rules). */
  readonly servicePortsWithEndpoints: number;
  /** Usable endpoints per program, over the programs with endpoints. */
  readonly endpointsPerServicePort: CountSummary;
  /** [usable endpoints, programs] pairs, ascending, over the programs with endpoints. */
  readonly endpointsHistogram: readonly (readonly [number, number])[];
  /** Endpoints of this family's slices by condition (an endpoint can be serving and terminating). */
  readonly endpoints: { readonly ready: number; readonly serving: number; readonly terminating: number; readonly usable: number };
  /**
   * KUBE-SERVICES rules kube-proxy's iptables mode writes for these objects: per program with
   * endpoints, one ClusterIP rule plus one per external IP and per load-balancer ingress IP, plus
   * the trailing KUBE-NODEPORTS jump.
   */
  readonly kubeServicesRulesPredicted: number;
  /** Every nat rule kube-proxy's iptables mode writes for these objects (kubeProxyServiceRules.ts). */
  readonly natRulesPredicted: number;
}

/** What an `iptables-save` (or `ip6tables-save`) dump of the nat table shows. */
export interface IptablesProfile {
  readonly family: IpFamily;
  readonly file: string;
  /** Rules in the nat table's KUBE-SERVICES chain, the trailing KUBE-NODEPORTS jump included. */
  readonly kubeServicesRules: number;
  /**
   * 1-based position in KUBE-SERVICES of each Service port program's ClusterIP rule (its jump to
   * KUBE-SVC-x or KUBE-SVL-x), ascending: how far the first packet of a connection to it walks.
   */
  readonly servicePositions: readonly number[];
  /** Service port programs with nat rules (KUBE-SVC/KUBE-SVL chains reached from KUBE-SERVICES). */
  readonly servicePortsWithEndpoints: number;
  /** Endpoints per program: jumps from its KUBE-SVC chain to KUBE-SEP chains. */
  readonly endpointsPerServicePort: CountSummary;
  readonly endpointsHistogram: readonly (readonly [number, number])[];
  /** Rules in the nat table, all chains; those in kube-proxy's chains (KUBE-*). */
  readonly natRules: number;
  readonly kubeProxyNatRules: number;
  /** Rules per kube-proxy chain kind: KUBE-SERVICES, KUBE-SVC, KUBE-SVL, KUBE-SEP, KUBE-EXT, KUBE-FW, KUBE-NODEPORTS, KUBE-MARK-MASQ, KUBE-POSTROUTING, other KUBE-*. */
  readonly rulesByChainKind: Readonly<Record<string, number>>;
  /** KUBE-SERVICES rules that are not ClusterIP jumps (external IPs, load-balancer IPs, masquerade rules of older releases), trailing jump excluded. */
  readonly otherKubeServicesRules: number;
  /** Programs whose own rules (1 + 1 + N + 2N) differ from kubeProxyIptablesRules' 2 + 3N. */
  readonly programsNotMatchingModel: number;
  /** Service ports the filter table REJECTs for having no endpoints (when the dump holds the filter table). */
  readonly servicePortsWithoutEndpoints: number | null;
}

/** What `nft list ruleset` shows of kube-proxy's nftables tables. */
export interface NftablesProfile {
  readonly family: IpFamily;
  readonly file: string;
  /** Elements of the service-ips verdict map (ClusterIP, external and load-balancer IPs with endpoints). */
  readonly serviceIpsElements: number;
  /** service-* chains with an endpoint dispatch (numgen ... vmap), i.e. programs with endpoints. */
  readonly servicePortsWithEndpoints: number;
  readonly endpointsPerServicePort: CountSummary;
  readonly endpointsHistogram: readonly (readonly [number, number])[];
  /** Elements of the no-endpoint-services map. */
  readonly noEndpointServices: number;
  readonly chains: number;
  readonly rules: number;
}

/** What `cilium service list` or `cilium bpf lb list` shows. */
export interface CiliumLbProfile {
  readonly file: string;
  readonly source: 'service-list' | 'bpf-lb-list';
  /** Frontends (address:port[/proto]) in the LB service map. */
  readonly frontends: number;
  /** Frontends by type (ClusterIP, NodePort, LoadBalancer, ExternalIPs, HostPort, LocalRedirect, ...). */
  readonly frontendsByType: Readonly<Record<string, number>>;
  /** Backends per frontend, over frontends with at least one backend. */
  readonly backendsPerFrontend: CountSummary;
  /** Backend slots in the LB map (sum over frontends). */
  readonly backendSlots: number;
}

/** One class of nodes: same cores, memory, kernel and instance type. */
export interface NodeClass {
  /** Instance type (node.kubernetes.io/instance-type) or "<cores>c-<GiB>g", with the kernel when a type has several. */
  readonly name: string;
  readonly count: number;
  /** status.capacity.cpu rounded to whole cores ("7910m" is 8), at least 1. */
  readonly cpuCores: number;
  /** status.capacity.memory of the class's smallest node, B. */
  readonly memoryBytes: number;
  /** status.nodeInfo.kernelVersion as the node reports it ("5.15.0-1051-aws"). */
  readonly kernelVersion: string;
  readonly architecture: string | null;
  readonly instanceType: string | null;
  /** The spec.providerID scheme (aws, gce, azure, ...), null when none. */
  readonly provider: string | null;
  /** Nodes of the class carrying a control-plane role label. */
  readonly controlPlaneNodes: number;
  /** The node preset the model uses for the class: a cloud VM when the provider is a public cloud. */
  readonly nodePreset: 'bare-metal-10g' | 'cloud-up-to-10g';
  /** Highest clock, GHz, when known (nodes do not report it: null unless a user fills it in). */
  readonly cpuGhz: number | null;
  /** Up to a few node names, for the user to recognise the class. */
  readonly exampleNodes: readonly string[];
}

export interface KubeProxySettings {
  /** The configured mode as written ("" means the platform default, iptables on Linux). */
  readonly configuredMode: string | null;
  readonly minSyncPeriodSec: number | null;
  readonly syncPeriodSec: number | null;
  readonly conntrackMaxPerCore: number | null;
  readonly conntrackMin: number | null;
  /** Where the settings came from: "ConfigMap kube-system/kube-proxy", "DaemonSet kube-system/kube-proxy args". */
  readonly from: readonly string[];
}

export interface CiliumSettings {
  /** kube-proxy-replacement as configured ("true", "false", "strict", "partial", "probe", "disabled"). */
  readonly kubeProxyReplacement: string | null;
  /** Socket-level load balancing (bpf-lb-sock): null when not said (on by default with kube-proxy replacement). */
  readonly socketLb: boolean | null;
  readonly ctGlobalTcpMax: number | null;
  readonly ctGlobalAnyMax: number | null;
  readonly mapDynamicSizeRatio: number | null;
  readonly from: readonly string[];
}

export interface ProxyProfile {
  readonly mode: ProxyMode;
  /** The model's datapath for this mode (null for ipvs and unknown: not modelled). */
  readonly datapath: 'kube-proxy-iptables' | 'kube-proxy-nftables' | 'cilium-tc' | 'cilium-socket-lb' | null;
  /** Why: which object or dump decided. */
  readonly decidedBy: string;
  readonly kubeProxy: KubeProxySettings | null;
  readonly cilium: CiliumSettings | null;
}

export interface ServiceCounts {
  readonly total: number;
  readonly clusterIP: number;
  readonly nodePort: number;
  readonly loadBalancer: number;
  readonly externalName: number;
  readonly headless: number;
  readonly withoutSelector: number;
  readonly dualStack: number;
  readonly ipv6Only: number;
  readonly withExternalIPs: number;
  /** Ports of the Services kube-proxy programs (each port once, whatever the families). */
  readonly ports: number;
}

export interface ClusterProfile {
  readonly schema: typeof CLUSTER_PROFILE_SCHEMA;
  readonly name: string;
  /** The files read, each with the format recognised and the objects or lines used. */
  readonly sources: readonly { readonly file: string; readonly format: string; readonly used: number }[];
  /** Objects used, by kind. */
  readonly objects: Readonly<Record<string, number>>;
  /** Objects and lines not used, by reason (unknown kinds, custom resources, FQDN slices, ...). */
  readonly skipped: Readonly<Record<string, number>>;
  /** Things the user should know (dump disagreements, assumptions), at most a few dozen. */
  readonly warnings: readonly string[];
  readonly proxyMode: ProxyMode;
  readonly proxy: ProxyProfile;
  readonly services: ServiceCounts;
  /** The family the headline numbers and the model use: the one with the most programs (IPv4 on a tie). */
  readonly primaryFamily: IpFamily;
  /** Headline, primary family: Service port programs, those with endpoints, endpoints per program. */
  readonly servicePorts: number;
  readonly servicePortsWithEndpoints: number;
  readonly endpointsPerServicePort: CountSummary;
  /** Per family; null for a family without programs. */
  readonly families: Readonly<Record<IpFamily, FamilyProfile | null>>;
  /** KUBE-SERVICES length from iptables-save (primary family), null without the dump. */
  readonly kubeServicesRules: number | null;
  /** KUBE-SERVICES positions from iptables-save (primary family), null without the dump. */
  readonly servicePositions: readonly number[] | null;
  readonly iptables: readonly IptablesProfile[];
  readonly nftables: readonly NftablesProfile[];
  readonly ciliumLb: readonly CiliumLbProfile[];
  /** Connection-tracking entries counted on one node (conntrack -C, or cilium bpf ct list global | wc -l). */
  readonly conntrackEntries: number | null;
  readonly nodes: number;
  readonly nodeClasses: readonly NodeClass[];
}
