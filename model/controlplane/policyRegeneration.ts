/**
 * Policy changes reach an endpoint's datapath through a regeneration: the agent's policy trigger
 * folds every change within `PolicyTriggerInterval` (1 s) into one run, and the run regenerates the
 * affected endpoints; a regeneration takes base time plus time per (rule selecting the endpoint,
 * peer identity the rule selects) pair, so it grows as rules x identities. A change that arrives
 * while a run is going waits for the next one, at least the interval after the last start.
 * Until the run that includes it ends, traffic the change would allow (a new peer identity, say)
 * is dropped as policy-denied. Sources: defaults.go (PolicyTriggerInterval), the scalability report's
 * regeneration times as a check (docs/sources.md#cilium-control-plane); the per-pair time is an
 * assumption.
 *
 * Simplification: newer agents apply identity additions to policy maps incrementally without a full
 * regeneration; the trigger-plus-regeneration path is the slower, older one and the one a policy
 * change (a new or edited rule) takes.
 */
import { calibratedParams } from '../calibration/index.ts';
import type { Simulation } from '../engine/index.ts';
import { roundNs, secToNs } from '../units.ts';

export interface PolicyRegenerationParams {
  readonly triggerIntervalSec: number;
  readonly baseSec: number;
  readonly secPerRulePeer: number;
}

export const defaultPolicyRegenerationParams: PolicyRegenerationParams = calibratedParams({
  triggerIntervalSec: 'controlPlane.ciliumPolicyTriggerIntervalSec',
  baseSec: 'controlPlane.ciliumRegenerationBaseSec',
  secPerRulePeer: 'controlPlane.ciliumRegenerationSecPerRulePeer',
});

/** Time of one endpoint regeneration with `rulePeerPairs` (rule, peer identity) pairs, s. */
export function regenerationSec(rulePeerPairs: number, p: PolicyRegenerationParams = defaultPolicyRegenerationParams): number {
  if (!(rulePeerPairs >= 0) || !Number.isFinite(rulePeerPairs)) throw new RangeError(`rulePeerPairs must be a finite number >= 0, got ${rulePeerPairs}`);
  return p.baseSec + p.secPerRulePeer * rulePeerPairs;
}

/**
 * The agent's policy trigger on the simulation: `trigger(id)` asks for a run; runs start at least
 * the interval apart, one at a time, and each takes `runSec()`; `onApplied(ids, tNs)` gets the
 * changes a run applied when it ends.
 */
export class PolicyTrigger {
  private pending: number[] = [];
  private running = false;
  private lastStartNs = -Infinity;
  private scheduled = false;
  private readonly intervalNs: number;
  runs = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly runSec: () => number,
    private readonly onApplied: (ids: readonly number[], appliedNs: number) => void,
    p: PolicyRegenerationParams = defaultPolicyRegenerationParams,
  ) {
    this.intervalNs = roundNs(secToNs(p.triggerIntervalSec));
  }

  trigger(id: number): void {
    this.pending.push(id);
    this.schedule();
  }

  private schedule(): void {
    if (this.running || this.scheduled || this.pending.length === 0) return;
    this.scheduled = true;
    const at = Math.max(this.sim.nowNs, this.lastStartNs + this.intervalNs);
    this.sim.scheduleAt(at, () => this.start());
  }

  private start(): void {
    this.scheduled = false;
    const ids = this.pending;
    this.pending = [];
    this.running = true;
    this.lastStartNs = this.sim.nowNs;
    this.runs++;
    this.sim.schedule(roundNs(secToNs(this.runSec())), () => {
      this.running = false;
      this.onApplied(ids, this.sim.nowNs);
      this.schedule();
    });
  }
}
