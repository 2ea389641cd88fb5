import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { batch } from 'kubernetes-models';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import { k8sJobManifest, toYaml, type K8sJobOptions } from '../../experiments/lib/k8sJob.ts';
import { runCli } from '../cli/runCli.ts';
import { parseRunArgs } from '../../experiments/cli/run.ts';

const base: K8sJobOptions = { experiment: 'iptables-vs-bpf-map', shards: 4, image: 'registry.example.com/svcpath:0.1.0' };

/** Schema validation of a batch/v1 Job (kubernetes-models' OpenAPI schema); throws if invalid. */
function validateJob(manifest: unknown): void {
  new batch.v1.Job(manifest as IJob).validate();
}

/**
 * What the kubelet does to command/args before starting a container: `$(VAR)` becomes the value of
 * env var VAR if it is defined, `$$` becomes `$`, anything else stays as typed
 * (k8s.io/kubernetes third_party/forked/golang/expansion).
 */
function kubeletExpand(s: string, env: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) =>
    m === '$$' ? '$' : name !== undefined && name in env ? env[name]! : m,
  );
}

function container(job: IJob) {
  return job.spec!.template.spec!.containers[0]!;
}

describe('k8sJobManifest(options)', () => {
  it('is a valid batch/v1 Job by the Kubernetes schema, with defaults and with every option', () => {
    validateJob(k8sJobManifest(base));
    validateJob(
      k8sJobManifest({
        ...base,
        namespace: 'sim',
        pvc: 'svcpath-results',
        parallelism: 2,
        workersPerShard: 4,
        backoffLimit: 0,
        resources: { requests: { cpu: '4', memory: '8Gi' }, limits: { memory: '8Gi' } },
        name: 'sweep-1',
      }),
    );
  });

  it('is an Indexed Job of N completions whose pods never restart in place', () => {
    const job = k8sJobManifest({ ...base, shards: 7, parallelism: 3 });
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 7, parallelism: 3, backoffLimit: 7 });
    expect(job.spec!.template.spec!.restartPolicy).toBe('Never');
    expect(job.metadata!.name).toBe('svcpath-iptables-vs-bpf-map');
  });

  it('gives pod i, after the kubelet expands $(JOB_COMPLETION_INDEX), shard i/N and its own folder on the /results volume', () => {
    const n = 5;
    const job = k8sJobManifest({ ...base, shards: n });
    const c = container(job);
    expect(c.command).toEqual(['npm', 'run', '-s', 'svcpath', '--']);
    const mount = c.volumeMounts!.find((m) => m.mountPath === '/results');
    expect(job.spec!.template.spec!.volumes!.find((v) => v.name === mount?.name)).toEqual({ name: 'results', emptyDir: {} });

    const outs = new Set<string>();
    for (let i = 0; i < n; i++) {
      // The Job controller adds JOB_COMPLETION_INDEX to the container env of pod i.
      const argv = c.args!.map((a) => kubeletExpand(a, { JOB_COMPLETION_INDEX: String(i) }));
      expect(argv.slice(0, 2)).toEqual(['run', 'iptables-vs-bpf-map']);
      expect(argv[argv.indexOf('--shard') + 1]).toBe(`${i}/${n}`);
      const out = argv[argv.indexOf('--out') + 1]!;
      expect(out.startsWith('/results/')).toBe(true);
      outs.add(out);
      expect(argv.slice(-2)).toEqual(['--workers', '1']); // explicit, so the pod does not spawn one per node core
      expect(argv.join(' ')).not.toContain('$(');
    }
    expect(outs.size).toBe(n);
    expect(c.resources).toEqual({ requests: { cpu: '1' } });
  });

  it('mounts the named PersistentVolumeClaim, passes --workers and requests that many CPUs', () => {
    const job = k8sJobManifest({ ...base, pvc: 'svcpath-results', workersPerShard: 3 });
    expect(job.spec!.template.spec!.volumes).toEqual([{ name: 'results', persistentVolumeClaim: { claimName: 'svcpath-results' } }]);
    const c = container(job);
    expect(c.args!.slice(-2)).toEqual(['--workers', '3']);
    expect(c.resources).toEqual({ requests: { cpu: '3' } });
    // The image runs as the non-root node user; fsGroup lets it write the volume.
    expect(job.spec!.template.spec!.securityContext).toMatchObject({ runAsUser: 1000, fsGroup: 1000 });
  });

  it('passes a cluster profile and node class on to svcpath run in every pod', () => {
    const c = container(k8sJobManifest({ ...base, clusterPath: '/results/prod.json', nodeClass: 'm5.2xlarge' }));
    expect(c.args!.slice(-4)).toEqual(['--cluster', '/results/prod.json', '--node-class', 'm5.2xlarge']);
    expect(parseRunArgs(c.args!.slice(1).map((a) => kubeletExpand(a, { JOB_COMPLETION_INDEX: '0' })))).toMatchObject({ cluster: '/results/prod.json', nodeClass: 'm5.2xlarge' });
    expect(() => k8sJobManifest({ ...base, nodeClass: 'm5.2xlarge' })).toThrow(/^nodeClass: needs a cluster profile/);
  });

  it.each([
    [{ shards: 0 }, /^shards: expected an integer in \[1, 100000\], got 0/],
    [{ shards: 2.5 }, /^shards: /],
    [{ parallelism: 5 }, /^parallelism: expected an integer in \[1, 4\], got 5/],
    [{ image: 'has space' }, /^image: /],
    [{ experiment: 'bad name!' }, /^experiment: "bad name!"/],
    [{ namespace: 'Not_A_Label' }, /^namespace: "Not_A_Label"/],
    [{ experiment: 'x'.repeat(60) }, /^name: "svcpath-x+" is not a valid Job name/],
    [{ resources: { requests: { cpu: 'lots' } } }, /^resources\.requests\.cpu: "lots" is not a quantity/],
  ] as [Partial<K8sJobOptions>, RegExp][])('rejects %j, naming the field', (bad, message) => {
    expect(() => k8sJobManifest({ ...base, ...bad })).toThrow(message);
  });
});

