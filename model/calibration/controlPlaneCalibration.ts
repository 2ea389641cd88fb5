/**
 * Calibration rows of the controlPlane domain (see calibrationEntry.ts for the fields and labels):
 * what programs the datapath. The API server (write latency, watch delivery), the client rate limits
 * of kube-controller-manager, kube-proxy and cilium-agent, the EndpointSlice controller, kube-proxy's
 * sync loop and its restore times (iptables-restore, nftables transactions), cilium-agent (Service
 * map updates, the endpoint API limiter, identities, ipcache, policy regeneration), the policy map,
 * pod deletion and what a client sees from a deleted backend, the L7 proxy, and the workloads the
 * control-plane runs default to. docs/sources.md#control-plane and #cilium-policy collect the
 * sources; the Cilium policy map's size is `datapath.ciliumPolicyMapMaxEntries`.
 */
import type { CalibrationEntry } from './calibrationEntry.ts';

const SOURCES = 'docs/sources.md';
const KCM_REFERENCE =
  'kubernetes.io kube-controller-manager reference (--kube-api-qps, --kube-api-burst, --endpointslice-updates-batch-period), https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/';
const ENDPOINTSLICE_DEFAULTS = `kubernetes/kubernetes pkg/controller/endpointslice/config/v1alpha1/defaults.go @7fc9c57; ${SOURCES}#endpoint-removal`;
const KUBE_PROXY_DEFAULTS = `kubernetes/kubernetes pkg/proxy/apis/config/v1alpha1/defaults.go @0d17311; ${SOURCES}#kube-proxy-sync`;
const KEP_3453 = 'kubernetes/enhancements keps/sig-network/3453-minimize-iptables-restore/README.md @64765b4';
const CILIUM_DEFAULTS = 'cilium/cilium pkg/defaults/defaults.go @c547745';
const API_RATE_LIMITING =
  'cilium/cilium Documentation/configuration/api-rate-limiting.rst ("Default Rate Limits" and "Automatic Adjustment"), https://docs.cilium.io/en/stable/configuration/api-rate-limiting/';
const SECURITY_IDENTITIES = 'cilium/cilium Documentation/internals/security-identities.rst @21d690e';
const SCALABILITY_REPORT = 'cilium/cilium Documentation/operations/performance/scalability/report.rst';
const NOT_PUBLISHED = 'not published';
/** kubernetes/kubernetes issue #96018: one iptables-restore of a 695,992-line dump took 12.8 s (real). */
const ISSUE_96018_LINES = 695_992;
const ISSUE_96018_SEC = 12.8;

function assumption(
  key: string, value: number, unit: string, range: readonly [number, number], source: string, meaning: string,
): CalibrationEntry {
  return { key, value, unit, label: 'assumption', range, source, meaning };
}

