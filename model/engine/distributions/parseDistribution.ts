/**
 * Parses the textual distribution specs users type ("exp:0.5", "erlang:4:1e-3", ...) into
 * Distributions. Strict: exact field counts, plain decimal or exponent numbers only, so a typo
 * fails loudly instead of silently meaning something else.
 */

import type { Distribution } from './distribution.ts';
import { DistributionSpecError } from './distributionSpecError.ts';
import { exponential } from './exponential.ts';
import { deterministic } from './deterministic.ts';
import { erlang } from './erlang.ts';
import { hyperexponential } from './hyperexponential.ts';
import { lognormal } from './lognormal.ts';
import { uniform } from './uniform.ts';

// Unlike Number(), rejects "", " 1", "0x10", "Infinity", "1_000".
const NUMBER_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

type FieldRule = 'positive' | 'nonNegative' | 'integerAtLeast1' | 'probability';

interface SpecForm {
  readonly fields: readonly (readonly [name: string, rule: FieldRule])[];
  /** Rules spanning several fields; returns what is wrong, if anything. */
  readonly crossCheck?: (x: readonly number[]) => string | undefined;
  readonly build: (x: readonly number[]) => Distribution;
}

const FORMS: ReadonlyMap<string, SpecForm> = new Map<string, SpecForm>([
  ['exp', { fields: [['MEAN', 'positive']], build: (x) => exponential(x[0]!) }],
  ['det', { fields: [['MEAN', 'positive']], build: (x) => deterministic(x[0]!) }],
  [
    'erlang',
    { fields: [['K', 'integerAtLeast1'], ['MEAN', 'positive']], build: (x) => erlang(x[0]!, x[1]!) },
  ],
  [
    'hyperexp',
    {
      fields: [['P', 'probability'], ['MEAN1', 'positive'], ['MEAN2', 'positive']],
      build: (x) => hyperexponential(x[0]!, x[1]!, x[2]!),
    },
  ],
  ['lognormal', { fields: [['MEAN', 'positive'], ['CV', 'positive']], build: (x) => lognormal(x[0]!, x[1]!) }],
  [
    'uniform',
    {
      fields: [['A', 'nonNegative'], ['B', 'nonNegative']],
      crossCheck: ([a, b]) =>
        b! < a!
          ? `B must be >= A, got A=${a}, B=${b}`
          : b === 0
            ? 'B must be > 0 so the mean is positive, got B=0'
            : undefined,
      build: (x) => uniform(x[0]!, x[1]!),
    },
  ],
]);

function ruleViolation(name: string, rule: FieldRule, x: number): string | undefined {
  switch (rule) {
    case 'positive':
      return x > 0 ? undefined : `${name} must be a positive number, got ${x}`;
    case 'nonNegative':
      return x >= 0 ? undefined : `${name} must be a non-negative number, got ${x}`;
    case 'integerAtLeast1':
      return Number.isSafeInteger(x) && x >= 1 ? undefined : `${name} must be an integer >= 1, got ${x}`;
    case 'probability':
      return x >= 0 && x <= 1 ? undefined : `${name} must be a probability in [0, 1], got ${x}`;
  }
}

export function parseDistribution(spec: string): Distribution {
  if (typeof spec !== 'string') {
    throw new TypeError(`spec must be a string, got ${typeof spec} (${String(spec)})`);
  }
  if (spec.length === 0) {
    throw new DistributionSpecError(spec, 'the spec is empty');
  }
  const [kind = '', ...texts] = spec.split(':');
  const form = FORMS.get(kind);
  if (form === undefined) {
    throw new DistributionSpecError(spec, `unknown kind ${JSON.stringify(kind)}`);
  }
  const usage = [kind, ...form.fields.map(([name]) => name)].join(':');
  if (texts.length !== form.fields.length) {
    throw new DistributionSpecError(
      spec,
      `${usage} takes ${form.fields.length} field(s) after "${kind}:", got ${texts.length}`,
    );
  }
  const x: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    const [name, rule] = form.fields[i]!;
    const text = texts[i]!;
    if (!NUMBER_PATTERN.test(text)) {
      throw new DistributionSpecError(spec, `${name} must be a number, got ${JSON.stringify(text)}`);
    }
    const value = Number(text);
    if (!Number.isFinite(value)) {
      throw new DistributionSpecError(spec, `${name} must be a finite number, got ${JSON.stringify(text)}`);
    }
    const violation = ruleViolation(name, rule, value);
    if (violation !== undefined) throw new DistributionSpecError(spec, violation);
    x.push(value);
  }
  const crossViolation = form.crossCheck?.(x);
  if (crossViolation !== undefined) throw new DistributionSpecError(spec, crossViolation);
  // The checks above mirror the factories'; should they ever drift, still report a spec error.
  try {
    return form.build(x);
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) {
      throw new DistributionSpecError(spec, `${usage}: ${error.message}`);
    }
    throw error;
  }
}
