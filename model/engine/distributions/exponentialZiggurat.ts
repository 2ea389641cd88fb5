/**
 * Standard exponential variates by the ziggurat method (Marsaglia & Tsang, "The Ziggurat Method
 * for Generating Random Variables", J. Stat. Softw. 5(8), 2000, section 4; 256 strips), the method
 * NumPy's Generator uses for its exponentials. About 99% of draws cost one 32-bit word and a
 * multiply, no logarithm. Unlike the paper's code, the strip index (low 8 bits) and the position in
 * the strip (high 24 bits) come from disjoint bits of the word, so they are independent.
 */

const STRIPS = 256; // calibration-exempt: the 256-strip ziggurat of the paper (algorithm)
/** x coordinate of the rightmost strip's edge and the common strip area (from the paper). */
const R = 7.697117470131487; // calibration-exempt: mathematical constant of the 256-strip ziggurat
const V = 3.949659822581572e-3; // calibration-exempt: mathematical constant of the 256-strip ziggurat
const POSITIONS = 2 ** 24; // calibration-exempt: 24 high bits of the word give the position in the strip (algorithm)

/** Tables: accept threshold (ke), scale (we) and density at the strip edge (fe). */
const ke = new Float64Array(STRIPS);
const we = new Float64Array(STRIPS);
const fe = new Float64Array(STRIPS);
{
  let de = R;
  let te = R;
  const q = V / Math.exp(-de);
  ke[0] = (de / q) * POSITIONS;
  ke[1] = 0;
  we[0] = q / POSITIONS;
  we[STRIPS - 1] = de / POSITIONS;
  fe[0] = 1;
  fe[STRIPS - 1] = Math.exp(-de);
  for (let i = STRIPS - 2; i >= 1; i--) {
    de = -Math.log(V / de + Math.exp(-de));
    ke[i + 1] = (de / te) * POSITIONS;
    te = de;
    fe[i] = Math.exp(-de);
    we[i] = de / POSITIONS;
  }
}

/**
 * A sampler of Exp(1) drawing 32-bit words from `uint32` and, rarely (the wedges and the tail),
 * uniforms on [0, 1) from `uniform`; both must come from the same stream.
 */
export function standardExponentialSampler(uint32: () => number, uniform: () => number): () => number {
  const slow = (word: number): number => {
    let iz = word & (STRIPS - 1);
    let jz = word >>> 8; // calibration-exempt: the low 8 bits are the strip index (algorithm)
    for (;;) {
      // Base strip beyond its rectangle: the tail is R + Exp(1) (memorylessness).
      if (iz === 0) return R - Math.log(1 - uniform());
      const x = jz * we[iz]!;
      if (fe[iz]! + uniform() * (fe[iz - 1]! - fe[iz]!) < Math.exp(-x)) return x;
      const w = uint32();
      iz = w & (STRIPS - 1);
      jz = w >>> 8; // calibration-exempt: the low 8 bits are the strip index (algorithm)
      if (jz < ke[iz]!) return jz * we[iz]!;
    }
  };
  return (): number => {
    const w = uint32();
    const iz = w & (STRIPS - 1);
    const jz = w >>> 8; // calibration-exempt: the low 8 bits are the strip index (algorithm)
    return jz < ke[iz]! ? jz * we[iz]! : slow(w);
  };
}