export const controlPlaneCalibration: readonly CalibrationEntry[] = [
  // ---- API server ----------------------------------------------------------------------------------
  assumption(
    'controlPlane.apiWriteLatencySec', 0.02, 's', [0.005, 1],
    `${NOT_PUBLISHED} as a typical value; the SIG Scalability API-call latency SLO bounds single-object mutating calls at p99 <= 1 s per cluster-day (kubernetes/community sig-scalability/slos/api_call_latency.md), the top of the range; ${SOURCES}#control-plane-slo`,
    'Time from a client sending a create/update to the API server answering it (etcd write included).',
  ),
  assumption(
    'controlPlane.watchDeliveryMeanSec', 0.05, 's', [0.005, 2],
    `${NOT_PUBLISHED}: no per-event watch latency was found; Cilium exposes k8s_event_lag_seconds (disabled by default) without a published value (cilium/cilium Documentation/observability/metrics.rst @f8de569); ${SOURCES}#cilium-control-plane`,
    'Mean time from a write being committed to a watcher receiving the event (lognormal).',
  ),
  assumption(
    'controlPlane.watchDeliveryCv', 1, 'coefficient of variation', [0.3, 3],
    `${NOT_PUBLISHED}; a heavy-tailed lognormal stands for watch delivery under load`,
    'Coefficient of variation of the watch delivery delay (lognormal).',
  ),
  assumption(
    'controlPlane.watchDispatchPerWatcherSec', 1e-5, 's', [1e-6, 1e-4],
    `${NOT_PUBLISHED}: the API server's watch cache sends each event to its watchers one after another (kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go, dispatchEvent); the time per watcher is not given`,
    'Time the API server spends per watcher when it fans an event out: the k-th watcher gets it k times this later.',
  ),

  // ---- client rate limits (client-go token buckets) -------------------------------------------------
  {
    key: 'controlPlane.kcmApiQps', value: 20, unit: 'requests/s', label: 'sourced',
    source: `${KCM_REFERENCE} (--kube-api-qps default 20); ${SOURCES}#endpoint-removal`,
    meaning: "kube-controller-manager's client QPS (token-bucket rate) towards the API server.",
  },
  {
    key: 'controlPlane.kcmApiBurst', value: 30, unit: 'requests', label: 'sourced',
    source: `${KCM_REFERENCE} (--kube-api-burst default 30); ${SOURCES}#endpoint-removal`,
    meaning: "kube-controller-manager's client burst (token-bucket depth).",
  },
  assumption(
    'controlPlane.kcmEndpointSliceApiShareFraction', 1, 'fraction', [0.1, 1],
    `assumption: the kube-controller-manager reference gives one --kube-api-qps for the process; whether the EndpointSlice controller's client has a bucket of its own (1) or shares it with the other controllers (lower) is ${NOT_PUBLISHED} as a number; ${SOURCES}#endpoint-removal`,
    "Share of kube-controller-manager's QPS and burst that the EndpointSlice controller's writes get.",
  ),
  {
    key: 'controlPlane.kubeProxyApiQps', value: 5, unit: 'requests/s', label: 'sourced',
    source: KUBE_PROXY_DEFAULTS,
    meaning: "kube-proxy's client QPS; its Service and EndpointSlice updates arrive on watches, which this bucket does not pace (listed for completeness).",
  },
  {
    key: 'controlPlane.kubeProxyApiBurst', value: 10, unit: 'requests', label: 'sourced',
    source: KUBE_PROXY_DEFAULTS,
    meaning: "kube-proxy's client burst.",
  },
  {
    key: 'controlPlane.ciliumK8sClientQps', value: 10, unit: 'requests/s', label: 'sourced',
    source: `${CILIUM_DEFAULTS} (K8sClientQPSLimit; 0 = client-go defaults in the older @0036b1f); ${SOURCES}#cilium-control-plane`,
    meaning: "cilium-agent's API-server client QPS (k8s-client-qps): CiliumIdentity and CiliumEndpoint writes wait for it.",
  },
  {
    key: 'controlPlane.ciliumK8sClientBurst', value: 20, unit: 'requests', label: 'sourced',
    source: `${CILIUM_DEFAULTS} (K8sClientBurst); ${SOURCES}#cilium-control-plane`,
    meaning: "cilium-agent's API-server client burst (k8s-client-burst).",
  },

  // ---- EndpointSlice controller ----------------------------------------------------------------------
  {
    key: 'controlPlane.endpointSliceConcurrentSyncs', value: 5, unit: 'workers', label: 'sourced',
    source: `${ENDPOINTSLICE_DEFAULTS} (ConcurrentServiceEndpointSyncs)`,
    meaning: 'Workers of the EndpointSlice controller: Services synced at once.',
  },
  {
    key: 'controlPlane.endpointSliceMaxEndpointsPerSlice', value: 100, unit: 'endpoints', label: 'sourced',
    source: `${ENDPOINTSLICE_DEFAULTS} (MaxEndpointsPerSlice)`,
    meaning: 'Endpoints one EndpointSlice holds at most.',
  },
  {
    key: 'controlPlane.endpointSliceBatchPeriodSec', value: 0, unit: 's', label: 'sourced',
    source: `${KCM_REFERENCE} (--endpointslice-updates-batch-period: no default shown, i.e. 0, no batching; added in v1.19, kubernetes/kubernetes PR #88745); ${SOURCES}#endpoint-removal`,
    meaning: 'Delay before a Service is synced after a pod change, to join later changes (0 = sync at once).',
  },
  assumption(
    'controlPlane.endpointSliceSyncSec', 0.002, 's', [0.0002, 0.05],
    `${NOT_PUBLISHED}: the controller's own CPU time per Service sync (list pods, diff slices) was not found`,
    'CPU time of one Service sync in the EndpointSlice controller, before its API writes.',
  ),

  // ---- kube-proxy sync loop ---------------------------------------------------------------------------
  {
    key: 'controlPlane.kubeProxyMinSyncPeriodSec', value: 1, unit: 's', label: 'sourced',
    source: `${KUBE_PROXY_DEFAULTS} (iptables.minSyncPeriod)`,
    meaning: 'kube-proxy starts syncs at least this far apart, however many changes arrive.',
  },
  {
    key: 'controlPlane.kubeProxySyncPeriodSec', value: 30, unit: 's', label: 'sourced',
    source: `${KUBE_PROXY_DEFAULTS} (iptables.syncPeriod)`,
    meaning: 'kube-proxy syncs at least this often even without changes.',
  },
  assumption(
    'controlPlane.kubeProxyFullSyncPeriodSec', 3600, 's', [30, 3600],
    `${KEP_3453} (1.26: "it will always do a full resync at least once every iptablesSyncPeriod", 30 s) and kubernetes/kubernetes pkg/proxy/iptables/proxier.go (later releases pass proxyutil.FullSyncPeriod, an hour, as the runner's maximum interval); the constant itself was not read at a pinned commit; ${SOURCES}#kube-proxy-sync`,
    'kube-proxy rewrites every Service (a full sync) when this long has passed since the last full sync; other syncs are partial.',
  ),
  {
    key: 'controlPlane.iptablesRestoreCheckLines', value: ISSUE_96018_LINES, unit: 'lines', label: 'sourced',
    source: `kubernetes/kubernetes issue #96018 (iptables-restore of a 695,992-line dump; iptables-nft backend, 2021); ${SOURCES}#kube-proxy-sync`,
    meaning: 'Size of the one published iptables-restore timing (drawn next to the model, which is fitted through it).',
  },
  {
    key: 'controlPlane.iptablesRestoreCheckSec', value: ISSUE_96018_SEC, unit: 's', label: 'sourced',
    source: `kubernetes/kubernetes issue #96018 (real 12.8 s, user 10.1 s, sys 2.5 s); ${SOURCES}#kube-proxy-sync`,
    meaning: 'Time of that restore.',
  },
  {
    key: 'controlPlane.iptablesRestoreSecPerLine', value: ISSUE_96018_SEC / ISSUE_96018_LINES, unit: 's/line', label: 'derived', range: [5e-6, 4e-5],
    source: `kubernetes/kubernetes issue #96018 (iptables-restore of a 695,992-line dump: real 12.8 s, user 10.1 s, sys 2.5 s; iptables-nft backend, 2021); ${SOURCES}#kube-proxy-sync`,
    derivation: '12.8 s / 695,992 lines = 18.4 µs per line: a straight line through the origin and the one published point (a fitted curve through more points is not published; the range spans other backends and CPUs)',
    meaning: 'iptables-restore time per line of input (rule or chain declaration).',
  },
  assumption(
    'controlPlane.iptablesRestoreFixedSec', 0.05, 's', [0.005, 0.5],
    `${NOT_PUBLISHED}: the fixed cost of one iptables-restore (exec, lock, table read) at a small ruleset was not found; ${SOURCES}#kube-proxy-sync`,
    'Time of one iptables-restore call besides its per-line work.',
  ),
  assumption(
    'controlPlane.kubeProxyComputeSecPerServicePort', 2e-6, 's/Service port', [5e-7, 2e-5],
    `${NOT_PUBLISHED}: kube-proxy's in-memory rule generation per Service port per sync (syncProxyRules walks every Service on every sync, ${KEP_3453})`,
    'CPU time kube-proxy spends per Service port to build the rules of one sync, partial or full.',
  ),
  {
    key: 'controlPlane.nftablesSyncSecPerServiceInTable', value: 0.141 / 10_000, unit: 's/Service', label: 'derived', range: [1.4e-5, 3.1e-5],
    source: `kubernetes/kubernetes PR #126013 (kind cluster, 10k Services x 2 endpoints present: adding one Service ~141 ms after the change) and issue #139513 (44,125 Services: incremental sync 1.33 s after the ListAll fix, v1.36.1); ${SOURCES}#kube-proxy-sync`,
    derivation: '141 ms / 10,000 Services present = 14.1 µs per Service; the 44,125-Service figure gives 1.33 s / 44,125 = 30.1 µs (the top of the range): an incremental nftables sync still costs O(Services in the table)',
    meaning: 'Time of an nftables sync per Service already in the table (partial or full).',
  },
  {
    key: 'controlPlane.nftablesSecPerChangedElement', value: (13 * 60 + 15) / (5006 + 250_011), unit: 's/element', label: 'derived', range: [1e-5, 3.2e-3],
    source: `kubernetes/kubernetes issue #135639 (full sync of 5,006 Services / 250,011 endpoints: 13 min 15 s on m6i.8xlarge, kernel 6.1.144); ${SOURCES}#kube-proxy-sync`,
    derivation: '795 s / (5,006 + 250,011) Service and endpoint elements = 3.1 ms per element; a reported slow case, so the range reaches down two decades',
    meaning: 'Time of an nftables transaction per Service or endpoint element it rewrites (changed Services in a partial sync, all in a full one).',
  },
  // ---- cilium-agent ------------------------------------------------------------------------------------
  assumption(
    'controlPlane.ciliumEventProcessingSec', 0.001, 's', [1e-4, 0.05],
    `${NOT_PUBLISHED}: the agent's time per Service or EndpointSlice event before its map writes; ${SOURCES}#cilium-control-plane`,
    "cilium-agent's time to process one Kubernetes event (Service, EndpointSlice, CiliumEndpoint) on one node.",
  ),
  assumption(
    'controlPlane.ciliumBpfMapUpdateSec', 2e-6, 's', [5e-7, 2e-5],
    `${NOT_PUBLISHED}: Cilium's bpf_syscall_duration_seconds exists but is disabled by default (cilium/cilium Documentation/observability/metrics.rst @f8de569)`,
    'Time of one BPF map update syscall from the agent (service, backend or ipcache entry).',
  ),
  {
    key: 'controlPlane.ciliumEndpointCreateRatePerSec', value: 0.5, unit: 'requests/s', label: 'sourced',
    source: `${API_RATE_LIMITING} (PUT /endpoint/{id}); ${SOURCES}#cilium-control-plane`,
    meaning: 'Initial rate limit of endpoint creation (CNI ADD) per node, before auto-adjustment.',
  },
  {
    key: 'controlPlane.ciliumEndpointCreateBurst', value: 4, unit: 'requests', label: 'sourced',
    source: `${API_RATE_LIMITING} (PUT /endpoint/{id}); ${SOURCES}#cilium-control-plane`,
    meaning: 'Initial burst of endpoint creation per node.',
  },
  {
    key: 'controlPlane.ciliumEndpointCreateParallel', value: 4, unit: 'requests', label: 'sourced',
    source: `${API_RATE_LIMITING} (PUT /endpoint/{id}, max parallel); ${SOURCES}#cilium-control-plane`,
    meaning: 'Endpoint creations processed at once per node (initial value).',
  },
  {
    key: 'controlPlane.ciliumEndpointCreateMaxWaitSec', value: 15, unit: 's', label: 'sourced',
    source: `${API_RATE_LIMITING} (PUT /endpoint/{id}, max wait duration); ${SOURCES}#cilium-control-plane`,
    meaning: 'An endpoint creation that would wait longer than this for the rate limiter fails (the CNI ADD errors).',
  },
  {
    key: 'controlPlane.ciliumEndpointCreateEstimatedSec', value: 2, unit: 's', label: 'sourced',
    source: `${API_RATE_LIMITING} (PUT /endpoint/{id}, estimated processing duration); ${SOURCES}#cilium-control-plane`,
    meaning: 'Auto-adjustment steers the limits by estimated / mean measured processing duration.',
  },
  {
    key: 'controlPlane.ciliumApiLimiterMeanOver', value: 10, unit: 'requests', label: 'sourced',
    source: `${API_RATE_LIMITING} (mean-over default 10); ${SOURCES}#cilium-control-plane`,
    meaning: 'Requests over which the limiter averages the processing duration for auto-adjustment.',
  },
  {
    key: 'controlPlane.ciliumApiLimiterDelayedAdjustmentFactor', value: 0.5, unit: 'fraction', label: 'sourced',
    source: `${API_RATE_LIMITING} (delayed-adjustment-factor default 0.5); ${SOURCES}#cilium-control-plane`,
    meaning: 'Burst and parallel requests move this fraction of the way to their adjusted values.',
  },
  {
    key: 'controlPlane.ciliumApiLimiterMaxAdjustmentFactor', value: 100, unit: 'factor', label: 'sourced',
    source: `${API_RATE_LIMITING} (max-adjustment-factor default 100); ${SOURCES}#cilium-control-plane`,
    meaning: 'Auto-adjusted limits stay within this factor of their initial values.',
  },
  assumption(
    'controlPlane.ciliumEndpointCreateSec', 1, 's', [0.2, 10],
    `${NOT_PUBLISHED}: the real processing time of PUT /endpoint (IP allocation, first regeneration); the limiter's estimate is 2 s (${API_RATE_LIMITING}) and its example metrics show a mean of 2.87 s; ${SOURCES}#cilium-control-plane`,
    'Time cilium-agent takes to create one endpoint once the limiter lets the request through.',
  ),
  {
    key: 'controlPlane.ciliumPolicyTriggerIntervalSec', value: 1, unit: 's', label: 'sourced',
    source: `${CILIUM_DEFAULTS} (PolicyTriggerInterval = 1 * time.Second); ${SOURCES}#cilium-control-plane`,
    meaning: 'Policy changes within this interval are folded into one regeneration of the affected endpoints.',
  },
  assumption(
    'controlPlane.ciliumRegenerationBaseSec', 0.05, 's', [0.005, 1],
    `${NOT_PUBLISHED}: regeneration time without policy work; the scalability report gives only totals (< 5 s p99 for all endpoints, a peak a little above 3 s with 250 CCNPs: ${SCALABILITY_REPORT}, used as a check); ${SOURCES}#cilium-control-plane`,
    'Time of one endpoint regeneration besides its policy computation (map writes, datapath refresh).',
  ),
  assumption(
    'controlPlane.ciliumRegenerationSecPerRulePeer', 2e-5, 's', [2e-6, 2e-4],
    `${NOT_PUBLISHED}: the policy computation per (rule, selected peer identity) pair; checked against the scalability report's ~3 s peak with 250 CCNPs (${SCALABILITY_REPORT}); ${SOURCES}#cilium-control-plane`,
    'Regeneration time per (rule selecting the endpoint, peer identity the rule selects) pair.',
  ),
  assumption(
    'controlPlane.ciliumIdentityApiCallsPerAllocation', 1, 'requests', [1, 3],
    `assumption: CRD identity mode creates one CiliumIdentity object per new label set (${SECURITY_IDENTITIES}; docs.cilium.io "Identity Management Mode", https://docs.cilium.io/en/stable/internals/security-identities/); extra reads or conflicts add calls; ${SOURCES}#cilium-identities`,
    "API requests (under the agent's client limit) one new identity costs in CRD mode.",
  ),
  {
    key: 'controlPlane.ciliumIdentityMin', value: 256, unit: 'identity', label: 'sourced',
    source: `cilium/cilium pkg/identity (numeric identity constants); ${SECURITY_IDENTITIES}; ${SOURCES}#cilium-security-identities`,
    meaning: 'First cluster-local security identity (1-255 are reserved).',
  },
  {
    key: 'controlPlane.ciliumIdentityMax', value: 65_535, unit: 'identity', label: 'sourced',
    source: `cilium/cilium pkg/identity (MaximumAllocationIdentity = ^uint16(0)); ${SECURITY_IDENTITIES}; ${SOURCES}#cilium-security-identities`,
    meaning: 'Last cluster-local security identity.',
  },
  {
    key: 'controlPlane.ciliumReservedInitIdentity', value: 5, unit: 'identity', label: 'sourced',
    source: `${SECURITY_IDENTITIES} (reserved:init); cilium/cilium issue #35993; ${SOURCES}#cilium-identities`,
    meaning: 'The identity of an endpoint whose labels are not known yet; it drops all traffic unless a rule selects reserved:init.',
  },
  assumption(
    'controlPlane.ciliumIpcacheUpdateSec', 0.001, 's', [1e-4, 0.05],
    `${NOT_PUBLISHED}: per-pod ipcache propagation latency is unconfirmed (${SOURCES}#cilium-control-plane); this is the agent's work per CiliumEndpoint event`,
    'Time an agent takes to turn one CiliumEndpoint event into its ipcache map entry.',
  ),

  // ---- policy map --------------------------------------------------------------------------------------
  {
    key: 'controlPlane.policyMapMinEntries', value: 256, unit: 'entries', label: 'sourced',
    source: `cilium/cilium pkg/option/config.go (PolicyMapMin = 1 << 8); ${SOURCES}#cilium-policy-limits`,
    meaning: 'Smallest bpf-policy-map-max the agent accepts.',
  },
  {
    key: 'controlPlane.policyMapMaxAllowedEntries', value: 65_536, unit: 'entries', label: 'sourced',
    source: `cilium/cilium pkg/option/config.go (PolicyMapMax = 1 << 16); ${SOURCES}#cilium-policy-limits`,
    meaning: 'Largest bpf-policy-map-max the agent accepts.',
  },
  {
    key: 'controlPlane.policyMapEntryBytes', value: 40 + 8 + 24, unit: 'B', label: 'derived', range: [56, 96],
    source: `cilium/cilium pkg/maps/policymap/policymap.go @42daeda (PolicyKey 12 B, PolicyEntry 24 B, an LPM trie); Linux kernel/bpf/lpm_trie.c (struct lpm_trie_node); ${SOURCES}#cilium-policy-limits`,
    derivation: 'trie node header 40 B + key data (12 B key - 4 B prefixlen = 8 B) + value 24 B = 72 B (56 B after the bpf_mem_alloc rework; 96 B with kmalloc rounding)',
    meaning: 'Kernel memory per policy map entry.',
  },

  // ---- pod deletion and what a client sees -----------------------------------------------------------
  {
    key: 'controlPlane.terminationGracePeriodSec', value: 30, unit: 's', label: 'sourced',
    source: `Kubernetes core/v1 API reference, PodSpec terminationGracePeriodSeconds ("Defaults to 30 seconds"), https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/; ${SOURCES}#endpoint-removal`,
    meaning: 'Longest a deleted pod keeps running after SIGTERM before it is killed.',
  },
  assumption(
    'controlPlane.appExitAfterSigtermSec', 1, 's', [0, 30],
    `${NOT_PUBLISHED}: how long an application keeps serving after SIGTERM depends on the application (0 = exits at once; up to the 30 s grace period with a graceful drain); ${SOURCES}#endpoint-removal`,
    'A deleted backend keeps answering for this long after the delete, then its process is gone.',
  ),
  assumption(
    'controlPlane.sandboxTeardownSec', 1, 's', [0.1, 10],
    `${NOT_PUBLISHED}: time from the container exiting to the pod sandbox and its IP being torn down (CNI DEL)`,
    'After the process exits, the pod IP still answers with RST (nothing listens) for this long, then it is gone.',
  ),
  {
    key: 'controlPlane.tcpRetries2', value: 15, unit: 'retransmissions', label: 'sourced',
    source: `Linux Documentation/networking/ip-sysctl.rst (tcp_retries2 default 15, "a hypothetical timeout of 924.6 seconds"); ${SOURCES}#tcp-retransmission`,
    meaning: 'Retransmissions of unacknowledged data before TCP gives up on an established connection.',
  },
  {
    key: 'controlPlane.tcpRtoMaxSec', value: 120, unit: 's', label: 'sourced',
    source: `Linux include/net/tcp.h (TCP_RTO_MAX = 120 * HZ); ${SOURCES}#tcp-retransmission`,
    meaning: 'Largest retransmission timeout: the doubling stops here.',
  },
  {
    key: 'controlPlane.sockDestroyKernelMajor', value: 6, unit: 'version', label: 'sourced',
    source: `Linux commit 4ddbcb886268 (bpf_sock_destroy kfunc, in 6.5); cilium/cilium PR #33459; ${SOURCES}#endpoint-removal`,
    meaning: 'Major version of the first kernel whose socket-LB can destroy sockets connected to a deleted backend.',
  },
  {
    key: 'controlPlane.sockDestroyKernelMinor', value: 5, unit: 'version', label: 'sourced',
    source: `Linux commit 4ddbcb886268 (bpf_sock_destroy kfunc, in 6.5); ${SOURCES}#endpoint-removal`,
    meaning: 'Minor version of that kernel.',
  },
  assumption(
    'controlPlane.clientRequestTimeoutSec', 15, 's', [1, 900],
    `${NOT_PUBLISHED} as one value: clients set their own; Envoy's route timeout defaults to 15 s (https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto, RouteAction.timeout)`,
    'A request without an answer fails after this long at the client.',
  ),

  // ---- L7 proxy ----------------------------------------------------------------------------------------
  {
    key: 'controlPlane.l7ProxyCpuSecPerRequest', value: 0.2 / 1000, unit: 's', label: 'derived', range: [6e-5, 6e-4],
    source: `istio.io "Performance and Scalability" (Istio 1.24: an Envoy sidecar uses about 0.20 vCPU per 1000 HTTP requests/s with 1 KB payloads; 0.35 vCPU in 1.9-1.15, 0.6 in 1.3.5; ztunnel 0.06), https://istio.io/latest/docs/ops/deployment/performance-and-scalability/; ${SOURCES}#cilium-l7-proxy`,
    derivation: '0.20 vCPU / 1000 requests/s = 0.20 ms of CPU per request; the range runs from ztunnel (L4 only, 0.06 ms) to Istio 1.3.5 (0.6 ms). Cilium\'s own per-node Envoy figure is not published',
    meaning: 'CPU time an L7 proxy (Envoy) worker spends per HTTP request (request and response).',
  },
  assumption(
    'controlPlane.l7ProxyRequestShareFraction', 0.5, 'fraction', [0.2, 0.8],
    `${NOT_PUBLISHED}: how Envoy's per-request CPU splits between the request and the response pass`,
    'Share of the per-request CPU spent on the request; the rest is spent when the response passes back.',
  ),
  assumption(
    'controlPlane.l7ProxyServiceCv', 0.5, 'coefficient of variation', [0, 2],
    `${NOT_PUBLISHED}: the spread of Envoy's per-request CPU time`,
    'Coefficient of variation of one proxy pass (lognormal; 0 = deterministic).',
  ),

  // ---- workloads the control-plane runs default to -----------------------------------------------------
  assumption(
    'controlPlane.churnPerSec', 1, 'changes/s', [0, 100],
    `assumption: endpoint changes per second across the cluster (rollouts, autoscaling, restarts); ${NOT_PUBLISHED} for a typical cluster`,
    'Rate of EndpointSlice-changing pod events (one endpoint of one Service each), Poisson.',
  ),
  assumption(
    'controlPlane.propagationDurationSec', 300, 's', [10, 3600],
    'assumption: long enough for several minSyncPeriod and syncPeriod cycles (not published: a run length)',
    'Simulated time over which endpoint changes arrive in a propagation run.',
  ),
  assumption(
    'controlPlane.propagationWarmupSec', 30, 's', [0, 600],
    'assumption: one syncPeriod, so that the controller queue and the sync loops are past their start (not published: a run length)',
    'Changes in the first seconds of a run are not measured.',
  ),
  assumption(
    'controlPlane.propagationSampledNodes', 64, 'nodes', [1, 5000],
    'assumption: nodes whose sync loops are simulated; every node runs the same loop, so a sample spread over the watch fan-out order gives the latency distribution (not published: a simulation setting)',
    'How many of the cluster\'s nodes a propagation run simulates (all of them when the cluster is smaller).',
  ),
  assumption(
    'controlPlane.podStartToCniSec', 1, 's', [0.2, 30],
    `${NOT_PUBLISHED}: time from a pod object being created to the CNI ADD on its node (scheduling, kubelet, sandbox); the SIG Scalability pod startup SLO (kubernetes/community sig-scalability/slos/pod_startup_latency.md, <= 5 s p99 for stateless pods with pre-pulled images) bounds the whole start`,
    'Mean time from pod creation to the CNI ADD (lognormal).',
  ),
  assumption(
    'controlPlane.podStartToCniCv', 0.5, 'coefficient of variation', [0.1, 2],
    `${NOT_PUBLISHED}; a lognormal spread of pod start times`,
    'Coefficient of variation of the pod-creation-to-CNI time.',
  ),
  assumption(
    'controlPlane.appReadySec', 2, 's', [0.1, 60],
    `${NOT_PUBLISHED}: time from the pod's network being ready to its readiness probe passing depends on the application and probe settings`,
    'Time from the endpoint being created to the pod becoming Ready (and listed as a ready endpoint).',
  ),
  assumption(
    'controlPlane.kubeletCniRetrySec', 10, 's', [1, 300],
    `${NOT_PUBLISHED}: the kubelet retries a failed sandbox creation on its next pod sync (back-off); the interval depends on the version`,
    'Wait before the kubelet retries a CNI ADD that failed (e.g. the endpoint API limiter refused it).',
  ),
  assumption(
    'controlPlane.scaleUpRequestsPerSec', 1000, 'requests/s', [1, 1e6],
    'assumption: a client sending requests to the scaled Service (not published: a workload)',
    'Requests per second a client node sends to the Service being scaled, spread over its programmed backends.',
  ),
  assumption(
    'controlPlane.staleRequestsPerSec', 200, 'requests/s', [1, 1e5],
    'assumption: the off-peak request rate of one client node to one Service (not published: a workload)',
    'Requests per second from a client node to the Service whose pod is deleted.',
  ),
  assumption(
    'controlPlane.staleConnectionPool', 8, 'connections', [1, 1000],
    'assumption: a keep-alive client pool to one Service (not published: a workload)',
    'Keep-alive connections a client keeps open to the Service.',
  ),
  assumption(
    'controlPlane.staleHorizonSec', 1200, 's', [60, 3600],
    'assumption: long enough to see TCP give up on a silent backend (924.6 s with the defaults) (not published: a run length)',
    'How long after the delete a stale-endpoints run watches the client.',
  ),
];
