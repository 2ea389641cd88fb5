/**
 * model/ is a pure function of its inputs: it imports nothing that does I/O, spawns work, renders
 * or serialises (fs, child_process, worker_threads, net, apache-arrow, vega*), reads no clock
 * (Date, performance, process.hrtime) and draws no unseeded randomness (Math.random, crypto).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeOnly, ROOT, tsFiles } from './sourceScan.ts';

const FORBIDDEN_MODULES = [
  /^(node:)?fs(\/promises)?$/, /^(node:)?child_process$/, /^(node:)?worker_threads$/, /^(node:)?net$/, /^(node:)?http2?$/,
  /^(node:)?https$/, /^(node:)?dgram$/, /^(node:)?os$/, /^(node:)?perf_hooks$/, /^(node:)?crypto$/, /^(node:)?process$/,
  /^(node:)?readline$/, /^(node:)?cluster$/, /^apache-arrow/, /^vega/, /^@duckdb\//, /^@resvg\//,
];
const FORBIDDEN_CODE: [RegExp, string][] = [
  [/\bDate\b/, 'Date (the wall clock)'],
  [/\bperformance\b/, 'performance (the wall clock)'],
  [/\bprocess\.(hrtime|env|stdout|stderr|argv|exit)\b/, 'process (clock, environment or terminal)'],
  [/\bMath\.random\b/, 'Math.random (unseeded randomness)'],
  [/\bcrypto\b/, 'crypto (unseeded randomness)'],
  [/\bconsole\.\w+/, 'console (printing)'],
  [/\bsetTimeout\b|\bsetInterval\b|\bsetImmediate\b/, 'timers (wall-clock scheduling)'],
  [/\brequire\s*\(/, 'require (a dynamic import the scan cannot follow)'],
];

/** Module specifiers of static and dynamic imports and re-exports. */
export function importedModules(src: string): string[] {
  const out: string[] = [];
  for (const m of src.matchAll(/^\s*(?:import|export)\b[^;'"]*?from\s*['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of src.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of src.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

export function purityViolations(src: string): string[] {
  const problems: string[] = [];
  for (const spec of importedModules(src)) if (FORBIDDEN_MODULES.some((re) => re.test(spec))) problems.push(`imports ${spec}`);
  const code = codeOnly(src).split('\n');
  code.forEach((text, i) => {
    for (const [re, what] of FORBIDDEN_CODE) if (re.test(text)) problems.push(`line ${i + 1}: ${what}`);
  });
  return problems;
}

describe('model/ purity', () => {
  it('the scan catches each kind of impurity and ignores comments and strings', () => {
    expect(purityViolations("import { readFileSync } from 'node:fs';")).toEqual(['imports node:fs']);
    expect(purityViolations("import type { Table } from 'apache-arrow';")).toEqual(['imports apache-arrow']);
    expect(purityViolations("export { x } from 'vega-lite';")).toEqual(['imports vega-lite']);
    expect(purityViolations("const m = await import('node:child_process');")).toEqual(['imports node:child_process']);
    expect(purityViolations('const t = Date.now();')).toEqual(['line 1: Date (the wall clock)']);
    expect(purityViolations('const t = performance.now();')).toEqual(['line 1: performance (the wall clock)']);
    expect(purityViolations('const u = Math.random();')).toEqual(['line 1: Math.random (unseeded randomness)']);
    expect(purityViolations('console.log(1);')).toEqual(['line 1: console (printing)']);
    expect(purityViolations("// Date.now() and Math.random() in a comment\nconst s = 'Date performance console.log';")).toEqual([]);
    expect(purityViolations("import { x } from './simulation.ts';")).toEqual([]);
  });

  it('no file in model/ does I/O, reads a clock, prints or draws unseeded randomness', () => {
    const offenders = tsFiles(join(ROOT, 'model')).flatMap((f) =>
      purityViolations(readFileSync(f, 'utf8')).map((p) => `${relative(ROOT, f)}: ${p}`),
    );
    expect(offenders).toEqual([]);
  });
});
