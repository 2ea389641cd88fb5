/** findCapacity: the bracket it returns is consistent, the search is deterministic and monotone in the SLO. */
import { describe, expect, it } from 'vitest';
import { calibrated } from '../../../model/calibration/index.ts';
import { datapathSpec, findCapacity, simulatePath, capacityRunSpec, CAPACITY_SEARCH_DEFAULTS } from '../../../model/datapaths/index.ts';

const spec = datapathSpec({ datapath: 'cilium-socket-lb', services: 100, cores: 1 });
const options = { targetConnections: 300 };
// SLOs relative to the first-packet p99 of a lightly loaded run (the model's floor), so the search has room above it.
const floorP99Us = simulatePath(capacityRunSpec(spec, 100, { ...CAPACITY_SEARCH_DEFAULTS, ...options }), 1).firstPacketRttUs.p99;
const SLO = Math.ceil(2 * floorP99Us);

describe('findCapacity', () => {
  it('brackets the answer: the highest passing run meets the SLO, the lowest failing one does not, within the tolerance', () => {
    const r = findCapacity(spec, { sloP99Us: SLO, seed: 1 }, options);
    expect(r.stoppedBy).toBe('tolerance');
    expect(r.lower!.pass).toBe(true);
    expect(r.lower!.firstPacketP99Us).toBeLessThanOrEqual(SLO);
    expect(r.lower!.dropFraction).toBeLessThan(1e-3);
    expect(r.upper!.pass).toBe(false);
    expect(r.upper!.connectionsPerSec / r.lower!.connectionsPerSec - 1).toBeLessThanOrEqual(0.02);
    expect(r.connectionsPerSec).toBe(r.lower!.connectionsPerSec);
    // The reported run is the one the search made at that rate.
    const again = simulatePath(capacityRunSpec(spec, r.connectionsPerSec, { ...CAPACITY_SEARCH_DEFAULTS, ...options }), 1);
    expect(again.firstPacketRttUs.p99).toBe(r.lower!.firstPacketP99Us);
    // Deterministic.
    expect(findCapacity(spec, { sloP99Us: SLO, seed: 1 }, options).runs).toEqual(r.runs);
  });

  it('a looser SLO never lowers the capacity; an impossible one gives 0', () => {
    const tight = findCapacity(spec, { sloP99Us: Math.ceil(1.5 * floorP99Us), seed: 2 }, options).connectionsPerSec;
    const loose = findCapacity(spec, { sloP99Us: 3 * SLO, seed: 2 }, options).connectionsPerSec;
    expect(loose).toBeGreaterThanOrEqual(tight);
    const impossible = findCapacity(spec, { sloP99Us: 1, seed: 2 }, options);
    expect(impossible.connectionsPerSec).toBe(0);
    expect(impossible.stoppedBy).toBe('min-rate');
  });
});


describe('findCapacity for kube-proxy: the conntrack table, not the CPU, sets it', () => {
  it('capacity ≈ nf_conntrack_max / (TIME_WAIT + connection lifetime): every closed connection holds its entry 120 s', () => {
    // A small table makes the bound low enough to search quickly; 10 requests keep a connection ~1 ms.
    const maxEntries = 12_000;
    const kp = datapathSpec({ datapath: 'kube-proxy-nftables', services: 100, cores: 2, conntrackMaxEntries: maxEntries, requestsPerConnection: 10 });
    const r = findCapacity(kp, { sloP99Us: 10_000, seed: 3 }, { targetConnections: 300 });
    const timeWaitSec = calibrated('conntrack.nfTcpTimeWaitTimeoutSec');
    const bound = maxEntries / timeWaitSec;
    expect(r.upper!.mainDropCause).toBe('conntrack-full');
    // Within the search tolerance plus the connection lifetime (ms against 120 s) of the bound.
    expect(Math.abs(r.connectionsPerSec / bound - 1)).toBeLessThan(0.03);
    // Cilium's LRU evicts instead of refusing: the same table does not limit it there.
    const cilium = findCapacity({ ...kp, datapath: 'cilium-tc' }, { sloP99Us: 10_000, seed: 3 }, { targetConnections: 300, maxRatePerSec: 4 * bound });
    expect(cilium.connectionsPerSec).toBeGreaterThan(2 * bound);
  });
});
