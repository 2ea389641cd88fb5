/**
 * A sweep beyond one machine: a Kubernetes Indexed Job with one pod per shard. Pod i runs
 * `svcpath run NAME --shard i/N --out /results/shard-i`; the shard folders are collected and
 * `svcpath merge` joins them into the result one machine would have produced.
 *
 * How pod i learns i: for `completionMode: Indexed` the Job controller adds the environment variable
 * JOB_COMPLETION_INDEX (a downward-API reference to the pod's completion-index annotation) to
 * every container of every pod it creates. The kubelet expands `$(VAR)` references in `command`
 * and `args` from the container's environment before starting it, with no shell, so the args can
 * carry `$(JOB_COMPLETION_INDEX)` directly (an unknown `$(X)` would stay as typed).
 */
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import { MAX_WORKERS } from './workerPool.ts';

/** Kubernetes caps `completions` and `parallelism` of an Indexed Job at 10^5. */
export const K8S_MAX_SHARDS = 100_000;
export const K8S_RESULTS_MOUNT = '/results';
/** The uid/gid of the `node` user in node:20-slim, which the Dockerfile runs as. */
const NODE_UID = 1000;

export interface K8sResources {
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
}

export interface K8sJobOptions {
  /** Experiment name, as `svcpath run` takes it. */
  experiment: string;
  /** Number of shards = Job completions; pod i runs shard i/shards. */
  shards: number;
  /** Container image built from the repo's Dockerfile, e.g. "registry.example.com/svcpath:0.1.0". */
  image: string;
  /** Namespace of the Job. __Default value:__ none (kubectl's current namespace) */
  namespace?: string;
  /** Worker threads per pod, passed as `--workers`, and the pod's CPU request. __Default value:__ 1 */
  workersPerShard?: number;
  /** Container resources. __Default value:__ requests.cpu = workersPerShard */
  resources?: K8sResources;
  /** Pods running at once. __Default value:__ shards */
  parallelism?: number;
  /** Failed pods (summed over all shards) before the Job gives up. __Default value:__ shards */
  backoffLimit?: number;
  /**
   * PersistentVolumeClaim mounted at /results. With pods on several nodes it must be
   * ReadWriteMany. __Default value:__ none: an emptyDir, which is deleted with its pod.
   */
  pvc?: string;
  /** Job name. __Default value:__ "svcpath-" + experiment */
  name?: string;
  /**
   * A cluster profile to run on (`svcpath run NAME --cluster PATH`), as a path inside the pod:
   * on the results volume (under /results) or in the image. __Default value:__ none
   */
  clusterPath?: string;
  /** The profile's node class (`--node-class`); needs clusterPath. */
  nodeClass?: string;
}

