import { describe, expect, it } from 'vitest';
import { ExperimentDefinitionError, resolveExperiment } from '../../experiments/lib/experimentSchema.ts';
import sumStudy from './fixtures/sumStudy.ts';

/** A valid definition to break one field at a time. */
function valid(): Record<string, unknown> {
  return {
    name: 'queue-validation',
    question: 'Does the engine reproduce queueing theory?',
    scenario: (p: { servers: number }) => ({ meanWaitSec: p.servers }),
    base: { servers: 1, rho: 0.5, service: 'exp', fast: true },
    sweep: { grid: { servers: [1, 2, 4], rho: [0.5, 0.9] } },
    replications: 3,
    metrics: ['meanWaitSec', 'utilization'],
    charts: [
      {
        name: 'mean-wait',
        spec: {
          data: { name: 'summary' },
          transform: [{ calculate: 'datum.meanWaitSec_mean * 2', as: 'double' }],
          mark: 'point',
          encoding: { x: { field: 'rho', type: 'quantitative' }, y: { field: 'double', type: 'quantitative' } },
        },
      },
    ],
  };
}

function errorOf(def: unknown, options?: { quick?: boolean }): string[] {
  try {
    resolveExperiment(def, options);
  } catch (e) {
    expect(e).toBeInstanceOf(ExperimentDefinitionError);
    return (e as Error).message.split('\n');
  }
  throw new Error('expected the definition to be rejected');
}

