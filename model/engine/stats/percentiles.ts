/**
 * The confidence level and percentile levels the statistics report by default, named once. A level
 * is written as the fraction it names (p99 = 0.99).
 */

/** Two-sided confidence of every interval unless a caller asks for another. */
export const DEFAULT_CONFIDENCE = 0.95; // calibration-exempt: the conventional 95 % level; the name is the number

export const P01 = 0.01;
export const P50 = 0.5; // calibration-exempt: a percentile level; the name is the number
export const P90 = 0.9; // calibration-exempt: a percentile level; the name is the number
export const P99 = 0.99; // calibration-exempt: a percentile level; the name is the number
export const P999 = 0.999; // calibration-exempt: a percentile level; the name is the number
