/**
 * Seed question 2: occasional packet drops (0.1 %) under Cilium network policy, inter-pod only;
 * the team suspects eBPF. Follow-up: 0.05 % persists after simplifying policies; BPF memory?
 */
import type { Claim } from './claimTypes.ts';
import { claimedRange, claimedValue, fromCalibration, fromExperiment, fromFact, shown, statement } from './claimHelpers.ts';
import { factMatchRule, occursRule, overlapRule, quantityRule } from './rules.ts';
import { NS_PER_MS, PERCENT_PER_FRACTION } from '../../model/units.ts';

const DROPS = 'policy-drops';
const ranked = (label: string, cause: string) => fromExperiment(DROPS, 'dropFraction', { cause, label }, '%', label, { factor: PERCENT_PER_FRACTION });

// calibration-exempt-begin: claimed values quoted from the seed, and the ranking cases the claims read (the labels of experiments/policyDrops.ts)
const POLICY_MAP_JUST_FULL = 'policy map needs 16,400 entries (8,200 identities)';
const CONNTRACK_JUST_FULL = 'nf_conntrack offered 100.1 % of its size';
const REGENERATION_BUSY = 'regeneration: 100 rules x 1,000 identities, 1 new identity/s';

export const Q2_CLAIMS: readonly Claim[] = [
  {
    id: 'q2-map-limit-explains-drops',
    question: 2,
    part: 'answer',
    quote: 'eBPF packet drop in Cilium usually means: (1) NetworkPolicy is rejecting traffic, or (2) eBPF program hit a limit (memory, verifier complexity) ...',
    claimed: claimedRange(0.05, 0.2, '%', 'a limit (a full BPF map) can explain ~0.1 % drops (read as 0.05–0.2 %)'),
    test: {
      kind: 'measure',
      measures: {
        primary: ranked(POLICY_MAP_JUST_FULL, 'policy-map'),
        conntrack: ranked(CONNTRACK_JUST_FULL, 'conntrack'),
        regeneration: ranked(REGENERATION_BUSY, 'regeneration'),
      },
      rule: overlapRule("the model's drop fraction with a policy map just past its cap (95 % CI)"),
      chart: { experiment: DROPS, chart: 'ranking' },
    },
    explain: (m) =>
      `A memory limit can do it, and it takes very little: a policy map that needs 16,400 entries against its 16,384 cap fails the endpoint's regeneration, and the 16 missing (identity, port) entries drop as policy-denied: ${shown(m, 'primary')} of allowed traffic in the model. Other causes reach the same size: an nf_conntrack table offered 0.1 % more connections than it holds (${shown(m, 'conntrack')}), or regeneration windows with many rules and new identities (${shown(m, 'regeneration')}). The verifier is not one of them: a program it rejects is never loaded. Check drop_count_total by reason, and bpf_map_pressure for the policy maps.`,
    sources: ['docs/sources.md#cilium-policy-limits', 'model/controlplane/README.md (policy-drops)'],
  },
  {
    id: 'q2-verifier-limit-slow-path',
    question: 2,
    part: 'answer',
    quote: 'eBPF program hit a limit (memory, verifier complexity) and fell back to slow path',
    claimed: claimedValue('falls back to a slow path'),
    test: { kind: 'measure', measures: { primary: fromFact('kernel.bpfVerifierOnLimit') }, rule: factMatchRule() },
    explain: () =>
      'There is no slow path to fall back to. A program over the verifier limit is rejected at load time (E2BIG, "BPF program is too large"), so it never runs; Cilium keeps the previous program and marks the endpoint regeneration as failed. A map that is full makes updates fail (policy map: missing entries drop as denied; CT and NAT maps: LRU eviction), which is a correctness problem, not a slower path.',
    sources: ['docs/sources.md#bpf-verifier-limit'],
  },
  {
    id: 'q2-metric-policy-verdict-denied',
    question: 2,
    part: 'answer',
    quote: 'count drops: cilium metrics list | grep policy_verdict_denied (metrics show denied packets)',
    claimed: claimedValue(true, 'a metric named policy_verdict_denied exists'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.metricPolicyVerdictDenied') }, rule: factMatchRule() },
    explain: () =>
      'Cilium has no policy_verdict_denied metric, so the grep prints nothing and "the counter is not high" is concluded from a counter that does not exist. Policy drops are counted in drop_count_total with reason "Policy denied" (and direction); "cilium-dbg monitor --type drop" or Hubble show the flows themselves.',
    sources: ['docs/sources.md#cilium-policy-limits'],
  },
  {
    id: 'q2-metric-bpf-program-run-time',
    question: 2,
    part: 'answer',
    quote: 'Run Prometheus query: rate(cilium_bpf_program_run_time[1m])—shows average eBPF execution time per program.',
    claimed: claimedValue(true, 'a metric named cilium_bpf_program_run_time exists'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.metricBpfProgramRunTime') }, rule: factMatchRule() },
    explain: () =>
      'No such metric. Per-program run time is a kernel statistic: with kernel.bpf_stats_enabled=1, "bpftool prog show" reports run_time_ns and run_cnt per program (their ratio is the mean run time), at a cost of two clock reads per run. Cilium itself exports bpf_syscall_duration_seconds (map operations from the agent), not datapath run times.',
    sources: ['docs/sources.md#bpf-stats'],
  },
  {
    id: 'q2-program-size-1mb-verifier-limit',
    question: 2,
    part: 'answer',
    quote: 'Check eBPF program size: bpftool prog list | grep cilium—if size >1MB, program is huge and may hit kernel verifier limits.',
    claimed: claimedRange(1e6, 1024 * 1024, 'B', 'a verifier limit at 1 MB of program'),
    test: { kind: 'measure', measures: { primary: fromFact('kernel.bpfVerifierComplexityLimit') }, rule: quantityRule() },
    explain: () =>
      'The verifier\'s limit is 1,000,000 instructions processed while it explores every path of the program (BPF_COMPLEXITY_LIMIT_INSNS), not a program size in bytes: a small program with many branches can hit it and a large straight one will not. The sizes bpftool prints (xlated, jited) cannot tell you how close a program is; the verifier log at load time can. And a program over the limit is never loaded, so it cannot be the cause of drops at run time.',
    sources: ['docs/sources.md#bpf-verifier-limit'],
  },
  {
    id: 'q2-policy-map-default-8192',
    question: 2,
    part: 'answer',
    quote: 'Enable eBPF tail calls to reduce program size: cilium config set bpf-policy-map-max=16384 (default 8192).',
    claimed: claimedRange(8192, 8192, 'entries', 'bpf-policy-map-max default 8,192'),
    test: { kind: 'measure', measures: { primary: fromCalibration('datapath.ciliumPolicyMapMaxEntries', 'bpf-policy-map-max default') }, rule: overlapRule('the sourced default') },
    explain: () =>
      'bpf-policy-map-max defaults to 16,384 entries per endpoint (pkg/maps/policymap, the agent reference, maps.rst), so setting it to 16,384 changes nothing; the allowed range is 256 to 65,536. It sizes the per-endpoint policy map and has nothing to do with tail calls or program size. (The seed\'s eighth answer gives the default correctly as 16,384.)',
    sources: ['docs/sources.md#cilium-policy-map', 'docs/sources.md#cilium-policy-limits'],
  },
  {
    id: 'q2-bpf-stats-enabled-verifier-limit',
    question: 2,
    part: 'answer',
    quote: 'Increase kernel verifier complexity limit: echo 1000000 > /proc/sys/kernel/bpf_stats_enabled (allows larger programs).',
    claimed: claimedValue('raises the verifier complexity limit'),
    test: { kind: 'measure', measures: { primary: fromFact('kernel.bpfStatsEnabledMeaning') }, rule: factMatchRule() },
    explain: () =>
      'kernel.bpf_stats_enabled switches per-program run-time statistics on (0 or 1); it does not touch the verifier. The complexity limit is a compile-time constant (1M processed instructions for privileged loaders since Linux 5.2) with no sysctl. Writing 1000000 to the file turns statistics on, which costs two ktime_get_ns() calls (about 40 ns) on every program run.',
    sources: ['docs/sources.md#bpf-stats', 'docs/sources.md#bpf-verifier-limit'],
  },
  {
    id: 'q2-ebpf-overhead-causes-timeouts',
    question: 2,
    part: 'answer',
    quote: 'If timeout happens but no packet drop, issue is latency (eBPF processing overhead), not policy.',
    claimed: claimedRange(200, Infinity, 'ms', 'eBPF processing long enough to time TCP out (≥ the 200 ms minimum RTO)'),
    test: {
      kind: 'measure',
      measures: { primary: fromExperiment('service-scaling', 'cpuNsPerPacket', { datapath: 'cilium-tc', services: 5000 }, 'ms', 'node CPU per packet, all stages, Cilium (tc), 5,000 Services', { factor: 1 / NS_PER_MS }) },
      rule: overlapRule("the model's CPU time per packet (95 % CI)"),
      chart: { experiment: 'service-scaling', chart: 'cpu-per-packet' },
    },
    explain: (m) =>
      `A TCP timeout needs a segment to go unanswered for at least the minimum RTO of 200 ms. The whole per-packet CPU cost of the Cilium datapath is ${shown(m, 'primary')} in the model, five orders of magnitude less, so processing overhead cannot cause timeouts; a timeout without a counted drop means a drop that was not counted where you looked (policy drops are in drop_count_total, not in ethtool's NIC counters) or a peer that did not answer.`,
    sources: ['docs/sources.md#tcp-retransmission'],
  },
  {
    id: 'q2-loss-causes-timeouts',
    question: 2,
    part: 'answer',
    quote: 'your application sees occasional packet drops (0.1%) during network policy enforcement. TCP connections timeout and retry.',
    claimed: statement('0.1 % packet loss makes TCP connections time out and retry'),
    test: {
      kind: 'measure',
      measures: {
        primary: fromExperiment('latency-tail', 'retransmittedFraction', { datapath: 'cilium-tc', idleState: 'c1e', lossFraction: 0.001 }, '%', 'connections that retransmitted (waited for a TCP timer), 0.1 % loss per direction, Cilium (tc)', { factor: PERCENT_PER_FRACTION }),
        special: fromExperiment('latency-tail', 'retransmittedFraction', { datapath: 'cilium-tc', idleState: 'c1e', lossFraction: 0.01 }, '%', 'the same at 1 % loss', { factor: PERCENT_PER_FRACTION }),
        tail: fromExperiment('latency-tail', 'establishedP999Us', { datapath: 'cilium-tc', idleState: 'c1e', lossFraction: 0.001 }, 'µs', 'established round trip p99.9 at 0.1 % loss'),
      },
      rule: occursRule('at 0.1 % loss', 'at 1 % loss'),
      chart: { experiment: 'latency-tail', chart: 'loss' },
    },
    explain: (m) =>
      `It does: a connection carries tens of packets (handshake, requests, responses, close), so at 0.1 % loss per packet ${shown(m, 'primary')} of the model's connections lose one and wait for TCP's timer (200 ms for data, 1 s for a SYN), which is what shows up as timeouts and retries: the established p99.9 is ${shown(m, 'tail')}. Loss of that size is a drop somewhere (a full table, a policy map past its cap, a ring overflow; see the ranking chart of policy-drops), not eBPF being slow.`,
    sources: ['docs/sources.md#tcp-retransmission'],
    needsFullRun: "latency-tail's quick mode runs loss at 1 % only; the 0.1 % point of the seed runs in the full mode (npm start)",
  },
];
// calibration-exempt-end
