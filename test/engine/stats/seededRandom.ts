/**
 * Test-only seeded generators (xoshiro128** seeded through splitmix32): reproducible uniform, normal (Box-Muller)
 * and exponential draws, so statistical tests are deterministic without depending on the engine's own RNG.
 */

export interface SeededRandom {
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  normal(mean?: number, sd?: number): number;
  exponential(mean?: number): number;
}

export function seededRandom(seed: number): SeededRandom {
  let s = seed >>> 0;
  const splitmix32 = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix32();
  let b = splitmix32();
  let c = splitmix32();
  let d = splitmix32();
  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const uniform = (): number => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
  return {
    uniform,
    normal(mean = 0, sd = 1) {
      const u1 = 1 - uniform();
      const u2 = uniform();
      return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
    exponential(mean = 1) {
      return -mean * Math.log(1 - uniform());
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
