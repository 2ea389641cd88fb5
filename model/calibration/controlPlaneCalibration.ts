/** Calibration rows of the controlPlane domain (see calibrationEntry.ts for the fields and labels). */
import type { CalibrationEntry } from './calibrationEntry.ts';

export const controlPlaneCalibration: readonly CalibrationEntry[] = [];
