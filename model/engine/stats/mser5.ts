/**
 * MSER-5 warm-up truncation (White 1997; White, Cobb & Spratt 2000; Hoad, Robinson & Davies 2010): average xs in
 * non-overlapping batches of 5 (trailing partial batch dropped), then pick the d minimising
 * MSER(d) = Σ_{j≥d} (Z_j − Z̄_{≥d})² / (k − d)² over d = 0..floor(k/2): only the first half is searched, the
 * standard rule, because near the end the statistic is noise. Ties go to the smallest d. O(n) time.
 */

export function mser5(xs: ArrayLike<number>): { truncateCount: number; batchSize: 5; statistic: number } { // calibration-exempt: the 5 of MSER-5 (the method's definition)
  if (xs === null || typeof xs !== 'object' || typeof xs.length !== 'number') {
    throw new TypeError(`xs must be an array-like of numbers, got ${String(xs)}`);
  }
  const batchSize = 5; // calibration-exempt: the 5 of MSER-5 (the method's definition)
  const k = Math.floor(xs.length / batchSize);
  if (k < 2) throw new RangeError(`xs must hold at least 10 observations (2 batches of 5), got ${xs.length}`);
  const z = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let sum = 0;
    for (let i = j * batchSize; i < (j + 1) * batchSize; i++) {
      const x = xs[i] as number;
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new RangeError(`xs[${i}] must be a finite number, got ${String(x)}`);
      }
      sum += x;
    }
    z[j] = sum / batchSize;
  }
  // Suffix sums of squared deviations, accumulated backwards with Welford's update: Σz² − (Σz)²/m would
  // cancel catastrophically when the level (e.g. latencies in ns) is large next to the spread.
  const lastD = Math.floor(k / 2);
  let m = 0;
  let mean = 0;
  let m2 = 0;
  let bestD = 0;
  let best = Infinity;
  for (let d = k - 1; d >= 0; d--) {
    const x = z[d] as number;
    m++;
    const delta = x - mean;
    mean += delta / m;
    m2 += delta * (x - mean);
    if (d <= lastD) {
      const statistic = m2 / (m * m);
      // <= because d runs downwards: an equal value at a smaller d wins.
      if (statistic <= best) {
        best = statistic;
        bestD = d;
      }
    }
  }
  return { truncateCount: bestD * batchSize, batchSize, statistic: best };
}
