/**
 * Seed question 8: kernel memory on Cilium nodes grows 40 % (800 MB to 1.1 GB) after three weeks;
 * an eBPF leak is suspected. Follow-up: a CiliumNetworkPolicy with 10K rules: how does policy
 * complexity affect eBPF memory?
 */
import type { Claim } from './claimTypes.ts';
import { claimedRange, claimedValue, fromCalibration, fromExperiment, fromFact, shown, statement } from './claimHelpers.ts';
import { factMatchRule, occursRule, overlapRule } from './rules.ts';
import { BYTES_PER_MIB } from '../../model/units.ts';

const MEMORY = 'kernel-memory';
// calibration-exempt-begin: claimed values quoted from the seed, and the sweep points the claims read (present in quick and full mode)
/** The seed's growth: 800 MB -> 1.1 GB. */
const SPIKE_MIB = 300e6 / BYTES_PER_MIB;
const LAST_DAY = 20;
const weeks = (datapath: string, traffic: string, policyRules: number, day: number) => ({ part: 'weeks', datapath, traffic, policyRules, day });
const mib = (metric: string, where: Record<string, string | number>, label: string) => fromExperiment(MEMORY, metric, where, 'MiB', label);

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
    claimed: statement("Cilium's BPF maps grow over time unless made smaller"),
    test: {
      kind: 'measure',
      measures: {
        primary: mib('growthMiB', weeks('cilium-tc', 'normal', 10_000, LAST_DAY), 'kernel memory grown over 21 days, Cilium, normal traffic, 10,000 rules'),
        special: mib('growthMiB', weeks('cilium-tc', 'leak', 10_000, LAST_DAY), 'the same with a connection leak (2 connections/s that never close)'),
        preallocated: mib('ciliumCtNatMiB', weeks('cilium-tc', 'normal', 100, 0), "Cilium's CT and NAT maps from the first day (preallocated)"),
      },
      rule: occursRule('with normal traffic', 'with a connection leak'),
      chart: { experiment: MEMORY, chart: 'memory-over-three-weeks' },
    },
    explain: (m) =>
      `A BPF map cannot grow past its max_entries, and Cilium's big maps are preallocated: the CT and NAT maps take ${shown(m, 'preallocated')} from the first minute and never more. Over 21 days the model's Cilium node grows by ${shown(m, 'primary')}, and by ${shown(m, 'special')} with a connection leak, which fills the LRU maps without taking a byte more. Shrinking bpf-policy-map-max bounds only the policy maps, at the price of regeneration failures and drops once a policy needs more entries.`,
    sources: ['docs/sources.md#bpf-htab-element', 'docs/sources.md#cilium-ct-sizing', 'docs/sources.md#node-scenarios'],
  },
  {
    id: 'q8-bpf-leak-explains-spike',
    question: 8,
    part: 'answer',
    quote: "kernel memory usage on nodes suddenly spikes 40% (from 800MB to 1.1GB). ... If memory spikes after 3 weeks, it's likely a leak in one of these areas.",
    claimed: claimedRange(SPIKE_MIB, Infinity, 'MiB', 'a BPF leak can add +300 MB (≥ 286 MiB)'),
    test: {
      kind: 'measure',
      measures: {
        primary: mib('policyMapsMaxGrowthMiB', weeks('cilium-tc', 'normal', 100, 0), 'the most BPF maps can grow by on this node (policy maps, no policy -> the cap on every endpoint; the other maps are preallocated)'),
        conntrack: mib('nfConntrackMaxGrowthMiB', weeks('kube-proxy-iptables', 'normal', 100, 0), 'the most nf_conntrack can grow by (empty -> nf_conntrack_max), kube-proxy node'),
        total: mib('totalMiB', weeks('cilium-tc', 'normal', 100, 0), "a Cilium node's kernel memory in these tables on day one"),
      },
      rule: overlapRule("the most the BPF maps can grow by on the model's node"),
      chart: { experiment: MEMORY, chart: 'what-could-explain-300-mb' },
    },
    explain: (m) =>
      `On the model's typical node (32 GiB, 110 endpoints) the maps Cilium owns take ${shown(m, 'total')} on day one, most of it preallocated; the only BPF maps that can grow are the per-endpoint policy maps, by at most ${shown(m, 'primary')} (every endpoint at bpf-policy-map-max), and they change when the policy does, not over weeks. On a kube-proxy node nf_conntrack can grow by at most ${shown(m, 'conntrack')}. So +300 MB over three weeks is not an eBPF map leak; look at slab caches (slabtop), page tables and the kernel's other consumers, and at what changed on the day it jumped.`,
    sources: ['docs/sources.md#cilium-policy-limits', 'docs/sources.md#nf-conntrack-memory', 'docs/sources.md#node-scenarios'],
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
    claimed: claimedRange(SPIKE_MIB, Infinity, 'MiB', 'the 10K-rule policy accounts for the +300 MB (≥ 286 MiB)'),
    test: {
      kind: 'measure',
      measures: {
        primary: mib('policyMapsMiB', { part: 'rules', policyRules: 10_000 }, 'policy-map memory of the node with 10,000 one-peer rules (110 endpoints)'),
        cap: mib('policyMapsMaxGrowthMiB', { part: 'rules', policyRules: 10_000 }, 'the same at the cap (bpf-policy-map-max on every endpoint)'),
        regeneration: fromExperiment(MEMORY, 'regenerationSec', { part: 'rules', policyRules: 10_000 }, 's', 'regeneration time per endpoint with 10,000 rules'),
      },
      rule: overlapRule("the model's policy-map memory"),
      chart: { experiment: MEMORY, chart: 'policy-rules' },
    },
    explain: (m) =>
      `Each endpoint's policy map holds one entry per (peer identity, port, direction) its rules allow, about 72 B each in the LPM-trie layout. 10,000 one-peer rules selecting every endpoint take ${shown(m, 'primary')} on the model's 110-endpoint node, and no policy can take more than ${shown(m, 'cap')} (bpf-policy-map-max on every endpoint): short of the +300 MB, and appearing when the policy is applied, not over weeks. The cost that hurts is elsewhere: ${shown(m, 'regeneration')} of regeneration per endpoint, and past the cap the regeneration fails and allowed traffic drops.`,
    sources: ['docs/sources.md#cilium-policy-limits', 'docs/sources.md#node-scenarios'],
  },
];
// calibration-exempt-end
