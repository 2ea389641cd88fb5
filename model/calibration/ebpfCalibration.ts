/** Calibration rows of the ebpf domain (see calibrationEntry.ts for the fields and labels). */
import type { CalibrationEntry } from './calibrationEntry.ts';

const SOURCES = 'docs/sources.md';
const HASHBENCH =
  'A. Protopopov (Isovalent), bpf mailing list 2023: results of bench bpf-hashmap-lookup (Linux ' +
  'tools/testing/selftests/bpf/benchs/bench_bpf_hashmap_lookup.c) on an AMD Ryzen 9 3950X, posted with his jhash2 patch series ' +
  `(also FOSDEM 2023, "Optimizing BPF hashmap and friends"); ${SOURCES}#bpf-hashmap-lookup-bench`;
/** The tail-call figures (Cloudflare's production programs): what the talk says, then where. */
function tailCalls(what: string): string {
  return `Linux Plumbers Conference 2020, "Evaluation of tail call costs in eBPF", https://lpc.events/event/7/contributions/676/ (${what}); ${SOURCES}#bpf-tail-calls`;
}
const CILIUM_INSNS =
  'assumption: the BPF instructions Cilium\'s programs execute per packet are not published (looked for in cilium/cilium ' +
  `Documentation/operations/performance/ and the BPF literature; the sources of bpf/bpf_lxc.c and bpf/bpf_host.c give no counts); ${SOURCES}#bpf-program-run-times`;
const CILIUM_TAIL_CALLS =
  'assumption: tail calls per packet of Cilium\'s programs are not published; the programs chain their stages with tail calls ' +
  `(cilium/cilium bpf/bpf_lxc.c, bpf/lib/tailcall.h); ${SOURCES}#bpf-program-run-times`;
const FIT =
  'Solved from the three points of the hash-map benchmark (4 B key at 6 % and 50 % of 65,536: 19.7 and 26 ns; 64 B key at ' +
  '100 %: 56 ns; value 8 B) under the mechanism of model/ebpf/mapLookup.ts with the assumed cache sizes: at 6 % the ' +
  'working set (464 KiB) fits the 512 KiB L2, so 19.72 ns = fixed + 4 x perByte; 50 % (2.9 MiB) adds 2.25 lines x ' +
  '0.826 L2-miss probability x llcHitStallNs = 6.39 ns; 100 % with 64 B keys (8.5 MiB, 3.5 lines, miss 0.941) gives ' +
  'perByte from the remainder (ns from the sourced rates: 1e9/50.7e6, 1e9/38.3e6, 1e9/17.7e6). Cycles at the assumed benchmark clock ebpf.mapBenchFreqHz (3.5 GHz). Three points fix three parameters, ' +
  'so reproducing them is not a validation; the check is that the values are physically plausible (see model/ebpf/README.md).';

