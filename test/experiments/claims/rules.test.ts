/**
 * The rules that turn evidence into verdicts, as properties: each rule's verdict moves the way its
 * sentence says when the evidence moves (an interval slid into the claimed range makes an overlap
 * rule say supported, slid out of it wrong; a fact record changed to the claimed value flips
 * wrong to supported). Then the same for every claim of the registry: its own rule, fed evidence
 * on either side of its claimed value, flips as its rule text promises.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Claim, ClaimedValue, Interval, Measured } from '../../../experiments/claims/claimTypes.ts';
import type { FactRecord } from '../../../experiments/claims/factRecord.ts';
import { CLAIMS } from '../../../experiments/claims/registry.ts';
import { factRecord } from '../../../experiments/claims/facts.ts';
import {
  adviceVsDefaultRule, commonOrSpecialRule, factMatchRule, occursRule, overlapRule, overlaps, quantityRule, ratioInterval,
} from '../../../experiments/claims/rules.ts';

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const width = fc.double({ min: 0, max: 1e3, noNaN: true, noDefaultInfinity: true });

function numberMeasure(interval: Interval, basis: 'model' | 'sourced' | 'derived' | 'assumption' = 'model'): Measured {
  return { kind: 'number', interval, unit: 'u', label: 'x', basis, evidence: [] };
}
function point(v: number): Interval {
  return { low: v, mean: v, high: v };
}
function around(mean: number, halfWidth: number): Interval {
  return { low: mean - halfWidth, mean, high: mean + halfWidth };
}
function range(low: number, high: number): ClaimedValue {
  return { kind: 'range', low, high, unit: 'u', text: '' };
}
function fact(value: FactRecord['value'], extra: Partial<FactRecord> = {}): Measured {
  const record: FactRecord = { key: 'test.fact', subject: 'a fact', kind: 'meaning', value, status: 'sourced', sources: [], anchor: 'x', note: 'n', ...extra };
  return { kind: 'fact', record, evidence: [] };
}

describe('interval helpers', () => {
  it('overlaps is symmetric and true exactly when the intervals share a point', () => {
    fc.assert(
      fc.property(finite, width, finite, width, (a, wa, b, wb) => {
        const x = around(a, wa);
        const y = around(b, wb);
        const shared = Math.max(x.low, y.low) <= Math.min(x.high, y.high);
        expect(overlaps(x.low, x.high, y)).toBe(shared);
        expect(overlaps(y.low, y.high, x)).toBe(shared);
      }),
    );
  });

  it('ratioInterval contains the ratio of any two points inside positive intervals', () => {
    const positive = fc.double({ min: 1e-3, max: 1e6, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(positive, positive, positive, positive, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (n, nw, d, dw, s, t) => {
        const ni = { low: n, mean: n + nw / 2, high: n + nw };
        const di = { low: d, mean: d + dw / 2, high: d + dw };
        const r = ratioInterval(ni, di);
        const q = (ni.low + s * (ni.high - ni.low)) / (di.low + t * (di.high - di.low));
        expect(q).toBeGreaterThanOrEqual(r.low * (1 - 1e-12));
        expect(q).toBeLessThanOrEqual(r.high * (1 + 1e-12));
      }),
    );
  });
});

describe('overlapRule', () => {
  const rule = overlapRule();
  it('is supported when the interval overlaps the claimed range, wrong when it misses (model or sourced), unsupported when an assumption misses', () => {
    fc.assert(
      fc.property(finite, width, finite, width, fc.constantFrom('model', 'sourced', 'derived', 'assumption' as const), (c, cw, m, mw, basis) => {
        const claimed = range(c - cw, c + cw);
        const interval = around(m, mw);
        const verdict = rule.judge(claimed, { primary: numberMeasure(interval, basis) }).verdict;
        if (overlaps(c - cw, c + cw, interval)) expect(verdict).toBe('supported');
        else expect(verdict).toBe(basis === 'assumption' ? 'unsupported' : 'wrong');
      }),
    );
  });

  it('a model value moved into the claimed range flips wrong to supported, and moved out flips it back', () => {
    fc.assert(
      fc.property(finite, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), width, (c, cw, mw) => {
        const claimed = range(c - cw, c + cw);
        const outside = around(c + cw + mw + 1, mw);
        expect(rule.judge(claimed, { primary: numberMeasure(outside) }).verdict).toBe('wrong');
        expect(rule.judge(claimed, { primary: numberMeasure(around(c, mw)) }).verdict).toBe('supported');
      }),
    );
  });

  it('takes open-ended claims (≥ x) and refuses a claim that is not a range', () => {
    expect(rule.judge(range(200, Infinity), { primary: numberMeasure(point(0.002)) }).verdict).toBe('wrong');
    expect(rule.judge(range(200, Infinity), { primary: numberMeasure(point(1e9)) }).verdict).toBe('supported');
    expect(() => rule.judge({ kind: 'value', value: 'x', text: 'x' }, { primary: numberMeasure(point(1)) })).toThrow(/claimed range/);
  });
});

describe('commonOrSpecialRule', () => {
  const rule = commonOrSpecialRule('the common case', 'the special case');
  it('supported if the common case overlaps; else misleading if the special case reaches the claim; else wrong', () => {
    fc.assert(
      fc.property(finite, width, finite, width, finite, width, (c, cw, a, aw, b, bw) => {
        const claimed = range(c - cw, c + cw);
        const common = around(a, aw);
        const special = around(b, bw);
        const v = rule.judge(claimed, { primary: numberMeasure(common), special: numberMeasure(special) }).verdict;
        if (overlaps(c - cw, c + cw, common)) expect(v).toBe('supported');
        else if (special.high >= c - cw) expect(v).toBe('misleading');
        else expect(v).toBe('wrong');
      }),
    );
  });
});

describe("commonOrSpecialRule with special: 'overlaps'", () => {
  const rule = commonOrSpecialRule('the common case', 'the special case', { special: 'overlaps' });
  it('supported if the common case overlaps; else misleading if the special case overlaps too; else wrong', () => {
    fc.assert(
      fc.property(finite, width, finite, width, finite, width, (c, cw, a, aw, b, bw) => {
        const claimed = range(c - cw, c + cw);
        const common = around(a, aw);
        const special = around(b, bw);
        const v = rule.judge(claimed, { primary: numberMeasure(common), special: numberMeasure(special) }).verdict;
        if (overlaps(c - cw, c + cw, common)) expect(v).toBe('supported');
        else if (overlaps(c - cw, c + cw, special)) expect(v).toBe('misleading');
        else expect(v).toBe('wrong');
      }),
    );
  });
});

describe('occursRule', () => {
  const rule = occursRule('at the default', 'under the condition');
  it('supported if it happens at the default, misleading if only under the condition, wrong if never', () => {
    const none = numberMeasure(point(0));
    const some = numberMeasure(point(3));
    const claimed: ClaimedValue = { kind: 'statement', text: 'it happens' };
    expect(rule.judge(claimed, { primary: some, special: none }).verdict).toBe('supported');
    expect(rule.judge(claimed, { primary: none, special: some }).verdict).toBe('misleading');
    expect(rule.judge(claimed, { primary: none, special: none }).verdict).toBe('wrong');
  });
});

describe('fact rules', () => {
  it('factMatchRule: the same value (ignoring case, spacing, quotes) is supported, another is wrong, an unconfirmed record unsupported', () => {
    const rule = factMatchRule();
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((s) => /\w/.test(s)), fc.string({ minLength: 1 }).filter((s) => /\w/.test(s)), (a, b) => {
        const claimed: ClaimedValue = { kind: 'value', value: a, text: a };
        expect(rule.judge(claimed, { primary: fact(` ${a.toUpperCase()} `) }).verdict).toBe('supported');
        expect(rule.judge(claimed, { primary: fact(a, { status: 'unconfirmed' }) }).verdict).toBe('unsupported');
        const norm = (s: string) => s.toLowerCase().replace(/["'`]/g, '').replace(/\s+/g, ' ').trim();
        if (norm(a) !== norm(b)) expect(rule.judge(claimed, { primary: fact(b) }).verdict).toBe('wrong');
      }),
    );
    expect(rule.judge({ kind: 'value', value: true, text: '' }, { primary: fact(false, { kind: 'exists' }) }).verdict).toBe('wrong');
    expect(rule.judge(range(300, 300), { primary: fact(300, { kind: 'default', unit: 's' }) }).verdict).toBe('supported');
    expect(rule.judge(range(5, 10), { primary: fact(300, { kind: 'default', unit: 's' }) }).verdict).toBe('wrong');
  });

  it('adviceVsDefaultRule: advising the default is misleading, advising another value supported', () => {
    const rule = adviceVsDefaultRule();
    fc.assert(
      fc.property(fc.boolean(), (d) => {
        expect(rule.judge({ kind: 'value', value: d, text: '' }, { primary: fact(d, { kind: 'default' }) }).verdict).toBe('misleading');
        expect(rule.judge({ kind: 'value', value: !d, text: '' }, { primary: fact(d, { kind: 'default' }) }).verdict).toBe('supported');
      }),
    );
  });

  it('quantityRule: same number and unit supported, same number other quantity misleading, other number wrong', () => {
    const rule = quantityRule();
    const limit = fact(1_000_000, { kind: 'limit', unit: 'instructions' });
    expect(rule.judge({ kind: 'range', low: 1e6, high: 1e6, unit: 'instructions', text: '' }, { primary: limit }).verdict).toBe('supported');
    expect(rule.judge({ kind: 'range', low: 1e6, high: 2 ** 20, unit: 'B', text: '' }, { primary: limit }).verdict).toBe('misleading');
    expect(rule.judge({ kind: 'range', low: 4096, high: 4096, unit: 'instructions', text: '' }, { primary: limit }).verdict).toBe('wrong');
  });
});

/** Evidence on either side of a claim's value, shaped like the claim's primary measure. */
function flipCases(c: Claim): { inside: Record<string, Measured>; outside: Record<string, Measured>; expectInside: string; expectOutside: string } | undefined {
  if (c.test.kind !== 'measure') return undefined;
  const t = c.test;
  const p = t.measures.primary;
  if (c.claimed.kind === 'range' && p.kind !== 'fact' && t.rule.text.startsWith('supported if the claimed range overlaps')) {
    const { low, high } = c.claimed;
    const inValue = Number.isFinite(high) ? (low + high) / 2 : low * 2 + 1;
    const outValue = Number.isFinite(low) && low > 0 ? low / 1e3 - 1 : high * 1e3 + 1;
    const basis = p.kind === 'calibration' ? 'sourced' : 'model';
    return { inside: { primary: numberMeasure(point(inValue), basis) }, outside: { primary: numberMeasure(point(outValue), basis) }, expectInside: 'supported', expectOutside: 'wrong' };
  }
  if (c.claimed.kind === 'range' && t.rule.text.includes('misleading if it misses it but')) {
    const { low, high } = c.claimed;
    const inValue = Number.isFinite(high) ? (low + high) / 2 : low * 2 + 1;
    // Outside the claim on the far side from where a special case can "reach" it.
    const below = low > 0 ? low / 1e3 : t.rule.text.includes('overlaps the range') ? high * 1e3 + 1 : low - 1e3;
    return {
      inside: { primary: numberMeasure(point(inValue)), special: numberMeasure(point(below)) },
      outside: { primary: numberMeasure(point(below)), special: numberMeasure(point(inValue)) },
      expectInside: 'supported',
      expectOutside: 'misleading',
    };
  }
  if (p.kind === 'fact' && t.rule.text.startsWith('supported if the claimed value is what the sourced record states')) {
    const record = factRecord(p.key);
    const claimedAs: FactRecord['value'] = c.claimed.kind === 'value' ? c.claimed.value : c.claimed.kind === 'range' ? c.claimed.low : c.claimed.text;
    const other: FactRecord['value'] = typeof claimedAs === 'boolean' ? !claimedAs : typeof claimedAs === 'number' ? claimedAs + 1 : `${claimedAs} (not)`;
    return {
      inside: { primary: fact(claimedAs, { ...record, value: claimedAs, status: 'sourced' }) },
      outside: { primary: fact(other, { ...record, value: other, status: 'sourced' }) },
      expectInside: 'supported',
      expectOutside: 'wrong',
    };
  }
  if (t.rule.text.startsWith('supported if it happens')) {
    return {
      inside: { primary: numberMeasure(point(1)), special: numberMeasure(point(1)) },
      outside: { primary: numberMeasure(point(0)), special: numberMeasure(point(1)) },
      expectInside: 'supported',
      expectOutside: 'misleading',
    };
  }
  if (p.kind === 'fact' && c.claimed.kind === 'value' && t.rule.text.startsWith('misleading if the advised value already is the sourced default')) {
    const record = factRecord(p.key);
    const other = typeof c.claimed.value === 'boolean' ? !c.claimed.value : `${String(c.claimed.value)} (not)`;
    return {
      inside: { primary: fact(other, { ...record, value: other }) },
      outside: { primary: fact(c.claimed.value, { ...record, value: c.claimed.value }) },
      expectInside: 'supported',
      expectOutside: 'misleading',
    };
  }
  if (p.kind === 'fact' && c.claimed.kind === 'range' && t.rule.text.startsWith('supported if the sourced limit lies in the claimed range')) {
    const record = factRecord(p.key);
    return {
      inside: { primary: fact(c.claimed.low, { ...record, value: c.claimed.low, unit: c.claimed.unit }) },
      outside: { primary: fact(c.claimed.low / 1e3, { ...record, value: c.claimed.low / 1e3, unit: c.claimed.unit }) },
      expectInside: 'supported',
      expectOutside: 'wrong',
    };
  }
  return undefined;
}

describe('every claim of the registry flips the way its rule says', () => {
  const cases = CLAIMS.map((c) => [c, flipCases(c)] as const).filter(([, f]) => f !== undefined);

  it('covers every claim that is tested by a rule', () => {
    const measured = CLAIMS.filter((c) => c.test.kind === 'measure').map((c) => c.id);
    expect(cases.map(([c]) => c.id)).toEqual(measured);
  });

  it.each(cases.map(([c, f]) => [c.id, c, f!] as const))('%s', (_id, c, f) => {
    if (c.test.kind !== 'measure') throw new Error('unreachable');
    expect(c.test.rule.judge(c.claimed, f.inside).verdict).toBe(f.expectInside);
    expect(c.test.rule.judge(c.claimed, f.outside).verdict).toBe(f.expectOutside);
  });
});
