/**
 * `svcpath throughput`: F long-lived TCP flows between pods on two nodes of a preset (bare metal
 * or an "up to 10 Gbit/s" cloud VM) through one datapath, for a duration. Reads the flags, runs
 * simulateBulkThroughput (model/node) and prints goodput, what limits it, the burst credits, a
 * time series and the ENA allowance counters, as tables or one JSON object.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs, intFlag, numberFlag, choiceFlag, UsageError, type ParsedArgs } from './args.ts';
import type { Command } from './command.ts';
import { formatTable } from './textTable.ts';
import { clusterFlagsHelp, expandClusterArgs } from './clusterFlags.ts';
import { toJson } from './path.ts';
import { DATAPATH_NAMES } from '../../model/datapaths/index.ts';
import { GOVERNOR_NAMES } from '../../model/cpu/governor.ts';
import {
  BULK_LIMITER_LABELS, BULK_LIMITERS, BULK_MAX_FLOWS, BULK_MAX_SAMPLES, NODE_PRESET_NAMES, bulkSpec, defaultCloudAllowanceParams, describeNodePreset, nodePreset,
  type BulkSpec, type BulkThroughputResult, type CloudAllowanceParams,
} from '../../model/node/index.ts';
import { bitsPerSecToGbitPerSec, gbitPerSecToBitsPerSec, hzToGhz, SEC_PER_DAY, SEC_PER_MIN } from '../../model/units.ts';

const DEFAULT_SEED = 1;
/** Longest run accepted: a month (the fluid model's cost does not grow with it). */
const MAX_DURATION_SEC = 31 * SEC_PER_DAY; // calibration-exempt: an input bound, not a model quantity
/** Rows of the time-series table at most (the JSON holds every sample). */
const MAX_TABLE_ROWS = 61; // calibration-exempt: presentation, the hour's minutes plus one
const CLOUD = defaultCloudAllowanceParams;
const gbps = bitsPerSecToGbitPerSec;

const SYNOPSIS =
  'svcpath throughput --node bare-metal-10g|bare-metal-25g|cloud-up-to-10g [--baseline-gbps B] [--burst-gbps X] [--burst-credit-sec T] --datapath D --flows F --duration-sec S [--jit on|off] [--governor G] [--sample-sec S] [--seed S] [--json]';

