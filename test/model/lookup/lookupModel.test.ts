import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  LOOKUP_MODEL_NAMES,
  lookupModel,
  ciliumTcLookup,
  lookupWorkNs,
  bpfMapOccupancyFraction,
  ciliumServiceMapEntries,
  defaultCiliumServiceLookupParams,
  type LookupContext,
} from '../../../model/lookup/index.ts';
import { mapLookupWork } from '../../../model/ebpf/index.ts';
import { addWork, scaleWork } from '../../../model/cpu/index.ts';

// Maps big enough for 30k Services (the default bpf-lb-map-max of 65,536 holds far fewer).
const BIG = 1 << 20;
const bigService = { ...defaultCiliumServiceLookupParams, lbMapMaxEntries: BIG };
const bigMaps = ciliumTcLookup({ service: bigService });

describe('lookup strategies: invariants', () => {
  const ctx = (servicePorts: number, endpoints = 3): LookupContext => ({ servicePorts, endpoints });

  it('more Services never make iptables faster; iptables grows by orders of magnitude from 5k to 30k', () => {
    const ipt = lookupModel('kube-proxy-iptables');
    const sizes = [100, 1000, 5000, 10_000, 30_000];
    const costs = sizes.map((s) => ipt.firstPacketNs(ctx(s)));
    for (let i = 1; i < costs.length; i++) expect(costs[i]).toBeGreaterThan(costs[i - 1]!);
    expect(costs[4]! / costs[2]!).toBeGreaterThan(6);
  });

  it('nftables is flat in #Services, first packet and established', () => {
    const nft = lookupModel('kube-proxy-nftables');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 50 }), (a, b, n) => {
        expect(nft.firstPacketNs(ctx(a, n))).toBe(nft.firstPacketNs(ctx(b, n)));
        expect(nft.establishedPacketNs(ctx(a, n))).toBe(nft.establishedPacketNs(ctx(b, n)));
      }),
    );
  });

  it('Cilium tc depends on #Services only through the maps\' fill: bounded by the full maps, a tiny rise next to iptables', () => {
    const cost = (s: number): number => bigMaps.firstPacketNs(ctx(s));
    // The same lookups in completely full maps of the same size (model/ebpf's map cost).
    const p = bigService;
    const full = (key: number, value: number) => mapLookupWork({ kind: 'hash', maxEntries: BIG, entries: BIG, keyBytes: key, valueBytes: value });
    const fullNs = lookupWorkNs(
      addWork(scaleWork(full(p.serviceKeyBytes, p.serviceValueBytes), p.newConnectionServiceLookups), scaleWork(full(p.backendKeyBytes, p.backendValueBytes), p.backendLookups)),
    );
    for (const s of [1, 5000, 10_000, 30_000, 200_000]) expect(cost(s)).toBeLessThanOrEqual(fullNs);
    // From 5k to 30k Services: a few ns, against about 230 microseconds for iptables.
    const ipt = lookupModel('kube-proxy-iptables');
    const bpfRise = cost(30_000) - cost(5000);
    const iptRise = ipt.firstPacketNs(ctx(30_000)) - ipt.firstPacketNs(ctx(5000));
    expect(bpfRise).toBeGreaterThanOrEqual(0);
    expect(bpfRise / iptRise).toBeLessThan(1e-3);
  });

  it('socket-LB does no per-packet service lookup: zero on every packet, the translation at connect()', () => {
    const sock = lookupModel('cilium-socket-lb');
    const tc = ciliumTcLookup();
    expect(sock.perPacketServiceLookup).toBe(false);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 10 }), (s, n) => {
        expect(sock.firstPacketNs(ctx(s, n))).toBe(0);
        expect(sock.establishedPacketNs(ctx(s, n))).toBe(0);
        expect(sock.connectNs(ctx(s, n))).toBe(tc.firstPacketNs(ctx(s, n)));
        expect(sock.connectNs(ctx(s, n))).toBeGreaterThan(0);
      }),
    );
  });

  it('only socket-LB charges connect(); every model has a name from the list', () => {
    for (const name of LOOKUP_MODEL_NAMES) {
      const m = lookupModel(name);
      expect(m.name).toBe(name);
      if (name !== 'cilium-socket-lb') expect(m.connectNs(ctx(100))).toBe(0);
    }
  });

  it('Cilium refuses more service-map entries than bpf-lb-map-max, naming the map', () => {
    expect(ciliumServiceMapEntries(30_000, 3)).toBe(120_000);
    expect(() => lookupModel('cilium-tc').firstPacketNs(ctx(30_000))).toThrow(/cilium_lb4_services_v2: 120000 entries do not fit in max_entries = 65536/);
    expect(bpfMapOccupancyFraction(16_384, 65_536)).toBe(0.25);
    // A non-power-of-two max still gets a power-of-two bucket array.
    expect(bpfMapOccupancyFraction(50_000, 100_000)).toBeCloseTo(50_000 / 131_072, 12);
  });
});
