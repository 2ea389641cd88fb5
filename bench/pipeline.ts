/**
 * The pipeline benchmark: simulated packets per wall-clock second through the full datapath model
 * (simulatePath: connection workload -> egress softirq on CpuCores -> TX link -> remote delay ->
 * NicRx wire, ring, interrupt moderation, NAPI -> conntrack, lookup, BPF stages -> the client).
 * The workload is a moderately loaded default node (1000 connections/s of 200 requests each, about
 * 400k packets per simulated second across 8 cores, no drops), run long enough for `packets`
 * packets. The process is single-threaded, so the rate is per core of the machine running it.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs, intFlag, choiceFlag } from '../experiments/cli/args.ts';
import { DATAPATH_NAMES, datapathSpec, simulatePath, type DatapathName } from '../model/datapaths/index.ts';

export const PIPELINE_USAGE = `npm run bench -- pipeline [--packets N] [--datapath ${DATAPATH_NAMES.join('|')}] [--seed S] [--rounds K] [--json]`;

/** The benchmark workload: long connections so the per-connection setup is not what is measured. */
export const PIPELINE_CONNECTIONS_PER_SEC = 1000;
export const PIPELINE_REQUESTS_PER_CONNECTION = 200;
const PACKETS_PER_CONNECTION = 4 + 2 * PIPELINE_REQUESTS_PER_CONNECTION;
const WARMUP_SEC = 0.05;
/** Timed runs after the warm-up, unless --rounds says otherwise. */
export const PIPELINE_ROUNDS = 3;

export interface PipelineBenchResult {
  readonly benchmark: 'pipeline';
  readonly datapath: DatapathName;
  readonly packets: number;
  readonly events: number;
  /** Wall time of the median round. */
  readonly wallSec: number;
  /** Simulated packets per wall-clock second, on one core of this machine: the median of the rounds. */
  readonly packetsPerSec: number;
  /** Packets per wall-clock second of each round (the same run, timed again). */
  readonly rounds: readonly number[];
  readonly eventsPerSec: number;
  readonly simulatedSec: number;
  readonly simulatedPacketsPerSimSec: number;
  readonly dropFraction: number;
  readonly node: string;
  readonly note: string;
}

/** One untimed-warm-up-free run of about `packets` packets (also what `bench instructions` counts). */
export function runPipelineOnce(datapath: DatapathName, packets: number, seed: number): { packets: number; events: number; wallSec: number; simulatedSec: number; dropFraction: number; pps: number } {
  const durationSec = WARMUP_SEC + packets / (PIPELINE_CONNECTIONS_PER_SEC * PACKETS_PER_CONNECTION);
  const spec = datapathSpec({
    datapath,
    services: 5000,
    connectionsPerSec: PIPELINE_CONNECTIONS_PER_SEC,
    requestsPerConnection: PIPELINE_REQUESTS_PER_CONNECTION,
    durationSec,
    warmupSec: WARMUP_SEC,
  });
  const t0 = performance.now();
  const r = simulatePath(spec, seed);
  const wallSec = (performance.now() - t0) / 1000;
  return { packets: r.packetsSimulated, events: r.events, wallSec, simulatedSec: r.simulatedSec, dropFraction: r.dropFraction, pps: r.throughputPps };
}

/**
 * A warm-up run, then `rounds` timed runs of the same simulation (same seed: the same packets and
 * events each time); the rate reported is the median round's, since this kind of machine's speed
 * drifts by tens of percent within a minute.
 */
export function runPipelineBench(datapath: DatapathName, packets: number, seed = 1, rounds = PIPELINE_ROUNDS): PipelineBenchResult {
  // Warm the JIT on a short run first, so the measured runs are steady-state code.
  runPipelineOnce(datapath, Math.min(packets, 200_000), seed + 1);
  const runs = Array.from({ length: rounds }, () => runPipelineOnce(datapath, packets, seed));
  const byWall = [...runs].sort((a, b) => a.wallSec - b.wallSec);
  const m = byWall[(byWall.length - 1) >> 1]!;
  return {
    benchmark: 'pipeline',
    datapath,
    packets: m.packets,
    events: m.events,
    wallSec: m.wallSec,
    packetsPerSec: Math.round(m.packets / m.wallSec),
    rounds: runs.map((r) => Math.round(r.packets / r.wallSec)),
    eventsPerSec: Math.round(m.events / m.wallSec),
    simulatedSec: m.simulatedSec,
    simulatedPacketsPerSimSec: Math.round(m.pps),
    dropFraction: m.dropFraction,
    node: process.version,
    note: 'single-threaded: packetsPerSec is per core of this machine (a sweep runs one such process per core)',
  };
}

/** `npm run bench -- pipeline [--packets N] [--datapath D] [--seed S] [--rounds K] [--json]`. */
export function benchPipeline(argv: string[]): void {
  const args = parseArgs(argv, { values: ['packets', 'datapath', 'seed', 'rounds'], flags: ['json'] });
  const packets = intFlag(args, 'packets', { min: 10_000, max: 1_000_000_000, fallback: 2_000_000 });
  const datapath = choiceFlag(args, 'datapath', DATAPATH_NAMES, 'kube-proxy-iptables');
  const seed = intFlag(args, 'seed', { min: 0, fallback: 1 });
  const rounds = intFlag(args, 'rounds', { min: 1, max: 100, fallback: PIPELINE_ROUNDS });
  const out = runPipelineBench(datapath, packets, seed, rounds);
  if (args.flags.has('json')) {
    console.log(JSON.stringify(out));
    return;
  }
  const n = (v: number): string => v.toLocaleString('en-US');
  console.log(`pipeline ${datapath}: ${n(out.packets)} packets (${out.simulatedSec.toFixed(2)} s simulated at ${n(out.simulatedPacketsPerSimSec)} packets/s, drop fraction ${out.dropFraction})`);
  console.log(`  ${n(out.packetsPerSec)} simulated packets per wall-clock second (median of ${out.rounds.length} rounds: ${out.rounds.map(n).join(', ')}), ${n(out.eventsPerSec)} events/s (${out.wallSec.toFixed(2)} s wall, Node ${out.node})`);
  console.log(`  ${out.note}; target >= 2,000,000`);
}
