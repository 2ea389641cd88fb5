/**
 * `svcpath capacity`: the highest connection rate one node sustains with its first-packet p99 RTT
 * within an SLO and fewer than 1 in 1000 packets dropped, found by bisection over simulated load
 * (findCapacity, model/datapaths), capped on a cloud VM by what its allowances pass after the burst
 * (nodeConnectionCapacity, model/node). Prints the answer and the runs that bracket it, or one JSON object.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs, intFlag, numberFlag, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { formatTable } from './textTable.ts';
import { clusterFlagsHelp, expandClusterArgs } from './clusterFlags.ts';
import { NODE_FLAGS_HELP, NODE_VALUE_FLAGS, parseNodeFlags, describeNode, toJson, MAX_ENDPOINTS, MAX_SERVICES } from './path.ts';
import {
  CAPACITY_MAX_DROP_FRACTION, CAPACITY_SEARCH_DEFAULTS, datapathSpec, defaultPathWorkloadParams,
  type CapacityResult, type CapacityRun, type DatapathSpec,
} from '../../model/datapaths/index.ts';
import type { CloudAllowanceParams } from '../../model/node/nodePreset.ts';
import type { NodeConnectionCapacity } from '../../model/node/nodeConnectionCapacity.ts';

const SYNOPSIS =
  'svcpath capacity --datapath D --services N --endpoints E --slo-p99-us U [--requests-per-connection K] [--node PRESET] [--cores C] [--cpu-ghz F] [--governor G] [--nic NIC] [--jit on|off] [--seed S] [--cluster FILE [--node-class NAME]] [--json]';

const HELP = `usage: svcpath capacity --datapath kube-proxy-iptables|kube-proxy-nftables|cilium-tc|cilium-socket-lb
                        --services N --endpoints E --slo-p99-us U
                        [--requests-per-connection K] [--node PRESET] [--cores C] [--cpu-ghz F] [--governor G]
                        [--nic NIC] [--jit on|off] [--seed S] [--cluster FILE [--node-class NAME]] [--json]

Finds the highest rate of new connections per second one node sustains while the first-packet
p99 RTT (connect() to SYN-ACK) stays within the SLO and fewer than ${CAPACITY_MAX_DROP_FRACTION} of the node's packets are
dropped. Each candidate rate is one simulated run of about ${CAPACITY_SEARCH_DEFAULTS.targetConnections} measured connections (same seed for
every run, so the search is deterministic); the search doubles or halves from ${defaultPathWorkloadParams.connectionsPerSec} connections/s
until it brackets the answer, then bisects until the bracket is within ${CAPACITY_SEARCH_DEFAULTS.relTolerance * 100}%. The node and the
workload are those of "svcpath path" (see its --help); runs start at the fullest point of the
conntrack GC cycle, so a table that fills between GC passes counts as drops. On a cloud VM
(--node cloud-up-to-10g, or a cluster's cloud node class) the answer is the smaller of that and
what the VM's PPS and bandwidth allowances pass once its burst credits are spent (the path model
has no cloud shaper in front of its NIC, so the allowances enter as this closed-form cap).

  --datapath D             kube-proxy-iptables | kube-proxy-nftables | cilium-tc | cilium-socket-lb (required without --cluster)
  --services N             ClusterIP Services of one port, an integer in [1, ${MAX_SERVICES}] (required without --cluster)
  --endpoints E            endpoints of each Service, an integer in [1, ${MAX_ENDPOINTS}] (required without --cluster)
  --slo-p99-us U           first-packet p99 RTT limit, µs > 0 (required)
  --requests-per-connection K
                           request/response exchanges per connection, an integer in [1, 100000] (default ${defaultPathWorkloadParams.requestsPerConnection})
${NODE_FLAGS_HELP}
${clusterFlagsHelp('capacity')}
  --json                   print exactly one JSON object on stdout instead of the tables
  --help                   print this text

Example: svcpath capacity --datapath kube-proxy-iptables --services 10000 --endpoints 3 --slo-p99-us 200`;

export interface CapacityInputs {
  readonly spec: DatapathSpec;
  /** The node's cloud allowances (a cloud VM), else undefined. */
  readonly cloud: CloudAllowanceParams | undefined;
  readonly seed: number;
  readonly sloP99Us: number;
  readonly json: boolean;
}

export function parseCapacityArgs(argv: readonly string[]): CapacityInputs {
  const cluster = expandClusterArgs(argv, 'capacity');
  const args = parseArgs(cluster.argv, {
    values: ['datapath', 'services', 'endpoints', 'slo-p99-us', 'requests-per-connection', ...NODE_VALUE_FLAGS],
    flags: ['json'],
  });
  const node = parseNodeFlags(args);
  const sloP99Us = numberFlag(args, 'slo-p99-us', { minExclusive: 0 });
  if (sloP99Us > 1e9) throw new UsageError(`--slo-p99-us: expected a number in (0, 1e9], got "${args.values.get('slo-p99-us')}"`);
  const requestsPerConnection = intFlag(args, 'requests-per-connection', { min: 1, max: 100_000, fallback: defaultPathWorkloadParams.requestsPerConnection });
  return {
    spec: datapathSpec({ ...cluster.spec, ...node.spec, requestsPerConnection }),
    cloud: args.values.has('node') ? node.cloud : cluster.cloud,
    seed: node.seed,
    sloP99Us,
    json: args.flags.has('json'),
  };
}

