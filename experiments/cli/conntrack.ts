/**
 * `svcpath conntrack`: offers N connections to one node's connection-tracking table (kube-proxy's
 * nf_conntrack or Cilium's CT map) and reports the table's size and memory and what happened to
 * the connections: dropped SYNs, evictions, broken idle flows. Reads the flags, runs
 * simulateConntrack (model/conntrack) and prints a table or one JSON object.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs, intFlag, numberFlag, choiceFlag, UsageError, type ParsedArgs } from './args.ts';
import type { Command } from './command.ts';
import { formatTable } from './textTable.ts';
import { clusterFlagsHelp, expandClusterArgs } from './clusterFlags.ts';
import {
  CONNTRACK_IMPLS, CONNTRACK_MAX_CONNECTIONS, CONNTRACK_MAX_HORIZON_SEC, hasSanitizedConntrackDefaults,
  defaultConntrackNodeParams, defaultConntrackWorkloadParams, defaultConntrackKernelVersion,
  type ConntrackResult, type ConntrackScenario,
} from '../../model/conntrack/index.ts';
import { defaultNfConntrackSizingParams, defaultCiliumCtSizingParams } from '../../model/conntrack/index.ts';
import { defaultRetransmissionParams } from '../../model/tcp/index.ts';
import { BYTES_PER_GIB, BYTES_PER_MIB, PERCENT_PER_FRACTION } from '../../model/units.ts';

const NODE = defaultConntrackNodeParams;
const WORKLOAD = defaultConntrackWorkloadParams;
const DEFAULT_KERNEL = defaultConntrackKernelVersion();
const DEFAULT_SEED = 1;
const NF = defaultNfConntrackSizingParams;
const CILIUM = defaultCiliumCtSizingParams;
const RTO = defaultRetransmissionParams.initialRtoSec;

const SYNOPSIS =
  'svcpath conntrack --impl nf_conntrack|cilium-ct --connections N [--cores C] [--memory-bytes M] [--max-entries X] [--kernel-version V] [--without-kube-proxy] [--open-rate PER_SEC] [--hold-sec S] [--idle-fraction F] [--packet-interval-sec S] [--seed S] [--json]';

const HELP = `usage: svcpath conntrack --impl nf_conntrack|cilium-ct --connections N
                         [--cores C] [--memory-bytes M] [--max-entries X]
                         [--kernel-version V] [--without-kube-proxy]
                         [--open-rate PER_SEC] [--hold-sec S] [--idle-fraction F]
                         [--packet-interval-sec S] [--seed S] [--json]

Offers N TCP connections to one node's connection-tracking table and reports how big the table
is, what it costs in memory, and what happened to the connections. The default node is a typical
worker: ${NODE.cores} cores, ${NODE.memoryBytes / BYTES_PER_GIB} GiB of RAM, Linux ${DEFAULT_KERNEL}.

  --impl IMPL              nf_conntrack (a kube-proxy node: nf_conntrack_max = max(${NF.kubeProxyMaxPerCore} x cores,
                           ${NF.kubeProxyMinEntries}); a new flow at a full table is dropped and the client
                           retransmits its SYN after ${[0, 1, 2].map((k) => `${RTO * 2 ** k} s`).join(', ')} ...) or cilium-ct (Cilium's CT
                           LRU map, dynamically sized to ${CILIUM.dynamicSizeRatio * PERCENT_PER_FRACTION}% of RAM; a new flow at a full table
                           evicts the least recently used entry) (required)
  --connections N          connections offered, an integer in [1, ${CONNTRACK_MAX_CONNECTIONS}] (required)
  --cores C                CPU cores, an integer >= 1 (default ${NODE.cores}); sizes nf_conntrack
  --memory-bytes M         total RAM in bytes, an integer >= 1 (default ${NODE.memoryBytes} = ${NODE.memoryBytes / BYTES_PER_GIB} GiB);
                           sizes the Cilium map and the kernel's default hash buckets
  --max-entries X          set the table size explicitly (nf_conntrack_max, or bpf-ct-global-tcp-max),
                           an integer >= 1 (default: computed as above)
  --kernel-version V       e.g. 5.10 or 6.1.0-13-amd64 (default ${DEFAULT_KERNEL}); only matters for
                           nf_conntrack --without-kube-proxy (max = buckets from 5.15, 4 x buckets before)
  --without-kube-proxy     nf_conntrack with the kernel's defaults (size and timeouts) instead of
                           kube-proxy's
  --open-rate PER_SEC      Poisson rate at which connections open, > 0 (default N / ${WORKLOAD.rampSec} s, so
                           all N have opened after about ${WORKLOAD.rampSec} s)
  --hold-sec S             how long each connection stays open, seconds > 0 (default ${WORKLOAD.holdSec}); all N
                           are open at once only if S exceeds N / open rate
  --idle-fraction F        fraction of connections that send nothing between open and close, in
                           [0, 1] (default 0); the others send a packet every --packet-interval-sec
  --packet-interval-sec S  seconds between packets of an active connection, > 0 (default ${WORKLOAD.packetIntervalSec})
  --seed S                 an integer >= 0 (default ${DEFAULT_SEED}); drives arrival times and the idle choice
${clusterFlagsHelp('conntrack')}
  --json                   print exactly one JSON object on stdout instead of the table
  --help                   print this text

Output: capacityEntries and memoryBytes (of the table when full; the Cilium map is preallocated,
so that is its memory at any occupancy), peakEntries, droppedNewConnections (SYNs dropped,
retransmissions included), evictedEntries, brokenIdleFlows / brokenActiveFlows (connections
whose entry was evicted or expired while they were open), connections failed after all SYN
retransmissions, and the setup delay the retransmissions added. Every default number comes
from the calibration table ("svcpath params").

Example: svcpath conntrack --impl cilium-ct --connections 300000 --max-entries 200000 --idle-fraction 0.5`;

export interface ConntrackInputs {
  readonly scenario: ConntrackScenario;
  readonly json: boolean;
}

function optionalInt(args: ParsedArgs, name: string, min: number): number | undefined {
  return args.values.has(name) ? intFlag(args, name, { min }) : undefined;
}

export function parseConntrackArgs(argv: readonly string[]): ConntrackInputs {
  const args = parseArgs(expandClusterArgs(argv, 'conntrack').argv, {
    values: [
      'impl',
      'connections',
      'cores',
      'memory-bytes',
      'max-entries',
      'kernel-version',
      'open-rate',
      'hold-sec',
      'idle-fraction',
      'packet-interval-sec',
      'seed',
    ],
    flags: ['json', 'without-kube-proxy'],
  });
  const impl = choiceFlag(args, 'impl', CONNTRACK_IMPLS);
  const connections = intFlag(args, 'connections', { min: 1, max: CONNTRACK_MAX_CONNECTIONS });
  const cores = intFlag(args, 'cores', { min: 1, fallback: NODE.cores });
  const memoryBytes = intFlag(args, 'memory-bytes', { min: 1, fallback: NODE.memoryBytes });
  const maxEntries = optionalInt(args, 'max-entries', 1);
  const kernelVersion = args.values.get('kernel-version') ?? DEFAULT_KERNEL;
  try {
    hasSanitizedConntrackDefaults(kernelVersion);
  } catch {
    throw new UsageError(`--kernel-version: expected MAJOR.MINOR such as 5.10 or 6.1.0-13-amd64, got "${kernelVersion}"`);
  }
  const withoutKubeProxy = args.flags.has('without-kube-proxy');
  if (withoutKubeProxy && impl !== 'nf_conntrack') {
    throw new UsageError(`--without-kube-proxy applies to --impl nf_conntrack only, got --impl ${impl}`);
  }
  const openRatePerSec = numberFlag(args, 'open-rate', { minExclusive: 0, fallback: connections / WORKLOAD.rampSec });
  const holdSec = numberFlag(args, 'hold-sec', { minExclusive: 0, fallback: WORKLOAD.holdSec });
  const idleFraction = numberFlag(args, 'idle-fraction', { minExclusive: -Infinity, fallback: 0 });
  if (!(idleFraction >= 0 && idleFraction <= 1)) {
    throw new UsageError(`--idle-fraction: expected a number in [0, 1], got "${args.values.get('idle-fraction')}"`);
  }
  const packetIntervalSec = numberFlag(args, 'packet-interval-sec', { minExclusive: 0, fallback: WORKLOAD.packetIntervalSec });
  const seed = intFlag(args, 'seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: DEFAULT_SEED });
  // Times must fit the engine's integer-nanosecond clock (about 104 days).
  const horizonSec = connections / openRatePerSec + holdSec;
  if (!(horizonSec < CONNTRACK_MAX_HORIZON_SEC)) {
    throw new UsageError(`--hold-sec ${holdSec} with ${connections} connections at --open-rate ${openRatePerSec}/s spans ${horizonSec.toPrecision(3)} s; keep it under ${CONNTRACK_MAX_HORIZON_SEC} s (the engine's clock holds about 104 days)`);
  }
  return {
    scenario: {
      impl,
      node: { memoryBytes, cores, kernelVersion, kubeProxy: !withoutKubeProxy, ...(maxEntries === undefined ? {} : { maxEntries }) },
      connections,
      openRatePerSec,
      holdSec,
      idleFraction,
      packetIntervalSec,
      seed,
    },
    json: args.flags.has('json'),
  };
}

const int = (v: number): string => Math.round(v).toLocaleString('en-US');
const bytes = (v: number): string => `${int(v)} B (${(v / BYTES_PER_MIB).toFixed(1)} MiB)`;
const sec = (v: number): string => `${v.toFixed(v >= 100 ? 0 : 3)} s`; // calibration-exempt: presentation: whole seconds from 100 s, else ms resolution

const CAPACITY_FROM: Record<string, string> = {
  'kube-proxy': 'kube-proxy: max(maxPerCore x cores, min)',
  'kernel-default': 'kernel default: buckets (>= 5.15) or 4 x buckets',
  explicit: '--max-entries',
  dynamic: `dynamic sizing: ${CILIUM.dynamicSizeRatio * PERCENT_PER_FRACTION}% of RAM, floor ${CILIUM.tcpMinEntries.toLocaleString('en-US')}`,
  'static-default': 'static default',
};

export function conntrackReportTable(inputs: ConntrackInputs, r: ConntrackResult, wallSec: number): string {
  const s = inputs.scenario;
  const who = s.impl === 'nf_conntrack' ? (s.node.kubeProxy === false ? 'nf_conntrack (kernel defaults)' : 'nf_conntrack (kube-proxy)') : 'Cilium CT map (LRU)';
  const header =
    `${who} on ${s.node.cores} cores, ${(s.node.memoryBytes / BYTES_PER_GIB).toFixed(1)} GiB RAM, kernel ${s.node.kernelVersion}; ` +
    `${int(s.connections)} connections at ${s.openRatePerSec.toPrecision(4)}/s, held ${s.holdSec} s, ${(s.idleFraction * 100).toFixed(0)}% idle, seed ${s.seed}`;
  const rows: [string, string][] = [
    ['capacity', `${int(r.capacityEntries)} entries (${CAPACITY_FROM[r.capacityFrom] ?? r.capacityFrom})`],
    ['hash buckets', int(r.buckets)],
    ['memory when full', bytes(r.memoryBytes)],
    ['peak entries', int(r.peakEntries)],
    ['peak memory', bytes(r.peakMemoryBytes)],
    ['mean entries', int(r.meanEntries)],
    ['connections established', `${int(r.connectionsEstablished)} of ${int(r.connectionsOffered)}`],
    ['connections failed', int(r.connectionsFailed)],
    ['connections retried', int(r.connectionsRetried)],
    ['SYNs dropped (table full)', int(r.droppedNewConnections)],
    ['entries evicted (LRU)', int(r.evictedEntries)],
    ['closing entries dropped early', int(r.earlyDroppedEntries)],
    ['entries expired', int(r.expiredEntries)],
    ['broken idle flows', int(r.brokenIdleFlows)],
    ['broken active flows', int(r.brokenActiveFlows)],
    ['setup delay mean / max', `${sec(r.meanSetupDelaySec)} / ${sec(r.maxSetupDelaySec)}`],
  ];
  return [
    header,
    '',
    formatTable(['metric', 'value'], rows, ['left', 'left']),
    '',
    `simulated ${sec(r.simulatedSec)}, ${int(r.events)} events in ${wallSec.toFixed(2)} s wall clock`,
  ].join('\n');
}

async function runConntrack(argv: readonly string[]): Promise<void> {
  const inputs = parseConntrackArgs(argv);
  const { simulateConntrack } = await import('../../model/conntrack/simulateConntrack.ts');
  const t0 = performance.now();
  const result = simulateConntrack(inputs.scenario);
  const wallSec = (performance.now() - t0) / 1000;
  if (inputs.json) {
    const s = inputs.scenario;
    const out = {
      ...result,
      cores: s.node.cores,
      nodeMemoryBytes: s.node.memoryBytes,
      kernelVersion: s.node.kernelVersion,
      kubeProxy: s.impl === 'nf_conntrack' ? s.node.kubeProxy !== false : null,
      openRatePerSec: s.openRatePerSec,
      holdSec: s.holdSec,
      idleFraction: s.idleFraction,
      packetIntervalSec: s.packetIntervalSec,
      seed: s.seed,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    process.stdout.write(`${conntrackReportTable(inputs, result, wallSec)}\n`);
  }
}

export const conntrackCommand: Command = {
  name: 'conntrack',
  summary: 'offer N connections to nf_conntrack or the Cilium CT map: capacity, memory, drops, evictions',
  synopsis: SYNOPSIS,
  help: HELP,
  run: runConntrack,
};
