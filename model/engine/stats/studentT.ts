/**
 * Quantile function of Student's t distribution, via @stdlib/stats-base-dists-t-quantile for dof < 1e4 and
 * the Cornish-Fisher expansion around the normal quantile above (upstream returns 0 for dof ≳ 1e17, and the
 * expansion agrees with it to ~1e-13 from 1e4 on). Non-integer dof (e.g. Welch) and Infinity (normal) are allowed.
 */
import tQuantileStdlib from '@stdlib/stats-base-dists-t-quantile';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { P50 } from './percentiles.ts';

const LARGE_DOF = 1e4;
// Upstream inverts via the incomplete beta function and cancels to 0 within ~1e-7 of p = 0.5.
const NEAR_HALF = 1e-6;

export function tQuantile(p: number, degreesOfFreedom: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  if (!(degreesOfFreedom > 0)) {
    throw new RangeError(`degreesOfFreedom must be > 0 (Infinity allowed), got ${degreesOfFreedom}`);
  }
  if (degreesOfFreedom >= LARGE_DOF) return cornishFisher(p, degreesOfFreedom);
  const delta = p - P50;
  if (delta !== 0 && Math.abs(delta) < NEAR_HALF) {
    // The quantile is odd and linear in delta near the median up to a relative O(delta^2) term (< 1e-10 here),
    // so scale the value at a safe distance instead of trusting the cancelled one.
    const safeDelta = P50 + NEAR_HALF - P50;
    return (tQuantileStdlib(P50 + NEAR_HALF, degreesOfFreedom) * delta) / safeDelta;
  }
  return tQuantileStdlib(p, degreesOfFreedom);
}

/** Cornish-Fisher expansion of the t quantile in powers of 1/dof (Abramowitz & Stegun 26.7.5). */
function cornishFisher(p: number, dof: number): number {
  const z = normalQuantile(p, 0, 1);
  if (dof === Infinity || !Number.isFinite(z)) return z;
  const z2 = z * z;
  // calibration-exempt-begin: Cornish-Fisher coefficients (Abramowitz & Stegun 26.7.5)
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  // calibration-exempt-end
  return z + g1 / dof + g2 / (dof * dof) + g3 / (dof * dof * dof);
}
