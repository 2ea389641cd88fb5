/**
 * The two outputs of `svcpath queue`: one JSON object (machine-readable, deterministic for a
 * given set of flags except `customersPerSec`) and an aligned text table setting each simulated
 * estimate beside the theory (a closed form, or an approximation marked as such).
 */
import type { QueueStudyResult, Estimate } from '../../model/queueing/queueStudy.ts';
import type { QueueAnalytic } from '../../model/queueing/queueAnalytic.ts';
import type { QueueInputs } from './queue.ts';
import { queueNotation } from '../../model/queueing/kendallNotation.ts';
import { isStable } from '../../model/queueing/queueRunRules.ts';
import { formatTable } from './textTable.ts';

export interface QueueRun {
  inputs: QueueInputs;
  result: QueueStudyResult;
  /** Wall-clock seconds spent in runQueueStudy. */
  wallSec: number;
  /** replications * customers / wallSec. */
  customersPerSec: number;
}

export interface QueueReportJson {
  model: string;
  servers: number;
  arrivalRatePerSec: number;
  /** Inter-arrival distribution spec (exp:MEAN for --arrival-rate). */
  arrival: string;
  arrivalScv: number;
  service: string;
  serviceMeanSec: number;
  serviceScv: number;
  customers: number;
  replications: number;
  seed: number;
  warmup: 'auto' | number;
  rho: number;
  /** rho < 1; if false the numbers describe a transient and `analytic` is null. */
  stable: boolean;
  meanWaitSec: Estimate;
  meanSojournSec: Estimate;
  meanQueueLength: Estimate;
  meanInSystem: Estimate;
  utilization: Estimate;
  throughputPerSec: Estimate;
  waitQuantilesSec: { p50: number; p90: number; p99: number };
  /** The theory the estimates are set beside; `analytic.exact` is false for an approximation. */
  analytic: QueueAnalytic | null;
  warmupCustomers: number;
  warmupCustomersPerReplication: number[];
  events: number;
  customersPerSec: number;
}

export function queueReportJson(run: QueueRun): QueueReportJson {
  const { inputs: i, result: r } = run;
  return {
    model: queueNotation(i.interarrival, i.service, i.servers),
    servers: i.servers,
    arrivalRatePerSec: i.arrivalRatePerSec,
    arrival: i.arrivalSpec,
    arrivalScv: i.interarrival.scv,
    service: i.serviceSpec,
    serviceMeanSec: i.service.mean,
    serviceScv: i.service.scv,
    customers: i.customers,
    replications: i.replications,
    seed: i.seed,
    warmup: i.warmup,
    rho: i.rho,
    stable: isStable(i.rho),
    meanWaitSec: r.meanWaitSec,
    meanSojournSec: r.meanSojournSec,
    meanQueueLength: r.meanQueueLength,
    meanInSystem: r.meanInSystem,
    utilization: r.utilization,
    throughputPerSec: r.throughputPerSec,
    waitQuantilesSec: r.waitQuantilesSec,
    analytic: r.analytic,
    warmupCustomers: r.warmupCustomers,
    warmupCustomersPerReplication: r.warmupCustomersPerReplication,
    events: r.events,
    customersPerSec: run.customersPerSec,
  };
}

