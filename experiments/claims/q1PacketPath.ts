/**
 * Seed question 1: a packet from pod A to Service B under kube-proxy (iptables) and under Cilium
 * (eBPF): where the work happens, what it costs per packet, and how to debug it; follow-up: TCP
 * retransmits and 100 µs latency after the migration.
 */
import type { Claim } from './claimTypes.ts';
import { claimedRange, claimedValue, fromExperiment, fromFact, ratioOf, shown } from './claimHelpers.ts';
import { commonOrSpecialRule, factMatchRule, overlapRule } from './rules.ts';
import { NS_PER_MS, NS_PER_US, PERCENT_PER_FRACTION } from '../../model/units.ts';

const SCALING = 'service-scaling';
const TAIL = 'latency-tail';
const US_PER_MS = NS_PER_MS / NS_PER_US;
const rtt = (metric: string, datapath: string, services: number, label: string) =>
  fromExperiment(SCALING, metric, { datapath, services }, 'µs', label);
const synCpu = (datapath: string, services: number) =>
  fromExperiment(SCALING, 'firstPacketCpuNs', { datapath, services }, 'ns', `CPU of the first packet (SYN), ${datapath}, ${services.toLocaleString('en-US')} Services`);

// calibration-exempt-begin: claimed values quoted from the seed and the sweep points the claims read (data, not model defaults)
/** latency-tail's lossy point present in quick and full mode: 1 % per direction. */
const LOSSY = 0.01;
const tail = (metric: string, datapath: string, idleState: string, label: string, lossFraction = 0) =>
  fromExperiment(TAIL, metric, { datapath, idleState, lossFraction }, 'µs', label);
const TYPICAL = 5000;
const LARGE = 30_000;
const CT_CONNECTIONS = 50_000;
const CT_NODE = { cores: 2, nodeMemoryGiB: 4 };
/** "Flat" for a scaling claim: the 30k/5k ratio within 10 %. */
const FLAT: [number, number] = [1 / 1.1, 1.1];

