/**
 * Seed question 8: kernel memory on Cilium nodes grows 40 % (800 MB to 1.1 GB) after three weeks;
 * an eBPF leak is suspected. Follow-up: a CiliumNetworkPolicy with 10K rules: how does policy
 * complexity affect eBPF memory?
 */
import type { Claim } from './claimTypes.ts';
import { claimedRange, claimedValue, fromCalibration, fromFact, statement } from './claimHelpers.ts';
import { factMatchRule, overlapRule } from './rules.ts';

// calibration-exempt-begin: claimed values quoted from the seed (data, not model defaults)
export const Q8_CLAIMS: readonly Claim[] = [
  {
    id: 'q8-policy-map-default-16384',
    question: 8,
    part: 'answer',
    quote: 'Tune BPF map capacity: cilium config set --patch \'{"bpf-policy-map-max": "8192"}\' (from default 16384).',
    claimed: claimedRange(16_384, 16_384, 'entries', 'bpf-policy-map-max default 16,384'),
    test: { kind: 'measure', measures: { primary: fromCalibration('datapath.ciliumPolicyMapMaxEntries', 'bpf-policy-map-max default') }, rule: overlapRule('the sourced default') },
    explain: () =>
      'Right: 16,384 entries per endpoint is the default. Halving it saves little (an entry is about 72 B in the LPM-trie layout, so a full map is about 1.1 MiB per endpoint) and makes endpoints whose policy needs more than 8,192 entries fail to regenerate and drop traffic as policy-denied.',
    sources: ['docs/sources.md#cilium-policy-map', 'docs/sources.md#cilium-policy-limits'],
  },
  {
    id: 'q8-smaller-maps-prevent-growth',
    question: 8,
    part: 'answer',
    quote: 'Smaller maps prevent unbounded growth, but may start dropping entries if full.',
    claimed: statement('BPF maps grow without bound unless made smaller'),
    test: { kind: 'needs-experiment', experiment: 'kernel-memory', what: "a node's BPF map and program memory over time against map sizes, policy size and connection churn" },
    explain: () =>
      'A BPF map never grows past its max_entries; hash maps are preallocated by default (Cilium\'s CT map holds its full size from the start), and LPM-trie policy maps allocate a node per entry up to the cap. The kernel-memory experiment will show which maps can account for a 300 MB growth, and how fast.',
    sources: ['docs/sources.md#bpf-htab-element', 'docs/sources.md#bpf-lpm-trie'],
  },
  {
    id: 'q8-bpf-leak-explains-spike',
    question: 8,
    part: 'answer',
    quote: 'If memory spikes after 3 weeks, it\'s likely a leak in one of these areas.',
    claimed: statement('a 40 % kernel-memory spike after three weeks is an eBPF leak'),
    test: { kind: 'needs-experiment', experiment: 'kernel-memory', what: 'kernel memory by consumer (BPF maps, programs, conntrack, slab) over weeks' },
    explain: () =>
      'The follow-up names the likely cause: a policy with 10K rules multiplies policy-map entries (peers x ports) on every endpoint it selects, up to the per-endpoint cap. The kernel-memory experiment will put that against the other consumers.',
    sources: ['docs/sources.md#cilium-policy-limits'],
  },
  {
    id: 'q8-bpf-map-ttl',
    question: 8,
    part: 'answer',
    quote: 'Configure: cilium config set --patch \'{"bpf-map-ttl": "300s"}\' (entries expire after 5 minutes).',
    claimed: claimedValue(true, 'an option named bpf-map-ttl exists'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.optionBpfMapTtl') }, rule: factMatchRule() },
    explain: () =>
      'No such option: BPF maps have no per-entry TTL in the kernel. Cilium expires CT entries itself (bpf-ct-timeout-regular-tcp 8000 s, -tcp-syn 60 s, -tcp-fin 10 s, -any 60 s) and its garbage collector deletes them; lowering those shortens idle connections\' lives, with the usual risk for long-lived quiet flows.',
    sources: ['docs/sources.md#cilium-ct-timeouts'],
  },
  {
    id: 'q8-tracing-options',
    question: 8,
    part: 'answer',
    quote: 'Disable expensive kprobes: cilium config set --patch \'{"tracing-enabled": false}\' or selectively: cilium config set --patch \'{"trace-syscalls": false}\'.',
    claimed: claimedValue(true, 'options named tracing-enabled and trace-syscalls exist'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.optionTracingEnabled') }, rule: factMatchRule() },
    explain: () =>
      "Neither option exists, and Cilium's networking datapath does not trace system calls with kprobes (runtime tracing is Tetragon's job). Cilium's own events go through a perf ring buffer of fixed size per CPU, which cannot grow.",
    sources: ['docs/sources.md#cilium-policy-limits'],
  },
  {
    id: 'q8-bpf-map-memory-metric',
    question: 8,
    part: 'answer',
    quote: 'Monitor BPF map memory continuously: prometheus query: bpf_map_memory_bytes{instance="node1"}.',
    claimed: claimedValue(true, 'a metric named bpf_map_memory_bytes exists'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.metricBpfMapMemoryBytes') }, rule: factMatchRule() },
    explain: () =>
      "The metric is bpf_maps_virtual_memory_max_bytes (and bpf_progs_virtual_memory_max_bytes for programs), system-wide; bpf_map_pressure{map_name} shows how full each of Cilium's maps is, which is what tells a full policy map from a growing one.",
    sources: ['docs/sources.md#cilium-policy-limits'],
  },
  {
    id: 'q8-bpf-connection-list',
    question: 8,
    part: 'answer',
    quote: 'Check: cilium bpf connection list | wc -l. If 100K+ connections when only 100 pods exist, connections are leaking.',
    claimed: claimedValue(true, 'a command cilium bpf connection list exists'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.commandBpfConnectionList') }, rule: factMatchRule() },
    explain: () =>
      'The command is "cilium-dbg bpf ct list global". And 100K entries with 100 pods is not a leak by itself: an entry lives as long as its connection plus 10 s after the FIN, or 8000 s after the last packet of a connection that went quiet without closing, so 1,000 new connections a second that each last two minutes hold about 120K. Compare the count with the map\'s size (bpf_map_pressure) and with the connection rate.',
    sources: ['docs/sources.md#cilium-ct-timeouts'],
  },
  {
    id: 'q8-policy-complexity-memory',
    question: 8,
    part: 'follow-up',
    quote: 'You find a Cilium CiliumNetworkPolicy with 10K rules (accidentally created by script). How does policy complexity affect eBPF memory?',
    claimed: statement('policy size drives eBPF memory'),
    test: { kind: 'needs-experiment', experiment: 'kernel-memory', what: 'policy-map memory per endpoint and per node against rules, peers and endpoints' },
    explain: () =>
      'Each endpoint\'s policy map holds one entry per (peer identity, port, direction) its rules allow, capped at bpf-policy-map-max (16,384, about 1.1 MiB); 10K rules selecting many identities fill it on every selected endpoint, and past the cap regeneration fails and traffic drops. The kernel-memory experiment will give the node-level figure.',
    sources: ['docs/sources.md#cilium-policy-limits'],
  },
];
// calibration-exempt-end
