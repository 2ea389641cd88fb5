/**
 * The time-weighted length of a Resource's waiting line, derived from the waits instead of updated
 * at every change: the area under the length curve over [start, t] is the sum, over requests, of
 * the part of their wait that falls inside the window. A request that leaves the line (granted or
 * cancelled) adds its part then; the ones still waiting are summed when the area is read (O(line
 * length), for a reader that comes rarely). The line's hot path pays one addition per request
 * instead of two time-weighted updates. Same read interface as TimeWeighted.
 */
import type { RequestLine } from './requestLine.ts';

export class LineLengthMonitor {
  private startNs: number;
  private leftAreaNs = 0;
  private maxLength: number;

  constructor(
    private readonly line: RequestLine,
    startNs: number,
  ) {
    if (!Number.isFinite(startNs)) throw new RangeError(`startNs must be a finite time, got ${startNs}`);
    this.startNs = startNs;
    this.maxLength = line.length;
  }

  /** Requests waiting now. */
  get value(): number {
    return this.line.length;
  }

  /** Longest line since the start or the last reset. */
  get max(): number {
    return this.maxLength;
  }

  /** A request has joined the line. */
  joined(lengthNow: number): void {
    if (lengthNow > this.maxLength) this.maxLength = lengthNow;
  }

  /** A request that joined at `sinceNs` has left the line at `nowNs`. */
  left(sinceNs: number, nowNs: number): void {
    this.leftAreaNs += nowNs - (sinceNs > this.startNs ? sinceNs : this.startNs);
  }

  /** Area under the line length since the start or the last reset, up to `nowNs` (request x ns). */
  areaAt(nowNs: number): number {
    if (!(nowNs >= this.startNs) || nowNs === Infinity) throw new RangeError(`nowNs must be a finite time >= the monitor's start ${this.startNs}, got ${nowNs}`);
    return this.leftAreaNs + this.line.waitedNsSince(nowNs, this.startNs);
  }

  /** Time-average line length since the start or the last reset (NaN over an empty window). */
  meanAt(nowNs: number): number {
    const area = this.areaAt(nowNs);
    const lengthNs = nowNs - this.startNs;
    return lengthNs === 0 ? NaN : area / lengthNs;
  }

  /** Restarts the window at `nowNs` (warm-up deletion); the requests waiting now count from here. */
  reset(nowNs: number): void {
    if (!(nowNs >= this.startNs) || nowNs === Infinity) throw new RangeError(`nowNs must be a finite time >= the monitor's start ${this.startNs}, got ${nowNs}`);
    this.startNs = nowNs;
    this.leftAreaNs = 0;
    this.maxLength = this.line.length;
  }
}