describe('the schema check itself', () => {
  it('rejects an invalid Job (completions: "x"; a container without a name)', () => {
    const job = k8sJobManifest(base) as unknown as { spec: Record<string, unknown> };
    expect(() => validateJob({ ...job, spec: { ...job.spec, completions: 'x' } })).toThrow(/spec\/completions must be integer/);
    const noName = structuredClone(k8sJobManifest(base));
    delete (noName.spec!.template.spec!.containers[0] as { name?: string }).name;
    expect(() => validateJob(noName)).toThrow(/containers\/0 must have required property name/);
  });
});

const pyYaml = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0;

describe('toYaml(value, comments)', () => {
  it.skipIf(!pyYaml)('reads back (PyYAML safe_load) as the same value, quoting strings that would change type', () => {
    const value = {
      manifest: k8sJobManifest({ ...base, pvc: 'c', workersPerShard: 2 }),
      tricky: ['yes', 'no', 'on', 'off', 'y', 'N', 'true', 'null', '~', '', '1', '007', '1e3', '.5', '0x1F', '-s', '--', 'a: b', '#x', 'a #b', '*x', '&x', '!x', '%x', '@x', '`x', '[x]', '{x}', "it's", 'say "hi"', 'two\nlines', 'tab\there', 'ρ ≥ 0.9', ' padded '],
      nested: [[1, 2], [], {}, [{ a: [] }], { 'key with space': -1.5, 'yes': false, '2': null }],
      numbers: [0, -0.25, 1e21, 123456789012],
    };
    const yaml = toYaml(value, ['a comment', 'another: with colon']);
    expect(yaml.startsWith('# a comment\n# another: with colon\n')).toBe(true);
    const r = spawnSync('python3', ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))'], { input: yaml, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(value);
  });

  it('writes block YAML with lists under their key, as kubectl does', () => {
    expect(toYaml({ a: { b: [1, 'x'] }, c: [{ d: 1, e: { f: 'g' } }], h: {} })).toBe(
      ['a:', '  b:', '  - 1', '  - x', 'c:', '- d: 1', '  e:', '    f: g', 'h: {}', ''].join('\n'),
    );
  });
});

describe('svcpath k8s-job', () => {
  it('prints a valid Job as JSON (--json) and as YAML', async () => {
    const args = ['k8s-job', 'iptables-vs-bpf-map', '--shards', '3', '--image', 'img:1', '--namespace', 'sim', '--pvc', 'res', '--workers', '2'];
    const [json, yaml] = await Promise.all([runCli([...args, '--json']), runCli(args)]);
    expect(json.status).toBe(0);
    expect(json.stderr).toBe('');
    const job = JSON.parse(json.stdout) as IJob;
    validateJob(job);
    expect(job).toEqual(k8sJobManifest({ experiment: 'iptables-vs-bpf-map', shards: 3, image: 'img:1', namespace: 'sim', pvc: 'res', workersPerShard: 2 }));
    expect(yaml.status).toBe(0);
    expect(yaml.stdout).toMatch(/^# svcpath experiment "iptables-vs-bpf-map" as a Kubernetes Indexed Job: 3 pods/);
    expect(yaml.stdout).toContain('\napiVersion: batch/v1\nkind: Job\n');
  });

  it('notes on stderr that results on an emptyDir are lost without --pvc', async () => {
    const r = await runCli(['k8s-job', 'x', '--shards', '2', '--image', 'img']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/without --pvc .* emptyDir/);
  });

  it('rejects bad flags with exit 2, naming the flag and the value', async () => {
    const [noImage, parallel, noName, cpu] = await Promise.all([
      runCli(['k8s-job', 'x', '--shards', '2']),
      runCli(['k8s-job', 'x', '--shards', '2', '--image', 'i', '--parallelism', '5']),
      runCli(['k8s-job', '--shards', '2', '--image', 'i']),
      runCli(['k8s-job', 'x', '--shards', '2', '--image', 'i', '--cpu', 'lots']),
    ]);
    for (const r of [noImage, parallel, noName, cpu]) {
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect(noImage.stderr).toMatch(/^svcpath k8s-job: error: --image is required/);
    expect(parallel.stderr).toMatch(/^svcpath k8s-job: error: --parallelism: expected an integer in \[1, 2\], got "5"/);
    expect(noName.stderr).toMatch(/^svcpath k8s-job: error: the experiment NAME is required/);
    expect(cpu.stderr).toMatch(/^svcpath k8s-job: error: --cpu: "lots" is not a quantity/);
  });
});
