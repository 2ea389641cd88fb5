/**
 * What a client sees when a Service backend goes away, per datapath (docs/sources.md#endpoint-removal).
 *
 * New connections follow the datapath's current view: until the client's node is reprogrammed they
 * may still pick the deleted backend. Existing connections:
 * - kube-proxy (iptables, nftables): nf_conntrack keeps an established TCP flow's DNAT, so the
 *   connection stays on the old backend until it closes (kube-proxy's conntrack cleanup removes
 *   stale UDP entries only; pkg/proxy/conntrack/cleanup.go).
 * - Cilium per-packet LB (cilium-tc): the connection's CT entry keeps its backend, even a
 *   terminating one (PR #31840, #17716).
 * - Cilium socket-LB: the socket is connected to the backend itself; with a kernel that has
 *   bpf_sock_destroy (6.5) and `bpf-lb-sock-terminate-pod-connections` (default true) the agent
 *   destroys sockets to a deleted backend when it processes the deletion; otherwise they stay.
 *
 * The deleted backend over time: it serves until its process exits (the app's SIGTERM handling,
 * at most the grace period); then its IP still exists without a listener, so a SYN or a segment
 * gets an RST, until the sandbox is torn down; then nothing answers. A connect() to a silent
 * address fails after the SYN retransmissions (1 + 2 + ... + 64 = 127 s with the defaults); an
 * established connection whose segments go unanswered is dropped by TCP after tcp_retries2
 * retransmissions (924.6 s with the defaults: RTO from 200 ms doubling to 120 s). A client gives
 * up on a request after its own timeout.
 */
import { calibratedParams } from '../calibration/index.ts';
import { kernelAtLeast, parseKernelVersion, type KernelVersion } from '../ebpf/kernelVersion.ts';
import type { LookupModelName } from '../lookup/lookupModel.ts';

export interface BackendRemovalParams {
  readonly terminationGracePeriodSec: number;
  readonly appExitAfterSigtermSec: number;
  readonly sandboxTeardownSec: number;
  /** First SYN retransmission timeout, s (doubling). */
  readonly synInitialRtoSec: number;
  readonly synRetries: number;
  /** Smallest data retransmission timeout, s (doubling). */
  readonly dataRtoMinSec: number;
  readonly tcpRtoMaxSec: number;
  readonly tcpRetries2: number;
  readonly clientRequestTimeoutSec: number;
  readonly sockDestroyKernelMajor: number;
  readonly sockDestroyKernelMinor: number;
}

export const defaultBackendRemovalParams: BackendRemovalParams = calibratedParams({
  terminationGracePeriodSec: 'controlPlane.terminationGracePeriodSec',
  appExitAfterSigtermSec: 'controlPlane.appExitAfterSigtermSec',
  sandboxTeardownSec: 'controlPlane.sandboxTeardownSec',
  synInitialRtoSec: 'conntrack.synInitialRtoSec',
  synRetries: 'conntrack.synRetries',
  dataRtoMinSec: 'datapath.tcpRtoMinSec',
  tcpRtoMaxSec: 'controlPlane.tcpRtoMaxSec',
  tcpRetries2: 'controlPlane.tcpRetries2',
  clientRequestTimeoutSec: 'controlPlane.clientRequestTimeoutSec',
  sockDestroyKernelMajor: 'controlPlane.sockDestroyKernelMajor',
  sockDestroyKernelMinor: 'controlPlane.sockDestroyKernelMinor',
});

/** Time until connect() to an address that never answers fails: the SYN and its retransmissions' waits, s. */
export function connectGiveUpSec(p: BackendRemovalParams = defaultBackendRemovalParams): number {
  let total = 0;
  for (let i = 0; i <= p.synRetries; i++) total += Math.min(p.synInitialRtoSec * 2 ** i, p.tcpRtoMaxSec);
  return total;
}

/** Time until TCP drops an established connection whose data goes unanswered (tcp_retries2), s. */
export function establishedGiveUpSec(p: BackendRemovalParams = defaultBackendRemovalParams): number {
  let total = 0;
  for (let i = 0; i <= p.tcpRetries2; i++) total += Math.min(p.dataRtoMinSec * 2 ** i, p.tcpRtoMaxSec);
  return total;
}

/** How the deleted backend goes away. */
export type BackendExit =
  /** A pod delete: the process exits and closes its connections (FIN), the IP answers RST until teardown, then nothing. */
  | 'close'
  /** The backend stops answering without closing anything (node lost, partition): silence from the exit on. */
  | 'vanish';
export const BACKEND_EXITS: readonly BackendExit[] = ['close', 'vanish'];

export type BackendState = 'serving' | 'refusing' | 'silent';

/** Seconds after the delete at which the process stops serving. */
export function backendExitSec(p: BackendRemovalParams = defaultBackendRemovalParams): number {
  return Math.min(p.appExitAfterSigtermSec, p.terminationGracePeriodSec);
}

/** The deleted backend's state `tSec` after the delete. */
export function backendStateAt(tSec: number, exit: BackendExit, p: BackendRemovalParams = defaultBackendRemovalParams): BackendState {
  const exitSec = backendExitSec(p);
  if (tSec < exitSec) return 'serving';
  if (exit === 'vanish') return 'silent';
  return tSec < exitSec + p.sandboxTeardownSec ? 'refusing' : 'silent';
}

/** What happens to connections already open to the deleted backend. */
export type ExistingConnections = 'pinned-until-closed' | 'destroyed-when-reprogrammed';

export interface RemovalBehaviour {
  readonly existing: ExistingConnections;
  /** The mechanism, in a sentence. */
  readonly why: string;
}

export interface RemovalOptions {
  /** Kernel of the client's node, e.g. "6.1" (default: the typical node's). */
  readonly kernelVersion: string | KernelVersion;
  /** Cilium's bpf-lb-sock-terminate-pod-connections (default true). */
  readonly sockTerminate?: boolean;
}

export function removalBehaviour(datapath: LookupModelName, opts: RemovalOptions, p: BackendRemovalParams = defaultBackendRemovalParams): RemovalBehaviour {
  switch (datapath) {
    case 'kube-proxy-iptables':
    case 'kube-proxy-nftables':
      return { existing: 'pinned-until-closed', why: "nf_conntrack keeps the established flow's DNAT; kube-proxy clears stale UDP entries only" };
    case 'cilium-tc':
      return { existing: 'pinned-until-closed', why: "Cilium's CT entry keeps the connection's backend, also a terminating one" };
    case 'cilium-socket-lb': {
      const kernelOk = kernelAtLeast(parseKernelVersion(opts.kernelVersion), p.sockDestroyKernelMajor, p.sockDestroyKernelMinor);
      if (kernelOk && (opts.sockTerminate ?? true)) {
        return { existing: 'destroyed-when-reprogrammed', why: 'socket-LB destroys sockets to the deleted backend (bpf_sock_destroy) when the agent processes the deletion' };
      }
      return {
        existing: 'pinned-until-closed',
        why: kernelOk ? 'socket termination is off: sockets stay connected to the deleted backend' : `the kernel lacks bpf_sock_destroy (needs ${p.sockDestroyKernelMajor}.${p.sockDestroyKernelMinor}): sockets stay connected to the deleted backend`,
      };
    }
  }
}
