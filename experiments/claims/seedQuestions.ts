/**
 * The eight seed questions the claims come from (interview answers about Kubernetes Service
 * datapaths, each with a follow-up): their topic, the chart that answers each best, and a plain
 * answer whose numbers are filled in from the claims' computed values, so the answer moves with
 * the model. The report shows one section per question.
 */

/** A claim's measured values in words, by claim id and measure name (from evaluateClaims). */
export type MeasuredText = (claimId: string, measure?: string) => string;

export interface SeedQuestion {
  readonly number: number;
  /** A few words: what the question is about. */
  readonly topic: string;
  /** The situation the question describes, in one sentence. */
  readonly situation: string;
  /** The chart that answers it best, or the experiment it waits for. */
  readonly keyChart: { readonly experiment: string; readonly chart: string } | { readonly pending: string };
  /** The answer in plain words, with the model's numbers. */
  answer(v: MeasuredText): string;
}

// calibration-exempt-begin: the seed's question numbers and the claim ids the answers read (data, not model quantities)
export const SEED_QUESTIONS: readonly SeedQuestion[] = [
  {
    number: 1,
    topic: 'pod -> Service packet path: kube-proxy iptables vs Cilium eBPF',
    situation: 'After migrating from kube-proxy (iptables) to Cilium, explain what changed at the kernel level for performance, latency and debugging; follow-up: retransmits and 100 µs latency.',
    keyChart: { experiment: 'service-scaling', chart: 'first-packet-rtt' },
    answer: (v) =>
      `What changes is connection setup, not every packet. On an open connection the two datapaths take the same round trip (iptables / Cilium = ${v('q1-cilium-10x-faster')}): both rewrite from a connection-tracking entry in the kernel. Averaged over every packet iptables costs ${v('q1-iptables-per-packet-latency')} per packet at 5,000 Services; a connection's first packet walks KUBE-SERVICES rule by rule and costs ${v('q1-iptables-per-packet-latency', 'special')} of CPU at 30,000 Services, which makes its round trip ${v('q1-cilium-10x-faster', 'special')} Cilium's. Cilium tracks connections too (${v('q1-cilium-no-conntrack')}), in a BPF map in the kernel, and nf_conntrack costs ${v('q1-conntrack-256kb-4mb-per-connection')}, not megabytes. The eBPF work is fast (${v('q1-ebpf-microsecond-latency', 'special')} of node CPU per packet, every stage included), but a first round trip takes ${v('q1-ebpf-microsecond-latency')} at the median on the default node because packets wait for idle cores and wake-ups; retransmissions do not add tens of µs but hundreds of ms at the tail (${v('q1-retransmits-100us')} at the p99.9 with 1 % loss).`,
  },
  {
    number: 2,
    topic: '0.1 % packet drops under Cilium network policy',
    situation: 'Occasional drops (0.1 %) of inter-pod traffic during policy enforcement, TCP timeouts and retries; follow-up: 0.05 % persists after simplifying policies.',
    keyChart: { experiment: 'policy-drops', chart: 'ranking' },
    answer: (v) =>
      `Drops of that size come from a table at its limit: a policy map 16 entries past its 16,384 cap drops ${v('q2-map-limit-explains-drops')} of allowed traffic, a conntrack table just past full ${v('q2-map-limit-explains-drops', 'conntrack')}, busy regeneration windows ${v('q2-map-limit-explains-drops', 'regeneration')}. Not the verifier (a rejected program never runs) and not eBPF latency (${v('q2-ebpf-overhead-causes-timeouts')} of CPU per packet). The timeouts follow from the loss itself: each lost segment waits for TCP's timer (200 ms, 1 s for a SYN), and at 1 % loss ${v('q1-retransmits-100us', 'retransmitted')} of connections retransmit. Count drops with drop_count_total by reason and watch bpf_map_pressure; the metrics and the sysctl the answer names do not do what it says.`,
  },
  {
    number: 3,
    topic: 'stale Service endpoints after a pod delete',
    situation: 'A deleted pod keeps receiving traffic for 3+ minutes under Cilium; follow-up: after restarting the agents, stale endpoints come back at peak.',
    keyChart: { experiment: 'stale-endpoints', chart: 'last-failure' },
    answer: (v) =>
      `The watch -> BPF pipeline is not where minutes go: the client's node drops the deleted backend after ${v('q3-watch-pipeline-lag-3-minutes')} off-peak and ${v('q3-watch-pipeline-lag-3-minutes', 'peak')} at peak, when the EndpointSlice controller's 20 QPS queue the change (that is the follow-up's "stale endpoints come back at peak": new connections reach the deleted pod for ${v('q3-stale-endpoints-return-at-peak')}). Failures that last minutes come from connections pinned to a backend that vanished without closing: an HTTP/2 connection fails until TCP gives up (${v('q3-watch-pipeline-lag-3-minutes', 'special')} here, up to 924.6 s). The GC interval and rate-limit options suggested do not touch that path or do not exist.`,
  },
  {
    number: 4,
    topic: 'egress traffic that a deny-all policy should block',
    situation: 'A pod sends egress traffic to another namespace despite an explicit deny-all egress policy and no errors; follow-up: the pod belongs to a DaemonSet.',
    keyChart: { pending: 'none: the question is about policy semantics' },
    answer: () =>
      'Which policy applies to which traffic is policy semantics, which a performance model does not judge, so these claims are out of scope. The one configuration step that can be checked is wrong: kubectl set env does not change a pod\'s hostNetwork (a pod template field). The follow-up points the right way: DaemonSet pods often run with hostNetwork: true, and Cilium treats such a pod as the host.',
  },
  {
    number: 5,
    topic: 'identities and drops while scaling 1 -> 100 replicas',
    situation: 'Scaling a Deployment from 1 to 100 replicas makes some requests fail with "unknown identity"; follow-up: identity allocation takes 2 s for new pods.',
    keyChart: { experiment: 'scale-up', chart: 'drops-by-cause' },
    answer: (v) =>
      `Replicas with the same labels share one identity: the scale-up allocates ${v('q5-100-identity-entries')} beyond the first pod's. Requests fail only when the agents' pod watch lags, so endpoints start before their labels are known and run as reserved:init (${v('q5-unknown-identity-drops', 'special')} dropped with a 5 s lag, ${v('q5-unknown-identity-drops')} on time). The identity cache option and the PodDisruptionBudget suggested do not exist or do not apply; identity-allocation latency is not published.`,
  },
  {
    number: 6,
    topic: 'L7 (HTTP) policy after an upgrade',
    situation: 'After upgrading Cilium all HTTP requests are denied by L7 policy while L4 policy works; follow-up: "HTTP request parsing failed".',
    keyChart: { experiment: 'l7-proxy', chart: 'rtt' },
    answer: (v) =>
      `L7 policy is enforced by the node's Envoy proxy, not by eBPF: HTTP is parsed in userspace and a denied request gets a 403, not a drop. That costs a proxy's price: ${v('q6-l7-at-ebpf-cost')} added to the median RTT at 1,000 requests/s and ${v('q6-l7-at-ebpf-cost', 'cpuOn')} of node CPU per request. The syntax change the answer cites does not exist (HTTP rules are toPorts[].rules.http), and enable-l7-proxy is already on by default.`,
  },
  {
    number: 7,
    topic: 'hybrid cluster: 10 Gbps bare metal, 1 Gbps cloud VMs',
    situation: 'Pods on bare metal reach 10 Gbps, on cloud VMs 1 Gbps, Cilium identical; eBPF is suspected; follow-up: the VMs use virtio NICs.',
    keyChart: { experiment: 'hybrid-throughput', chart: 'can-ebpf-cap-it' },
    answer: (v) =>
      `Not eBPF: with TSO and GRO the datapath runs once per 64 KiB, so the CPU allows one flow ${v('q7-ebpf-caps-cloud-at-1gbps', 'jitOn')} on the cloud VM, ${v('q7-ebpf-caps-cloud-at-1gbps')} with the JIT off and ${v('q7-cloud-cpu-frequency-cap')} even interpreted at 1.2 GHz; virtio's vhost thread allows ${v('q7-virtio-is-the-limit')}; the VM boundary shows in latency instead (an established round trip of ${v('q7-virtio-is-the-limit', 'vmRtt')} at light load against ${v('q7-virtio-is-the-limit', 'metalRtt')} on bare metal). What sits at 1 Gbit/s is the VM's baseline bandwidth allowance (${v('q7-ebpf-caps-cloud-at-1gbps', 'allowance')} of goodput): the flow bursts at 10 Gbit/s until the credits run out and then gets ${v('q7-ebpf-caps-cloud-at-1gbps', 'goodputEnd')}, with every datapath. The JIT is on by default on x86-64, and turning it off changes bulk goodput by ${v('q7-jit-explains-gap')}; powersave lowers the clock; bpf-map-size and enable-bpf-tail-calls do not exist.`,
  },
  {
    number: 8,
    topic: 'kernel memory growth on Cilium nodes',
    situation: 'Kernel memory grows 40 % (800 MB to 1.1 GB) after three weeks; an eBPF leak is suspected; follow-up: a policy with 10K rules.',
    keyChart: { experiment: 'kernel-memory', chart: 'what-could-explain-300-mb' },
    answer: (v) =>
      `Not a BPF map leak: Cilium's CT, NAT and LB maps are preallocated (${v('q8-smaller-maps-prevent-growth', 'preallocated')} for CT and NAT from the first minute), so the model's node grows by ${v('q8-smaller-maps-prevent-growth')} over 21 days, and by ${v('q8-smaller-maps-prevent-growth', 'special')} with a connection leak. The only BPF maps that can grow are the policy maps, by at most ${v('q8-bpf-leak-explains-spike')}; the follow-up's 10K-rule policy takes ${v('q8-policy-complexity-memory')} and costs ${v('q8-policy-complexity-memory', 'regeneration')} of regeneration per endpoint. bpf-policy-map-max does default to 16,384; the TTL and tracing options, the connection-list command and the memory metric the answer uses do not exist under those names.`,
  },
];
// calibration-exempt-end

/** The question numbered `n`; throws for any other number. */
export function seedQuestion(n: number): SeedQuestion {
  const q = SEED_QUESTIONS.find((x) => x.number === n);
  if (q === undefined) throw new Error(`no seed question ${n}; allowed: ${SEED_QUESTIONS.map((x) => x.number).join(', ')}`);
  return q;
}
