/** A Linux kernel version (major.minor), the switch for version-dependent costs such as tail calls. */

export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
}

/** Accepts "5.10", "5.10.0-21-amd64", "v6.1" or {major, minor}; throws naming the bad value. */
export function parseKernelVersion(v: string | KernelVersion): KernelVersion {
  if (typeof v === 'object' && v !== null) {
    if (!(Number.isInteger(v.major) && v.major >= 0 && Number.isInteger(v.minor) && v.minor >= 0)) {
      throw new RangeError(`kernelVersion must have non-negative integer major and minor, got ${JSON.stringify(v)}`);
    }
    return { major: v.major, minor: v.minor };
  }
  const m = /^v?(\d+)\.(\d+)/.exec(String(v));
  if (m === null) throw new RangeError(`kernelVersion must look like "5.10" (major.minor), got "${String(v)}"`);
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** True when `v` is `major.minor` or later. */
export function kernelAtLeast(v: KernelVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

export function formatKernelVersion(v: KernelVersion): string {
  return `${v.major}.${v.minor}`;
}
