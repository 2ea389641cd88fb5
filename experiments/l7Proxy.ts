/**
 * l7-proxy (Q6): what does L7 policy through Cilium's per-node proxy cost? Established RTT (p50,
 * p90, p99), CPU per request and node capacity with and without the L7 redirect, against the
 * request rate. Each replication runs the datapath (simulatePath, cilium-tc, the typical node: 8
 * cores) at the request rate for the RTT without the proxy and the node's CPU per request; with the
 * redirect, simulateL7Proxy (model/controlplane) sends the same requests through the proxy: two
 * loopback hops and a pass on an Envoy worker for the request and one for the response, at 0.20 ms
 * of CPU per request (Istio's published sidecar figure; Cilium publishes none), queueing at the
 * workers under load.
 *
 * What it shows: the redirect adds about the proxy's CPU time per request plus two loopback hops to
 * the RTT at light load (~0.2 ms on a ~20 µs datapath RTT, an order of magnitude), CPU per request
 * grows from microseconds to the proxy's 0.2 ms, so the node's capacity falls from hundreds of
 * thousands of requests per second to workers / CPU per request (8 / 0.2 ms = 40,000/s), and the p99
 * climbs steeply as the workers approach that.
 */
import { ciChart } from './lib/ciChart.ts';
import { defineExperiment, type ScenarioContext } from './lib/defineExperiment.ts';
import { datapathSpec, defaultPathWorkloadParams, type DatapathName, type DatapathSpec, type PathResult } from '../model/datapaths/index.ts';
import { clusterNodeFields, clusterServices } from '../model/cluster/clusterSpecs.ts';
import { simulatePath } from '../model/datapaths/simulatePath.ts';
import {
  simulateL7Proxy, rttSamplerFromPercentiles, defaultL7ProxyParams, l7ProxyCapacityPerSec, l7ProxyNodeCpuSecPerRequest,
} from '../model/controlplane/index.ts';
import { RandomStreams } from '../model/engine/index.ts';
import { nsToUs, secToNs } from '../model/units.ts';

export interface L7ProxyParams {
  /** on | off */
  proxy: string;
  requestsPerSec: number;
  /** Simulated seconds of the datapath run (it sets the RTT without the proxy). */
  pathDurationSec: number;
  /** Simulated seconds of the proxy run. */
  proxyDurationSec: number;
  /** Client connections carrying the requests (spread over the proxy's workers). */
  connections: number;
}

/** Cilium's datapath: the L7 redirect is Cilium's. */
const DATAPATH: DatapathName = 'cilium-tc';

const pathMemo = new Map<string, PathResult>();

/** On a cluster, the node class's node: its Services on cilium-tc, its cores and the rest (clusterNodeFields). */
function onCluster(ctx: ScenarioContext): Partial<DatapathSpec> {
  if (ctx.cluster === undefined) return {};
  const services = clusterServices(ctx.cluster.profile, DATAPATH).services;
  return { ...clusterNodeFields(ctx.cluster, DATAPATH, services), services };
}

function pathRun(p: L7ProxyParams, ctx: ScenarioContext): PathResult {
  const node = onCluster(ctx);
  const key = JSON.stringify([p.requestsPerSec, p.pathDurationSec, node, ctx.seed, ctx.replication]);
  let r = pathMemo.get(key);
  if (r === undefined) {
    const spec = datapathSpec({
      ...node,
      datapath: DATAPATH,
      connectionsPerSec: p.requestsPerSec / defaultPathWorkloadParams.requestsPerConnection,
      durationSec: p.pathDurationSec,
    });
    r = simulatePath(spec, ctx.seed, ctx.replication);
    pathMemo.set(key, r);
  }
  return r;
}

const us = (sec: number): number => nsToUs(secToNs(sec));

export function l7ProxyScenario(p: L7ProxyParams, ctx: ScenarioContext) {
  const path = pathRun(p, ctx);
  const rtt = path.establishedRttUs;
  // The node's CPU per request without the proxy: its busy cores over the request rate.
  const nodeCpuSecPerRequest = (path.coreUtilization * path.cores) / p.requestsPerSec;
  const capacityOff = path.cores / nodeCpuSecPerRequest;
  if (p.proxy === 'off') {
    return {
      rttP50Us: rtt.p50, rttP90Us: rtt.p90, rttP99Us: rtt.p99, addedP50Us: 0, addedP99Us: 0,
      cpuUsPerRequest: us(nodeCpuSecPerRequest), capacityRequestsPerSec: capacityOff, proxyUtilization: 0,
    };
  }
  if (p.proxy !== 'on') throw new RangeError(`proxy must be on or off, got "${p.proxy}"`);
  const base = rttSamplerFromPercentiles(rtt, new RandomStreams(ctx.seed, ctx.replication).stream('l7-base-rtt'));
  // Envoy runs as many workers as the node has cores.
  const proxyParams = { ...defaultL7ProxyParams, workers: path.cores };
  const r = simulateL7Proxy({
    requestsPerSec: p.requestsPerSec, connections: p.connections, durationSec: p.proxyDurationSec, warmupSec: p.proxyDurationSec / 10,
    baseRttNs: base, seed: ctx.seed, replication: ctx.replication,
  }, proxyParams);
  const cpuOn = nodeCpuSecPerRequest + l7ProxyNodeCpuSecPerRequest(proxyParams);
  return {
    rttP50Us: us(r.rttSec.p50), rttP90Us: us(r.rttSec.p90), rttP99Us: us(r.rttSec.p99), addedP50Us: us(r.addedSec.p50), addedP99Us: us(r.addedSec.p99),
    cpuUsPerRequest: us(cpuOn),
    capacityRequestsPerSec: Math.min(l7ProxyCapacityPerSec(proxyParams), path.cores / cpuOn),
    proxyUtilization: r.workerUtilization,
  };
}

