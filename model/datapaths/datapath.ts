/**
 * The four datapaths as values: each is a composition of strategy components (no subclassing):
 * a Service-lookup strategy (model/lookup), a connection-tracking table kind (model/conntrack),
 * how the node runs BPF (model/ebpf, Cilium only) and a few facts about where on the path things
 * happen. The per-packet work is composed from these values in packetCosts.ts; simulatePath runs it.
 *
 * | datapath | Service translation | conntrack | BPF programs | into the pod |
 * |---|---|---|---|---|
 * | kube-proxy-iptables | first packet walks KUBE-SERVICES (O(#Services)); all packets KUBE-FORWARD | nf_conntrack | none | veth |
 * | kube-proxy-nftables | first packet: verdict maps (O(1)); all packets a few ct-state rules | nf_conntrack | none | veth |
 * | cilium-tc | every client->Service packet: service + backend map lookups in tc BPF | Cilium CT (2 entries/conn) | bpf_lxc, bpf_host | bpf_redirect_peer |
 * | cilium-socket-lb | once, at connect(); no packet looks a Service up | Cilium CT | bpf_lxc, bpf_host | bpf_redirect_peer |
 */
import { ciliumSocketLbLookup, ciliumTcLookup, kubeProxyIptablesLookup, kubeProxyNftablesLookup, type LookupModel } from '../lookup/lookupModel.ts';
import { ciliumServiceMapEntries, defaultCiliumServiceLookupParams, type CiliumServiceLookupParams } from '../lookup/bpfServiceLookup.ts';
import type { EndpointSelectionKind } from '../lookup/endpointSelection.ts';
import type { ConntrackImpl } from '../conntrack/conntrackPolicy.ts';
import { ebpfModel, type EbpfModel } from '../ebpf/ebpfModel.ts';
import { htabBucketCount } from '../ebpf/mapLookup.ts';
import { specKernelVersion, type DatapathName, type DatapathSpec } from './datapathSpec.ts';
import { defaultCiliumPathMapParams, type CiliumPathMapParams } from './pathParams.ts';

export type ServiceTranslation = 'first-packet' | 'every-packet' | 'connect';

export interface Datapath {
  readonly name: DatapathName;
  /** Turns a Service address into an endpoint (model/lookup strategy). */
  readonly lookup: LookupModel;
  /** The node's connection-tracking table (model/conntrack policy kind). */
  readonly conntrack: ConntrackImpl;
  /** How the node runs BPF (model/ebpf strategy); undefined when no BPF program is on the path. */
  readonly bpf: EbpfModel | undefined;
  /** Where the Service address is translated. */
  readonly translation: ServiceTranslation;
  /** Conntrack entries one connection occupies (Cilium per-packet LB keeps a service entry too). */
  readonly ctEntriesPerConnection: number;
  /** CT table lookups of one client->Service packet (the first packet's is a create). */
  readonly ctLookupsPerServicePacket: number;
  /** Packets enter the pod by bpf_redirect_peer, skipping the veth backlog (Cilium eBPF host routing). */
  readonly redirectPeerIngress: boolean;
  /** The lookup's per-packet filter rules (KUBE-FORWARD, nft ct-state rules) run on every forwarded packet, both directions, both nodes. */
  readonly filterRulesOnEveryPacket: boolean;
  /** How a new connection's endpoint is picked. */
  readonly endpointSelection: EndpointSelectionKind;
  /** max_entries of Cilium's LB maps (bpf-lb-map-max, raised to fit the Services); undefined for kube-proxy. */
  readonly lbMapMaxEntries: number | undefined;
}

/** kube-proxy in iptables mode: nf_conntrack + the nat-table walk on each new connection. */
export function kubeProxyIptablesDatapath(): Datapath {
  return Object.freeze({
    name: 'kube-proxy-iptables' as const,
    lookup: kubeProxyIptablesLookup(),
    conntrack: 'nf_conntrack' as const,
    bpf: undefined,
    translation: 'first-packet' as const,
    ctEntriesPerConnection: 1,
    ctLookupsPerServicePacket: 1,
    redirectPeerIngress: false,
    filterRulesOnEveryPacket: true,
    endpointSelection: 'iptables-statistic' as const,
    lbMapMaxEntries: undefined,
  });
}

