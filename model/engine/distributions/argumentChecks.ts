/**
 * Argument checks for the distribution factories. They run once, when a model is built, so they
 * never sit on the sampling path.
 */

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function requireNumber(argName: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${argName} must be a number, got ${typeof value} (${show(value)})`);
  }
  return value;
}

export function requirePositive(argName: string, value: unknown): number {
  const x = requireNumber(argName, value);
  if (!(x > 0) || !Number.isFinite(x)) {
    throw new RangeError(`${argName} must be a positive finite number, got ${show(x)}`);
  }
  return x;
}

export function requireNonNegative(argName: string, value: unknown): number {
  const x = requireNumber(argName, value);
  if (!(x >= 0) || !Number.isFinite(x)) {
    throw new RangeError(`${argName} must be a non-negative finite number, got ${show(x)}`);
  }
  return x;
}

export function requireProbability(argName: string, value: unknown): number {
  const x = requireNumber(argName, value);
  if (!(x >= 0 && x <= 1)) {
    throw new RangeError(`${argName} must be a probability in [0, 1], got ${show(x)}`);
  }
  return x;
}

export function requirePositiveInteger(argName: string, value: unknown): number {
  const x = requireNumber(argName, value);
  if (!Number.isSafeInteger(x) || x < 1) {
    throw new RangeError(`${argName} must be an integer >= 1, got ${show(x)}`);
  }
  return x;
}
