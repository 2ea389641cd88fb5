/**
 * Command-line flags: a strict parser (unknown, repeated or valueless flags are errors) and typed
 * readers whose errors name the flag, the value and what is allowed. Every CLI command uses it,
 * and `UsageError` maps to exit code 2.
 */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ArgSpec {
  /** Flags that take a value: `--name VALUE` or `--name=VALUE`. */
  values: readonly string[];
  /** Boolean flags: `--name`. */
  flags: readonly string[];
  /** How many positional arguments are allowed (default 0). */
  maxPositionals?: number;
}

export interface ParsedArgs {
  values: Map<string, string>;
  flags: Set<string>;
  positionals: string[];
}

export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  const allowed = [...spec.values.map((v) => `--${v}`), ...spec.flags.map((f) => `--${f}`)].join(', ') || '(none)';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    if (spec.values.includes(name)) {
      let value: string | undefined;
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i];
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      if (values.has(name)) throw new UsageError(`--${name} given twice ("${values.get(name)}" and "${value}")`);
      values.set(name, value);
    } else if (spec.flags.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value, got "${arg.slice(eq + 1)}"`);
      flags.add(name);
    } else {
      throw new UsageError(`unknown flag ${arg.slice(0, eq >= 0 ? eq : undefined)}; allowed: ${allowed}`);
    }
  }
  const max = spec.maxPositionals ?? 0;
  if (positionals.length > max) {
    throw new UsageError(`unexpected argument "${positionals[max]}"${max === 0 ? ' (this command takes only flags)' : ''}`);
  }
  return { values, flags, positionals };
}

/** A number written as a plain decimal or in exponent notation (1e6); no hex, no Infinity. */
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function intFlag(
  args: ParsedArgs,
  name: string,
  opts: { min?: number; max?: number; fallback?: number },
): number {
  const raw = args.values.get(name);
  if (raw === undefined) {
    if (opts.fallback === undefined) throw new UsageError(`--${name} is required`);
    return opts.fallback;
  }
  const min = opts.min ?? -Infinity;
  const max = opts.max ?? Infinity;
  const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
  const v = NUMBER_RE.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new UsageError(`--${name}: expected an integer ${range}, got "${raw}"`);
  }
  return v;
}

export function numberFlag(
  args: ParsedArgs,
  name: string,
  opts: { minExclusive?: number; min?: number; fallback?: number },
): number {
  const raw = args.values.get(name);
  if (raw === undefined) {
    if (opts.fallback === undefined) throw new UsageError(`--${name} is required`);
    return opts.fallback;
  }
  const v = NUMBER_RE.test(raw) ? Number(raw) : NaN;
  if (opts.min !== undefined) {
    if (!Number.isFinite(v) || !(v >= opts.min)) throw new UsageError(`--${name}: expected a number >= ${opts.min}, got "${raw}"`);
    return v;
  }
  const min = opts.minExclusive ?? -Infinity;
  if (!Number.isFinite(v) || !(v > min)) {
    throw new UsageError(`--${name}: expected a number${min === -Infinity ? '' : ` > ${min}`}, got "${raw}"`);
  }
  return v;
}

export function choiceFlag<const C extends readonly string[]>(
  args: ParsedArgs,
  name: string,
  choices: C,
  fallback?: C[number],
): C[number] {
  const raw = args.values.get(name);
  if (raw === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required; allowed: ${choices.join(', ')}`);
    return fallback;
  }
  if (!choices.includes(raw)) throw new UsageError(`--${name}: "${raw}" is not allowed; allowed: ${choices.join(', ')}`);
  return raw as C[number];
}

/**
 * A flag that is either one of a few words or an integer, e.g. `--warmup auto|N`. The error names
 * the flag, the value, the words and the integer range.
 */
export function intOrChoiceFlag<const C extends readonly string[]>(
  args: ParsedArgs,
  name: string,
  choices: C,
  opts: { min?: number; max?: number; fallback?: C[number] | number },
): C[number] | number {
  const raw = args.values.get(name);
  if (raw === undefined) {
    if (opts.fallback === undefined) throw new UsageError(`--${name} is required; allowed: ${choices.join(', ')} or an integer`);
    return opts.fallback;
  }
  if (choices.includes(raw)) return raw as C[number];
  const min = opts.min ?? -Infinity;
  const max = opts.max ?? Infinity;
  const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
  const v = NUMBER_RE.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new UsageError(`--${name}: expected ${choices.join(', ')} or an integer ${range}, got "${raw}"`);
  }
  return v;
}
