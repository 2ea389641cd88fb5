/**
 * The pipeline benchmark: simulated packets per wall-clock second through the full datapath model
 * (simulatePath: connection workload -> egress softirq on CpuCores -> TX link -> remote delay ->
 * NicRx wire, ring, interrupt moderation, NAPI -> conntrack, lookup, BPF stages -> the client).
 * The workload is a moderately loaded default node (1000 connections/s of 200 requests each, about
 * 400k packets per simulated second across 8 cores, no drops), run long enough for `packets`
 * packets. The process is single-threaded, so the rate is per core of the machine running it.
 *
 * Against ns-3 (bench/peers/ns3_pipeline.cc, when ns-3 is installed). Each round times our run,
 * then two ns-3 runs back to back, and the ratios of packets per wall-clock second are the
 * medians of the rounds' ratios (both programs are single-threaded; the machine's speed drifts
 * within a minute, so only ratios from the same minute mean anything):
 *   - TCP request/response, the nearest equivalent and the comparison the bench is about: two
 *     nodes on a 10 Gb/s point-to-point link, the same workload as ours (Poisson connections at
 *     the same rate, the handshake, the same number of requests and the same request and response
 *     sizes, application wake-up and server time from our calibration table, FIN both ways), every
 *     packet through ns-3's sockets, TCP, IPv4, traffic control, device queue and channel. Our
 *     pipeline is TCP connections with request/response, so this simulates the same packets (404
 *     per connection here, about 408 in ns-3, which also sends the handshake's and the close's pure
 *     ACKs). What each simulator does per packet differs: ns-3 runs the protocols (TCP's state
 *     machine, headers, queue discs), ours the node's costs and queues (NIC ring, interrupt
 *     moderation, NAPI, cores, conntrack, Service lookup, BPF).
 *     The target is set on this comparison: >= 10x ns-3's packets/s.
 *   - UDP echo: ns-3's cheapest path per packet (no connections, no TCP state), which ns-3 runs
 *     two to three times as fast as its TCP exchange: a lower bound on the ratio, printed beside
 *     it so that no one mistakes the TCP figure for a comparison with ns-3 at its fastest.
 * ns-3 is compiled on demand into a cache folder outside the repository (bench/ns3Peer.ts); when
 * it is missing the bench says how to install it and prints our figures alone.
 */
import { meanSchedulerWakeupNs } from '../model/cpu/schedulerWakeup.ts';
import { performance } from 'node:perf_hooks';
import { median } from 'simple-statistics';
import { parseArgs, intFlag, choiceFlag } from '../experiments/cli/args.ts';
import { DATAPATH_NAMES, datapathSpec, minPacketsPerConnection, simulatePath, type DatapathName } from '../model/datapaths/index.ts';
import { calibrated } from '../model/calibration/index.ts';
import { ns3Binary, runNs3, type Ns3Binary, type Ns3Run, type Ns3Transport, type Ns3Workload } from './ns3Peer.ts';

export const PIPELINE_USAGE = `npm run bench -- pipeline [--packets N] [--datapath ${DATAPATH_NAMES.join('|')}] [--seed S] [--rounds K] [--no-peer] [--json]`;

/** The benchmark workload: long connections so the per-connection setup is not what is measured. */
export const PIPELINE_CONNECTIONS_PER_SEC = 1000;
export const PIPELINE_REQUESTS_PER_CONNECTION = 200;
const PACKETS_PER_CONNECTION = minPacketsPerConnection(PIPELINE_REQUESTS_PER_CONNECTION);
const WARMUP_SEC = 0.05;
/** Timed runs after the warm-up, unless --rounds says otherwise. */
export const PIPELINE_ROUNDS = 3;
/** Our packets/s over ns-3's on the same TCP traffic, at least. */
export const NS3_TARGET_RATIO = 10;
/** ns-3 run sizes: about 120k (TCP) and 200k (UDP) packets, 1-2 s each on a 2-vCPU VM. */
const NS3_CONNECTIONS = 300;
const NS3_UDP_REQUESTS = 100_000;