const rate = (v: number): string => Math.round(v).toLocaleString('en-US');

function runRow(label: string, r: CapacityRun | null): string[] {
  if (r === null) return [label, '-', '-', '-', '-', '-'];
  return [
    label,
    rate(r.connectionsPerSec),
    Number.isFinite(r.firstPacketP99Us) ? r.firstPacketP99Us.toFixed(1) : '-',
    r.dropFraction.toPrecision(3),
    `${(r.coreUtilization * 100).toFixed(1)}%`,
    r.pass ? 'pass' : `fail (${r.failedOn}${r.mainDropCause === null ? '' : `; drops mostly ${r.mainDropCause}`})`,
  ];
}

export function capacityReport(inputs: CapacityInputs, r: CapacityResult, node: NodeConnectionCapacity, wallSec: number): string {
  const s = inputs.spec;
  const header =
    `${s.datapath}: ${rate(s.services)} Services x ${s.endpointsPerService} endpoints, ${s.requestsPerConnection} requests per connection; ` +
    `${describeNode(s)}; SLO first-packet p99 <= ${inputs.sloP99Us} µs, drops < ${CAPACITY_MAX_DROP_FRACTION}; seed ${inputs.seed}`;
  const answer =
    r.lower === null
      ? `capacity: below ${rate(CAPACITY_SEARCH_DEFAULTS.minRatePerSec)} connections/s (even the lowest rate fails)`
      : r.upper === null
        ? `capacity: at least ${rate(r.connectionsPerSec)} connections/s (the search stopped at ${r.stoppedBy})`
        : `capacity: ${rate(r.connectionsPerSec)} connections/s (between ${rate(r.lower.connectionsPerSec)} and ${rate(r.upper.connectionsPerSec)})`;
  const b = node.cloudBound;
  const cloud =
    b === null
      ? []
      : node.connectionsPerSec < node.simulatedConnectionsPerSec
        ? [`on this cloud VM: ${rate(node.connectionsPerSec)} connections/s, set by its ${b.limitedBy} after the burst (${b.packetsPerConnection} packets per connection; PPS bound ${rate(b.ppsBoundPerSec)}/s, bandwidth bound ${rate(b.bandwidthBoundPerSec)}/s); the node itself would carry the rate above`]
        : [`the cloud VM's allowances pass ${rate(b.boundPerSec)} connections/s after the burst (${b.limitedBy}): not the limit here`];
  const head = ['run', 'connections/s', 'first-packet p99 µs', 'drop fraction', 'core util', 'verdict'];
  const align = ['left', 'right', 'right', 'right', 'right', 'left'] as const;
  return [
    header,
    '',
    answer,
    ...cloud,
    '',
    formatTable(head, [runRow('highest passing', r.lower), runRow('lowest failing', r.upper)], [...align]),
    '',
    'all runs:',
    formatTable(head, r.runs.map((run, i) => runRow(String(i + 1), run)), [...align]),
    '',
    `${r.runs.length} simulated runs in ${wallSec.toFixed(2)} s wall clock`,
  ].join('\n');
}

async function runCapacity(argv: readonly string[]): Promise<void> {
  const inputs = parseCapacityArgs(argv);
  const { findCapacity } = await import('../../model/datapaths/capacity.ts');
  const { nodeConnectionCapacity } = await import('../../model/node/nodeConnectionCapacity.ts');
  const t0 = performance.now();
  const result = findCapacity(inputs.spec, { sloP99Us: inputs.sloP99Us, maxDropFraction: CAPACITY_MAX_DROP_FRACTION, seed: inputs.seed });
  const node = nodeConnectionCapacity(result, inputs.spec, inputs.cloud);
  const wallSec = (performance.now() - t0) / 1000;
  if (inputs.json) {
    const { atCapacity, ...rest } = result;
    process.stdout.write(
      `${toJson({
        datapath: inputs.spec.datapath, services: inputs.spec.services, endpointsPerService: inputs.spec.endpointsPerService, sloP99Us: inputs.sloP99Us,
        maxDropFraction: CAPACITY_MAX_DROP_FRACTION, seed: inputs.seed, ...rest, atCapacity,
        nodeConnectionsPerSec: node.connectionsPerSec, limitedBy: node.limitedBy, cloudAllowanceBound: node.cloudBound,
      })}\n`,
    );
  } else {
    process.stdout.write(`${capacityReport(inputs, result, node, wallSec)}\n`);
  }
}

export const capacityCommand: Command = {
  name: 'capacity',
  summary: 'highest connections/s one node sustains within a first-packet p99 RTT SLO (bisection over simulated load)',
  synopsis: SYNOPSIS,
  help: HELP,
  run: runCapacity,
};
