/**
 * One stray-number rule for the whole code base (see strayNumbers.ts): every number in model/ and
 * experiments/ is a calibration entry, a unit factor in model/units.ts, or says why it is exempt.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedLiteral, strayNumbers } from './strayNumbers.ts';
import { ROOT, tsFiles } from './sourceScan.ts';

/** Where the numbers live by design: the calibration table and the unit factors. */
const HOMES = ['model/calibration/', 'model/units.ts'];

describe('the stray-number scanner', () => {
  it('allows 0, 1, 2 and powers of ten, and nothing else', () => {
    for (const ok of ['0', '1', '2', '10', '1_000', '1000000', '1e9', '1e-3', '0.001', '.1', '0.0']) expect(allowedLiteral(ok), ok).toBe(true);
    for (const bad of ['3', '0.5', '0.95', '20', '1.5', '2e6', '5e-3', '1_024', '0x10', '0b11', '101', '0.002']) expect(allowedLiteral(bad), bad).toBe(false);
  });

  it('sees code, not comments or strings, keeps template expressions, and honours both exemption forms', () => {
    const src = [
      'const a = 0.0025; // 0.25% of RAM',
      '/* 32768 in a comment */ const b = `x ${12345} y 99999`;',
      "const c = 'error 8000 and 1.5';",
      'const d = 86_400; // calibration-exempt: a test fixture',
      'const e = 120 + 1000 + 0.5 - 1;',
      '// calibration-exempt-begin: coefficients of a published approximation',
      'const f = 5 * 17 / 96;',
      '// calibration-exempt-end',
      'const g = 7;',
      "const h = /^[a-z0-9]{3,63}$/.test(s) ? x.toFixed(3) + y.toPrecision(4).padStart(12) : 6 / 3;",
      'const k = x.toFixed(n + 3);',
    ].join('\n');
    expect(strayNumbers(src)).toEqual([
      { line: 1, literal: '0.0025' },
      { line: 2, literal: '12345' },
      { line: 5, literal: '120' },
      { line: 5, literal: '0.5' },
      { line: 9, literal: '7' },
      { line: 10, literal: '6' },
      { line: 10, literal: '3' },
      { line: 11, literal: '3' },
    ]);
  });

  it('refuses an exemption region that is never closed or closed twice', () => {
    expect(() => strayNumbers('// calibration-exempt-begin: x\nconst a = 3;')).toThrow(/never closed/);
    expect(() => strayNumbers('const a = 3;\n// calibration-exempt-end')).toThrow(/without a begin/);
  });
});

describe('no stray numbers in model/ and experiments/', () => {
  const files = [...tsFiles(join(ROOT, 'model')), ...tsFiles(join(ROOT, 'experiments'))]
    .map((f) => relative(ROOT, f).split('\\').join('/'))
    .filter((f) => !HOMES.some((home) => f === home || f.startsWith(home)));

  it('covers the engine, queueing, every component, the datapaths and the experiments', () => {
    for (const folder of ['model/engine/', 'model/queueing/', 'model/nic/', 'model/datapaths/', 'experiments/cli/', 'experiments/lib/']) {
      expect(files.some((f) => f.startsWith(folder)), folder).toBe(true);
    }
  });

  it('every number is a calibration entry, a unit factor, or says why it is exempt', () => {
    const offenders = files.flatMap((f) => strayNumbers(readFileSync(join(ROOT, f), 'utf8')).map(({ line, literal }) => `${f}:${line}: ${literal}`));
    expect(
      offenders,
      'move these numbers to the calibration table or model/units.ts, or say why on the line ("// calibration-exempt: <why>") or around a block ("// calibration-exempt-begin: <why>" ... "// calibration-exempt-end")',
    ).toEqual([]);
  });
});
