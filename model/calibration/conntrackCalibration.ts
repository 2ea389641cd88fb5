/**
 * Calibration rows of the conntrack domain (see calibrationEntry.ts for the fields and labels):
 * nf_conntrack sizing (kernel defaults and kube-proxy's settings), memory per entry, timeouts, the
 * Cilium CT map's dynamic sizing and per-element memory, garbage collection and the client's SYN
 * retransmission after a drop. The hash-map element header and bucket size are ebpf.* rows, the
 * per-packet nf_conntrack cost is cpu.conntrackExtraCycles. docs/sources.md#conntrack collects the
 * sources.
 */
import type { CalibrationEntry } from './calibrationEntry.ts';

const SOURCES = 'docs/sources.md';
const NF_SYSCTL =
  'Linux Documentation/networking/nf_conntrack-sysctl.rst @2c55d70, https://docs.kernel.org/networking/nf_conntrack-sysctl.html';
const KUBE_PROXY =
  `kubernetes/kubernetes pkg/proxy/apis/config/v1alpha1/defaults.go @0d17311 (kube-proxy conntrack defaults); ${SOURCES}#kube-proxy-conntrack`;
const SIZING_CHANGE =
  'Linux commit d532bcd0b269 "netfilter: conntrack: sanitize table size default settings" (F. Westphal, 2021, in 5.15): ' +
  `before it the default nf_conntrack_max was 4 x nf_conntrack_buckets, from it 1 x; ${SOURCES}#nf-conntrack-sizing`;
const MAPSIZE =
  'cilium/cilium pkg/maps/mapsize (Go package mapsize: defaults, floors, ceiling and the dynamic-size calculator) and ' +
  'Documentation/network/ebpf/maps.rst @5ba8131, https://docs.cilium.io/en/stable/network/ebpf/maps/';
const CILIUM_TIMEOUTS = 'cilium/cilium daemon/cmd/daemon_main.go, agent flag defaults';
const CT_TYPES = `cilium/cilium pkg/maps/ctmap/types.go @d93bee9; ${SOURCES}#cilium-ct-entry-layout`;
const HASHTAB = 'Linux kernel/bpf/hashtab.c, htab_map_alloc';

function nfTimeout(key: string, value: number, state: string): CalibrationEntry {
  return {
    key, value, unit: 's', label: 'sourced',
    source: `${NF_SYSCTL}, nf_conntrack_tcp_timeout_* / udp / icmp / generic defaults; ${SOURCES}#nf-conntrack-timeouts`,
    meaning: `Kernel default nf_conntrack timeout of ${state}.`,
  };
}

