import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStudy, StudyInputError } from '../../experiments/lib/runStudy.ts';
import { mergeStudies } from '../../experiments/lib/mergeStudies.ts';
import { ScenarioError } from '../../experiments/lib/workerPool.ts';
import { allFiles, manifestOf, PRECISION, readTable, SUM, tableBytes, removeTempDirs, tempDir } from './runnerHelpers.ts';

const FAILING = { moduleUrl: new URL('./fixtures/failingStudy.ts', import.meta.url).href };
const base = { optionalOutputs: false } as const;

function sameBytes(a: string, b: string): void {
  for (const t of ['runs', 'summary'] as const) expect(Buffer.compare(tableBytes(a, t), tableBytes(b, t)), `${t}.arrow of ${a} vs ${b}`).toBe(0);
}

function noTemps(dir: string): void {
  expect(allFiles(dir).filter((f) => f.endsWith('.tmp') || f.includes('.tmp/'))).toEqual([]);
  expect(existsSync(join(dir, '.tasks', 'lock.json'))).toBe(false);
}

afterAll(removeTempDirs);

describe('runStudy', () => {
  it('gives byte-identical runs.arrow and summary.arrow with 1 and 2 workers; the tables read back with every row and column', async () => {
    const d1 = tempDir('w1');
    const d2 = tempDir('w2');
    const r1 = await runStudy({ ...base, experiment: SUM, workers: 1, outDir: d1 });
    const r2 = await runStudy({ ...base, experiment: SUM, workers: 2, outDir: d2 });
    expect(r1.workers).toBe(1);
    expect(r2.workers).toBe(2);
    expect(r1.tasks).toEqual({ inTables: 42, ran: 42, reused: 0 });
    sameBytes(d1, d2);

    const runs = readTable(d1, 'runs');
    expect(runs.numRows).toBe(14 * 3);
    expect(runs.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'point:Int32',
      'a:Float64',
      'b:Utf8',
      'c:Bool',
      'draws:Float64',
      'replication:Int32',
      'seed:Float64',
      'meanArrival:Float64',
      'scaled:Float64',
      'edge:Float64',
      'replicationEcho:Float64',
    ]);
    const rows = runs.toArray().map((r) => r.toJSON() as Record<string, unknown>);
    rows.forEach((r, i) => {
      expect(r.point).toBe(Math.floor(i / 3));
      expect(r.replication).toBe(i % 3);
      expect(r.replicationEcho).toBe(r.replication);
      expect(r.seed).toBe(11);
    });
    // values survive exactly, NaN and -0 included
    expect(rows[3]).toMatchObject({ a: 1, b: 'x', c: false, draws: 2000 });
    expect(rows[3]!.edge).toBeNaN();
    expect(Object.is(rows[6]!.edge, -0)).toBe(true);
    expect(rows[41]).toMatchObject({ point: 13, a: 8, b: 'z', c: true, draws: 2000, replication: 2 });

    const summary = readTable(d1, 'summary');
    expect(summary.numRows).toBe(14);
    const s = summary.toArray().map((r) => r.toJSON() as Record<string, unknown>);
    expect(summary.schema.fields.map((f) => f.name).slice(0, 8)).toEqual([
      'point',
      'a',
      'b',
      'c',
      'draws',
      'n',
      'meanArrival_mean',
      'meanArrival_ci95HalfWidth',
    ]);
    expect(s.every((r) => r.n === 3)).toBe(true);
    expect(s[0]!.replicationEcho_mean).toBe(1);
    expect(s[0]!.replicationEcho_p50).toBe(1);
    expect(s[0]!.replicationEcho_min).toBe(0);
    expect(s[0]!.replicationEcho_max).toBe(2);
    expect(s[0]!.replicationEcho_p90).toBeCloseTo(1.8, 12);
    expect(s[1]!.edge_mean).toBeNaN();

    const m = manifestOf(d1);
    expect(m).toMatchObject({ name: 'test-sum', question: 'Does the runner keep every value exactly?', seed: 11, shard: null });
    expect(m.replicationsPerPoint).toEqual(new Array(14).fill(3));
    expect(Object.keys(m)).toEqual(expect.arrayContaining(['versions', 'git', 'host', 'timings', 'points', 'base', 'sweep']));
    expect(readdirSync(d1).sort()).toEqual(['.tasks', 'chart-scaled.vl.json', 'manifest.json', 'runs.arrow', 'summary.arrow']);
    expect(readdirSync(join(d1, '.tasks')).filter((f) => f.endsWith('.json') && f !== 'study.json')).toHaveLength(42);
    noTemps(d1);
    noTemps(d2);

    // common random numbers: replication r draws the same arrivals at every point with the same draw count
    for (const r of rows) {
      const twin = rows.find((x) => x.replication === r.replication && x.draws === r.draws);
      expect(r.meanArrival).toBe(twin!.meanArrival);
    }
  });

  it('precision mode: the same tables with 1 and 2 workers; noisier points need more replications', async () => {
    const d1 = tempDir('p1');
    const d2 = tempDir('p2');
    const r1 = await runStudy({ ...base, experiment: PRECISION, workers: 1, outDir: d1 });
    const r2 = await runStudy({ ...base, experiment: PRECISION, workers: 2, outDir: d2 });
    sameBytes(d1, d2);
    expect(r1.replicationsPerPoint).toEqual(r2.replicationsPerPoint);
    const [a, b, c, d] = r1.replicationsPerPoint as [number, number, number, number];
    expect(a).toBe(3);
    expect(a <= b && b <= c && c <= d && a < d).toBe(true);
    const m = manifestOf(d1) as { precision: { reachedTarget: boolean[]; relHalfWidth: number[] } };
    m.precision.reachedTarget.forEach((hit, i) => expect(hit || r1.replicationsPerPoint[i] === 60).toBe(true));
    m.precision.relHalfWidth.forEach((w, i) => expect(m.precision.reachedTarget[i] ? w <= 0.05 : true).toBe(true));
    expect(readTable(d1, 'runs').numRows).toBe(a + b + c + d);
  });

  it('shards 0/3, 1/3, 2/3 merged equal a single run byte for byte', async () => {
    const single = tempDir('single');
    await runStudy({ ...base, experiment: SUM, workers: 2, outDir: single });
    const shards = [0, 1, 2].map((i) => tempDir(`shard${i}`));
    const results = [];
    for (const [i, dir] of shards.entries()) results.push(await runStudy({ ...base, experiment: SUM, workers: 1, outDir: dir, shard: { index: i, count: 3 } }));
    expect(results.map((r) => r.tasks.inTables)).toEqual([14, 14, 14]);
    // shard i holds the tasks whose index replication * 14 + point is i mod 3
    for (const [i, dir] of shards.entries()) {
      for (const r of readTable(dir, 'runs').toArray()) expect(((r.replication as number) * 14 + (r.point as number)) % 3).toBe(i);
    }
    const merged = join(tempDir('merged'), 'out');
    const m = await mergeStudies({ dirs: [shards[2]!, shards[0]!, shards[1]!], outDir: merged, optionalOutputs: false });
    expect(m.rows).toBe(42);
    sameBytes(single, merged);
    noTemps(merged);
    expect(manifestOf(merged)).toMatchObject({ shard: null, replicationsPerPoint: new Array(14).fill(3) });

    // the merged folder is a study like any other: more replications run only the new ones
    const more = await runStudy({ ...base, experiment: SUM, workers: 2, outDir: merged, replications: 4 });
    expect(more.tasks).toEqual({ inTables: 56, ran: 14, reused: 42 });

    await expect(mergeStudies({ dirs: [shards[0]!, shards[1]!], outDir: tempDir('m2'), optionalOutputs: false })).rejects.toThrow(
      'shards 2/3 are missing; merge needs all 3',
    );
    await expect(mergeStudies({ dirs: [shards[0]!, shards[0]!, shards[1]!], outDir: tempDir('m3'), optionalOutputs: false })).rejects.toThrow(
      'are both shard 0/3',
    );
    await expect(mergeStudies({ dirs: [single], outDir: tempDir('m4'), optionalOutputs: false })).rejects.toThrow('is not a shard');
  });

  it('precision mode shards by point, and its shards merge into the single run too', async () => {
    const single = tempDir('psingle');
    const one = await runStudy({ ...base, experiment: PRECISION, workers: 2, outDir: single });
    const shards = [0, 1].map((i) => tempDir(`pshard${i}`));
    for (const [i, dir] of shards.entries()) {
      const r = await runStudy({ ...base, experiment: PRECISION, workers: 2, outDir: dir, shard: { index: i, count: 2 } });
      expect(r.replicationsPerPoint).toEqual(one.replicationsPerPoint.map((n, p) => (p % 2 === i ? n : 0)));
    }
    const merged = join(tempDir('pmerged'), 'out');
    await mergeStudies({ dirs: shards, outDir: merged, optionalOutputs: false });
    sameBytes(single, merged);
    expect(manifestOf(merged).precision).toEqual(manifestOf(single).precision);
  });

  it('asking a finished study for more replications runs only the missing ones and equals a fresh run', async () => {
    const grown = tempDir('grow');
    const first = await runStudy({ ...base, experiment: SUM, workers: 2, outDir: grown, replications: 2 });
    expect(first.tasks).toEqual({ inTables: 28, ran: 28, reused: 0 });
    const second = await runStudy({ ...base, experiment: SUM, workers: 2, outDir: grown, replications: 5 });
    expect(second.tasks).toEqual({ inTables: 70, ran: 42, reused: 28 });
    const fresh = tempDir('fresh5');
    await runStudy({ ...base, experiment: SUM, workers: 2, outDir: fresh, replications: 5 });
    sameBytes(grown, fresh);
    // and fewer replications again: nothing runs, the tables shrink to match a fresh run of 2
    const third = await runStudy({ ...base, experiment: SUM, workers: 2, outDir: grown, replications: 2 });
    expect(third.tasks).toEqual({ inTables: 28, ran: 0, reused: 28 });
    expect(third.workers).toBe(0);
    noTemps(grown);
  });

  it('--resume redoes only lost tasks, cleans up temp files, and refuses a different study', async () => {
    const dir = tempDir('resume');
    await runStudy({ ...base, experiment: SUM, workers: 2, outDir: dir, quick: true });
    const reference = tempDir('resume-ref');
    await runStudy({ ...base, experiment: SUM, workers: 1, outDir: reference, quick: true });
    // lose five tasks and the outputs, leave a temp file and a stale lock behind (as kill -9 would)
    for (const f of ['p0-r0.json', 'p3-r1.json', 'p7-r0.json', 'p13-r1.json', 'p12-r0.json']) rmSync(join(dir, '.tasks', f));
    for (const f of ['runs.arrow', 'summary.arrow', 'manifest.json']) rmSync(join(dir, f));
    writeFileSync(join(dir, '.tasks', '.p1-r1.json.99999-0-1.tmp'), '{"trunc');
    writeFileSync(join(dir, '.tasks', 'lock.json'), JSON.stringify({ pid: 2 ** 22 + 12345, hostname: (await import('node:os')).hostname() }));
    const r = await runStudy({ ...base, experiment: SUM, workers: 2, outDir: dir, quick: true, resume: true });
    expect(r.tasks).toEqual({ inTables: 28, ran: 5, reused: 23 });
    sameBytes(dir, reference);
    noTemps(dir);

    await expect(runStudy({ ...base, experiment: SUM, outDir: dir, quick: true, resume: true, seed: 12 })).rejects.toThrow(
      /--resume: .* holds tasks of a different study \(differs in seed\); run without --resume to start over/,
    );
    // without --resume the folder starts over
    const again = await runStudy({ ...base, experiment: SUM, workers: 2, outDir: dir, quick: true, seed: 12 });
    expect(again.tasks.ran).toBe(28);
  });

  it('refuses to write into a folder that holds other files', async () => {
    const dir = tempDir('foreign');
    writeFileSync(join(dir, 'thesis.tex'), 'precious');
    await expect(runStudy({ ...base, experiment: SUM, outDir: dir })).rejects.toThrow(StudyInputError);
    await expect(runStudy({ ...base, experiment: SUM, outDir: dir })).rejects.toThrow(/holds other files \(thesis.tex\) and no svcpath results/);
    expect(readdirSync(dir)).toEqual(['thesis.tex']);
  });

  it('a failing scenario stops the run, naming the point and replication; finished tasks stay for --resume', async () => {
    const dir = tempDir('fail');
    const err = await runStudy({ ...base, experiment: FAILING, workers: 2, outDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).task).toMatchObject({ point: 1, replication: 1 });
    expect((err as Error).message).toMatch(
      /^experiment "test-failing": the scenario failed at point 1 \{"a":2\}, replication 1: RangeError: a = 2 is out of range for replication 1\n/,
    );
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);
    noTemps(dir);

    const missing = tempDir('missing');
    await expect(runStudy({ ...base, experiment: FAILING, quick: true, workers: 1, outDir: missing })).rejects.toThrow(
      'experiment "test-failing": the scenario returned no number for metric "other" at point 0 {"a":1}, replication 0 (got nothing); it returned: value',
    );
  });
});
