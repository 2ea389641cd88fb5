/**
 * pathRunSpec: a run is the spec's length unless the rate would make it longer than the packet
 * budget; a shortened run fits the budget exactly (at the fewest packets a connection can
 * exchange), never lengthens, and keeps its warm-up within the window.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { datapathSpec, minPacketsPerConnection, pathRunSpec, simulatePath, PATH_PACKET_BUDGET } from '../../../model/datapaths/index.ts';

describe('pathRunSpec', () => {
  it('never lengthens a run; a shortened one fits the budget at the fewest packets per connection (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e7, noNaN: true }), fc.integer({ min: 1, max: 100_000 }), (connectionsPerSec, requestsPerConnection) => {
        const spec = datapathSpec({ connectionsPerSec, requestsPerConnection });
        const run = pathRunSpec(spec);
        const windowSec = run.durationSec - run.warmupSec;
        const fullWindowSec = spec.durationSec - spec.warmupSec;
        expect(windowSec).toBeLessThanOrEqual(fullWindowSec);
        expect(run.warmupSec).toBeLessThanOrEqual(Math.min(spec.warmupSec, windowSec));
        const packets = connectionsPerSec * windowSec * minPacketsPerConnection(requestsPerConnection);
        expect(packets).toBeLessThanOrEqual(PATH_PACKET_BUDGET * (1 + 1e-9));
        if (windowSec < fullWindowSec) expect(packets).toBeCloseTo(PATH_PACKET_BUDGET, 3);
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('the default workload is not shortened; a run shortened to a small budget offers about that many packets in its window', () => {
    const spec = datapathSpec({ datapath: 'cilium-socket-lb' });
    expect(pathRunSpec(spec)).toEqual({ ...spec });
    const budget = 20_000;
    const fast = datapathSpec({ datapath: 'cilium-socket-lb', connectionsPerSec: 20_000 });
    const r = simulatePath(pathRunSpec(fast, budget), 1);
    // Poisson arrivals: the window's count is within a few percent of its mean.
    expect(r.dropFraction).toBe(0);
    expect(Math.abs(r.packets.offered / budget - 1)).toBeLessThan(0.1);
  });

  it('a connection exchanges at least SYN, SYN-ACK, FIN, FIN-ACK and a segment each way per request', () => {
    expect(minPacketsPerConnection(1)).toBe(6);
    expect(minPacketsPerConnection(200)).toBe(404);
    expect(() => pathRunSpec(datapathSpec(), 0)).toThrow(/packetBudget must be a number > 0, got 0/);
  });
});
