/**
 * Seed question 6: after a Cilium upgrade every HTTP request is denied by L7 policy while L4
 * policy works. Follow-up: "HTTP request parsing failed": what makes HTTP parsing fail in eBPF?
 */
import type { Claim } from './claimTypes.ts';
import { claimedRange, claimedValue, fromExperiment, fromFact, shown } from './claimHelpers.ts';
import { adviceVsDefaultRule, factMatchRule, overlapRule } from './rules.ts';

const L7 = 'l7-proxy';
// calibration-exempt-begin: claimed values quoted from the seed, and the sweep points the claims read (present in quick and full mode)
const RATE = 1000;

export const Q6_CLAIMS: readonly Claim[] = [
  {
    id: 'q6-l7-parsed-in-ebpf',
    question: 6,
    part: 'answer',
    quote: 'L7 policies are complex eBPF: they parse HTTP request lines, extract paths, and match against rules.',
    claimed: claimedValue('eBPF programs parse HTTP'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.l7PolicyEnforcement') }, rule: factMatchRule() },
    explain: () =>
      "Cilium's eBPF programs enforce L3/L4 policy and redirect traffic that an L7 rule selects to the node's Envoy proxy, which parses HTTP and matches method, path, host and headers. \"HTTP request parsing failed\" is therefore an Envoy message (a malformed request, a protocol the listener does not expect, TLS on a port declared as HTTP), and the place to debug it is the proxy: its access log through Hubble, proxy_upstream_reply_seconds, policy_l7_total.",
    sources: ['docs/sources.md#claims-config-facts', 'docs/sources.md#cilium-l7-proxy'],
  },
  {
    id: 'q6-l7-at-ebpf-cost',
    question: 6,
    part: 'answer',
    quote: 'Cilium has eBPF programs at L4 (TCP/UDP port matching) and L7 layers (HTTP header matching, gRPC metadata, etc.).',
    claimed: claimedRange(0, 10, 'µs', 'L7 matching at eBPF cost: ≤ 10 µs per request (the answers\' own figure for eBPF processing)'),
    test: {
      kind: 'measure',
      measures: {
        primary: fromExperiment(L7, 'addedP50Us', { proxy: 'on', requestsPerSec: RATE }, 'µs', 'RTT added by L7 policy (the proxy redirect), p50, 1,000 requests/s'),
        cpuOn: fromExperiment(L7, 'cpuUsPerRequest', { proxy: 'on', requestsPerSec: RATE }, 'µs', 'node CPU per request with the L7 redirect'),
        cpuOff: fromExperiment(L7, 'cpuUsPerRequest', { proxy: 'off', requestsPerSec: RATE }, 'µs', 'node CPU per request without it'),
      },
      rule: overlapRule("the model's added RTT (95 % CI)"),
      chart: { experiment: L7, chart: 'rtt' },
    },
    explain: (m) =>
      `L7 rules cost what a userspace proxy costs, not what a BPF program costs: in the model the redirect through Envoy adds ${shown(m, 'primary')} to the median RTT at 1,000 requests/s (two loopback hops and the proxy's CPU time, with Istio's published 0.2 ms per request as the CPU figure, since Cilium publishes none), and the node's CPU per request goes from ${shown(m, 'cpuOff')} to ${shown(m, 'cpuOn')}. L7 policy is worth its cost, but it is a proxy cost: plan capacity as workers / CPU per request.`,
    sources: ['docs/sources.md#cilium-l7-proxy', 'model/controlplane/README.md (L7 proxy)'],
  },
  {
    id: 'q6-l7-default-drop',
    question: 6,
    part: 'answer',
    quote: 'If all L7 traffic is denied but L4 works, the L7 eBPF program is blocking everything (probably returning "drop" as default instead of "allow").',
    claimed: claimedValue('denied requests are dropped'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.l7DenyAction') }, rule: factMatchRule() },
    explain: () =>
      'L7 denials are not drops: Envoy answers the request itself with "403 Access denied" and the connection stays up, so a client that sees 403s on every path is being denied by L7 rules that no longer match (for example paths written as globs: Cilium\'s path field is an extended POSIX regular expression, so "/api/*" does not mean what it looks like). Packet drops with L4 working would point elsewhere.',
    sources: ['docs/sources.md#claims-config-facts'],
  },
  {
    id: 'q6-l7-syntax-changed-1-13',
    question: 6,
    part: 'answer',
    quote: 'Example: Cilium 1.12 used toPorts: [{ports: ["8080"], l7Rules: [http: [{path: "/api/*"}]]}]. In 1.13+, syntax changed to l7Proto: "http", l7: [{path: "/api/*"}].',
    claimed: claimedValue('l7Proto: "http", l7: [...]'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.httpRuleField') }, rule: factMatchRule() },
    explain: () =>
      'HTTP rules have been written as toPorts[].rules.http in every release, before and after 1.13; neither "l7Rules" nor an "l7Proto: http" form exists for HTTP. l7proto with l7 key-value rules is the interface of generic proxylib parsers. An upgrade does not silently reinterpret the policy; if a field is unknown, the CRD validation rejects the object.',
    sources: ['docs/sources.md#claims-config-facts'],
  },
  {
    id: 'q6-enable-l7-proxy',
    question: 6,
    part: 'answer',
    quote: 'If proxy not running, L7 policies are silently dropped. Enable: cilium config set --patch \'{"enable-l7-proxy": true}\'.',
    claimed: claimedValue(true, 'set enable-l7-proxy to true'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.enableL7ProxyDefault') }, rule: adviceVsDefaultRule() },
    explain: () =>
      'enable-l7-proxy is already true by default, so the step changes nothing unless someone disabled it. Whether it is on shows in "cilium-dbg status" (its "Proxy Status" line) and in the agent ConfigMap.',
    sources: ['docs/sources.md#cilium-policy-limits'],
  },
];
// calibration-exempt-end
