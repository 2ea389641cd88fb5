/** Calibration rows of the cpu domain (see calibrationEntry.ts for the fields and labels). */
import type { CalibrationEntry } from './calibrationEntry.ts';

const SOURCES = 'docs/sources.md';
/** The XDP paper: every per-packet cost below was measured on its machine. */
const XDP_PAPER =
  'Høiland-Jørgensen et al., "The eXpress Data Path", ACM CoNEXT 2018, https://doi.org/10.1145/3281411.3281443 ' +
  '(source and data: tohojo/xdp-paper @672dc5a, xdp-paper.tex)';
/** A per-packet figure of the XDP paper: where in it, and what it says. */
function xdp(section: string, what: string): string {
  return `${XDP_PAPER} ${section}: ${what} (Xeon E5-1650 v4 at 3.6 GHz, Linux 4.18, 64 B packets); ${SOURCES}#xdp-paper`;
}
/** The intel_idle driver's per-model C-state tables (exit latency / target residency in us). */
const INTEL_IDLE = `Linux drivers/idle/intel_idle.c @00433ea; ${SOURCES}#cpu-idle-states`;
/** The reference clock of the XDP paper's machine: every cycle count below is ns x this. */
const REF_HZ = 3.6e9;
const STALLS =
  ' Memory stalls: none; the whole time is treated as cycles (assumption): the test sends one UDP stream, so the ' +
  'conntrack/route state is cache-resident and packet data arrives in the LLC (DDIO). DRAM misses of large tables ' +
  'are added separately as Work.dramMisses.';