const HELP = `usage: svcpath throughput --node bare-metal-10g|bare-metal-25g|cloud-up-to-10g
                          [--baseline-gbps B] [--burst-gbps X] [--burst-credit-sec T]
                          --datapath D --flows F --duration-sec S
                          [--jit on|off] [--governor G] [--sample-sec S] [--seed S] [--json]

Bulk throughput: F long-lived TCP flows from client pods on one node to a Service's backends on
another node of the same preset, each sending as fast as the path allows (a window-limited sender
whose 6 MiB window is far above any data-centre bandwidth-delay product, so flows share each
bottleneck evenly: a fluid max-min fair model). Segmentation offloads: the sender's stack and
datapath work once per 64 KiB TSO packet, the receiver's driver and GRO once per frame and the
rest once per aggregate. A short packet-level run checks the fluid model in the test suite.

  --node N                 bare-metal-10g   ${describeNodePreset(nodePreset('bare-metal-10g'))}
                           bare-metal-25g   ${describeNodePreset(nodePreset('bare-metal-25g'))}
                           cloud-up-to-10g  ${describeNodePreset(nodePreset('cloud-up-to-10g'))}
                           (required)
  --baseline-gbps B        cloud VM: sustained bandwidth allowance, Gbit/s > 0 (default ${gbps(CLOUD.baselineBitsPerSec)})
  --burst-gbps X           cloud VM: allowance while burst credits last, Gbit/s >= the baseline (default ${gbps(CLOUD.burstBitsPerSec)})
  --burst-credit-sec T     cloud VM: seconds of full burst a full credit balance gives, >= 0 (default ${CLOUD.burstCreditSec}; AWS says
                           "typically from 5 to 60 minutes"); the balance drains by what is sent above the
                           baseline and refills by what is left below it
  --datapath D             ${DATAPATH_NAMES.join(' | ')} (required)
  --flows F                long-lived flows, an integer in [1, ${BULK_MAX_FLOWS}] (required)
  --duration-sec S         simulated time, seconds in (0, ${MAX_DURATION_SEC}] (required)
  --jit on|off             net.core.bpf_jit_enable for the Cilium datapaths (default on)
  --governor G             ${GOVERNOR_NAMES.join(' | ')} (default performance)
  --sample-sec S           step of the time series, seconds (default ${SEC_PER_MIN}, or the whole run if shorter)
  --seed S                 an integer >= 0 (default ${DEFAULT_SEED}); draws the flows' ids, which set how RSS spreads them over cores
${clusterFlagsHelp('throughput')}
  --json                   print exactly one JSON object on stdout instead of the tables
  --help                   print this text

Output: meanGbps (over the run) and finalGbps (the last minute) of goodput (TCP payload),
limitedBy (${BULK_LIMITERS.join(', ')}), when the burst credits ran out, the phases, a time series of
total and per-flow goodput with the limiter and the credits left, what each kind of resource would
allow on its own, the ENA allowance counters of the sending and the receiving VM
(bw_in/bw_out/pps/conntrack_allowance_exceeded, per_flow_allowance_exceeded: packets shaped), and the
CPU time per TSO packet, frame, aggregate and ACK. Every default number comes from the calibration
table ("svcpath params").

Example: svcpath throughput --node cloud-up-to-10g --datapath cilium-tc --flows 8 --duration-sec 3600`;

export interface ThroughputInputs {
  readonly spec: BulkSpec;
  readonly seed: number;
  readonly json: boolean;
}

function cloudOverrides(args: ParsedArgs, node: string): Partial<CloudAllowanceParams> | undefined {
  const given = ['baseline-gbps', 'burst-gbps', 'burst-credit-sec'].filter((f) => args.values.has(f));
  if (given.length === 0) return undefined;
  if (node !== 'cloud-up-to-10g') throw new UsageError(`--${given[0]} applies to a cloud preset (cloud-up-to-10g); --node ${node} has no allowances`);
  const baseline = numberFlag(args, 'baseline-gbps', { minExclusive: 0, fallback: gbps(CLOUD.baselineBitsPerSec) });
  const burst = numberFlag(args, 'burst-gbps', { minExclusive: 0, fallback: Math.max(baseline, gbps(CLOUD.burstBitsPerSec)) });
  if (burst < baseline) throw new UsageError(`--burst-gbps: expected a number >= the baseline (${baseline} Gbit/s), got "${args.values.get('burst-gbps')}"`);
  const creditSec = numberFlag(args, 'burst-credit-sec', { minExclusive: -Infinity, fallback: CLOUD.burstCreditSec });
  if (!(creditSec >= 0)) throw new UsageError(`--burst-credit-sec: expected a number >= 0, got "${args.values.get('burst-credit-sec')}"`);
  return { baselineBitsPerSec: gbitPerSecToBitsPerSec(baseline), burstBitsPerSec: gbitPerSecToBitsPerSec(burst), burstCreditSec: creditSec };
}

