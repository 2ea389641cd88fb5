/**
 * Seed question 3: a deleted pod keeps receiving traffic for 3+ minutes under Cilium's BPF service
 * load balancing. Follow-up: after restarting the agents, stale endpoints come back at peak traffic.
 */
import type { Claim } from './claimTypes.ts';
import { claimedRange, claimedValue, fromExperiment, fromFact, shown, statement } from './claimHelpers.ts';
import { commonOrSpecialRule, factMatchRule, occursRule } from './rules.ts';

const STALE = 'stale-endpoints';
// calibration-exempt-begin: claimed values quoted from the seed, and the sweep points the claims read (present in quick and full mode)
const AFTER_SEC = 300;
const at = (datapath: string, load: string, connectionMode: string, backendExit: string) => ({ datapath, load, connectionMode, backendExit, afterSec: AFTER_SEC });

export const Q3_CLAIMS: readonly Claim[] = [
  {
    id: 'q3-watch-pipeline-lag-3-minutes',
    question: 3,
    part: 'answer',
    quote: "Cilium is not picking up the pod deletion for 3+ minutes after kubectl delete pod. ... If pod deletion is delayed in Cilium, there's a lag in the watch -> update -> BPF sync pipeline.",
    claimed: claimedRange(180, Infinity, 's', '≥ 3 minutes of a lag in the watch -> BPF pipeline'),
    test: {
      kind: 'measure',
      measures: {
        primary: fromExperiment(STALE, 'reprogrammedSec', at('cilium-tc', 'off-peak', 'per-request', 'close'), 's', "time until the client's node drops the deleted backend, Cilium, off-peak"),
        special: fromExperiment(STALE, 'lastFailedPinnedSec', at('cilium-tc', 'peak', 'keepalive-h2', 'vanish'), 's', 'last failed request on an HTTP/2 connection pinned to a backend that vanished', { stat: 'max' }),
        peak: fromExperiment(STALE, 'reprogrammedSec', at('cilium-tc', 'peak', 'per-request', 'close'), 's', "time until the client's node drops the deleted backend, Cilium, peak"),
      },
      rule: commonOrSpecialRule("the time until the client's node drops the deleted backend (Cilium, off-peak)", 'the last failure of an HTTP/2 connection pinned to a vanished backend'),
      chart: { experiment: STALE, chart: 'last-failure' },
    },
    explain: (m) =>
      `The pipeline takes ${shown(m, 'primary')} in the model off-peak (EndpointSlice write, watch delivery, one agent event, a map update) and ${shown(m, 'peak')} at peak, when the EndpointSlice controller's 20 QPS budget queues the removal behind the churn: seconds, not minutes. What does last minutes is an existing connection: Cilium's CT entry keeps a connection on its backend even after the Service lost it, and if the backend vanished without closing (node lost, partition) an HTTP/2 client keeps sending on it until TCP gives up (up to 924.6 s with tcp_retries2 = 15): ${shown(m, 'special')} in this run. Look at connection age and the client's connection pool before blaming the watch.`,
    sources: ['docs/sources.md#endpoint-removal', 'docs/sources.md#tcp-retransmission', 'model/controlplane/README.md (stale endpoints)'],
  },
  {
    id: 'q3-endpoint-gc-interval-default',
    question: 3,
    part: 'answer',
    quote: 'increase cilium resync interval: cilium config set --patch \'{"cilium-endpoint-gc-interval":"5s"}\' (default 5m, reduces stale endpoints in BPF)',
    claimed: claimedRange(300, 300, 's', 'default 5 min'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.endpointGcIntervalDefault') }, rule: factMatchRule() },
    explain: () =>
      "The default is right: cilium-endpoint-gc-interval is 5 minutes (EndpointGCIntervalDefault). It is an operator option, though, so 'cilium config set' on an agent does not change it; it goes in the operator's arguments or the Helm values.",
    sources: ['docs/sources.md#cilium-control-plane'],
  },
  {
    id: 'q3-endpoint-gc-reduces-stale-bpf',
    question: 3,
    part: 'answer',
    quote: '"cilium-endpoint-gc-interval":"5s"}\' (default 5m, reduces stale endpoints in BPF)',
    claimed: claimedValue('removes stale endpoints from the BPF maps'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.endpointGcIntervalMeaning') }, rule: factMatchRule() },
    explain: () =>
      'The interval paces the operator\'s garbage collection of CiliumEndpoint objects left behind by pods that are gone. A Service backend leaves the BPF maps when each agent handles the EndpointSlice update, in well under a second at off-peak churn; a 5 s GC interval only adds API load and does not touch that path.',
    sources: ['docs/sources.md#cilium-control-plane'],
  },
  {
    id: 'q3-client-side-rate-limit',
    question: 3,
    part: 'answer',
    quote: 'If rate limiting is aggressive, increase: cilium config set --patch \'{"client-side-rate-limit": "100"}\'.',
    claimed: claimedValue(true, 'an option named client-side-rate-limit exists'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.optionClientSideRateLimit') }, rule: factMatchRule() },
    explain: () =>
      "No such option. The agent's Kubernetes client is limited by k8s-client-qps (10) and k8s-client-burst (20); in the model these are not what delays endpoint removal at peak: the EndpointSlice controller's own client (kube-controller-manager, 20 QPS) is, and no agent setting changes it.",
    sources: ['docs/sources.md#cilium-control-plane', 'docs/sources.md#endpoint-removal'],
  },
  {
    id: 'q3-cilium-endpoints-map',
    question: 3,
    part: 'answer',
    quote: 'Debugging the BPF map directly: bpftool map dump name cilium_endpoints shows all cached endpoints.',
    claimed: claimedValue('cilium_endpoints'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.endpointMapName') }, rule: factMatchRule() },
    explain: () =>
      'There is no cilium_endpoints map. Local pods are in cilium_lxc, and the Service backends the question is about are in cilium_lb4_backends_v3, referenced from cilium_lb4_services_v2; "cilium-dbg bpf lb list" shows which backends each Service still has.',
    sources: ['docs/sources.md#cilium-lb-maps'],
  },
  {
    id: 'q3-stale-endpoints-return-at-peak',
    question: 3,
    part: 'follow-up',
    quote: 'during peak traffic, you see stale endpoints come back (deleted pods receiving traffic).',
    claimed: statement('at peak, deleted pods receive new traffic for a while'),
    test: {
      kind: 'measure',
      measures: {
        primary: fromExperiment(STALE, 'lastFailedNewSec', at('cilium-tc', 'peak', 'per-request', 'close'), 's', 'last new connection sent to the deleted backend, Cilium, peak', { stat: 'max' }),
        special: fromExperiment(STALE, 'lastFailedNewSec', at('cilium-tc', 'off-peak', 'per-request', 'close'), 's', 'the same off-peak', { stat: 'max' }),
      },
      rule: occursRule('at peak (500 requests/s, 30 endpoint changes/s)', 'off-peak'),
      chart: { experiment: STALE, chart: 'new-connections' },
    },
    explain: (m) =>
      `It does happen, and the restart is not why: at peak the EndpointSlice controller (20 writes/s from kube-controller-manager) falls behind 30 endpoint changes per second, so the slice without the deleted pod is written late and every node keeps sending new connections to it meanwhile: the last one ${shown(m, 'primary')} after the delete in the model, against ${shown(m, 'special')} off-peak. The same happens with kube-proxy; raising kube-controller-manager's --kube-api-qps or lowering churn is the fix, not the agent.`,
    sources: ['docs/sources.md#endpoint-removal', 'model/controlplane/README.md (stale endpoints)'],
  },
];
// calibration-exempt-end
