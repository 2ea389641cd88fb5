/**
 * Shared checks of a path run's latency attribution (latencyTail.test.ts, vmPath.test.ts): a short
 * run of a spec, the sum of a split's causes, and the property that every split's causes add up to
 * its RTT with none negative.
 */
import { expect } from 'vitest';
import { datapathSpec, type DatapathSpec, type PathResult } from '../../../model/datapaths/index.ts';
import { LATENCY_CAUSES } from '../../../model/datapaths/latencyCauses.ts';

/** A short run (0.3 s, 0.05 s of it warm-up) of the default spec changed by `o`. */
export const short = (o: Partial<DatapathSpec>): DatapathSpec => datapathSpec({ durationSec: 0.3, warmupSec: 0.05, ...o });

export const sumCauses = (c: Record<string, number>): number => LATENCY_CAUSES.reduce((s, k) => s + c[k]!, 0);

/** Every message's causes add up to its RTT (residual under 1e-6 ns), and each split's to its mean RTT, none negative. */
export function expectCausesAddUp(r: PathResult): void {
  for (const rtt of [r.tailAttribution.firstPacket, r.tailAttribution.established]) {
    expect(rtt.maxResidualNs).toBeLessThan(1e-6);
    for (const split of [rtt.p50, rtt.p99, rtt.p999]) {
      if (split.messages === 0) continue;
      expect(sumCauses(split.causesUs)).toBeCloseTo(split.rttUs, 6);
      for (const c of LATENCY_CAUSES) expect(split.causesUs[c], c).toBeGreaterThanOrEqual(-1e-9);
    }
  }
}
