import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RssQueues, rssHash32, rssQueueForFlow } from '../../../model/nic/index.ts';

describe('RSS', () => {
  it('rssQueueForFlow is deterministic and in range (property)', () => {
    fc.assert(fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: 256 }), (flow, queues) => {
      const q = rssQueueForFlow(flow, queues);
      expect(q).toBe(rssQueueForFlow(flow, queues));
      expect(Number.isInteger(q) && q >= 0 && q < queues).toBe(true);
    }));
  });

  it('spreads 64k flows over 8 queues evenly (chi-square, 7 dof, p = 0.001 bound 24.3)', () => {
    const counts = new Array<number>(8).fill(0);
    const flows = 65_536;
    for (let f = 0; f < flows; f++) counts[rssQueueForFlow(f, 8)]!++;
    const expected = flows / 8;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(24.3);
  });

  it('rssHash32 separates ids that differ only above bit 32', () => {
    expect(rssHash32(5)).not.toBe(rssHash32(5 + 2 ** 32));
  });

  it('RssQueues pins queue q to core q mod cores by default, or to a given map', () => {
    const r = new RssQueues(6, 4);
    expect(r.queueToCore).toEqual([0, 1, 2, 3, 0, 1]);
    expect(new RssQueues(2, 4, undefined, [3, 1]).coreForQueue(0)).toBe(3);
    expect(() => new RssQueues(2, 4, undefined, [3, 4])).toThrow(/queueToCore/);
    expect(() => rssQueueForFlow(-1, 4)).toThrow(/flowId/);
  });

  it('all packets of one flow use one queue: one elephant flow loads one queue', () => {
    const r = new RssQueues(8, 8);
    const queues = new Set(Array.from({ length: 100 }, () => r.queueForFlow(42)));
    expect(queues.size).toBe(1);
  });
});
