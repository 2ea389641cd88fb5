/**
 * The cluster profile's JSON schema (zod), checked when `svcpath import` writes a profile and
 * whenever a command reads one with `--cluster`: a hand-edited profile (a node class's cpuGhz
 * filled in, a count changed to try a what-if) gets an error naming the file, the field, the value
 * and what is allowed. The fields and their meaning are documented in
 * model/cluster/clusterProfile.ts; this file only says what values are allowed.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CLUSTER_PROFILE_SCHEMA, PROXY_MODES, type ClusterProfile } from '../../model/cluster/clusterProfile.ts';
import { DATAPATH_NAMES } from '../../model/datapaths/datapathSpec.ts';
import { writeFileAtomicSync } from '../lib/atomicWrite.ts';

const count = z.number().int().min(0);
const family = z.enum(['IPv4', 'IPv6']);
const summary = z.object({ mean: z.number().min(0), p50: z.number().min(0), p99: z.number().min(0), max: z.number().min(0) }).strict();
const histogram = z.array(z.tuple([count, count]));

const familyProfile = z
  .object({
    servicePorts: count,
    servicePortsWithEndpoints: count,
    endpointsPerServicePort: summary,
    endpointsHistogram: histogram,
    endpoints: z.object({ ready: count, serving: count, terminating: count, usable: count }).strict(),
    kubeServicesRulesPredicted: count,
    natRulesPredicted: count,
  })
  .strict();

const iptables = z
  .object({
    family,
    file: z.string(),
    kubeServicesRules: count,
    servicePositions: z.array(z.number().int().min(1)),
    servicePortsWithEndpoints: count,
    endpointsPerServicePort: summary,
    endpointsHistogram: histogram,
    natRules: count,
    kubeProxyNatRules: count,
    rulesByChainKind: z.record(z.string(), count),
    otherKubeServicesRules: count,
    programsNotMatchingModel: count,
    servicePortsWithoutEndpoints: count.nullable(),
  })
  .strict();

const nftables = z
  .object({
    family,
    file: z.string(),
    serviceIpsElements: count,
    servicePortsWithEndpoints: count,
    endpointsPerServicePort: summary,
    endpointsHistogram: histogram,
    noEndpointServices: count,
    chains: count,
    rules: count,
  })
  .strict();

const ciliumLb = z
  .object({
    file: z.string(),
    source: z.enum(['service-list', 'bpf-lb-list']),
    frontends: count,
    frontendsByType: z.record(z.string(), count),
    backendsPerFrontend: summary,
    backendSlots: count,
  })
  .strict();

const nodeClass = z
  .object({
    name: z.string().min(1),
    count: z.number().int().min(1),
    cpuCores: z.number().int().min(1),
    memoryBytes: z.number().int().min(1),
    kernelVersion: z.string().regex(/^v?\d+\.\d+/, 'expected a kernel version starting with MAJOR.MINOR (e.g. 5.15.0-1051-aws)'),
    architecture: z.string().nullable(),
    instanceType: z.string().nullable(),
    provider: z.string().nullable(),
    controlPlaneNodes: count,
    nodePreset: z.enum(['bare-metal-10g', 'cloud-up-to-10g']),
    cpuGhz: z.number().gt(0).max(10).nullable(), // calibration-exempt: an input bound, as svcpath path --cpu-ghz
    exampleNodes: z.array(z.string()),
  })
  .strict();

const positiveOrNull = z.number().gt(0).nullable();

export const clusterProfileSchema = z
  .object({
    schema: z.literal(CLUSTER_PROFILE_SCHEMA),
    name: z.string().min(1),
    sources: z.array(z.object({ file: z.string(), format: z.string(), used: count }).strict()),
    objects: z.record(z.string(), count),
    skipped: z.record(z.string(), count),
    warnings: z.array(z.string()),
    proxyMode: z.enum(PROXY_MODES as [string, ...string[]]),
    proxy: z
      .object({
        mode: z.enum(PROXY_MODES as [string, ...string[]]),
        datapath: z.enum(DATAPATH_NAMES as [string, ...string[]]).nullable(),
        decidedBy: z.string(),
        kubeProxy: z
          .object({
            configuredMode: z.string().nullable(),
            minSyncPeriodSec: positiveOrNull,
            syncPeriodSec: positiveOrNull,
            conntrackMaxPerCore: positiveOrNull,
            conntrackMin: positiveOrNull,
            from: z.array(z.string()),
          })
          .strict()
          .nullable(),
        cilium: z
          .object({
            kubeProxyReplacement: z.string().nullable(),
            socketLb: z.boolean().nullable(),
            ctGlobalTcpMax: positiveOrNull,
            ctGlobalAnyMax: positiveOrNull,
            mapDynamicSizeRatio: positiveOrNull,
            from: z.array(z.string()),
          })
          .strict()
          .nullable(),
      })
      .strict(),
    services: z
      .object({
        total: count, clusterIP: count, nodePort: count, loadBalancer: count, externalName: count, headless: count,
        withoutSelector: count, dualStack: count, ipv6Only: count, withExternalIPs: count, ports: count,
      })
      .strict(),
    primaryFamily: family,
    servicePorts: count,
    servicePortsWithEndpoints: count,
    endpointsPerServicePort: summary,
    families: z.object({ IPv4: familyProfile.nullable(), IPv6: familyProfile.nullable() }).strict(),
    kubeServicesRules: count.nullable(),
    servicePositions: z.array(z.number().int().min(1)).nullable(),
    iptables: z.array(iptables),
    nftables: z.array(nftables),
    ciliumLb: z.array(ciliumLb),
    conntrackEntries: count.nullable(),
    nodes: count,
    nodeClasses: z.array(nodeClass),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.proxyMode !== p.proxy.mode) ctx.addIssue({ code: 'custom', path: ['proxyMode'], message: `must equal proxy.mode ("${p.proxy.mode}")` });
    if (p.servicePortsWithEndpoints > p.servicePorts) {
      ctx.addIssue({ code: 'custom', path: ['servicePortsWithEndpoints'], message: `must be <= servicePorts (${p.servicePorts})` });
    }
    if (p.servicePositions !== null && p.kubeServicesRules !== null) {
      const bad = p.servicePositions.findIndex((x) => x >= p.kubeServicesRules!);
      if (bad >= 0) ctx.addIssue({ code: 'custom', path: ['servicePositions', bad], message: `must be below kubeServicesRules (${p.kubeServicesRules}): the last rule is the KUBE-NODEPORTS jump` });
    }
    const names = new Set<string>();
    p.nodeClasses.forEach((k, i) => {
      if (names.has(k.name)) ctx.addIssue({ code: 'custom', path: ['nodeClasses', i, 'name'], message: `"${k.name}" names two classes` });
      names.add(k.name);
    });
  });

// The schema must describe exactly the documented type.
const _typeCheck: z.ZodType<ClusterProfile> = clusterProfileSchema as unknown as z.ZodType<ClusterProfile>;
void _typeCheck;

/** Characters of a value shown in an error. */
const PREVIEW_CHARS = 80; // calibration-exempt: presentation

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

