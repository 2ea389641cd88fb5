/**
 * virtio-net with a vhost-net backend. Each queue pair is served on the host by one vhost thread,
 * a serial server taking (per-packet + per-byte x frame) x noisy-neighbour factor per packet: that
 * stage caps a queue at about 1 Mpps with short frames (2013 socket-level figure), whatever the
 * guest's NIC "speed". Multiqueue gives one queue pair per vCPU; without it there is one queue,
 * which does not scale with vCPUs. The guest RX virtqueue holds 256 descriptors (QEMU default).
 */
import { calibratedParams } from '../calibration/index.ts';
import { nsPerEventToRatePerSec } from '../units.ts';

export interface VirtioNetParams {
  /** Guest RX virtqueue size. Default 256. */
  readonly ringSizePackets: number;
  /** vhost time per packet, ns. Default 955 (assumption derived from Rizzo et al.). */
  readonly vhostPerPacketNs: number;
  /** vhost copy time per frame byte, ns/B. Default 0.696 (assumption derived from Rizzo et al.). */
  readonly vhostPerByteNs: number;
  /** Multiplier for host contention on the vhost core (1 = dedicated). Assumption 1 (1-3). */
  readonly noisyNeighbourFactor: number;
  /** Packets that may wait for the vhost thread before the host drops (tap queue). Assumption 1000. */
  readonly hostBacklogPackets: number;
}

export const defaultVirtioNetParams: VirtioNetParams = calibratedParams({
  ringSizePackets: 'nic.virtio.rxRingSizePackets',
  vhostPerPacketNs: 'nic.virtio.vhostPerPacketNs',
  vhostPerByteNs: 'nic.virtio.vhostPerByteNs',
  noisyNeighbourFactor: 'nic.virtio.noisyNeighbourFactor',
  hostBacklogPackets: 'nic.virtio.hostBacklogPackets',
});

/** Queue pairs: one per vCPU with multiqueue, else one. */
export function virtioQueueCount(vcpuCount: number, multiqueue: boolean): number {
  if (!(Number.isInteger(vcpuCount) && vcpuCount >= 1)) throw new RangeError(`vcpuCount must be a positive integer, got ${vcpuCount}`);
  return multiqueue ? vcpuCount : 1;
}

/** Host vhost time for one frame of `frameBytes`, ns. */
export function vhostServiceNs(frameBytes: number, p: VirtioNetParams = defaultVirtioNetParams): number {
  if (!(frameBytes > 0) || !Number.isFinite(frameBytes)) throw new RangeError(`frameBytes must be a finite number > 0, got ${frameBytes}`);
  if (!(p.noisyNeighbourFactor >= 1)) throw new RangeError(`noisyNeighbourFactor must be >= 1, got ${p.noisyNeighbourFactor}`);
  return (p.vhostPerPacketNs + p.vhostPerByteNs * frameBytes) * p.noisyNeighbourFactor;
}

/** Most packets per second one queue pair's vhost thread can move, pps. */
export function virtioQueueCapacityPps(frameBytes: number, p: VirtioNetParams = defaultVirtioNetParams): number {
  return nsPerEventToRatePerSec(vhostServiceNs(frameBytes, p));
}
