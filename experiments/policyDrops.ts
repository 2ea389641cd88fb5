/**
 * policy-drops (Q2): what produces ~0.1 % drops on a Cilium node, and how do the causes rank?
 * Drop fraction against the policy map's fill (rules x peer identities x ports against
 * bpf-policy-map-max) and during regeneration windows, next to the other causes that produce drops
 * of that size: a conntrack table just past full, RX-ring overflow on bursts, and unknown
 * identities during a scale-up.
 *
 * Mechanisms (model/controlplane unless noted): the policy map (policyMap.ts: entries needed =
 * peers x ports per direction; above the cap the regeneration fails and the missing share drops);
 * regeneration windows (regenerationDrops.ts: a new peer identity drops until the trigger's next
 * run ends, time base + rules x peers); nf_conntrack full (model/conntrack simulateConntrack: the
 * share of new connections whose SYN was dropped when a little more than the table is offered);
 * RX-ring overflow (a burst of minimum-size frames at 10 GbE line rate into a 512-descriptor ixgbe
 * ring drained by one core at the XDP paper's Linux forwarding rate, model/nic and model/cpu
 * defaults: the fluid queue loses burst x (1 - service/arrival) - ring packets); unknown identity
 * during a scale-up (simulateScaleUp with a lagging pod watch: the expected drops over the scale-up
 * window's requests).
 *
 * What it shows: a policy map needs only 16 entries past its 16,384 to drop ~0.1 % of allowed
 * traffic, and with allow-all rules in both directions that happens at 8,192 peer identities; below
 * the cap nothing drops. Regeneration windows reach 0.1 % only with hundreds of rules over a
 * thousand identities and an identity a second; a conntrack table 0.1 % over its size or bursts a
 * little longer than the ring do the same. The ranking chart sets each cause at a mild and a
 * stressed setting so they can be compared on one axis.
 */
import type { TopLevelSpec } from 'vega-lite';
import { ciChart } from './lib/ciChart.ts';
import { defineExperiment, type ScenarioContext } from './lib/defineExperiment.ts';
import { policyMapEntriesNeeded, policyMapState, simulateRegenerationDrops, simulateScaleUp } from '../model/controlplane/index.ts';
import { simulateConntrack, defaultConntrackNodeParams, defaultConntrackKernelVersion } from '../model/conntrack/index.ts';
import { defaultIxgbeRxRingParams, defaultLink10gParams, frameBytesForIpPacket, lineRatePps } from '../model/nic/index.ts';
import { calibrated } from '../model/calibration/index.ts';

export interface PolicyDropsParams {
  /** policy-map | regeneration | conntrack | rx-ring | scale-up */
  cause: string;
  /** The case's name in the ranking ('' for the curves). */
  label: string;
  peerIdentities: number;
  portsProtocols: number;
  rulesSelecting: number;
  newIdentitiesPerSec: number;
  /** conntrack: connections offered / table size. */
  offeredOverCapacity: number;
  /** rx-ring: packets in one burst. */
  burstPackets: number;
  /** scale-up: extra lag of the agents' pod watch, s. */
  podWatchLagSec: number;
}

// calibration-exempt-begin: sizes of the auxiliary runs (a 10,000-entry conntrack table opened over 20 s and held 60 s; 10 minutes of identity churn; a 1 -> 100 scale-up over 10 nodes)
const CONNTRACK_TABLE = 10_000;
const CONNTRACK_RAMP_SEC = 20;
const CONNTRACK_HOLD_SEC = 60;
const REGENERATION_RUN_SEC = 600;
const SCALE_UP = { replicas: 100, nodes: 10 };
// calibration-exempt-end

/** RX ring: share of a burst of minimum-size frames lost (fluid queue: arrivals at line rate, one core draining). */
function burstLossFraction(burstPackets: number): number {
  const frame = frameBytesForIpPacket(calibrated('datapath.ipv4HeaderBytes') + calibrated('datapath.tcpHeaderBytes'));
  const arrivalPps = lineRatePps(defaultLink10gParams.linkRateBitsPerSec, frame);
  const servicePps = calibrated('cpu.referenceFreqHz') / calibrated('cpu.linuxIpForwardCycles');
  const lost = Math.max(0, burstPackets * (1 - servicePps / arrivalPps) - defaultIxgbeRxRingParams.ringSizePackets);
  return lost / burstPackets;
}

