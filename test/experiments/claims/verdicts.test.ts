/**
 * The claims registry against the results it reads. The registry is well formed (30+ claims over
 * the eight questions, every source anchor exists, pending claims wait for experiments that are
 * not built); every claim whose experiments exist gets its verdict from their quick mode (no claim
 * reads a row that only the full run has, unless it says so); and, when a folder of full results
 * made by this code is at hand (SVCPATH_FULL_RESULTS, or results/ after `npm start`), the quick
 * and the full run give every claim the same verdict.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS } from '../../../experiments/claims/registry.ts';
import { FACTS } from '../../../experiments/claims/facts.ts';
import { SEED_QUESTIONS } from '../../../experiments/claims/seedQuestions.ts';
import { evaluateClaims, type ClaimsEvaluation } from '../../../experiments/claims/evaluate.ts';
import { EXPERIMENTS } from '../../../experiments/index.ts';
import { REPO_ROOT } from '../../cli/runCli.ts';
import { claimedExperiments, quickResults } from './quickResults.ts';

const SOURCES_MD = readFileSync(join(REPO_ROOT, 'docs/sources.md'), 'utf8');
const ANCHORS = new Set([...SOURCES_MD.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]!));
const BUILT = new Set(EXPERIMENTS.map((e) => e.name));

describe('the claims registry', () => {
  it('has 30 or more claims covering all eight seed questions', () => {
    expect(CLAIMS.length).toBeGreaterThanOrEqual(30);
    for (const q of SEED_QUESTIONS) expect(CLAIMS.filter((c) => c.question === q.number).length, `question ${q.number}`).toBeGreaterThan(0);
  });

  it('cites only docs/sources.md anchors that exist, in claims and fact records', () => {
    for (const f of FACTS) expect(ANCHORS.has(f.anchor), `fact ${f.key}: docs/sources.md#${f.anchor}`).toBe(true);
    for (const c of CLAIMS) {
      for (const s of c.sources) {
        const m = /^docs\/sources\.md#([a-z0-9-]+)/.exec(s);
        if (m !== null) expect(ANCHORS.has(m[1]!), `${c.id}: ${s}`).toBe(true);
      }
    }
  });

  it('keeps a claim pending only while its experiment is not built (once it is, wire the claim to its metrics)', () => {
    const waiting = CLAIMS.filter((c) => c.test.kind === 'needs-experiment' && BUILT.has(c.test.experiment)).map((c) => c.id);
    expect(waiting).toEqual([]);
  });

  it('answers each seed question with claim values that exist', () => {
    const ids = new Set(CLAIMS.map((c) => c.id));
    for (const q of SEED_QUESTIONS) {
      const text = q.answer((id) => {
        if (!ids.has(id)) throw new Error(`question ${q.number}'s answer reads claim "${id}", which is not in the registry`);
        return 'X';
      });
      expect(text.length).toBeGreaterThan(0);
    }
  });
});

describe('verdicts from the quick mode', () => {
  let quick: ClaimsEvaluation;
  beforeAll(async () => {
    quick = await evaluateClaims(await quickResults());
  }, 300_000);

  it('reads fresh quick-mode results of every experiment a claim needs', () => {
    for (const name of claimedExperiments()) expect(quick.experiments.find((e) => e.name === name), name).toMatchObject({ status: 'fresh', quick: true });
  });

  it('gives every claim whose experiments exist a verdict (pending only while an experiment is not built)', () => {
    for (const c of quick.claims) {
      const claim = CLAIMS.find((x) => x.id === c.id)!;
      if (claim.test.kind === 'out-of-scope') expect(c.verdict, c.id).toBe('out-of-scope');
      else if (claim.test.kind === 'needs-experiment') expect(c.verdict, c.id).toBe('pending');
      else if (claim.needsFullRun === undefined) expect([c.id, c.verdict]).not.toEqual([c.id, 'pending']);
    }
  });

  it('names the evidence behind every measured verdict: a summary row, a calibration entry or a fact record', () => {
    for (const c of quick.claims.filter((x) => x.verdict !== 'pending' && x.verdict !== 'out-of-scope')) {
      expect(c.evidence.length, c.id).toBeGreaterThan(0);
      expect(c.rule, c.id).not.toBe('');
      expect(c.explanation, c.id).not.toMatch(/not measured yet/);
    }
  });

  it('is a pure function of the results: the same folder gives the same claims', async () => {
    const again = await evaluateClaims(quick.resultsDir);
    expect(JSON.stringify(again.claims)).toBe(JSON.stringify(quick.claims));
  });

  /** Full results made by this code, if any are at hand. */
  function fullResults(): string | undefined {
    const candidates = [process.env.SVCPATH_FULL_RESULTS, join(REPO_ROOT, 'results')].filter((d): d is string => d !== undefined && existsSync(d));
    return candidates.find((dir) => claimedExperiments().every((name) => {
      const e = quick.experiments.find((x) => x.name === name);
      const path = join(dir, name, 'manifest.json');
      if (e === undefined || !existsSync(path)) return false;
      const m = JSON.parse(readFileSync(path, 'utf8')) as { quick?: boolean; code?: string };
      const q = JSON.parse(readFileSync(join(quick.resultsDir, name, 'manifest.json'), 'utf8')) as { code?: string };
      return m.quick === false && m.code === q.code;
    }));
  }

  it('gives the same verdicts as the full run, when full results of this code are at hand (npm start, or SVCPATH_FULL_RESULTS)', async (ctx) => {
    const dir = fullResults();
    if (dir === undefined) {
      ctx.skip();
      return;
    }
    const full = await evaluateClaims(dir);
    const differ = full.claims
      .filter((c) => CLAIMS.find((x) => x.id === c.id)!.needsFullRun === undefined)
      .filter((c) => quick.claims.find((q) => q.id === c.id)!.verdict !== c.verdict)
      .map((c) => `${c.id}: quick ${quick.claims.find((q) => q.id === c.id)!.verdict}, full ${c.verdict}`);
    expect(differ).toEqual([]);
  });
});
