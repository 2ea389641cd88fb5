/**
 * Entries of a connection-tracking table over weeks, in aggregate: connections come in classes
 * (arrivals at a constant rate during a window; each entry lives a fixed time from its arrival:
 * open time + closing timeout, or an idle timeout, or forever for a flow refreshed forever), and
 * the table's garbage collector frees an expired entry at its first pass at or after the expiry
 * (passes every `gcIntervalSec` from the start, as ConntrackTable's collector runs). Then the
 * expected entries at time t of a class with rate λ, arrivals in [s0, s1] and lifetime L are
 *   λ · | [max(s0, G(t) - L), min(s1, t)] |,   G(t) = the last pass at or before t,
 * because an entry that arrived at s is still there at t exactly when its expiry s + L comes after
 * the last pass. Within a GC interval that is piecewise linear in t, so its time average over any
 * interval is computed exactly (no events, whatever the rates): three weeks at thousands of
 * connections per second is billions of events for the discrete-event table (simulateConntrack),
 * which it is checked against on horizons both can run.
 *
 * A full table: entries are capped at the table's size (nf_conntrack refuses the new flows,
 * Cilium's LRU map evicts the oldest), and the time the count first reaches the cap is reported.
 */

export interface FlowClass {
  readonly name: string;
  /** New connections per second while the class arrives. */
  readonly ratePerSec: number;
  /** Arrivals start, s. */
  readonly startSec: number;
  /** Arrivals end, s (Infinity: for the whole run). */
  readonly endSec: number;
  /** Time an entry lives from its arrival until it expires, s (Infinity: never, refreshed forever). */
  readonly lifetimeSec: number;
}

export interface OccupancySample {
  readonly startSec: number;
  readonly endSec: number;
  /** Time-averaged entries over the sample, uncapped (what the connections would need). */
  readonly meanNeededEntries: number;
  /** Time-averaged entries over the sample, capped at the table's size. */
  readonly meanEntries: number;
  /** Entries at the end of the sample (uncapped). */
  readonly endNeededEntries: number;
}

export interface OccupancyResult {
  readonly samples: readonly OccupancySample[];
  /** When the needed entries first reach the table's size, s (null: never within the horizon). */
  readonly fullAtSec: number | null;
}

function checkClass(c: FlowClass): void {
  if (!(c.ratePerSec >= 0) || !Number.isFinite(c.ratePerSec)) throw new RangeError(`${c.name}: ratePerSec must be a finite number >= 0, got ${c.ratePerSec}`);
  if (!(c.startSec >= 0 && c.endSec >= c.startSec)) throw new RangeError(`${c.name}: arrivals must run over 0 <= startSec <= endSec, got [${c.startSec}, ${c.endSec}]`);
  if (!(c.lifetimeSec > 0)) throw new RangeError(`${c.name}: lifetimeSec must be > 0 (Infinity: never expires), got ${c.lifetimeSec}`);
}

/** Entries of `classes` at time t, the last GC pass having run at `lastPassSec` (<= t). */
function neededAt(classes: readonly FlowClass[], t: number, lastPassSec: number): number {
  let n = 0;
  for (const c of classes) {
    const from = Math.max(c.startSec, lastPassSec - c.lifetimeSec);
    const to = Math.min(c.endSec, t);
    if (to > from) n += c.ratePerSec * (to - from);
  }
  return n;
}

/**
 * Time-averaged entries of `classes` in a table of `capacityEntries` with GC every `gcIntervalSec`,
 * over consecutive samples of `sampleSec` from 0 to `horizonSec`.
 */
export function conntrackOccupancy(
  classes: readonly FlowClass[], gcIntervalSec: number, capacityEntries: number, horizonSec: number, sampleSec: number,
): OccupancyResult {
  for (const c of classes) checkClass(c);
  for (const [name, v] of [['gcIntervalSec', gcIntervalSec], ['horizonSec', horizonSec], ['sampleSec', sampleSec]] as const) {
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be a finite number > 0, got ${v}`);
  }
  if (!(capacityEntries > 0)) throw new RangeError(`capacityEntries must be > 0, got ${capacityEntries}`);
  // Every point where some class's count changes slope within a GC interval: arrival windows'
  // ends, and each class's "oldest survivor" bound for the interval.
  const fixedBreaks = classes.flatMap((c) => [c.startSec, c.endSec]).filter((x) => Number.isFinite(x));
  let fullAtSec: number | null = null;
  const samples: OccupancySample[] = [];
  let sampleStart = 0;
  let sumNeeded = 0;
  let sumCapped = 0;
  const closeSample = (end: number, lastPass: number): void => {
    const len = end - sampleStart;
    samples.push({
      startSec: sampleStart, endSec: end, meanNeededEntries: sumNeeded / len, meanEntries: sumCapped / len, endNeededEntries: neededAt(classes, end, lastPass),
    });
    sampleStart = end;
    sumNeeded = 0;
    sumCapped = 0;
  };
  let nextSampleEnd = Math.min(sampleSec, horizonSec);
  for (let k = 0; k * gcIntervalSec < horizonSec; k++) {
    const lastPass = k * gcIntervalSec;
    const intervalEnd = Math.min((k + 1) * gcIntervalSec, horizonSec);
    // Breakpoints inside this GC interval, including the sample boundaries.
    const points = new Set<number>([lastPass, intervalEnd]);
    for (const x of fixedBreaks) if (x > lastPass && x < intervalEnd) points.add(x);
    for (const c of classes) {
      const x = Math.max(c.startSec, lastPass - c.lifetimeSec);
      if (x > lastPass && x < intervalEnd) points.add(x);
    }
    for (let e = nextSampleEnd; e < intervalEnd; e += sampleSec) points.add(e);
    const sorted = [...points].sort((a, b) => a - b);
    for (let i = 0; i + 1 < sorted.length; i++) {
      const a = sorted[i]!;
      const b = sorted[i + 1]!;
      // Linear on [a, b]: split where it crosses the capacity.
      const fa = neededAt(classes, a, lastPass);
      const fb = neededAt(classes, b, lastPass);
      const pieces: [number, number, number, number][] = [];
      if ((fa - capacityEntries) * (fb - capacityEntries) < 0) {
        const x = a + ((capacityEntries - fa) / (fb - fa)) * (b - a);
        pieces.push([a, x, fa, capacityEntries], [x, b, capacityEntries, fb]);
      } else {
        pieces.push([a, b, fa, fb]);
      }
      for (const [u, v, fu, fv] of pieces) {
        if (fullAtSec === null && Math.max(fu, fv) >= capacityEntries) fullAtSec = fu >= capacityEntries ? u : v;
        sumNeeded += ((fu + fv) / 2) * (v - u);
        sumCapped += ((Math.min(fu, capacityEntries) + Math.min(fv, capacityEntries)) / 2) * (v - u);
      }
      if (b >= nextSampleEnd - 1e-9 * sampleSec && b <= intervalEnd) {
        closeSample(b, lastPass);
        nextSampleEnd = Math.min(nextSampleEnd + sampleSec, horizonSec);
      }
    }
  }
  if (sampleStart < horizonSec * (1 - 1e-12)) closeSample(horizonSec, Math.floor(horizonSec / gcIntervalSec) * gcIntervalSec);
  return { samples, fullAtSec };
}
