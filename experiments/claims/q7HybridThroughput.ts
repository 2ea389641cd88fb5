/**
 * Seed question 7: a hybrid cluster where bare-metal pods reach 10 Gbps and cloud-VM pods 1 Gbps,
 * Cilium installed alike; eBPF (JIT, kernel, CPU frequency, map sizes) is suspected. Follow-up:
 * the cloud VMs have virtio NICs; how to measure NIC throughput without Cilium?
 */
import type { Claim } from './claimTypes.ts';
import { claimedRange, claimedValue, fromCalibration, fromExperiment, fromFact, shown } from './claimHelpers.ts';
import { factMatchRule, overlapRule } from './rules.ts';
import { PERCENT_PER_FRACTION } from '../../model/units.ts';

const HYBRID = 'hybrid-throughput';
const FACTORS = 'capacity-factors';
const VM = 'vm-overhead';
// calibration-exempt-begin: claimed values quoted from the seed, and the sweep points the claims read (present in quick and full mode)
/** The cloud VM with one flow (the seed's iperf test), Cilium tc, at the start of the hour and at its end. */
const CLOUD = { node: 'cloud-up-to-10g', flows: 1, datapath: 'cilium-tc' };
const START = { ...CLOUD, minute: 0 };
const END = { ...CLOUD, minute: 59 };
/** "capped at 1 Gbps": a bound between 0.5 and 2 Gbit/s would explain it. */
const ONE_GBPS: [number, number] = [0.5, 2];
/** "10 Gbps vs 1 Gbps": a factor that cuts goodput by 80-95 %. */
const TENFOLD_CUT: [number, number] = [-95, -80];
/** vm-overhead at light load: the virtio VM without halt polling, and the same node with its physical NIC. */
const VIRTIO_LIGHT = { nic: 'virtio', connectionsPerSec: 1000, haltPolling: 'off' };
const METAL_LIGHT = { nic: 'physical-10g', connectionsPerSec: 1000, haltPolling: 'none' };
const hybrid = (metric: string, label: string, where = START) => fromExperiment(HYBRID, metric, where, 'Gbit/s', label);
const change = (factor: string, metric: 'goodputChange' | 'capacityChange', label: string) =>
  fromExperiment(FACTORS, metric, { factor }, '%', label, { factor: PERCENT_PER_FRACTION });
const vm = (metric: string, label: string, where = VIRTIO_LIGHT) => fromExperiment(VM, metric, where, 'µs', label);
/** Where a VM's NIC shows: the round trip at light load, and the VM boundary's part of its median. */
const vmBoundary = {
  vmRtt: vm('establishedP50Us', 'established RTT p50 at light load, virtio VM (no halt polling)'),
  metalRtt: vm('establishedP50Us', 'established RTT p50 at light load, the same node with its physical NIC', METAL_LIGHT),
  vmExit: vm('estMedianVmExitUs', "the guest's exits (kicks, HLT) in that median"),
  hostWakeup: vm('estMedianHostWakeupUs', "the host's wake-ups (vhost thread, halted vCPU) in that median"),
  hostWork: vm('estMedianHostUs', "the host's own work (vhost, tap, bridge, its NIC) in that median"),
};
const afterCredits = {
  allowance: hybrid('allowanceBaselineGbps', "the cloud VM's baseline bandwidth allowance, as goodput"),
  goodputEnd: hybrid('goodputGbps', 'goodput of one flow on the cloud VM in the last minute of the hour', END),
};

