/**
 * `svcpath memory`: a node's kernel memory by owner over days or weeks (nf_conntrack, Cilium's CT
 * and NAT maps, the per-endpoint policy maps, the LB maps) under normal traffic and an optional
 * connection leak. Reads the flags, runs simulateKernelMemory (model/node) and prints a series by
 * owner, what each owner can grow to, and the policy map and regeneration, as tables or one JSON
 * object.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs, intFlag, numberFlag, choiceFlag, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { formatTable } from './textTable.ts';
import { toJson } from './path.ts';
import { DATAPATH_NAMES } from '../../model/datapaths/index.ts';
import {
  KERNEL_MEMORY_MAX_DAYS, KERNEL_MEMORY_MAX_SAMPLES, KERNEL_MEMORY_OWNERS, defaultKernelMemoryWorkloadParams, kernelMemorySpec,
  type KernelMemoryResult, type KernelMemorySpec,
} from '../../model/node/index.ts';
import { BYTES_PER_GIB, BYTES_PER_MIB, SEC_PER_DAY, SEC_PER_HOUR } from '../../model/units.ts';

const W = defaultKernelMemoryWorkloadParams;
const HOURS_PER_DAY = SEC_PER_DAY / SEC_PER_HOUR;
/** Rows of the series table at most (the JSON holds every sample). */
const MAX_TABLE_ROWS = 62; // calibration-exempt: presentation, two months of daily rows

const SYNOPSIS =
  'svcpath memory --datapath D --days N [--policy-rules R] [--endpoints-per-node E] [--connections-per-sec C] [--leak-connections-per-sec L] [--leak refreshed|idle] [--sample-hours H] [--json]';

const HELP = `usage: svcpath memory --datapath kube-proxy-iptables|kube-proxy-nftables|cilium-tc|cilium-socket-lb --days N
                      [--policy-rules R] [--endpoints-per-node E]
                      [--connections-per-sec C] [--leak-connections-per-sec L] [--leak refreshed|idle]
                      [--sample-hours H] [--json]

A node's kernel memory by owner over days or weeks: nf_conntrack (a slab object per tracked
connection, up to nf_conntrack_max, on kube-proxy nodes), Cilium's CT and NAT maps (preallocated:
constant), the per-endpoint policy maps (an LPM-trie node per entry, entries = rules x peers x
ports, at most bpf-policy-map-max per endpoint) and Cilium's LB maps (preallocated). Connections
are an aggregate model (flow classes with rates and lifetimes, the GC's passes), checked against
the discrete-event conntrack table in the test suite; three weeks take milliseconds. The node is
the typical one: ${W.cores} cores, ${W.memoryBytes / BYTES_PER_GIB} GiB, Linux ${W.kernelMajor}.${W.kernelMinor}, ${W.services} Services of ${W.endpointsPerService} endpoints.

  --datapath D                 ${DATAPATH_NAMES.join(' | ')} (required)
  --days N                     simulated days, a number in (0, ${KERNEL_MEMORY_MAX_DAYS}] (required)
  --policy-rules R             rules that select every endpoint, each allowing one peer on one port,
                               an integer >= 0 (default: the datapath's ${W.policyEntriesPerEndpoint} policy entries)
  --endpoints-per-node E       Cilium endpoints (pods) on the node, an integer >= 0 (default ${W.endpointsPerNode}, kubelet's maxPods)
  --connections-per-sec C      normal connections per second, each open a moment then closed, >= 0 (default ${W.connectionsPerSec})
  --leak-connections-per-sec L connections per second that never close, >= 0 (default 0)
  --leak refreshed|idle        the leaked connections keep sending (UDP, keepalives: their entries never
                               expire) or stay idle until the table's established timeout (default refreshed)
  --sample-hours H             step of the series, hours > 0 (default 24)
  --json                       print exactly one JSON object on stdout instead of the tables
  --help                       print this text

Output: the series (time-averaged bytes per owner and conntrack entries per sample), for each
owner its first and last value, growth and the most it can take on this node (boundBytes) and
what makes it grow, the owners that could grow without bound (none of these tables can), when the
conntrack table filled, and the policy map (entries per endpoint, fill, whether the regeneration
fails) with the regeneration time. Every default number comes from the calibration table
("svcpath params").

Example: svcpath memory --datapath cilium-tc --days 21 --policy-rules 10000 --leak-connections-per-sec 5`;

