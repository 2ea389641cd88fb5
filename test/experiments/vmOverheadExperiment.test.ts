/**
 * A guard for the vm-overhead experiment (quick mode, through the CLI's runner): its summary must
 * show what the experiment is for. At light load every guest NIC's medians are above the physical
 * NIC's; a physical node has no boundary in its split and a VM no C-state exits; halt polling never
 * raises the median at light load and costs host CPU; a VM's guest plus host CPU per packet is at
 * least its guest's. Each property is a function returning its violations, and the last test shows
 * that each one fails on a summary where its claim is broken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartRow } from '../../experiments/lib/charts.ts';
import { NO_HALT_POLLING } from '../../experiments/vmOverhead.ts';
import { quickRuns, removeTempDirs, summaryNumber } from './runnerHelpers.ts';

type Row = ChartRow;
const num = summaryNumber;
const LIGHT = 1000;
const light = (rows: readonly Row[]) => rows.filter((r) => num(r, 'connectionsPerSec') === LIGHT);
const isVm = (r: Row): boolean => r.haltPolling !== NO_HALT_POLLING;

function slowerThanMetalViolations(rows: readonly Row[]): string[] {
  const out: string[] = [];
  const metal = light(rows).find((r) => r.nic === 'physical-10g');
  if (metal === undefined) return ['no physical-10g row at light load'];
  for (const r of light(rows).filter(isVm)) {
    for (const m of ['firstPacketP50Us', 'establishedP50Us']) {
      if (!(num(r, `${m}_mean`) > num(metal, `${m}_mean`))) out.push(`${String(r.nic)} (halt polling ${String(r.haltPolling)}): ${m} not above bare metal's`);
    }
  }
  return out;
}

function splitViolations(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    for (const which of ['firstMedian', 'estMedian']) {
      const boundary = ['VmExit', 'HostWakeup', 'Host'].reduce((s, c) => s + num(r, `${which}${c}Us_mean`), 0);
      const idle = num(r, `${which}IdleExitUs_mean`);
      if (isVm(r) && (boundary <= 0 || idle !== 0)) out.push(`${String(r.nic)}: ${which} has no boundary or pays C-state exits`);
      if (!isVm(r) && boundary !== 0) out.push(`${String(r.nic)}: ${which} of a physical NIC has a VM boundary`);
    }
  }
  return out;
}

function haltPollingViolations(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (const nic of new Set(light(rows).filter(isVm).map((r) => r.nic))) {
    const off = light(rows).find((r) => r.nic === nic && r.haltPolling === 'off');
    const on = light(rows).find((r) => r.nic === nic && r.haltPolling === 'on');
    if (off === undefined || on === undefined) continue;
    for (const m of ['firstPacketP50Us', 'establishedP50Us']) {
      if (num(on, `${m}_mean`) > num(off, `${m}_mean`) * 1.01) out.push(`${String(nic)}: halt polling raised ${m}`);
    }
    if (!(num(on, 'haltPollNsPerPacket_mean') > num(off, 'haltPollNsPerPacket_mean'))) out.push(`${String(nic)}: halt polling cost no host CPU`);
  }
  for (const r of rows) {
    if (num(r, 'totalCpuNsPerPacket_mean') < num(r, 'guestCpuNsPerPacket_mean') - 1e-6) out.push(`${String(r.nic)}: guest + host CPU below the guest's`);
  }
  return out;
}

let rows: Row[] = [];
let notes: string[] = [];

beforeAll(async () => {
  const run = await quickRuns(['vm-overhead'] as const);
  rows = run.summaries['vm-overhead'];
  notes = run.notes['vm-overhead'];
}, 240_000);
afterAll(removeTempDirs);

describe('vm-overhead, quick mode, shows what it is for', () => {
  it('runs without warnings and covers a physical NIC and guest NICs, light and moderate load, with and without halt polling', () => {
    expect(notes).toEqual([]);
    expect(rows.some((r) => !isVm(r))).toBe(true);
    expect(new Set(rows.filter(isVm).map((r) => r.haltPolling))).toEqual(new Set(['off', 'on']));
    expect(new Set(rows.map((r) => num(r, 'connectionsPerSec'))).size).toBe(2);
  });

  it('at light load no guest NIC is faster than the physical one', () => {
    expect(slowerThanMetalViolations(rows)).toEqual([]);
  });

  it('the medians\' split: a VM boundary for the guest NICs and no C-state exits; none for the physical NIC', () => {
    expect(splitViolations(rows)).toEqual([]);
  });

  it('halt polling never raises a light-load median and burns host CPU; guest + host CPU is at least the guest\'s', () => {
    expect(haltPollingViolations(rows)).toEqual([]);
  });

  it('each property fails on a summary where its claim is broken', () => {
    const edit = (match: (r: Row) => boolean, change: (r: Row) => Row) => rows.map((r) => (match(r) ? change({ ...r }) : r));
    const lightVm = (r: Row) => isVm(r) && num(r, 'connectionsPerSec') === LIGHT;
    expect(slowerThanMetalViolations(edit(lightVm, (r) => ({ ...r, establishedP50Us_mean: 1 })))).not.toEqual([]);
    expect(splitViolations(edit(isVm, (r) => ({ ...r, estMedianIdleExitUs_mean: 4 })))).not.toEqual([]);
    expect(splitViolations(edit((r) => !isVm(r), (r) => ({ ...r, firstMedianHostUs_mean: 1 })))).not.toEqual([]);
    expect(haltPollingViolations(edit((r) => lightVm(r) && r.haltPolling === 'on', (r) => ({ ...r, firstPacketP50Us_mean: 1e6 })))).not.toEqual([]);
    expect(haltPollingViolations(edit(isVm, (r) => ({ ...r, totalCpuNsPerPacket_mean: 0 })))).not.toEqual([]);
  });
});