export function parseThroughputArgs(argv: readonly string[]): ThroughputInputs {
  const cluster = expandClusterArgs(argv, 'throughput');
  const args = parseArgs(cluster.argv, {
    values: ['node', 'baseline-gbps', 'burst-gbps', 'burst-credit-sec', 'datapath', 'flows', 'duration-sec', 'jit', 'governor', 'sample-sec', 'seed'],
    flags: ['json'],
  });
  const node = choiceFlag(args, 'node', NODE_PRESET_NAMES);
  const cloud = cloudOverrides(args, node);
  const datapath = choiceFlag(args, 'datapath', DATAPATH_NAMES);
  const flows = intFlag(args, 'flows', { min: 1, max: BULK_MAX_FLOWS });
  const durationSec = numberFlag(args, 'duration-sec', { minExclusive: 0 });
  if (durationSec > MAX_DURATION_SEC) throw new UsageError(`--duration-sec: expected a number in (0, ${MAX_DURATION_SEC}], got "${args.values.get('duration-sec')}"`);
  const jit = choiceFlag(args, 'jit', ['on', 'off'] as const, 'on') === 'on';
  const governor = choiceFlag(args, 'governor', GOVERNOR_NAMES, 'performance');
  const sampleSec = numberFlag(args, 'sample-sec', { minExclusive: 0, fallback: Math.min(SEC_PER_MIN, durationSec) });
  if (sampleSec > durationSec) throw new UsageError(`--sample-sec: expected a number in (0, --duration-sec = ${durationSec}], got "${args.values.get('sample-sec')}"`);
  if (durationSec / sampleSec > BULK_MAX_SAMPLES) {
    throw new UsageError(`--sample-sec: ${sampleSec} s over ${durationSec} s makes more than ${BULK_MAX_SAMPLES} samples; use a longer step`);
  }
  const seed = intFlag(args, 'seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: DEFAULT_SEED });
  const preset = nodePreset(node, { ...cluster.preset, ...(cloud === undefined ? {} : { cloud }) });
  return { spec: bulkSpec({ node: preset, datapath, flows, durationSec, sampleSec, jit, governor }), seed, json: args.flags.has('json') };
}

const g3 = (v: number | null): string => (v === null ? '-' : Number.isFinite(v) ? v.toPrecision(3) : 'inf');
const sec = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toPrecision(3)); // calibration-exempt: presentation, whole seconds from 100 s
const int = (v: number): string => Math.round(v).toLocaleString('en-US');

