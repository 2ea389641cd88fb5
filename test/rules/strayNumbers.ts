/**
 * The stray-number rule: in model/ and experiments/, a numeric literal other than 0, 1, 2 (so -1 too)
 * and powers of ten (unit factors: 10, 1000, 1e9, 0.001) must be a calibration entry
 * (model/calibration/), a named constant in model/units.ts, or sit on a line that says why it is
 * exempt: `// calibration-exempt: <why>`. A run of lines can be exempted together between
 * `// calibration-exempt-begin: <why>` and `// calibration-exempt-end` (algorithm coefficients,
 * an experiment's design grid, chart geometry). The argument of a number-formatting call
 * (`toFixed(3)`, `toPrecision(4)`, `padStart(8)`, `padEnd(8)`) is presentation, not a quantity,
 * and needs no exemption.
 */
import { codeOnly } from './sourceScan.ts';

const NUMBER = /(?<![\w.$])(\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?|0[xX][\da-fA-F_]+|0[bB][01_]+)(?![\w$])/g;
const LINE_EXEMPT = /\/\/\s*calibration-exempt:\s*\S/;
const BEGIN_EXEMPT = /\/\/\s*calibration-exempt-begin:\s*\S/;
const END_EXEMPT = /\/\/\s*calibration-exempt-end\b/;
/** A literal that is the whole argument of a formatting call: digits or widths of printed text. */
const FORMAT_ARGUMENT = /\.(?:toFixed|toPrecision|padStart|padEnd)\(\s*$/;

/** 0, 1, 2, or a power of ten written plainly (10, 1_000, 1e9, 1e-3, 0.001). */
export function allowedLiteral(literal: string): boolean {
  const text = literal.replace(/_/g, '');
  if (/^0[xXbB]/.test(text)) return false;
  if (/^0+(\.0*)?$/.test(text) || text === '1' || text === '2') return true;
  if (/^10*$/.test(text) || /^1[eE]\+?\d+$/.test(text) || /^1[eE]-\d+$/.test(text)) return true;
  return /^0?\.0*1$/.test(text);
}

export interface StrayNumber {
  line: number;
  literal: string;
}

/** The literals `src` breaks the rule with; throws on an unbalanced exempt region. */
export function strayNumbers(src: string): StrayNumber[] {
  const raw = src.split('\n');
  const code = codeOnly(src).split('\n');
  const found: StrayNumber[] = [];
  let regionStart = -1;
  code.forEach((text, i) => {
    const line = raw[i] ?? '';
    if (BEGIN_EXEMPT.test(line)) {
      if (regionStart >= 0) throw new Error(`line ${i + 1}: calibration-exempt-begin inside the region opened on line ${regionStart + 1}`);
      regionStart = i;
      return;
    }
    if (END_EXEMPT.test(line)) {
      if (regionStart < 0) throw new Error(`line ${i + 1}: calibration-exempt-end without a begin`);
      regionStart = -1;
      return;
    }
    if (regionStart >= 0 || LINE_EXEMPT.test(line)) return;
    for (const m of text.matchAll(NUMBER)) {
      if (allowedLiteral(m[1]!)) continue;
      if (FORMAT_ARGUMENT.test(text.slice(0, m.index)) && /^\s*[,)]/.test(text.slice(m.index + m[1]!.length))) continue;
      found.push({ line: i + 1, literal: m[1]! });
    }
  });
  if (regionStart >= 0) throw new Error(`line ${regionStart + 1}: calibration-exempt-begin is never closed`);
  return found;
}