interface Ns3Side {
  /** Median over the rounds of ns-3's packets per wall-clock second. */
  readonly packetsPerSec: number;
  readonly rounds: readonly number[];
  /** Median over the rounds of our packets/s over ns-3's, each round's from the same minute. */
  readonly ratio: number;
  readonly ratioRounds: readonly number[];
  readonly packets: number;
  readonly eventsPerPacket: number;
  readonly simulatedPacketsPerSimSec: number;
}

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
  /** ns-3's side, or null with the reason in ns3Unavailable. */
  readonly ns3: { readonly version: string; readonly tcp: Ns3Side; readonly udp: Ns3Side } | null;
  readonly ns3Unavailable?: string;
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

/** The ns-3 runs' workload: ours, from the same constants and calibration rows. */
function ns3Workload(): Ns3Workload {
  const spec = datapathSpec({ connectionsPerSec: PIPELINE_CONNECTIONS_PER_SEC, requestsPerConnection: PIPELINE_REQUESTS_PER_CONNECTION });
  return {
    connections: NS3_CONNECTIONS,
    connectionsPerSec: spec.connectionsPerSec,
    requestsPerConnection: spec.requestsPerConnection,
    requestBytes: spec.requestBytes,
    responseBytes: spec.responseBytes,
    udpRequests: NS3_UDP_REQUESTS,
    linkBitsPerSec: calibrated('nic.linkRate10gBitsPerSec'),
    wireNs: calibrated('datapath.wireOneWayNs'),
    wakeupNs: meanSchedulerWakeupNs(),
    serverNs: calibrated('datapath.serverProcessingNs'),
  };
}

function ns3Side(ours: readonly number[], runs: readonly Ns3Run[]): Ns3Side {
  const ratios = runs.map((r, i) => Number((ours[i]! / r.packetsPerSec).toFixed(2)));
  const last = runs[runs.length - 1]!;
  return {
    packetsPerSec: Math.round(median(runs.map((r) => r.packetsPerSec))),
    rounds: runs.map((r) => Math.round(r.packetsPerSec)),
    ratio: Number(median(ratios).toFixed(2)),
    ratioRounds: ratios,
    packets: last.packets,
    eventsPerPacket: Number((last.events / last.packets).toFixed(2)),
    simulatedPacketsPerSimSec: Math.round(last.packets / last.simulatedSec),
  };
}

/**
 * A warm-up run, then `rounds` timed runs of the same simulation (same seed: the same packets and
 * events each time), each followed by ns-3's TCP and UDP runs when `ns3` is given; the rates
 * reported are the medians of the rounds, since this kind of machine's speed drifts by tens of
 * percent within a minute.
 */
