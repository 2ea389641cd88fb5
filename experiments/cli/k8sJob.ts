/**
 * `svcpath k8s-job`: prints the Kubernetes Indexed Job (YAML, or JSON with --json) that runs one
 * experiment as N shards, one pod each, for `kubectl apply -f -`.
 */
import { parseArgs, intFlag, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { K8S_MAX_SHARDS, k8sJobManifest, k8sJobNotes, toYaml, type K8sJobOptions, type K8sResources } from '../lib/k8sJob.ts';
import { MAX_WORKERS } from '../lib/workerPool.ts';

const SYNOPSIS =
  'svcpath k8s-job NAME --shards N --image IMAGE [--namespace NS] [--pvc CLAIM] [--parallelism P] [--workers W] [--cpu Q] [--memory Q] [--backoff-limit B] [--job-name JOB] [--cluster PATH [--node-class NAME]] [--json]';

const HELP = `usage: svcpath k8s-job NAME --shards N --image IMAGE
                       [--namespace NS] [--pvc CLAIM] [--parallelism P] [--workers W]
                       [--cpu Q] [--memory Q] [--backoff-limit B] [--job-name JOB]
                       [--cluster PATH [--node-class NAME]] [--json]

Prints a Kubernetes batch/v1 Job (completionMode: Indexed) that runs experiment NAME as N
shards: pod i (0 <= i < N) runs "svcpath run NAME --shard i/N --out /results/shard-i" in
IMAGE (built from the repo's Dockerfile). Pipe it to kubectl:

  svcpath k8s-job NAME --shards 16 --image REGISTRY/svcpath:TAG --pvc svcpath-results | kubectl apply -f -

then copy the shard-* folders out of the volume and run "svcpath merge shard-*/ --out results/NAME".

  --shards N          number of shards = pods, an integer in [1, ${K8S_MAX_SHARDS}] (required)
  --image IMAGE       container image with this repo (required)
  --namespace NS      namespace of the Job (default: kubectl's current namespace)
  --pvc CLAIM         PersistentVolumeClaim mounted at /results (ReadWriteMany if pods land on
                      several nodes); without it /results is an emptyDir, deleted with its pod
  --parallelism P     pods running at once, an integer in [1, N] (default N)
  --workers W         worker threads per pod, passed to svcpath run --workers (default 1)
  --cpu Q             CPU request per pod, e.g. 2 or 500m (default W)
  --memory Q          memory request per pod, e.g. 2Gi (default none)
  --backoff-limit B   failed pods, over all shards, before the Job fails (default N)
  --job-name JOB      name of the Job (default svcpath-NAME)
  --cluster PATH      run on a cluster profile (svcpath run NAME --cluster PATH); PATH is seen
                      from inside the pod: copy the profile onto the volume (e.g.
                      /results/profile.json) or build it into the image
  --node-class NAME   the profile's node class, passed to svcpath run --node-class
  --json              print JSON instead of YAML (kubectl accepts both)
  --help              print this text`;

export const k8sJobCommand: Command = {
  name: 'k8s-job',
  summary: 'print a Kubernetes Indexed Job that runs an experiment as N shards',
  synopsis: SYNOPSIS,
  help: HELP,
  run(argv) {
    const args = parseArgs(argv, {
      values: ['shards', 'image', 'namespace', 'pvc', 'parallelism', 'workers', 'cpu', 'memory', 'backoff-limit', 'job-name', 'cluster', 'node-class'],
      flags: ['json'],
      maxPositionals: 1,
    });
    const experiment = args.positionals[0];
    if (experiment === undefined) throw new UsageError('the experiment NAME is required');
    const shards = intFlag(args, 'shards', { min: 1, max: K8S_MAX_SHARDS });
    const image = args.values.get('image');
    if (image === undefined) throw new UsageError('--image is required');
    const workers = args.values.has('workers') ? intFlag(args, 'workers', { min: 1, max: MAX_WORKERS }) : undefined;
    const cpu = args.values.get('cpu');
    const memory = args.values.get('memory');
    const resources: K8sResources | undefined =
      cpu === undefined && memory === undefined
        ? undefined
        : { requests: { cpu: cpu ?? String(workers ?? 1), ...(memory === undefined ? {} : { memory }) } };
    const options: K8sJobOptions = {
      experiment,
      shards,
      image,
      ...(args.values.has('namespace') ? { namespace: args.values.get('namespace')! } : {}),
      ...(args.values.has('pvc') ? { pvc: args.values.get('pvc')! } : {}),
      ...(args.values.has('parallelism') ? { parallelism: intFlag(args, 'parallelism', { min: 1, max: shards }) } : {}),
      ...(workers === undefined ? {} : { workersPerShard: workers }),
      ...(resources === undefined ? {} : { resources }),
      ...(args.values.has('backoff-limit') ? { backoffLimit: intFlag(args, 'backoff-limit', { min: 0 }) } : {}),
      ...(args.values.has('job-name') ? { name: args.values.get('job-name')! } : {}),
      ...(args.values.has('cluster') ? { clusterPath: args.values.get('cluster')! } : {}),
      ...(args.values.has('node-class') ? { nodeClass: args.values.get('node-class')! } : {}),
    };
    let manifest;
    try {
      manifest = k8sJobManifest(options);
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(flagMessage(e.message));
      throw e;
    }
    if (args.flags.has('json')) process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
    else process.stdout.write(toYaml(manifest as unknown as Record<string, unknown>, k8sJobNotes(options)));
    if (options.pvc === undefined) {
      process.stderr.write('svcpath k8s-job: note: without --pvc the shards write to emptyDir volumes, which are deleted with their pods\n');
    }
  },
};

/** k8sJobManifest's errors start with the option field ("workersPerShard: ..."); say the flag instead. */
function flagMessage(message: string): string {
  const m = /^([\w.]+): /.exec(message);
  if (m === null) return message;
  const field = m[1]!;
  const flag = field === 'experiment' ? 'NAME' : `--${FLAG_OF_FIELD[field] ?? field.split('.').pop()}`;
  return `${flag}: ${message.slice(m[0].length)}`;
}

const FLAG_OF_FIELD: Record<string, string> = {
  workersPerShard: 'workers',
  backoffLimit: 'backoff-limit',
  clusterPath: 'cluster',
  nodeClass: 'node-class',
  name: 'job-name',
};
