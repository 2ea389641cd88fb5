/** Calibration rows of the lookup domain (see calibrationEntry.ts for the fields and labels). */
import type { CalibrationEntry } from './calibrationEntry.ts';

export const lookupCalibration: readonly CalibrationEntry[] = [];
