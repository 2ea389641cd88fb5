/**
 * `svcpath import`: reads a cluster's dumps (kubectl JSON, iptables-save, nft list ruleset, Cilium's
 * LB lists, a conntrack count), writes the cluster profile atomically, and prints a summary or the
 * profile as one JSON object. The work is in experiments/cluster/importCluster.ts.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs, UsageError, type ParsedArgs } from './args.ts';
import type { Command } from './command.ts';
import { formatTable } from './textTable.ts';
import type { ClusterProfile, CountSummary } from '../../model/cluster/clusterProfile.ts';
import { BYTES_PER_GIB } from '../../model/units.ts';
import type { DumpFormat } from '../cluster/sniffDump.ts';
import type { ImportFile } from '../cluster/importCluster.ts';

export const IMPORT_DEFAULT_OUT = 'cluster-profile.json';
/** Dump files one import reads at most. */
const MAX_FILES = 10_000; // calibration-exempt: an input bound

const FORMAT_FLAGS: readonly [string, DumpFormat][] = [
  ['iptables-save', 'iptables-save'],
  ['nft', 'nft-ruleset'],
  ['cilium-service-list', 'cilium-service-list'],
  ['cilium-lb-list', 'cilium-bpf-lb-list'],
];

const SYNOPSIS =
  'svcpath import FILE... [--iptables-save FILE[,FILE]] [--nft FILE] [--cilium-service-list FILE] [--cilium-lb-list FILE] [--conntrack-count N|FILE] [--name NAME] [--out FILE] [--json]';

const HELP = `usage: svcpath import FILE... [--iptables-save FILE[,FILE]] [--nft FILE[,FILE]]
                      [--cilium-service-list FILE] [--cilium-lb-list FILE] [--conntrack-count N|FILE]
                      [--name NAME] [--out FILE] [--json]

Reads a cluster's state from dumps taken with standard tools, offline, and writes a cluster
profile: the Services as kube-proxy programs them, their endpoints, the node classes, the proxy
mode and, from a rules dump, the real KUBE-SERVICES length and each Service's position in it.
Every command takes the profile with --cluster; "svcpath plan --cluster FILE" plans its capacity.

Each FILE is recognised from its content:
  kubectl get services,endpointslices,nodes -A -o json > cluster.json
  kubectl get cm -n kube-system -o json > cm.json          (kube-proxy ConfigMap, cilium-config)
  kubectl get ds -n kube-system -o json > ds.json          (kube-proxy or cilium DaemonSet)
  iptables-save -t nat > nat.txt ; ip6tables-save -t nat > nat6.txt    (on one node)
  nft list ruleset > nft.txt                               (kube-proxy in nftables mode)
  cilium service list > svc.txt ; cilium bpf lb list > lb.txt          (in a cilium pod)
  conntrack -C > ct.txt ; cilium bpf ct list global | wc -l > ct.txt
Several kubectl files may be given (a List, a single object, or several documents per file);
unknown kinds and custom resources are counted and skipped; a List of 50,000 Services is read in
a few seconds in memory bounded by its largest object.

  --iptables-save F[,F]    read F as iptables-save output (instead of recognising it)
  --nft F[,F]              read F as nft list ruleset output
  --cilium-service-list F  read F as cilium service list output
  --cilium-lb-list F       read F as cilium bpf lb list output
  --conntrack-count N|F    connection-tracking entries on one node: a number, or a file holding one
  --name NAME              the profile's name (default: the first file's name without extension)
  --out FILE               where to write the profile (default ${IMPORT_DEFAULT_OUT}); written atomically
  --json                   print the profile as exactly one JSON object on stdout instead of the summary
  --help                   print this text

The profile (JSON, documented in model/cluster/clusterProfile.ts) holds servicePorts (Service port
programs of the primary IP family), servicePortsWithEndpoints, endpointsPerServicePort {mean, p50,
p99, max}, families (per IP family, with the KUBE-SERVICES and nat rule counts the objects imply),
kubeServicesRules and servicePositions (from iptables-save), nodeClasses [{name, count, cpuCores,
memoryBytes, kernelVersion, ...}], proxyMode and proxy (mode, datapath, kube-proxy and Cilium
settings), conntrackEntries, skipped {reason: count} and warnings (where the dumps disagree).
Edit it freely (a class's cpuGhz, a count for a what-if): every reader checks it again.

Example: svcpath import cluster.json kube-system.json nat.txt --out prod.json`;

