/** Calibration rows of the conntrack domain (see calibrationEntry.ts for the fields and labels). */
import type { CalibrationEntry } from './calibrationEntry.ts';

export const conntrackCalibration: readonly CalibrationEntry[] = [];
