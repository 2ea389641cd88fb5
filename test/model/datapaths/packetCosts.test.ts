/**
 * The per-packet composition: stages add up to the work CpuCores is given; each datapath charges
 * the strategy components it is built from, and only those.
 */
import { describe, expect, it } from 'vitest';
import { workNs, defaultWorkCostParams, scaleWork, addWork } from '../../../model/cpu/workCost.ts';
import { ciliumCtLookupWork, nfConntrackPacketWork } from '../../../model/conntrack/conntrackPacketCost.ts';
import { htabBucketCount } from '../../../model/ebpf/mapLookup.ts';
import {
  datapathSpec, datapathFor, pathModelParams, clientEgressCost, clientIngressCost, connectCost, remoteIngressCost, stagedCostNs,
  ciliumLbMapMaxEntries, conntrackImplOf, PATH_STAGES, DATAPATH_NAMES, type PathCostContext, type DatapathSpec, type StagedCost,
} from '../../../model/datapaths/index.ts';

const CT_CAPACITY = 1_000_000;
const CT_ENTRIES = 50_000;

function ctx(o: Partial<DatapathSpec>): PathCostContext {
  const spec = datapathSpec(o);
  const params = pathModelParams();
  return { datapath: datapathFor(spec, params.cilium), spec, params, ctCapacityEntries: CT_CAPACITY, ctOccupancyEntries: CT_ENTRIES };
}

const stage = (c: StagedCost, name: (typeof PATH_STAGES)[number]): number => c.cycles[PATH_STAGES.indexOf(name)]!;

describe('conntrackImplOf', () => {
  it('names the table each datapath keeps, as the datapath itself does', () => {
    for (const datapath of DATAPATH_NAMES) expect(conntrackImplOf(datapath), datapath).toBe(datapathFor(datapathSpec({ datapath })).conntrack);
  });
});

describe('packet costs', () => {
  it('the stages add up to the total work, at any clock', () => {
    for (const datapath of DATAPATH_NAMES) {
      const c = ctx({ datapath });
      for (const cost of [clientEgressCost(c, 'syn'), clientEgressCost(c, 'data'), clientIngressCost(c), remoteIngressCost(c, true)]) {
        for (const f of [1.2e9, 3.6e9]) {
          expect(stagedCostNs(cost, f) / workNs(cost.work, f, defaultWorkCostParams), datapath).toBeCloseTo(1, 12);
        }
      }
    }
  });

  it('each datapath is its components: lookup, conntrack and BPF strategies', () => {
    const names = DATAPATH_NAMES.map((d) => {
      const dp = ctx({ datapath: d }).datapath;
      return [dp.name, dp.lookup.name, dp.conntrack, dp.bpf === undefined ? 'no-bpf' : 'bpf'];
    });
    expect(names).toEqual([
      ['kube-proxy-iptables', 'kube-proxy-iptables', 'nf_conntrack', 'no-bpf'],
      ['kube-proxy-nftables', 'kube-proxy-nftables', 'nf_conntrack', 'no-bpf'],
      ['cilium-tc', 'cilium-tc', 'cilium-ct', 'bpf'],
      ['cilium-socket-lb', 'cilium-socket-lb', 'cilium-ct', 'bpf'],
    ]);
  });

  it('kube-proxy: nf_conntrack (x the new-entry factor on the SYN), no BPF; iptables SYN = nat walk + KUBE-FORWARD', () => {
    const c = ctx({ datapath: 'kube-proxy-iptables', services: 10_000 });
    const syn = clientEgressCost(c, 'syn');
    const data = clientEgressCost(c, 'data');
    const nf = nfConntrackPacketWork().cycles;
    expect(stage(data, 'conntrack')).toBeCloseTo(nf, 9);
    expect(stage(syn, 'conntrack')).toBeCloseTo(nf * c.params.costs.ctNewEntryCostFactor, 9);
    expect(stage(syn, 'bpf') + stage(data, 'bpf')).toBe(0);
    const lookupCtx = { servicePorts: 10_000, endpoints: 3 };
    const expected = addWork(c.datapath.lookup.firstPacketWork(lookupCtx), c.datapath.lookup.establishedPacketWork(lookupCtx));
    expect(stage(syn, 'lookup')).toBeCloseTo(expected.cycles, 6);
    expect(syn.serviceLookups).toBe(1);
    expect(data.serviceLookups).toBe(0);
    // The walk grows with #Services; nftables' does not.
    const more = clientEgressCost(ctx({ datapath: 'kube-proxy-iptables', services: 20_000 }), 'syn');
    expect(stagedCostNs(more, 3.6e9)).toBeGreaterThan(stagedCostNs(syn, 3.6e9));
    const nft = (s: number) => stagedCostNs(clientEgressCost(ctx({ datapath: 'kube-proxy-nftables', services: s }), 'syn'), 3.6e9);
    expect(nft(20_000)).toBe(nft(10_000));
  });

  it('cilium-socket-lb: no Service lookup on any packet, the translation once at connect(); cilium-tc looks up on every client->Service packet', () => {
    const s = ctx({ datapath: 'cilium-socket-lb' });
    for (const cost of [clientEgressCost(s, 'syn'), clientEgressCost(s, 'data'), clientEgressCost(s, 'fin'), clientIngressCost(s)]) {
      expect(stage(cost, 'lookup')).toBe(0);
      expect(cost.serviceLookups).toBe(0);
    }
    const conn = connectCost(s);
    expect(stage(conn, 'connect')).toBeGreaterThan(0);
    expect(conn.connectTranslations).toBe(1);
    const t = ctx({ datapath: 'cilium-tc' });
    expect(clientEgressCost(t, 'data').serviceLookups).toBe(1);
    expect(stage(clientEgressCost(t, 'data'), 'lookup')).toBeGreaterThan(0);
    expect(stage(connectCost(t), 'connect')).toBe(0);
    // CT: tc looks up the service entry and the flow's entry, socket-LB the flow's only.
    const one = ciliumCtLookupWork(CT_CAPACITY, CT_ENTRIES);
    expect(stage(clientEgressCost(s, 'data'), 'conntrack')).toBeCloseTo(one.cycles, 9);
    expect(stage(clientEgressCost(t, 'data'), 'conntrack')).toBeCloseTo(scaleWork(one, t.params.cilium.tcCtLookupsPerServicePacket).cycles, 9);
  });

  it('Cilium packets into the pod skip the veth hop (bpf_redirect_peer); kube-proxy packets cross it', () => {
    const veth = pathModelParams().costs.vethHopCycles;
    const kp = stage(clientIngressCost(ctx({ datapath: 'kube-proxy-nftables' })), 'stack');
    const ci = stage(clientIngressCost(ctx({ datapath: 'cilium-tc' })), 'stack');
    expect(kp - ci).toBeCloseTo(veth, 9);
  });

  it('bpf-lb-map-max is raised to a power of two that holds 1 + N entries per Service', () => {
    expect(ciliumLbMapMaxEntries(1000, 3)).toBe(65_536);
    const big = ciliumLbMapMaxEntries(30_000, 3);
    expect(big).toBe(htabBucketCount(120_000));
    expect(big).toBeGreaterThanOrEqual(120_000);
  });
});