function filesOf(args: ParsedArgs): ImportFile[] {
  const files: ImportFile[] = args.positionals.map((path) => ({ path }));
  for (const [flag, format] of FORMAT_FLAGS) {
    const v = args.values.get(flag);
    if (v === undefined) continue;
    for (const path of v.split(',')) {
      if (path === '') throw new UsageError(`--${flag}: expected FILE[,FILE...], got "${v}"`);
      files.push({ path, format });
    }
  }
  return files;
}

export interface ImportInputs {
  readonly files: readonly ImportFile[];
  readonly name: string | undefined;
  readonly out: string;
  readonly json: boolean;
  readonly conntrack: { readonly entries: number } | { readonly file: string } | undefined;
}

export function parseImportArgs(argv: readonly string[]): ImportInputs {
  const args = parseArgs(argv, {
    values: [...FORMAT_FLAGS.map(([f]) => f), 'conntrack-count', 'name', 'out'],
    flags: ['json'],
    maxPositionals: MAX_FILES,
  });
  const files = filesOf(args);
  const ct = args.values.get('conntrack-count');
  const conntrack = ct === undefined ? undefined : /^\d+$/.test(ct) ? { entries: Number(ct) } : { file: ct };
  if (files.length === 0 && conntrack === undefined) throw new UsageError('give at least one dump FILE (e.g. the JSON of kubectl get services,endpointslices,nodes -A -o json)');
  const name = args.values.get('name');
  if (name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new UsageError(`--name: "${name}" is not allowed; allowed: letters, digits, ".", "_" and "-", starting with a letter or digit`);
  }
  return { files, name, out: args.values.get('out') ?? IMPORT_DEFAULT_OUT, json: args.flags.has('json'), conntrack };
}

const int = (v: number): string => Math.round(v).toLocaleString('en-US');
const summaryText = (s: CountSummary): string => `mean ${s.mean.toFixed(2)}, p50 ${int(s.p50)}, p99 ${int(s.p99)}, max ${int(s.max)}`;