/** The first problem of `value` as a profile, "field: message (got value)", or null when it is one. */
export function profileProblem(value: unknown): string | null {
  const r = clusterProfileSchema.safeParse(value);
  if (r.success) return null;
  const issue = r.error.issues[0]!;
  const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(the profile)';
  let got: unknown = value;
  for (const p of issue.path) got = (got as Record<PropertyKey, unknown> | undefined)?.[p as PropertyKey];
  const shown = got === undefined ? 'nothing' : (JSON.stringify(got) ?? String(got)).slice(0, PREVIEW_CHARS);
  return `${field}: ${issue.message} (got ${shown})`;
}

/** The profile as indented JSON, with each list of numbers on one line (50,000 positions stay one line). */
export function profileJson(profile: ClusterProfile): string {
  return JSON.stringify(profile, null, 1).replace(/\[\s*-?[\d.eE+-]+(?:\s*,\s*-?[\d.eE+-]+)*\s*\]/g, (m) => m.replace(/\s+/g, ''));
}

/** Writes the profile atomically after checking it (a profile that fails its schema is a bug, never written). */
export function writeClusterProfile(path: string, profile: ClusterProfile): void {
  const problem = profileProblem(profile);
  if (problem !== null) throw new Error(`the profile is not valid, not written: ${problem}`);
  writeFileAtomicSync(path, `${profileJson(profile)}\n`);
}

/** Reads and checks a profile; errors name the file and the field. */
export function readClusterProfile(path: string): ClusterProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ProfileError(`${path}: cannot read the cluster profile: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ProfileError(`${path}: not JSON: ${(e as Error).message}`);
  }
  if ((value as { schema?: unknown } | null)?.schema !== CLUSTER_PROFILE_SCHEMA) {
    throw new ProfileError(`${path}: not a cluster profile (schema must be "${CLUSTER_PROFILE_SCHEMA}"; write one with svcpath import)`);
  }
  const problem = profileProblem(value);
  if (problem !== null) throw new ProfileError(`${path}: ${problem}`);
  return value as ClusterProfile;
}
