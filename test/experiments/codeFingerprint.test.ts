import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { codeFingerprint } from '../../experiments/lib/codeFingerprint.ts';
import { REGISTRY_URL } from '../../experiments/lib/loadExperiment.ts';
import { runStudy } from '../../experiments/lib/runStudy.ts';
import { removeTempDirs, tempDir } from './runnerHelpers.ts';

// A copy of the sum fixture next to it (its imports are relative), edited by the resume test.
const EDITED = join(import.meta.dirname, 'fixtures', `.edited-sumStudy-${process.pid}.ts`);

afterAll(() => {
  rmSync(EDITED, { force: true });
  removeTempDirs();
});

/** A fake repository: model/ (nested), experiments/*.ts and experiments/lib/. */
function fakeRepo(): string {
  const root = tempDir('repo');
  mkdirSync(join(root, 'model', 'nic'), { recursive: true });
  mkdirSync(join(root, 'experiments', 'lib'), { recursive: true });
  writeFileSync(join(root, 'model', 'units.ts'), 'export const A = 1;\n');
  writeFileSync(join(root, 'model', 'nic', 'ring.ts'), 'export const RING = 512;\n');
  writeFileSync(join(root, 'experiments', 'index.ts'), 'export const EXPERIMENTS = {};\n');
  writeFileSync(join(root, 'experiments', 'scaling.ts'), 'export const S = 1;\n');
  writeFileSync(join(root, 'experiments', 'lib', 'tables.ts'), 'export const T = 1;\n');
  return root;
}

describe('codeFingerprint', () => {
  const registry = { moduleUrl: REGISTRY_URL };

  it('is stable, and changes with any model source or experiment definition, not with the runner library or docs', () => {
    const root = fakeRepo();
    const first = codeFingerprint(registry, root);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(codeFingerprint(registry, root)).toBe(first);
    writeFileSync(join(root, 'experiments', 'lib', 'tables.ts'), 'export const T = 2;\n');
    writeFileSync(join(root, 'model', 'nic', 'tx.ts'), 'export const TX = 512;\n');
    const withNewModelFile = codeFingerprint(registry, root);
    expect(withNewModelFile).not.toBe(first);
    const other = fakeRepo();
    writeFileSync(join(other, 'model', 'nic', 'ring.ts'), 'export const RING = 1024;\n');
    expect(codeFingerprint(registry, other)).not.toBe(codeFingerprint(registry, fakeRepo()));
    const third = fakeRepo();
    writeFileSync(join(third, 'experiments', 'scaling.ts'), 'export const S = 2;\n');
    expect(codeFingerprint(registry, third)).not.toBe(codeFingerprint(registry, fakeRepo()));
    const fourth = fakeRepo();
    writeFileSync(join(fourth, 'experiments', 'lib', 'tables.ts'), 'export const T = 3;\n');
    writeFileSync(join(fourth, 'model', 'nic', 'README.md'), '# docs do not decide results\n');
    expect(codeFingerprint(registry, fourth)).toBe(codeFingerprint(registry, fakeRepo()));
  });

  it('an experiment given by path is hashed with the model, not the registered definitions', () => {
    const root = fakeRepo();
    const file = join(root, 'mine.ts');
    writeFileSync(file, 'export default 1;\n');
    const byPath = { moduleUrl: pathToFileURL(file).href };
    const before = codeFingerprint(byPath, root);
    expect(before).not.toBe(codeFingerprint(registry, root));
    const twin = fakeRepo();
    writeFileSync(join(twin, 'experiments', 'scaling.ts'), 'export const S = 9;\n');
    const twinFile = join(twin, 'mine.ts');
    writeFileSync(twinFile, 'export default 1;\n');
    expect(codeFingerprint({ moduleUrl: pathToFileURL(twinFile).href }, twin)).toBe(before);
  });

  it('--resume refuses results made by other code, naming it; a plain run starts over', async () => {
    copyFileSync(join(import.meta.dirname, 'fixtures', 'sumStudy.ts'), EDITED);
    const experiment = { moduleUrl: pathToFileURL(EDITED).href };
    const dir = tempDir('code');
    await runStudy({ experiment, outDir: dir, quick: true, workers: 1, optionalOutputs: false });
    appendFileSync(EDITED, '// edited: the scenario may now compute something else\n');
    await expect(runStudy({ experiment, outDir: dir, quick: true, workers: 1, optionalOutputs: false, resume: true })).rejects.toThrow(
      /--resume: .* holds tasks of a different study \(differs in the model or experiment code \(codeFingerprint\)\)/,
    );
    const again = await runStudy({ experiment, outDir: dir, quick: true, workers: 1, optionalOutputs: false });
    expect(again.tasks.reused).toBe(0);
  });
});
