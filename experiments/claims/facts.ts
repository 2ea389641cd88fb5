/**
 * The sourced fact records the claims registry checks configuration and mechanism claims against:
 * real option names and defaults, what a sysctl does, which metrics and maps exist, how the kernel
 * and Cilium behave. Each record names its source (repository file and commit, or URL) and the
 * docs/sources.md section that collects it; `svcpath claims` and the report print them. Numbers
 * that are model defaults live in the calibration table instead (claims read them there).
 */
import { checkFact, type FactRecord } from './factRecord.ts';

const CILIUM = 'cilium/cilium';
const K8S = 'kubernetes/kubernetes';
const LINUX = 'torvalds/linux';
const METRICS_RST = { repo: CILIUM, file: 'Documentation/observability/metrics.rst', commit: 'f8de569f1add928fabae8f24f37931bd5286da26' };
const AGENT_CMDREF = { repo: CILIUM, file: 'Documentation/cmdref/cilium-agent.md', commit: '0036b1f' };

/** Options, metrics and commands the seed uses that Cilium does not have: one record each. */
function absent(key: string, subject: string, realOnes: string, source: FactRecord['sources'][number], anchor = 'cilium-policy-limits'): FactRecord {
  return { key, subject, kind: 'exists', value: false, status: 'sourced', sources: [source], anchor, note: `No such name in Cilium. ${realOnes}` };
}

