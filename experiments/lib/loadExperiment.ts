/**
 * Finds an experiment definition in a module (an experiment file, or the registry
 * experiments/index.ts) and checks it. The same reference, a module URL plus a name, is what the
 * worker threads import, so the main thread and the workers always run the same definition.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { isTaggedExperiment, looksLikeExperiment, type AnyExperimentDefinition } from './defineExperiment.ts';
import type { ResolvedExperiment, ResolveOptions } from './experimentSchema.ts';

export interface ExperimentRef {
  /** file: URL of the module that exports the definition (directly, or in an exported array). */
  readonly moduleUrl: string;
  /** Which experiment, when the module exports several. */
  readonly name?: string;
}

/** The registry listing every experiment `svcpath list` and `svcpath run NAME` know. */
export const REGISTRY_URL = new URL('../index.ts', import.meta.url).href;

export class ExperimentNotFoundError extends Error {
  constructor(
    message: string,
    readonly available: readonly string[],
  ) {
    super(message);
    this.name = 'ExperimentNotFoundError';
  }
}

function definitionsIn(mod: Record<string, unknown>): AnyExperimentDefinition[] {
  const found: AnyExperimentDefinition[] = [];
  const add = (v: unknown) => {
    if ((isTaggedExperiment(v) || looksLikeExperiment(v)) && !found.includes(v)) found.push(v);
  };
  for (const v of Object.values(mod)) {
    if (Array.isArray(v)) v.forEach(add);
    else add(v);
  }
  return found;
}

export async function loadDefinitions(moduleUrl: string): Promise<AnyExperimentDefinition[]> {
  return definitionsIn((await import(moduleUrl)) as Record<string, unknown>);
}

export async function loadDefinition(ref: ExperimentRef): Promise<AnyExperimentDefinition> {
  const defs = await loadDefinitions(ref.moduleUrl);
  const names = defs.map((d) => String(d.name));
  if (ref.name !== undefined) {
    const d = defs.find((x) => x.name === ref.name);
    if (d === undefined) {
      throw new ExperimentNotFoundError(
        `unknown experiment "${ref.name}"; ${names.length > 0 ? `allowed: ${names.join(', ')}` : `${ref.moduleUrl} defines none`}`,
        names,
      );
    }
    return d;
  }
  if (defs.length !== 1) {
    throw new ExperimentNotFoundError(
      defs.length === 0
        ? `${ref.moduleUrl} exports no experiment (export the object made by defineExperiment)`
        : `${ref.moduleUrl} exports ${defs.length} experiments (${names.join(', ')}); name one`,
      names,
    );
  }
  return defs[0]!;
}

/** Loads, checks and resolves (with --quick overrides when asked). */
export async function loadExperiment(ref: ExperimentRef, options: ResolveOptions = {}): Promise<ResolvedExperiment> {
  // Imported here so the worker threads, which only need the scenario, do not load zod.
  const { resolveExperiment } = await import('./experimentSchema.ts');
  return resolveExperiment(await loadDefinition(ref), options);
}

/**
 * What the CLI's NAME means: a registered name, or a path to an experiment file (anything with a
 * slash or a .ts/.js ending), resolved against `cwd`.
 */
export function experimentRefFor(nameOrPath: string, cwd = process.cwd()): ExperimentRef {
  if (/[/\\]/.test(nameOrPath) || /\.(ts|mts|js|mjs)$/.test(nameOrPath)) {
    return { moduleUrl: pathToFileURL(resolve(cwd, nameOrPath)).href };
  }
  return { moduleUrl: REGISTRY_URL, name: nameOrPath };
}