export const conntrackCalibration: readonly CalibrationEntry[] = [
  // ---- nf_conntrack sizing -----------------------------------------------------------------------
  {
    key: 'conntrack.kubeProxyMaxPerCore',
    value: 32_768,
    unit: 'entries per core',
    label: 'sourced',
    source: KUBE_PROXY,
    meaning: 'kube-proxy conntrack.maxPerCore: nf_conntrack_max = max(maxPerCore x cores, min).',
  },
  {
    key: 'conntrack.kubeProxyMinEntries',
    value: 131_072,
    unit: 'entries',
    label: 'sourced',
    source: KUBE_PROXY,
    meaning: 'kube-proxy conntrack.min, the floor of the nf_conntrack_max it sets.',
  },
  {
    key: 'conntrack.kubeProxyHashsizeDivisor',
    value: 4,
    unit: 'entries per bucket',
    label: 'sourced',
    source: 'kubernetes/kubernetes cmd/kube-proxy/app/conntrack.go (SetMax raises the hash size to max / 4 when the current size is smaller); docs/sources.md#kube-proxy-conntrack',
    meaning: 'kube-proxy raises the hash size to nf_conntrack_max / this when the current size is smaller.',
  },
  {
    key: 'conntrack.nfBucketsMemoryDivisorBytes',
    value: 16_384,
    unit: 'B per bucket',
    label: 'sourced',
    source: `${NF_SYSCTL}, nf_conntrack_buckets ("total memory / 16384"); ${SOURCES}#nf-conntrack-sizing`,
    meaning: 'Kernel default nf_conntrack_buckets = total memory / this.',
  },
  {
    key: 'conntrack.nfBucketsMin',
    value: 1024,
    unit: 'buckets',
    label: 'sourced',
    source: `${NF_SYSCTL}, nf_conntrack_buckets ("never fewer than 1024"); ${SOURCES}#nf-conntrack-sizing`,
    meaning: 'The default bucket count is never below this.',
  },
  {
    key: 'conntrack.nfBucketsMax',
    value: 262_144,
    unit: 'buckets',
    label: 'sourced',
    source: `${NF_SYSCTL}, nf_conntrack_buckets ("never more than 262144"); ${SOURCES}#nf-conntrack-sizing`,
    meaning: 'The default bucket count is never above this (an explicit hashsize may be larger).',
  },
  {
    key: 'conntrack.nfMaxPerBucket',
    value: 1,
    unit: 'entries per bucket',
    label: 'sourced',
    source: `${NF_SYSCTL}, nf_conntrack_max ("set to nf_conntrack_buckets by default"); ${SOURCES}#nf-conntrack-sizing`,
    meaning: 'Kernel >= 5.15: default nf_conntrack_max = buckets x this.',
  },
  {
    key: 'conntrack.nfMaxPerBucketLegacy',
    value: 4,
    unit: 'entries per bucket',
    label: 'sourced',
    source: SIZING_CHANGE,
    meaning: 'Kernel < 5.15: default nf_conntrack_max = buckets x this.',
  },
  {
    key: 'conntrack.nfSizingChangeKernelMajor',
    value: 5,
    unit: 'kernel major version',
    label: 'sourced',
    source: SIZING_CHANGE,
    meaning: 'Major version of the first kernel with max = buckets.',
  },
  {
    key: 'conntrack.nfSizingChangeKernelMinor',
    value: 15,
    unit: 'kernel minor version',
    label: 'sourced',
    source: SIZING_CHANGE,
    meaning: 'Minor version of the first kernel with max = buckets.',
  },
  {
    key: 'conntrack.nfEntryBytes',
    value: 320,
    unit: 'B',
    label: 'sourced',
    range: [300, 400],
    source:
      'third-party measurements of the nf_conntrack slab object: "~320 bytes … 1,048,576 entries is ~320 MB" (hivebook.wiki, conntrack entry); 304 B (J. Leach, "Netfilter Conntrack Memory Usage", 2009, https://johnleach.co.uk/posts/2009/06/17/netfilter-conntrack-memory-usage/); 328 B (Ubuntu, ctyun developer article); 376 B (Geektime Linux performance course example); docs/sources.md#nf-conntrack-memory',
    meaning: 'Kernel memory per nf_conn (slab object); NAT and accounting extensions push it toward the top of the range.',
  },
  {
    key: 'conntrack.nfBucketBytes',
    value: 8,
    unit: 'B',
    label: 'sourced',
    range: [8, 16],
    source: 'the hash bucket is one hlist_nulls_head (Linux include/linux/list_nulls.h: a single pointer, 8 B on 64-bit); third-party articles give 8–16 B per bucket; docs/sources.md#nf-conntrack-memory',
    meaning: 'Memory per nf_conntrack hash bucket (one hlist_nulls_head pointer on 64-bit).',
  },
  // ---- nf_conntrack timeouts (kernel defaults) ------------------------------------------------
  nfTimeout('conntrack.nfTcpEstablishedTimeoutSec', 432_000, 'TCP ESTABLISHED (5 days)'),
  nfTimeout('conntrack.nfTcpSynSentTimeoutSec', 120, 'TCP SYN_SENT'),
  nfTimeout('conntrack.nfTcpSynRecvTimeoutSec', 60, 'TCP SYN_RECV'),
  nfTimeout('conntrack.nfTcpFinWaitTimeoutSec', 120, 'TCP FIN_WAIT'),
  nfTimeout('conntrack.nfTcpCloseWaitTimeoutSec', 60, 'TCP CLOSE_WAIT'),
  nfTimeout('conntrack.nfTcpLastAckTimeoutSec', 30, 'TCP LAST_ACK'),
  nfTimeout('conntrack.nfTcpTimeWaitTimeoutSec', 120, 'TCP TIME_WAIT'),
  nfTimeout('conntrack.nfTcpCloseTimeoutSec', 10, 'TCP CLOSE'),
  nfTimeout('conntrack.nfTcpMaxRetransTimeoutSec', 300, 'TCP entries past the retransmission limit'),
  nfTimeout('conntrack.nfTcpUnacknowledgedTimeoutSec', 300, 'TCP entries with unacknowledged data'),
  nfTimeout('conntrack.nfUdpTimeoutSec', 30, 'UDP (unreplied)'),
  nfTimeout('conntrack.nfUdpStreamTimeoutSec', 120, 'UDP streams'),
  nfTimeout('conntrack.nfIcmpTimeoutSec', 30, 'ICMP'),
  nfTimeout('conntrack.nfGenericTimeoutSec', 600, 'other protocols (generic)'),
  {
    key: 'conntrack.kubeProxyTcpEstablishedTimeoutSec',
    value: 86_400,
    unit: 's',
    label: 'sourced',
    source: KUBE_PROXY,
    meaning: 'kube-proxy conntrack.tcpEstablishedTimeout (24 h, "1/5 default"), written over the kernel value.',
  },
  {
    key: 'conntrack.kubeProxyTcpCloseWaitTimeoutSec',
    value: 3600,
    unit: 's',
    label: 'sourced',
    source: KUBE_PROXY,
    meaning: 'kube-proxy conntrack.tcpCloseWaitTimeout (1 h), written over the kernel value.',
  },
  // ---- nf_conntrack garbage collection and table-full behaviour -------------------------------
  {
    key: 'conntrack.nfGcIntervalSec',
    value: 60,
    unit: 's',
    label: 'derived',
    range: [1, 120],
    source:
      'Linux net/netfilter/nf_conntrack_core.c gc_worker (>= 5.18, "revisit gc autotuning"): the next pass comes after the running mean of the entries\' remaining lifetimes, each clamped to [1 s, GC_SCAN_INTERVAL_CLAMP 300 s], with an initial bias of GC_SCAN_INITIAL_COUNT 100 entries at GC_SCAN_INTERVAL_MAX 60 s, the mean then clamped to [GC_SCAN_INTERVAL_MIN 1 s, 60 s]; earlier 5.x kernels used a fixed GC_SCAN_INTERVAL of 120 s; docs/sources.md#nf-conntrack-gc',
    derivation:
      "under kube-proxy's lifetimes (established 86,400 s, clamped to 300 s; TIME_WAIT entries with 0-120 s left, 60 s on average) the mean is 60 s or more, so the clamp gives 60 s",
    meaning: 'Interval between garbage-collection passes that free expired nf_conntrack entries (and run early drop when a refusal armed it).',
  },
  {
    key: 'conntrack.nfGcEarlyDropThresholdFraction',
    value: 0.95,
    unit: 'fraction',
    label: 'sourced',
    source:
      'Linux net/netfilter/nf_conntrack_core.c gc_worker: nf_conntrack_max95 = nf_conntrack_max / 100u * 95u; entries that may be early-dropped (unassured, or TCP closing states such as TIME_WAIT) are killed only while the count is at or above it, and only in a pass armed by a failed allocation (gc_work->early_drop); docs/sources.md#nf-conntrack-gc',
    meaning: 'Fill at or above which an armed garbage-collection pass frees closing-state entries before they expire.',
  },
  {
    key: 'conntrack.nfGcExpiredMaxPerSec',
    value: 64000,
    unit: 'entries/s',
    label: 'derived',
    source:
      'Linux net/netfilter/nf_conntrack_core.c: GC_SCAN_EXPIRED_MAX (64000u / HZ) entries freed per gc_worker run, after which the worker re-queues itself one jiffy later (an earlier revision of the patch used 8 MiB/s of events / 164 B = 51,150 per second); docs/sources.md#nf-conntrack-gc',
    derivation: '64000 / HZ entries per run x at most HZ runs per second (one per jiffy) = 64,000 entries/s, whatever HZ is',
    meaning: 'Most entries the GC frees per second while early drop stays armed (a table full of TIME_WAIT entries drains at this rate at best).',
  },
  {
    key: 'conntrack.kernelHz',
    value: 1000,
    unit: 'Hz',
    label: 'assumption',
    range: [100, 1000],
    source: 'assumption: CONFIG_HZ of the node kernel (Linux kernel/Kconfig.hz offers 100, 250, 300 and 1000); distribution kernels are built with 250 or 1000',
    meaning: 'Jiffies per second: the spacing of the GC worker\'s back-to-back runs (1/HZ) and the entries freed per run (nfGcExpiredMaxPerSec / HZ).',
  },
  // ---- the client's reaction to a dropped SYN -------------------------------------------------------
  {
    key: 'conntrack.synInitialRtoSec',
    value: 1,
    unit: 's',
    label: 'sourced',
    source: 'RFC 6298 §2.1 (RTO = 1 s until an RTT is measured); each later timeout doubles it, RFC 6298 §5.5; docs/sources.md#tcp-retransmission',
    meaning: 'Client waits this long before retransmitting a dropped SYN; each later wait doubles (RFC 6298 §5.5).',
  },
  {
    key: 'conntrack.synRetries',
    value: 6,
    unit: 'retransmissions',
    label: 'assumption',
    range: [1, 8],
    source: 'assumption at the Linux default: net.ipv4.tcp_syn_retries = 6 (Linux Documentation/networking/ip-sysctl.rst); with doubling, attempts at 0, 1, 3, 7, 15, 31, 63 s and failure at 127 s; docs/sources.md#tcp-retransmission',
    meaning: 'SYN retransmissions before connect() fails.',
  },
  // ---- Cilium CT map sizing -----------------------------------------------------------------------
  {
    key: 'conntrack.ciliumDynamicSizeRatio',
    value: 0.0025,
    unit: 'fraction',
    label: 'sourced',
    source: `${MAPSIZE}: bpf-map-dynamic-size-ratio 0.0025; ${SOURCES}#cilium-ct-sizing`,
    meaning: 'Share of total RAM the agent budgets for CT, NAT, neighbour and sock-rev-NAT map entries.',
  },
  {
    key: 'conntrack.ciliumDefaultMapsBudgetBytes',
    value: 21_233_664,
    unit: 'B',
    label: 'derived',
    source: `${MAPSIZE}: getDynamicSizeCalculator's examples 512 MB → 33,140 / 1 GB → 66,280 / 4 GB → 265,121 / 16 GB → 1,060,485 TCP entries; ${SOURCES}#cilium-ct-sizing`,
    derivation:
      'mapsize computes entries = floor(default x floor(RAM x 0.0025) / budget), budget = Σ default entries x element size; the four TCP and four any examples (RAM in binary units) hold only for budget in [21,233,659, 21,233,678] B; the one multiple of 262,144 (the smallest default map size) in it is 81 x 262,144 = 21,233,664 B',
    meaning: 'Bytes the default map sizes (524,288 TCP, 262,144 any, NAT, neighbour, sock-rev) would take by the agent\'s own sizes.',
  },
  {
    key: 'conntrack.ciliumCtTcpDefaultEntries',
    value: 524_288,
    unit: 'entries',
    label: 'sourced',
    source: `${MAPSIZE}: bpf-ct-global-tcp-max default 2 << 18; ${SOURCES}#cilium-ct-sizing`,
    meaning: 'TCP CT map size when dynamic sizing is off, and the reference size the dynamic heuristic scales.',
  },
  {
    key: 'conntrack.ciliumCtAnyDefaultEntries',
    value: 262_144,
    unit: 'entries',
    label: 'sourced',
    source: `${MAPSIZE}: bpf-ct-global-any-max default 2 << 17; ${SOURCES}#cilium-ct-sizing`,
    meaning: 'Non-TCP CT map size when dynamic sizing is off, and its reference size.',
  },
  {
    key: 'conntrack.ciliumCtTcpMinEntries',
    value: 131_072,
    unit: 'entries',
    label: 'sourced',
    source: `${MAPSIZE}: floor of the dynamic TCP size (limitTableAutoGlobalTCPMin 1 << 17); ${SOURCES}#cilium-ct-sizing`,
    meaning: 'Floor of the dynamically sized TCP CT map.',
  },
  {
    key: 'conntrack.ciliumCtAnyMinEntries',
    value: 65_536,
    unit: 'entries',
    label: 'sourced',
    source: `${MAPSIZE}: floor of the dynamic non-TCP size (limitTableAutoGlobalAnyMin 1 << 16); ${SOURCES}#cilium-ct-sizing`,
    meaning: 'Floor of the dynamically sized non-TCP CT map.',
  },
  {
    key: 'conntrack.ciliumCtMaxEntries',
    value: 16_777_216,
    unit: 'entries',
    label: 'sourced',
    source: `${MAPSIZE}: ceiling LimitTableMax 1 << 24; ${SOURCES}#cilium-ct-sizing`,
    meaning: 'Ceiling of a dynamically sized CT map (LimitTableMax).',
  },
  {
    key: 'conntrack.ciliumCtKeyBytes',
    value: 14,
    unit: 'B',
    label: 'derived',
    source: CT_TYPES,
    derivation: 'ipv4_ct_tuple / CtKey4Global fields: daddr 4 + saddr 4 + dport 2 + sport 2 + nexthdr 1 + flags 1 = 14 B',
    meaning: 'Key size of the IPv4 CT map.',
  },
  {
    key: 'conntrack.ciliumCtValueBytes',
    value: 56,
    unit: 'B',
    label: 'derived',
    source: CT_TYPES,
    derivation:
      'CtEntry fields: 4 x u64 counters 32 + lifetime 4 + flags 2 + rev_nat 2 + ifindex 2 + 2 x u8 flags_seen 2 + src_sec_id 4 + 2 x u32 report timestamps 8 = 56 B',
    meaning: 'Value size of the CT map.',
  },
  {
    key: 'conntrack.bpfHtabAlignBytes',
    value: 8,
    unit: 'B',
    label: 'sourced',
    source: `${HASHTAB} (elem_size = sizeof(htab_elem) + round_up(key_size, 8) + round_up(value_size, 8)); ${SOURCES}#bpf-htab-element`,
    meaning: 'Alignment the kernel rounds keys and values up to in a hash-map element.',
  },
  // ---- Cilium CT timeouts and garbage collection -----------------------------------------------
  {
    key: 'conntrack.ciliumTcpRegularTimeoutSec',
    value: 8000,
    unit: 's',
    label: 'sourced',
    source: `${CILIUM_TIMEOUTS}: bpf-ct-timeout-regular-tcp 8000*time.Second (2h13m20s); ${SOURCES}#cilium-ct-timeouts`,
    meaning: 'Lifetime of an established TCP CT entry without traffic (current releases).',
  },
  {
    key: 'conntrack.ciliumTcpRegularTimeoutLegacySec',
    value: 21_600,
    unit: 's',
    label: 'sourced',
    source: 'cilium/cilium daemon/cmd/daemon_main.go in older releases (bpf-ct-timeout-regular-tcp registered with 21600*time.Second, 6 h; current releases 8000*time.Second); docs/sources.md#cilium-ct-timeouts',
    meaning: 'The same lifetime in older Cilium configurations.',
  },
  {
    key: 'conntrack.ciliumTcpSynTimeoutSec',
    value: 60,
    unit: 's',
    label: 'sourced',
    source: `${CILIUM_TIMEOUTS}: bpf-ct-timeout-regular-tcp-syn 60*time.Second; ${SOURCES}#cilium-ct-timeouts`,
    meaning: 'Lifetime of a TCP CT entry during the handshake.',
  },
  {
    key: 'conntrack.ciliumTcpFinTimeoutSec',
    value: 10,
    unit: 's',
    label: 'sourced',
    source: `${CILIUM_TIMEOUTS}: bpf-ct-timeout-regular-tcp-fin 10*time.Second; ${SOURCES}#cilium-ct-timeouts`,
    meaning: 'Lifetime of a TCP CT entry after FIN/RST.',
  },
  {
    key: 'conntrack.ciliumAnyTimeoutSec',
    value: 60,
    unit: 's',
    label: 'sourced',
    source: `${CILIUM_TIMEOUTS}: bpf-ct-timeout-regular-any 60*time.Second; ${SOURCES}#cilium-ct-timeouts`,
    meaning: 'Lifetime of a non-TCP CT entry without traffic.',
  },
  {
    key: 'conntrack.ciliumGcIntervalSec',
    value: 300,
    unit: 's',
    label: 'assumption',
    range: [10, 43_200],
    source:
      'assumption: the agent\'s CT garbage collector runs at a dynamic interval by default (agent flag conntrack-gc-interval, 0 = dynamic; cilium/cilium Documentation/cmdref/cilium-agent.md), of the order of minutes, up to hours; the interval it settles on is not published; docs/sources.md#cilium-ct-timeouts',
    meaning: 'Interval between agent passes that delete expired CT map entries (the kernel LRU does not know about lifetimes).',
  },

  // ---- the default workload of `svcpath conntrack` (assumptions: sweep them) ----------------------
  {
    key: 'conntrack.workloadRampSec', value: 60, unit: 's', label: 'assumption', range: [1, 3_600],
    source: 'assumption: no published connection-ramp profile; a minute-long ramp keeps the opening rate (N / ramp) far below any node limit while the table fills within a short run',
    meaning: 'By default the N offered connections open as a Poisson stream at N / this rate, so all have opened after about this long.',
  },
  {
    key: 'conntrack.workloadHoldSec', value: 300, unit: 's', label: 'assumption', range: [1, 86_400],
    source: 'assumption: no published connection-lifetime distribution for cluster traffic; five minutes outlasts the ramp, so all N connections are open at once',
    meaning: 'How long each offered connection stays open by default.',
  },
  {
    key: 'conntrack.workloadPacketIntervalSec', value: 60, unit: 's', label: 'assumption', range: [0.001, 3_600],
    source:
      'assumption: a keep-alive cadence; any interval far below the established timeouts (nf_conntrack 432000 s / kube-proxy 86400 s, ' +
      'Linux Documentation/networking/nf_conntrack-sysctl.rst; Cilium 8000 s) keeps active entries alive',
    meaning: 'By default an active (not idle) connection sends one packet this often, refreshing its entry.',
  },
];
