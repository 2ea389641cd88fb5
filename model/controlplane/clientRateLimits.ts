/**
 * Client-side rate limits towards the API server: client-go paces every request of a client with a
 * token bucket (QPS = refill rate, burst = depth), FIFO, so a component that writes faster than its
 * QPS queues. Defaults per component: kube-controller-manager --kube-api-qps 20 / --kube-api-burst 30
 * (docs/sources.md#endpoint-removal), kube-proxy 5 / 10 (defaults.go; it only reads, on watches,
 * which the bucket does not pace), cilium-agent k8s-client-qps 10 / k8s-client-burst 20
 * (defaults.go; #cilium-control-plane). The bucket is model/nic's FIFO TokenBucket.
 */
import { calibratedParams } from '../calibration/index.ts';
import { TokenBucket } from '../nic/tokenBucket.ts';

export interface ClientRateLimitParams {
  /** Requests per second the bucket refills. */
  readonly qps: number;
  /** Bucket depth, requests. */
  readonly burst: number;
}

export const defaultKcmRateLimitParams: ClientRateLimitParams = calibratedParams({ qps: 'controlPlane.kcmApiQps', burst: 'controlPlane.kcmApiBurst' });
export const defaultKubeProxyRateLimitParams: ClientRateLimitParams = calibratedParams({ qps: 'controlPlane.kubeProxyApiQps', burst: 'controlPlane.kubeProxyApiBurst' });
export const defaultCiliumAgentRateLimitParams: ClientRateLimitParams = calibratedParams({
  qps: 'controlPlane.ciliumK8sClientQps',
  burst: 'controlPlane.ciliumK8sClientBurst',
});

export function checkClientRateLimitParams(p: ClientRateLimitParams, what = 'rate limit'): void {
  if (!(p.qps > 0) || !Number.isFinite(p.qps)) throw new RangeError(`${what}.qps must be a finite number > 0, got ${p.qps}`);
  if (!(p.burst >= 1) || !Number.isFinite(p.burst)) throw new RangeError(`${what}.burst must be a finite number >= 1, got ${p.burst}`);
}

/** The same limits scaled by `share` (a client that gets part of a shared budget). */
export function scaledRateLimit(p: ClientRateLimitParams, share: number): ClientRateLimitParams {
  if (!(share > 0 && share <= 1)) throw new RangeError(`share must be in (0, 1], got ${share}`);
  return { qps: p.qps * share, burst: Math.max(1, p.burst * share) };
}

/** A full bucket at `startNs`: `reserve(nowNs, 1)` gives the time a request may go out. */
export function clientRateLimiter(p: ClientRateLimitParams, startNs = 0): TokenBucket {
  checkClientRateLimitParams(p);
  return new TokenBucket(p.qps, p.burst, startNs);
}
