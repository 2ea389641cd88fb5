/**
 * What a bulk-throughput run simulates: F long-lived TCP flows from client pods on one node to
 * backends behind a ClusterIP Service on another node of the same preset, through one datapath,
 * for a duration; and the calibrated numbers of the workload (segmentation offloads, ACKs, the
 * receive window). The node's CPU, NIC, kernel and datapath are a DatapathSpec (the same one
 * simulatePath takes), built from the preset, so every per-packet cost is the datapath model's.
 */
import { calibratedParams } from '../calibration/index.ts';
import type { GovernorName } from '../cpu/governor.ts';
import { datapathSpec, type DatapathName, type DatapathSpec } from '../datapaths/datapathSpec.ts';
import { SEC_PER_MIN } from '../units.ts';
import { nodePreset, type NodePreset, type NodePresetName } from './nodePreset.ts';

export interface BulkModelParams {
  /** Largest TSO/GSO packet (gso_max_size), B. */
  readonly gsoMaxBytes: number;
  /** Largest GRO aggregate (gro_max_size), B. */
  readonly groMaxBytes: number;
  /** Receiver GRO aggregate / sender TSO packet, in segments. */
  readonly groFramesPerAggregateFraction: number;
  /** Per wire frame on a physical receiver: skb build and GRO merge, cycles. */
  readonly groPerFrameCycles: number;
  /** Pure ACKs per received aggregate. */
  readonly acksPerAggregate: number;
  /** Bytes a flow may have in flight (tcp_rmem max), B. */
  readonly receiveWindowBytes: number;
}

export const defaultBulkModelParams: BulkModelParams = calibratedParams({
  gsoMaxBytes: 'node.bulk.gsoMaxBytes',
  groMaxBytes: 'node.bulk.groMaxBytes',
  groFramesPerAggregateFraction: 'node.bulk.groFramesPerAggregateFraction',
  groPerFrameCycles: 'node.bulk.groPerFrameCycles',
  acksPerAggregate: 'node.bulk.acksPerAggregate',
  receiveWindowBytes: 'node.bulk.receiveWindowBytes',
});

export function checkBulkModelParams(p: BulkModelParams): void {
  for (const k of ['gsoMaxBytes', 'groMaxBytes', 'acksPerAggregate', 'receiveWindowBytes'] as const) {
    if (!(p[k] > 0) || !Number.isFinite(p[k])) throw new RangeError(`${k} must be a finite number > 0, got ${p[k]}`);
  }
  if (!(p.groFramesPerAggregateFraction > 0 && p.groFramesPerAggregateFraction <= 1)) {
    throw new RangeError(`groFramesPerAggregateFraction must be in (0, 1], got ${p.groFramesPerAggregateFraction}`);
  }
  if (!(p.groPerFrameCycles >= 0) || !Number.isFinite(p.groPerFrameCycles)) throw new RangeError(`groPerFrameCycles must be a finite number >= 0, got ${p.groPerFrameCycles}`);
}

/** Most flows a run accepts (the fluid model groups them by queue; the bound keeps flow-id draws cheap). */
export const BULK_MAX_FLOWS = 1_000_000;
/** Most samples in a run's time series. */
export const BULK_MAX_SAMPLES = 100_000;

export interface BulkSpec {
  /** Both nodes (sender and receiver) are this preset. */
  readonly node: NodePreset;
  /** The datapath and the node as the datapath model sees it (cores, clock, NIC, governor, JIT, kernel, Services ...). */
  readonly path: DatapathSpec;
  readonly flows: number;
  readonly durationSec: number;
  /** Step of the time series, s. */
  readonly sampleSec: number;
}

export interface BulkSpecInput {
  readonly node: NodePresetName | NodePreset;
  readonly datapath: DatapathName;
  readonly flows: number;
  readonly durationSec: number;
  /** Default: a minute, or the whole run if shorter. */
  readonly sampleSec?: number;
  /** Default true. */
  readonly jit?: boolean;
  /** Default performance. */
  readonly governor?: GovernorName;
  /** Any other field of the node's DatapathSpec (services, kernelMajor, conntrackMaxEntries ...); the preset's cores, clock, RAM and NIC win unless given here. */
  readonly path?: Partial<DatapathSpec>;
}

/** The spec of a run; throws naming the field, the value and what is allowed. */
export function bulkSpec(input: BulkSpecInput): BulkSpec {
  const node = typeof input.node === 'string' ? nodePreset(input.node) : input.node;
  const path = datapathSpec({
    datapath: input.datapath,
    cores: node.cores,
    cpuFreqHz: node.cpuMaxFreqHz,
    nodeMemoryBytes: node.memoryBytes,
    nic: node.nic,
    ...(input.jit === undefined ? {} : { jit: input.jit }),
    ...(input.governor === undefined ? {} : { governor: input.governor }),
    ...input.path,
  });
  const spec: BulkSpec = {
    node,
    path,
    flows: input.flows,
    durationSec: input.durationSec,
    sampleSec: input.sampleSec ?? Math.min(SEC_PER_MIN, input.durationSec),
  };
  checkBulkSpec(spec);
  return Object.freeze(spec);
}

export function checkBulkSpec(s: BulkSpec): void {
  if (!(Number.isSafeInteger(s.flows) && s.flows >= 1 && s.flows <= BULK_MAX_FLOWS)) {
    throw new RangeError(`flows must be an integer in [1, ${BULK_MAX_FLOWS}], got ${s.flows}`);
  }
  if (!(s.durationSec > 0) || !Number.isFinite(s.durationSec)) throw new RangeError(`durationSec must be a finite number > 0, got ${s.durationSec}`);
  if (!(s.sampleSec > 0 && s.sampleSec <= s.durationSec)) throw new RangeError(`sampleSec must be in (0, durationSec = ${s.durationSec}], got ${s.sampleSec}`);
  if (Math.ceil(s.durationSec / s.sampleSec) > BULK_MAX_SAMPLES) {
    throw new RangeError(`durationSec / sampleSec must be at most ${BULK_MAX_SAMPLES} samples, got ${Math.ceil(s.durationSec / s.sampleSec)}`);
  }
  if (s.path.nic !== s.node.nic) throw new RangeError(`path.nic (${s.path.nic}) must be the preset's NIC (${s.node.nic}); change the preset's nic instead`);
}
