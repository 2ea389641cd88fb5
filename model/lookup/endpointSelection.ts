/**
 * How a datapath picks one of a Service's N endpoints for a new connection
 * (docs/sources.md#kube-proxy-endpoint-selection, #cilium-socket-lb):
 * - kube-proxy iptables: statistic-mode rules; rule i (0-based) matches with probability 1/(N − i)
 *   and the last is unconditional, so every endpoint has probability 1/N and the walk is i + 1 rules.
 * - kube-proxy IPVS: the `rr` scheduler, round-robin (the only deterministic case).
 * - Cilium: random choice of a backend slot (the default; Maglev only for N-S traffic).
 * Samplers are bound to a RandomStream once; each call consumes draws from it.
 */
import type { RandomStream } from '../engine/index.ts';

export type EndpointSelectionKind = 'iptables-statistic' | 'ipvs-rr' | 'cilium-random';

export interface EndpointSelector {
  readonly kind: EndpointSelectionKind;
  /** The 0-based endpoint chosen for the next new connection to a Service with `endpoints` endpoints. */
  next(endpoints: number): number;
}

function requireEndpoints(endpoints: number): void {
  if (!Number.isSafeInteger(endpoints) || endpoints < 1) throw new RangeError(`endpoints must be an integer >= 1, got ${endpoints}`);
}

/** Match probability that kube-proxy writes on statistic rule `i` (0-based) of `endpoints`: 1/(N − i). */
export function iptablesStatisticProbability(i: number, endpoints: number): number {
  requireEndpoints(endpoints);
  if (!Number.isSafeInteger(i) || i < 0 || i >= endpoints) throw new RangeError(`i must be an integer in [0, ${endpoints - 1}], got ${i}`);
  return 1 / (endpoints - i);
}

/**
 * iptables `-m statistic --mode random`: each rule the packet reaches draws afresh and matches with
 * its probability; the last rule has probability 1. Consumes one uniform per rule evaluated except
 * the last. (kube-proxy prints the probability with 10 decimals; that rounding is ignored.)
 */
export function iptablesStatisticSelector(stream: RandomStream): EndpointSelector {
  const u = stream.uniformFn;
  return {
    kind: 'iptables-statistic',
    next(endpoints: number): number {
      requireEndpoints(endpoints);
      const last = endpoints - 1;
      for (let i = 0; i < last; i++) if (u() < 1 / (endpoints - i)) return i;
      return last;
    },
  };
}

/** IPVS `rr`: endpoints in turn, starting at 0; one counter per selector (one Service). */
export function ipvsRoundRobinSelector(): EndpointSelector {
  let turn = 0;
  return {
    kind: 'ipvs-rr',
    next(endpoints: number): number {
      requireEndpoints(endpoints);
      const i = turn % endpoints;
      turn = i + 1;
      return i;
    },
  };
}

/** Cilium's default random backend choice: a uniform slot among the N backend slots. */
export function ciliumRandomSelector(stream: RandomStream): EndpointSelector {
  const u = stream.uniformFn;
  return {
    kind: 'cilium-random',
    next(endpoints: number): number {
      requireEndpoints(endpoints);
      return Math.floor(u() * endpoints);
    },
  };
}

/** A selector of the given kind (the stream is unused by `ipvs-rr`). */
export function endpointSelector(kind: EndpointSelectionKind, stream: RandomStream): EndpointSelector {
  switch (kind) {
    case 'iptables-statistic':
      return iptablesStatisticSelector(stream);
    case 'ipvs-rr':
      return ipvsRoundRobinSelector();
    case 'cilium-random':
      return ciliumRandomSelector(stream);
  }
}