export const Q7_CLAIMS: readonly Claim[] = [
  {
    id: 'q7-interpreter-10-100x-slower',
    question: 7,
    part: 'answer',
    quote: 'If JIT is disabled or slow, eBPF runs in interpreter mode (10-100x slower).',
    claimed: claimedRange(10, 100, '×', '10–100× slower'),
    test: { kind: 'measure', measures: { primary: fromCalibration('ebpf.interpreterSlowdownFactor', 'interpreter / JIT time per BPF instruction', { unit: '×' }) }, rule: overlapRule("the calibration table's value (for an assumption, its plausible range)") },
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
    claimed: claimedRange(ONE_GBPS[0], ONE_GBPS[1], 'Gbit/s', 'eBPF caps a flow at about 1 Gbit/s'),
    test: {
      kind: 'measure',
      measures: {
        primary: hybrid('cpuBoundJitOffGbps', 'goodput the CPU allows one flow with the JIT off (the interpreter), cloud VM, cilium-tc'),
        jitOn: hybrid('cpuBoundGbps', 'the same with the JIT on'),
        ...afterCredits,
      },
      rule: overlapRule("the CPU's bound on one flow's goodput, eBPF interpreted (95 % CI)"),
      chart: { experiment: HYBRID, chart: 'can-ebpf-cap-it' },
    },
    explain: (m) =>
      `With TSO and GRO the datapath (BPF programs included) runs once per 64 KiB aggregate, not per 1500 B packet, so the CPU allows one flow ${shown(m, 'jitOn')} on the cloud VM with the JIT on and still ${shown(m, 'primary')} with it off. What sits at 1 Gbit/s is the VM's baseline bandwidth allowance (${shown(m, 'allowance')} of goodput): once the burst credits run out the flow gets ${shown(m, 'goodputEnd')}, with every datapath alike. Check ethtool -S for bw_out_allowance_exceeded before touching eBPF.`,
    sources: ['docs/sources.md#aws-bandwidth', 'docs/sources.md#ena-allowances', 'docs/sources.md#node-scenarios'],
  },
  {
    id: 'q7-jit-explains-gap',
    question: 7,
    part: 'answer',
    quote: 'eBPF performance depends on kernel JIT compilation. eBPF programs are compiled to native CPU instructions by the kernel\'s eBPF JIT.',
    claimed: claimedRange(TENFOLD_CUT[0], TENFOLD_CUT[1], '%', 'the JIT setting explains 10 vs 1 Gbit/s (a cut of 80–95 %)'),
    test: {
      kind: 'measure',
      measures: {
        primary: change('jit-off', 'goodputChange', 'change of bulk goodput (8 flows, after an hour) with the JIT off, bare metal, cilium-tc'),
        connections: change('jit-off', 'capacityChange', 'change of the connections/s a node carries within the first-packet p99 SLO, JIT off'),
      },
      rule: overlapRule("the model's change of bulk goodput"),
      chart: { experiment: FACTORS, chart: 'tornado' },
    },
    explain: (m) =>
      `Turning the JIT off changes bulk goodput by ${shown(m, 'primary')} in the model (the line rate decides, and the BPF work is paid once per TSO/GRO aggregate) and the connection rate a node sustains within its latency SLO by ${shown(m, 'connections')}, where per-packet work counts. A real cost for connection-heavy traffic, nowhere near a tenfold throughput gap; in the same tornado only the cloud allowances move goodput that much.`,
    sources: ['docs/sources.md#bpf-jit', 'docs/sources.md#node-scenarios'],
  },
  {
    id: 'q7-virtio-is-the-limit',
    question: 7,
    part: 'follow-up',
    quote: 'You notice cloud VMs have virtio networking (virtual device), while bare-metal use physical NICs. Could this be the issue',
    claimed: claimedRange(ONE_GBPS[0], ONE_GBPS[1], 'Gbit/s', 'virtio caps a flow at about 1 Gbit/s'),
    test: {
      kind: 'measure',
      measures: { primary: hybrid('vhostBoundGbps', "goodput the vhost thread (virtio's host side) allows one flow, cloud VM"), ...afterCredits, ...vmBoundary },
      rule: overlapRule("the vhost thread's bound on one flow's goodput (95 % CI)"),
      chart: { experiment: HYBRID, chart: 'can-ebpf-cap-it' },
    },
    explain: (m) =>
      `A paravirtual NIC costs host CPU per packet (the vhost thread), which with TSO/GRO still allows one flow ${shown(m, 'primary')} in the model: it caps packet rates, not a bulk flow at 1 Gbit/s. The cap is the allowance (${shown(m, 'allowance')}). Where virtio does show is latency: at light load the model's virtio VM answers an established request in ${shown(m, 'vmRtt')} at the median, against ${shown(m, 'metalRtt')} on the same node with its physical NIC; of the VM's median, ${shown(m, 'vmExit')} are the guest's exits, ${shown(m, 'hostWakeup')} the host's wake-ups and ${shown(m, 'hostWork')} the host's own work (vm-overhead). To measure the NIC without Cilium, run iperf3 between the two VMs' host networks (hostNetwork pods) for longer than the burst credits last, and read the ENA allowance counters while it runs.`,
    sources: ['docs/sources.md#virtio-packet-rates', 'docs/sources.md#ena-allowances', 'model/hypervisor/README.md'],
  },
  {
    id: 'q7-cloud-cpu-frequency-cap',
    question: 7,
    part: 'answer',
    quote: 'On bare-metal, it\'s often maximum CPU freq (e.g., 3.8GHz). On cloud VMs, may be capped to 2.4GHz.',
    claimed: claimedRange(ONE_GBPS[0], ONE_GBPS[1], 'Gbit/s', 'a capped clock holds a flow at about 1 Gbit/s'),
    test: {
      kind: 'measure',
      measures: { primary: hybrid('cpuBoundJitOffPowersaveGbps', 'goodput the CPU allows one flow at powersave (1.2 GHz) with the JIT off, cloud VM'), ...afterCredits },
      rule: overlapRule("the CPU's bound at 1.2 GHz, JIT off (95 % CI)"),
      chart: { experiment: HYBRID, chart: 'can-ebpf-cap-it' },
    },
    explain: (m) =>
      `Per-packet CPU work scales with the clock, but with TSO/GRO a bulk flow needs little of it: even at 1.2 GHz (powersave, half the seed's 2.4 GHz) and with the JIT off the CPU allows one flow ${shown(m, 'primary')} in the model. A 2.4 GHz cap costs at most the clock ratio on CPU-bound, small-packet work (see the capacity-factors tornado), and bulk goodput not at all; the 1 Gbit/s is the allowance (${shown(m, 'allowance')}).`,
    sources: ['docs/sources.md#cpufreq-governors', 'docs/sources.md#node-scenarios'],
  },
  {
    id: 'q7-old-kernel-slower-jit',
    question: 7,
    part: 'answer',
    quote: 'Older kernels (pre-5.10) have slower eBPF JIT or don\'t support certain instructions.',
    claimed: claimedRange(TENFOLD_CUT[0], TENFOLD_CUT[1], '%', 'an older kernel explains 10 vs 1 Gbit/s (a cut of 80–95 %)'),
    test: {
      kind: 'measure',
      measures: {
        primary: change('kernel-4.19', 'goodputChange', 'change of bulk goodput with kernel 4.19 instead of 6.1'),
        connections: change('kernel-4.19', 'capacityChange', 'change of connections/s within the SLO with kernel 4.19'),
      },
      rule: overlapRule("the model's change of bulk goodput"),
      chart: { experiment: FACTORS, chart: 'tornado' },
    },
    explain: (m) =>
      `The sourced kernel-version difference in this datapath is the tail call: 20-30 ns before Linux 5.5, under 10 ns after, a few per packet. In the model kernel 4.19 changes bulk goodput by ${shown(m, 'primary')} and the connection rate within the SLO by ${shown(m, 'connections')}. Upgrading is good practice, not the fix for a 1 Gbit/s cap.`,
    sources: ['docs/sources.md#bpf-tail-calls', 'docs/sources.md#node-scenarios'],
    needsFullRun: "capacity-factors' quick mode runs three of its eight factors (jit-off, cloud-allowances, services-30k); kernel-4.19 runs only in the full mode (npm start)",
  },
];
// calibration-exempt-end
