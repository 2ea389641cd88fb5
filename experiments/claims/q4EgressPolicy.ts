/**
 * Seed question 4: a pod sends egress traffic that an explicit deny-all egress policy should
 * block. Mostly policy semantics, which a performance model does not judge; the configuration
 * step it gives is checked against the Kubernetes API.
 */
import type { Claim } from './claimTypes.ts';
import { claimedValue, fromFact, statement } from './claimHelpers.ts';
import { factMatchRule } from './rules.ts';

// calibration-exempt-begin: the seed question's number (data)
export const Q4_CLAIMS: readonly Claim[] = [
  {
    id: 'q4-set-env-host-network',
    question: 4,
    part: 'answer',
    quote: 'Change to false if not needed: kubectl set env deployment/myapp POD_HOST_NETWORK=false (and redeploy).',
    claimed: claimedValue('an environment variable (POD_HOST_NETWORK) turns host networking off'),
    test: { kind: 'measure', measures: { primary: fromFact('kubernetes.hostNetworkField') }, rule: factMatchRule() },
    explain: () =>
      'Host networking is the pod template field spec.hostNetwork; kubectl set env only adds an environment variable to the containers, which the kubelet and the CNI never read. The pod stays on the host network after the redeploy. Patch the template instead (spec.template.spec.hostNetwork: false).',
    sources: ['docs/sources.md#claims-config-facts'],
  },
  {
    id: 'q4-host-network-bypasses-policy',
    question: 4,
    part: 'answer',
    quote: 'If hostNetwork: true, pod is on host network and NetworkPolicy doesn\'t apply (traffic goes through host iptables, not Cilium).',
    claimed: statement('host-network pods escape NetworkPolicy'),
    test: { kind: 'out-of-scope', why: 'which policies select host-network pods is policy semantics (Cilium applies host policies to the node, not pod policies); svcpath models costs and capacity, not policy decisions' },
    explain: () =>
      'A performance model cannot say which policy applies to which traffic. For the record: Kubernetes leaves NetworkPolicy for hostNetwork pods to the implementation, and Cilium treats such a pod as the host (its traffic carries the host identity and is subject to host policies, if enabled), so the direction of the claim is plausible but the mechanism named (host iptables) is not what Cilium uses.',
    sources: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/'],
  },
  {
    id: 'q4-stale-ebpf-policy-rules',
    question: 4,
    part: 'answer',
    quote: 'If policy is updated but eBPF cache not invalidated, old rules stick around. Restart cilium-agent to flush',
    claimed: statement('policy updates can leave old rules in eBPF until the agent restarts'),
    test: { kind: 'out-of-scope', why: 'whether a policy update is applied correctly is a correctness question (a bug, if it happens), not a cost; svcpath models how long regeneration takes, in policy-drops, not whether its result is right' },
    explain: () =>
      'svcpath can say how long a policy change takes to reach the datapath (the policy trigger batches changes for 1 s, then each endpoint regenerates: see policy-drops), not whether the result is right. A policy that never takes effect is a bug to report with "cilium-dbg endpoint get" output, not a cache to flush.',
    sources: ['model/controlplane/README.md (policy)'],
  },
  {
    id: 'q4-sidecar-overrides-cilium-policy',
    question: 4,
    part: 'answer',
    quote: 'If sidecar present, service mesh policies override Cilium NetworkPolicy.',
    claimed: statement('a mesh sidecar overrides Cilium NetworkPolicy'),
    test: { kind: 'out-of-scope', why: 'how two policy engines compose is policy semantics; svcpath models the cost of an L7 proxy (l7-proxy), not its decisions' },
    explain: () =>
      'Out of scope for a performance model. Both layers apply: Cilium enforces its policy on the packets the sidecar sends, and the mesh adds its own authorization on top; neither overrides the other.',
    sources: [],
  },
  {
    id: 'q4-daemonset-matters',
    question: 4,
    part: 'follow-up',
    quote: 'The only thing different: pod is in DaemonSet (not Deployment). Could this matter?',
    claimed: statement('the owning controller kind changes policy enforcement'),
    test: { kind: 'out-of-scope', why: 'policy selects pods by labels and namespace, whatever owns them; that is policy semantics, not performance' },
    explain: () =>
      'Out of scope for a performance model. Policy selects pods by labels; the controller kind matters only through what it changes, typically hostNetwork: true (common for DaemonSets), which makes the pod part of the host for Cilium.',
    sources: [],
  },
];
// calibration-exempt-end
