/**
 * Calibration rows of the datapath domain (see calibrationEntry.ts for the fields and labels): the
 * connection workload `simulatePath` defaults to on the typical node (nodeCalibration.ts), the protocol
 * framing it sizes packets with, the per-packet pieces the component tables do not itemise (veth
 * hop, TCP segment processing, the server's handshake), the Cilium maps every packet also reads
 * (policy, ipcache), the remote side of the path (wire, server) and the run length. Workload
 * defaults are assumptions with ranges: sweep them. docs/sources.md collects the sources by topic.
 */
import type { CalibrationEntry } from './calibrationEntry.ts';

export const datapathCalibration: readonly CalibrationEntry[] = [
  // ---- the workload --------------------------------------------------------------------------------
  {
    key: 'datapath.connectionsPerSec', value: 1000, unit: 'connections/s', label: 'assumption', range: [1, 1_000_000],
    source: 'assumption: a lightly loaded node; no published rate applies, and the workload shape decides the iptables/eBPF comparison (Cilium\'s TCP_RR vs TCP_CRR results, cilium/cilium Documentation/operations/performance/benchmark.rst @804d7cc), so sweep it; docs/sources.md#cilium-benchmarks',
    meaning: 'Poisson rate at which client pods on the node open connections to Services.',
  },
  {
    key: 'datapath.requestsPerConnection', value: 10, unit: 'requests', label: 'assumption', range: [1, 100_000],
    source: 'assumption between the two ends Cilium\'s benchmark measures, netperf TCP_RR (long-lived connections) and TCP_CRR (one request per connection) (cilium/cilium Documentation/operations/performance/benchmark.rst @804d7cc): sweep it; docs/sources.md#cilium-benchmarks',
    meaning: 'Request/response exchanges per connection, one after the other.',
  },
  {
    key: 'datapath.services', value: 5000, unit: 'Service ports', label: 'assumption', range: [1, 100_000],
    source: 'assumption: the smallest cluster of the first-packet RTT chart in the Kubernetes blog "NFTables mode for kube-proxy" (2025-02-28; 5k, 10k and 30k Services), https://kubernetes.io/blog/2025/02/28/nftables-kube-proxy/; docs/sources.md#nftables-first-packet-rtt',
    meaning: 'ClusterIP Services (one port each) programmed on every node.',
  },
  {
    key: 'datapath.endpointsPerService', value: 3, unit: 'endpoints', label: 'assumption', range: [1, 1000],
    source: 'assumption: a typical Deployment of three replicas; no published distribution of endpoints per Service was found',
    meaning: 'Endpoints (backend pods) of every Service.',
  },
  {
    key: 'datapath.requestBytes', value: 256, unit: 'B', label: 'assumption', range: [1, 1_000_000],
    source: 'assumption: a small RPC request; no published size distribution of in-cluster requests was found',
    meaning: 'TCP payload of one request (split into MSS-sized segments).',
  },
  {
    key: 'datapath.responseBytes', value: 1024, unit: 'B', label: 'assumption', range: [1, 10_000_000],
    source: 'assumption: a small RPC response; no published size distribution of in-cluster responses was found',
    meaning: 'TCP payload of one response (split into MSS-sized segments).',
  },

  // ---- packet framing (protocol constants) ---------------------------------------------------------
  {
    key: 'datapath.mtuBytes', value: 1500, unit: 'B', label: 'sourced',
    source: 'RFC 894 (IP over Ethernet, 1500 B MTU), the 1518 B frame of IEEE 802.3; docs/sources.md#tcp-ip-headers',
    meaning: 'Largest IP packet; the TCP MSS is this minus the IP and TCP headers.',
  },
  {
    key: 'datapath.ipv4HeaderBytes', value: 20, unit: 'B', label: 'sourced',
    source: 'RFC 791 §3.1 (IPv4 header without options); docs/sources.md#tcp-ip-headers',
    meaning: 'IPv4 header of every packet.',
  },
  {
    key: 'datapath.tcpHeaderBytes', value: 20, unit: 'B', label: 'sourced',
    source: 'RFC 793 §3.1 (TCP header without options); docs/sources.md#tcp-ip-headers',
    meaning: 'TCP header of every segment, before options.',
  },
  {
    key: 'datapath.tcpTimestampOptionBytes', value: 12, unit: 'B', label: 'sourced',
    source: 'RFC 7323 §3 (10 B timestamps option; Linux pads it to 12 B with two NOPs, net/ipv4/tcp_output.c tcp_options_write); docs/sources.md#tcp-ip-headers',
    meaning: 'TCP options on every segment after the handshake (Linux sends timestamps by default).',
  },
  {
    key: 'datapath.tcpSynOptionBytes', value: 20, unit: 'B', label: 'sourced',
    source: 'RFC 793 §3.1 (MSS 4 B), RFC 2018 §2 (SACK-permitted 2 B), RFC 7323 §3 and §2.2 (timestamps 10 B, window scale 3 B) + 1 B NOP (Linux net/ipv4/tcp_output.c tcp_options_write); docs/sources.md#tcp-ip-headers',
    meaning: 'TCP options on SYN and SYN-ACK (Linux: MSS, SACK-permitted, timestamps, window scale).',
  },

  // ---- per-packet work the component tables do not itemise ------------------------------------------
  {
    key: 'datapath.vethHopCycles', value: 720, unit: 'cycles', label: 'assumption', range: [360, 3600],
    source: 'assumption: veth xmit + per-CPU backlog enqueue + process_backlog (Linux drivers/net/veth.c, net/core/dev.c), of the order of a few function-heavy stack layers (200 ns at 3.6 GHz); no published per-hop time was found (eBPF host-routing skips the hop: Linux commit 9aa1206e8f48, docs/sources.md#bpf-redirect-peer)',
    meaning: 'Crossing the veth pair between the pod and the host namespace, per packet (skipped by bpf_redirect_peer into the pod).',
  },
  {
    key: 'datapath.tcpSegmentCycles', value: 1800, unit: 'cycles', label: 'assumption', range: [720, 7200],
    source: 'assumption scaled on Cilium\'s receiver flamegraph (TCP_RR, eBPF host-routing: tcp_v4_rcv 20 samples vs cls_bpf_classify 20; cilium/cilium.io src/posts/2021-05-11-cni-benchmark/images/cilium-ebpf-hr-rr-zh4.svg @6d48e8f): TCP receive costs about as much as the BPF program, a Cilium program run is ~0.3-0.5 us in this model, so 0.5 us at 3.6 GHz; docs/sources.md#cilium-receive-flamegraph',
    meaning: 'TCP processing of one segment at an end point (tcp_sendmsg to ip_output, or tcp_v4_rcv to the socket).',
  },
  {
    key: 'datapath.tcpHandshakeCycles', value: 3600, unit: 'cycles', label: 'assumption', range: [1800, 18_000],
    source: 'assumption: tcp_v4_conn_request + request sock + SYN-ACK build on the listener (Linux net/ipv4/tcp_input.c, net/ipv4/tcp_ipv4.c), about 1 us at 3.6 GHz; no published per-SYN time was found',
    meaning: "The server kernel's work to answer a SYN with a SYN-ACK (no application involved).",
  },
  {
    key: 'datapath.ctNewEntryCostFactor', value: 2, unit: 'factor', label: 'assumption', range: [1, 3],
    source: 'assumption: the published nf_conntrack cost (+350 ns per packet, XDP paper, ACM CoNEXT 2018, §4.1, docs/sources.md#nf-conntrack-cost) is for packets of existing entries; a new entry adds allocation, both tuples\' hashing and the insert at confirm (Linux net/netfilter/nf_conntrack_core.c; BPF CT: lookup miss + create); no published cost of a new entry was found',
    meaning: 'Connection-tracking work of the packet that creates an entry, as a multiple of a lookup of an existing entry (nf_conntrack and Cilium CT alike).',
  },
  {
    key: 'datapath.netdevMaxBacklogPackets', value: 1000, unit: 'packets', label: 'assumption', range: [300, 10_000],
    source: 'assumption at the Linux default: net.core.netdev_max_backlog 1000 (Documentation/admin-guide/sysctl/net.rst; net/core/hotdata.c); docs/sources.md#napi-weight',
    meaning: "Packets a core's input backlog holds (pod -> host via veth); more are dropped.",
  },

  // ---- Cilium maps read on every packet ------------------------------------------------------------
  {
    key: 'datapath.ciliumTcCtLookupsPerServicePacket', value: 2, unit: 'lookups', label: 'assumption', range: [1, 2],
    source: 'assumption from cilium/cilium bpf/lib/lb.h (lb4_local): per-packet LB looks up the service CT entry (backend slot) and then the flow\'s CT entry; socket-LB packets do one; no published count; docs/sources.md#cilium-socket-lb',
    meaning: 'CT map lookups of a client-to-Service packet under per-packet (tc) load balancing; socket-LB packets do one.',
  },
  {
    key: 'datapath.ciliumPolicyMapMaxEntries', value: 16_384, unit: 'entries', label: 'sourced',
    source: 'cilium/cilium pkg/maps/policymap/policymap.go @42daeda (MaxEntries = 16384) and the agent reference Documentation/cmdref/cilium-agent.md (bpf-policy-map-max, "Maximum number of entries in endpoint policy map (per endpoint)"); docs/sources.md#cilium-policy-map',
    meaning: "max_entries of an endpoint's policy map.",
  },
  {
    key: 'datapath.ciliumPolicyMapEntries', value: 256, unit: 'entries', label: 'assumption', range: [1, 16_384],
    source: 'assumption: a namespace with a handful of NetworkPolicies over tens of identities and ports, one entry per (identity, port/protocol, direction) (cilium/cilium Documentation/network/ebpf/maps.rst); no published distribution of entries per endpoint was found; docs/sources.md#cilium-policy-limits',
    meaning: "Entries in an endpoint's policy map (identity x port x protocol).",
  },
  {
    key: 'datapath.ciliumPolicyKeyBytes', value: 12, unit: 'B', label: 'assumption', range: [8, 16],
    source: 'assumption from cilium policy_key (lpm prefix 4 + identity 4 + direction/protocol 2 + port 2); the current PolicyKey is 12 B (cilium/cilium pkg/maps/policymap/policymap.go @42daeda); docs/sources.md#cilium-policy-limits',
    meaning: 'Key size of the policy map.',
  },
  {
    key: 'datapath.ciliumPolicyValueBytes', value: 8, unit: 'B', label: 'assumption', range: [4, 16],
    source: 'assumption from an older cilium policy_entry; the current PolicyEntry is 24 B (proxy port, flags, auth, padding, packet and byte counters; cilium/cilium pkg/maps/policymap/policymap.go @42daeda), above this range; docs/sources.md#cilium-policy-limits',
    meaning: 'Value size of the policy map.',
  },
  {
    key: 'datapath.ciliumIpcacheMaxEntries', value: 512_000, unit: 'entries', label: 'sourced',
    source: 'cilium/cilium Documentation/network/ebpf/maps.rst @5ba8131 ("IP cache 512k"), https://docs.cilium.io/en/stable/network/ebpf/maps/; docs/sources.md#cilium-ipcache',
    meaning: 'max_entries of the ipcache LPM map.',
  },
  {
    key: 'datapath.ciliumIpcacheEntries', value: 10_000, unit: 'entries', label: 'assumption', range: [100, 512_000],
    source: 'assumption: one /32 per pod and node of a mid-size cluster; no published distribution of ipcache sizes was found',
    meaning: 'Entries in the ipcache (IP -> security identity).',
  },
  {
    key: 'datapath.ciliumIpcachePrefixLengths', value: 2, unit: 'prefix lengths', label: 'assumption', range: [1, 33],
    source: 'assumption: pod /32s plus the cluster or world CIDRs; no published distribution of prefix lengths was found',
    meaning: 'Distinct prefix lengths an ipcache lookup walks (trie depth).',
  },
  {
    key: 'datapath.ciliumIpcacheKeyBytes', value: 24, unit: 'B', label: 'assumption', range: [8, 32],
    source: 'assumption from cilium struct ipcache_key (lpm key + cluster id + family + IPv6-sized address, cilium/cilium bpf/lib/common.h); the layout was not re-read; docs/sources.md#cilium-ipcache',
    meaning: 'Key size of the ipcache map.',
  },
  {
    key: 'datapath.ciliumIpcacheValueBytes', value: 16, unit: 'B', label: 'assumption', range: [8, 32],
    source: 'assumption from cilium struct remote_endpoint_info (cilium/cilium bpf/lib/common.h); the layout was not re-read; docs/sources.md#cilium-ipcache',
    meaning: 'Value size of the ipcache map.',
  },

  // ---- the remote side: wire and server ------------------------------------------------------------
  {
    key: 'datapath.wireOneWayNs', value: 1000, unit: 'ns', label: 'assumption', range: [100, 10_000],
    source: 'assumption: one top-of-rack switch hop (cut-through ~0.5 us, store-and-forward ~1.2 us for a 1518 B frame at 10 Gbit/s, docs/sources.md#line-rate) plus tens of metres of cable; no published figure for a particular fabric applies',
    meaning: 'Propagation and switching delay between the two nodes, one way (serialisation is modelled separately).',
  },
  {
    key: 'datapath.serverProcessingNs', value: 1000, unit: 'ns', label: 'assumption', range: [100, 1_000_000],
    source: 'assumption: an echo-like server (netperf TCP_RR style, https://github.com/HewlettPackard/netperf); an application\'s time per request is workload-specific and not published: sweep it',
    meaning: "The server application's time per request, after its wake-up.",
  },
  {
    key: 'datapath.tcpRtoMinSec', value: 0.2, unit: 's', label: 'assumption', range: [0.2, 1],
    source: 'assumption at the Linux value: TCP_RTO_MIN 200 ms for data (Linux include/net/tcp.h); RFC 6298 §2.4 recommends a 1 s minimum; SYNs use conntrack.synInitialRtoSec; docs/sources.md#tcp-retransmission',
    meaning: 'Retransmission timeout of a dropped data segment or FIN (doubling on each further drop).',
  },

  // ---- run length ----------------------------------------------------------------------------------
  {
    key: 'datapath.durationSec', value: 2, unit: 's', label: 'assumption', range: [0.01, 3600],
    source: 'run control, not a physical quantity (no published value applies): long enough for ~2000 connections at the default rate',
    meaning: 'Simulated time during which new connections arrive (the run then drains).',
  },
  {
    key: 'datapath.warmupSec', value: 0.1, unit: 's', label: 'assumption', range: [0, 10],
    source: 'run control, not a physical quantity (no published value applies): adaptive interrupt moderation and load-dependent governors settle within tens of ms',
    meaning: 'Connections opened before this time are simulated but not measured; CPU and throughput are measured from here to durationSec.',
  },
];