export const ebpfCalibration: readonly CalibrationEntry[] = [
  // ---- program execution (docs/sources.md#bpf-jit, #function-call-cost) -------------------------
  {
    key: 'ebpf.jitCyclesPerInstruction', value: 1, unit: 'cycles/insn', label: 'assumption', range: [0.5, 3],
    source: 'assumption: executed instructions per packet and cycles per BPF instruction are not published (looked for in Cilium\'s docs and the BPF literature, docs/sources.md#bpf-program-run-times); the x86-64 JIT (Linux arch/x86/net/bpf_jit_comp.c) emits 1-3 native instructions per BPF instruction, at an IPC of about 1-3',
    meaning: 'Cycles per executed BPF instruction when JIT-compiled.',
  },
  {
    key: 'ebpf.interpreterSlowdownFactor', value: 4, unit: 'factor', label: 'assumption', range: [3, 5],
    source: 'assumption from classic-BPF evidence: "jitted code is 3-5 times faster" (NetBSD tech-net, 2012-08-20); Linux kernel/bpf/Kconfig says only that the JIT "will significantly speed-up processing of BPF programs"; no modern eBPF JIT/interpreter ratio was found; docs/sources.md#bpf-jit',
    meaning: 'Interpreter time per instruction / JIT time per instruction; helpers (map lookups) run native code either way. Not the seed\'s 10-100x.',
  },
  {
    key: 'ebpf.invocationOverheadCycles', value: 30, unit: 'cycles', label: 'assumption', range: [10, 100],
    source: 'assumption: one function call (1.3 ns = 4.7 cycles, XDP paper, ACM CoNEXT 2018, §4.4) plus an assumed ~25 cycles of context setup, prologue/epilogue and verdict dispatch; docs/sources.md#function-call-cost',
    meaning: 'Fixed cost of running a program once at its hook (calling it and acting on its return code).',
  },
  {
    key: 'ebpf.noopProgramInstructions', value: 2, unit: 'insns', label: 'derived',
    source: 'the program behind the XDP paper\'s no-op overhead (ACM CoNEXT 2018, §4.1: 13.3 ns per packet), a program that only passes the packet on; docs/sources.md#xdp-noop-program',
    derivation: 'A no-op XDP program is "r0 = XDP_PASS; exit": 2 instructions.',
    meaning: 'Instructions of the no-op XDP program used as a check of the invocation model.',
  },

  // ---- tail calls (docs/sources.md#bpf-tail-calls) -----------------------------------------------
  {
    key: 'ebpf.tailCallBefore55Ns', value: 25, unit: 'ns', label: 'derived', range: [20, 30],
    source: tailCalls('20-30 ns per tail call before Linux 5.5, Cloudflare production programs'),
    derivation: 'Midpoint of the sourced 20-30 ns (retpoline-protected indirect jump).',
    meaning: 'Cost of one tail call on kernels before 5.5.',
  },
  {
    key: 'ebpf.tailCallFrom55Ns', value: 5, unit: 'ns', label: 'assumption', range: [1, 10],
    source: tailCalls('"< 10 ns" from Linux 5.5 on: only an upper bound is published'),
    meaning: 'Cost of one tail call on 5.5+ (direct jumps patched in for constant-key tail calls).',
  },
  {
    key: 'ebpf.tailCallDirectJumpKernelMajor', value: 5, unit: 'version', label: 'sourced',
    source: tailCalls('the cheaper tail calls arrive with Linux 5.5'),
    meaning: 'Major number of the first kernel with cheap tail calls.',
  },
  {
    key: 'ebpf.tailCallDirectJumpKernelMinor', value: 5, unit: 'version', label: 'sourced',
    source: tailCalls('the cheaper tail calls arrive with Linux 5.5'),
    meaning: 'Minor number of the first kernel with cheap tail calls.',
  },

  // ---- kernel.bpf_stats_enabled (docs/sources.md#bpf-stats) -------------------------------------
  {
    key: 'ebpf.ktimeGetNs', value: 20, unit: 'ns', label: 'sourced',
    source: 'cilium/design-cfps PR #101 (CFP-46760), review comment: "about 20 ns each on bare metal", https://github.com/cilium/design-cfps/pull/101; docs/sources.md#bpf-stats',
    meaning: 'One ktime_get_ns() call.',
  },
  {
    key: 'ebpf.statsKtimeCallsPerInvocation', value: 2, unit: 'calls', label: 'sourced',
    source: 'cilium/design-cfps PR #101 (CFP-46760), review comment: "two ktime_get_ns() calls per invocation", https://github.com/cilium/design-cfps/pull/101; the switch is kernel.bpf_stats_enabled, Linux Documentation/admin-guide/sysctl/kernel.rst; docs/sources.md#bpf-stats',
    meaning: 'ktime_get_ns() calls added to every program run when kernel.bpf_stats_enabled = 1.',
  },

  // ---- map lookups (docs/sources.md#bpf-hashmap-lookup-bench, #bpf-htab-element) ---------------------
  {
    key: 'ebpf.mapBenchFreqHz', value: 3.5e9, unit: 'Hz', label: 'assumption', range: [3.5e9, 4.7e9],
    source: 'assumption: the hash-map benchmark (Linux tools/testing/selftests/bpf/benchs/bench_bpf_hashmap_lookup.c, results on the bpf mailing list by A. Protopopov, 2023) ran on an AMD Ryzen 9 3950X, 3.5 GHz base and 4.7 GHz boost (https://en.wikichip.org/wiki/amd/ryzen_9/3950x); its clock during the run is not stated; docs/sources.md#bpf-hashmap-lookup-bench',
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
    source: 'assumption: an LRU lookup also sets the element\'s reference bit (Linux kernel/bpf/bpf_lru_list.h, bpf_lru_node_set_ref: a read, and a write only the first time); no separate timing is published; docs/sources.md#bpf-lru-eviction',
    meaning: 'LRU hash: extra over a plain hash lookup.',
  },
  {
    key: 'ebpf.lpmLookupFixedCycles', value: 40, unit: 'cycles', label: 'assumption', range: [20, 200],
    source: 'assumption: no published timing of an LPM-trie lookup was found (Linux kernel/bpf/lpm_trie.c, trie_lookup_elem); docs/sources.md#bpf-lpm-trie',
    meaning: 'LPM trie lookup: fixed part (helper call, key setup).',
  },
  {
    key: 'ebpf.lpmPerNodeCycles', value: 30, unit: 'cycles', label: 'assumption', range: [10, 150],
    source: 'assumption: no published per-node timing of an LPM-trie lookup was found (Linux kernel/bpf/lpm_trie.c walks one node per prefix length on the path); docs/sources.md#bpf-lpm-trie',
    meaning: 'LPM trie lookup: per node visited (one per prefix length on the path): prefix compare and child select.',
  },
  {
    key: 'ebpf.lpmNodeBytes', value: 64, unit: 'B', label: 'assumption', range: [48, 128],
    source: 'assumption from Linux kernel/bpf/lpm_trie.c struct lpm_trie_node (a 40 B header: rcu head, 2 children, prefixlen, flags) plus an IPv4 key and a small value, kmalloc-rounded; docs/sources.md#bpf-lpm-trie',
    meaning: 'Memory per LPM trie node.',
  },
  {
    key: 'ebpf.htabElemHeaderBytes', value: 48, unit: 'B', label: 'sourced',
    source: 'Linux kernel/bpf/hashtab.c struct htab_elem (hash node 16 + LRU node / per-CPU pointer 24 + hash 4, padded to 48 B; elem_size = sizeof(struct htab_elem) + round_up(key_size, 8) + round_up(value_size, 8)); docs/sources.md#bpf-htab-element',
    meaning: 'Header of every hash-map element; key and value follow, each rounded up to 8 B.',
  },
  {
    key: 'ebpf.htabBucketBytes', value: 16, unit: 'B', label: 'assumption', range: [8, 64],
    source: 'assumption from Linux kernel/bpf/hashtab.c struct bucket = hlist_nulls_head (8 B) + a lock, aligned; its padded size was not re-read; docs/sources.md#bpf-htab-element',
    meaning: 'Memory per hash bucket.',
  },
  {
    key: 'ebpf.cacheLineBytes', value: 64, unit: 'B', label: 'assumption', range: [64, 128],
    source: 'assumption: the x86-64 cache line, 64 B on Intel and AMD server parts (Linux arch/x86/Kconfig.cpu, X86_L1_CACHE_SHIFT 6; Intel 64 and IA-32 Architectures Optimization Reference Manual, https://www.intel.com/content/www/us/en/developer/articles/technical/intel-sdm.html); 128 B allows for adjacent-line prefetch',
    meaning: 'Cache line size.',
  },
  {
    key: 'ebpf.privateCacheBytes', value: 524_288, unit: 'B', label: 'assumption', range: [262_144, 2_097_152],
    source: 'assumption: the 512 KiB L2 per core of the benchmark\'s Zen 2 (AMD Ryzen 9 3950X, https://en.wikichip.org/wiki/amd/ryzen_9/3950x); Intel server cores have 256 KiB-2 MiB; docs/sources.md#bpf-hashmap-lookup-bench',
    meaning: 'Private cache per core that a map lookup can hit without an LLC access.',
  },
  {
    key: 'ebpf.lastLevelCacheBytes', value: 16_777_216, unit: 'B', label: 'assumption', range: [4_194_304, 67_108_864],
    source: 'assumption: the 16 MiB L3 per CCX of the benchmark\'s Zen 2 (AMD Ryzen 9 3950X: 64 MiB L3 in four CCXs, https://en.wikichip.org/wiki/amd/ryzen_9/3950x); docs/sources.md#bpf-hashmap-lookup-bench',
    meaning: 'Last-level cache a lookup can hit; lines beyond it are DRAM misses.',
  },

  // ---- Cilium programs: executed instructions and tail calls per packet are [U] -------------------
  {
    key: 'ebpf.cilium.fromContainerInstructions', value: 1000, unit: 'insns', label: 'assumption', range: [200, 5000],
    source: CILIUM_INSNS,
    meaning: 'BPF instructions executed per packet by cil_from_container (bpf_lxc egress from a pod), excluding helpers.',
  },
  {
    key: 'ebpf.cilium.fromContainerTailCalls', value: 3, unit: 'calls', label: 'assumption', range: [1, 6],
    source: CILIUM_TAIL_CALLS,
    meaning: 'Tail calls per packet in cil_from_container.',
  },
  {
    key: 'ebpf.cilium.toContainerInstructions', value: 700, unit: 'insns', label: 'assumption', range: [150, 4000],
    source: CILIUM_INSNS,
    meaning: 'BPF instructions executed per packet on delivery to a pod (bpf_lxc to-container / policy).',
  },
  {
    key: 'ebpf.cilium.toContainerTailCalls', value: 2, unit: 'calls', label: 'assumption', range: [0, 5],
    source: CILIUM_TAIL_CALLS,
    meaning: 'Tail calls per packet on delivery to a pod.',
  },
  {
    key: 'ebpf.cilium.fromNetdevInstructions', value: 500, unit: 'insns', label: 'assumption', range: [100, 3000],
    source: CILIUM_INSNS,
    meaning: 'BPF instructions executed per packet by cil_from_netdev (bpf_host on the node NIC).',
  },
  {
    key: 'ebpf.cilium.fromNetdevTailCalls', value: 1, unit: 'calls', label: 'assumption', range: [0, 4],
    source: CILIUM_TAIL_CALLS,
    meaning: 'Tail calls per packet in cil_from_netdev.',
  },
];
