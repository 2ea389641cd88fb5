import { describe, expect, it } from 'vitest';
import { RandomStreams, exponential, confidenceInterval } from '../../../model/engine/index.ts';
import {
  NicTx, physical10gNic, physical25gNic, virtioNic, serializationNs, defaultEthernetFramingParams, txQueueParamsFor,
  defaultIxgbeTxQueueParams, defaultMlx5TxQueueParams, defaultEnaTxQueueParams, defaultVirtioTxQueueParams, vhostServiceNs,
  defaultVirtioNetParams,
} from '../../../model/nic/index.ts';
import { calibrated } from '../../../model/calibration/index.ts';
import { md1kBlocking, mm1kBlocking } from './queueTheory.ts';

const FRAME = 1518;

/** Poisson arrivals of fixed-size frames into one queue; returns the qdisc's drop fraction. */
function dropFraction(tx: NicTx, rho: number, frames: number, replication: number): number {
  const serviceNs = tx.nic.frameServiceNs(FRAME);
  const gap = exponential(serviceNs / rho).sampler(new RandomStreams(11, replication).stream('tx-arrivals'));
  let tNs = 0;
  for (let i = 0; i < frames; i++) {
    tNs += gap();
    tx.send(0, FRAME, tNs);
  }
  return tx.droppedPackets / frames;
}

describe('NicTx', () => {
  it('default TX rings per driver (ixgbe 512, mlx5 1024, ENA 1024, virtio 256) and a qdisc limit of txqueuelen 1000', () => {
    expect(defaultIxgbeTxQueueParams.ringSizePackets).toBe(512);
    expect(defaultMlx5TxQueueParams.ringSizePackets).toBe(1024);
    expect(defaultEnaTxQueueParams.ringSizePackets).toBe(1024);
    expect(defaultVirtioTxQueueParams.ringSizePackets).toBe(256);
    expect(txQueueParamsFor('ena')).toBe(defaultEnaTxQueueParams);
    expect(defaultIxgbeTxQueueParams.qdiscLimitPackets).toBe(calibrated('nic.qdiscLimitPackets'));
    expect(physical10gNic().txQueue).toBe(defaultIxgbeTxQueueParams);
    expect(physical25gNic().txQueue).toBe(defaultMlx5TxQueueParams);
    expect(virtioNic().txQueue).toBe(defaultVirtioTxQueueParams);
    expect(() => txQueueParamsFor('e1000' as never)).toThrow(/ixgbe, mlx5, ena, virtio/);
  });

  it('back-to-back frames leave one wire time apart: 10 GbE sends 1518 B frames at 0.8127 Mpps', () => {
    const tx = new NicTx(physical10gNic(), 4);
    const done = Array.from({ length: 100 }, () => tx.send(0, FRAME, 0));
    const wireNs = serializationNs(10e9, FRAME, defaultEthernetFramingParams);
    expect(wireNs).toBeCloseTo(((FRAME + 20) * 8) / 10, 9);
    done.forEach((d, i) => expect(d).toBeCloseTo((i + 1) * wireNs, 6));
    // 100 frames in (100 x wire time): the sourced 0.8127 Mpps line rate.
    expect(100 / (done[99]! * 1e-9) / 1e6).toBeCloseTo(0.8127, 3);
  });

  it('a burst beyond ring + qdisc limit is dropped by the qdisc, exactly the excess', () => {
    const tx = new NicTx(physical10gNic(), 2, { ringSizePackets: 8, qdiscLimitPackets: 5 });
    const results = Array.from({ length: 20 }, () => tx.send(1, FRAME, 0));
    expect(results.filter((d) => d < 0)).toHaveLength(20 - 13);
    expect(results.slice(0, 13).every((d) => d > 0)).toBe(true);
    expect(tx.droppedPackets).toBe(7);
    expect(tx.sentPackets).toBe(13);
    // As frames leave, room comes back one frame per wire time.
    const wireNs = physical10gNic().frameServiceNs(FRAME);
    expect(tx.queuedPackets(1, 0)).toBe(13);
    expect(tx.queuedPackets(1, 3 * wireNs + 1)).toBe(10);
    expect(tx.send(1, FRAME, 3 * wireNs + 1)).toBeCloseTo(14 * wireNs, 6);
    expect(tx.queuedPackets(1, 1e9)).toBe(0);
  });

  it('physical queues share the wire; virtio queues each have their own vhost thread', () => {
    const wire = new NicTx(physical10gNic(), 4);
    const a = wire.send(0, FRAME, 0);
    const b = wire.send(1, FRAME, 0);
    expect(b).toBeCloseTo(2 * a, 6);
    const virtio = new NicTx(virtioNic(), 4);
    const c = virtio.send(0, FRAME, 0);
    const d = virtio.send(1, FRAME, 0);
    expect(c).toBeCloseTo(vhostServiceNs(FRAME, defaultVirtioNetParams), 9);
    expect(d).toBe(c);
    // Each queue's limit is its own: filling queue 0 does not drop on queue 1.
    const small = new NicTx(physical10gNic(), 2, { ringSizePackets: 1, qdiscLimitPackets: 0 });
    expect(small.send(0, FRAME, 0)).toBeGreaterThan(0);
    expect(small.send(0, FRAME, 0)).toBe(-1);
    expect(small.send(1, FRAME, 0)).toBeGreaterThan(0);
  });

  it('XPS: core c sends on queue c mod queues', () => {
    const tx = new NicTx(physical25gNic(), 3);
    expect([0, 1, 2, 3, 4, 7].map((c) => tx.queueForCore(c))).toEqual([0, 1, 2, 0, 1, 1]);
  });

  it.each([
    [0.9, 4, 4],
    [1.2, 6, 2],
    [1.0, 16, 16],
  ])('at load %d with ring %d + qdisc %d, the drop fraction is M/D/1/K blocking with K = ring + qdisc', (rho, ring, qdisc) => {
    const drops = Array.from({ length: 8 }, (_, rep) => dropFraction(new NicTx(physical10gNic(), 1, { ringSizePackets: ring, qdiscLimitPackets: qdisc }), rho, 40_000, rep));
    const ci = confidenceInterval(drops, 0.99);
    const serviceNs = physical10gNic().frameServiceNs(FRAME);
    const theory = md1kBlocking(rho / serviceNs, serviceNs, ring + qdisc);
    expect(Math.abs(ci.mean - theory)).toBeLessThan(Math.max(ci.halfWidth, 0.002));
    expect(theory).toBeLessThan(mm1kBlocking(rho / serviceNs, serviceNs, ring + qdisc));
  });

  it('rejects a bad queue, queue count or limits with the field and the value', () => {
    expect(() => new NicTx(physical10gNic(), 0)).toThrow(/queueCount must be a positive integer, got 0/);
    expect(() => new NicTx(physical10gNic(), 1, { ringSizePackets: 0, qdiscLimitPackets: 1 })).toThrow(/ringSizePackets .* got 0/);
    expect(() => new NicTx(physical10gNic(), 1, { ringSizePackets: 4, qdiscLimitPackets: -1 })).toThrow(/qdiscLimitPackets .* got -1/);
    expect(() => new NicTx(physical10gNic(), 2).send(2, FRAME, 0)).toThrow(/queue must be an integer in \[0, 1\], got 2/);
  });
});