export function policyDropsScenario(p: PolicyDropsParams, ctx: ScenarioContext) {
  let dropFraction = 0;
  let entriesNeeded = 0;
  let fillRatio = 0;
  switch (p.cause) {
    case 'policy-map': {
      // Allow-all style: one rule per direction selecting every peer identity on the given ports.
      entriesNeeded = policyMapEntriesNeeded([
        { peerIdentities: p.peerIdentities, portsProtocols: p.portsProtocols, direction: 'ingress' },
        { peerIdentities: p.peerIdentities, portsProtocols: p.portsProtocols, direction: 'egress' },
      ]);
      const st = policyMapState(entriesNeeded);
      dropFraction = st.allowedTrafficDropFraction;
      fillRatio = entriesNeeded / st.capacityEntries;
      break;
    }
    case 'regeneration':
      dropFraction = simulateRegenerationDrops({
        rulesSelecting: p.rulesSelecting, peerIdentities: p.peerIdentities, newIdentitiesPerSec: p.newIdentitiesPerSec,
        durationSec: REGENERATION_RUN_SEC, seed: ctx.seed, replication: ctx.replication,
      }).dropFraction;
      break;
    case 'conntrack': {
      const connections = Math.round(CONNTRACK_TABLE * p.offeredOverCapacity);
      const r = simulateConntrack({
        impl: 'nf_conntrack',
        node: { memoryBytes: defaultConntrackNodeParams.memoryBytes, cores: defaultConntrackNodeParams.cores, kernelVersion: defaultConntrackKernelVersion(), maxEntries: CONNTRACK_TABLE },
        connections, openRatePerSec: connections / CONNTRACK_RAMP_SEC, holdSec: CONNTRACK_HOLD_SEC, idleFraction: 0, packetIntervalSec: CONNTRACK_HOLD_SEC,
        seed: ctx.seed, replication: ctx.replication,
      });
      dropFraction = r.connectionsRetried / r.connectionsOffered;
      fillRatio = p.offeredOverCapacity;
      break;
    }
    case 'rx-ring':
      dropFraction = burstLossFraction(p.burstPackets);
      fillRatio = p.burstPackets / defaultIxgbeRxRingParams.ringSizePackets;
      break;
    case 'scale-up': {
      const r = simulateScaleUp({ ...SCALE_UP, sameLabels: false, agentPodWatchLagSec: p.podWatchLagSec, seed: ctx.seed, replication: ctx.replication });
      dropFraction = r.requestsSent > 0 ? r.droppedRequests.total / r.requestsSent : 0;
      break;
    }
    default:
      throw new RangeError(`cause must be one of policy-map, regeneration, conntrack, rx-ring, scale-up; got "${p.cause}"`);
  }
  return { dropFraction, entriesNeeded, fillRatio };
}

// calibration-exempt-begin: the experiment's design: the curves' grids and the ranking's cases (a mild and a stressed setting per cause)
const CAP_PEERS = 8192;
const POLICY_PEERS = [4000, 6000, 7500, 8000, CAP_PEERS, 8250, 8500, 9000, 10_000, 12_000, 16_000];
const RANKING: Partial<PolicyDropsParams>[] = [
  { cause: 'policy-map', label: 'policy map 16,000 of 16,384 entries (8,000 identities, allow-all both ways)', peerIdentities: 8000 },
  { cause: 'policy-map', label: 'policy map needs 16,400 entries (8,200 identities)', peerIdentities: 8200 },
  { cause: 'policy-map', label: 'policy map needs 20,000 entries (10,000 identities)', peerIdentities: 10_000 },
  { cause: 'regeneration', label: 'regeneration: 10 rules x 1,000 identities, 0.1 new identity/s', rulesSelecting: 10, peerIdentities: 1000, newIdentitiesPerSec: 0.1 },
  { cause: 'regeneration', label: 'regeneration: 100 rules x 1,000 identities, 1 new identity/s', rulesSelecting: 100, peerIdentities: 1000, newIdentitiesPerSec: 1 },
  { cause: 'conntrack', label: 'nf_conntrack offered 99.9 % of its size', offeredOverCapacity: 0.999 },
  { cause: 'conntrack', label: 'nf_conntrack offered 100.1 % of its size', offeredOverCapacity: 1.001 },
  { cause: 'rx-ring', label: 'RX ring: bursts of 550 minimum-size frames (ring 512)', burstPackets: 550 },
  { cause: 'rx-ring', label: 'RX ring: bursts of 600 minimum-size frames', burstPackets: 600 },
  { cause: 'scale-up', label: 'scale-up 1 -> 100, distinct labels, pod watch on time (of the requests during it)', podWatchLagSec: 0 },
  { cause: 'scale-up', label: 'scale-up 1 -> 100, distinct labels, pod watch 5 s late (of the requests during it)', podWatchLagSec: 5 },
];
const REFERENCE_FRACTION = 1e-3;
// calibration-exempt-end

const policyMapChart = ciChart({
  title: 'Policy map: share of allowed traffic dropped vs peer identities (allow-all rule in both directions; cap 16,384 entries)',
  x: { field: 'peerIdentities', title: 'peer identities the rules select (log)', scale: 'log' },
  series: { field: 'portsProtocols', title: 'ports per rule', sort: [1, 2] },
  panels: [{ metric: 'dropFraction', filter: "datum.cause == 'policy-map' && datum.label == ''", y: { title: 'dropped share of allowed traffic', zero: true, format: '.0%' } }],
});