/** kube-proxy in nftables mode: nf_conntrack + verdict-map lookups on each new connection. */
export function kubeProxyNftablesDatapath(): Datapath {
  return Object.freeze({
    ...kubeProxyIptablesDatapath(),
    name: 'kube-proxy-nftables' as const,
    lookup: kubeProxyNftablesLookup(),
    // numgen random mod N: a uniform choice, like Cilium's.
    endpointSelection: 'cilium-random' as const,
  });
}

/**
 * bpf-lb-map-max as an operator must set it: the default, or the next power of two that holds the
 * service map (1 master + N slots per Service port); Cilium refuses to program more than max_entries.
 */
export function ciliumLbMapMaxEntries(services: number, endpoints: number, p: CiliumServiceLookupParams = defaultCiliumServiceLookupParams): number {
  return Math.max(p.lbMapMaxEntries, htabBucketCount(ciliumServiceMapEntries(services, endpoints)));
}

export interface CiliumDatapathOptions {
  readonly ebpf: EbpfModel;
  readonly services: number;
  readonly endpoints: number;
  readonly maps?: CiliumPathMapParams;
}

function ciliumBase(o: CiliumDatapathOptions): Omit<Datapath, 'name' | 'lookup' | 'translation' | 'ctEntriesPerConnection' | 'ctLookupsPerServicePacket'> & { service: CiliumServiceLookupParams } {
  const lbMapMaxEntries = ciliumLbMapMaxEntries(o.services, o.endpoints);
  return {
    conntrack: 'cilium-ct',
    bpf: o.ebpf,
    redirectPeerIngress: true,
    filterRulesOnEveryPacket: false,
    endpointSelection: 'cilium-random',
    lbMapMaxEntries,
    service: { ...defaultCiliumServiceLookupParams, lbMapMaxEntries },
  };
}

/** Cilium with per-packet load balancing in tc BPF (kubeProxyReplacement=false for ClusterIP). */
export function ciliumTcDatapath(o: CiliumDatapathOptions): Datapath {
  const { service, ...base } = ciliumBase(o);
  return Object.freeze({
    ...base,
    name: 'cilium-tc' as const,
    lookup: ciliumTcLookup({ service }),
    translation: 'every-packet' as const,
    ctEntriesPerConnection: 2,
    ctLookupsPerServicePacket: (o.maps ?? defaultCiliumPathMapParams).tcCtLookupsPerServicePacket,
  });
}

/** Cilium with socket-LB: translation once at connect(); packets pay CT, policy and tail calls only. */
export function ciliumSocketLbDatapath(o: CiliumDatapathOptions): Datapath {
  const { service, ...base } = ciliumBase(o);
  return Object.freeze({
    ...base,
    name: 'cilium-socket-lb' as const,
    lookup: ciliumSocketLbLookup({ service }),
    translation: 'connect' as const,
    ctEntriesPerConnection: 1,
    ctLookupsPerServicePacket: 1,
  });
}

/** The connection-tracking table a datapath keeps: Cilium's CT map under Cilium, nf_conntrack under kube-proxy (as datapathFor's `conntrack`). */
export function conntrackImplOf(datapath: DatapathName): ConntrackImpl {
  return datapath === 'cilium-tc' || datapath === 'cilium-socket-lb' ? 'cilium-ct' : 'nf_conntrack';
}

/** The datapath a spec names, with its eBPF model (JIT, kernel, stats) from the spec. */
export function datapathFor(spec: DatapathSpec, maps: CiliumPathMapParams = defaultCiliumPathMapParams): Datapath {
  switch (spec.datapath) {
    case 'kube-proxy-iptables':
      return kubeProxyIptablesDatapath();
    case 'kube-proxy-nftables':
      return kubeProxyNftablesDatapath();
    case 'cilium-tc':
    case 'cilium-socket-lb': {
      const ebpf = ebpfModel({ jit: spec.jit, kernelVersion: specKernelVersion(spec), statsEnabled: spec.bpfStatsEnabled });
      const o = { ebpf, services: spec.services, endpoints: spec.endpointsPerService, maps };
      return spec.datapath === 'cilium-tc' ? ciliumTcDatapath(o) : ciliumSocketLbDatapath(o);
    }
  }
}
