/**
 * How long a connection-tracking entry lives without traffic, per state
 * (docs/sources.md#nf-conntrack-timeouts, #kube-proxy-conntrack, #cilium-ct-timeouts). Kernel
 * nf_conntrack defaults: TCP established 432000 s (5 days), time_wait 120 s, syn_sent 120 s, ...;
 * kube-proxy overrides established to 86400 s and close_wait to 3600 s. Cilium CT: regular TCP
 * 8000 s (21600 s in older configurations), SYN 60 s, FIN 10 s, non-TCP 60 s.
 */
import { calibratedParams } from '../calibration/index.ts';

export interface NfConntrackTimeoutsParams {
  /** TCP ESTABLISHED, s. Kernel 432,000; kube-proxy 86,400. */
  readonly tcpEstablishedTimeoutSec: number;
  /** TCP SYN_SENT, s. Default 120. */
  readonly tcpSynSentTimeoutSec: number;
  /** TCP SYN_RECV, s. Default 60. */
  readonly tcpSynRecvTimeoutSec: number;
  /** TCP FIN_WAIT, s. Default 120. */
  readonly tcpFinWaitTimeoutSec: number;
  /** TCP CLOSE_WAIT, s. Kernel 60; kube-proxy 3600. */
  readonly tcpCloseWaitTimeoutSec: number;
  /** TCP LAST_ACK, s. Default 30. */
  readonly tcpLastAckTimeoutSec: number;
  /** TCP TIME_WAIT, s. Default 120. */
  readonly tcpTimeWaitTimeoutSec: number;
  /** TCP CLOSE, s. Default 10. */
  readonly tcpCloseTimeoutSec: number;
  /** TCP past the retransmission limit, s. Default 300. */
  readonly tcpMaxRetransTimeoutSec: number;
  /** TCP with unacknowledged data, s. Default 300. */
  readonly tcpUnacknowledgedTimeoutSec: number;
  /** UDP unreplied, s. Default 30. */
  readonly udpTimeoutSec: number;
  /** UDP stream, s. Default 120. */
  readonly udpStreamTimeoutSec: number;
  /** ICMP, s. Default 30. */
  readonly icmpTimeoutSec: number;
  /** Other protocols, s. Default 600. */
  readonly genericTimeoutSec: number;
}

const NF_KERNEL_KEYS = {
  tcpEstablishedTimeoutSec: 'conntrack.nfTcpEstablishedTimeoutSec',
  tcpSynSentTimeoutSec: 'conntrack.nfTcpSynSentTimeoutSec',
  tcpSynRecvTimeoutSec: 'conntrack.nfTcpSynRecvTimeoutSec',
  tcpFinWaitTimeoutSec: 'conntrack.nfTcpFinWaitTimeoutSec',
  tcpCloseWaitTimeoutSec: 'conntrack.nfTcpCloseWaitTimeoutSec',
  tcpLastAckTimeoutSec: 'conntrack.nfTcpLastAckTimeoutSec',
  tcpTimeWaitTimeoutSec: 'conntrack.nfTcpTimeWaitTimeoutSec',
  tcpCloseTimeoutSec: 'conntrack.nfTcpCloseTimeoutSec',
  tcpMaxRetransTimeoutSec: 'conntrack.nfTcpMaxRetransTimeoutSec',
  tcpUnacknowledgedTimeoutSec: 'conntrack.nfTcpUnacknowledgedTimeoutSec',
  udpTimeoutSec: 'conntrack.nfUdpTimeoutSec',
  udpStreamTimeoutSec: 'conntrack.nfUdpStreamTimeoutSec',
  icmpTimeoutSec: 'conntrack.nfIcmpTimeoutSec',
  genericTimeoutSec: 'conntrack.nfGenericTimeoutSec',
} as const;

/** The kernel's defaults (a node without kube-proxy). */
export const defaultNfConntrackTimeoutsParams: NfConntrackTimeoutsParams = calibratedParams(NF_KERNEL_KEYS);

/** What kube-proxy writes: the kernel defaults with its established and close_wait timeouts. */
export const defaultKubeProxyConntrackTimeoutsParams: NfConntrackTimeoutsParams = calibratedParams({
  ...NF_KERNEL_KEYS,
  tcpEstablishedTimeoutSec: 'conntrack.kubeProxyTcpEstablishedTimeoutSec',
  tcpCloseWaitTimeoutSec: 'conntrack.kubeProxyTcpCloseWaitTimeoutSec',
});

export interface CiliumCtTimeoutsParams {
  /** bpf-ct-timeout-regular-tcp, s. Default 8000 (older configurations: 21,600). */
  readonly tcpRegularTimeoutSec: number;
  /** bpf-ct-timeout-regular-tcp-syn, s. Default 60. */
  readonly tcpSynTimeoutSec: number;
  /** bpf-ct-timeout-regular-tcp-fin, s. Default 10. */
  readonly tcpFinTimeoutSec: number;
  /** bpf-ct-timeout-regular-any, s. Default 60. */
  readonly anyTimeoutSec: number;
}

const CILIUM_KEYS = {
  tcpRegularTimeoutSec: 'conntrack.ciliumTcpRegularTimeoutSec',
  tcpSynTimeoutSec: 'conntrack.ciliumTcpSynTimeoutSec',
  tcpFinTimeoutSec: 'conntrack.ciliumTcpFinTimeoutSec',
  anyTimeoutSec: 'conntrack.ciliumAnyTimeoutSec',
} as const;

/** Current Cilium releases. */
export const defaultCiliumCtTimeoutsParams: CiliumCtTimeoutsParams = calibratedParams(CILIUM_KEYS);

/** Older Cilium configurations (regular TCP 21600 s). */
export const legacyCiliumCtTimeoutsParams: CiliumCtTimeoutsParams = calibratedParams({
  ...CILIUM_KEYS,
  tcpRegularTimeoutSec: 'conntrack.ciliumTcpRegularTimeoutLegacySec',
});
