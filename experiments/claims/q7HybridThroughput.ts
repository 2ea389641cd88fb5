/**
 * Seed question 7: a hybrid cluster where bare-metal pods reach 10 Gbps and cloud-VM pods 1 Gbps,
 * Cilium installed alike; eBPF (JIT, kernel, CPU frequency, map sizes) is suspected. Follow-up:
 * the cloud VMs have virtio NICs; how to measure NIC throughput without Cilium?
 */
import type { Claim } from './claimTypes.ts';
import { claimedRange, claimedValue, fromCalibration, fromFact, shown, statement } from './claimHelpers.ts';
import { factMatchRule, overlapRule } from './rules.ts';

// calibration-exempt-begin: claimed values quoted from the seed (data, not model defaults)
export const Q7_CLAIMS: readonly Claim[] = [
  {
    id: 'q7-interpreter-10-100x-slower',
    question: 7,
    part: 'answer',
    quote: 'If JIT is disabled or slow, eBPF runs in interpreter mode (10-100x slower).',
    claimed: claimedRange(10, 100, '×', '10–100× slower'),
    test: { kind: 'measure', measures: { primary: fromCalibration('ebpf.interpreterSlowdownFactor', 'interpreter / JIT time per BPF instruction') }, rule: overlapRule("the calibration table's value (for an assumption, its plausible range)") },
    explain: (m) =>
      `No modern measurement of the eBPF interpreter against the JIT was found; the only published ratios are for classic BPF ("3-5 times faster" jitted), which is what the model assumes: ${shown(m, 'primary')} per instruction. Map lookups and helpers are native code either way, so a whole Cilium program slows by about 3x, not 10-100x. And on x86-64 the JIT is on by default (distribution kernels often cannot even turn it off), so this is rarely the question to ask about a 10x throughput gap.`,
    sources: ['docs/sources.md#bpf-jit', 'model/ebpf/README.md'],
  },
  {
    id: 'q7-bpf-jit-enable-values',
    question: 7,
    part: 'answer',
    quote: 'cat /proc/sys/net/core/bpf_jit_enable. Value: 0 = disabled (interpreter), 1 = enabled (native), 2 = enabled + debugging.',
    claimed: claimedValue('0 off, 1 on, 2 on with debug output'),
    test: { kind: 'measure', measures: { primary: fromFact('kernel.bpfJitEnableValues') }, rule: factMatchRule() },
    explain: () =>
      'Right: 0 disables the JIT, 1 enables it, 2 enables it and dumps the generated images to the kernel log, for debugging only. With CONFIG_BPF_JIT_ALWAYS_ON the value is fixed at 1.',
    sources: ['docs/sources.md#bpf-jit'],
  },
  {
    id: 'q7-cloud-vms-jit-off',
    question: 7,
    part: 'answer',
    quote: 'Bare-metal nodes may have faster JIT or different CPU type supporting JIT, while cloud VMs have slower CPUs or JIT disabled.',
    claimed: claimedValue('off'),
    test: { kind: 'measure', measures: { primary: fromFact('kernel.bpfJitDefaultX8664') }, rule: factMatchRule() },
    explain: () =>
      'On x86-64 the JIT defaults to on (ARCH_WANT_DEFAULT_BPF_JIT), in a VM as on bare metal; the JIT depends on the instruction set, not on virtualization, and kernels built with BPF_JIT_ALWAYS_ON have no interpreter at all. A cloud VM with the JIT off is an exception someone configured, so check it once and move on.',
    sources: ['docs/sources.md#bpf-jit'],
  },
  {
    id: 'q7-powersave-for-performance',
    question: 7,
    part: 'answer',
    quote: 'Increase: echo powersave > /sys/devices/system/cpu/cpu0/cpufreq/scaling_governor (trades power for performance).',
    claimed: claimedValue('raises performance'),
    test: { kind: 'measure', measures: { primary: fromFact('cpufreq.powersaveGovernor') }, rule: factMatchRule() },
    explain: () =>
      'The generic powersave governor requests the lowest frequency; it trades performance for power, the opposite of the advice. For throughput set performance (Cilium\'s tuning guide does), on every CPU, not just cpu0; in most cloud VMs the guest cannot change the host\'s frequency anyway.',
    sources: ['docs/sources.md#cpufreq-governors'],
  },
  {
    id: 'q7-bpf-map-size-option',
    question: 7,
    part: 'answer',
    quote: 'Increase eBPF map sizes on cloud nodes: cilium config set --patch \'{"bpf-map-size": "1000000"}\' (default 64k). Larger maps reduce hash collisions (faster lookup).',
    claimed: claimedValue(true, 'an option named bpf-map-size exists (default 64k)'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.optionBpfMapSize') }, rule: factMatchRule() },
    explain: () =>
      'There is no bpf-map-size option; maps are sized one by one (bpf-ct-global-tcp-max, bpf-lb-map-max, bpf-policy-map-max, ...) or together with bpf-map-dynamic-size-ratio. Larger hash maps do not make lookups meaningfully faster: a lookup is a hash and one or two cache lines at any size, and a larger map mostly adds cache misses and memory.',
    sources: ['docs/sources.md#cilium-policy-limits', 'docs/sources.md#bpf-hashmap-lookup-bench'],
  },
  {
    id: 'q7-enable-bpf-tail-calls',
    question: 7,
    part: 'answer',
    quote: 'Also tune eBPF tail calls: cilium config set --patch \'{"enable-bpf-tail-calls": true}\' to allow eBPF programs to call each other efficiently.',
    claimed: claimedValue(true, 'an option named enable-bpf-tail-calls exists'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.optionEnableBpfTailCalls') }, rule: factMatchRule() },
    explain: () =>
      'No such option: Cilium\'s programs always chain their stages with tail calls. A tail call costs 20-30 ns before Linux 5.5 and under 10 ns after, a few per packet, which cannot make a 10x throughput difference.',
    sources: ['docs/sources.md#bpf-tail-calls'],
  },
  {
    id: 'q7-ebpf-caps-cloud-at-1gbps',
    question: 7,
    part: 'answer',
    quote: 'If bandwidth is 1Gbps vs 10Gbps, eBPF throughput is limited.',
    claimed: statement('eBPF processing caps the cloud VMs at 1 Gbps'),
    test: { kind: 'needs-experiment', experiment: 'hybrid-throughput', what: 'throughput of bare-metal vs cloud-VM nodes, with the cloud bandwidth allowance, virtio and the JIT varied one at a time' },
    explain: () =>
      'A 1 Gbps ceiling that is the same for every flow on a cloud VM looks like the instance\'s bandwidth allowance (AWS documents per-instance and per-flow limits; measured xlarge baselines are 1.1-4 Gbps), which ethtool -S shows as bw_*_allowance_exceeded. The hybrid-throughput experiment will compare it with the eBPF costs.',
    sources: ['docs/sources.md#aws-bandwidth', 'docs/sources.md#ena-allowances'],
  },
  {
    id: 'q7-virtio-is-the-limit',
    question: 7,
    part: 'follow-up',
    quote: 'You notice cloud VMs have virtio networking (virtual device), while bare-metal use physical NICs. Could this be the issue',
    claimed: statement('virtio networking limits the cloud VMs to 1 Gbps'),
    test: { kind: 'needs-experiment', experiment: 'hybrid-throughput', what: 'throughput with a virtio NIC against a physical one, with and without the cloud allowance' },
    explain: () =>
      'A paravirtual NIC costs host CPU per packet (vhost), which limits packets per second rather than bits per second: published guest-to-guest figures exceed 1 Mpps with short frames and 6 Gbit/s with 1500 B frames on a tuned host. The hybrid-throughput experiment will separate the virtio limit from the cloud allowance.',
    sources: ['docs/sources.md#virtio-packet-rates'],
  },
  {
    id: 'q7-cloud-cpu-frequency-cap',
    question: 7,
    part: 'answer',
    quote: 'On bare-metal, it\'s often maximum CPU freq (e.g., 3.8GHz). On cloud VMs, may be capped to 2.4GHz.',
    claimed: statement('a lower CPU clock explains a 10x throughput gap'),
    test: { kind: 'needs-experiment', experiment: 'capacity-factors', what: 'node throughput against CPU frequency, governor, JIT and kernel version, one factor at a time' },
    explain: () =>
      'Per-packet CPU work scales with the clock, so 2.4 against 3.8 GHz is at most about 1.6x on CPU-bound traffic, not 10x. The capacity-factors experiment will rank the factors on one axis.',
    sources: ['docs/sources.md#cpufreq-governors'],
  },
  {
    id: 'q7-old-kernel-slower-jit',
    question: 7,
    part: 'answer',
    quote: 'Older kernels (pre-5.10) have slower eBPF JIT or don\'t support certain instructions.',
    claimed: statement('an older kernel\'s JIT explains the throughput gap'),
    test: { kind: 'needs-experiment', experiment: 'capacity-factors', what: 'node throughput against kernel version (tail-call cost before and after 5.5)' },
    explain: () =>
      'The sourced kernel-version difference in the datapath is the cost of a tail call: 20-30 ns before Linux 5.5, under 10 ns from 5.5, a few per packet. The capacity-factors experiment will say what that is worth in throughput.',
    sources: ['docs/sources.md#bpf-tail-calls'],
  },
];
// calibration-exempt-end
