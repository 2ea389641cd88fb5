import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../model/engine/index.ts';
import {
  CloudShaper, cloudAllowancePps, defaultCloudShaperParams, defaultPlacementGroupCloudShaperParams, type CloudShaperParams, type NicPacket,
} from '../../../model/nic/index.ts';

const WIDE_OPEN: CloudShaperParams = {
  ...defaultCloudShaperParams,
  bwInAllowanceBitsPerSec: 1e12,
  bwOutAllowanceBitsPerSec: 1e12,
  ppsAllowancePps: 1e9,
  conntrackAllowanceFlows: 1_000_000,
};

/** Offers `count` packets every `gapNs` from `flows` (round robin); returns pass times and bytes. */
function drive(params: CloudShaperParams, o: { count: number; gapNs: number; frameBytes: number; flows: number[] }) {
  const sim = new Simulation();
  const shaper = new CloudShaper<NicPacket>(sim, params);
  const passed: [number, number][] = [];
  const dropped: string[] = [];
  for (let i = 0; i < o.count; i++) {
    sim.scheduleAt(i * o.gapNs, () => shaper.offer(
      { flowId: o.flows[i % o.flows.length]!, frameBytes: o.frameBytes }, 'in',
      (p, now) => passed.push([now, p.frameBytes]), (_p, reason) => dropped.push(reason),
    ));
  }
  sim.run();
  return { shaper, passed, dropped };
}

/** Bits per second passed within [fromNs, toNs). */
function rateBitsPerSec(passed: [number, number][], fromNs: number, toNs: number): number {
  const bits = passed.filter(([t]) => t >= fromNs && t < toNs).reduce((s, [, b]) => s + b * 8, 0);
  return bits / ((toNs - fromNs) / 1e9);
}

describe('CloudShaper', () => {
  it('per-flow cap: 5 Gbit/s outside a placement group, 10 inside (sourced)', () => {
    expect(defaultCloudShaperParams.perFlowCapBitsPerSec).toBe(5e9);
    expect(defaultPlacementGroupCloudShaperParams.perFlowCapBitsPerSec).toBe(10e9);
  });

  it('one flow offered 10 Gbit/s leaves at the 5 Gbit/s per-flow cap; the excess is queued, then dropped', () => {
    // 1500 B every 1200 ns = 10 Gbit/s for 20 ms.
    const { shaper, passed, dropped } = drive(WIDE_OPEN, { count: 16_667, gapNs: 1_200, frameBytes: 1500, flows: [7] });
    expect(rateBitsPerSec(passed, 5e6, 19e6) / 1e9).toBeCloseTo(5, 1);
    expect(shaper.counters.per_flow_allowance_exceeded).toBeGreaterThan(8_000);
    expect(dropped.length).toBeGreaterThan(0);
    expect(new Set(dropped)).toEqual(new Set(['per_flow_allowance_exceeded']));
  });

  it('many flows under the per-flow cap are held to the aggregate bandwidth allowance (1 Gbit/s default)', () => {
    const { shaper, passed } = drive({ ...defaultCloudShaperParams, ppsAllowancePps: 1e9 },
      { count: 10_000, gapNs: 4_000, frameBytes: 1500, flows: [1, 2, 3, 4] }); // 3 Gbit/s total
    expect(rateBitsPerSec(passed, 10e6, 39e6) / 1e9).toBeCloseTo(1, 1);
    expect(shaper.counters.bw_in_allowance_exceeded).toBeGreaterThan(0);
    expect(shaper.counters.bw_out_allowance_exceeded).toBe(0);
    expect(shaper.counters.per_flow_allowance_exceeded).toBe(0);
  });

  it('small packets hit the PPS allowance before the bandwidth one', () => {
    const p = { ...defaultCloudShaperParams, bwInAllowanceBitsPerSec: 1e11 };
    const { shaper, passed } = drive(p, { count: 20_000, gapNs: 500, frameBytes: 64, flows: [1, 2, 3] }); // 2 Mpps
    const window = passed.filter(([t]) => t >= 3e6 && t < 9e6).length / 6e-3;
    expect(window / p.ppsAllowancePps).toBeCloseTo(1, 1);
    expect(shaper.counters.pps_allowance_exceeded).toBeGreaterThan(0);
    expect(cloudAllowancePps(64, 'in', defaultCloudShaperParams)).toBe(defaultCloudShaperParams.ppsAllowancePps);
  });

  it('never passes more than allowance x t + burst in any window (bandwidth invariant)', () => {
    const p = { ...defaultCloudShaperParams, ppsAllowancePps: 1e9 };
    const { passed } = drive(p, { count: 6_000, gapNs: 2_000, frameBytes: 1500, flows: [1, 2, 3, 4, 5] });
    const depthBits = p.bwInAllowanceBitsPerSec * p.burstDurationUs * 1e-6;
    for (let i = 0; i < passed.length; i += 97) {
      let bits = 0;
      for (let j = i; j < passed.length; j++) {
        bits += passed[j]![1] * 8;
        // Pass times are rounded to whole ns: allow one ns of rate.
        const windowSec = (passed[j]![0] - passed[i]![0] + 1) / 1e9;
        expect(bits).toBeLessThanOrEqual(p.bwInAllowanceBitsPerSec * windowSec + depthBits + 1e-6);
      }
    }
  });

  it('conntrack allowance: a new flow beyond the limit is dropped; closing a flow makes room', () => {
    const sim = new Simulation();
    const shaper = new CloudShaper<NicPacket>(sim, { ...defaultCloudShaperParams, conntrackAllowanceFlows: 3 });
    const result: string[] = [];
    const offer = (flowId: number) => shaper.offer({ flowId, frameBytes: 64 }, 'in',
      () => result.push(`pass ${flowId}`), (_p, reason) => result.push(`drop ${flowId} ${reason}`));
    [1, 2, 3, 4, 1].forEach(offer);
    shaper.closeFlow(2);
    offer(4);
    sim.run();
    expect(result).toEqual(['pass 1', 'pass 2', 'pass 3', 'drop 4 conntrack_allowance_exceeded', 'pass 1', 'pass 4']);
    expect(shaper.counters.conntrack_allowance_exceeded).toBe(1);
    expect(shaper.trackedFlows).toBe(3);
  });

  it("mode 'drop' never delays a packet", () => {
    const { passed, dropped } = drive({ ...defaultCloudShaperParams, mode: 'drop' },
      { count: 3_000, gapNs: 1_000, frameBytes: 1500, flows: [1, 2, 3, 4] });
    for (const [t] of passed) expect(t % 1_000).toBe(0);
    expect(dropped.length).toBeGreaterThan(0);
  });
});