/** An input echoed back: at most 6 significant digits, no trailing zeros. */
function input(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/** `digits` significant digits; exponent notation only below 1e-6 and from 1e21. */
function num(x: number, digits = 5): string { // calibration-exempt: presentation: significant digits of a printed estimate
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0';
  const s = x.toPrecision(digits);
  // toPrecision writes 170 as "1.7e+2"; keep exponents for tiny and huge values only.
  return s.includes('e') && Math.abs(x) >= 1 && Math.abs(x) < 1e21 ? String(Number(s)) : s;
}

function relativeDifference(simulated: number, analytic: number | null): string {
  if (analytic === null || !Number.isFinite(simulated)) return '—';
  if (analytic === 0) return simulated === 0 ? '0.00%' : '—';
  const d = ((simulated - analytic) / Math.abs(analytic)) * 100;
  return `${d >= 0 ? '+' : '-'}${Math.abs(d).toFixed(2)}%`;
}

function warmupText(i: QueueInputs, r: QueueStudyResult): string {
  if (i.warmup === 'auto') return `warm-up MSER-5 (${r.warmupCustomers} customers)`;
  const aligned = r.warmupCustomers;
  return aligned === i.warmup ? `warm-up ${aligned} customers` : `warm-up ${aligned} customers (--warmup ${i.warmup} rounded up to a multiple of 5)`;
}

export function queueReportTable(run: QueueRun): string {
  const { inputs: i, result: r } = run;
  const a = r.analytic;
  const model = queueNotation(i.interarrival, i.service, i.servers);
  const lines: string[] = [];
  lines.push(
    `${model}, rho = ${i.rho.toFixed(3)}, ${i.replications} replications x ${i.customers} customers, seed ${i.seed}, ${warmupText(i, r)}`,
  );
  const arrivals =
    i.interarrival.kind === 'exponential'
      ? `arrivals Poisson at ${input(i.arrivalRatePerSec)}/s`
      : `arrivals ${i.arrivalSpec} apart (${input(i.arrivalRatePerSec)}/s, scv ${input(i.interarrival.scv)})`;
  lines.push(
    `${arrivals}, service ${i.serviceSpec} (mean ${input(i.service.mean)} s, scv ${input(i.service.scv)}), ${i.servers} server${i.servers === 1 ? '' : 's'}, FCFS`,
  );
  if (!isStable(i.rho)) lines.push('UNSTABLE (rho >= 1): no steady state; these numbers describe the transient of the first customers only');
  lines.push('');

  // L and throughput follow from the theory's W by Little's law (L = lambda W) and flow balance
  // (throughput = lambda in a stable queue with unlimited room).
  const lambda = i.arrivalRatePerSec;
  const rows: [label: string, sim: Estimate | number, analytic: number | null][] = [
    ['mean wait in queue Wq (s)', r.meanWaitSec, a?.meanWaitSec ?? null],
    ['mean sojourn W (s)', r.meanSojournSec, a?.meanSojournSec ?? null],
    ['mean queue length Lq', r.meanQueueLength, a?.meanQueueLength ?? null],
    ['mean in system L', r.meanInSystem, a === null ? null : lambda * a.meanSojournSec],
    ['utilization', r.utilization, a?.utilization ?? null],
    ['throughput (1/s)', r.throughputPerSec, a === null ? null : lambda],
    ['wait p50 (s), pooled', r.waitQuantilesSec.p50, a?.waitQuantilesSec?.p50 ?? null],
    ['wait p90 (s), pooled', r.waitQuantilesSec.p90, a?.waitQuantilesSec?.p90 ?? null],
    ['wait p99 (s), pooled', r.waitQuantilesSec.p99, a?.waitQuantilesSec?.p99 ?? null],
  ];
  const body = rows.map(([label, sim, analytic]) => {
    const mean = typeof sim === 'number' ? sim : sim.mean;
    const hwText = typeof sim === 'number' ? '' : `± ${num(sim.ci95HalfWidth, 2)}`;
    return [label, num(mean), hwText, analytic === null ? '—' : num(analytic), relativeDifference(mean, analytic)];
  });
  lines.push(
    formatTable(
      ['metric', 'simulated', '95% half-width', a === null || a.exact ? 'exact' : 'approx.', 'rel. diff'],
      body,
      ['left', 'right', 'left', 'right', 'right'],
    ),
  );
  lines.push('');
  lines.push(
    a === null
      ? `theory: none (no formula for ${model}${isStable(i.rho) ? '' : ' with rho >= 1'})`
      : `theory: ${a.model}${a.exact ? '' : ': differences of several % are expected and say nothing about the simulator'}` +
          `${a.waitQuantilesSec === null ? '; no formula for the wait quantiles' : ''}; L = lambda W (Little) and throughput = lambda derived from it`,
  );
  const total = i.replications * i.customers;
  lines.push(
    `speed: ${Math.round(run.customersPerSec).toLocaleString('en-US')} customers/s (${total.toLocaleString('en-US')} customers, ${r.events.toLocaleString('en-US')} events in ${run.wallSec.toFixed(2)} s wall clock)`,
  );
  return lines.join('\n');
}
