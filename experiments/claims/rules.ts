/**
 * The rules that turn evidence into a verdict. Each rule is a sentence (shown beside its claim in
 * `svcpath claims` and the report) and the code that applies it; both are made by the same
 * function, so they cannot drift apart. Rules are pure: the same claimed value and measures give
 * the same verdict (test/experiments/claims/rules.test.ts checks each one flips the way its
 * sentence says when the evidence moves).
 */
import type { ClaimedValue, Interval, Measured, Rule, RuleOutcome } from './claimTypes.ts';
import type { FactRecord } from './factRecord.ts';

// --- intervals and formatting ----------------------------------------------------------------------

/** True when the closed intervals [aLow, aHigh] and [b.low, b.high] share a point. */
export function overlaps(aLow: number, aHigh: number, b: Interval): boolean {
  return aLow <= b.high && b.low <= aHigh;
}

/** The quotient of two positive intervals; a denominator that may reach 0 leaves the top open. */
export function ratioInterval(n: Interval, d: Interval): Interval {
  if (!(d.mean > 0)) throw new RangeError(`ratio: the denominator's mean must be > 0, got ${d.mean}`);
  return {
    low: n.low / d.high,
    mean: n.mean / d.mean,
    high: d.low > 0 ? n.high / d.low : Infinity,
  };
}

/** 3 significant digits, thousands separated; integers below 1e12 in full. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  const digits = 3; // calibration-exempt: presentation (significant digits shown)
  if (Number.isInteger(v) && abs < 1e12) return v.toLocaleString('en-US');
  if (abs >= 1e6 || abs < 1e-3) return v.toExponential(digits - 1).replace('e+', 'e');
  return Number(v.toPrecision(digits)).toLocaleString('en-US', { maximumSignificantDigits: digits });
}

/** "12.3 µs" or "12.3 µs [11.9, 12.7]" when the interval has width. */
export function formatInterval(i: Interval, unit: string): string {
  const u = unit ? ` ${unit}` : '';
  if (i.low === i.high) return `${formatNumber(i.mean)}${u}`;
  return `${formatNumber(i.mean)}${u} [${formatNumber(i.low)}, ${formatNumber(i.high)}]`;
}

/** "50–100 µs", "-95 to -80 %", "≥ 180 s", "≤ 0.1 s", "8,192". */
export function formatRange(low: number, high: number, unit: string): string {
  const u = unit ? ` ${unit}` : '';
  if (low === high) return `${formatNumber(low)}${u}`;
  if (high === Infinity) return `≥ ${formatNumber(low)}${u}`;
  if (low === -Infinity) return `≤ ${formatNumber(high)}${u}`;
  return low < 0 || high < 0 ? `${formatNumber(low)} to ${formatNumber(high)}${u}` : `${formatNumber(low)}–${formatNumber(high)}${u}`;
}

// --- reading the arguments -----------------------------------------------------------------------

function numberOf(measures: Readonly<Record<string, Measured>>, name: string): Extract<Measured, { kind: 'number' }> {
  const m = measures[name];
  if (m === undefined) throw new Error(`rule: no measure "${name}"; have ${Object.keys(measures).join(', ')}`);
  if (m.kind !== 'number') throw new Error(`rule: measure "${name}" must be a number, got a fact record`);
  return m;
}

function factOf(measures: Readonly<Record<string, Measured>>, name: string): FactRecord {
  const m = measures[name];
  if (m === undefined) throw new Error(`rule: no measure "${name}"; have ${Object.keys(measures).join(', ')}`);
  if (m.kind !== 'fact') throw new Error(`rule: measure "${name}" must be a fact record, got a number`);
  return m.record;
}

function rangeOf(claimed: ClaimedValue): { low: number; high: number; unit: string } {
  if (claimed.kind !== 'range') throw new Error(`rule: this rule compares a claimed range, got a claimed ${claimed.kind}`);
  return claimed;
}

function describe(m: Extract<Measured, { kind: 'number' }>): string {
  return `${m.label}: ${formatInterval(m.interval, m.unit)}`;
}