export function throughputReport(inputs: ThroughputInputs, r: BulkThroughputResult, wallSec: number): string {
  const s = inputs.spec;
  const header =
    `${describeNodePreset(s.node)}\n${s.path.datapath}, ${int(s.flows)} flow${s.flows === 1 ? '' : 's'} for ${sec(s.durationSec)} s; ` +
    `JIT ${s.path.jit ? 'on' : 'off'}, ${s.path.governor}; seed ${inputs.seed}`;
  const credits = r.burstCreditsExhaustedSec === null
    ? (s.node.cloud === undefined ? 'no allowances' : 'never ran out')
    : `ran out after ${sec(r.burstCreditsExhaustedSec)} s`;
  const summary: [string, string][] = [
    ['goodput, mean', `${g3(r.meanGbps)} Gbit/s`],
    ['goodput, last minute', `${g3(r.finalGbps)} Gbit/s`],
    ['limited by', `${r.limitedBy} (${BULK_LIMITER_LABELS[r.limitedBy]})`],
    ['burst credits', credits],
    ['flows', r.flowsRefused > 0 ? `${int(r.flowsAdmitted)} admitted, ${int(r.flowsRefused)} refused by the conntrack allowance` : `${int(r.flowsAdmitted)}`],
  ];
  const phases = formatTable(
    ['from (s)', 'to (s)', 'total Gbit/s', 'per flow min..max', 'limited by', 'busiest core: sender / receiver'],
    r.phases.map((p) => [
      sec(p.startSec), sec(p.endSec), g3(p.totalGbps), `${g3(p.perFlowMinGbps)}..${g3(p.perFlowMaxGbps)}`,
      Object.entries(p.flowsLimitedBy).map(([k, n]) => `${k} (${int(n)} flows)`).join(', '),
      `${(p.senderCoreUtilization * 100).toFixed(1)}% / ${(p.receiverCoreUtilization * 100).toFixed(1)}%`,
    ]),
    ['right', 'right', 'right', 'right', 'left', 'right'],
  );
  const every = Math.max(1, Math.ceil(r.series.length / MAX_TABLE_ROWS));
  const shown = r.series.filter((_, i) => i % every === 0 || i === r.series.length - 1);
  const series = formatTable(
    ['t (s)', 'total Gbit/s', 'per flow mean', 'min', 'max', 'limited by', 'credits left (s of burst)'],
    shown.map((x) => [sec(x.tSec), g3(x.totalGbps), g3(x.perFlowMeanGbps), g3(x.perFlowMinGbps), g3(x.perFlowMaxGbps), x.limitedBy, x.burstCreditSec === null ? '-' : sec(x.burstCreditSec)]),
    ['right', 'right', 'right', 'right', 'right', 'left', 'right'],
  );
  const bounds = formatTable(
    ['resource', 'alone allows (Gbit/s)'],
    Object.entries(r.boundsGbps).map(([k, v]) => [k, g3(v)]),
    ['left', 'right'],
  );
  const c = r.allowanceCounters;
  const counters = formatTable(
    ['ENA counter (packets shaped)', 'sending VM', 'receiving VM'],
    (Object.keys(c.sender) as (keyof typeof c.sender)[]).map((k) => [k, int(c.sender[k]), int(c.receiver[k])]),
    ['left', 'right', 'right'],
  );
  const cpu = r.cpu;
  const ns = (v: { ns: number; bpfInstructionNs: number }): string => `${v.ns.toFixed(0)} (BPF instructions ${v.bpfInstructionNs.toFixed(0)})`;
  const costs = formatTable(
    [`CPU ns at ${hzToGhz(cpu.freqHz).toFixed(2)} GHz`, 'per piece'],
    [
      [`sender: TSO packet out (${r.segments.tsoSegments} x ${r.segments.mssBytes} B)`, ns(cpu.senderPacket)],
      ['sender: ACK in', ns(cpu.senderAck)],
      ['receiver: wire frame (driver, GRO)', ns(cpu.receiverFrame)],
      [`receiver: aggregate (${r.segments.groSegments} segments)`, ns(cpu.receiverAggregate)],
      ['receiver: ACK out', ns(cpu.receiverAck)],
    ],
    ['left', 'right'],
  );
  const thinned = every > 1 ? ` (every ${every}th sample of ${r.series.length}; --json has all)` : '';
  return [
    header, '', formatTable(['metric', 'value'], summary, ['left', 'left']), '',
    'phases', phases, '',
    `time series, every ${sec(s.sampleSec)} s${thinned}`, series, '',
    'what each resource allows on its own (final phase)', bounds, '',
    counters, '', costs, '',
    `fluid model: ${r.phases.length} phase${r.phases.length === 1 ? '' : 's'}, ${r.series.length} samples in ${wallSec.toFixed(3)} s wall clock`,
  ].join('\n');
}

async function runThroughput(argv: readonly string[]): Promise<void> {
  const inputs = parseThroughputArgs(argv);
  const { simulateBulkThroughput } = await import('../../model/node/simulateBulkThroughput.ts');
  const t0 = performance.now();
  const result = simulateBulkThroughput(inputs.spec, inputs.seed);
  const wallSec = (performance.now() - t0) / 1000;
  if (inputs.json) {
    const s = inputs.spec;
    const out = {
      node: s.node, datapath: s.path.datapath, durationSec: s.durationSec, sampleSec: s.sampleSec, jit: s.path.jit, governor: s.path.governor, seed: inputs.seed,
      ...result,
      limitedByLabel: BULK_LIMITER_LABELS[result.limitedBy],
    };
    process.stdout.write(`${toJson(out)}\n`);
  } else {
    process.stdout.write(`${throughputReport(inputs, result, wallSec)}\n`);
  }
}

export const throughputCommand: Command = {
  name: 'throughput',
  summary: 'bulk TCP goodput between two nodes (bare metal or cloud VM) over an hour or more: what limits it, burst credits, allowance counters',
  synopsis: SYNOPSIS,
  help: HELP,
  run: runThroughput,
};
