/**
 * What the claims read from a results folder (the one `npm start` writes): for each experiment a
 * claim names, whether its results are there, whether they were made by the current model and
 * experiment code (the manifest's `code` against codeFingerprint, the same test `run --resume`
 * makes), whether they came from quick mode, and the rows of its summary table. Reading only:
 * nothing here runs an experiment.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { arrowRows, type ChartRow } from '../lib/charts.ts';
import { codeFingerprint } from '../lib/codeFingerprint.ts';
import { experimentRefFor } from '../lib/loadExperiment.ts';

/** missing: no manifest.json; stale: made by other model or experiment code; fresh: current. */
export type ResultsStatus = 'fresh' | 'stale' | 'missing';

export interface ExperimentResults {
  readonly name: string;
  readonly status: ResultsStatus;
  /** From the manifest (null when missing). */
  readonly quick: boolean | null;
  /** The summary table's rows (empty when missing or unreadable). */
  readonly rows: readonly ChartRow[];
  /** Chart names the folder holds (chart-<name>.vl.json). */
  readonly charts: readonly string[];
  /** Why a folder that exists could not be read, if so. */
  readonly problem?: string;
}

export interface ResultsIndex {
  readonly dir: string;
  /** `name` -> its results; experiments read on first use. */
  get(name: string): ExperimentResults;
}

/**
 * An index over `dir`. `fingerprint` overrides the code fingerprint (tests); by default it is
 * computed once, on first use, for the registered experiments (all of them share one: the model
 * plus every experiment file).
 */
export function resultsIndex(dir: string, options: { fingerprint?: string } = {}): ResultsIndex {
  const cache = new Map<string, ExperimentResults>();
  let fingerprint = options.fingerprint;
  const current = (name: string): string => (fingerprint ??= codeFingerprint(experimentRefFor(name)));
  return {
    dir,
    get(name) {
      let hit = cache.get(name);
      if (hit === undefined) {
        hit = readExperiment(dir, name, current);
        cache.set(name, hit);
      }
      return hit;
    },
  };
}

function readExperiment(dir: string, name: string, current: (name: string) => string): ExperimentResults {
  const base = join(dir, name);
  const manifestPath = join(base, 'manifest.json');
  if (!existsSync(manifestPath)) return { name, status: 'missing', quick: null, rows: [], charts: [] };
  let manifest: { code?: unknown; quick?: unknown; charts?: unknown };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof manifest;
  } catch (e) {
    return { name, status: 'missing', quick: null, rows: [], charts: [], problem: `${manifestPath} is not valid JSON: ${(e as Error).message}` };
  }
  const charts = Array.isArray(manifest.charts)
    ? manifest.charts.map((c) => (c as { name?: unknown }).name).filter((n): n is string => typeof n === 'string')
    : [];
  let rows: ChartRow[] = [];
  let problem: string | undefined;
  try {
    rows = arrowRows(tableFromIPC(readFileSync(join(base, 'summary.arrow'))));
  } catch (e) {
    problem = `${join(base, 'summary.arrow')} could not be read: ${(e as Error).message}`;
  }
  const status: ResultsStatus = problem !== undefined ? 'missing' : manifest.code === current(name) ? 'fresh' : 'stale';
  return { name, status, quick: manifest.quick === true, rows, charts, ...(problem !== undefined ? { problem } : {}) };
}