/** Kubernetes name limits (RFC 1123 labels and subdomains; label values share the 63). */
const DNS_LABEL_MAX = 63; // calibration-exempt: the RFC 1123 label length Kubernetes enforces
const DNS_SUBDOMAIN_MAX = 253; // calibration-exempt: the RFC 1123 subdomain length Kubernetes enforces
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Label values: at most 63 characters, alphanumerics with -, _ or . inside. */
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
/** A resource quantity such as 500m, 2, 1.5, 512Mi, 4Gi. */
const QUANTITY = /^\d+(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

function checkInt(field: string, v: number | undefined, min: number, max: number): void {
  if (v === undefined) return;
  check(Number.isSafeInteger(v) && v >= min && v <= max, `${field}: expected an integer in [${min}, ${max}], got ${String(v)}`);
}

function checkResources(r: K8sResources): void {
  for (const kind of ['requests', 'limits'] as const) {
    for (const [k, v] of Object.entries(r[kind] ?? {})) {
      check(k === 'cpu' || k === 'memory', `resources.${kind}: "${k}" is not allowed; allowed: cpu, memory`);
      check(typeof v === 'string' && QUANTITY.test(v), `resources.${kind}.${k}: "${String(v)}" is not a quantity (e.g. 500m, 2, 512Mi, 4Gi)`);
    }
  }
}

/** The Job's volume for /results: the named claim, or an emptyDir. */
function resultsVolume(pvc: string | undefined): NonNullable<NonNullable<NonNullable<IJob['spec']>['template']['spec']>['volumes']>[number] {
  return pvc === undefined ? { name: 'results', emptyDir: {} } : { name: 'results', persistentVolumeClaim: { claimName: pvc } };
}

/**
 * The batch/v1 Job that runs `experiment` as `shards` pods, pod i running shard i/shards and
 * writing /results/shard-i. Throws RangeError naming the field for invalid options.
 *
 * @example
 * toYaml(k8sJobManifest({ experiment: 'iptables-vs-bpf-map', shards: 8, image: 'ghcr.io/me/svcpath:1' }))
 */
export function k8sJobManifest(o: K8sJobOptions): IJob {
  check(typeof o.experiment === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(o.experiment), `experiment: "${o.experiment}" must be letters, digits, ".", "_" or "-"`);
  checkInt('shards', o.shards, 1, K8S_MAX_SHARDS);
  checkInt('parallelism', o.parallelism, 1, o.shards);
  checkInt('workersPerShard', o.workersPerShard, 1, MAX_WORKERS);
  checkInt('backoffLimit', o.backoffLimit, 0, 1_000_000);
  check(typeof o.image === 'string' && /^[^\s]+$/.test(o.image), `image: "${o.image}" must be a non-empty image reference without spaces`);
  const name = o.name ?? `svcpath-${o.experiment.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`; // calibration-exempt: digits in a regular expression inside a template expression, not a number
  check(name.length <= DNS_LABEL_MAX && DNS_LABEL.test(name), `name: "${name}" is not a valid Job name (a DNS label: at most 63 lowercase letters, digits and "-"); pass a shorter name`);
  if (o.namespace !== undefined) check(o.namespace.length <= DNS_LABEL_MAX && DNS_LABEL.test(o.namespace), `namespace: "${o.namespace}" is not a valid namespace (a DNS label)`);
  if (o.pvc !== undefined) check(o.pvc.length <= DNS_SUBDOMAIN_MAX && DNS_SUBDOMAIN.test(o.pvc), `pvc: "${o.pvc}" is not a valid PersistentVolumeClaim name`);
  const labelValue = o.experiment.length <= DNS_LABEL_MAX && LABEL_VALUE.test(o.experiment) ? o.experiment : name;
  if (o.resources !== undefined) checkResources(o.resources);

  const n = o.shards;
  const index = '$(JOB_COMPLETION_INDEX)';
  // Always explicit: the runner's default is os.availableParallelism(), which in a pod counts the
  // node's cores, not the pod's CPU request.
  const workers = o.workersPerShard ?? 1;
  // --resume: a pod retried after a failure continues its shard from the tasks already saved
  // (on an empty folder it is an ordinary fresh run).
  if (o.nodeClass !== undefined && o.clusterPath === undefined) throw new RangeError('nodeClass: needs a cluster profile (--cluster) whose node class it names');
  const onCluster = [...(o.clusterPath === undefined ? [] : ['--cluster', o.clusterPath]), ...(o.nodeClass === undefined ? [] : ['--node-class', o.nodeClass])];
  const args = ['run', o.experiment, '--shard', `${index}/${n}`, '--out', `${K8S_RESULTS_MOUNT}/shard-${index}`, '--resume', '--workers', String(workers), ...onCluster];
  const resources = o.resources ?? { requests: { cpu: String(workers) } };
  const labels = { 'app.kubernetes.io/name': 'svcpath', 'svcpath/experiment': labelValue };

  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, ...(o.namespace === undefined ? {} : { namespace: o.namespace }), labels },
    spec: {
      completionMode: 'Indexed',
      completions: n,
      parallelism: o.parallelism ?? n,
      backoffLimit: o.backoffLimit ?? n,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          // fsGroup makes the /results volume writable by the image's non-root user.
          securityContext: { runAsNonRoot: true, runAsUser: NODE_UID, runAsGroup: NODE_UID, fsGroup: NODE_UID },
          containers: [
            {
              name: 'svcpath',
              image: o.image,
              command: ['npm', 'run', '-s', 'svcpath', '--'],
              args,
              resources,
              volumeMounts: [{ name: 'results', mountPath: K8S_RESULTS_MOUNT }],
            },
          ],
          volumes: [resultsVolume(o.pvc)],
        },
      },
    },
  };
}