const regenerationChart = ciChart({
  title: 'Regeneration windows: share of allowed traffic dropped vs rules selecting the endpoint (1,000 peer identities)',
  x: { field: 'rulesSelecting', title: 'rules selecting the endpoint (log)', scale: 'log' },
  series: { field: 'newIdentitiesPerSec', title: 'new identities per second', sort: [0.1, 1] },
  panels: [{ metric: 'dropFraction', filter: "datum.cause == 'regeneration' && datum.label == ''", y: { title: 'dropped share of allowed traffic (log)', scale: 'log', format: '.3%' } }],
});

// calibration-exempt-begin: chart geometry (pixels) and the symlog constant (drop fractions down to 1e-6 on one axis)
const rankingChart = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: `Which causes produce ~${REFERENCE_FRACTION * 100} % drops? Mean drop fraction with 95% CI, each cause at a mild and a stressed setting`,
  data: { name: 'summary' },
  transform: [
    { filter: "datum.label != ''" },
    { calculate: 'max(0, datum.dropFraction_mean - (isValid(datum.dropFraction_ci95HalfWidth) ? datum.dropFraction_ci95HalfWidth : 0))', as: 'low' },
    { calculate: 'datum.dropFraction_mean + (isValid(datum.dropFraction_ci95HalfWidth) ? datum.dropFraction_ci95HalfWidth : 0)', as: 'high' },
  ],
  width: 480,
  height: { step: 22 },
  layer: [
    {
      mark: { type: 'rule' },
      encoding: {
        y: { field: 'label', type: 'nominal', sort: { field: 'dropFraction_mean', order: 'descending' }, title: null, axis: { labelLimit: 520 } },
        x: { field: 'low', type: 'quantitative', scale: { type: 'symlog', constant: 1e-6 } },
        x2: { field: 'high' },
      },
    },
    {
      mark: { type: 'point', filled: true, size: 70 },
      encoding: {
        y: { field: 'label', type: 'nominal', sort: { field: 'dropFraction_mean', order: 'descending' } },
        x: { field: 'dropFraction_mean', type: 'quantitative', title: 'drop fraction (symlog)', axis: { values: [0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1], format: '.3~%' } },
        color: { field: 'cause', type: 'nominal', title: 'cause' },
        tooltip: [
          { field: 'label', type: 'nominal', title: 'case' },
          { field: 'dropFraction_mean', type: 'quantitative', title: 'drop fraction', format: '.4%' },
          { field: 'dropFraction_ci95HalfWidth', type: 'quantitative', title: '± 95% half-width', format: '.4%' },
        ],
      },
    },
    { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { x: { datum: REFERENCE_FRACTION } } },
  ],
} as const satisfies TopLevelSpec;
// calibration-exempt-end

export default defineExperiment({
  name: 'policy-drops',
  question: 'Which mechanisms make a Cilium node drop ~0.1 % of packets: a policy map at its cap, regeneration windows, or conntrack, RX-ring bursts and unknown identities?',
  answer:
    'A policy map needs only 16 entries past its 16,384 cap to drop about 0.1 % of allowed traffic (the endpoint\'s regeneration fails and the missing entries drop as policy-denied); below the cap nothing drops, and with allow-all rules in both directions the cap is reached at 8,192 peer identities. Regeneration windows reach 0.1 % only with hundreds of rules over a thousand identities and a new identity every second. An nf_conntrack table offered 0.1 % more connections than it holds, or bursts a little longer than the RX ring, give drops of the same size, so the ranking chart is the place to start.',
  scenario: policyDropsScenario,
  // calibration-exempt-begin: the experiment's design
  base: {
    cause: 'policy-map', label: '', peerIdentities: 1000, portsProtocols: 1, rulesSelecting: 10, newIdentitiesPerSec: 0.1,
    offeredOverCapacity: 1, burstPackets: 512, podWatchLagSec: 0,
  },
  sweep: [
    { grid: { cause: ['policy-map'], peerIdentities: POLICY_PEERS, portsProtocols: [1, 2] } },
    { grid: { cause: ['regeneration'], rulesSelecting: [10, 30, 100, 300], newIdentitiesPerSec: [0.1, 1] } },
    { list: RANKING },
  ],
  replications: 3,
  // calibration-exempt-end
  warmup: 0,
  metrics: ['dropFraction', 'entriesNeeded', 'fillRatio'],
  charts: [
    { name: 'policy-map', spec: policyMapChart },
    { name: 'regeneration', spec: regenerationChart },
    { name: 'ranking', spec: rankingChart },
  ],
  // calibration-exempt-begin: the quick mode's design
  quick: {
    sweep: [
      { grid: { cause: ['policy-map'], peerIdentities: [8000, CAP_PEERS, 8250, 10_000], portsProtocols: [1, 2] } },
      { grid: { cause: ['regeneration'], rulesSelecting: [10, 300], newIdentitiesPerSec: [0.1, 1] } },
      { list: RANKING },
    ],
    replications: 3,
  },
  // calibration-exempt-end
});
