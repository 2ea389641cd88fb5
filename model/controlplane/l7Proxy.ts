/**
 * The L7 proxy (Cilium's per-node Envoy for L7 policy): traffic to a port with an L7 rule is
 * redirected to the proxy on the node, which adds two socket hops on loopback (client -> proxy on the
 * way out, proxy -> client on the way back) and runs each request and its response on one of its
 * worker threads. Envoy binds a connection to one worker for its life, so a worker is a FIFO server
 * of the requests of its connections (spread over the workers in turn). A request's pass costs a
 * share of the per-request CPU time, its response the rest (lognormal around those means);
 * latency emerges from that service time and from queueing at the worker under load.
 *
 * Defaults: 0.20 ms of CPU per request (Istio 1.24's sidecar figure, derived; Cilium publishes no
 * per-node Envoy figure; docs/sources.md#cilium-l7-proxy); as many workers as the node has cores
 * (Envoy's --concurrency defaults to the hardware threads); a loopback hop costs two TCP segment
 * passes and a device hop (datapath.tcpSegmentCycles, datapath.vethHopCycles) at the node's clock
 * plus the mean wake-up of the receiving thread (cpu.wakeupMinNs + cpu.wakeupSpreadMeanNs, model/cpu/schedulerWakeup.ts).
 *
 * `simulateL7Proxy` takes the RTT the request would have without the proxy as a sampler (the
 * datapath's established RTT) and returns the RTT with the proxy, the latency the proxy adds, and
 * the proxy's busy time measured from its workers' busy time.
 */
import { calibratedParams } from '../calibration/index.ts';
import { RandomStreams, Resource, Simulation, exponential, P01, P50, P90, P99, type RandomStream } from '../engine/index.ts';
import { cyclesToNs, nsToSec, roundNs, secToNs, usToNs } from '../units.ts';
import { delaySamplerNs } from './delaySampler.ts';
import { LatencyRecorder, type LatencySummarySec } from './propagation.ts';

export interface L7ProxyParams {
  /** CPU time per request (request and response passes together), s. */
  readonly cpuSecPerRequest: number;
  /** Share of it spent on the request pass. */
  readonly requestShareFraction: number;
  /** Coefficient of variation of a pass (lognormal; 0 = constant). */
  readonly serviceCv: number;
  /** Worker threads. */
  readonly workers: number;
  readonly tcpSegmentCycles: number;
  readonly loopbackDeviceCycles: number;
  /** Scheduler wake-up of the receiving thread: its floor and the mean of its spread above it, ns. */
  readonly wakeupNs: number;
  readonly wakeupSpreadNs: number;
  readonly cpuFreqHz: number;
}

export const defaultL7ProxyParams: L7ProxyParams = calibratedParams({
  cpuSecPerRequest: 'controlPlane.l7ProxyCpuSecPerRequest',
  requestShareFraction: 'controlPlane.l7ProxyRequestShareFraction',
  serviceCv: 'controlPlane.l7ProxyServiceCv',
  workers: 'node.cores',
  tcpSegmentCycles: 'datapath.tcpSegmentCycles',
  loopbackDeviceCycles: 'datapath.vethHopCycles',
  wakeupNs: 'cpu.wakeupMinNs',
  wakeupSpreadNs: 'cpu.wakeupSpreadMeanNs',
  cpuFreqHz: 'cpu.referenceFreqHz',
});

export function checkL7ProxyParams(p: L7ProxyParams): void {
  if (!(p.cpuSecPerRequest > 0) || !Number.isFinite(p.cpuSecPerRequest)) throw new RangeError(`l7Proxy.cpuSecPerRequest must be a finite number > 0, got ${p.cpuSecPerRequest}`);
  if (!(p.requestShareFraction > 0 && p.requestShareFraction < 1)) throw new RangeError(`l7Proxy.requestShareFraction must be in (0, 1), got ${p.requestShareFraction}`);
  if (!(p.serviceCv >= 0)) throw new RangeError(`l7Proxy.serviceCv must be >= 0, got ${p.serviceCv}`);
  if (!Number.isSafeInteger(p.workers) || p.workers < 1) throw new RangeError(`l7Proxy.workers must be an integer >= 1, got ${p.workers}`);
  if (!(p.cpuFreqHz > 0)) throw new RangeError(`l7Proxy.cpuFreqHz must be > 0, got ${p.cpuFreqHz}`);
}

/** CPU time of one loopback socket hop (sender's and receiver's TCP segment work + the device), ns. */
export function loopbackHopCpuNs(p: L7ProxyParams = defaultL7ProxyParams): number {
  return cyclesToNs(2 * p.tcpSegmentCycles + p.loopbackDeviceCycles, p.cpuFreqHz);
}

/** Latency of one loopback hop: its CPU time plus waking the receiving thread (its mean), ns. */
export function loopbackHopNs(p: L7ProxyParams = defaultL7ProxyParams): number {
  return loopbackHopCpuNs(p) + p.wakeupNs + p.wakeupSpreadNs;
}

/** Requests per second the proxy's workers can serve at most: workers / CPU per request. */
export function l7ProxyCapacityPerSec(p: L7ProxyParams = defaultL7ProxyParams): number {
  return p.workers / p.cpuSecPerRequest;
}

/** CPU per request the redirect adds to the node: the proxy's own time plus the two loopback hops, s. */
export function l7ProxyNodeCpuSecPerRequest(p: L7ProxyParams = defaultL7ProxyParams): number {
  return p.cpuSecPerRequest + nsToSec(2 * loopbackHopCpuNs(p));
}

