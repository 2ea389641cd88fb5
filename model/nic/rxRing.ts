/**
 * A NIC receive ring: a bounded FIFO of descriptors (the engine's FifoQueue with a size check; no
 * Store, since nothing ever waits on a ring: the NIC drops, the driver polls). A packet that finds
 * the ring full is dropped (drop-tail: the NIC has nowhere to DMA it; rx_missed / rx_out_of_buffer).
 * The ring holds packets the NIC has written and the driver has not yet taken; a packet the driver
 * is processing has left it, so the ring plus one packet in service is an M/G/1/(ring+1) system.
 */
import type { Simulation } from '../engine/index.ts';
import { FifoQueue } from '../engine/fifoQueue.ts';
import { calibratedParams } from '../calibration/index.ts';

export type NicDriver = 'ixgbe' | 'mlx5' | 'ena' | 'virtio' | 'gve' | 'vmxnet3';

export const NIC_DRIVERS: readonly NicDriver[] = ['ixgbe', 'mlx5', 'ena', 'virtio', 'gve', 'vmxnet3'];

export interface RxRingParams {
  /** Descriptors in the ring (ethtool -g "RX"). */
  readonly ringSizePackets: number;
}

/** ixgbe (Intel 82599/X540 10 GbE): 512. */
export const defaultIxgbeRxRingParams: RxRingParams = calibratedParams({ ringSizePackets: 'nic.ixgbe.rxRingSizePackets' });
/** mlx5 (NVIDIA ConnectX): 1024. */
export const defaultMlx5RxRingParams: RxRingParams = calibratedParams({ ringSizePackets: 'nic.mlx5.rxRingSizePackets' });
/** ENA (AWS): 1024. */
export const defaultEnaRxRingParams: RxRingParams = calibratedParams({ ringSizePackets: 'nic.ena.rxRingSizePackets' });
/** QEMU virtio-net: 256. */
export const defaultVirtioRxRingParams: RxRingParams = calibratedParams({ ringSizePackets: 'nic.virtio.rxRingSizePackets' });
/** gVNIC: set by the device (assumption 1024). */
export const defaultGvnicRxRingParams: RxRingParams = calibratedParams({ ringSizePackets: 'nic.gvnic.ringSizePackets' });
/** VMXNET3: 1024. */
export const defaultVmxnet3RxRingParams: RxRingParams = calibratedParams({ ringSizePackets: 'nic.vmxnet3.rxRingSizePackets' });

/** The default ring of `driver`. */
export function rxRingParamsFor(driver: NicDriver): RxRingParams {
  switch (driver) {
    case 'ixgbe': return defaultIxgbeRxRingParams;
    case 'mlx5': return defaultMlx5RxRingParams;
    case 'ena': return defaultEnaRxRingParams;
    case 'virtio': return defaultVirtioRxRingParams;
    case 'gve': return defaultGvnicRxRingParams;
    case 'vmxnet3': return defaultVmxnet3RxRingParams;
    default: throw new RangeError(`driver must be one of ${NIC_DRIVERS.join(', ')}, got "${String(driver)}"`);
  }
}

export class RxRing<T> {
  readonly ringSizePackets: number;
  /** Packets accepted into the ring since the last reset. */
  acceptedPackets = 0;
  /** Packets dropped because the ring was full, since the last reset. */
  droppedPackets = 0;
  private readonly slots: FifoQueue<T>;

  constructor(readonly sim: Simulation, readonly params: RxRingParams, name = 'rx-ring') {
    const n = params.ringSizePackets;
    if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`${name}: ringSizePackets must be a positive integer, got ${n}`);
    this.ringSizePackets = n;
    // Sized once for the whole ring: the queue never grows.
    this.slots = new FifoQueue<T>(2 ** Math.ceil(Math.log2(n)));
  }

  /** The NIC writes `pkt` into the ring; false (and a drop counted) when the ring is full. */
  arrive(pkt: T): boolean {
    if (this.slots.length >= this.ringSizePackets) {
      this.droppedPackets++;
      return false;
    }
    this.slots.push(pkt);
    this.acceptedPackets++;
    return true;
  }

  /** The driver takes the oldest packet; undefined when the ring is empty. */
  take(): T | undefined {
    return this.slots.shift();
  }

  /** Packets waiting in the ring now. */
  get size(): number {
    return this.slots.length;
  }

  /** Drops / offered since the last reset (NaN before any arrival). */
  get dropFraction(): number {
    const offered = this.acceptedPackets + this.droppedPackets;
    return offered === 0 ? NaN : this.droppedPackets / offered;
  }

  resetStats(): void {
    this.acceptedPackets = 0;
    this.droppedPackets = 0;
  }
}
