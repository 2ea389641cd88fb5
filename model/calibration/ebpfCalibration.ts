/** Calibration rows of the ebpf domain (see calibrationEntry.ts for the fields and labels). */
import type { CalibrationEntry } from './calibrationEntry.ts';

export const ebpfCalibration: readonly CalibrationEntry[] = [];
