/** Calibration rows of the ebpf domain (see calibrationEntry.ts for the fields and labels). */
import type { CalibrationEntry } from './calibrationEntry.ts';

const FACTS = 'datapath-facts.md';
const HASHBENCH = `${FACTS} §1b "BPF hash-map lookup from BPF (hot cache)" (Protopopov, bpf list 2023, bench bpf-hashmap-lookup, AMD Ryzen 9 3950X)`;
const FIT =
  'Solved from the three points of the hash-map benchmark (4 B key at 6 % and 50 % of 65,536: 19.7 and 26 ns; 64 B key at ' +
  '100 %: 56 ns; value 8 B) under the mechanism of model/ebpf/mapLookup.ts with the assumed cache sizes: at 6 % the ' +
  'working set (464 KiB) fits the 512 KiB L2, so 19.72 ns = fixed + 4 x perByte; 50 % (2.9 MiB) adds 2.25 lines x ' +
  '0.826 L2-miss probability x llcHitStallNs = 6.39 ns; 100 % with 64 B keys (8.5 MiB, 3.5 lines, miss 0.941) gives ' +
  'perByte from the remainder (ns from the sourced rates: 1e9/50.7e6, 1e9/38.3e6, 1e9/17.7e6). Cycles at the assumed benchmark clock ebpf.mapBenchFreqHz (3.5 GHz). Three points fix three parameters, ' +
  'so reproducing them is not a validation; the check is that the values are physically plausible (see model/ebpf/README.md).';

