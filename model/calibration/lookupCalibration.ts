/**
 * Calibration rows of the lookup domain (see calibrationEntry.ts for the fields and labels):
 * kube-proxy's iptables rule structure and per-rule cost mechanism, the nftables verdict-map path,
 * and the Cilium LB map layout (the map lookup costs themselves are ebpf.* rows, the DRAM latency
 * cpu.* rows). Sources are named as in
 * ../shared/reference/datapath-facts.md ("facts §1a" = its section 1a).
 */
import type { CalibrationEntry } from './calibrationEntry.ts';

const FIXTURE = 'facts §1a "Rules per ClusterIP Service port": kubernetes/kubernetes pkg/proxy/iptables ruleset fixture (TestCleanupLeftovers)';

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
      'facts §1a "kube-proxy filter-table hooks": pkg/proxy/iptables proxier.go iptablesJumpChains and the TestCleanupLeftovers fixture (KUBE-FORWARD: INVALID→DROP, mark 0x4000→ACCEPT, RELATED,ESTABLISHED→ACCEPT)',
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
      'assumption: ipt_do_table + ip_packet_match on a non-matching rule (address/mask, interface and protocol compares, then next_offset) ≈ 60–70 instructions at an IPC of about 2, its lines resident in the LLC: ≈36 cycles, 10 ns at the 3.6 GHz reference clock (cpu.referenceFreqHz)',
    meaning: 'CPU work to evaluate one iptables rule whose bytes are in the last-level cache.',
  },
  {
    key: 'lookup.iptablesRuleBytes',
    value: 488,
    unit: 'B',
    label: 'assumption',
    range: [300, 700],
    source:
      'assumption from the x_tables layouts (not in the facts table): ipt_entry 112 B + comment match (32 B header + 256 B xt_comment_info) + tcp match 48 B + standard target 40 B, for a KUBE-SERVICES rule `-m comment -m tcp -p tcp -d VIP --dport P -j KUBE-SVC-x`',
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
      'assumption: an 8 MiB share of a server last-level cache (e.g. 11 MiB on the Xeon Silver 4110 of facts §1f, 16 MiB per CCX on the Ryzen 3950X of facts §1b) that the nat ruleset keeps against packets, sockets, conntrack and the application',
    meaning: 'Bytes of last-level cache the KUBE-SERVICES chain can stay resident in; beyond it part of every walk misses to DRAM.',
  },
  {
    key: 'lookup.iptablesMissLinesPerRule',
    value: 2,
    unit: 'cache lines',
    label: 'assumption',
    range: [2, 3],
    source:
      'assumption: ip_packet_match reads the first ≈88 B of the 112-B ipt_entry (ipt_ip, then target/next offsets); at a 488-B stride that spans 2 lines at 6 of 8 line offsets and 3 at the other 2',
    meaning: 'Cache lines of a non-matching rule the CPU must wait for (demand reads) when the rule is not in cache.',
  },
  {
    key: 'lookup.memoryLevelParallelism',
    value: 10,
    unit: 'misses in flight',
    label: 'assumption',
    range: [4, 20],
    source:
      'assumption: the 10–12 L1 line-fill buffers of recent x86 cores bound the outstanding misses; a sequential rule walk with hardware prefetch keeps them busy',
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
      'assumption by analogy with a kernel hash lookup on a small key (facts §1b BPF hash-map row: 19.7–26 ns, i.e. ≈70–95 cycles at 3.6 GHz); kube-proxy nftables keys the service-ips verdict map by ip . proto . port',
    meaning: 'CPU work of one nftables verdict-map (hash set) lookup, independent of the number of elements (25 ns at 3.6 GHz).',
  },
  {
    key: 'lookup.nftablesFirstPacketVmapLookups',
    value: 2,
    unit: 'lookups',
    label: 'assumption',
    range: [1, 3],
    source:
      'assumption from KEP-3866 / the nftables blog (facts §1a): the service-ips verdict map, then the per-Service `numgen random mod N vmap` that picks the endpoint chain',
    meaning: 'Verdict-map lookups on the first packet of a connection in kube-proxy nftables mode.',
  },
  {
    key: 'lookup.nftablesFirstPacketRules',
    value: 4,
    unit: 'rules',
    label: 'assumption',
    range: [2, 8],
    source:
      'assumption mirroring the iptables chains (facts §1a): Service chain masquerade check and numgen rule, endpoint chain hairpin check and dnat',
    meaning: 'Ordinary rules evaluated besides the verdict-map lookups on a first packet in nftables mode.',
  },
  {
    key: 'lookup.nftablesRuleCycles',
    value: 36,
    unit: 'cycles',
    label: 'assumption',
    range: [18, 72],
    source: 'assumption: same order as an LLC-resident iptables rule (lookup.iptablesRuleCycles); these few rules are hot',
    meaning: 'CPU work of one ordinary nftables rule (a handful of expressions) that is resident in cache.',
  },
  {
    key: 'lookup.nftablesEstablishedRules',
    value: 3,
    unit: 'rules',
    label: 'assumption',
    range: [1, 5],
    source: 'assumption by analogy with KUBE-FORWARD (facts §1a): a few ct-state rules in the filter chains see every forwarded packet',
    meaning: 'Rules an established packet evaluates in kube-proxy nftables mode (the nat chains are not consulted).',
  },
  // ---- Cilium LB maps (lookup costs: model/ebpf mapLookupWork) --------------------------------
  {
    key: 'lookup.ciliumServiceKeyBytes',
    value: 12,
    unit: 'B',
    label: 'sourced',
    source: 'facts §1b "LB maps": cilium lbmap types, lb4_key (addr 4, dport 2, backend_slot 2, proto 1, scope 1, pad 2)',
    meaning: 'Key size of cilium_lb4_services_v2.',
  },
  {
    key: 'lookup.ciliumServiceValueBytes',
    value: 12,
    unit: 'B',
    label: 'sourced',
    source: 'facts §1b "LB maps": cilium lbmap types, service value (backend_id 4, count 2, rev_nat 2, flags 1, flags2 1, pad 2)',
    meaning: 'Value size of cilium_lb4_services_v2.',
  },
  {
    key: 'lookup.ciliumBackendValueBytes',
    value: 8,
    unit: 'B',
    label: 'sourced',
    source: 'facts §1b "LB maps": cilium lbmap types, backend value 8 B',
    meaning: 'Value size of cilium_lb4_backends_v3.',
  },
  {
    key: 'lookup.ciliumBackendKeyBytes',
    value: 4,
    unit: 'B',
    label: 'derived',
    source: 'facts §1b "LB maps": cilium lbmap types',
    derivation: 'cilium_lb4_backends_v3 is keyed by the backend_id that the service value carries, a 4-byte field',
    meaning: 'Key size of cilium_lb4_backends_v3.',
  },
  {
    key: 'lookup.ciliumLbMapMaxEntries',
    value: 65_536,
    unit: 'entries',
    label: 'sourced',
    source: 'facts §1b "LB maps": bpf-lb-map-max default (cilium ConfigMaps; maps.rst "Load balancer 64k")',
    meaning: 'max_entries of the Cilium service and backend maps (bpf-lb-map-max).',
  },
  {
    key: 'lookup.ciliumNewConnectionServiceLookups',
    value: 2,
    unit: 'lookups',
    label: 'derived',
    source: 'facts §1b "LB maps": cilium_lb4_services_v2 layout (slot 0 = master entry holding count, slots 1..N = backends)',
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
      'assumption from facts §1b/§2.3: per-packet LB still looks the Service up on every packet (the master entry); the backend id then comes from the CT entry, so the slot lookup is skipped',
    meaning: 'Service-map lookups per established packet with per-packet (tc) load balancing.',
  },
  {
    key: 'lookup.ciliumBackendLookups',
    value: 1,
    unit: 'lookups',
    label: 'derived',
    source: 'facts §1b "LB maps": cilium_lb4_backends_v3',
    derivation: 'the chosen backend_id is resolved to address and port with one backend-map lookup, on every translated packet',
    meaning: 'Backend-map lookups per translation.',
  },
];