export const Q1_CLAIMS: readonly Claim[] = [
  {
    id: 'q1-round-robin-endpoints',
    question: 1,
    part: 'answer',
    quote: 'That chain has multiple targets (one per endpoint): -j KUBE-EP-yyyy selected round-robin.',
    claimed: claimedValue('round-robin'),
    test: { kind: 'measure', measures: { primary: fromFact('kubeProxy.iptablesEndpointSelection') }, rule: factMatchRule() },
    explain: () =>
      "kube-proxy writes rule i of the N jumps in KUBE-SVC-x as `-m statistic --mode random --probability 1/(N-i)`, so every new connection picks each endpoint with probability 1/N, independently of the last one; only IPVS mode schedules round-robin. It matters when per-pod request counts are uneven: with a few long-lived connections, random choice routinely puts two of three on one pod, which is not a bug.",
    sources: ['docs/sources.md#kube-proxy-endpoint-selection'],
  },
  {
    id: 'q1-every-packet-walks-nat-chains',
    question: 1,
    part: 'answer',
    quote: 'every packet traverses 4-5 iptables rules (PREROUTING -> KUBE-SERVICES -> KUBE-SVC -> KUBE-EP -> conntrack)',
    claimed: claimedValue('every packet'),
    test: { kind: 'measure', measures: { primary: fromFact('iptables.natTableTraversal') }, rule: factMatchRule() },
    explain: () =>
      'netfilter consults the nat table only for the packet that creates a connection; every later packet is rewritten from its conntrack entry and passes the filter hooks, where KUBE-FORWARD accepts it on its third rule (RELATED,ESTABLISHED). So the Service rules cost something once per connection, not per packet; and on that first packet the walk is not 4-5 rules but one KUBE-SERVICES rule per Service port ahead of the match, i.e. about half the Services on average.',
    sources: ['docs/sources.md#kube-proxy-filter-hooks'],
  },
  {
    id: 'q1-iptables-per-packet-latency',
    question: 1,
    part: 'answer',
    quote: 'Latency: every packet traverses 4-5 iptables rules (PREROUTING -> KUBE-SERVICES -> KUBE-SVC -> KUBE-EP -> conntrack), 50-100 microseconds per packet.',
    claimed: claimedRange(50, 100, 'µs', '50–100 µs per packet'),
    test: {
      kind: 'measure',
      measures: {
        primary: fromExperiment(SCALING, 'lookupNsPerPacket', { datapath: 'kube-proxy-iptables', services: TYPICAL }, 'µs', "iptables' rule processing per packet, averaged over every packet (the first packet's walk included), 5,000 Services", { factor: 1 / NS_PER_US }),
        special: fromExperiment(SCALING, 'firstPacketCpuNs', { datapath: 'kube-proxy-iptables', services: LARGE }, 'µs', "CPU of a connection's first packet (SYN), iptables, 30,000 Services", { factor: 1 / NS_PER_US }),
        rtt: rtt('establishedP50Us', 'kube-proxy-iptables', TYPICAL, 'established round trip p50 (request -> response), iptables, 5,000 Services'),
        rttCilium: rtt('establishedP50Us', 'cilium-tc', TYPICAL, 'the same under Cilium (tc)'),
        firstAtTypical: rtt('firstPacketP50Us', 'kube-proxy-iptables', TYPICAL, 'first-packet round trip p50, iptables, 5,000 Services'),
      },
      rule: commonOrSpecialRule("iptables' CPU per packet, averaged over every packet (5,000 Services)", "a connection's first packet at 30,000 Services"),
      chart: { experiment: SCALING, chart: 'cpu-per-packet' },
    },
    explain: (m) =>
      `Only a connection's first packet walks the nat chains; later packets are rewritten from conntrack and pass KUBE-FORWARD's ESTABLISHED rule. Averaged over every packet, first walks included, iptables costs ${shown(m, 'primary')} per packet at 5,000 Services in the model, and an established round trip takes ${shown(m, 'rtt')}, the same as under Cilium (${shown(m, 'rttCilium')}): nothing on an open connection is iptables' doing. The cost is on connection setup and grows with the Services: the first packet's CPU reaches ${shown(m, 'special')} at 30,000 Services (about 10-17 ns per KUBE-SERVICES rule), and its round trip is ${shown(m, 'firstAtTypical')} already at 5,000. So "50-100 µs per packet" is wrong for established traffic and describes only connection setup on large clusters.`,
    sources: ['docs/sources.md#iptables-per-rule-cost', 'docs/sources.md#nftables-first-packet-rtt', 'model/datapaths/README.md (model vs the nftables blog)'],
  },
  {
    id: 'q1-cilium-5-10us',
    question: 1,
    part: 'answer',
    quote: 'The program: (1) Parses packet headers (L3/L4). (2) Looks up service in BPF map (fast in-kernel hash map). ... Total latency: 5-10 microseconds',
    claimed: claimedRange(5, 10, 'µs', '5–10 µs of eBPF processing per packet'),
    test: {
      kind: 'measure',
      measures: {
        primary: fromExperiment(SCALING, 'cpuNsPerPacket', { datapath: 'cilium-tc', services: TYPICAL }, 'µs', 'node CPU per packet, all stages, Cilium (tc), 5,000 Services', { factor: 1 / NS_PER_US }),
        rtt: rtt('establishedP50Us', 'cilium-tc', TYPICAL, 'established round trip p50, Cilium (tc)'),
      },
      rule: overlapRule("the model's CPU time per packet on the node, every stage included (95 % CI)"),
      chart: { experiment: SCALING, chart: 'cpu-per-packet' },
    },
    explain: (m) =>
      `Parsing, the service and backend map lookups, the CT lookups, policy and the header rewrite are a few hundred nanoseconds of BPF per packet. The model charges the whole node ${shown(m, 'primary')} of CPU per packet with Cilium, and that includes the kernel's own forwarding, the NIC driver and TCP segment work, not just the BPF programs. The 5-10 µs is closer to a whole round trip (${shown(m, 'rtt')} in the model, both directions, wire included) than to the eBPF part of it.`,
    sources: ['docs/sources.md#cilium-receive-flamegraph', 'model/ebpf/README.md'],
  },
  {
    id: 'q1-cilium-10x-faster',
    question: 1,
    part: 'answer',
    quote: 'Total latency: 5-10 microseconds (10x faster than iptables).',
    claimed: claimedRange(5, 20, '×', '≈ 10× (read as 5–20×)'),
    test: {
      kind: 'measure',
      measures: {
        primary: ratioOf(
          rtt('establishedP50Us', 'kube-proxy-iptables', TYPICAL, 'established RTT p50, iptables'),
          rtt('establishedP50Us', 'cilium-tc', TYPICAL, 'established RTT p50, Cilium'),
          'established RTT p50, iptables / Cilium (tc), 5,000 Services',
        ),
        special: ratioOf(
          rtt('firstPacketP50Us', 'kube-proxy-iptables', LARGE, 'first-packet RTT p50, iptables'),
          rtt('firstPacketP50Us', 'cilium-tc', LARGE, 'first-packet RTT p50, Cilium'),
          'first-packet RTT p50, iptables / Cilium (tc), 30,000 Services',
        ),
      },
      rule: commonOrSpecialRule('the established-RTT ratio iptables / Cilium at 5,000 Services', 'the first-packet RTT ratio at 30,000 Services'),
      chart: { experiment: SCALING, chart: 'first-packet-rtt' },
    },
    explain: (m) =>
      `On an open connection the two datapaths are within a few percent of each other (iptables / Cilium = ${shown(m, 'primary')}): both translate from a connection-tracking entry, and the rest of the round trip (wire, NIC, TCP, wake-ups) is the same. A factor of ten appears only on the first packet of a connection with tens of thousands of Services (${shown(m, 'special')} at 30,000), where iptables walks KUBE-SERVICES and Cilium does one hash lookup. Workloads with long-lived connections see no speed-up from the datapath alone; connection-heavy workloads on large clusters do.`,
    sources: ['docs/sources.md#nftables-first-packet-rtt'],
  },
  {
    id: 'q1-cilium-no-conntrack',
    question: 1,
    part: 'answer',
    quote: 'No conntrack overhead.',
    claimed: claimedRange(0, 0, 'entries per connection', 'no connection tracking (0 entries per connection)'),
    test: {
      kind: 'measure',
      measures: {
        primary: fromExperiment('conntrack-capacity', 'peakEntries', { impl: 'cilium-ct', connections: CT_CONNECTIONS, ...CT_NODE }, 'entries per connection', 'Cilium CT entries per open connection (50,000 connections, 2 vCPU / 4 GiB)', { factor: 1 / CT_CONNECTIONS }),
        capacity: fromExperiment('conntrack-capacity', 'capacityEntries', { impl: 'cilium-ct', connections: CT_CONNECTIONS, ...CT_NODE }, 'entries', 'Cilium CT map size on that node'),
      },
      rule: overlapRule("the model's CT entries per connection"),
      chart: { experiment: 'conntrack-capacity', chart: 'what-breaks' },
    },
    explain: (m) =>
      `Cilium tracks every connection in its own BPF CT map (cilium_ct4_global, an LRU hash in the kernel): ${shown(m, 'primary')} in the model, in a map sized at 0.25 % of RAM (${shown(m, 'capacity')} on a 4 GiB node). Every packet pays CT lookups (two per packet with per-packet load balancing), and a full map evicts the least recently used entry, which silently breaks idle flows. The overhead is different from nf_conntrack's, not absent.`,
    sources: ['docs/sources.md#cilium-ct-sizing', 'docs/sources.md#bpf-lru-eviction'],
  },
  {
    id: 'q1-iptables-in-userspace',
    question: 1,
    part: 'answer',
    quote: 'Processing location: iptables runs in userspace connector (netfilter hooks), Cilium runs in kernel (eBPF JIT compiled to native CPU).',
    claimed: claimedValue('in userspace'),
    test: { kind: 'measure', measures: { primary: fromFact('iptables.ruleEvaluationPlace') }, rule: factMatchRule() },
    explain: () =>
      "Both run in the kernel, in the softirq that handles the packet: iptables rules are matched by netfilter's hooks (the iptables command only loads them), Cilium's programs by the tc hook. The difference is how a Service is found (a linear rule walk on the first packet vs hash-map lookups on every packet), not a user/kernel crossing; neither datapath copies packets to userspace.",
    sources: ['docs/sources.md#iptables-in-kernel'],
  },
  {
    id: 'q1-iptables-4-5-chain-jumps',
    question: 1,
    part: 'answer',
    quote: 'Lookup speed: iptables traverses chains linearly (4-5 chain jumps), Cilium uses BPF map (O(1) hash table).',
    claimed: claimedRange(FLAT[0], FLAT[1], '×', 'a fixed 4-5 jumps: the same cost at 30,000 as at 5,000 Services (ratio ≈ 1)'),
    test: {
      kind: 'measure',
      measures: { primary: ratioOf(synCpu('kube-proxy-iptables', LARGE), synCpu('kube-proxy-iptables', TYPICAL), 'first-packet CPU, iptables, 30,000 / 5,000 Services') },
      rule: overlapRule("the model's ratio"),
      chart: { experiment: SCALING, chart: 'cpu-per-packet' },
    },
    explain: (m) =>
      `The jumps are few, but KUBE-SERVICES holds one rule per Service port and the first packet tests them one by one until the match, so the cost grows with the cluster: the model's SYN costs ${shown(m, 'primary')} as much CPU at 30,000 Services as at 5,000 (more than the 6× of the rule count, because a 30,000-rule chain no longer fits in cache). It is the Service count, not the chain depth, that iptables is linear in.`,
    sources: ['docs/sources.md#iptables-per-rule-cost', 'docs/sources.md#kube-proxy-nat-rules'],
  },
  {
    id: 'q1-cilium-o1-lookup',
    question: 1,
    part: 'answer',
    quote: 'Cilium uses BPF map (O(1) hash table).',
    claimed: claimedRange(FLAT[0], FLAT[1], '×', 'O(1): the same cost at 30,000 as at 5,000 Services (ratio ≈ 1)'),
    test: {
      kind: 'measure',
      measures: { primary: ratioOf(synCpu('cilium-tc', LARGE), synCpu('cilium-tc', TYPICAL), 'first-packet CPU, Cilium (tc), 30,000 / 5,000 Services') },
      rule: overlapRule("the model's ratio"),
      chart: { experiment: SCALING, chart: 'cpu-per-packet' },
    },
    explain: (m) =>
      `A hash lookup in cilium_lb4_services_v2 and cilium_lb4_backends costs the same whatever the number of Services, apart from cache effects as the maps grow: the model's first packet costs ${shown(m, 'primary')} as much at 30,000 Services as at 5,000. kube-proxy's nftables mode gets the same property from verdict maps.`,
    sources: ['docs/sources.md#cilium-lb-maps', 'docs/sources.md#bpf-hashmap-lookup-bench', 'docs/sources.md#nftables-mechanism'],
  },
  {
    id: 'q1-conntrack-256kb-4mb-per-connection',
    question: 1,
    part: 'answer',
    quote: 'Connection tracking: iptables uses netfilter conntrack (256KB-4MB per connection, scales poorly)',
    claimed: claimedRange(256 * 1024, 4 * 1024 * 1024, 'B per connection', '256 KB–4 MB per connection'),
    test: {
      kind: 'measure',
      measures: {
        primary: fromExperiment('conntrack-capacity', 'peakMemoryBytes', { impl: 'nf_conntrack', connections: CT_CONNECTIONS, ...CT_NODE }, 'B per connection', 'nf_conntrack memory per open connection, hash buckets included (50,000 connections)', { factor: 1 / CT_CONNECTIONS }),
      },
      rule: overlapRule("the model's memory per connection"),
      chart: { experiment: 'conntrack-capacity', chart: 'peak-memory' },
    },
    explain: (m) =>
      `An nf_conntrack entry is a slab object of about 300-400 B (more with NAT and accounting extensions), plus its share of the hash table's 8 B buckets: ${shown(m, 'primary')} per connection in the model. A million connections take a few hundred MB, not terabytes. What scales poorly is the table's fixed maximum (kube-proxy sets max(32,768 x cores, 131,072)): past it, new connections are dropped.`,
    sources: ['docs/sources.md#nf-conntrack-memory', 'docs/sources.md#kube-proxy-conntrack'],
  },
  {
    id: 'q1-cilium-tracks-in-userspace',
    question: 1,
    part: 'answer',
    quote: 'Cilium tracks in userspace (less memory, better scaling).',
    claimed: claimedValue('in userspace'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.connectionTracking') }, rule: factMatchRule() },
    explain: () =>
      "Cilium's connection tracking is a BPF map in the kernel, looked up by the datapath programs on every packet; the agent in userspace only sizes it and garbage-collects expired entries. Its entries are smaller than nf_conntrack's (14 B key + 56 B value + 48 B hash-element header), but the map is preallocated at 0.25 % of RAM whether or not it is used, and when full it evicts rather than refusing.",
    sources: ['docs/sources.md#cilium-ct-entry-layout', 'docs/sources.md#bpf-htab-element'],
  },
  {
    id: 'q1-bpftool-cilium-services-map',
    question: 1,
    part: 'answer',
    quote: 'bpftool map dump name cilium_services shows in-kernel mapping.',
    claimed: claimedValue('cilium_services'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.serviceMapName') }, rule: factMatchRule() },
    explain: () =>
      'There is no map called cilium_services. The IPv4 Service map is cilium_lb4_services_v2 (a master entry per Service port plus one slot per backend), the backends are in cilium_lb4_backends_v3 and reverse NAT in cilium_lb4_reverse_nat; "cilium-dbg bpf lb list" prints the Service map decoded, which is easier to read than a raw bpftool dump.',
    sources: ['docs/sources.md#cilium-lb-maps'],
  },
  {
    id: 'q1-ebpf-microsecond-latency',
    question: 1,
    part: 'answer',
    quote: 'eBPF program runs immediately at packet arrival (microsecond latency).',
    claimed: claimedRange(0, 10, 'µs', 'microsecond latency (≤ 10 µs, the answer\'s own 5–10 µs)'),
    test: {
      kind: 'measure',
      measures: {
        primary: tail('firstPacketP50Us', 'cilium-tc', 'c1e', 'first-packet round trip p50, Cilium (tc), idle states down to C1E (the default)'),
        poll: tail('firstPacketP50Us', 'cilium-tc', 'poll', 'the same with no idle exits (idle=poll)'),
        p99: tail('firstPacketP99Us', 'cilium-tc', 'c1e', 'first-packet round trip p99, Cilium, default idle states'),
        c6: tail('firstPacketP99Us', 'cilium-tc', 'c6', 'the same p99 with C6 allowed'),
        special: fromExperiment(SCALING, 'cpuNsPerPacket', { datapath: 'cilium-tc', services: TYPICAL }, 'µs', 'node CPU per packet, all stages, Cilium (tc)', { factor: 1 / NS_PER_US }),
        idleExits: tail('firstMedianIdleExitUs', 'cilium-tc', 'c1e', "of the median first packet's round trip: waiting for idle cores to wake"),
      },
      rule: commonOrSpecialRule("the round trip a connection's first packet sees (p50, Cilium)", "the node's CPU time per packet (the program's own work)", { special: 'overlaps' }),
      chart: { experiment: TAIL, chart: 'idle-states' },
    },
    explain: (m) =>
      `The processing is fast (the node spends ${shown(m, 'special')} of CPU per packet, every stage included, the BPF programs a fraction of it), but it does not run "immediately": a packet reaching a sleeping core waits for the interrupt, the core's exit from its idle state and NAPI before any program sees it, and the answer waits for the application to be woken. In the model a connection's first round trip under Cilium takes ${shown(m, 'primary')} at the median on the default node (${shown(m, 'idleExits')} of it waiting for idle cores), ${shown(m, 'poll')} with idle=poll, and ${shown(m, 'p99')} at the p99, ${shown(m, 'c6')} where firmware allows C6. Microseconds describe the work, not the latency an application sees.`,
    sources: ['docs/sources.md#latency-tails-cstates', 'docs/sources.md#latency-tails-softirq'],
  },
  {
    id: 'q1-retransmits-100us',
    question: 1,
    part: 'follow-up',
    quote: 'Cilium is faster, but you notice a spike in TCP retransmits after migration. Latency is now 100 microseconds (not 10).',
    claimed: claimedRange(0.05, 0.2, 'ms', 'retransmits show as about 100 µs of latency (read as 0.05–0.2 ms)'),
    test: {
      kind: 'measure',
      measures: {
        primary: fromExperiment(TAIL, 'establishedP999Us', { datapath: 'cilium-tc', idleState: 'c1e', lossFraction: LOSSY }, 'ms', 'established round trip p99.9 with 1 % loss per direction, Cilium (tc)', { factor: 1 / US_PER_MS }),
        median: tail('establishedP50Us', 'cilium-tc', 'c1e', 'established round trip p50 with the same loss', LOSSY),
        medianNoLoss: tail('establishedP50Us', 'cilium-tc', 'c1e', 'established round trip p50 without loss'),
        retransmitted: fromExperiment(TAIL, 'retransmittedFraction', { datapath: 'cilium-tc', idleState: 'c1e', lossFraction: LOSSY }, '%', 'connections that retransmitted anything, 1 % loss', { factor: PERCENT_PER_FRACTION }),
      },
      rule: overlapRule("the model's p99.9 with loss (95 % CI)"),
      chart: { experiment: TAIL, chart: 'loss' },
    },
    explain: (m) =>
      `A retransmission waits for TCP's timer: at least 200 ms for data (Linux's minimum RTO), 1 s for a SYN, unless three duplicate ACKs trigger a fast retransmit. So loss does not move typical latency by tens of µs; it adds a tail of hundreds of milliseconds. With 1 % loss per direction the model's established p50 stays at ${shown(m, 'median')} (${shown(m, 'medianNoLoss')} without loss) while the p99.9 is ${shown(m, 'primary')}, and ${shown(m, 'retransmitted')} of the connections retransmit. A p50 of 100 µs instead of 10 has another cause (idle states, wake-ups, moderation: see idle-states), and a retransmit spike points at drops: count them by reason (drop_count_total) before profiling eBPF.`,
    sources: ['docs/sources.md#tcp-retransmission'],
  },
];
// calibration-exempt-end
