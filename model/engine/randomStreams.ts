/**
 * Named random streams: each stream is an mt19937 generator whose seed array is derived from
 * (seed, replication, stream name) alone. Key assumption: mt19937 seeded by init_by_array with
 * distinct seed arrays yields effectively independent sequences, so common random numbers line up
 * across sweep points and no draw depends on worker count or on the order streams are created.
 */

import mt19937 from '@stdlib/random-base-mt19937';

const TWO_POW_32 = 4_294_967_296; // calibration-exempt: 2^32, the split of a safe integer into two 32-bit seed words

// The stdlib typings omit `.normalized`, which the runtime attaches to every generator.
interface Mt19937WithNormalized {
  readonly normalized: () => number;
}

function requireNonNegativeSafeInteger(argName: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${argName} must be a number, got ${typeof value} (${String(value)})`);
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `${argName} must be a non-negative safe integer (0 to ${Number.MAX_SAFE_INTEGER}), got ${String(value)}`,
    );
  }
  return value;
}

function requireStreamName(name: unknown): string {
  if (typeof name !== 'string') {
    throw new TypeError(`stream name must be a string, got ${typeof name} (${String(name)})`);
  }
  if (name.length === 0) {
    throw new RangeError('stream name must be a non-empty string, got ""');
  }
  return name;
}

/**
 * 64-bit string hash (cyrb53's two interleaved 32-bit lanes, both kept) over UTF-16 code units.
 * Changing this function changes every stream's draws, and therefore every recorded result.
 */
function hashName64(name: string): [number, number] {
  // calibration-exempt-begin: cyrb53's published constants and shifts (algorithm; changing them changes every stream)
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
  // calibration-exempt-end
}

/**
 * The mt19937 seed array for one stream: [seedHi, seedLo, replicationHi, replicationLo, nameHashA,
 * nameHashB]. Fixed positions keep (seed=1, rep=0) and (seed=0, rep=1) apart.
 */
export function streamSeedWords(seed: number, replication: number, name: string): Uint32Array {
  requireNonNegativeSafeInteger('seed', seed);
  requireNonNegativeSafeInteger('replication', replication);
  requireStreamName(name);
  const [nameA, nameB] = hashName64(name);
  // calibration-exempt-begin: the six-word seed layout documented above
  const words = new Uint32Array(6);
  words[0] = Math.floor(seed / TWO_POW_32);
  words[1] = seed >>> 0;
  words[2] = Math.floor(replication / TWO_POW_32);
  words[3] = replication >>> 0;
  words[4] = nameA;
  words[5] = nameB;
  // calibration-exempt-end
  return words;
}

/** One named stream of uniforms on [0, 1) with 53-bit resolution. */
export class RandomStream {
  readonly name: string;
  /** The mt19937 init_by_array seed; a copy, so mutating it does not affect the stream. */
  readonly seedWords: Uint32Array;
  readonly #next: () => number;
  readonly #word: () => number;

  constructor(seed: number, replication: number, name: string) {
    this.seedWords = streamSeedWords(seed, replication, name);
    this.name = name;
    const generator = mt19937.factory({ seed: this.seedWords }) as unknown as Mt19937WithNormalized & (() => number);
    this.#next = generator.normalized;
    this.#word = generator;
  }

  /**
   * The raw 32-bit words of the same generator (integers in [0, 2^32)), for samplers that work on
   * bits (the exponential ziggurat). Shares state with uniform(): one uniform consumes two words.
   */
  get uint32Fn(): () => number {
    return this.#word;
  }

  /** Next uniform on [0, 1). */
  uniform(): number {
    return this.#next();
  }

  /**
   * The underlying generator function, to pass as `prng` to stdlib samplers. It needs no `this`;
   * calling it advances this stream exactly as uniform() does.
   */
  get uniformFn(): () => number {
    return this.#next;
  }
}

/** The set of streams of one replication of one experiment. */
export class RandomStreams {
  readonly seed: number;
  readonly replication: number;
  readonly #byName = new Map<string, RandomStream>();

  constructor(seed: number, replication: number) {
    this.seed = requireNonNegativeSafeInteger('seed', seed);
    this.replication = requireNonNegativeSafeInteger('replication', replication);
  }

  /** The stream with this name; the same name always returns the same (stateful) object. */
  stream(name: string): RandomStream {
    requireStreamName(name);
    let stream = this.#byName.get(name);
    if (stream === undefined) {
      stream = new RandomStream(this.seed, this.replication, name);
      this.#byName.set(name, stream);
    }
    return stream;
  }
}