/** Percentile points of an RTT measured without the proxy, µs (e.g. simulatePath's established RTT). */
export interface RttPercentilesUs {
  readonly p01: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * A sampler of RTTs in ns that reproduces measured percentile points: each band between two points
 * is drawn as its upper point (p01 with probability 0.01, p50 with 0.49, p90 with 0.40, p99 with
 * 0.09, the maximum with 0.01), which errs on the slow side by at most one band.
 */
export function rttSamplerFromPercentiles(r: RttPercentilesUs, stream: RandomStream): () => number {
  const points = [r.p01, r.p50, r.p90, r.p99, r.max];
  for (const v of points) if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`RTT percentiles must be finite numbers > 0 µs, got ${points.join(', ')}`);
  const upTo = [P01, P50, P90, P99, 1];
  const ns = points.map((us) => roundNs(usToNs(us)));
  return () => {
    const u = stream.uniform();
    let i = 0;
    while (i < upTo.length - 1 && u >= upTo[i]!) i++;
    return ns[i]!;
  };
}

export interface L7ProxyScenario {
  readonly requestsPerSec: number;
  /** Client connections whose requests go through the proxy (spread over the workers in turn). */
  readonly connections: number;
  readonly durationSec: number;
  readonly warmupSec: number;
  /** The RTT without the proxy, ns, one draw per request (e.g. the datapath's established RTT). */
  readonly baseRttNs: () => number;
  readonly seed: number;
  readonly replication?: number;
}

export interface L7ProxyResult {
  /** Request sent -> response in the client, with the proxy. */
  readonly rttSec: LatencySummarySec;
  /** What the proxy added to each request's RTT. */
  readonly addedSec: LatencySummarySec;
  /** Measured requests (sent after the warm-up). */
  readonly requests: number;
  /** Workers' busy time over the measured window (time-weighted), s. */
  readonly busySec: number;
  /** Length of the measured window, s. */
  readonly windowSec: number;
  /** Mean utilisation of the workers over the window. */
  readonly workerUtilization: number;
  /** Busiest worker's utilisation. */
  readonly maxWorkerUtilization: number;
}

export function simulateL7Proxy(s: L7ProxyScenario, p: L7ProxyParams = defaultL7ProxyParams): L7ProxyResult {
  checkL7ProxyParams(p);
  if (!(s.requestsPerSec > 0) || !Number.isFinite(s.requestsPerSec)) throw new RangeError(`requestsPerSec must be a finite number > 0, got ${s.requestsPerSec}`);
  if (!Number.isSafeInteger(s.connections) || s.connections < 1) throw new RangeError(`connections must be an integer >= 1, got ${s.connections}`);
  if (!(s.durationSec > s.warmupSec && s.warmupSec >= 0)) throw new RangeError(`need 0 <= warmupSec < durationSec, got ${s.warmupSec} and ${s.durationSec}`);
  const sim = new Simulation();
  const streams = new RandomStreams(s.seed, s.replication ?? 0);
  const workers = Array.from({ length: p.workers }, (_, i) => new Resource(sim, { capacity: 1, name: `envoy-worker-${i}` }));
  const gap = exponential(1 / s.requestsPerSec).sampler(streams.stream('l7-arrivals'));
  const pickConnection = streams.stream('l7-connection');
  const requestPass = delaySamplerNs(p.cpuSecPerRequest * p.requestShareFraction, p.serviceCv, streams.stream('l7-request-pass'));
  const responsePass = delaySamplerNs(p.cpuSecPerRequest * (1 - p.requestShareFraction), p.serviceCv, streams.stream('l7-response-pass'));
  const hopNs = roundNs(loopbackHopNs(p));
  const warmupNs = roundNs(secToNs(s.warmupSec));
  const endNs = roundNs(secToNs(s.durationSec));
  const rtt = new LatencyRecorder();
  const added = new LatencyRecorder();
  let requests = 0;

  const pass = (worker: Resource, serviceNs: number, then: () => void): void => {
    worker.acquire((slot) => {
      sim.schedule(serviceNs, () => {
        worker.release(slot);
        then();
      });
    }, undefined);
  };

  const arrive = (): void => {
    const sentNs = sim.nowNs;
    const measured = sentNs >= warmupNs;
    if (measured) requests++;
    const connection = Math.floor(pickConnection.uniform() * s.connections);
    const worker = workers[connection % p.workers]!;
    const base = s.baseRttNs();
    const reqNs = requestPass();
    const respNs = responsePass();
    sim.schedule(hopNs, () => pass(worker, reqNs, () => {
      sim.schedule(base, () => pass(worker, respNs, () => {
        sim.schedule(hopNs, () => {
          if (!measured) return;
          const total = sim.nowNs - sentNs;
          rtt.record(total);
          added.record(total - base);
        });
      }));
    }));
    const next = sim.nowNs + roundNs(secToNs(gap()));
    if (next < endNs) sim.scheduleAt(next, arrive);
  };
  sim.scheduleAt(roundNs(secToNs(gap())), arrive);
  sim.scheduleAt(warmupNs, () => {
    for (const w of workers) w.resetStats();
  });
  sim.runUntil(endNs);
  const windowNs = endNs - warmupNs;
  const utilizations = workers.map((w) => w.busy.meanAt(sim.nowNs));
  const busySec = utilizations.reduce((a, u) => a + u, 0) * nsToSec(windowNs);
  sim.run();
  return {
    rttSec: rtt.summary(),
    addedSec: added.summary(),
    requests,
    busySec,
    windowSec: nsToSec(windowNs),
    workerUtilization: utilizations.reduce((a, u) => a + u, 0) / p.workers,
    maxWorkerUtilization: Math.max(...utilizations),
  };
}