export const cpuCalibration: readonly CalibrationEntry[] = [
  // ---- reference machine and frequency bounds -------------------------------------------------
  {
    key: 'cpu.referenceFreqHz', value: REF_HZ, unit: 'Hz', label: 'sourced',
    source: `${XDP_PAPER}: the test machine is a Xeon E5-1650 v4 at 3.6 GHz; ${SOURCES}#xdp-paper`,
    meaning: 'Clock of the machine the per-packet cycle counts were measured on; also the default maximum frequency.',
  },
  {
    key: 'cpu.minFreqHz', value: 1.2e9, unit: 'Hz', label: 'assumption', range: [0.8e9, 2.0e9],
    source: 'assumption: a typical server cpuinfo_min_freq (the lowest frequency a part reports, Linux Documentation/admin-guide/pm/cpufreq.rst); it varies by CPU model and no single published value applies',
    meaning: 'Lowest frequency the governor may request (scaling_min_freq); what generic powersave pins.',
  },

  // ---- governors (docs/sources.md#cpufreq-governors) ---------------------------------------------
  {
    key: 'cpu.ondemandUpThresholdFraction', value: 0.8, unit: 'fraction', label: 'assumption', range: [0.6, 0.95],
    source: 'assumption: ondemand\'s up_threshold is documented in Linux Documentation/admin-guide/pm/cpufreq.rst, but its default (80 or 95 %) depends on the kernel version and was not pinned; docs/sources.md#cpufreq-governors',
    meaning: 'ondemand: utilisation at or above which the maximum frequency is requested.',
  },
  {
    key: 'cpu.schedutilHeadroomFactor', value: 1.25, unit: 'factor', label: 'assumption', range: [1, 1.5],
    source: 'assumption from Linux Documentation/admin-guide/pm/cpufreq.rst, schedutil: the next frequency is about 1.25 x max x util (the 1.25 headroom; not re-read per kernel version); docs/sources.md#cpufreq-governors',
    meaning: 'schedutil (and intel_pstate powersave, modelled alike): requested f = factor x utilisation x max.',
  },
  {
    key: 'cpu.governorSamplingPeriodUs', value: 10_000, unit: 'us', label: 'assumption', range: [1_000, 100_000],
    source: 'assumption: ondemand sampling_rate and schedutil rate_limit_us (Linux Documentation/admin-guide/pm/cpufreq.rst) are of the order of milliseconds; the defaults depend on the driver\'s transition latency and were not pinned; docs/sources.md#cpufreq-governors',
    meaning: 'Load-dependent governors re-evaluate a core at most this often, from its utilisation since the last evaluation.',
  },

  // ---- memory (docs/sources.md#dram-latency) ----------------------------------------------------
  {
    key: 'cpu.dramLatencyLightLoadNs', value: 82, unit: 'ns', label: 'sourced',
    source: 'Intel Community, "Intel Memory Latency Checker v3.5 test" (MLC loaded-latency table, Xeon Silver 4110 with 12 x 32 GB DDR4-2666: 81.96 ns at injection delay 20000), https://community.intel.com/t5/Software-Tuning-Performance/Intel-Memory-Latency-Checker-v3-5-test/m-p/1126268; docs/sources.md#dram-latency',
    meaning: 'Stall per DRAM miss at light memory load; does not scale with core frequency.',
  },
  {
    key: 'cpu.dramLatencyLoadedNs', value: 130, unit: 'ns', label: 'sourced',
    source: 'Intel Community, "Intel Memory Latency Checker v3.5 test" (same table: 130.31 ns at injection delay 0, full load), https://community.intel.com/t5/Software-Tuning-Performance/Intel-Memory-Latency-Checker-v3-5-test/m-p/1126268; docs/sources.md#dram-latency',
    meaning: 'Stall per DRAM miss with the memory system fully loaded.',
  },

  // ---- per-packet kernel costs, as cycles at 3.6 GHz (docs/sources.md#xdp-paper) -----------------
  {
    key: 'cpu.xdpDropCycles', value: REF_HZ / 24e6, unit: 'cycles', label: 'derived',
    source: xdp('§4.1 and §4.4', 'XDP drops 24 Mpps on one core = 41.6 ns per packet'),
    derivation: `3.6e9 Hz / 24e6 pps = 150 cycles per packet (41.7 ns).${STALLS}`,
    meaning: 'Driver RX + XDP program returning XDP_DROP, per packet.',
  },
  {
    key: 'cpu.linuxRawDropCycles', value: REF_HZ / 4.8e6, unit: 'cycles', label: 'derived',
    source: xdp('§4.1', 'the Linux stack drops 4.8 Mpps on one core in raw mode'),
    derivation: `3.6e9 Hz / 4.8e6 pps = 750 cycles (208 ns).${STALLS}`,
    meaning: 'Driver RX + skb + netif_receive + iptables raw-table drop, per packet.',
  },
  {
    key: 'cpu.conntrackExtraCycles', value: REF_HZ / 1.8e6 - REF_HZ / 4.8e6, unit: 'cycles', label: 'derived',
    source: `${xdp('§4.1', 'the Linux stack drops 1.8 Mpps with conntrack vs 4.8 Mpps in raw mode')}; ${SOURCES}#nf-conntrack-cost`,
    derivation: `3.6e9/1.8e6 - 3.6e9/4.8e6 = 2000 - 750 = 1250 cycles (347 ns, the "+350 ns").${STALLS}`,
    meaning: 'Extra per-packet cost of nf_conntrack (lookup of an existing entry) over the raw-table path.',
  },
  {
    key: 'cpu.linuxIpForwardCycles', value: REF_HZ / 1.74e6, unit: 'cycles', label: 'derived',
    source: xdp('§5.1 and benchmarks/bench04_fwd.org', 'data table: 1,739,672 pps on one core with a single route'),
    derivation: `3.6e9/1.74e6 = 2069 cycles (575 ns).${STALLS}`,
    meaning: 'Receive + route lookup (one route) + transmit of a forwarded packet.',
  },
  {
    key: 'cpu.linuxIpForwardFullTableCycles', value: REF_HZ / 1.37e6, unit: 'cycles', label: 'derived',
    source: xdp('§5.1 and benchmarks/bench04_fwd.org', 'data table: 1,373,550 pps with a full BGP table of 752,138 routes, 4000 destinations'),
    derivation: '3.6e9/1.37e6 = 2628 cycles (730 ns). Here part of the time is likely cache misses in the FIB (752k routes); ' +
      'kept as cycles for lack of a split (assumption).',
    meaning: 'As cpu.linuxIpForwardCycles with a full Internet routing table.',
  },
  {
    key: 'cpu.functionCallCycles', value: 1.3e-9 * REF_HZ, unit: 'cycles', label: 'derived',
    source: `${xdp('§4.4', '"an overhead of 1.3 nanoseconds for a single function call"')}; ${SOURCES}#function-call-cost`,
    derivation: '1.3 ns x 3.6 GHz = 4.68 cycles.',
    meaning: 'One (direct) function call.',
  },
  {
    key: 'cpu.irqEntryCycles', value: 2000, unit: 'cycles', label: 'assumption', range: [500, 10_000],
    source: 'assumption: hard-IRQ entry/exit plus raising NET_RX softirq, of the order of a microsecond; no published per-interrupt cost on a current server was found',
    meaning: 'CPU time per NIC interrupt, charged to the core before the NAPI poll it starts.',
  },
  // ---- softirq processing and the scheduler ----------------------------------------------------------
  {
    key: 'cpu.kernelHz', value: 250, unit: 'Hz', label: 'assumption', range: [100, 1000],
    source:
      'assumption: CONFIG_HZ of a distribution kernel; 250 is the Linux default (kernel/Kconfig.hz, HZ_250 "a good compromise") and Debian\'s ' +
      '(https://salsa.debian.org/kernel-team/linux, debian/config); RHEL builds 1000',
    meaning: 'Timer tick rate: sets the softirq time limits, which the kernel counts in jiffies.',
  },
  {
    key: 'cpu.maxSoftirqRestarts', value: 10, unit: 'restarts', label: 'sourced',
    source: 'Linux kernel/softirq.c @01581a2, MAX_SOFTIRQ_RESTART 10; docs/sources.md#latency-tails-softirq',
    meaning: 'Softirq rounds a core runs back to back before it hands the rest to ksoftirqd.',
  },
  {
    key: 'cpu.maxSoftirqTimeUs', value: 4000, unit: 'us', label: 'derived',
    source: 'Linux kernel/softirq.c @01581a2, MAX_SOFTIRQ_TIME msecs_to_jiffies(2); docs/sources.md#latency-tails-softirq',
    derivation: 'msecs_to_jiffies(2) rounds 2 ms up to whole jiffies: one jiffy of 4000 us at HZ = 250 (cpu.kernelHz).',
    meaning: 'Time softirq processing may run back to back on a core before it hands the rest to ksoftirqd.',
  },

  {
    key: 'cpu.wakeupMinNs', value: 5000, unit: 'ns', label: 'sourced',
    source:
      'rt-tests README (https://git.kernel.org/pub/scm/utils/rt-tests/rt-tests.git, README.markdown): cyclictest on a non-RT kernel, "Min: 5" us ' +
      '(PREEMPT_RT: 7 us), with C-states held off by the tool; docs/sources.md#latency-tails-softirq',
    meaning: 'Shortest time from the event that wakes a blocked thread to the thread running: the floor of every scheduler wake-up.',
  },
  {
    key: 'cpu.wakeupSpreadMeanNs', value: 5000, unit: 'ns', label: 'assumption', range: [0, 100_000],
    source:
      'assumption: no published wake-up latency distribution for a SCHED_OTHER thread on a busy node (docs/sources.md#latency-tails-softirq); ' +
      'cyclictest examples put the average 5-10 us above the minimum on non-RT kernels (rt-tests README: Min 5, Avg 14 us) and loaded RT systems ' +
      'at average 3 us (Ubuntu real-time docs, "How to measure maximum latency")',
    meaning: 'Mean of the exponential part of a wake-up above its floor (run-queue work, cache refills, interrupts in between).',
  },
  {
    key: 'cpu.otherTaskBusyFraction', value: 0.002, unit: 'fraction', label: 'assumption', range: [0, 0.5],
    source:
      'assumption: how often a woken thread finds its core running another CPU-bound task that keeps it for the rest of a scheduler slice; ' +
      'workload-specific and not published (a lightly loaded node: a fraction of a percent); sweep it',
    meaning: 'Probability that a wake-up waits behind another task for part of a scheduler slice (uniform over the slice).',
  },
  {
    key: 'cpu.schedBaseSliceNs', value: 750_000 * 4, unit: 'ns', label: 'derived',
    source:
      'Linux kernel/sched/fair.c (6.6-6.14): sysctl_sched_base_slice "0.75 msec * (1 + ilog(ncpus))", scaled by get_update_sysctl_factor() ' +
      'with SCHED_TUNABLESCALING_LOG over min(online CPUs, 8); docs/sources.md#latency-tails-softirq',
    derivation: '0.75 ms x (1 + ilog2(min(8 cores, 8))) = 0.75 ms x 4 = 3 ms for the 8-core default node.',
    meaning: 'The slice another task may keep the core for before a woken thread runs.',
  },

  // ---- idle states (intel_idle tables) and the idle governor ----------------------------------------
  {
    key: 'cpu.idleSkxC1ExitLatencyUs', value: 2, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, skx_cstates[] "C1"`,
    meaning: 'Skylake-SP / Cascade Lake C1: time from the wake-up event until the core runs code again.',
  },
  {
    key: 'cpu.idleSkxC1TargetResidencyUs', value: 2, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, skx_cstates[] "C1"`,
    meaning: 'Skylake-SP / Cascade Lake C1: shortest idle period for which entering the state saves energy; the governor picks it only for a longer predicted idle.',
  },
  {
    key: 'cpu.idleSkxC1eExitLatencyUs', value: 10, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, skx_cstates[] "C1E"`,
    meaning: 'Skylake-SP / Cascade Lake C1E: time from the wake-up event until the core runs code again.',
  },
  {
    key: 'cpu.idleSkxC1eTargetResidencyUs', value: 20, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, skx_cstates[] "C1E"`,
    meaning: 'Skylake-SP / Cascade Lake C1E: shortest idle period for which entering the state saves energy; the governor picks it only for a longer predicted idle.',
  },
  {
    key: 'cpu.idleSkxC6ExitLatencyUs', value: 133, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, skx_cstates[] "C6" (package C6 enabled, the worst case the driver assumes by default)`,
    meaning: 'Skylake-SP / Cascade Lake C6: time from the wake-up event until the core runs code again.',
  },
  {
    key: 'cpu.idleSkxC6TargetResidencyUs', value: 600, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, skx_cstates[] "C6"`,
    meaning: 'Skylake-SP / Cascade Lake C6: shortest idle period for which entering the state saves energy; the governor picks it only for a longer predicted idle.',
  },
  {
    key: 'cpu.idleIcxC1ExitLatencyUs', value: 1, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, icx_cstates[] "C1"`,
    meaning: 'Ice Lake-SP C1: time from the wake-up event until the core runs code again.',
  },
  {
    key: 'cpu.idleIcxC1TargetResidencyUs', value: 1, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, icx_cstates[] "C1"`,
    meaning: 'Ice Lake-SP C1: shortest idle period for which entering the state saves energy; the governor picks it only for a longer predicted idle.',
  },
  {
    key: 'cpu.idleIcxC1eExitLatencyUs', value: 4, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, icx_cstates[] "C1E"`,
    meaning: 'Ice Lake-SP C1E: time from the wake-up event until the core runs code again.',
  },
  {
    key: 'cpu.idleIcxC1eTargetResidencyUs', value: 4, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, icx_cstates[] "C1E"`,
    meaning: 'Ice Lake-SP C1E: shortest idle period for which entering the state saves energy; the governor picks it only for a longer predicted idle.',
  },
  {
    key: 'cpu.idleIcxC6ExitLatencyUs', value: 170, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, icx_cstates[] "C6"`,
    meaning: 'Ice Lake-SP C6: time from the wake-up event until the core runs code again.',
  },
  {
    key: 'cpu.idleIcxC6TargetResidencyUs', value: 600, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, icx_cstates[] "C6"`,
    meaning: 'Ice Lake-SP C6: shortest idle period for which entering the state saves energy; the governor picks it only for a longer predicted idle.',
  },
  {
    key: 'cpu.idleSprC1ExitLatencyUs', value: 1, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, spr_cstates[] "C1"`,
    meaning: 'Sapphire Rapids C1: time from the wake-up event until the core runs code again.',
  },
  {
    key: 'cpu.idleSprC1TargetResidencyUs', value: 1, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, spr_cstates[] "C1"`,
    meaning: 'Sapphire Rapids C1: shortest idle period for which entering the state saves energy; the governor picks it only for a longer predicted idle.',
  },
  {
    key: 'cpu.idleSprC1eExitLatencyUs', value: 2, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, spr_cstates[] "C1E"`,
    meaning: 'Sapphire Rapids C1E: time from the wake-up event until the core runs code again.',
  },
  {
    key: 'cpu.idleSprC1eTargetResidencyUs', value: 4, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, spr_cstates[] "C1E"`,
    meaning: 'Sapphire Rapids C1E: shortest idle period for which entering the state saves energy; the governor picks it only for a longer predicted idle.',
  },
  {
    key: 'cpu.idleSprC6ExitLatencyUs', value: 290, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, spr_cstates[] "C6" (package C6 enabled, the worst case the driver assumes by default)`,
    meaning: 'Sapphire Rapids C6: time from the wake-up event until the core runs code again.',
  },
  {
    key: 'cpu.idleSprC6TargetResidencyUs', value: 800, unit: 'us', label: 'sourced',
    source: `${INTEL_IDLE}, spr_cstates[] "C6"`,
    meaning: 'Sapphire Rapids C6: shortest idle period for which entering the state saves energy; the governor picks it only for a longer predicted idle.',
  },
  {
    key: 'cpu.idleGovernorHistoryIntervals', value: 8, unit: 'idle periods', label: 'sourced',
    source: `Linux Documentation/admin-guide/pm/cpuidle.rst @04dab58, "The menu Governor" (the "typical interval" comes from the last 8 idle periods); drivers/cpuidle/governors/menu.c, INTERVALS; ${SOURCES}#cpu-idle-governor`,
    meaning: 'Idle periods of a core the menu governor keeps to predict the next one.',
  },
  {
    key: 'cpu.idleGovernorMaxVarianceUs2', value: 400, unit: 'us^2', label: 'sourced',
    source: 'Linux drivers/cpuidle/governors/menu.c, get_typical_interval(): the average of the recent periods is trusted when their variance is at most 400 us^2 or the average exceeds 6 standard deviations',
    meaning: 'Recent idle periods this regular (standard deviation <= 20 us) predict the next one by their average.',
  },
  {
    key: 'cpu.idleGovernorMinStdDevsInMean', value: 6, unit: 'standard deviations', label: 'sourced',
    source: 'Linux drivers/cpuidle/governors/menu.c, get_typical_interval() (avg > 6 x stddev)',
    meaning: 'Recent idle periods whose average exceeds this many standard deviations also predict the next one by their average.',
  },
  {
    key: 'cpu.idleNextTimerUs', value: 4000, unit: 'us', label: 'assumption', range: [1000, 100_000],
    source:
      'assumption: the time to the next timer of an idle core (the menu governor\'s "sleep length") is not published for a busy node; ' +
      'a node runs kubelet, the container runtime and kernel timers, so an idle core rarely sleeps past a few ms (4 ms = one tick at HZ=250, Linux kernel/Kconfig.hz)',
    meaning: "Upper bound of an idle core's predicted idle period: the next timer wakes it by then.",
  },
  {
    key: 'cpu.haltPollNs', value: 200_000, unit: 'ns', label: 'sourced',
    source: `Linux Documentation/virt/guest-halt-polling.rst @908ae7e, guest_halt_poll_ns default 200000; ${SOURCES}#cpu-idle-states`,
    meaning: 'A KVM guest with cpuidle-haltpoll polls this long before it halts (HLT, a VM exit): work that arrives meanwhile finds it running.',
  },
  {
    key: 'cpu.haltWakeupCycles', value: 4238, unit: 'cycles', label: 'sourced',
    source:
      'Wanpeng Li, "[PATCH v2] KVM: X86: Ultra fast single target IPI fastpath", kvm@vger.kernel.org, 10 Apr 2020: kvm-unit-tests vmexit.flat ipi, ' +
      '4238 cycles without the fastpath (Skylake-SP)',
    meaning: 'A halted vCPU woken by an interrupt: the host IPI, the exit and the injection, before the guest runs again (host halt polling keeps the host scheduler out of it).',
  },
];
