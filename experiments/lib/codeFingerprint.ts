/**
 * A fingerprint of the code that decides a task's result: SHA-256 over every source file under
 * `model/` (.ts/.mts/.js/.mjs/.json: a README edit does not invalidate results) and the experiment
 * definitions (the top-level `experiments/*.ts` for a registered experiment, or the experiment file
 * given by path), each as its repository-relative path and content, in sorted order. It is part
 * of a study's identity, so results made by another version of the model are never resumed into
 * (or merged with) this one's.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExperimentRef } from './loadExperiment.ts';
import { REGISTRY_URL } from './loadExperiment.ts';
import { REPO_ROOT } from './provenance.ts';

/** The fingerprint for an experiment reference (read afresh each call: a long-lived process may see edits). */
export function codeFingerprint(ref: ExperimentRef, root = REPO_ROOT): string {
  const definitions = ref.moduleUrl === REGISTRY_URL
    ? readdirSync(join(root, 'experiments')).filter((f) => f.endsWith('.ts')).map((f) => join(root, 'experiments', f))
    : [fileURLToPath(ref.moduleUrl)];
  const hash = createHash('sha256');
  for (const file of [...listFiles(join(root, 'model')), ...definitions].sort()) {
    hash.update(`${relative(root, file)}\n`);
    hash.update(readFileSync(file));
    hash.update('\n');
  }
  return hash.digest('hex');
}

const SOURCE = /\.(ts|mts|js|mjs|json)$/;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else if (SOURCE.test(name)) out.push(path);
  }
  return out;
}
