/**
 * Calibration rows of the datapath domain (see calibrationEntry.ts for the fields and labels): the
 * connection workload `simulatePath` defaults to on the typical node (nodeCalibration.ts), the protocol
 * framing it sizes packets with, the per-packet pieces the component tables do not itemise (veth
 * hop, TCP segment processing, the server's handshake), the Cilium maps every packet also reads
 * (policy, ipcache), the remote side of the path (wire, server) and the run length. Workload
 * defaults are assumptions with ranges: sweep them. Sources are named as in
 * ../shared/reference/datapath-facts.md ("facts §1b" = its section 1b).
 */
import type { CalibrationEntry } from './calibrationEntry.ts';

const FACTS = 'datapath-facts.md';

export const datapathCalibration: readonly CalibrationEntry[] = [
  // ---- the workload --------------------------------------------------------------------------------
  {
    key: 'datapath.connectionsPerSec', value: 1000, unit: 'connections/s', label: 'assumption', range: [1, 1_000_000],
    source: `no row in ${FACTS}; a lightly loaded node (${FACTS} §2 item 2: sweep it)`,
    meaning: 'Poisson rate at which client pods on the node open connections to Services.',
  },
  {
    key: 'datapath.requestsPerConnection', value: 10, unit: 'requests', label: 'assumption', range: [1, 100_000],
    source: `no row in ${FACTS}; ${FACTS} §2 item 2 (TCP_RR = long-lived, TCP_CRR = 1 request): sweep it`,
    meaning: 'Request/response exchanges per connection, one after the other.',
  },
  {
    key: 'datapath.services', value: 5000, unit: 'Service ports', label: 'assumption', range: [1, 100_000],
    source: `no row in ${FACTS}; the smallest cluster of the nftables blog chart (${FACTS} §1a: 5k, 10k, 30k)`,
    meaning: 'ClusterIP Services (one port each) programmed on every node.',
  },
  {
    key: 'datapath.endpointsPerService', value: 3, unit: 'endpoints', label: 'assumption', range: [1, 1000],
    source: `no row in ${FACTS}; a typical Deployment of three replicas`,
    meaning: 'Endpoints (backend pods) of every Service.',
  },
  {
    key: 'datapath.requestBytes', value: 256, unit: 'B', label: 'assumption', range: [1, 1_000_000],
    source: `no row in ${FACTS}; a small RPC request`,
    meaning: 'TCP payload of one request (split into MSS-sized segments).',
  },
  {
    key: 'datapath.responseBytes', value: 1024, unit: 'B', label: 'assumption', range: [1, 10_000_000],
    source: `no row in ${FACTS}; a small RPC response`,
    meaning: 'TCP payload of one response (split into MSS-sized segments).',
  },

  // ---- packet framing (protocol constants) ---------------------------------------------------------
  {
    key: 'datapath.mtuBytes', value: 1500, unit: 'B', label: 'sourced',
    source: `RFC 894 (IP over Ethernet, 1500 B MTU); ${FACTS} §1e uses the 1500 B MTU / 1518 B frame`,
    meaning: 'Largest IP packet; the TCP MSS is this minus the IP and TCP headers.',
  },
  {
    key: 'datapath.ipv4HeaderBytes', value: 20, unit: 'B', label: 'sourced',
    source: `RFC 791 §3.1 (IPv4 header without options); not a row of ${FACTS}`,
    meaning: 'IPv4 header of every packet.',
  },
  {
    key: 'datapath.tcpHeaderBytes', value: 20, unit: 'B', label: 'sourced',
    source: `RFC 793 §3.1 (TCP header without options); not a row of ${FACTS}`,
    meaning: 'TCP header of every segment, before options.',
  },
  {
    key: 'datapath.tcpTimestampOptionBytes', value: 12, unit: 'B', label: 'sourced',
    source: `RFC 7323 §3 (10 B timestamps option, padded to 12 by Linux); not a row of ${FACTS}`,
    meaning: 'TCP options on every segment after the handshake (Linux sends timestamps by default).',
  },
  {
    key: 'datapath.tcpSynOptionBytes', value: 20, unit: 'B', label: 'sourced',
    source: `RFC 793 (MSS 4 B), RFC 2018 (SACK-permitted 2 B), RFC 7323 (timestamps 10 B, window scale 3 B) + 1 B NOP; not a row of ${FACTS}`,
    meaning: 'TCP options on SYN and SYN-ACK (Linux: MSS, SACK-permitted, timestamps, window scale).',
  },

  // ---- per-packet work the component tables do not itemise ------------------------------------------
  {
    key: 'datapath.vethHopCycles', value: 720, unit: 'cycles', label: 'assumption', range: [360, 3600],
    source: `no row in ${FACTS}; veth xmit + per-CPU backlog enqueue + process_backlog, of the order of a few function-heavy stack layers (200 ns at 3.6 GHz)`,
    meaning: 'Crossing the veth pair between the pod and the host namespace, per packet (skipped by bpf_redirect_peer into the pod).',
  },
  {
    key: 'datapath.tcpSegmentCycles', value: 1800, unit: 'cycles', label: 'assumption', range: [720, 7200],
    source: `${FACTS} §1b "Share of tc-BPF in the receive path": tcp_v4_rcv costs about as much as cls_bpf_classify (20 vs 20 samples); a Cilium program run is ~0.3-0.5 us in this model, so 0.5 us at 3.6 GHz`,
    meaning: 'TCP processing of one segment at an end point (tcp_sendmsg to ip_output, or tcp_v4_rcv to the socket).',
  },
  {
    key: 'datapath.tcpHandshakeCycles', value: 3600, unit: 'cycles', label: 'assumption', range: [1800, 18_000],
    source: `no row in ${FACTS}; tcp_v4_conn_request + request sock + SYN-ACK build on the listener (1 us at 3.6 GHz)`,
    meaning: "The server kernel's work to answer a SYN with a SYN-ACK (no application involved).",
  },
  {
    key: 'datapath.ctNewEntryCostFactor', value: 2, unit: 'factor', label: 'assumption', range: [1, 3],
    source: `no row in ${FACTS}; ${FACTS} §1d gives the per-packet cost of an existing nf_conntrack entry only; a new entry adds allocation, both tuples' hashing and the insert at confirm (BPF CT: lookup miss + create)`,
    meaning: 'Connection-tracking work of the packet that creates an entry, as a multiple of a lookup of an existing entry (nf_conntrack and Cilium CT alike).',
  },
  {
    key: 'datapath.netdevMaxBacklogPackets', value: 1000, unit: 'packets', label: 'assumption', range: [300, 10_000],
    source: `no row in ${FACTS}; Linux net.core.netdev_max_backlog default (Documentation/admin-guide/sysctl/net.rst)`,
    meaning: "Packets a core's input backlog holds (pod -> host via veth); more are dropped.",
  },

  // ---- Cilium maps read on every packet ------------------------------------------------------------
  {
    key: 'datapath.ciliumTcCtLookupsPerServicePacket', value: 2, unit: 'lookups', label: 'assumption', range: [1, 2],
    source: `no row in ${FACTS}; bpf_lxc per-packet LB looks up the service CT entry (backend slot) and then the flow's CT entry (cilium/cilium bpf/lib/lb.h lb4_local; not in the facts)`,
    meaning: 'CT map lookups of a client-to-Service packet under per-packet (tc) load balancing; socket-LB packets do one.',
  },
  {
    key: 'datapath.ciliumPolicyMapMaxEntries', value: 16_384, unit: 'entries', label: 'sourced',
    source: `${FACTS} §1b "Policy map": bpf-policy-map-max 16384 per endpoint`,
    meaning: "max_entries of an endpoint's policy map.",
  },
  {
    key: 'datapath.ciliumPolicyMapEntries', value: 256, unit: 'entries', label: 'assumption', range: [1, 16_384],
    source: `no row in ${FACTS}; a namespace with a handful of NetworkPolicies over tens of identities and ports`,
    meaning: "Entries in an endpoint's policy map (identity x port x protocol).",
  },
  {
    key: 'datapath.ciliumPolicyKeyBytes', value: 12, unit: 'B', label: 'assumption', range: [8, 16],
    source: `no row in ${FACTS}; cilium policy_key (lpm prefix 4 + identity 4 + direction/protocol 2 + port 2)`,
    meaning: 'Key size of the policy map.',
  },
  {
    key: 'datapath.ciliumPolicyValueBytes', value: 8, unit: 'B', label: 'assumption', range: [4, 16],
    source: `no row in ${FACTS}; cilium policy_entry`,
    meaning: 'Value size of the policy map.',
  },
  {
    key: 'datapath.ciliumIpcacheMaxEntries', value: 512_000, unit: 'entries', label: 'sourced',
    source: `${FACTS} §1b "Map default limits": IP cache 512k`,
    meaning: 'max_entries of the ipcache LPM map.',
  },
  {
    key: 'datapath.ciliumIpcacheEntries', value: 10_000, unit: 'entries', label: 'assumption', range: [100, 512_000],
    source: `no row in ${FACTS}; one /32 per pod and node of a mid-size cluster`,
    meaning: 'Entries in the ipcache (IP -> security identity).',
  },
  {
    key: 'datapath.ciliumIpcachePrefixLengths', value: 2, unit: 'prefix lengths', label: 'assumption', range: [1, 33],
    source: `no row in ${FACTS}; pod /32s plus the cluster or world CIDRs`,
    meaning: 'Distinct prefix lengths an ipcache lookup walks (trie depth).',
  },
  {
    key: 'datapath.ciliumIpcacheKeyBytes', value: 24, unit: 'B', label: 'assumption', range: [8, 32],
    source: `no row in ${FACTS}; cilium ipcache_key (lpm key + cluster id + family + IPv6-sized address)`,
    meaning: 'Key size of the ipcache map.',
  },
  {
    key: 'datapath.ciliumIpcacheValueBytes', value: 16, unit: 'B', label: 'assumption', range: [8, 32],
    source: `no row in ${FACTS}; cilium remote_endpoint_info`,
    meaning: 'Value size of the ipcache map.',
  },

  // ---- the remote side: wire and server ------------------------------------------------------------
  {
    key: 'datapath.wireOneWayNs', value: 1000, unit: 'ns', label: 'assumption', range: [100, 10_000],
    source: `no row in ${FACTS}; one top-of-rack switch hop (cut-through ~0.5 us, store-and-forward ~1.2 us at 1500 B / 10 GbE) plus tens of metres of cable`,
    meaning: 'Propagation and switching delay between the two nodes, one way (serialisation is modelled separately).',
  },
  {
    key: 'datapath.appWakeupNs', value: 2000, unit: 'ns', label: 'assumption', range: [500, 50_000],
    source: `no row in ${FACTS}; scheduler wake-up of a blocked thread on an idle core (C-state exits can make it much longer)`,
    meaning: 'From data in a socket to the waiting application running (client: before its next request; server: before it answers).',
  },
  {
    key: 'datapath.serverProcessingNs', value: 1000, unit: 'ns', label: 'assumption', range: [100, 1_000_000],
    source: `no row in ${FACTS}; an echo-like server (netperf TCP_RR style)`,
    meaning: "The server application's time per request, after its wake-up.",
  },
  {
    key: 'datapath.tcpRtoMinSec', value: 0.2, unit: 's', label: 'assumption', range: [0.2, 1],
    source: `no row in ${FACTS}; Linux TCP_RTO_MIN (200 ms) for data; RFC 6298 recommends 1 s. SYNs use conntrack.synInitialRtoSec (${FACTS} §1d)`,
    meaning: 'Retransmission timeout of a dropped data segment or FIN (doubling on each further drop).',
  },

  // ---- run length ----------------------------------------------------------------------------------
  {
    key: 'datapath.durationSec', value: 2, unit: 's', label: 'assumption', range: [0.01, 3600],
    source: 'run control, not a physical quantity: long enough for ~2000 connections at the default rate',
    meaning: 'Simulated time during which new connections arrive (the run then drains).',
  },
  {
    key: 'datapath.warmupSec', value: 0.1, unit: 's', label: 'assumption', range: [0, 10],
    source: 'run control: adaptive interrupt moderation and load-dependent governors settle within tens of ms',
    meaning: 'Connections opened before this time are simulated but not measured; CPU and throughput are measured from here to durationSec.',
  },
];
