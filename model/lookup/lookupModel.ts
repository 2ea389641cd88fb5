/**
 * The Service-lookup strategy a datapath plugs in as a value: the work the rules or maps that turn
 * a Service address into an endpoint do on the first packet of a connection, on each later packet,
 * and at connect() (socket-LB), as CPU work (model/cpu `Work`, which a datapath times at its core's
 * clock) and, for convenience, in ns at the model's timing (default: the 3.6 GHz reference clock,
 * DRAM at light load). Four implementations: kube-proxy iptables (linear rule walk on the first
 * packet), kube-proxy nftables (verdict maps), Cilium tc (per-packet BPF map lookups) and Cilium
 * socket-LB (translation once at connect()).
 * Not included: the conntrack lookup every packet also pays (model/conntrack), BPF program and
 * tail-call overheads (model/ebpf).
 */
import { NO_WORK, type Work } from '../cpu/workCost.ts';
import { defaultMapLookupParams, type MapLookupParams } from '../ebpf/mapLookup.ts';
import { defaultLookupTimingParams, lookupWorkNs, type LookupTimingParams } from './lookupTiming.ts';
import {
  defaultIptablesCostParams, iptablesEstablishedPacketWork, iptablesFirstPacketColdWork, iptablesFirstPacketWork, type IptablesCostParams,
} from './iptablesLookup.ts';
import { defaultKubeProxyIptablesRulesParams, type KubeProxyIptablesRulesParams } from './kubeProxyIptablesRules.ts';
import {
  defaultNftablesCostParams, nftablesEstablishedPacketWork, nftablesFirstPacketColdWork, nftablesFirstPacketWork, type NftablesCostParams,
} from './nftablesLookup.ts';
import {
  ciliumEstablishedLookupWork,
  ciliumNewConnectionLookupColdWork,
  ciliumNewConnectionLookupWork,
  defaultCiliumServiceLookupParams,
  type CiliumServiceLookupParams,
} from './bpfServiceLookup.ts';
import { socketLbConnectWork, socketLbPacketWork } from './socketLb.ts';

export const LOOKUP_MODEL_NAMES = ['kube-proxy-iptables', 'kube-proxy-nftables', 'cilium-tc', 'cilium-socket-lb'] as const;
export type LookupModelName = (typeof LOOKUP_MODEL_NAMES)[number];

/** What a connection looks up. */
export interface LookupContext {
  /** ClusterIP Service ports programmed on the node (with endpoints). */
  readonly servicePorts: number;
  /** Endpoints (backends) of the target Service. */
  readonly endpoints: number;
  /** iptables only: 1-based position of the target Service in KUBE-SERVICES; omitted = mean over a uniform position. */
  readonly servicePosition?: number;
  /** iptables only: 0-based index of the chosen endpoint; omitted = mean over a uniform choice. */
  readonly endpointIndex?: number;
  /** iptables only: the connection is masqueraded. Default false. */
  readonly masquerade?: boolean;
}

export interface LookupModel {
  readonly name: LookupModelName;
  /** Whether packets (rather than connect()) carry the Service lookup. */
  readonly perPacketServiceLookup: boolean;
  /** Lookup work on the first packet of a connection. */
  firstPacketWork(ctx: LookupContext): Work;
  /** Lookup work on every later packet of the connection. */
  establishedPacketWork(ctx: LookupContext): Work;
  /** Lookup work done once in connect(), outside the packet path (none unless socket-LB). */
  connectWork(ctx: LookupContext): Work;
  /**
   * firstPacketWork and connectWork when none of the structures they read is cached (cold caches,
   * cacheWarmth.ts): the same cycles, every line from DRAM. Later packets read structures their
   * flow keeps hot, so they have no cold variant.
   */
  firstPacketColdWork(ctx: LookupContext): Work;
  connectColdWork(ctx: LookupContext): Work;
  /** firstPacketWork in ns at the model's timing. */
  firstPacketNs(ctx: LookupContext): number;
  /** establishedPacketWork in ns at the model's timing. */
  establishedPacketNs(ctx: LookupContext): number;
  /** connectWork in ns at the model's timing. */
  connectNs(ctx: LookupContext): number;
}

type WorkFns = Pick<LookupModel, 'firstPacketWork' | 'establishedPacketWork' | 'connectWork' | 'firstPacketColdWork' | 'connectColdWork'>;

