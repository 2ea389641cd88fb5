import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DISTRIBUTION_SPEC_FORMS,
  DistributionSpecError,
  deterministic,
  erlang,
  exponential,
  hyperexponential,
  lognormal,
  parseDistribution,
  uniform,
  type Distribution,
} from '../../../model/engine/distributions/index.ts';

const ALLOWED = 'allowed: exp:MEAN, det:MEAN, erlang:K:MEAN, hyperexp:P:MEAN1:MEAN2, lognormal:MEAN:CV, uniform:A:B';

function expectSameDistribution(parsed: Distribution, original: Distribution): void {
  expect(parsed.kind).toBe(original.kind);
  expect(parsed.describe()).toBe(original.describe());
  expect(parsed.mean).toBe(original.mean);
  expect(parsed.variance).toBe(original.variance);
  expect(parsed.secondMoment).toBe(original.secondMoment);
}

const positive = fc.double({ min: 1e-12, max: 1e12, noNaN: true, noDefaultInfinity: true });
const nonNegative = fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true });
const probability = fc.double({ min: 0, max: 1, noNaN: true });
const k = fc.integer({ min: 1, max: 100_000 });

describe('parseDistribution', () => {
  it('parses each form, including exponent notation', () => {
    expectSameDistribution(parseDistribution('exp:0.5'), exponential(0.5));
    expectSameDistribution(parseDistribution('exp:1e-6'), exponential(1e-6));
    expectSameDistribution(parseDistribution('exp:2.5E+3'), exponential(2500));
    expectSameDistribution(parseDistribution('det:.25'), deterministic(0.25));
    expectSameDistribution(parseDistribution('erlang:4:1e-3'), erlang(4, 0.001));
    expectSameDistribution(parseDistribution('hyperexp:0.9:0.1:5'), hyperexponential(0.9, 0.1, 5));
    expectSameDistribution(parseDistribution('lognormal:2:0.5'), lognormal(2, 0.5));
    expectSameDistribution(parseDistribution('uniform:0:2'), uniform(0, 2));
    expect(parseDistribution('erlang:4:1e-3').scv).toBeCloseTo(0.25, 15);
  });

  it('round-trips describe() for every parseable kind (property)', () => {
    const valid = fc.oneof(
      positive.map((m) => exponential(m)),
      positive.map((v) => deterministic(v)),
      fc.tuple(k, positive).map(([kk, m]) => erlang(kk, m)),
      fc.tuple(probability, positive, positive).map(([p, m1, m2]) => hyperexponential(p, m1, m2)),
      fc.tuple(positive, positive).map(([m, cv]) => lognormal(m, cv)),
      fc
        .tuple(nonNegative, nonNegative)
        .filter(([a, w]) => a + w > 0)
        .map(([a, w]) => uniform(a, a + w)),
    );
    fc.assert(
      fc.property(valid, (d) => {
        expectSameDistribution(parseDistribution(d.describe()), d);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    '',
    'exp',
    'exp:',
    'exp:1:2',
    'exp:-1',
    'exp:0',
    'exp:NaN',
    'exp:nan',
    'exp:abc',
    'exp:Infinity',
    'exp:1e400',
    'exp: 1',
    'exp:1 ',
    'exp:0x10',
    'exp:1_000',
    'exp:1e',
    'exp:.',
    'det:-2',
    'det:0',
    'erlang:1.5:1',
    'erlang:0:1',
    'erlang:2',
    'erlang:2:1:3',
    'erlang:2:-1',
    'hyperexp:1.2:1:2',
    'hyperexp:-0.1:1:2',
    'hyperexp:0.5:1',
    'hyperexp:0.5:1:0',
    'lognormal:1',
    'lognormal:1:0',
    'lognormal:-1:1',
    'uniform:2:1',
    'uniform:-1:1',
    'uniform:0:0',
    'uniform:1',
    'gamma:1:2',
    'EXP:1',
    'exponential:1',
    'empirical:1,2',
    ':1',
    'exp::1',
    ' exp:1',
  ])('rejects %j with a DistributionSpecError naming the spec and listing the allowed forms', (spec) => {
    let caught: unknown;
    try {
      parseDistribution(spec);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DistributionSpecError);
    const error = caught as DistributionSpecError;
    expect(error.name).toBe('DistributionSpecError');
    expect(error.spec).toBe(spec);
    expect(error.message.startsWith(`invalid distribution ${JSON.stringify(spec)}: `)).toBe(true);
    expect(error.message.endsWith(ALLOWED)).toBe(true);
    expect(error.reason.length).toBeGreaterThan(0);
  });

  it('says what is wrong', () => {
    const reason = (spec: string): string => {
      try {
        parseDistribution(spec);
      } catch (error) {
        return (error as DistributionSpecError).message;
      }
      throw new Error(`expected ${spec} to be rejected`);
    };
    expect(reason('exp:-1')).toBe(`invalid distribution "exp:-1": MEAN must be a positive number, got -1; ${ALLOWED}`);
    expect(reason('erlang:1.5:2')).toMatch(/K must be an integer >= 1, got 1\.5/);
    expect(reason('hyperexp:1.2:1:2')).toMatch(/P must be a probability in \[0, 1\], got 1\.2/);
    expect(reason('exp:NaN')).toMatch(/MEAN must be a number, got "NaN"/);
    expect(reason('gamma:1:2')).toMatch(/unknown kind "gamma"/);
    expect(reason('erlang:2')).toMatch(/erlang:K:MEAN takes 2 field\(s\)/);
    expect(reason('uniform:2:1')).toMatch(/B must be >= A, got A=2, B=1/);
    expect(reason('uniform:0:0')).toMatch(/B must be > 0/);
  });

  it('never throws anything but DistributionSpecError on arbitrary text, and what it accepts round-trips', () => {
    const token = fc.oneof(
      fc.constantFrom('exp', 'det', 'erlang', 'hyperexp', 'lognormal', 'uniform', 'x', '', '-1', '0', '1.5', '1e-3', 'NaN', '2'),
      fc.string({ maxLength: 4 }),
    );
    const spec = fc.oneof(fc.string(), fc.array(token, { maxLength: 5 }).map((parts) => parts.join(':')));
    fc.assert(
      fc.property(spec, (s) => {
        let d: Distribution;
        try {
          d = parseDistribution(s);
        } catch (error) {
          expect(error).toBeInstanceOf(DistributionSpecError);
          return;
        }
        expectSameDistribution(parseDistribution(d.describe()), d);
      }),
      { numRuns: 2000 },
    );
  });

  it('exports the allowed forms in message order', () => {
    expect(`allowed: ${DISTRIBUTION_SPEC_FORMS.join(', ')}`).toBe(ALLOWED);
  });

  it('throws TypeError for a non-string spec', () => {
    expect(() => parseDistribution(3 as unknown as string)).toThrow(TypeError);
  });
});
