/**
 * manifest.json: what a results folder holds and where it came from: the study (name, question,
 * base, sweep, points, seeds, replications per point), the shard, the files, versions, git
 * revision, host and timings. It is the only output with timestamps or host names, and it is
 * written last, so its presence means the tables beside it are complete. `svcpath merge` reads the
 * study part back from shard manifests.
 */
import { createHash } from 'node:crypto';
import type { Table } from 'apache-arrow';
import { canonicalJson } from './canonicalJson.ts';
import type { ResolvedExperiment, ReplicationPolicy } from './experimentSchema.ts';
import type { Shard } from './schedulers.ts';
import type { ParamColumn } from './sweep.ts';
import type { ClusterIdentity, StudyIdentity } from './taskStore.ts';
import type { NodeClass } from '../../model/cluster/clusterProfile.ts';
import type { ParamValue, Warmup } from './defineExperiment.ts';
import { gitRevision, hostInfo, versions } from './provenance.ts';

export const STREAMS_NOTE =
  'replication r of every point draws from new RandomStreams(seed, r): each named stream is mt19937 seeded from ' +
  '(seed, r, stream name) only, so stream "arrivals" of replication r is the same at every point (common random numbers); ' +
  'the point key names the row and does not enter the seed';

/** The part of a manifest that describes the study; merge reads it back. */
export interface StudyDescription {
  name: string;
  question: string;
  /** The experiment's written answer (experiment files may carry one), for the report. */
  answer?: string;
  quick: boolean;
  fingerprint: string;
  /** codeFingerprint of the model and experiment sources the tasks ran. */
  code: string;
  seed: number;
  warmup: Warmup;
  base: Record<string, ParamValue>;
  sweep: unknown;
  paramColumns: ParamColumn[];
  metrics: string[];
  points: { point: number; key: string; params: Record<string, ParamValue> }[];
  replications: ReplicationPolicy;
  replicationsPerPoint: number[];
  shard: Shard | null;
  charts: { name: string; data: string; file: string }[];
  /** The cluster the study ran on (svcpath run NAME --cluster FILE). */
  cluster?: ClusterStudy;
}

/** The cluster part of a study: its identity, the profile file, the node class, and what it supplied. */
export interface ClusterStudy extends ClusterIdentity {
  file: string | null;
  /** What the experiment takes from a profile. */
  uses: string;
  /** The base values the profile supplied. */
  fromProfile: Record<string, ParamValue>;
  /** The node class the scenarios simulate (null: the profile has no nodes). */
  node: NodeClass | null;
}

/** The identity part of a cluster study. */
export function clusterIdentity(c: ClusterIdentity): ClusterIdentity {
  return { profile: c.profile, sha256: c.sha256, nodeClass: c.nodeClass };
}

/**
 * What a resume must match (everything that changes a task's result, except replication counts):
 * the resolved definition and `code`, the codeFingerprint of the sources that run it.
 */
export function studyIdentity(exp: ResolvedExperiment, code: string, cluster?: ClusterIdentity): StudyIdentity {
  return identityOf({
    ...(cluster !== undefined ? { cluster: clusterIdentity(cluster) } : {}),
    code,
    name: exp.name,
    base: exp.base,
    paramColumns: exp.paramColumns,
    pointKeys: exp.points.map((p) => p.key),
    seed: exp.seed,
    warmup: exp.warmup,
    metrics: exp.metrics,
  });
}

/** Adds the fingerprint: SHA-256 of the canonical JSON of the rest. */
export function identityOf(core: Omit<StudyIdentity, 'fingerprint'>): StudyIdentity {
  return { fingerprint: createHash('sha256').update(canonicalJson(core)).digest('hex'), ...core };
}

/** Names the fields in which two identities differ. */
export function identityDifferences(a: StudyIdentity, b: StudyIdentity): string[] {
  const keys = ['name', 'base', 'paramColumns', 'pointKeys', 'seed', 'warmup', 'metrics', 'code', 'cluster'] as const;
  const label = { pointKeys: 'sweep points', code: 'the model or experiment code (codeFingerprint)' } as Partial<Record<(typeof keys)[number], string>>;
  return keys.filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k])).map((k) => label[k] ?? k);
}

export function describeStudy(
  exp: ResolvedExperiment,
  identity: StudyIdentity,
  replicationsPerPoint: number[],
  shard: Shard | undefined,
  cluster?: ClusterStudy,
): StudyDescription {
  return {
    name: exp.name,
    question: exp.question,
    ...(exp.answer !== undefined ? { answer: exp.answer } : {}),
    quick: exp.quick,
    fingerprint: identity.fingerprint,
    code: identity.code,
    seed: exp.seed,
    warmup: exp.warmup,
    base: exp.base,
    sweep: exp.sweep,
    paramColumns: [...exp.paramColumns],
    metrics: [...exp.metrics],
    points: exp.points.map((p) => ({ point: p.index, key: p.key, params: p.swept })),
    replications: exp.replicationPolicy,
    replicationsPerPoint,
    shard: shard ?? null,
    charts: exp.charts.map((c) => ({ name: c.name, data: c.spec.data.name, file: `chart-${c.name}.vl.json` })),
    ...(cluster !== undefined ? { cluster } : {}),
  };
}

export function tableInfo(t: Table): { rows: number; columns: string[] } {
  return { rows: t.numRows, columns: t.schema.fields.map((f) => `${f.name}: ${String(f.type)}`) };
}

export interface ManifestExtras {
  tasks: Record<string, number>;
  precision?: { reachedTarget: (boolean | null)[]; relHalfWidth: (number | null)[] } | null;
  files: string[];
  notes: string[];
  tables: { runs: Table; summary: Table };
  workers: number;
  timings: Record<string, string | number>;
  mergedFrom?: unknown[];
}

export function buildManifest(study: StudyDescription, extras: ManifestExtras): Record<string, unknown> {
  return {
    ...study,
    seeds: { study: study.seed, streams: STREAMS_NOTE },
    ...(extras.precision ? { precision: extras.precision } : {}),
    tasks: extras.tasks,
    files: extras.files,
    tables: { runs: tableInfo(extras.tables.runs), summary: tableInfo(extras.tables.summary) },
    notes: extras.notes,
    ...(extras.mergedFrom ? { mergedFrom: extras.mergedFrom } : {}),
    versions: versions(),
    git: gitRevision(),
    host: { ...hostInfo(), workers: extras.workers },
    timings: extras.timings,
  };
}
