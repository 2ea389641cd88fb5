/**
 * The one calibration table: every default number of every component lives here exactly once.
 * Each domain keeps its rows in its own file (`<domain>Calibration.ts`); this module assembles them,
 * checks them, and is the only way components read a default (`calibrated(key)`).
 */
import { checkEntry, type CalibrationEntry } from './calibrationEntry.ts';
import { nicCalibration } from './nicCalibration.ts';
import { cpuCalibration } from './cpuCalibration.ts';
import { ebpfCalibration } from './ebpfCalibration.ts';
import { lookupCalibration } from './lookupCalibration.ts';
import { conntrackCalibration } from './conntrackCalibration.ts';
import { controlPlaneCalibration } from './controlPlaneCalibration.ts';
import { datapathCalibration } from './datapathCalibration.ts';
import { nodeCalibration } from './nodeCalibration.ts';
import { nodeScenarioCalibration } from './nodeScenarioCalibration.ts';
import { hypervisorCalibration } from './hypervisorCalibration.ts';

const domains: (readonly CalibrationEntry[])[] = [
  nicCalibration, cpuCalibration, ebpfCalibration, lookupCalibration, conntrackCalibration, controlPlaneCalibration, datapathCalibration, nodeCalibration, nodeScenarioCalibration,
  hypervisorCalibration,
];

export const calibrationTable: readonly CalibrationEntry[] = Object.freeze(domains.flat());

const byKey = new Map<string, CalibrationEntry>();
for (const e of calibrationTable) {
  checkEntry(e);
  if (byKey.has(e.key)) throw new Error(`calibration entry "${e.key}" is defined twice`);
  byKey.set(e.key, e);
}

/** The entry for `key`; throws naming the key when there is none. */
export function calibrationEntry(key: string): CalibrationEntry {
  const e = byKey.get(key);
  if (e === undefined) throw new Error(`no calibration entry "${key}"`);
  return e;
}

/** The default value for `key`. */
export function calibrated(key: string): number {
  return calibrationEntry(key).value;
}

const provenance = new WeakMap<object, Readonly<Record<string, string>>>();

/**
 * Builds a component's default params from the table: each numeric field names its calibration
 * key; `extras` holds the non-numeric fields (modes, names). The result is frozen and remembers
 * where each number came from, which `test/model/calibration.test.ts` checks for every default.
 *
 * @example
 * export const defaultNicParams = calibratedParams({ wireOverheadBytes: 'nic.wireOverheadBytes' });
 */
export function calibratedParams<K extends string, E extends object = {}>(
  keys: Readonly<Record<K, string>>,
  extras?: E,
): Readonly<Record<K, number> & E> {
  const out: Record<string, unknown> = { ...(extras ?? {}) };
  for (const field of Object.keys(keys) as K[]) out[field] = calibrated(keys[field]);
  Object.freeze(out);
  provenance.set(out, Object.freeze({ ...keys }));
  return out as Record<K, number> & E;
}

/** For a default built by `calibratedParams`: field -> calibration key. */
export function paramsProvenance(params: object): Readonly<Record<string, string>> | undefined {
  return provenance.get(params);
}