export const FACTS: readonly FactRecord[] = [
  // --- kube-proxy and iptables ---------------------------------------------------------------
  {
    key: 'kubeProxy.iptablesEndpointSelection',
    subject: 'how kube-proxy (iptables mode) picks a Service endpoint',
    kind: 'meaning',
    value: 'random',
    status: 'sourced',
    sources: [
      { repo: K8S, file: 'pkg/proxy/iptables/proxier_test.go', where: 'KUBE-SVC rules "-m statistic --mode random --probability 1/(N-i)"' },
      { url: 'https://kubernetes.io/docs/reference/networking/virtual-ips/', where: '"By default, kube-proxy in iptables mode chooses a backend at random"' },
    ],
    anchor: 'kube-proxy-endpoint-selection',
    note: 'Each new connection picks an endpoint at random with probability 1/N; only IPVS mode schedules round-robin (rr).',
  },
  {
    key: 'iptables.natTableTraversal',
    subject: 'which packets of a connection traverse the iptables nat table (KUBE-SERVICES, KUBE-SVC, KUBE-SEP)',
    kind: 'meaning',
    value: 'the first packet of each connection',
    status: 'sourced',
    sources: [{ url: 'https://ipset.netfilter.org/iptables.man.html', where: 'iptables(8), TABLES, nat: "consulted when a packet that creates a new connection is encountered"' }],
    anchor: 'iptables-nat-new-connections',
    note: 'Later packets are translated from the conntrack entry; they walk only the filter hooks (KUBE-FORWARD accepts them on its ESTABLISHED rule).',
  },
  {
    key: 'iptables.ruleEvaluationPlace',
    subject: 'where iptables rules are evaluated',
    kind: 'meaning',
    value: 'in the kernel (netfilter hooks)',
    status: 'sourced',
    sources: [{ url: 'https://ipset.netfilter.org/iptables.man.html', where: 'iptables(8), DESCRIPTION: the tool is "used to set up, maintain, and inspect the tables of IPv4 and IPv6 packet filter rules in the Linux kernel"' }],
    anchor: 'iptables-in-kernel',
    note: 'The iptables command only loads rules; packets are matched by netfilter in the kernel, in softirq context, like a tc BPF program.',
  },
  // --- Cilium datapath -------------------------------------------------------------------------
  {
    key: 'cilium.connectionTracking',
    subject: 'whether Cilium tracks connections, and where',
    kind: 'meaning',
    value: 'in the kernel, in its own BPF CT maps (LRU hash)',
    status: 'sourced',
    sources: [
      { repo: CILIUM, file: 'pkg/maps/ctmap/types.go', commit: 'd93bee9', where: 'CtKey4Global / CtEntry, the per-connection entries of cilium_ct4_global' },
      { repo: CILIUM, file: 'Documentation/network/ebpf/maps.rst', commit: '5ba8131', where: 'map limits table: "Connection Tracking"' },
    ],
    anchor: 'cilium-ct-sizing',
    note: 'Every packet of a connection looks up Cilium CT entries in a BPF map in the kernel (two per connection with per-packet load balancing); there is no userspace tracker.',
  },
  {
    key: 'cilium.serviceMapName',
    subject: "name of Cilium's IPv4 Service map",
    kind: 'name',
    value: 'cilium_lb4_services_v2',
    status: 'sourced',
    sources: [{ repo: CILIUM, file: 'pkg/maps/lbmap/ipv4.go', commit: '00c22b1', where: 'Service4Key map name' }],
    anchor: 'cilium-lb-maps',
    note: 'The Service map is cilium_lb4_services_v2 (backends in cilium_lb4_backends_v3); "cilium bpf lb list" prints it.',
  },
  {
    key: 'cilium.endpointMapName',
    subject: "name of Cilium's local endpoint map",
    kind: 'name',
    value: 'cilium_lxc',
    status: 'sourced',
    sources: [{ repo: CILIUM, file: 'pkg/maps/lxcmap/lxcmap.go', where: 'MapName = "cilium_lxc"' }],
    anchor: 'claims-config-facts',
    note: 'Local endpoints live in cilium_lxc; Service backends are in cilium_lb4_backends_v3, not in an endpoint map.',
  },
  {
    key: 'cilium.l7PolicyEnforcement',
    subject: 'what enforces Cilium L7 (HTTP) policy',
    kind: 'meaning',
    value: 'a node-local Envoy proxy that eBPF redirects the traffic to',
    status: 'sourced',
    sources: [{ repo: CILIUM, file: 'Documentation/security/policy/layer7.rst', commit: '2df56ae1afd457d065cb240e41feb475b3049e00', where: '"Layer 7 policies will proxy traffic through a node-local Envoy instance"; violations get "HTTP 403 access denied", not drops' }],
    anchor: 'claims-config-facts',
    note: 'eBPF does the L3/L4 part and the redirect; HTTP is parsed by Envoy in userspace. A denied request gets a 403, not a dropped packet.',
  },
  {
    key: 'cilium.l7DenyAction',
    subject: 'what happens to a request that Cilium L7 policy denies',
    kind: 'meaning',
    value: 'the proxy answers it (HTTP 403 access denied); nothing is dropped',
    status: 'sourced',
    sources: [{ repo: CILIUM, file: 'Documentation/security/policy/layer7.rst', commit: '2df56ae1afd457d065cb240e41feb475b3049e00', where: '"violation of layer 7 rules does not result in packet drops. Instead ... an HTTP 403 access denied is sent back"' }],
    anchor: 'claims-config-facts',
    note: 'A denied HTTP request gets a 403 from Envoy; the connection stays up. Clients that see 403s are being denied by L7 policy, not dropped by eBPF.',
  },
  {
    key: 'cilium.httpRuleField',
    subject: 'where HTTP rules sit in a CiliumNetworkPolicy',
    kind: 'name',
    value: 'toPorts[].rules.http',
    status: 'sourced',
    sources: [{ repo: CILIUM, file: 'pkg/policy/api/l4.go', commit: 'd5e4735d4a5d20c5b8b3790c4411b0412e034a2a', where: 'type L7Rules: HTTP []PortRuleHTTP `json:"http"`; L7Proto/L7 are the key-value rules of generic (proxylib) parsers' }],
    anchor: 'claims-config-facts',
    note: 'HTTP rules are toPorts[].rules.http; there is no l7Rules field, and l7proto with l7 is for generic key-value parsers, not a new HTTP syntax.',
  },
  // --- kernel: BPF verifier, JIT, stats --------------------------------------------------------
  {
    key: 'kernel.bpfVerifierOnLimit',
    subject: 'what the kernel does when a BPF program exceeds the verifier limit',
    kind: 'meaning',
    value: 'the load fails (E2BIG); nothing runs',
    status: 'sourced',
    sources: [{ repo: LINUX, file: 'kernel/bpf/verifier.c', where: 'do_check(): insn_processed > BPF_COMPLEXITY_LIMIT_INSNS -> "BPF program is too large. Processed %d insn", return -E2BIG' }],
    anchor: 'bpf-verifier-limit',
    note: 'A program the verifier rejects is never attached: there is no slower fallback path. Cilium keeps the previous program and reports the regeneration as failed.',
  },
  {
    key: 'kernel.bpfVerifierComplexityLimit',
    subject: 'BPF verifier complexity limit',
    kind: 'limit',
    value: 1_000_000,
    unit: 'processed instructions',
    status: 'sourced',
    sources: [{ repo: LINUX, file: 'include/linux/bpf.h', where: '#define BPF_COMPLEXITY_LIMIT_INSNS 1000000 /* yes. 1M insns */' }],
    anchor: 'bpf-verifier-limit',
    note: 'The limit counts instructions the verifier processes while exploring paths (privileged loaders, Linux >= 5.2), not the size of the program in bytes; it is a compile-time constant, not a sysctl.',
  },
  {
    key: 'kernel.bpfStatsEnabledMeaning',
    subject: 'sysctl kernel.bpf_stats_enabled',
    kind: 'meaning',
    value: 'collects run time and run count per BPF program (0 or 1)',
    status: 'sourced',
    sources: [{ repo: LINUX, file: 'Documentation/admin-guide/sysctl/kernel.rst', url: 'https://docs.kernel.org/admin-guide/sysctl/kernel.html', where: 'bpf_stats_enabled: "Controls whether the kernel should collect statistics on BPF programs"; 0 (default) / 1' }],
    anchor: 'bpf-stats',
    note: 'It does not change what the verifier accepts; it costs two ktime_get_ns() calls per program run. The verifier limit is BPF_COMPLEXITY_LIMIT_INSNS, not a sysctl.',
  },
  {
    key: 'kernel.bpfJitEnableValues',
    subject: 'sysctl net.core.bpf_jit_enable values',
    kind: 'meaning',
    value: '0 off, 1 on, 2 on with debug output',
    status: 'sourced',
    sources: [{ repo: LINUX, file: 'Documentation/admin-guide/sysctl/net.rst', url: 'https://docs.kernel.org/admin-guide/sysctl/net.html', where: 'bpf_jit_enable: 0 disables the JIT, 1 enables it, 2 enables it and asks the compiler to emit traces to the kernel log' }],
    anchor: 'bpf-jit',
    note: '2 is for debugging only (it dumps JIT images to the kernel log).',
  },
  {
    key: 'kernel.bpfJitDefaultX8664',
    subject: 'whether the BPF JIT is on by default on x86-64',
    kind: 'default',
    value: 'on',
    status: 'sourced',
    sources: [
      { repo: LINUX, file: 'arch/x86/Kconfig', where: 'select ARCH_WANT_DEFAULT_BPF_JIT if X86_64' },
      { repo: LINUX, file: 'kernel/bpf/Kconfig', where: 'BPF_JIT_ALWAYS_ON: "Permanently enable BPF JIT and remove BPF interpreter"' },
    ],
    anchor: 'bpf-jit',
    note: 'x86-64 kernels (bare metal and cloud VMs alike) boot with the JIT on, and distribution kernels built with BPF_JIT_ALWAYS_ON have no interpreter to fall back to.',
  },
  {
    key: 'cpufreq.powersaveGovernor',
    subject: 'the generic cpufreq powersave governor',
    kind: 'meaning',
    value: 'requests the lowest frequency (scaling_min_freq)',
    status: 'sourced',
    sources: [{ repo: LINUX, file: 'Documentation/admin-guide/pm/cpufreq.rst', url: 'https://docs.kernel.org/admin-guide/pm/cpufreq.html', where: 'powersave "causes the lowest frequency, within scaling_min_freq, to be requested"; performance the highest' }],
    anchor: 'cpufreq-governors',
    note: 'For speed the governor is performance (Cilium\'s tuning guide says so too); intel_pstate\'s own powersave is load-dependent, but never faster than performance.',
  },
  // --- Cilium options, metrics, commands ---------------------------------------------------------
  {
    key: 'cilium.endpointGcIntervalDefault',
    subject: 'cilium-operator option cilium-endpoint-gc-interval, default',
    kind: 'default',
    value: 300, // calibration-exempt: a sourced default (EndpointGCIntervalDefault, 5 min), recorded with its source
    unit: 's',
    status: 'sourced',
    sources: [{ repo: CILIUM, file: 'operator/option/config.go', where: 'EndpointGCIntervalDefault = 5 * time.Minute' }],
    anchor: 'cilium-control-plane',
    note: 'An operator option (not an agent setting) with a default of 5 minutes.',
  },
  {
    key: 'cilium.endpointGcIntervalMeaning',
    subject: 'what cilium-endpoint-gc-interval does',
    kind: 'meaning',
    value: 'garbage-collects CiliumEndpoint objects whose pod is gone',
    status: 'sourced',
    sources: [{ repo: CILIUM, file: 'operator/option/config.go', where: 'EndpointGCInterval: "GC interval for cilium endpoints"' }],
    anchor: 'cilium-control-plane',
    note: 'It cleans up leftover CiliumEndpoint custom resources; Service backends leave the BPF maps when the agent handles the EndpointSlice update, independent of this interval.',
  },
  {
    key: 'cilium.enableL7ProxyDefault',
    subject: 'cilium-agent option enable-l7-proxy, default',
    kind: 'default',
    value: true,
    status: 'sourced',
    sources: [{ ...AGENT_CMDREF, where: '--enable-l7-proxy "Enable L7 proxy for L7 policy enforcement" (default true)' }],
    anchor: 'cilium-policy-limits',
    note: 'The L7 proxy is on unless someone turned it off.',
  },
  absent('cilium.metricPolicyVerdictDenied', 'Cilium metric policy_verdict_denied', 'Policy drops are counted by drop_count_total{reason="Policy denied", direction}.', { ...METRICS_RST, where: 'Drops/Forwards (L3/L4): drop_count_total, labels reason, direction; no policy_verdict_denied in any table' }),
  absent('cilium.metricBpfProgramRunTime', 'Cilium metric cilium_bpf_program_run_time', 'Per-program run time comes from the kernel (bpftool prog show: run_time_ns, run_cnt, with kernel.bpf_stats_enabled=1); Cilium exports bpf_syscall_duration_seconds and bpf_map_ops_total.', { ...METRICS_RST, where: 'eBPF table: bpf_syscall_duration_seconds, bpf_map_ops_total, bpf_map_pressure, bpf_map_capacity, bpf_maps_virtual_memory_max_bytes, bpf_progs_virtual_memory_max_bytes' }),
  absent('cilium.metricBpfMapMemoryBytes', 'metric bpf_map_memory_bytes', 'Cilium exports bpf_maps_virtual_memory_max_bytes and bpf_progs_virtual_memory_max_bytes (system-wide), and bpf_map_pressure per map.', { ...METRICS_RST, where: 'eBPF table' }),
  absent('cilium.optionClientSideRateLimit', 'cilium-agent option client-side-rate-limit', "The agent's API client limits are k8s-client-qps (10) and k8s-client-burst (20).", { repo: CILIUM, file: 'pkg/defaults/defaults.go', commit: 'c547745', where: 'K8sClientQPSLimit 10, K8sClientBurst 20' }),
  absent('cilium.optionIdentityCacheSize', 'cilium-agent option identity-cache-size', 'Identities are allocated per label set (CRD or kvstore mode); there is no identity cache size to raise.', { ...AGENT_CMDREF, where: 'the list of agent flags has no identity-cache-size' }),
  absent('cilium.optionBpfMapSize', 'cilium-agent option bpf-map-size', 'Map sizes are set per map: bpf-ct-global-tcp-max, bpf-ct-global-any-max, bpf-nat-global-max, bpf-lb-map-max, bpf-policy-map-max, or all at once with bpf-map-dynamic-size-ratio.', { ...AGENT_CMDREF, where: 'the list of agent flags has no bpf-map-size' }),
  absent('cilium.optionEnableBpfTailCalls', 'cilium-agent option enable-bpf-tail-calls', "Cilium's programs always chain their stages with tail calls; there is nothing to enable.", { ...AGENT_CMDREF, where: 'the list of agent flags has no enable-bpf-tail-calls' }),
  absent('cilium.optionBpfMapTtl', 'cilium-agent option bpf-map-ttl', 'Entry lifetimes are per map: the CT timeouts bpf-ct-timeout-regular-tcp (8000 s), -tcp-syn, -tcp-fin, -any, collected by the CT garbage collector.', { ...AGENT_CMDREF, where: 'the list of agent flags has no bpf-map-ttl' }, 'cilium-ct-timeouts'),
  absent('cilium.optionTracingEnabled', 'cilium-agent options tracing-enabled and trace-syscalls', "Cilium's datapath does not trace system calls with kprobes (that is Tetragon); trace events are controlled by the monitor aggregation options.", { ...AGENT_CMDREF, where: 'the list of agent flags has neither tracing-enabled nor trace-syscalls' }),
  absent('cilium.commandBpfConnectionList', 'command cilium bpf connection list', 'Connection tracking entries are listed by "cilium-dbg bpf ct list global".', { repo: CILIUM, file: 'Documentation/cmdref/cilium-dbg_bpf_ct_list.md', commit: 'fef5c10418e02cb43bae344bcc47cf03d187be6a', where: 'cilium-dbg bpf ct list ( global | endpoint | cluster )' }, 'claims-config-facts'),
  // --- identities and Kubernetes objects ---------------------------------------------------------
  {
    key: 'cilium.identityBasis',
    subject: 'what a Cilium security identity is derived from',
    kind: 'meaning',
    value: 'the label set: pods with the same labels share one identity',
    status: 'sourced',
    sources: [{ repo: CILIUM, file: 'Documentation/internals/security-identities.rst', commit: '21d690e', where: '"Security identities are generated from labels"' }],
    anchor: 'cilium-identities',
    note: '100 replicas of one Deployment (same labels) share one identity; a pod whose labels are not known yet runs as reserved:init (identity 5).',
  },
  {
    key: 'cilium.identityAllocationLatency',
    subject: 'time to allocate a Cilium identity',
    kind: 'meaning',
    value: 'not published',
    status: 'unconfirmed',
    sources: [],
    anchor: 'not-found',
    note: 'No published measurement of identity-allocation latency was found (docs/sources.md, "Looked for and not found").',
  },
  {
    key: 'kubernetes.hostNetworkField',
    subject: 'how a pod is put on the host network',
    kind: 'name',
    value: 'spec.hostNetwork in the pod template',
    status: 'sourced',
    sources: [
      { url: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/', where: 'PodSpec hostNetwork: "Host networking requested for this pod. Use the host\'s network namespace."' },
      { url: 'https://kubernetes.io/docs/reference/kubectl/generated/kubectl_set/kubectl_set_env/', where: 'kubectl set env: "Update environment variables on a pod template"' },
    ],
    anchor: 'claims-config-facts',
    note: 'An environment variable in the container does not change spec.hostNetwork; patch the pod template instead.',
  },
  {
    key: 'kubernetes.podDisruptionBudgetScope',
    subject: 'what a PodDisruptionBudget limits',
    kind: 'meaning',
    value: 'voluntary disruptions (evictions) of running pods',
    status: 'sourced',
    sources: [{ url: 'https://kubernetes.io/docs/concepts/workloads/pods/disruptions/', where: '"A PDB limits the number of Pods of a replicated application that are down simultaneously from voluntary disruptions"' }],
    anchor: 'claims-config-facts',
    note: 'A PDB gates the eviction API (drains, upgrades); it has no effect on how fast a Deployment scales up.',
  },
];

const byKey = new Map<string, FactRecord>();
for (const f of FACTS) {
  checkFact(f);
  if (byKey.has(f.key)) throw new Error(`fact record "${f.key}" is defined twice`);
  byKey.set(f.key, f);
}

/** The record for `key`; throws naming the key when there is none. */
export function factRecord(key: string): FactRecord {
  const f = byKey.get(key);
  if (f === undefined) throw new Error(`no fact record "${key}"; known: ${[...byKey.keys()].join(', ')}`);
  return f;
}
