/**
 * Calibration rows of the lookup domain (see calibrationEntry.ts for the fields and labels):
 * kube-proxy's iptables rule structure and per-rule cost mechanism, the nftables verdict-map path,
 * and the Cilium LB map layout (the map lookup costs themselves are ebpf.* rows, the DRAM latency
 * cpu.* rows). docs/sources.md collects the sources by topic (#kube-proxy-iptables,
 * #kube-proxy-nftables, #cilium-lb-maps).
 */
import type { CalibrationEntry } from './calibrationEntry.ts';

const SOURCES = 'docs/sources.md';
const FIXTURE =
  'kubernetes/kubernetes pkg/proxy/iptables/proxier_test.go, the expected nat ruleset of TestCleanupLeftovers (per ClusterIP ' +
  `Service port with N endpoints: 1 KUBE-SERVICES rule, 1 + N KUBE-SVC rules, 2 per KUBE-SEP chain); ${SOURCES}#kube-proxy-nat-rules`;
const LBMAP = 'cilium/cilium pkg/maps/lbmap/ipv4.go @00c22b1 (the Go twins of the structs in bpf/lib/common.h)';

export const lookupCalibration: readonly CalibrationEntry[] = [
  // ---- kube-proxy iptables nat-table structure (counts of rules) ----------------------------
  {
    key: 'lookup.kubeServicesRulesPerServicePort',
    value: 1,
    unit: 'rules',
    label: 'sourced',
    source: FIXTURE,
    meaning: 'Rules in KUBE-SERVICES per ClusterIP Service port with endpoints (`-d VIP --dport P -j KUBE-SVC-x`).',
  },
  {
    key: 'lookup.kubeServicesTrailingRules',
    value: 1,
    unit: 'rules',
    label: 'sourced',
    source: FIXTURE,
    meaning: 'Rules after the Service rules in KUBE-SERVICES (the last rule, `--dst-type LOCAL -j KUBE-NODEPORTS`).',
  },
  {
    key: 'lookup.kubeSvcMasqRulesPerService',
    value: 1,
    unit: 'rules',
    label: 'sourced',
    source: FIXTURE,
    meaning: 'Masquerade rules at the top of each KUBE-SVC-x chain (`! -s <clusterCIDR> -j KUBE-MARK-MASQ`).',
  },
  {
    key: 'lookup.kubeSvcJumpRulesPerEndpoint',
    value: 1,
    unit: 'rules',
    label: 'sourced',
    source: FIXTURE,
    meaning: 'Jump rules in KUBE-SVC-x per endpoint (statistic-mode random, the last one unconditional).',
  },
  {
    key: 'lookup.kubeSepRulesPerEndpoint',
    value: 2,
    unit: 'rules',
    label: 'sourced',
    source: FIXTURE,
    meaning: 'Rules in each KUBE-SEP-x chain: the hairpin `-s <podIP> -j KUBE-MARK-MASQ`, then `-j DNAT`.',
  },
  {
    key: 'lookup.kubeMarkMasqRules',
    value: 1,
    unit: 'rules',
    label: 'sourced',
    source: FIXTURE,
    meaning: 'Rules in the shared KUBE-MARK-MASQ chain (`--or-mark 0x4000`).',
  },
  {
    key: 'lookup.kubePostroutingRules',
    value: 3,
    unit: 'rules',
    label: 'sourced',
    source: FIXTURE,
    meaning: 'Rules in the shared KUBE-POSTROUTING chain (RETURN if unmarked, clear the mark, MASQUERADE).',
  },
  {
    key: 'lookup.kubeForwardEstablishedRulePosition',
    value: 3,
    unit: 'rules',
    label: 'sourced',
    source:
      'kubernetes/kubernetes pkg/proxy/iptables/proxier.go (iptablesJumpChains) and the expected ruleset of TestCleanupLeftovers in pkg/proxy/iptables/proxier_test.go (KUBE-FORWARD: INVALID→DROP, mark 0x4000→ACCEPT, RELATED,ESTABLISHED→ACCEPT); docs/sources.md#kube-proxy-filter-hooks',
    meaning: 'Rules an unmarked established packet evaluates in KUBE-FORWARD: the RELATED,ESTABLISHED rule that accepts it is the third.',
  },
  // ---- iptables per-rule cost: a cache mechanism ----------------------------------------------
  {
    key: 'lookup.iptablesRuleCycles',
    value: 36,
    unit: 'cycles',
    label: 'assumption',
    range: [18, 72],
    source:
      'assumption: ipt_do_table + ip_packet_match (Linux net/ipv4/netfilter/ip_tables.c) on a non-matching rule (address/mask, interface and protocol compares, then next_offset) ≈ 60–70 instructions at an IPC of about 2, its lines resident in the LLC: ≈36 cycles, 10 ns at the 3.6 GHz reference clock (cpu.referenceFreqHz); no direct measurement was found, the check is the per-rule cost derived from the Kubernetes nftables blog chart (docs/sources.md#iptables-per-rule-cost)',
    meaning: 'CPU work to evaluate one iptables rule whose bytes are in the last-level cache.',
  },
  {
    key: 'lookup.iptablesRuleBytes',
    value: 488,
    unit: 'B',
    label: 'assumption',
    range: [300, 700],
    source:
      'assumption from the x_tables layouts (Linux include/uapi/linux/netfilter_ipv4/ip_tables.h, include/uapi/linux/netfilter/xt_comment.h, xt_tcpudp.h): ipt_entry 112 B + comment match (32 B header + 256 B xt_comment_info) + tcp match 48 B + standard target 40 B, for a KUBE-SERVICES rule `-m comment -m tcp -p tcp -d VIP --dport P -j KUBE-SVC-x`; no published size per rule was found',
    meaning:
      'Bytes one KUBE-SERVICES rule occupies in the nat-table blob, hence in cache while the chain is walked (the sequential prefetcher streams whole rules).',
  },
  {
    key: 'lookup.iptablesCacheShareBytes',
    value: 8_388_608,
    unit: 'B',
    label: 'assumption',
    range: [2_097_152, 33_554_432],
    source:
      'assumption: an 8 MiB share of a server last-level cache (e.g. 11 MiB on the Xeon Silver 4110 of the Intel MLC table, docs/sources.md#dram-latency; 16 MiB per CCX on the Ryzen 9 3950X of the BPF hash-map benchmark, docs/sources.md#bpf-hashmap-lookup-bench) that the nat ruleset keeps against packets, sockets, conntrack and the application; how much it keeps is not published',
    meaning: 'Bytes of last-level cache the KUBE-SERVICES chain can stay resident in; beyond it part of every walk misses to DRAM.',
  },
  {
    key: 'lookup.iptablesMissLinesPerRule',
    value: 2,
    unit: 'cache lines',
    label: 'assumption',
    range: [2, 3],
    source:
      'assumption from the ipt_entry layout (Linux include/uapi/linux/netfilter_ipv4/ip_tables.h): ip_packet_match reads the first ≈88 B of the 112-B ipt_entry (ipt_ip, then target/next offsets); at a 488-B stride that spans 2 lines at 6 of 8 line offsets and 3 at the other 2',
    meaning: 'Cache lines of a non-matching rule the CPU must wait for (demand reads) when the rule is not in cache.',
  },
  {
    key: 'lookup.memoryLevelParallelism',
    value: 10,
    unit: 'misses in flight',
    label: 'assumption',
    range: [4, 20],
    source:
      'assumption: the 10–12 L1 line-fill buffers of recent x86 cores (Intel 64 and IA-32 Architectures Optimization Reference Manual, https://www.intel.com/content/www/us/en/developer/articles/technical/intel-sdm.html) bound the outstanding misses; a sequential rule walk with hardware prefetch keeps them busy; no measurement of a rule walk was found',
    meaning: 'DRAM misses one core overlaps during a sequential rule walk: a missed rule stalls for lines / this DRAM latencies (cpu.dramLatencyLightLoadNs).',
  },
  // ---- nftables verdict-map path ----------------------------------------------------------------
  {
    key: 'lookup.nftablesVmapLookupCycles',
    value: 90,
    unit: 'cycles',
    label: 'assumption',
    range: [54, 216],
    source:
      'assumption by analogy with a kernel hash lookup on a small key (the BPF hash-map benchmark, bpf mailing list 2023: 19.7–26 ns, i.e. ≈70–95 cycles at 3.6 GHz, docs/sources.md#bpf-hashmap-lookup-bench); kube-proxy nftables keys the service-ips verdict map by ip . proto . port (KEP-3866, kubernetes/enhancements keps/sig-network/3866-nftables-proxy/README.md); no nftables per-lookup time is published (docs/sources.md#nftables-mechanism)',
    meaning: 'CPU work of one nftables verdict-map (hash set) lookup, independent of the number of elements (25 ns at 3.6 GHz).',
  },
  {
    key: 'lookup.nftablesFirstPacketVmapLookups',
    value: 2,
    unit: 'lookups',
    label: 'assumption',
    range: [1, 3],
    source:
      'assumption from KEP-3866 (kubernetes/enhancements keps/sig-network/3866-nftables-proxy/README.md @64765b4) and the Kubernetes nftables blog (2025-02-28): the service-ips verdict map, then the per-Service `numgen random mod N vmap` that picks the endpoint chain; docs/sources.md#nftables-mechanism',
    meaning: 'Verdict-map lookups on the first packet of a connection in kube-proxy nftables mode.',
  },
  {
    key: 'lookup.nftablesFirstPacketRules',
    value: 4,
    unit: 'rules',
    label: 'assumption',
    range: [2, 8],
    source:
      'assumption mirroring the iptables chains (kubernetes/kubernetes pkg/proxy/iptables/proxier_test.go, TestCleanupLeftovers ruleset): Service chain masquerade check and numgen rule, endpoint chain hairpin check and dnat; the nftables ruleset itself (pkg/proxy/nftables/proxier.go) was not counted rule by rule; docs/sources.md#kube-proxy-nat-rules',
    meaning: 'Ordinary rules evaluated besides the verdict-map lookups on a first packet in nftables mode.',
  },
  {
    key: 'lookup.nftablesRuleCycles',
    value: 36,
    unit: 'cycles',
    label: 'assumption',
    range: [18, 72],
    source: 'assumption: same order as an LLC-resident iptables rule (lookup.iptablesRuleCycles); these few rules are hot; no published per-rule time of nftables exists (KEP-3866, kubernetes/enhancements keps/sig-network/3866-nftables-proxy/README.md, gives none); docs/sources.md#nftables-mechanism',
    meaning: 'CPU work of one ordinary nftables rule (a handful of expressions) that is resident in cache.',
  },
  {
    key: 'lookup.nftablesEstablishedRules',
    value: 3,
    unit: 'rules',
    label: 'assumption',
    range: [1, 5],
    source: 'assumption by analogy with KUBE-FORWARD (kubernetes/kubernetes pkg/proxy/iptables/proxier.go): a few ct-state rules in the filter chains see every forwarded packet; docs/sources.md#kube-proxy-filter-hooks',
    meaning: 'Rules an established packet evaluates in kube-proxy nftables mode (the nat chains are not consulted).',
  },
  // ---- Cilium LB maps (lookup costs: model/ebpf mapLookupWork) --------------------------------
  {
    key: 'lookup.ciliumServiceKeyBytes',
    value: 12,
    unit: 'B',
    label: 'sourced',
    source: `${LBMAP}: Service4Key = struct lb4_key (address 4, dport 2, backend_slot 2, proto 1, scope 1, pad 2); ${SOURCES}#cilium-lb-maps`,
    meaning: 'Key size of cilium_lb4_services_v2.',
  },
  {
    key: 'lookup.ciliumServiceValueBytes',
    value: 12,
    unit: 'B',
    label: 'sourced',
    source: `${LBMAP}: Service4Value = struct lb4_service (backend_id 4, count 2, rev_nat_index 2, flags 1, flags2 1, pad 2); ${SOURCES}#cilium-lb-maps`,
    meaning: 'Value size of cilium_lb4_services_v2.',
  },
  {
    key: 'lookup.ciliumBackendValueBytes',
    value: 8,
    unit: 'B',
    label: 'sourced',
    source: `${LBMAP}: Backend4Value = struct lb4_backend (address 4, port 2, proto 1, pad 1); ${SOURCES}#cilium-lb-maps`,
    meaning: 'Value size of cilium_lb4_backends_v3.',
  },
  {
    key: 'lookup.ciliumBackendKeyBytes',
    value: 4,
    unit: 'B',
    label: 'derived',
    source: `${LBMAP}: Backend4Key holds the backend id; ${SOURCES}#cilium-lb-maps`,
    derivation: 'cilium_lb4_backends_v3 is keyed by the backend_id that the service value carries, a 4-byte field',
    meaning: 'Key size of cilium_lb4_backends_v3.',
  },
  {
    key: 'lookup.ciliumLbMapMaxEntries',
    value: 65_536,
    unit: 'entries',
    label: 'sourced',
    source: 'cilium/cilium daemon/cmd/daemon_main.go (bpf-lb-map-max registered with lbmap.DefaultMaxEntries) and Documentation/network/ebpf/maps.rst @5ba8131 ("Load balancer 64k"), https://docs.cilium.io/en/stable/network/ebpf/maps/; docs/sources.md#cilium-lb-maps',
    meaning: 'max_entries of the Cilium service and backend maps (bpf-lb-map-max).',
  },
  {
    key: 'lookup.ciliumNewConnectionServiceLookups',
    value: 2,
    unit: 'lookups',
    label: 'derived',
    source: `${LBMAP}: cilium_lb4_services_v2 keeps a master entry in slot 0 (its count is the number of backends) and one entry per backend in slots 1..N; ${SOURCES}#cilium-lb-maps`,
    derivation: 'choosing a backend reads the master entry (slot 0, for count), then the chosen slot: two service-map lookups',
    meaning: 'Service-map lookups to translate a new connection (per-packet LB first packet, or socket-LB connect()).',
  },
  {
    key: 'lookup.ciliumEstablishedServiceLookups',
    value: 1,
    unit: 'lookups',
    label: 'assumption',
    range: [1, 2],
    source:
      'assumption from Cilium\'s per-packet load balancing (cilium/cilium bpf/lib/lb.h, lb4_local; Documentation/network/kubernetes/kubeproxy-free.rst): per-packet LB still looks the Service up on every packet (the master entry); the backend id then comes from the CT entry, so the slot lookup is skipped; docs/sources.md#cilium-socket-lb',
    meaning: 'Service-map lookups per established packet with per-packet (tc) load balancing.',
  },
  {
    key: 'lookup.ciliumBackendLookups',
    value: 1,
    unit: 'lookups',
    label: 'derived',
    source: `${LBMAP}: cilium_lb4_backends maps the backend id to address and port; ${SOURCES}#cilium-lb-maps`,
    derivation: 'the chosen backend_id is resolved to address and port with one backend-map lookup, on every translated packet',
    meaning: 'Backend-map lookups per translation.',
  },

  {
    key: 'lookup.nftablesVmapLookupLines', value: 3, unit: 'cache lines', label: 'assumption', range: [2, 6],
    source:
      'assumption from the nft_set_hash layout (Linux net/netfilter/nft_set_hash.c: a bucket head, then the element with its key and ' +
      'verdict data; an rhashtable lookup reads the bucket, the element and the verdict one after another); no measurement was found; ' +
      'docs/sources.md#nftables-mechanism',
    meaning: 'Cache lines one verdict-map lookup reads, each depending on the one before: what a cold lookup waits for in DRAM.',
  },

  // ---- cold caches ------------------------------------------------------------------------------
  {
    key: 'lookup.cachePressureBytesPerUs', value: 1000, unit: 'B/us', label: 'assumption', range: [0, 10_000],
    source:
      'assumption: how fast everything else on the node (other pods, the kernel, other cores sharing the last-level cache) displaces a ' +
      'cached structure, i.e. its miss traffic into the shared cache; 1000 B/us = 1 GB/s turns an 8 MiB share over in about 8 ms. ' +
      'Not published for a typical node: a dedicated, quiet node is near 0, a node running memory-heavy pods reaches several GB/s ' +
      '(DRAM bandwidth of a server socket is tens of GB/s, Intel MLC, docs/sources.md#dram-latency). Sweep it (--cache-pressure)',
    meaning:
      "Bytes of a core's last-level cache share that other work displaces per microsecond; a structure untouched for t keeps exp(-pressure t / share) of its cached lines.",
  },
];