export const ebpfCalibration: readonly CalibrationEntry[] = [
  // ---- program execution (datapath-facts.md §1c; §2 item 6) --------------------------------------
  {
    key: 'ebpf.jitCyclesPerInstruction', value: 1, unit: 'cycles/insn', label: 'assumption', range: [0.5, 3],
    source: `no row in ${FACTS} (§1b: per-packet instruction counts are [U]); the x86-64 JIT emits 1-3 native instructions per BPF instruction at an IPC of about 1-3`,
    meaning: 'Cycles per executed BPF instruction when JIT-compiled.',
  },
  {
    key: 'ebpf.interpreterSlowdownFactor', value: 4, unit: 'factor', label: 'assumption', range: [3, 5],
    source: `${FACTS} §1c "JIT vs interpreter speed" (classic BPF: "jitted code is 3-5 times faster", NetBSD tech-net 2012); no modern eBPF ratio found [U]`,
    meaning: 'Interpreter time per instruction / JIT time per instruction; helpers (map lookups) run native code either way. Not the seed\'s 10-100x.',
  },
  {
    key: 'ebpf.invocationOverheadCycles', value: 30, unit: 'cycles', label: 'assumption', range: [10, 100],
    source: `${FACTS} §1c "Cost of one function call" (1.3 ns = 4.7 cycles) plus an assumed ~25 cycles of context setup, prologue/epilogue and verdict dispatch`,
    meaning: 'Fixed cost of running a program once at its hook (calling it and acting on its return code).',
  },
  {
    key: 'ebpf.noopProgramInstructions', value: 2, unit: 'insns', label: 'derived',
    source: `${FACTS} §1b "No-op XDP program overhead" (the program under test)`,
    derivation: 'A no-op XDP program is "r0 = XDP_PASS; exit": 2 instructions.',
    meaning: 'Instructions of the no-op XDP program used as a check of the invocation model.',
  },

  // ---- tail calls (datapath-facts.md §1b "Tail-call cost") ----------------------------------------
  {
    key: 'ebpf.tailCallBefore55Ns', value: 25, unit: 'ns', label: 'derived', range: [20, 30],
    source: `${FACTS} §1b "Tail-call cost" (LPC 2020, Cloudflare production programs)`,
    derivation: 'Midpoint of the sourced 20-30 ns (retpoline-protected indirect jump).',
    meaning: 'Cost of one tail call on kernels before 5.5.',
  },
  {
    key: 'ebpf.tailCallFrom55Ns', value: 5, unit: 'ns', label: 'assumption', range: [1, 10],
    source: `${FACTS} §1b "Tail-call cost" ("< 10 ns from 5.5 on"; only an upper bound is published)`,
    meaning: 'Cost of one tail call on 5.5+ (direct jumps patched in for constant-key tail calls).',
  },
  {
    key: 'ebpf.tailCallDirectJumpKernelMajor', value: 5, unit: 'version', label: 'sourced',
    source: `${FACTS} §1b "Tail-call cost" (the change lands in Linux 5.5)`,
    meaning: 'Major number of the first kernel with cheap tail calls.',
  },
  {
    key: 'ebpf.tailCallDirectJumpKernelMinor', value: 5, unit: 'version', label: 'sourced',
    source: `${FACTS} §1b "Tail-call cost" (Linux 5.5)`,
    meaning: 'Minor number of the first kernel with cheap tail calls.',
  },

  // ---- kernel.bpf_stats_enabled (datapath-facts.md §1b, §1c) --------------------------------------
  {
    key: 'ebpf.ktimeGetNs', value: 20, unit: 'ns', label: 'sourced',
    source: `${FACTS} §1b "Overhead of enabling BPF stats" (cilium/design-cfps PR #101: "about 20 ns each on bare metal")`,
    meaning: 'One ktime_get_ns() call.',
  },
  {
    key: 'ebpf.statsKtimeCallsPerInvocation', value: 2, unit: 'calls', label: 'sourced',
    source: `${FACTS} §1b "Overhead of enabling BPF stats" ("two ktime_get_ns() calls per invocation")`,
    meaning: 'ktime_get_ns() calls added to every program run when kernel.bpf_stats_enabled = 1.',
  },

  // ---- map lookups (datapath-facts.md §1b) ----------------------------------------------------------
  {
    key: 'ebpf.mapBenchFreqHz', value: 3.5e9, unit: 'Hz', label: 'assumption', range: [3.5e9, 4.7e9],
    source: `${FACTS} §1b "Benchmark platform (docs)" (Ryzen 9 3950X, 3.5 GHz base); the clock during the map benchmark is not stated (boost reaches 4.7 GHz)`,
    meaning: 'Clock assumed for the hash-map benchmark, to turn its ns into cycles.',
  },
  {
    key: 'ebpf.hashLookupFixedCycles', value: 63.1, unit: 'cycles', label: 'derived',
    source: HASHBENCH, derivation: `${FIT} Fixed part: 18.0 ns x 3.5 GHz.`,
    meaning: 'Hash lookup: helper call, hash finalisation and bucket index, independent of key size and occupancy.',
  },
  {
    key: 'ebpf.hashLookupKeyByteCycles', value: 1.485, unit: 'cycles/B', label: 'derived',
    source: HASHBENCH, derivation: `${FIT} Per key byte: 0.424 ns x 3.5 GHz.`,
    meaning: 'Hash lookup: jhash plus key compare per key byte.',
  },
  {
    key: 'ebpf.llcHitStallNs', value: 3.44, unit: 'ns', label: 'derived',
    source: HASHBENCH, derivation: `${FIT} 6.39 ns / (2.25 x 0.826).`,
    meaning: 'Effective stall per line that misses the private cache and hits the LLC (benchmark loop: misses of successive lookups overlap).',
  },
  {
    key: 'ebpf.lruRefCycles', value: 5, unit: 'cycles', label: 'assumption', range: [0, 40],
    source: `no row in ${FACTS}; an LRU lookup also sets the element's ref bit (a read, and a write only the first time)`,
    meaning: 'LRU hash: extra over a plain hash lookup.',
  },
  {
    key: 'ebpf.lpmLookupFixedCycles', value: 40, unit: 'cycles', label: 'assumption', range: [20, 200],
    source: `no row in ${FACTS}`,
    meaning: 'LPM trie lookup: fixed part (helper call, key setup).',
  },
  {
    key: 'ebpf.lpmPerNodeCycles', value: 30, unit: 'cycles', label: 'assumption', range: [10, 150],
    source: `no row in ${FACTS}`,
    meaning: 'LPM trie lookup: per node visited (one per prefix length on the path): prefix compare and child select.',
  },
  {
    key: 'ebpf.lpmNodeBytes', value: 64, unit: 'B', label: 'assumption', range: [48, 128],
    source: `no row in ${FACTS}; struct lpm_trie_node (rcu head, 2 children, prefixlen, flags) plus an IPv4 key, kmalloc-rounded`,
    meaning: 'Memory per LPM trie node.',
  },
  {
    key: 'ebpf.htabElemHeaderBytes', value: 48, unit: 'B', label: 'sourced',
    source: `${FACTS} §1b "Kernel memory per LRU-hash element" (48 B htab_elem header, kernel/bpf/hashtab.c)`,
    meaning: 'Header of every hash-map element; key and value follow, each rounded up to 8 B.',
  },
  {
    key: 'ebpf.htabBucketBytes', value: 16, unit: 'B', label: 'assumption', range: [8, 64],
    source: `no row in ${FACTS}; struct bucket = hlist_nulls_head (8 B) + spinlock, aligned`,
    meaning: 'Memory per hash bucket.',
  },
  {
    key: 'ebpf.cacheLineBytes', value: 64, unit: 'B', label: 'assumption', range: [64, 128],
    source: `no row in ${FACTS}; x86-64 cache line`,
    meaning: 'Cache line size.',
  },
  {
    key: 'ebpf.privateCacheBytes', value: 524_288, unit: 'B', label: 'assumption', range: [262_144, 2_097_152],
    source: `no row in ${FACTS}; L2 per core of the benchmark's Zen 2 (512 KiB); Intel server cores have 256 KiB-2 MiB`,
    meaning: 'Private cache per core that a map lookup can hit without an LLC access.',
  },
  {
    key: 'ebpf.lastLevelCacheBytes', value: 16_777_216, unit: 'B', label: 'assumption', range: [4_194_304, 67_108_864],
    source: `no row in ${FACTS}; L3 per CCX of the benchmark's Zen 2 (16 MiB)`,
    meaning: 'Last-level cache a lookup can hit; lines beyond it are DRAM misses.',
  },

  // ---- Cilium programs: executed instructions and tail calls per packet are [U] -------------------
  {
    key: 'ebpf.cilium.fromContainerInstructions', value: 1000, unit: 'insns', label: 'assumption', range: [200, 5000],
    source: `${FACTS} §1b "Per-packet instruction counts for bpf_lxc from-container" is [U]`,
    meaning: 'BPF instructions executed per packet by cil_from_container (bpf_lxc egress from a pod), excluding helpers.',
  },
  {
    key: 'ebpf.cilium.fromContainerTailCalls', value: 3, unit: 'calls', label: 'assumption', range: [1, 6],
    source: `no value in ${FACTS} (§2 item 3: packets "still pay ... tail calls")`,
    meaning: 'Tail calls per packet in cil_from_container.',
  },
  {
    key: 'ebpf.cilium.toContainerInstructions', value: 700, unit: 'insns', label: 'assumption', range: [150, 4000],
    source: `${FACTS} §1b per-packet instruction counts are [U]`,
    meaning: 'BPF instructions executed per packet on delivery to a pod (bpf_lxc to-container / policy).',
  },
  {
    key: 'ebpf.cilium.toContainerTailCalls', value: 2, unit: 'calls', label: 'assumption', range: [0, 5],
    source: `no value in ${FACTS}`,
    meaning: 'Tail calls per packet on delivery to a pod.',
  },
  {
    key: 'ebpf.cilium.fromNetdevInstructions', value: 500, unit: 'insns', label: 'assumption', range: [100, 3000],
    source: `${FACTS} §1b per-packet instruction counts are [U]`,
    meaning: 'BPF instructions executed per packet by cil_from_netdev (bpf_host on the node NIC).',
  },
  {
    key: 'ebpf.cilium.fromNetdevTailCalls', value: 1, unit: 'calls', label: 'assumption', range: [0, 4],
    source: `no value in ${FACTS}`,
    meaning: 'Tail calls per packet in cil_from_netdev.',
  },
];
