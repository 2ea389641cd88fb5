/**
 * Seed question 5: scaling a Deployment from 1 to 100 replicas under Cilium's identity-based
 * policy; some requests fail with "unknown identity". Follow-up: identity allocation takes 2 s
 * for new pods and 0 ms for old ones.
 */
import type { Claim } from './claimTypes.ts';
import { claimedRange, claimedValue, fromExperiment, fromFact, shown, statement } from './claimHelpers.ts';
import { factMatchRule, occursRule, overlapRule } from './rules.ts';

const SCALE = 'scale-up';
// calibration-exempt-begin: claimed values quoted from the seed, and the sweep points the claims read (present in quick and full mode)
const NODES = 10;
const scaleUp = (sameLabels: boolean, podWatchLagSec: number) => ({ nodes: NODES, sameLabels, podWatchLagSec, autoAdjust: true });

export const Q5_CLAIMS: readonly Claim[] = [
  {
    id: 'q5-unique-identity-per-pod',
    question: 5,
    part: 'answer',
    quote: 'Each pod gets a unique identity (ephemeral ID based on labels).',
    claimed: claimedValue('one unique identity per pod'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.identityBasis') }, rule: factMatchRule() },
    explain: () =>
      'An identity belongs to a label set, not to a pod: every replica of a Deployment carries the same labels and so the same identity, which is what lets policy scale with label sets rather than pods. The sentence contradicts itself ("unique", "based on labels"); the labels win.',
    sources: ['docs/sources.md#cilium-identities'],
  },
  {
    id: 'q5-100-identity-entries',
    question: 5,
    part: 'answer',
    quote: 'Immediately check identity: cilium identity list | grep app=web | wc -l should show 100 entries.',
    claimed: claimedRange(99, 99, 'identities', '100 entries (99 new identities for 99 new pods)'),
    test: {
      kind: 'measure',
      measures: {
        primary: fromExperiment(SCALE, 'newIdentities', scaleUp(true, 0), 'identities', 'identities allocated by the 1 -> 100 scale-up, same labels'),
        distinct: fromExperiment(SCALE, 'newIdentities', scaleUp(false, 0), 'identities', 'the same with a distinct label set per pod'),
      },
      rule: overlapRule("the model's count"),
      chart: { experiment: SCALE, chart: 'identities-and-limiter' },
    },
    explain: (m) =>
      `Scaling up allocates ${shown(m, 'primary')} new identities in the model: the 99 new pods reuse the identity of the first. The grep shows one entry, and that is healthy; 100 entries would mean each pod got distinct labels (a pod-specific label in the template), which costs ${shown(m, 'distinct')} allocations and makes every peer's policy map grow with the replica count.`,
    sources: ['docs/sources.md#cilium-identities'],
  },
  {
    id: 'q5-identity-under-100ms',
    question: 5,
    part: 'answer',
    quote: 'Agent assigns the new pod an identity by computing labels. This normally takes <100ms.',
    claimed: claimedRange(0, 0.1, 's', '< 100 ms'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.identityAllocationLatency') }, rule: factMatchRule() },
    explain: () =>
      'No published measurement gives identity-allocation latency, so the number cannot be confirmed or refuted here; and for a scale-up of one Deployment there is nothing to allocate (the label set already has its identity). What paces the new pods in the model is the agent\'s endpoint API limiter (0.5 creations/s per node, burst 4, auto-adjusting), see the time-to-reachable chart.',
    sources: ['docs/sources.md#not-found', 'docs/sources.md#cilium-control-plane'],
  },
  {
    id: 'q5-unknown-identity-drops',
    question: 5,
    part: 'answer',
    quote: 'If a packet is sent before identity is assigned, Cilium sees "unknown identity" (0 or unset) and drops the packet.',
    claimed: statement('requests to new replicas are dropped for an unknown identity during a scale-up'),
    test: {
      kind: 'measure',
      measures: {
        primary: fromExperiment(SCALE, 'droppedTotal', scaleUp(true, 0), 'requests', 'requests dropped during the scale-up, defaults (same labels, pod watch on time)'),
        special: fromExperiment(SCALE, 'droppedTotal', scaleUp(true, 5), 'requests', "the same with the agents' pod watch 5 s late"),
        reservedInit: fromExperiment(SCALE, 'droppedReservedInit', scaleUp(true, 5), 'requests', 'of which: the new pod still running as reserved:init'),
      },
      rule: occursRule('at the default settings (pod watch on time)', "when the agents' pod watch lags"),
      chart: { experiment: SCALE, chart: 'drops-by-cause' },
    },
    explain: (m) =>
      `With the defaults nothing is dropped in the model (${shown(m, 'primary')}): the new pod's CiliumEndpoint reaches the client's node before its EndpointSlice does, so no request is sent to it before it is known. Drops need the agent to create the endpoint before it knows the pod's labels: the endpoint then runs as reserved:init (identity 5, whose ingress drops everything; identity 0 is only "not found"). With the pod watch 5 s late the model drops ${shown(m, 'special')}, ${shown(m, 'reservedInit')} of them at reserved:init. Look for reserved:init endpoints and agent event lag (k8s_event_lag_seconds), not identity allocation.`,
    sources: ['docs/sources.md#cilium-identities', 'model/controlplane/README.md (scale-up)'],
  },
  {
    id: 'q5-identity-cache-size',
    question: 5,
    part: 'answer',
    quote: 'Configure identity cache: cilium config set --patch \'{"identity-cache-size": "10000"}\' (default 5000).',
    claimed: claimedValue(true, 'an option named identity-cache-size exists (default 5,000)'),
    test: { kind: 'measure', measures: { primary: fromFact('cilium.optionIdentityCacheSize') }, rule: factMatchRule() },
    explain: () =>
      'Cilium has no identity-cache-size option, so there is no default of 5,000 to raise. Identities are allocated per label set in CRD (or kvstore) mode; the cluster-local range is 256 to 65,535.',
    sources: ['docs/sources.md#cilium-security-identities'],
  },
  {
    id: 'q5-pdb-smooths-scale-up',
    question: 5,
    part: 'answer',
    quote: 'Implement pod disruption budget: kind: PodDisruptionBudget, minAvailable: 1 to prevent all pods from scaling simultaneously (smoother scale-up).',
    claimed: claimedValue('paces a scale-up'),
    test: { kind: 'measure', measures: { primary: fromFact('kubernetes.podDisruptionBudgetScope') }, rule: factMatchRule() },
    explain: () =>
      'A PodDisruptionBudget limits voluntary disruptions through the eviction API (drains, upgrades); it does nothing when a Deployment scales up. To pace a rollout use the Deployment\'s strategy (maxSurge) or scale in steps.',
    sources: ['docs/sources.md#claims-config-facts'],
  },
];
// calibration-exempt-end
