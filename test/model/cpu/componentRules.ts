/**
 * Shared checks of the project's calibration rules for one component folder: every exported
 * `default*Params` was built by calibratedParams and names a calibration key for each numeric
 * field; the source holds no bare numeric literal with 3+ significant digits or a decimal point
 * unless its line says `calibration-exempt: <why>`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { calibrationEntry, paramsProvenance } from '../../../model/calibration/index.ts';

export function defaultsWithoutProvenance(moduleExports: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(moduleExports)) {
    if (!/^default.*Params$/.test(name) || value === null || typeof value !== 'object') continue;
    const prov = paramsProvenance(value);
    if (prov === undefined) {
      problems.push(`${name}: not built by calibratedParams`);
      continue;
    }
    for (const [field, v] of Object.entries(value)) {
      if (typeof v !== 'number') continue;
      const key = prov[field];
      if (key === undefined) problems.push(`${name}.${field}: no calibration key`);
      else if (calibrationEntry(key).value !== v) problems.push(`${name}.${field}: value differs from ${key}`);
    }
  }
  return problems;
}

function significantDigits(literal: string): number {
  if (/[eE]-/.test(literal)) return Infinity; // 1e-9 is a decimal too
  const mantissa = literal.replace(/_/g, '').replace(/[eE][+-]?\d+$/, '');
  if (mantissa.includes('.')) return Infinity; // decimals are always flagged
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
}

/** Lines of `dir`'s .ts files with a flagged literal: `file:line: text`. */
export function bareLiterals(dir: string): string[] {
  const out: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    let inBlockComment = false;
    lines.forEach((raw, i) => {
      let line = raw;
      if (inBlockComment) {
        const end = line.indexOf('*/');
        if (end < 0) return;
        line = line.slice(end + 2);
        inBlockComment = false;
      }
      line = line.replace(/\/\*.*?\*\//g, '');
      const start = line.indexOf('/*');
      if (start >= 0) {
        inBlockComment = true;
        line = line.slice(0, start);
      }
      if (raw.includes('calibration-exempt:')) return;
      const code = line.replace(/\/\/.*$/, '').replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');
      for (const m of code.matchAll(/(?<![\w.])(0x[0-9a-fA-F_]+|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![\w.])/g)) {
        const lit = m[1]!;
        if (lit.startsWith('0x') ? lit.length > 4 : significantDigits(lit) >= 3) {
          out.push(`${file}:${i + 1}: ${raw.trim()}`);
          break;
        }
      }
    });
  }
  return out;
}
