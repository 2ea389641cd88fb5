/**
 * Drops during policy regeneration windows: new peer identities appear (pods with new label sets
 * elsewhere in the cluster) and the endpoint's policy allows them by selector, but the endpoint's
 * policy map gets their entries only when the policy trigger's next run ends (policyRegeneration.ts:
 * up to one trigger interval of batching, then a regeneration of base + rules x peers time). Until
 * then that peer's traffic is dropped as policy-denied. The endpoint's allowed traffic is spread
 * evenly over its peer identities, so one new peer carries 1/peers of it, and the dropped share is
 *   sum over new identities of (window / run length) / peers.
 * A pure function of (scenario, params): identities arrive as a Poisson stream.
 */
import { RandomStreams, Simulation, exponential } from '../engine/index.ts';
import { nsToSec, roundNs, secToNs } from '../units.ts';
import { PolicyTrigger, defaultPolicyRegenerationParams, regenerationSec, type PolicyRegenerationParams } from './policyRegeneration.ts';

export interface RegenerationDropsScenario {
  /** Rules selecting the endpoint. */
  readonly rulesSelecting: number;
  /** Peer identities the rules select (the endpoint's traffic is spread over them). */
  readonly peerIdentities: number;
  /** New peer identities per second. */
  readonly newIdentitiesPerSec: number;
  readonly durationSec: number;
  readonly seed: number;
  readonly replication?: number;
}

export interface RegenerationDropsResult {
  /** Share of the endpoint's allowed traffic dropped as policy-denied. */
  readonly dropFraction: number;
  /** Time of one regeneration, s. */
  readonly regenerationSec: number;
  /** New identity -> its entries in the policy map, mean and largest, s. */
  readonly meanWindowSec: number;
  readonly maxWindowSec: number;
  readonly newIdentities: number;
  readonly runs: number;
}

export function simulateRegenerationDrops(s: RegenerationDropsScenario, p: PolicyRegenerationParams = defaultPolicyRegenerationParams): RegenerationDropsResult {
  if (!Number.isSafeInteger(s.rulesSelecting) || s.rulesSelecting < 1) throw new RangeError(`rulesSelecting must be an integer >= 1, got ${s.rulesSelecting}`);
  if (!Number.isSafeInteger(s.peerIdentities) || s.peerIdentities < 1) throw new RangeError(`peerIdentities must be an integer >= 1, got ${s.peerIdentities}`);
  if (!(s.newIdentitiesPerSec > 0) || !Number.isFinite(s.newIdentitiesPerSec)) throw new RangeError(`newIdentitiesPerSec must be a finite number > 0, got ${s.newIdentitiesPerSec}`);
  if (!(s.durationSec > 0) || !Number.isFinite(s.durationSec)) throw new RangeError(`durationSec must be a finite number > 0, got ${s.durationSec}`);
  const sim = new Simulation();
  const streams = new RandomStreams(s.seed, s.replication ?? 0);
  const gap = exponential(1 / s.newIdentitiesPerSec).sampler(streams.stream('new-identities'));
  const runSec = regenerationSec(s.rulesSelecting * s.peerIdentities, p);
  const arrivedNs: number[] = [];
  let windowSumNs = 0;
  let windowMaxNs = 0;
  let applied = 0;
  const trigger = new PolicyTrigger(sim, () => runSec, (ids, tNs) => {
    for (const id of ids) {
      const w = tNs - arrivedNs[id]!;
      windowSumNs += w;
      windowMaxNs = Math.max(windowMaxNs, w);
      applied++;
    }
  }, p);
  const endNs = roundNs(secToNs(s.durationSec));
  const arrive = (): void => {
    arrivedNs.push(sim.nowNs);
    trigger.trigger(arrivedNs.length - 1);
    const next = sim.nowNs + roundNs(secToNs(gap()));
    if (next < endNs) sim.scheduleAt(next, arrive);
  };
  const first = roundNs(secToNs(gap()));
  if (first < endNs) sim.scheduleAt(first, arrive);
  sim.run();
  return {
    dropFraction: nsToSec(windowSumNs) / s.peerIdentities / s.durationSec,
    regenerationSec: runSec,
    meanWindowSec: applied > 0 ? nsToSec(windowSumNs) / applied : 0,
    maxWindowSec: nsToSec(windowMaxNs),
    newIdentities: arrivedNs.length,
    runs: trigger.runs,
  };
}
