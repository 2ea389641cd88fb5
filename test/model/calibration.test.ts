/**
 * The calibration table's rules, checked over the whole model:
 * (1) every entry is well-formed (checkEntry), keys are unique, every assumption has a range;
 * (2) every exported `default*Params` object of a component index has a recorded calibration key
 *     for each numeric field (it was built by calibratedParams);
 * (3) component source files carry no stray numbers: a literal with a decimal point or exponent,
 *     or with 3+ significant digits, must be on a line marked `// calibration-exempt: <why>`.
 *     model/lookup and model/conntrack hold themselves to a stricter rule: only 0, 1, 2, 0.5 and
 *     powers of ten.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { calibrationTable, calibrationEntry, checkEntry, paramsProvenance } from '../../model/calibration/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODEL = join(ROOT, 'model');
const COMPONENTS = ['nic', 'cpu', 'ebpf', 'lookup', 'conntrack', 'datapaths'] as const;
const EXCLUDED = new Set(['engine', 'calibration', 'queueing', 'units.ts']);
const STRICT = new Set(['lookup', 'conntrack']);

describe('calibration table', () => {
  it('every entry passes checkEntry', () => {
    expect(calibrationTable.length).toBeGreaterThan(0);
    for (const e of calibrationTable) expect(() => checkEntry(e), e.key).not.toThrow();
  });

  it('keys are unique and each key resolves to its own entry', () => {
    const keys = calibrationTable.map((e) => e.key);
    const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
    expect(dupes).toEqual([]);
    for (const e of calibrationTable) expect(calibrationEntry(e.key)).toBe(e);
  });

  it('every assumption has a range containing its value, every derived entry says how', () => {
    for (const e of calibrationTable) {
      if (e.label === 'assumption') {
        expect(e.range, e.key).toBeDefined();
        expect(e.range![0] <= e.value && e.value <= e.range![1], e.key).toBe(true);
      }
      if (e.label === 'derived') expect(e.derivation?.length ?? 0, e.key).toBeGreaterThan(10);
    }
  });

  it('each key belongs to a domain file named by its prefix', () => {
    const domains = new Set(['nic', 'cpu', 'ebpf', 'lookup', 'conntrack', 'controlPlane', 'datapath', 'node']);
    for (const e of calibrationTable) expect(domains.has(e.key.split('.')[0]!), e.key).toBe(true);
  });
});

describe('default params carry provenance', () => {
  for (const component of COMPONENTS) {
    const index = join(MODEL, component, 'index.ts');
    it.skipIf(!existsSync(index))(`model/${component}: every default*Params has a calibration key for each numeric field`, async () => {
      const mod = (await import(index)) as Record<string, unknown>;
      const defaults = Object.entries(mod).filter(([name, v]) => /^default.*Params$/.test(name) && typeof v === 'object' && v !== null);
      for (const [name, params] of defaults) {
        const provenance = paramsProvenance(params as object);
        expect(provenance, `${component}.${name} was not built by calibratedParams`).toBeDefined();
        for (const [field, value] of Object.entries(params as object)) {
          if (typeof value !== 'number') continue;
          const key = provenance![field];
          expect(key, `${component}.${name}.${field} has no calibration key`).toBeDefined();
          expect(calibrationEntry(key!).value, `${component}.${name}.${field}`).toBe(value);
        }
      }
    });
  }
});

// ---- (3) the source scan ----------------------------------------------------------------------

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (dir === MODEL && EXCLUDED.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Blanks comments and string contents (keeping line breaks), so only code is scanned. */
function codeOnly(src: string): string {
  let out = '';
  let i = 0;
  const keepNewlines = (s: string): string => s.replace(/[^\n]/g, ' ');
  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? src.length : end;
      out += keepNewlines(src.slice(i, stop));
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end === -1 ? src.length : end + 2;
      out += keepNewlines(src.slice(i, stop));
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') j++;
        if (c === '`' && src[j] === '$' && src[j + 1] === '{') {
          // Template expression: keep it as code up to the matching brace.
          let depth = 0;
          let k = j + 1;
          for (; k < src.length; k++) {
            if (src[k] === '{') depth++;
            else if (src[k] === '}' && --depth === 0) break;
          }
          out += keepNewlines(src.slice(i, j)) + src.slice(j, k + 1);
          i = k + 1;
          j = i - 1;
        }
        j++;
      }
      out += keepNewlines(src.slice(i, Math.min(j + 1, src.length)));
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const NUMBER = /(?<![\w.$])(\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?|0[xX][\da-fA-F_]+)(?![\w$])/g;

function significantDigits(literal: string): number {
  const digits = literal.replace(/_/g, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return digits.length;
}

function practicalViolation(literal: string): boolean {
  if (/^0[xX]/.test(literal)) return true;
  if (literal === '0.5') return false;
  if (/[.eE]/.test(literal)) return true;
  return significantDigits(literal) >= 3;
}

function strictViolation(literal: string): boolean {
  const v = Number(literal.replace(/_/g, ''));
  if (literal === '0.5' || v === 0 || v === 1 || v === 2) return false;
  if (/[.eE]/.test(literal) || /^0[xX]/.test(literal)) return true;
  return !/^10*$/.test(literal.replace(/_/g, ''));
}

function scanNumbers(src: string, strict: boolean): { line: number; literal: string }[] {
  const code = codeOnly(src).split('\n');
  const raw = src.split('\n');
  const found: { line: number; literal: string }[] = [];
  code.forEach((text, i) => {
    if (/\/\/\s*calibration-exempt:\s*\S/.test(raw[i] ?? '')) return;
    for (const m of text.matchAll(NUMBER)) {
      const literal = m[1]!;
      if (strict ? strictViolation(literal) : practicalViolation(literal)) found.push({ line: i + 1, literal });
    }
  });
  return found;
}

describe('no stray numbers in component sources', () => {
  it('the scanner sees code, not comments or strings, and honours the exemption comment', () => {
    const src = [
      "const a = 0.0025; // 0.25% of RAM",
      "/* 32768 in a comment */ const b = `x ${12345} y 99999`;",
      "const c = 'error 8000 and 1.5';",
      "const d = 86_400; // calibration-exempt: a test fixture",
      'const e = 120 + 1000 + 0.5;',
    ].join('\n');
    expect(scanNumbers(src, false)).toEqual([
      { line: 1, literal: '0.0025' },
      { line: 2, literal: '12345' },
    ]);
    expect(scanNumbers(src, true)).toEqual([
      { line: 1, literal: '0.0025' },
      { line: 2, literal: '12345' },
      { line: 5, literal: '120' },
    ]);
  });

  it('model/** (outside engine, calibration, queueing, units.ts) has no decimal literals or literals with 3+ significant digits', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(MODEL)) {
      const component = relative(MODEL, file).split(/[\\/]/)[0]!;
      for (const { line, literal } of scanNumbers(readFileSync(file, 'utf8'), STRICT.has(component))) {
        offenders.push(`${relative(ROOT, file)}:${line}: ${literal}`);
      }
    }
    expect(offenders, 'move these numbers to the calibration table, or mark the line "// calibration-exempt: <why>"').toEqual([]);
  });
});
