/**
 * One row of the calibration table: a default number with its unit, its source and how much to
 * trust it. The labels:
 * - sourced: the source states this value (a default in code, a documented setting, a measured
 *   figure); `source` names the document or repository file, and the commit or section.
 * - derived: computed from sourced values (summed from a struct layout, divided out of a measured
 *   rate, read off a chart); `source` names the inputs' sources, `derivation` the arithmetic.
 * - assumption: no source gives the value; `range` is a plausible [low, high] to sweep, and
 *   `source` says where the typical value comes from or what was looked for and not found.
 * `source` names a primary source (repository + file + commit or section, a paper and section, an
 * RFC, a URL) and, where useful, the section of docs/sources.md that collects it.
 */

export type CalibrationLabel = 'sourced' | 'derived' | 'assumption';

export interface CalibrationEntry {
  /** Dotted key, `<component>.<quantityWithUnit>`, e.g. `nic.wireOverheadBytes`. */
  readonly key: string;
  readonly value: number;
  /** Unit of `value`, e.g. `B`, `ns`, `entries`, `fraction`, `s`, `Hz`. */
  readonly unit: string;
  readonly label: CalibrationLabel;
  /** Primary source and section, e.g. "IEEE 802.3 clause 4.4.2 (interPacketGap); docs/sources.md#ethernet-framing". */
  readonly source: string;
  /** For `derived`: how it was computed. */
  readonly derivation?: string;
  /** For `assumption` (required) and optionally others: plausible [low, high] in `unit`. */
  readonly range?: readonly [number, number];
  /** One sentence on what the number means in the model. */
  readonly meaning: string;
}

/** Validates one entry; throws naming the key and the field that is wrong. */
export function checkEntry(e: CalibrationEntry): void {
  const where = `calibration entry "${e.key}"`;
  if (!/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/.test(e.key)) throw new Error(`${where}: key must look like component.quantityUnit`);
  if (!Number.isFinite(e.value)) throw new Error(`${where}: value must be a finite number, got ${e.value}`);
  if (!e.unit) throw new Error(`${where}: unit is required`);
  if (!e.source) throw new Error(`${where}: source is required`);
  if (!e.meaning) throw new Error(`${where}: meaning is required`);
  if (e.label === 'derived' && !e.derivation) throw new Error(`${where}: a derived entry must say how (derivation)`);
  if (e.label === 'assumption' && !e.range) throw new Error(`${where}: an assumption must give a range`);
  if (e.range && !(e.range[0] <= e.value && e.value <= e.range[1])) {
    throw new Error(`${where}: value ${e.value} lies outside its range [${e.range[0]}, ${e.range[1]}]`);
  }
}