const byRate = { field: 'requestsPerSec', title: 'requests per second through the node (log)', scale: 'log' } as const;
const byProxy = { field: 'proxy', title: 'L7 redirect', sort: ['off', 'on'] } as const;

const rttChart = ciChart({
  title: 'Established RTT with and without the L7 proxy redirect vs request rate (cilium-tc; the default 8-core node or, on a cluster, its node class)',
  x: byRate,
  series: byProxy,
  panels: [
    { title: 'p50', metric: 'rttP50Us', y: { title: 'RTT p50 (µs, log)', scale: 'log' } },
    { title: 'p90', metric: 'rttP90Us', y: { title: 'RTT p90 (µs, log)', scale: 'log' } },
    { title: 'p99', metric: 'rttP99Us', y: { title: 'RTT p99 (µs, log)', scale: 'log' } },
  ],
  width: 280, // calibration-exempt: panel width in pixels (three panels)
});

const cpuChart = ciChart({
  title: 'CPU per request and the node\'s capacity with and without the L7 proxy',
  x: byRate,
  series: byProxy,
  panels: [
    { title: 'node CPU per request', metric: 'cpuUsPerRequest', y: { title: 'CPU per request (µs, log)', scale: 'log' } },
    { title: 'capacity (CPU-bound)', metric: 'capacityRequestsPerSec', y: { title: 'requests per second the node can carry (log)', scale: 'log' } },
    { title: "proxy workers' utilisation", metric: 'proxyUtilization', filter: "datum.proxy == 'on'", y: { title: 'utilisation', zero: true, format: '.0%' } },
  ],
  width: 280, // calibration-exempt: panel width in pixels (three panels)
});

export default defineExperiment({
  name: 'l7-proxy',
  question: 'What does L7 policy through the per-node proxy cost in RTT (p50, p90, p99), CPU per request and node capacity, as the request rate grows?',
  answer:
    'The redirect to the node\'s Envoy adds about the proxy\'s CPU time per request plus two loopback hops: about 0.2 ms on a datapath RTT of about 50 µs, several times over. CPU per request grows from microseconds to the proxy\'s 0.2 ms, so the node\'s capacity falls from hundreds of thousands of requests per second to workers / CPU per request (8 / 0.2 ms = 40,000 per second), and the p99 climbs steeply as the workers approach it. The CPU figure is Istio\'s published sidecar cost; Cilium publishes none.',
  scenario: l7ProxyScenario,
  // calibration-exempt-begin: the experiment's design (rates up to the proxy's capacity of 40,000/s on 8 cores; run lengths sized for ~10 s)
  base: { proxy: 'off', requestsPerSec: 1000, pathDurationSec: 1, proxyDurationSec: 2, connections: 256 },
  sweep: { grid: { proxy: ['off', 'on'], requestsPerSec: [1000, 5000, 10_000, 20_000, 30_000, 36_000, 39_000] } },
  replications: 3,
  // calibration-exempt-end
  warmup: 0,
  metrics: ['rttP50Us', 'rttP90Us', 'rttP99Us', 'addedP50Us', 'addedP99Us', 'cpuUsPerRequest', 'capacityRequestsPerSec', 'proxyUtilization'],
  charts: [
    { name: 'rtt', spec: rttChart },
    { name: 'cpu-and-capacity', spec: cpuChart },
  ],
  // calibration-exempt-begin: the quick mode's design
  quick: {
    base: { pathDurationSec: 0.2, proxyDurationSec: 0.3 },
    sweep: { grid: { proxy: ['off', 'on'], requestsPerSec: [1000, 20_000, 38_000] } },
    replications: 3,
  },
  // calibration-exempt-end
  cluster: {
    uses: 'the node class\'s node (cores, clock, NIC, RAM, kernel; the proxy runs a worker per core) and the cluster\'s Services on cilium-tc',
    // Nothing in base; reading the Services here refuses a profile without any before a worker starts.
    base: ({ profile }) => {
      clusterServices(profile, DATAPATH);
      return {};
    },
  },
});