/** Values compare as the same when equal, or as strings ignoring case, spacing and quotes. */
export function sameValue(a: string | number | boolean, b: string | number | boolean): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  const norm = (v: string | number | boolean) => String(v).toLowerCase().replace(/["'`]/g, '').replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}

// --- the rules ----------------------------------------------------------------------------------

/**
 * The claimed range against one number: supported if they overlap, otherwise wrong, or
 * unsupported when the number is itself an assumption of the calibration table (then nothing
 * sourced contradicts the claim, only the model's best guess does).
 */
export function overlapRule(of = "the model's 95 % CI"): Rule {
  return {
    text: `supported if the claimed range overlaps ${of}; wrong if it misses it (unsupported if the value it misses is an assumption of the calibration table rather than sourced or simulated)`,
    judge(claimed, measures): RuleOutcome {
      const c = rangeOf(claimed);
      const m = numberOf(measures, 'primary');
      const cited = `claimed ${formatRange(c.low, c.high, c.unit)}, ${describe(m)}`;
      if (overlaps(c.low, c.high, m.interval)) return { verdict: 'supported', reason: `${cited}: they overlap` };
      if (m.basis === 'assumption') return { verdict: 'unsupported', reason: `${cited}: they miss, but that value is an assumption (no source publishes it)` };
      return { verdict: 'wrong', reason: `${cited}: the claim misses it` };
    },
  };
}

/**
 * A claim stated for the common case that holds only in a special one (the first packet rather
 * than every packet, a vanished backend rather than a pod delete, the program's own time rather
 * than the latency a packet sees): supported if the common-case measure overlaps the claimed range;
 * misleading if it misses it but the special case reaches the range (with `special: 'reaches'`, the
 * default: is at least its low end; with 'overlaps': lies in it); wrong if neither does.
 */
export function commonOrSpecialRule(common: string, special: string, options: { special?: 'reaches' | 'overlaps' } = {}): Rule {
  const overlapsOnly = options.special === 'overlaps';
  return {
    text: `supported if ${common} overlaps the claimed range (95 % CI); misleading if it misses it but ${special} ${overlapsOnly ? 'overlaps' : 'reaches'} the range; wrong if neither does`,
    judge(claimed, measures): RuleOutcome {
      const c = rangeOf(claimed);
      const a = numberOf(measures, 'primary');
      const b = numberOf(measures, 'special');
      const cited = `claimed ${formatRange(c.low, c.high, c.unit)}; ${describe(a)}; ${describe(b)}`;
      if (overlaps(c.low, c.high, a.interval)) return { verdict: 'supported', reason: `${cited}: the common case overlaps the claim` };
      const specialHolds = overlapsOnly ? overlaps(c.low, c.high, b.interval) : b.interval.high >= c.low;
      if (specialHolds) return { verdict: 'misleading', reason: `${cited}: only the special case ${overlapsOnly ? 'matches' : 'reaches'} the claim` };
      return { verdict: 'wrong', reason: `${cited}: neither case ${overlapsOnly ? 'matches' : 'reaches'} the claim` };
    },
  };
}

/**
 * A mechanism claim ("X happens"): supported if it happens at the default setting (the primary
 * measure's mean is above zero); misleading if it happens only under the named condition (the
 * `special` measure); wrong if it happens in neither.
 */
export function occursRule(atDefault: string, underCondition: string): Rule {
  return {
    text: `supported if it happens ${atDefault} (mean > 0); misleading if it happens only ${underCondition}; wrong if it happens in neither`,
    judge(_claimed, measures): RuleOutcome {
      const a = numberOf(measures, 'primary');
      const b = numberOf(measures, 'special');
      const cited = `${describe(a)}; ${describe(b)}`;
      if (a.interval.mean > 0) return { verdict: 'supported', reason: `${cited}: it happens at the default` };
      if (b.interval.mean > 0) return { verdict: 'misleading', reason: `${cited}: it happens only under the condition` };
      return { verdict: 'wrong', reason: `${cited}: it happens in neither` };
    },
  };
}

/**
 * The claimed value against a sourced record: supported if they are the same, wrong if not,
 * unsupported if the record is unconfirmed (no readable source settles it).
 */
export function factMatchRule(): Rule {
  return {
    text: 'supported if the claimed value is what the sourced record states; wrong if it differs; unsupported if no source settles it (record unconfirmed)',
    judge(claimed, measures): RuleOutcome {
      const f = factOf(measures, 'primary');
      const said = claimed.kind === 'value' ? claimed.value : claimed.kind === 'range' ? claimed.low : claimed.text;
      const saidText = claimed.kind === 'range' ? formatRange(claimed.low, claimed.high, claimed.unit) : JSON.stringify(said);
      const recorded = typeof f.value === 'number' ? formatNumber(f.value) : JSON.stringify(f.value);
      const cited = `claimed ${saidText}; ${f.subject}: ${recorded}${f.unit ? ` ${f.unit}` : ''}`;
      if (f.status === 'unconfirmed') return { verdict: 'unsupported', reason: `${cited}: no readable source (unconfirmed)` };
      if (claimed.kind === 'range' && typeof f.value === 'number') {
        return f.value >= claimed.low && f.value <= claimed.high
          ? { verdict: 'supported', reason: `${cited}: the same` }
          : { verdict: 'wrong', reason: `${cited}: they differ` };
      }
      return sameValue(said, f.value) ? { verdict: 'supported', reason: `${cited}: the same` } : { verdict: 'wrong', reason: `${cited}: they differ` };
    },
  };
}

/**
 * Advice to set an option to a value, against the option's sourced default: misleading if the
 * value already is the default (the step changes nothing and sends the reader down a dead end);
 * supported if the option exists with another default; unsupported if the record is unconfirmed.
 */
export function adviceVsDefaultRule(): Rule {
  return {
    text: 'misleading if the advised value already is the sourced default (the step changes nothing); supported if the default differs; unsupported if no source settles the default',
    judge(claimed, measures): RuleOutcome {
      const f = factOf(measures, 'primary');
      if (claimed.kind !== 'value') throw new Error('adviceVsDefaultRule: the claim must be a value (the advised setting)');
      const cited = `advised ${JSON.stringify(claimed.value)}; ${f.subject}: ${JSON.stringify(f.value)}`;
      if (f.status === 'unconfirmed') return { verdict: 'unsupported', reason: `${cited}: no readable source (unconfirmed)` };
      return sameValue(claimed.value, f.value)
        ? { verdict: 'misleading', reason: `${cited}: it already is the default` }
        : { verdict: 'supported', reason: `${cited}: it changes the default` };
    },
  };
}

/**
 * A limit quoted with a number and a unit, against the sourced limit: supported if the number and
 * the quantity both match; misleading if the number matches but it counts another quantity (1 MB
 * of program against 1M verified instructions); wrong otherwise.
 */
export function quantityRule(): Rule {
  return {
    text: 'supported if the sourced limit lies in the claimed range in the same unit; misleading if the number matches but the limit counts a different quantity; wrong if the number does not match',
    judge(claimed, measures): RuleOutcome {
      const c = rangeOf(claimed);
      const f = factOf(measures, 'primary');
      if (typeof f.value !== 'number' || !f.unit) throw new Error(`quantityRule: fact record "${f.key}" must be a limit with a unit`);
      const cited = `claimed ${formatRange(c.low, c.high, c.unit)}; ${f.subject}: ${formatNumber(f.value)} ${f.unit}`;
      if (f.status === 'unconfirmed') return { verdict: 'unsupported', reason: `${cited}: no readable source (unconfirmed)` };
      const numberMatches = f.value >= c.low && f.value <= c.high;
      if (numberMatches && sameValue(c.unit, f.unit)) return { verdict: 'supported', reason: `${cited}: the same limit` };
      if (numberMatches) return { verdict: 'misleading', reason: `${cited}: the same number, a different quantity` };
      return { verdict: 'wrong', reason: `${cited}: a different number` };
    },
  };
}
