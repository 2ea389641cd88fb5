/** Calibration rows of the nic domain (see calibrationEntry.ts for the fields and labels). */
import type { CalibrationEntry } from './calibrationEntry.ts';

export const nicCalibration: readonly CalibrationEntry[] = [];