/** Comment lines for the top of the YAML: what runs, where results land, how to collect them. */
export function k8sJobNotes(o: K8sJobOptions): string[] {
  const volume =
    o.pvc === undefined
      ? `an emptyDir volume, deleted with each pod: fine for a trial, but to keep results pass a PersistentVolumeClaim (--pvc CLAIM; ReadWriteMany when pods land on several nodes)`
      : `PersistentVolumeClaim "${o.pvc}" (ReadWriteMany when pods land on several nodes)`;
  return [
    `svcpath experiment "${o.experiment}" as a Kubernetes Indexed Job: ${o.shards} pods; pod i runs shard i/${o.shards}`,
    `(Kubernetes sets JOB_COMPLETION_INDEX = i in each pod and expands $(JOB_COMPLETION_INDEX) in args).`,
    `Pod i writes ${K8S_RESULTS_MOUNT}/shard-i on ${volume}.`,
    `Apply: svcpath k8s-job ... | kubectl apply -f -    Watch: kubectl get pods -l svcpath/experiment=${o.experiment}`,
    o.clusterPath === undefined
      ? `Then copy the shard-* folders out and run: svcpath merge shard-*/ --out results/${o.experiment}`
      : `Then copy the shard-* folders out and run: svcpath merge shard-*/ (into results/${o.experiment}-on-PROFILE, the profile's name)`,
  ];
}

// ---- A small YAML emitter (block style) for manifests: maps, lists, strings, numbers, booleans. ----

/** Plain (unquoted) scalars only where no YAML 1.1 or 1.2 reader could take them for anything else. */
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
const RESERVED = /^(y|n|yes|no|on|off|true|false|null|nan|inf)$/i;

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError(`toYaml: ${v} has no YAML form here`);
    // YAML 1.1 readers (PyYAML) see 1e+21 as a string; 1.0e+21 is a float to 1.1 and 1.2 alike.
    const s = String(v);
    return s.includes('e') && !s.includes('.') ? s.replace('e', '.0e') : s;
  }
  if (typeof v === 'string') return PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
  throw new TypeError(`toYaml: cannot write a ${typeof v}`);
}

function isEmptyCollection(v: unknown): string | undefined {
  if (Array.isArray(v) && v.length === 0) return '[]';
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) return '{}';
  return undefined;
}

function isCollection(v: unknown): v is object {
  return v !== null && typeof v === 'object' && isEmptyCollection(v) === undefined;
}

function emit(v: unknown, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      if (isCollection(item) && !Array.isArray(item)) {
        // "- key: value" with the other keys of the map aligned under the first.
        const lines: string[] = [];
        emit(item, `${indent}  `, lines);
        out.push(`${indent}- ${lines[0]!.slice(indent.length + 2)}`, ...lines.slice(1));
      } else if (isCollection(item)) {
        out.push(`${indent}-`);
        emit(item, `${indent}  `, out);
      } else {
        out.push(`${indent}- ${isEmptyCollection(item) ?? scalar(item)}`);
      }
    }
    return;
  }
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (val === undefined) continue;
    if (isCollection(val)) {
      out.push(`${indent}${scalar(k)}:`);
      // Lists sit at the same indentation as their key, as kubectl writes them.
      emit(val, Array.isArray(val) ? indent : `${indent}  `, out);
    } else {
      out.push(`${indent}${scalar(k)}: ${isEmptyCollection(val) ?? scalar(val)}`);
    }
  }
}

/**
 * A JSON-like value (a manifest) as block YAML, with optional `# comment` lines on top.
 * Strings that a YAML reader could mistake for another type are written JSON-quoted.
 */
export function toYaml(value: Record<string, unknown> | unknown[], comments: readonly string[] = []): string {
  const out = comments.map((c) => `# ${c}`.trimEnd());
  const empty = isEmptyCollection(value);
  if (empty !== undefined) out.push(empty);
  else emit(value, '', out);
  return `${out.join('\n')}\n`;
}
