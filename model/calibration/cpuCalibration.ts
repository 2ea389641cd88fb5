/** Calibration rows of the cpu domain (see calibrationEntry.ts for the fields and labels). */
import type { CalibrationEntry } from './calibrationEntry.ts';

const FACTS = 'datapath-facts.md';
const XDP = `${FACTS} §1f (XDP paper, CoNEXT'18, tohojo/xdp-paper; Xeon E5-1650 v4 at 3.6 GHz, Linux 4.18, 64 B, single core)`;
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
    source: `${FACTS} §1f "XDP drop vs DPDK" (Xeon E5-1650 v4 at 3.6 GHz)`,
    meaning: 'Clock of the machine the per-packet cycle counts were measured on; also the default maximum frequency.',
  },
  {
    key: 'cpu.minFreqHz', value: 1.2e9, unit: 'Hz', label: 'assumption', range: [0.8e9, 2.0e9],
    source: `no row in ${FACTS}; a typical server cpuinfo_min_freq`,
    meaning: 'Lowest frequency the governor may request (scaling_min_freq); what generic powersave pins.',
  },

  // ---- governors (datapath-facts.md §1f cpufreq rows; §2 item 8) ---------------------------------
  {
    key: 'cpu.ondemandUpThresholdFraction', value: 0.8, unit: 'fraction', label: 'assumption', range: [0.6, 0.95],
    source: `${FACTS} §1f cpufreq rows give performance/powersave only; ondemand's up_threshold default (80 or 95) is not in the facts`,
    meaning: 'ondemand: utilisation at or above which the maximum frequency is requested.',
  },
  {
    key: 'cpu.schedutilHeadroomFactor', value: 1.25, unit: 'factor', label: 'assumption', range: [1, 1.5],
    source: `no row in ${FACTS}; schedutil requests about 1.25 x util x max`,
    meaning: 'schedutil (and intel_pstate powersave, modelled alike): requested f = factor x utilisation x max.',
  },
  {
    key: 'cpu.governorSamplingPeriodUs', value: 10_000, unit: 'us', label: 'assumption', range: [1_000, 100_000],
    source: `no row in ${FACTS}; ondemand sampling_rate / schedutil rate_limit are of the order of milliseconds`,
    meaning: 'Load-dependent governors re-evaluate a core at most this often, from its utilisation since the last evaluation.',
  },

  // ---- memory ---------------------------------------------------------------------------------
  {
    key: 'cpu.dramLatencyLightLoadNs', value: 82, unit: 'ns', label: 'sourced',
    source: `${FACTS} §1f "DRAM latency" (Intel MLC, Xeon Silver 4110, DDR4-2666, injection delay 20000)`,
    meaning: 'Stall per DRAM miss at light memory load; does not scale with core frequency.',
  },
  {
    key: 'cpu.dramLatencyLoadedNs', value: 130, unit: 'ns', label: 'sourced',
    source: `${FACTS} §1f "DRAM latency" (Intel MLC, full load)`,
    meaning: 'Stall per DRAM miss with the memory system fully loaded.',
  },

  // ---- per-packet kernel costs, as cycles at 3.6 GHz (datapath-facts.md §1f, §1c, §1d) -----------
  {
    key: 'cpu.xdpDropCycles', value: REF_HZ / 24e6, unit: 'cycles', label: 'derived',
    source: `${XDP} "XDP drop vs DPDK": 24 Mpps per core = 41.6 ns`,
    derivation: `3.6e9 Hz / 24e6 pps = 150 cycles per packet (41.7 ns).${STALLS}`,
    meaning: 'Driver RX + XDP program returning XDP_DROP, per packet.',
  },
  {
    key: 'cpu.linuxRawDropCycles', value: REF_HZ / 4.8e6, unit: 'cycles', label: 'derived',
    source: `${XDP} "Linux stack, drop as early as possible": 4.8 Mpps (raw table)`,
    derivation: `3.6e9 Hz / 4.8e6 pps = 750 cycles (208 ns).${STALLS}`,
    meaning: 'Driver RX + skb + netif_receive + iptables raw-table drop, per packet.',
  },
  {
    key: 'cpu.conntrackExtraCycles', value: REF_HZ / 1.8e6 - REF_HZ / 4.8e6, unit: 'cycles', label: 'derived',
    source: `${XDP} "Linux stack, drop as early as possible" (1.8 vs 4.8 Mpps) and §1d "Extra cost of conntrack"`,
    derivation: `3.6e9/1.8e6 - 3.6e9/4.8e6 = 2000 - 750 = 1250 cycles (347 ns, the "+350 ns").${STALLS}`,
    meaning: 'Extra per-packet cost of nf_conntrack (lookup of an existing entry) over the raw-table path.',
  },
  {
    key: 'cpu.linuxIpForwardCycles', value: REF_HZ / 1.74e6, unit: 'cycles', label: 'derived',
    source: `${XDP} "Linux IP forwarding (routing)": 1.74 Mpps with a single route (bench04_fwd.org)`,
    derivation: `3.6e9/1.74e6 = 2069 cycles (575 ns).${STALLS}`,
    meaning: 'Receive + route lookup (one route) + transmit of a forwarded packet.',
  },
  {
    key: 'cpu.linuxIpForwardFullTableCycles', value: REF_HZ / 1.37e6, unit: 'cycles', label: 'derived',
    source: `${XDP} "Linux IP forwarding (routing)": 1.37 Mpps with a full BGP table, 4000 destinations`,
    derivation: '3.6e9/1.37e6 = 2628 cycles (730 ns). Here part of the time is likely cache misses in the FIB (752k routes); ' +
      'kept as cycles for lack of a split (assumption).',
    meaning: 'As cpu.linuxIpForwardCycles with a full Internet routing table.',
  },
  {
    key: 'cpu.functionCallCycles', value: 1.3e-9 * REF_HZ, unit: 'cycles', label: 'derived',
    source: `${FACTS} §1c "Cost of one function call" (XDP paper, 1.3 ns at 3.6 GHz)`,
    derivation: '1.3 ns x 3.6 GHz = 4.68 cycles.',
    meaning: 'One (direct) function call.',
  },
  {
    key: 'cpu.irqEntryCycles', value: 2000, unit: 'cycles', label: 'assumption', range: [500, 10_000],
    source: `no row in ${FACTS}; hard-IRQ entry/exit plus raising NET_RX softirq, of the order of a microsecond`,
    meaning: 'CPU time per NIC interrupt, charged to the core before the NAPI poll it starts.',
  },
];
