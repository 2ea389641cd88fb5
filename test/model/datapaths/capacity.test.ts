/** findCapacity: the bracket it returns is consistent, the search is deterministic and monotone in the SLO. */
import { describe, expect, it } from 'vitest';
import { datapathSpec, findCapacity, simulatePath, capacityRunSpec, CAPACITY_SEARCH_DEFAULTS } from '../../../model/datapaths/index.ts';

const spec = datapathSpec({ datapath: 'cilium-socket-lb', services: 100, cores: 1 });
const options = { targetConnections: 300 };

describe('findCapacity', () => {
  it('brackets the answer: the highest passing run meets the SLO, the lowest failing one does not, within the tolerance', () => {
    const r = findCapacity(spec, { sloP99Us: 40, seed: 1 }, options);
    expect(r.stoppedBy).toBe('tolerance');
    expect(r.lower!.pass).toBe(true);
    expect(r.lower!.firstPacketP99Us).toBeLessThanOrEqual(40);
    expect(r.lower!.dropFraction).toBeLessThan(1e-3);
    expect(r.upper!.pass).toBe(false);
    expect(r.upper!.connectionsPerSec / r.lower!.connectionsPerSec - 1).toBeLessThanOrEqual(0.02);
    expect(r.connectionsPerSec).toBe(r.lower!.connectionsPerSec);
    // The reported run is the one the search made at that rate.
    const again = simulatePath(capacityRunSpec(spec, r.connectionsPerSec, { ...CAPACITY_SEARCH_DEFAULTS, ...options }), 1);
    expect(again.firstPacketRttUs.p99).toBe(r.lower!.firstPacketP99Us);
    // Deterministic.
    expect(findCapacity(spec, { sloP99Us: 40, seed: 1 }, options).runs).toEqual(r.runs);
  });

  it('a looser SLO never lowers the capacity; an impossible one gives 0', () => {
    const tight = findCapacity(spec, { sloP99Us: 30, seed: 2 }, options).connectionsPerSec;
    const loose = findCapacity(spec, { sloP99Us: 60, seed: 2 }, options).connectionsPerSec;
    expect(loose).toBeGreaterThanOrEqual(tight);
    const impossible = findCapacity(spec, { sloP99Us: 1, seed: 2 }, options);
    expect(impossible.connectionsPerSec).toBe(0);
    expect(impossible.stoppedBy).toBe('min-rate');
  });
});