export interface MemoryInputs {
  readonly spec: KernelMemorySpec;
  readonly json: boolean;
}

export function parseMemoryArgs(argv: readonly string[]): MemoryInputs {
  const args = parseArgs(argv, {
    values: ['datapath', 'days', 'policy-rules', 'endpoints-per-node', 'connections-per-sec', 'leak-connections-per-sec', 'leak', 'sample-hours'],
    flags: ['json'],
  });
  const datapath = choiceFlag(args, 'datapath', DATAPATH_NAMES);
  const days = numberFlag(args, 'days', { minExclusive: 0 });
  if (days > KERNEL_MEMORY_MAX_DAYS) throw new UsageError(`--days: expected a number in (0, ${KERNEL_MEMORY_MAX_DAYS}], got "${args.values.get('days')}"`);
  const nonNegative = (name: string, fallback: number): number => {
    const v = numberFlag(args, name, { minExclusive: -Infinity, fallback });
    if (!(v >= 0)) throw new UsageError(`--${name}: expected a number >= 0, got "${args.values.get(name)}"`);
    return v;
  };
  const policyRules = args.values.has('policy-rules') ? intFlag(args, 'policy-rules', { min: 0 }) : undefined;
  const endpointsPerNode = intFlag(args, 'endpoints-per-node', { min: 0, fallback: W.endpointsPerNode });
  const connectionsPerSec = nonNegative('connections-per-sec', W.connectionsPerSec);
  const leakConnectionsPerSec = nonNegative('leak-connections-per-sec', 0);
  const leakRefreshed = choiceFlag(args, 'leak', ['refreshed', 'idle'] as const, 'refreshed') === 'refreshed';
  const sampleHours = numberFlag(args, 'sample-hours', { minExclusive: 0, fallback: HOURS_PER_DAY });
  if (sampleHours > days * HOURS_PER_DAY) throw new UsageError(`--sample-hours: expected a number in (0, ${days * HOURS_PER_DAY}] (the run), got "${args.values.get('sample-hours')}"`);
  if ((days * HOURS_PER_DAY) / sampleHours > KERNEL_MEMORY_MAX_SAMPLES) {
    throw new UsageError(`--sample-hours: ${sampleHours} h over ${days} days makes more than ${KERNEL_MEMORY_MAX_SAMPLES} samples; use a longer step`);
  }
  const spec = kernelMemorySpec({
    datapath, days, endpointsPerNode, connectionsPerSec, leakConnectionsPerSec, leakRefreshed, sampleSec: sampleHours * SEC_PER_HOUR,
    ...(policyRules === undefined ? {} : { policyRules }),
  });
  return { spec, json: args.flags.has('json') };
}

const mib = (bytes: number): string => (bytes / BYTES_PER_MIB).toFixed(1);
const int = (v: number): string => Math.round(v).toLocaleString('en-US');
const days = (sec: number): string => (sec / SEC_PER_DAY).toFixed(2);

