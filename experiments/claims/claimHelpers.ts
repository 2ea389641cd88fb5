/**
 * Short constructors for the claim files (q1PacketPath.ts ... q8KernelMemory.ts), so each claim
 * reads as its quote, its value, its measures and its rule; and `shown`, which prints a measure's
 * value inside an explanation.
 */
import type { ParamValue } from '../lib/defineExperiment.ts';
import type { CalibrationMeasure, ClaimedValue, ExperimentMeasure, FactMeasure, Measured, RatioMeasure } from './claimTypes.ts';
import { formatInterval, formatRange } from './rules.ts';

export function fromExperiment(
  experiment: string,
  metric: string,
  where: Readonly<Record<string, ParamValue>>,
  unit: string,
  label: string,
  options: { stat?: 'mean' | 'max'; factor?: number } = {},
): ExperimentMeasure {
  return { kind: 'experiment', experiment, metric, where, unit, label, ...options };
}

export function ratioOf(numerator: ExperimentMeasure, denominator: ExperimentMeasure, label: string): RatioMeasure {
  return { kind: 'ratio', numerator, denominator, unit: '×', label };
}

export function fromCalibration(key: string, label: string, options: { factor?: number; unit?: string } = {}): CalibrationMeasure {
  return { kind: 'calibration', key, label, ...options };
}

export function fromFact(key: string): FactMeasure {
  return { kind: 'fact', key };
}

export function claimedRange(low: number, high: number, unit: string, text = formatRange(low, high, unit)): ClaimedValue {
  return { kind: 'range', low, high, unit, text };
}

export function claimedValue(value: string | number | boolean, text = String(value)): ClaimedValue {
  return { kind: 'value', value, text };
}

export function statement(text: string): ClaimedValue {
  return { kind: 'statement', text };
}

/** A measure's value in words for an explanation ("20.1 µs [19.9, 20.3]"), or a placeholder. */
export function shown(measures: Readonly<Record<string, Measured>>, name: string): string {
  const m = measures[name];
  if (m === undefined) return '(not measured yet)';
  if (m.kind === 'fact') return String(m.record.value);
  return formatInterval(m.interval, m.unit);
}

/** The mean of a numeric measure, or NaN when it is not there. */
export function meanOf(measures: Readonly<Record<string, Measured>>, name: string): number {
  const m = measures[name];
  return m !== undefined && m.kind === 'number' ? m.interval.mean : NaN;
}
