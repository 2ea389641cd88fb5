/**
 * The only place unit factors live. The engine runs on integer nanoseconds; everything a user
 * types (seconds, microseconds, Gbit/s) is converted here, once, at the edge.
 */

export const NS_PER_US = 1_000;
export const NS_PER_MS = 1_000_000;
export const NS_PER_SEC = 1_000_000_000;
export const BITS_PER_BYTE = 8;

/** Largest simulated time the engine accepts: 2^53 ns (about 104 days). */
export const MAX_TIME_NS = Number.MAX_SAFE_INTEGER;

export const secToNs = (sec: number): number => sec * NS_PER_SEC;
export const nsToSec = (ns: number): number => ns / NS_PER_SEC;
export const usToNs = (us: number): number => us * NS_PER_US;
export const nsToUs = (ns: number): number => ns / NS_PER_US;
export const msToNs = (ms: number): number => ms * NS_PER_MS;
export const nsToMs = (ns: number): number => ns / NS_PER_MS;

/** Rounds a non-negative duration to the engine's integer-nanosecond grid. */
export const roundNs = (ns: number): number => Math.round(ns);
