// The calibration table: table of contents.
export { calibrationTable, calibrationEntry, calibrated, calibratedParams, paramsProvenance } from './calibrationTable.ts';
export { checkEntry, type CalibrationEntry, type CalibrationLabel } from './calibrationEntry.ts';