describe('resolveExperiment(definition) rejects malformed definitions, naming experiment, field and what is allowed', () => {
  it('accepts the valid definition and expands its grid', () => {
    const r = resolveExperiment(valid());
    expect(r.points.map((p) => p.swept)).toEqual([
      { servers: 1, rho: 0.5 },
      { servers: 1, rho: 0.9 },
      { servers: 2, rho: 0.5 },
      { servers: 2, rho: 0.9 },
      { servers: 4, rho: 0.5 },
      { servers: 4, rho: 0.9 },
    ]);
    expect(r.points[0]!.params).toEqual({ servers: 1, rho: 0.5, service: 'exp', fast: true });
    expect(r.points[3]!.key).toBe('{"rho":0.9,"servers":2}');
    expect(r.replicationPolicy).toEqual({ mode: 'fixed', replications: 3 });
    expect(r.seed).toBe(1);
    expect(r.warmup).toBe('auto');
  });

  it.each([
    ['a value of the wrong type in a grid', { sweep: { grid: { servers: [1, 2, 'x'] } } }, 'experiment "queue-validation": sweep.grid.servers[2]: expected a number, got "x"'],
    ['a string where the base has a string', { sweep: { zip: { service: ['exp', 3] } } }, 'experiment "queue-validation": sweep.zip.service[1]: expected a string, got 3'],
    ['a boolean parameter', { sweep: { list: [{ fast: 'yes' }] } }, 'experiment "queue-validation": sweep.list[0].fast: expected true or false, got "yes"'],
    ['an unknown parameter', { sweep: { grid: { sevrers: [1] } } }, 'experiment "queue-validation": sweep.grid.sevrers: unknown parameter; allowed: servers, rho, service, fast'],
    ['an empty list of values', { sweep: { grid: { servers: [] } } }, 'experiment "queue-validation": sweep.grid.servers: expected at least one value, got an array of 0'],
    ['zip lists of different lengths', { sweep: { zip: { servers: [1, 2], rho: [0.1, 0.2, 0.3] } } }, 'experiment "queue-validation": sweep.zip: zip lists must all have the same length; got servers: 2, rho: 3'],
    ['a parameter in both grid and zip', { sweep: { grid: { servers: [1] }, zip: { servers: [2] } } }, 'experiment "queue-validation": sweep.zip.servers: "servers" is also set by grid; a parameter may be swept by one of grid, zip, list'],
    ['the same point twice', { sweep: [{ grid: { servers: [1, 2] } }, { list: [{ servers: 2 }] }] }, 'experiment "queue-validation": sweep: points 1 and 2 are the same point {"servers":2}; every point must differ'],
    ['a non-finite number', { base: { servers: Infinity } }, 'experiment "queue-validation": base.servers: expected a parameter value: a finite number, a string or a boolean, got Infinity'],
    ['a misspelt top-level field', { replicatons: 3 }, 'experiment "queue-validation": replicatons: unknown field; allowed: name, question, answer, scenario, base, sweep, replications, precision, warmup, metrics, charts, seed, quick, cluster'],
    ['replications and precision', { precision: { relHalfWidth: 0.1, maxReplications: 10, metric: 'meanWaitSec' } }, 'experiment "queue-validation": (definition): give either replications or precision, not both'],
    ['neither replications nor precision', { replications: undefined }, 'experiment "queue-validation": (definition): missing replications or precision: give one (a count per point, or a target precision)'],
    ['replications below 1', { replications: 0 }, 'experiment "queue-validation": replications: expected an integer >= 1, got 0'],
    ['a precision metric that is not a metric', { replications: undefined, precision: { relHalfWidth: 0.1, maxReplications: 10, metric: 'p99' } }, 'experiment "queue-validation": precision.metric: "p99" is not a metric; allowed: meanWaitSec, utilization'],
    ['a confidence outside (0, 1)', { replications: undefined, precision: { relHalfWidth: 0.1, maxReplications: 10, metric: 'meanWaitSec', confidence: 95 } }, 'experiment "queue-validation": precision.confidence: expected a number in (0, 1), got 95'],
    ['a warm-up that is neither auto nor a count', { warmup: 'mser' }, 'experiment "queue-validation": warmup: expected "auto" or an integer >= 0, got "mser"'],
    ['a scenario that is not a function', { scenario: 'queue' }, 'experiment "queue-validation": scenario: expected the scenario function (params, ctx) => metrics, got "queue"'],
    ['a metric named like a table column', { metrics: ['seed'] }, 'experiment "queue-validation": metrics[0]: "seed" is a column of its own; reserved: point, replication, seed, n'],
    ['a metric named like a parameter', { metrics: ['rho'] }, 'experiment "queue-validation": metrics[0]: "rho" is also a parameter; metric and parameter names must differ'],
    ['a parameter name that cannot be a column', { base: { servers: 1, rho: 0.5, 'rho.1': 0.5 } }, 'experiment "queue-validation": base: parameter name "rho.1" is not allowed: use letters, digits and _, not starting with a digit (it becomes a column name)'],
    ['a metric listed twice', { metrics: ['meanWaitSec', 'meanWaitSec'] }, 'experiment "queue-validation": metrics[1]: "meanWaitSec" is listed twice'],
    ['a question without a question mark', { question: 'Queues.' }, 'experiment "queue-validation": question: expected the question as one sentence ending in "?", got "Queues."'],
  ])('%s', (_label, patch, message) => {
    expect(errorOf({ ...valid(), ...patch })).toContain(message);
  });

  it('takes an optional written answer (for the report), spaces collapsed, and rejects one that is not text', () => {
    expect(resolveExperiment(valid()).answer).toBeUndefined();
    expect(resolveExperiment({ ...valid(), answer: '  Yes, within\n  the intervals.  ' }).answer).toBe('Yes, within the intervals.');
    expect(errorOf({ ...valid(), answer: 42 })).toEqual(['experiment "queue-validation": answer: expected the answer as a string of a few sentences, got 42']);
    expect(errorOf({ ...valid(), answer: '   ' })).toEqual(['experiment "queue-validation": answer: expected the answer as a string of a few sentences, got "   "']);
  });

  it('names an experiment with a bad name by what it was given', () => {
    expect(errorOf({ ...valid(), name: 'Queue Validation' })).toContain(
      'experiment "Queue Validation": name: expected the experiment name, a kebab-case string such as "queue-validation", got "Queue Validation"',
    );
    expect(errorOf({ ...valid(), name: undefined })[0]).toMatch(/^experiment \(unnamed\): name: expected the experiment name/);
  });

  it('checks chart specs: data bound by name only, fields that exist (with a suggestion)', () => {
    const chart = (spec: unknown) => ({ ...valid(), charts: [{ name: 'c', spec }] });
    expect(errorOf(chart({ data: { url: 'runs.csv' }, mark: 'point' }))).toContain(
      'experiment "queue-validation": charts[0].spec.data: expected { name: "summary" } or { name: "runs" }: the runner binds the table by name; no values, url or other fields',
    );
    expect(errorOf(chart({ mark: 'point' }))).toContain('experiment "queue-validation": charts[0].spec.data: missing; expected { name: "summary" } or { name: "runs" }');
    expect(errorOf(chart({ data: { name: 'summary' }, mark: 'point', encoding: { y: { field: 'meanWaitSec_maen' } } }))).toContain(
      'experiment "queue-validation": charts[0].spec.encoding.y.field: "meanWaitSec_maen" is not a column of summary; did you mean "meanWaitSec_mean"?',
    );
    // runs has per-replication metrics, not summary columns
    expect(errorOf(chart({ data: { name: 'runs' }, layer: [{ mark: 'point', encoding: { y: { field: 'meanWaitSec_mean' } } }] }))).toContain(
      'experiment "queue-validation": charts[0].spec.layer[0].encoding.y.field: "meanWaitSec_mean" is not a column of runs; columns: point, servers, rho, replication, seed, meanWaitSec, utilization',
    );
    expect(errorOf({ ...valid(), charts: [valid().charts, valid().charts].flat() as unknown[] })).toContain(
      'experiment "queue-validation": charts[1].name: "mean-wait" is used by two charts',
    );
  });

  it('checks the quick overrides under quick.*, and applies them only with quick', () => {
    expect(errorOf({ ...valid(), quick: { sweep: { grid: { rho: ['fast'] } } } })).toContain(
      'experiment "queue-validation": quick.sweep.grid.rho[0]: expected a number, got "fast"',
    );
    expect(errorOf({ ...valid(), quick: { base: { servers: '2' } } })).toContain('experiment "queue-validation": quick.base.servers: expected a number, got "2"');
    const def = { ...valid(), quick: { base: { service: 'det' }, sweep: { list: [{ rho: 0.3 }] }, replications: 2 } };
    expect(resolveExperiment(def).points).toHaveLength(6);
    const q = resolveExperiment(def, { quick: true });
    expect(q.points.map((p) => p.params)).toEqual([{ servers: 1, rho: 0.3, service: 'det', fast: true }]);
    expect(q.replicationPolicy).toEqual({ mode: 'fixed', replications: 2 });
    expect(q.quick).toBe(true);
  });

  it('reports every problem at once, one line each', () => {
    const lines = errorOf({ ...valid(), replications: 0, warmup: -5, seed: 1.5 });
    expect(lines).toEqual([
      'experiment "queue-validation": replications: expected an integer >= 1, got 0',
      'experiment "queue-validation": warmup: expected "auto" or an integer >= 0, got -5',
      'experiment "queue-validation": seed: expected an integer >= 0, got 1.5',
    ]);
  });

  it('accepts the fixture made by defineExperiment, with column types from base', () => {
    const r = resolveExperiment(sumStudy);
    expect(r.paramColumns).toEqual([
      { name: 'a', type: 'number' },
      { name: 'b', type: 'string' },
      { name: 'c', type: 'boolean' },
      { name: 'draws', type: 'number' },
    ]);
    expect(r.points).toHaveLength(14);
    expect(r.points[13]!.swept).toEqual({ a: 8, b: 'z', c: true, draws: 2000 });
  });
});