function model(name: LookupModelName, perPacketServiceLookup: boolean, fns: WorkFns, timing: LookupTimingParams): LookupModel {
  return {
    name,
    perPacketServiceLookup,
    ...fns,
    firstPacketNs: (ctx) => lookupWorkNs(fns.firstPacketWork(ctx), timing),
    establishedPacketNs: (ctx) => lookupWorkNs(fns.establishedPacketWork(ctx), timing),
    connectNs: (ctx) => lookupWorkNs(fns.connectWork(ctx), timing),
  };
}

const none = (): Work => NO_WORK;

export interface IptablesLookupOptions {
  readonly cost?: IptablesCostParams;
  readonly rules?: KubeProxyIptablesRulesParams;
  readonly timing?: LookupTimingParams;
}

export function kubeProxyIptablesLookup(options: IptablesLookupOptions = {}): LookupModel {
  const cost = options.cost ?? defaultIptablesCostParams;
  const rules = options.rules ?? defaultKubeProxyIptablesRulesParams;
  return model(
    'kube-proxy-iptables',
    true,
    {
      firstPacketWork: (ctx) => iptablesFirstPacketWork(ctx, cost, rules),
      establishedPacketWork: () => iptablesEstablishedPacketWork(cost, rules),
      connectWork: none,
      firstPacketColdWork: (ctx) => iptablesFirstPacketColdWork(ctx, cost, rules),
      connectColdWork: none,
    },
    options.timing ?? defaultLookupTimingParams,
  );
}

export interface NftablesLookupOptions {
  readonly cost?: NftablesCostParams;
  readonly timing?: LookupTimingParams;
}

export function kubeProxyNftablesLookup(options: NftablesLookupOptions = {}): LookupModel {
  const cost = options.cost ?? defaultNftablesCostParams;
  return model(
    'kube-proxy-nftables',
    true,
    {
      firstPacketWork: () => nftablesFirstPacketWork(cost),
      establishedPacketWork: () => nftablesEstablishedPacketWork(cost),
      connectWork: none,
      firstPacketColdWork: () => nftablesFirstPacketColdWork(cost),
      connectColdWork: none,
    },
    options.timing ?? defaultLookupTimingParams,
  );
}

export interface CiliumLookupOptions {
  readonly service?: CiliumServiceLookupParams;
  readonly maps?: MapLookupParams;
  readonly timing?: LookupTimingParams;
}

/** Cilium with per-packet load balancing in tc-BPF (kubeProxyReplacement=false, or N-S traffic). */
export function ciliumTcLookup(options: CiliumLookupOptions = {}): LookupModel {
  const service = options.service ?? defaultCiliumServiceLookupParams;
  const maps = options.maps ?? defaultMapLookupParams;
  return model(
    'cilium-tc',
    true,
    {
      firstPacketWork: (ctx) => ciliumNewConnectionLookupWork(ctx.servicePorts, ctx.endpoints, service, maps),
      establishedPacketWork: (ctx) => ciliumEstablishedLookupWork(ctx.servicePorts, ctx.endpoints, service, maps),
      connectWork: none,
      firstPacketColdWork: (ctx) => ciliumNewConnectionLookupColdWork(ctx.servicePorts, ctx.endpoints, service, maps),
      connectColdWork: none,
    },
    options.timing ?? defaultLookupTimingParams,
  );
}

/** Cilium socket-LB: translation at connect(), none per packet. */
export function ciliumSocketLbLookup(options: CiliumLookupOptions = {}): LookupModel {
  const service = options.service ?? defaultCiliumServiceLookupParams;
  const maps = options.maps ?? defaultMapLookupParams;
  return model(
    'cilium-socket-lb',
    false,
    {
      firstPacketWork: socketLbPacketWork,
      establishedPacketWork: socketLbPacketWork,
      connectWork: (ctx) => socketLbConnectWork(ctx.servicePorts, ctx.endpoints, service, maps),
      firstPacketColdWork: socketLbPacketWork,
      connectColdWork: (ctx) => ciliumNewConnectionLookupColdWork(ctx.servicePorts, ctx.endpoints, service, maps),
    },
    options.timing ?? defaultLookupTimingParams,
  );
}

/** The model of that name with default parameters. */
export function lookupModel(name: LookupModelName): LookupModel {
  switch (name) {
    case 'kube-proxy-iptables':
      return kubeProxyIptablesLookup();
    case 'kube-proxy-nftables':
      return kubeProxyNftablesLookup();
    case 'cilium-tc':
      return ciliumTcLookup();
    case 'cilium-socket-lb':
      return ciliumSocketLbLookup();
  }
}
