/**
 * The only place unit factors live. The engine runs on integer nanoseconds; everything a user
 * types (seconds, microseconds, Gbit/s) is converted here, once, at the edge.
 */

export const NS_PER_US = 1_000;
export const NS_PER_MS = 1_000_000;
export const NS_PER_SEC = 1_000_000_000;
export const SEC_PER_MIN = 60;
export const MIN_PER_HOUR = 60;
export const SEC_PER_HOUR = 3_600;
export const SEC_PER_DAY = 86_400;
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

// ---- sizes, rates and clocks (added for the nic, cpu and ebpf components) --------------------

export const HZ_PER_GHZ = 1_000_000_000;
export const BYTES_PER_KIB = 1_024;
export const BYTES_PER_MIB = 1_048_576;
export const BYTES_PER_GIB = 1_073_741_824;
export const BITS_PER_SEC_PER_GBIT_PER_SEC = 1_000_000_000;
export const PPS_PER_MPPS = 1_000_000;
/** Percent -> fraction: 100 % is 1. */
export const PERCENT_PER_FRACTION = 100;

export const bytesToBits = (bytes: number): number => bytes * BITS_PER_BYTE;
export const bitsToBytes = (bits: number): number => bits / BITS_PER_BYTE;
export const kibToBytes = (kib: number): number => kib * BYTES_PER_KIB;
export const mibToBytes = (mib: number): number => mib * BYTES_PER_MIB;
export const gibToBytes = (gib: number): number => gib * BYTES_PER_GIB;
export const ghzToHz = (ghz: number): number => ghz * HZ_PER_GHZ;
export const hzToGhz = (hz: number): number => hz / HZ_PER_GHZ;
export const gbitPerSecToBitsPerSec = (gbitPerSec: number): number => gbitPerSec * BITS_PER_SEC_PER_GBIT_PER_SEC;
export const bitsPerSecToGbitPerSec = (bitsPerSec: number): number => bitsPerSec / BITS_PER_SEC_PER_GBIT_PER_SEC;
export const mppsToPps = (mpps: number): number => mpps * PPS_PER_MPPS;
export const ppsToMpps = (pps: number): number => pps / PPS_PER_MPPS;

/** Time per event at a steady rate: 1 / rate, in ns (e.g. ns per packet at `pps`). */
export const ratePerSecToNsPerEvent = (ratePerSec: number): number => NS_PER_SEC / ratePerSec;
/** Rate of events spaced `nsPerEvent` apart, per second. */
export const nsPerEventToRatePerSec = (nsPerEvent: number): number => NS_PER_SEC / nsPerEvent;

/** Time to move `amount` (bits, packets, tokens) at `ratePerSec` units per second, in ns. */
export const durationNsAtRate = (amount: number, ratePerSec: number): number => (amount / ratePerSec) * NS_PER_SEC;
/** Amount moved in `ns` at `ratePerSec` units per second. */
export const amountInNsAtRate = (ns: number, ratePerSec: number): number => (ns / NS_PER_SEC) * ratePerSec;

/** CPU cycles -> ns at clock `freqHz` (ns = cycles / f). */
export const cyclesToNs = (cycles: number, freqHz: number): number => (cycles / freqHz) * NS_PER_SEC;
/** ns -> CPU cycles at clock `freqHz`. */
export const nsToCycles = (ns: number, freqHz: number): number => (ns / NS_PER_SEC) * freqHz;
