/** Calibration rows of the cpu domain (see calibrationEntry.ts for the fields and labels). */
import type { CalibrationEntry } from './calibrationEntry.ts';

export const cpuCalibration: readonly CalibrationEntry[] = [];
