/**
 * The two value formats of Kubernetes objects a profile needs: resource quantities
 * (k8s.io/apimachinery resource.Quantity: "8", "7910m", "32Gi", "32787676Ki", "1.5e9", "129M") and
 * Go durations ("1s", "10s", "1m30s", "500ms"). Both return null for text that is not one.
 */
import { BYTES_PER_KIB } from '../../model/units.ts';

// calibration-exempt-begin: the binary and SI suffixes of resource.Quantity, by definition
const BINARY_POWER: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
// calibration-exempt-end

/** A resource.Quantity as a number (cpu "7910m" = 7.91, memory "32Gi" = 34359738368), or null when malformed. */
export function parseQuantity(text: unknown): number | null {
  if (typeof text === 'number') return Number.isFinite(text) ? text : null;
  if (typeof text !== 'string') return null;
  const m = /^\s*(?<mantissa>[+-]?(?:\d+\.?\d*|\.\d+))(?:[eE](?<exponent>[+-]?\d+)|(?<binary>Ki|Mi|Gi|Ti|Pi|Ei)|(?<decimal>[numkMGTPE]?))\s*$/.exec(text);
  if (m === null) return null;
  const g = m.groups!;
  const mantissa = Number(g.mantissa);
  if (g.exponent !== undefined) return mantissa * 10 ** Number(g.exponent);
  if (g.binary !== undefined) return mantissa * BYTES_PER_KIB ** BINARY_POWER[g.binary]!;
  return mantissa * 10 ** DECIMAL_EXPONENT[g.decimal ?? '']!;
}

// calibration-exempt-begin: Go's duration units in seconds, by definition
const DURATION_UNIT_SEC: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
// calibration-exempt-end

/** A Go duration ("1m30s", "250ms", "0s") in seconds, or null when malformed. A bare number is seconds. */
export function parseGoDurationSec(text: unknown): number | null {
  if (typeof text === 'number') return Number.isFinite(text) ? text : null;
  if (typeof text !== 'string') return null;
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  if (t === '' || !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(t)) return null;
  let sec = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) sec += Number(m[1]) * DURATION_UNIT_SEC[m[2]!]!;
  return sec;
}
