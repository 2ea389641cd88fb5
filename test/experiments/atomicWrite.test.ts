import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempFiles, writeFileAtomicSync } from '../../experiments/lib/atomicWrite.ts';
import { decodeTask, encodeTask } from '../../experiments/lib/taskStore.ts';
import { removeTempDirs, tempDir } from './runnerHelpers.ts';

afterAll(removeTempDirs);

describe('writeFileAtomicSync(path, data)', () => {
  it('replaces the file whole and leaves no temporary file', () => {
    const dir = tempDir('atomic');
    const path = join(dir, 'runs.arrow');
    writeFileSync(path, 'old');
    writeFileAtomicSync(path, 'new contents');
    expect(readFileSync(path, 'utf8')).toBe('new contents');
    expect(readdirSync(dir)).toEqual(['runs.arrow']);
  });

  it('on failure leaves the old state and no temporary file', () => {
    const dir = tempDir('atomic-fail');
    mkdirSync(join(dir, 'summary.arrow')); // a folder where the file should go: the rename fails
    writeFileSync(join(dir, 'summary.arrow', 'x'), '');
    expect(() => writeFileAtomicSync(join(dir, 'summary.arrow'), 'data')).toThrow();
    expect(readdirSync(dir)).toEqual(['summary.arrow']);
  });

  it('removeTempFiles(dir) clears what a killed writer left', () => {
    const dir = tempDir('atomic-clean');
    writeFileSync(join(dir, '.p0-r0.json.123-0-1.tmp'), '{"half');
    writeFileSync(join(dir, 'p0-r1.json'), '{}');
    expect(removeTempFiles(dir)).toBe(1);
    expect(readdirSync(dir)).toEqual(['p0-r1.json']);
  });
});

describe('task records', () => {
  it('round-trip every double exactly, NaN, infinities and -0 included', () => {
    const metrics = { a: 0.1 + 0.2, b: NaN, c: -0, d: Infinity, e: -Infinity, f: 5e-324, g: Number.MAX_VALUE, h: -1.5 };
    const t = { point: 3, key: '{"a":1}', replication: 7, seed: 2 ** 53 - 1, study: 'abc', metrics, wallMs: 1.25 };
    const back = decodeTask(encodeTask(t));
    expect(back).toEqual(t);
    for (const [k, v] of Object.entries(metrics)) expect(Object.is(back.metrics[k], v)).toBe(true);
    expect(encodeTask(t)).toBe(encodeTask(back));
  });
});