export function memoryReport(inputs: MemoryInputs, r: KernelMemoryResult, wallSec: number): string {
  const s = inputs.spec;
  const leak = s.leakConnectionsPerSec > 0 ? `, leak ${s.leakConnectionsPerSec}/s (${s.leakRefreshed ? 'refreshed forever' : 'idle'})` : ', no leak';
  const header =
    `${s.datapath} on ${s.cores} cores, ${s.memoryBytes / BYTES_PER_GIB} GiB, Linux ${s.kernelVersion}: ${int(s.connectionsPerSec)} connections/s${leak}; ` +
    `${int(s.policyRules)} policy rules x ${int(r.policy.endpoints)} endpoints; ${s.days} days`;
  const every = Math.max(1, Math.ceil(r.series.length / MAX_TABLE_ROWS));
  const shown = r.series.filter((_, i) => i % every === 0 || i === r.series.length - 1);
  const series = formatTable(
    ['day', ...KERNEL_MEMORY_OWNERS.map((o) => `${o} MiB`), 'total MiB', 'conntrack entries'],
    shown.map((x) => [days(x.tSec), ...KERNEL_MEMORY_OWNERS.map((o) => mib(x.bytes[o])), mib(x.totalBytes), int(x.conntrackEntries)]),
    ['right', ...KERNEL_MEMORY_OWNERS.map(() => 'right' as const), 'right', 'right'],
  );
  const owners = formatTable(
    ['owner', 'first MiB', 'last MiB', 'growth MiB', 'can reach MiB', 'grows with'],
    r.owners.map((o) => [o.owner, mib(o.firstBytes), mib(o.lastBytes), mib(o.growthBytes), mib(o.boundBytes), o.growsWith]),
    ['left', 'right', 'right', 'right', 'right', 'left'],
  );
  const p = r.policy;
  const rows: [string, string][] = [
    ['total', `${mib(r.firstTotalBytes)} -> ${mib(r.lastTotalBytes)} MiB (growth ${mib(r.growthBytes)} MiB)`],
    ['owners that can grow without bound', r.unboundedOwners.length === 0 ? 'none: every table has a size limit' : r.unboundedOwners.join(', ')],
    ['conntrack', `${r.conntrack.impl}, ${int(r.conntrack.capacityEntries)} entries (${r.conntrack.entriesPerConnection} per connection); ${r.conntrack.fullAtSec === null ? 'never full' : `full from day ${days(r.conntrack.fullAtSec)} (${r.conntrack.impl === 'nf_conntrack' ? 'new connections dropped' : 'LRU evictions'})`}`],
    ['policy map per endpoint', `${int(p.entriesNeeded)} entries needed, ${int(p.installedEntries)} of ${int(p.capacityEntries)} installed (${(p.fillFraction * 100).toFixed(1)}% full)${p.regenerationFails ? '; the regeneration fails and the missing entries drop as policy-denied' : ''}`],
    ['regeneration', `${p.regenerationSec.toFixed(3)} s per endpoint (${int(p.rulePeerPairs)} rule x peer pairs)`],
  ];
  const thinned = every > 1 ? ` (every ${every}th sample of ${r.series.length}; --json has all)` : '';
  return [
    header, '', `time-averaged per sample of ${(s.sampleSec / SEC_PER_HOUR).toPrecision(3)} h${thinned}`, series, '',
    owners, '', formatTable(['metric', 'value'], rows, ['left', 'left']), '',
    `aggregate model: ${r.series.length} samples in ${wallSec.toFixed(3)} s wall clock`,
  ].join('\n');
}

async function runMemory(argv: readonly string[]): Promise<void> {
  const inputs = parseMemoryArgs(argv);
  const { simulateKernelMemory } = await import('../../model/node/kernelMemory.ts');
  const t0 = performance.now();
  const result = simulateKernelMemory(inputs.spec);
  const wallSec = (performance.now() - t0) / 1000;
  if (inputs.json) process.stdout.write(`${toJson(result)}\n`);
  else process.stdout.write(`${memoryReport(inputs, result, wallSec)}\n`);
}

export const memoryCommand: Command = {
  name: 'memory',
  summary: "a node's kernel memory by owner over days or weeks (nf_conntrack, Cilium CT/NAT, policy and LB maps): what grows, and how far it can",
  synopsis: SYNOPSIS,
  help: HELP,
  run: runMemory,
};
