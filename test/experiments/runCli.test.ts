import queueValidation from '../../experiments/queueValidation.ts';
import { EXPERIMENTS } from '../../experiments/index.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../cli/runCli.ts';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runStudy } from '../../experiments/lib/runStudy.ts';
import { parseRunArgs } from '../../experiments/cli/run.ts';
import { UsageError } from '../../experiments/cli/args.ts';
import { allFiles, manifestOf, readTable, SLOW, tableBytes, removeTempDirs, tempDir } from './runnerHelpers.ts';

const SLOW_PATH = fileURLToPath(SLOW.moduleUrl);

/** Runs the CLI the way a user does, through tsx; `entry` may be bin/svcpath.js. */
function cli(args: readonly string[], options: { entry?: string; onSpawn?: (kill: () => void) => void } = {}): Promise<CliResult> {
  return runCli(args, options.entry, options.onSpawn);
}

function taskFiles(dir: string): string[] {
  const tasks = join(dir, '.tasks');
  return existsSync(tasks) ? readdirSync(tasks).filter((f) => /^p\d+-r\d+\.json$/.test(f)) : [];
}

afterAll(removeTempDirs);

describe('svcpath list / run / merge', () => {
  it('list names every experiment with its question and whether it runs on a cluster profile', async () => {
    const [plain, json] = await Promise.all([cli(['list']), cli(['list', '--json'])]);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/^name +--cluster +question\n/);
    for (const e of EXPERIMENTS) {
      const onCluster = e.cluster === undefined ? '-' : 'yes';
      expect(plain.stdout).toMatch(new RegExp(`^${e.name} +${onCluster} +${e.question.replace(/[?().]/g, '\\$&')}$`, 'm'));
    }
    expect(json.status).toBe(0);
    const listed = JSON.parse(json.stdout) as { name: string; cluster: string | null }[];
    expect(listed).toContainEqual({ name: 'queue-validation', question: 'Does the engine reproduce queueing theory?', cluster: null });
    expect(listed.find((x) => x.name === 'service-scaling')!.cluster).toBe(EXPERIMENTS.find((e) => e.name === 'service-scaling')!.cluster!.uses);
  });

  it('usage errors exit 2 and name the experiment list, the file or the flag', async () => {
    const runs = await Promise.all([
      cli(['run', 'no-such-study']),
      cli(['run', 'queue-validation', '--workers', '0']),
      cli(['run', './no/such/file.ts']),
      cli(['merge']),
    ]);
    const messages = [
      new RegExp(`^svcpath run: error: unknown experiment "no-such-study"; allowed: ${EXPERIMENTS.map((e) => e.name).join(', ')}\n`),
      /^svcpath run: error: --workers: expected an integer in \[1, 1024\], got "0"\nusage: svcpath run NAME /,
      /^svcpath run: error: NAME: no experiment file at .*no\/such\/file\.ts\n/,
      /^svcpath merge: error: give the shard folders to merge\n/,
    ];
    runs.forEach((r, i) => {
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(messages[i]!);
      expect(r.stdout).toBe('');
    });
  });

  it.each([
    [['queue-validation', '--shard', '1'], '--shard: expected i/n with integers 0 <= i < n (e.g. 0/4), got "1"'],
    [['queue-validation', '--shard', '2/2'], '--shard: expected i/n with integers 0 <= i < n (e.g. 0/4), got "2/2"'],
    [['queue-validation', '--replications', 'many'], '--replications: expected an integer in [1, 1000000], got "many"'],
    [['queue-validation', '--seed', '-1'], '--seed: expected an integer in [0, 9007199254740991], got "-1"'],
    [['queue-validation', '--qiuck'], 'unknown flag --qiuck; allowed: --workers, --out, --replications, --shard, --seed, --cluster, --node-class, --quick, --resume, --json'],
    [['queue-validation', '--out'], '--out needs a value'],
    [['a', 'b'], 'unexpected argument "b"'],
    [[], 'missing the experiment NAME (see "svcpath list")'],
  ])('parseRunArgs(%j) is a usage error naming the flag', (argv, message) => {
    expect(() => parseRunArgs(argv)).toThrow(UsageError);
    expect(() => parseRunArgs(argv)).toThrow(message);
  });

  it('parseRunArgs reads every flag', () => {
    expect(parseRunArgs(['x', '--quick', '--workers', '3', '--out', 'd', '--resume', '--replications=7', '--shard', '2/5', '--seed', '9', '--json'])).toEqual({
      nameOrPath: 'x',
      quick: true,
      workers: 3,
      out: 'd',
      resume: true,
      replications: 7,
      shard: { index: 2, count: 5 },
      seed: 9,
      json: true,
    });
  });

  it('run queue-validation --quick --json (through bin/svcpath.js) finishes with one JSON object and a complete folder', async () => {
    const out = join(tempDir('qv'), 'qv');
    const r = await cli(['run', 'queue-validation', '--quick', '--json', '--out', out], { entry: 'bin/svcpath.js' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!) as { name: string; tasks: { inTables: number }; summary: Record<string, number>[]; points: number };
    // Five quick points (2 servers x 2 loads, M/D/1 at 0.5), each with the quick mode's replications.
    const replications = (queueValidation.quick as { replications: number }).replications;
    const tasks = 5 * replications;
    expect(result).toMatchObject({ name: 'queue-validation', points: 5, tasks: { inTables: tasks, ran: tasks, reused: 0 } });

    const runs = readTable(out, 'runs');
    expect(runs.numRows).toBe(tasks);
    expect(runs.schema.fields.map((f) => f.name)).toEqual([
      'point',
      'servers',
      'rho',
      'service',
      'replication',
      'seed',
      'meanWaitSec',
      'meanSojournSec',
      'meanQueueLength',
      'utilization',
      'analyticMeanWaitSec',
    ]);
    const summary = readTable(out, 'summary').toArray().map((x) => x.toJSON() as Record<string, number | string>);
    expect(summary.map((s) => [s.servers, s.rho, s.service])).toEqual([
      [1, 0.5, 'exp'],
      [1, 0.8, 'exp'],
      [2, 0.5, 'exp'],
      [2, 0.8, 'exp'],
      [1, 0.5, 'det'],
    ]);
    // the closed forms ride along: M/M/1 at rho 0.5 waits 1 service time, M/D/1 half that
    expect(summary[0]!.analyticMeanWaitSec_mean).toBeCloseTo(1, 12);
    expect(summary[4]!.analyticMeanWaitSec_mean).toBeCloseTo(0.5, 12);
    for (const s of summary) expect(Math.abs((s.utilization_mean as number) - (s.rho as number))).toBeLessThan(0.05);
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['runs.arrow', 'summary.arrow', 'manifest.json', 'chart-mean-wait.vl.json', 'chart-relative-error.vl.json']));
    const spec = JSON.parse((await import('node:fs')).readFileSync(join(out, 'chart-mean-wait.vl.json'), 'utf8')) as { data: unknown };
    expect(spec.data).toEqual({ name: 'summary' });
    expect(manifestOf(out)).toMatchObject({ name: 'queue-validation', quick: true, replicationsPerPoint: Array(5).fill(replications) });
    expect(allFiles(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('kill -9 mid-run, then --resume: the tables equal an uninterrupted run byte for byte', async () => {
    const dir = join(tempDir('kill'), 'study');
    let finishedAtKill = -1;
    const killed = await cli(['run', SLOW_PATH, '--workers', '1', '--out', dir, '--json'], {
      onSpawn: (kill) => {
        const poll = setInterval(() => {
          const n = taskFiles(dir).length;
          if (n >= 2) {
            clearInterval(poll);
            finishedAtKill = n;
            kill();
          }
        }, 5);
      },
    });
    expect(killed.signal).toBe('SIGKILL');
    const afterKill = taskFiles(dir).length;
    expect(finishedAtKill).toBeGreaterThanOrEqual(2);
    expect(afterKill).toBeLessThan(48); // killed part way: some tasks were still to do
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);

    const resumed = await cli(['run', SLOW_PATH, '--workers', '2', '--out', dir, '--resume', '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const result = JSON.parse(resumed.stdout) as { tasks: { inTables: number; ran: number; reused: number } };
    expect(result.tasks.inTables).toBe(48);
    expect(result.tasks.reused).toBe(afterKill);
    expect(result.tasks.ran).toBe(48 - afterKill);

    const reference = tempDir('kill-ref');
    await runStudy({ experiment: SLOW, workers: 2, outDir: reference, optionalOutputs: false });
    for (const t of ['runs', 'summary'] as const) expect(Buffer.compare(tableBytes(dir, t), tableBytes(reference, t))).toBe(0);
    expect(allFiles(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('lock.json'))).toEqual([]);
  });

  it('merge via the CLI combines shard folders into the bytes of a single run', async () => {
    const root = tempDir('cli-merge');
    const shardDirs = [0, 1].map((i) => join(root, `shard-${i}`));
    for (const [i, d] of shardDirs.entries()) {
      await runStudy({ experiment: SLOW, shard: { index: i, count: 2 }, workers: 1, replications: 2, outDir: d, optionalOutputs: false });
    }
    const merged = join(root, 'merged');
    const m = await cli(['merge', ...shardDirs, '--out', merged, '--json']);
    expect(m.status, m.stderr).toBe(0);
    expect(JSON.parse(m.stdout)).toMatchObject({ name: 'test-slow-sum', shards: 2, rows: 16 });
    const single = join(root, 'single');
    await runStudy({ experiment: SLOW, workers: 2, replications: 2, outDir: single, optionalOutputs: false });
    for (const t of ['runs', 'summary'] as const) expect(Buffer.compare(tableBytes(merged, t), tableBytes(single, t))).toBe(0);
    expect(manifestOf(merged)).toMatchObject({ shard: null, mergedFrom: [{ shard: { index: 0, count: 2 } }, { shard: { index: 1, count: 2 } }] });
  });
});
