/**
 * `svcpath path --l7-proxy on|off`: requests of a Cilium datapath redirected to the node's L7 proxy
 * (Envoy) for L7 policy. The datapath run (simulatePath) gives the established RTT without the proxy;
 * simulateL7Proxy (model/controlplane) sends the same request rate through the proxy (two loopback
 * hops, a request pass and a response pass on the worker that owns the connection) and gives the
 * established RTT with it. First-packet RTT and the per-packet CPU table stay the datapath's.
 */
import { UsageError, choiceFlag, type ParsedArgs } from './args.ts';
import { formatTable } from './textTable.ts';
import type { DatapathSpec, LatencySummaryUs, PathResult } from '../../model/datapaths/index.ts';
import {
  simulateL7Proxy, rttSamplerFromPercentiles, defaultL7ProxyParams, l7ProxyCapacityPerSec, l7ProxyNodeCpuSecPerRequest, type LatencySummarySec,
} from '../../model/controlplane/index.ts';
import { RandomStreams } from '../../model/engine/index.ts';
import { nsToUs, secToNs } from '../../model/units.ts';

const P = defaultL7ProxyParams;
const L7_DATAPATHS: readonly string[] = ['cilium-tc', 'cilium-socket-lb'];

export const L7_PROXY_FLAG_HELP = `  --l7-proxy on|off        Cilium datapaths: redirect the requests to the node's L7 proxy (Envoy, L7
                           policy): two loopback hops and ${P.cpuSecPerRequest * 1e6} µs of CPU per request on one of its
                           ${P.workers} workers; the established RTT then includes them (default off)`;

/** The flag's value; `on` only for the Cilium datapaths. */
export function parseL7ProxyFlag(args: ParsedArgs, datapath: string): boolean {
  const on = choiceFlag(args, 'l7-proxy', ['on', 'off'] as const, 'off') === 'on';
  if (on && !L7_DATAPATHS.includes(datapath)) {
    throw new UsageError(`--l7-proxy on applies to the Cilium datapaths (${L7_DATAPATHS.join(', ')}), got --datapath ${datapath}`);
  }
  return on;
}

export interface L7ProxyOutcome {
  /** Established RTT through the proxy, µs. */
  readonly establishedRttUs: LatencySummaryUs;
  /** What the proxy added to each request's RTT, µs. */
  readonly addedUs: LatencySummaryUs;
  /** Node CPU per request the redirect adds (the proxy and two loopback hops), ns. */
  readonly cpuNsPerRequest: number;
  readonly workers: number;
  readonly workerUtilization: number;
  /** Requests per second the proxy's workers can serve. */
  readonly capacityRequestsPerSec: number;
  readonly requestsPerSec: number;
}

const toUs = (l: LatencySummarySec, count: number): LatencySummaryUs => {
  const u = (sec: number): number => nsToUs(secToNs(sec));
  return { p01: NaN, p50: u(l.p50), p90: u(l.p90), p99: u(l.p99), p999: NaN, mean: u(l.mean), max: u(l.max), count };
};

/** Runs the proxy over the datapath result's request rate and established RTT. */
export function l7ProxyOutcome(spec: DatapathSpec, path: PathResult, seed: number): L7ProxyOutcome {
  const requestsPerSec = spec.connectionsPerSec * spec.requestsPerConnection;
  const base = rttSamplerFromPercentiles(path.establishedRttUs, new RandomStreams(seed, 0).stream('l7-base-rtt'));
  const r = simulateL7Proxy({
    requestsPerSec, connections: Math.max(1, Math.round(spec.connectionsPerSec)), durationSec: spec.durationSec, warmupSec: spec.warmupSec,
    baseRttNs: base, seed,
  });
  return {
    establishedRttUs: toUs(r.rttSec, r.rttSec.count),
    addedUs: toUs(r.addedSec, r.addedSec.count),
    cpuNsPerRequest: secToNs(l7ProxyNodeCpuSecPerRequest(P)),
    workers: P.workers,
    workerUtilization: r.workerUtilization,
    capacityRequestsPerSec: l7ProxyCapacityPerSec(P),
    requestsPerSec,
  };
}

const us = (v: number): string => (Number.isFinite(v) ? (v >= 1000 ? v.toFixed(0) : v.toFixed(1)) : '-');

/** The lines the table gains with --l7-proxy on. */
export function l7ProxyTableLines(o: L7ProxyOutcome): string {
  const row = (name: string, l: LatencySummaryUs): string[] => [name, us(l.p50), us(l.p90), us(l.p99), us(l.mean), Math.round(l.count).toLocaleString('en-US')];
  return [
    `L7 proxy: ${o.requestsPerSec.toLocaleString('en-US')} requests/s through ${o.workers} Envoy workers (${(o.workerUtilization * 100).toFixed(1)}% busy, at most ${Math.round(o.capacityRequestsPerSec).toLocaleString('en-US')} requests/s), ${Math.round(o.cpuNsPerRequest).toLocaleString('en-US')} ns of node CPU per request`,
    formatTable(
      ['RTT (µs)', 'p50', 'p90', 'p99', 'mean', 'samples'],
      [row('established, through the L7 proxy', o.establishedRttUs), row('added by the proxy', o.addedUs)],
      ['left', 'right', 'right', 'right', 'right', 'right'],
    ),
  ].join('\n');
}