export function runPipelineBench(
  datapath: DatapathName,
  packets: number,
  seed = 1,
  rounds = PIPELINE_ROUNDS,
  ns3: Ns3Binary | { unavailable: string } = { unavailable: 'not asked for' },
): PipelineBenchResult {
  // Warm the JIT on a short run first, so the measured runs are steady-state code.
  runPipelineOnce(datapath, Math.min(packets, 200_000), seed + 1);
  const runs: ReturnType<typeof runPipelineOnce>[] = [];
  const peer: Record<Ns3Transport, Ns3Run[]> = { tcp: [], udp: [] };
  const work = 'unavailable' in ns3 ? null : ns3Workload();
  for (let r = 0; r < rounds; r++) {
    runs.push(runPipelineOnce(datapath, packets, seed));
    if (work !== null && !('unavailable' in ns3)) {
      peer.tcp.push(runNs3(ns3, 'tcp', work, seed));
      peer.udp.push(runNs3(ns3, 'udp', work, seed));
    }
  }
  const byWall = [...runs].sort((a, b) => a.wallSec - b.wallSec);
  const m = byWall[(byWall.length - 1) >> 1]!;
  const ours = runs.map((r) => r.packets / r.wallSec);
  return {
    benchmark: 'pipeline',
    datapath,
    packets: m.packets,
    events: m.events,
    wallSec: m.wallSec,
    packetsPerSec: Math.round(m.packets / m.wallSec),
    rounds: ours.map(Math.round),
    eventsPerSec: Math.round(m.events / m.wallSec),
    simulatedSec: m.simulatedSec,
    simulatedPacketsPerSimSec: Math.round(m.pps),
    dropFraction: m.dropFraction,
    node: process.version,
    note: 'single-threaded: packetsPerSec is per core of this machine (a sweep runs one such process per core)',
    ns3: 'unavailable' in ns3 ? null : { version: ns3.version, tcp: ns3Side(ours, peer.tcp), udp: ns3Side(ours, peer.udp) },
    ...('unavailable' in ns3 ? { ns3Unavailable: ns3.unavailable } : {}),
  };
}

/** `npm run bench -- pipeline [--packets N] [--datapath D] [--seed S] [--rounds K] [--no-peer] [--json]`. */
export function benchPipeline(argv: string[]): void {
  const args = parseArgs(argv, { values: ['packets', 'datapath', 'seed', 'rounds'], flags: ['json', 'no-peer'] });
  const packets = intFlag(args, 'packets', { min: 10_000, max: 1_000_000_000, fallback: 2_000_000 });
  const datapath = choiceFlag(args, 'datapath', DATAPATH_NAMES, 'kube-proxy-iptables');
  const seed = intFlag(args, 'seed', { min: 0, fallback: 1 });
  const rounds = intFlag(args, 'rounds', { min: 1, max: 100, fallback: PIPELINE_ROUNDS });
  const json = args.flags.has('json');
  const ns3 = args.flags.has('no-peer') ? { unavailable: 'skipped (--no-peer)' } : ns3Binary((line) => console.error(line));
  const out = runPipelineBench(datapath, packets, seed, rounds, ns3);
  if (json) {
    console.log(JSON.stringify(out));
    return;
  }
  const n = (v: number): string => v.toLocaleString('en-US');
  console.log(`pipeline ${datapath}: ${n(out.packets)} packets (${out.simulatedSec.toFixed(2)} s simulated at ${n(out.simulatedPacketsPerSimSec)} packets/s, drop fraction ${out.dropFraction})`);
  console.log(`  svcpath  ${n(out.packetsPerSec)} simulated packets per wall-clock second (median of ${out.rounds.length} rounds: ${out.rounds.map(n).join(', ')}), ${n(out.eventsPerSec)} events/s (${out.wallSec.toFixed(2)} s wall, Node ${out.node})`);
  console.log(`  ${out.note}`);
  if (out.ns3 === null) {
    console.log(`  ns-3: ${out.ns3Unavailable}`);
    return;
  }
  const line = (label: string, side: Ns3Side): string =>
    `  ns-3 ${out.ns3!.version} ${label}: ${n(side.packetsPerSec)} packets/s (${n(side.packets)} packets, ${side.eventsPerPacket} events each); ` +
    `svcpath/ns-3 = ${side.ratio}x (rounds: ${side.ratioRounds.join(', ')})`;
  console.log(line('TCP request/response', out.ns3.tcp));
  console.log(line('UDP echo', out.ns3.udp));
  const met = out.ns3.tcp.ratio >= NS3_TARGET_RATIO;
  console.log(
    `  target: >= ${NS3_TARGET_RATIO}x ns-3's packets/s on the same TCP traffic: ${met ? 'met' : 'NOT met'} (${out.ns3.tcp.ratio}x; ` +
      `${out.ns3.udp.ratio}x against ns-3's cheapest path, the UDP echo)`,
  );
}
