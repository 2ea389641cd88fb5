/**
 * A spec's servicePositions (a cluster's real KUBE-SERVICES positions): drawing from the list of
 * every position once is exactly the default uniform draw (same random stream, same result), a
 * list at the end of the chain walks further than one at its start under iptables, the maps of the
 * other datapaths do not care, and a bad list is refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import { datapathSpec, simulatePath, type DatapathSpec } from '../../../model/datapaths/index.ts';
import { iptablesFirstPacketRulesEvaluated } from '../../../model/lookup/kubeProxyIptablesRules.ts';

const services = 20_000;
const spec = (over: Partial<DatapathSpec> = {}): DatapathSpec =>
  datapathSpec({ datapath: 'kube-proxy-iptables', services, endpointsPerService: 3, durationSec: 2, warmupSec: 0.5, ...over });
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('servicePositions', () => {
  it('every position once is the default draw, result for result', () => {
    expect(simulatePath(spec({ servicePositions: range(1, services) }), 4)).toEqual(simulatePath(spec(), 4));
  });

  it('iptables: Services at the end of the chain cost more first-packet time than at its start, by the rules between', () => {
    const start = simulatePath(spec({ servicePositions: range(1, 100) }), 2);
    const end = simulatePath(spec({ servicePositions: range(services - 99, services) }), 2);
    // Per first packet, (services - 100) more rules are walked.
    const moreRules = iptablesFirstPacketRulesEvaluated(services - 50, 3, 1) - iptablesFirstPacketRulesEvaluated(50, 3, 1);
    expect(moreRules).toBe(services - 100);
    expect(end.firstPacketRttUs.p50).toBeGreaterThan(start.firstPacketRttUs.p50);
    expect(end.packetCostNs.firstPacket.lookupNs).toBe(start.packetCostNs.firstPacket.lookupNs);
    expect(end.perPacketNs.lookupNs).toBeGreaterThan(start.perPacketNs.lookupNs);
  });

  it('other datapaths look Services up in maps: positions change nothing', () => {
    for (const datapath of ['kube-proxy-nftables', 'cilium-tc'] as const) {
      expect(simulatePath(spec({ datapath, servicePositions: [services] }), 5)).toEqual(simulatePath(spec({ datapath }), 5));
    }
  });

  it('a bad list is refused, naming the field and what is allowed', () => {
    expect(() => spec({ servicePositions: [] })).toThrow(/servicePositions must be a non-empty list or undefined/);
    expect(() => spec({ servicePositions: [1, 0] })).toThrow(/servicePositions\[1\] must be an integer in \[1, services = 20000\], got 0/);
    expect(() => spec({ servicePositions: [services + 1] })).toThrow(/servicePositions\[0\] must be an integer in \[1, services = 20000\], got 20001/);
  });
});