export function importSummary(p: ClusterProfile, out: string, wallSec: number): string {
  const s = p.services;
  const rows: [string, string][] = [
    ['proxy', `${p.proxyMode}${p.proxy.datapath === null ? '' : ` (modelled as ${p.proxy.datapath})`}: ${p.proxy.decidedBy}`],
    ['Services', `${int(s.total)}: ${int(s.clusterIP)} ClusterIP, ${int(s.nodePort)} NodePort, ${int(s.loadBalancer)} LoadBalancer, ${int(s.headless)} headless, ${int(s.externalName)} ExternalName; ${int(s.withoutSelector)} without selector, ${int(s.dualStack)} dual-stack, ${int(s.ipv6Only)} IPv6-only`],
    [`Service ports (${p.primaryFamily})`, `${int(p.servicePorts)} programmed, ${int(p.servicePortsWithEndpoints)} with endpoints`],
    ['endpoints per Service port', summaryText(p.endpointsPerServicePort)],
  ];
  for (const fam of ['IPv4', 'IPv6'] as const) {
    const f = p.families[fam];
    if (f === null) continue;
    rows.push([`${fam} rules kube-proxy writes`, `KUBE-SERVICES ${int(f.kubeServicesRulesPredicted)}, nat ${int(f.natRulesPredicted)} (from the objects)`]);
  }
  for (const ipt of p.iptables) {
    rows.push([`iptables-save (${ipt.family})`, `KUBE-SERVICES ${int(ipt.kubeServicesRules)} rules, ${int(ipt.servicePortsWithEndpoints)} Service ports at positions ${ipt.servicePositions[0] ?? '-'}..${ipt.servicePositions[ipt.servicePositions.length - 1] ?? '-'}, nat ${int(ipt.natRules)} rules (${int(ipt.kubeProxyNatRules)} kube-proxy's)`]);
  }
  for (const nft of p.nftables) rows.push([`nftables (${nft.family})`, `${int(nft.serviceIpsElements)} service-ips elements, ${int(nft.servicePortsWithEndpoints)} service chains with endpoints, ${int(nft.rules)} rules`]);
  for (const c of p.ciliumLb) rows.push([`Cilium LB (${c.source})`, `${int(c.frontends)} frontends, backends per frontend ${summaryText(c.backendsPerFrontend)}`]);
  if (p.conntrackEntries !== null) rows.push(['conntrack entries', int(p.conntrackEntries)]);
  const classes = p.nodeClasses.map((k) => [
    k.name, int(k.count), String(k.cpuCores), (k.memoryBytes / BYTES_PER_GIB).toFixed(1), k.kernelVersion, k.nodePreset, k.controlPlaneNodes > 0 ? `${k.controlPlaneNodes} control plane` : '',
  ]);
  const skipped = Object.entries(p.skipped).map(([reason, n]) => [reason, int(n)]);
  return [
    `cluster profile "${p.name}" written to ${out}`,
    '',
    formatTable(['', 'value'], rows, ['left', 'left']),
    '',
    classes.length === 0 ? 'no Nodes in the dumps: commands use the calibration table\'s typical node' : formatTable(['node class', 'nodes', 'cores', 'GiB', 'kernel', 'modelled as', ''], classes, ['left', 'right', 'right', 'right', 'left', 'left', 'left']),
    ...(skipped.length === 0 ? [] : ['', formatTable(['skipped', 'objects'], skipped, ['left', 'right'])]),
    ...(p.warnings.length === 0 ? [] : ['', 'warnings:', ...p.warnings.map((w) => `  - ${w}`)]),
    '',
    `read ${p.sources.length} file${p.sources.length === 1 ? '' : 's'} in ${wallSec.toFixed(2)} s`,
  ].join('\n');
}

async function runImport(argv: readonly string[]): Promise<void> {
  const inputs = parseImportArgs(argv);
  const { importCluster, defaultProfileName } = await import('../cluster/importCluster.ts');
  const { writeClusterProfile } = await import('../cluster/profileSchema.ts');
  const { parseConntrackCount } = await import('../cluster/sniffDump.ts');
  const { readFileSync, statSync } = await import('node:fs');
  for (const f of inputs.files) {
    const info = statSync(f.path, { throwIfNoEntry: false });
    if (info === undefined || !info.isFile()) throw new UsageError(`"${f.path}" is not a file`);
  }
  const t0 = performance.now();
  let conntrackEntries: number | undefined;
  if (inputs.conntrack !== undefined) {
    if ('entries' in inputs.conntrack) conntrackEntries = inputs.conntrack.entries;
    else {
      let text: string;
      try {
        text = readFileSync(inputs.conntrack.file, 'utf8');
      } catch (e) {
        throw new UsageError(`--conntrack-count: "${inputs.conntrack.file}" is neither a number nor a readable file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      conntrackEntries = parseConntrackCount(text, inputs.conntrack.file);
    }
  }
  const profile = await importCluster(inputs.files, {
    name: inputs.name ?? defaultProfileName(inputs.files),
    ...(conntrackEntries === undefined ? {} : { conntrackEntries }),
  });
  writeClusterProfile(inputs.out, profile);
  const wallSec = (performance.now() - t0) / 1000;
  if (inputs.json) process.stdout.write(`${JSON.stringify(profile)}\n`);
  else process.stdout.write(`${importSummary(profile, inputs.out, wallSec)}\n`);
}

export const importCommand: Command = {
  name: 'import',
  summary: "read a cluster's dumps (kubectl JSON, iptables-save, nft, cilium, conntrack) into a cluster profile",
  synopsis: SYNOPSIS,
  help: HELP,
  run: runImport,
};
