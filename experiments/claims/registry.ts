/**
 * Every claim of the seed, in question order, checked when loaded: unique ids that start with
 * their question (`q3-...`), a primary measure for every measured test, a chart that belongs to an
 * experiment the test reads. A broken claim fails here, naming its id, rather than giving a
 * verdict from the wrong evidence.
 */
import type { Claim } from './claimTypes.ts';
import { measureExperiments } from './readMeasure.ts';
import { SEED_QUESTIONS } from './seedQuestions.ts';
import { Q1_CLAIMS } from './q1PacketPath.ts';
import { Q2_CLAIMS } from './q2PolicyDrops.ts';
import { Q3_CLAIMS } from './q3StaleEndpoints.ts';
import { Q4_CLAIMS } from './q4EgressPolicy.ts';
import { Q5_CLAIMS } from './q5IdentityScaleUp.ts';
import { Q6_CLAIMS } from './q6L7Policy.ts';
import { Q7_CLAIMS } from './q7HybridThroughput.ts';
import { Q8_CLAIMS } from './q8KernelMemory.ts';
import { factRecord } from './facts.ts';
import { calibrationEntry } from '../../model/calibration/index.ts';

const ID = /^q([1-9])-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Throws naming the claim and what is wrong with it. */
export function checkClaim(c: Claim): void {
  const where = `claim "${c.id}"`;
  const m = ID.exec(c.id);
  if (m === null) throw new Error(`${where}: id must look like q<question>-kebab-case`);
  if (Number(m[1]) !== c.question) throw new Error(`${where}: the id says question ${m[1]} but question is ${c.question}`);
  if (!SEED_QUESTIONS.some((q) => q.number === c.question)) throw new Error(`${where}: question must be one of ${SEED_QUESTIONS.map((q) => q.number).join(', ')}`);
  if (!c.quote.trim()) throw new Error(`${where}: the quote is required`);
  const t = c.test;
  if (t.kind === 'measure') {
    if (t.measures.primary === undefined) throw new Error(`${where}: a measured test needs a primary measure`);
    const read = new Set<string>();
    for (const [name, spec] of Object.entries(t.measures)) {
      if (spec.kind === 'experiment' && Object.keys(spec.where).length === 0) throw new Error(`${where}: measure "${name}" must pick a summary row (where)`);
      if (spec.kind === 'calibration') calibrationEntry(spec.key);
      if (spec.kind === 'fact') factRecord(spec.key);
      for (const e of measureExperiments(spec)) read.add(e);
    }
    if (t.chart !== undefined && !read.has(t.chart.experiment)) throw new Error(`${where}: chart ${t.chart.experiment}/${t.chart.chart} is not from an experiment the test reads (${[...read].join(', ') || 'none'})`);
  }
}

export const CLAIMS: readonly Claim[] = [...Q1_CLAIMS, ...Q2_CLAIMS, ...Q3_CLAIMS, ...Q4_CLAIMS, ...Q5_CLAIMS, ...Q6_CLAIMS, ...Q7_CLAIMS, ...Q8_CLAIMS];

const ids = new Set<string>();
for (const c of CLAIMS) {
  checkClaim(c);
  if (ids.has(c.id)) throw new Error(`claim "${c.id}" is defined twice`);
  ids.add(c.id);
}
