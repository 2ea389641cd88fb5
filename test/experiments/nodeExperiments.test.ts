/**
 * A guard for the node-scenario experiments: run in their quick mode through the runner the CLI
 * uses, they must still show what they exist to show. Each check reads the summary table a user
 * would open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartRow } from '../../experiments/lib/charts.ts';
import { quickRuns, removeTempDirs, summaryNumber } from './runnerHelpers.ts';
import { calibrated } from '../../model/calibration/index.ts';
import { BULK_LIMITERS } from '../../model/node/index.ts';
import { lineRatePps } from '../../model/nic/lineRate.ts';

type Row = ChartRow;
const num = summaryNumber;
const MSS = 1448;
const FRAME = 1518;

const NAMES = ['hybrid-throughput', 'capacity-factors', 'kernel-memory'] as const;
let summaries = {} as Record<(typeof NAMES)[number], Row[]>;
let notes = {} as Record<(typeof NAMES)[number], string[]>;

beforeAll(async () => {
  ({ summaries, notes } = await quickRuns(NAMES));
}, 240_000);
afterAll(removeTempDirs);

describe('node-scenario experiments, quick mode', () => {
  it('run without warnings', () => {
    for (const name of NAMES) expect(notes[name], name).toEqual([]);
  });

  it('hybrid-throughput: bare metal at its line rate all hour; the cloud VM falls from its burst to the baseline allowance; the datapath changes nothing', () => {
    const rows = summaries['hybrid-throughput'];
    const limiter = (r: Row) => BULK_LIMITERS[Math.round(num(r, 'limiterCode_mean'))];
    for (const r of rows.filter((x) => String(x.node).startsWith('bare-metal'))) {
      const link = r.node === 'bare-metal-10g' ? 10e9 : 25e9;
      expect(num(r, 'goodputGbps_mean')).toBeCloseTo((lineRatePps(link, FRAME) * MSS * 8) / 1e9, 6);
      expect(limiter(r)).toBe('line-rate');
    }
    const cloud = rows.filter((x) => x.node === 'cloud-up-to-10g');
    const baseline = (calibrated('nic.cloud.bwAllowanceBitsPerSec') * MSS) / FRAME / 1e9;
    for (const flows of [1, 8]) {
      const series = cloud.filter((r) => r.flows === flows && r.datapath === 'cilium-tc').sort((a, b) => num(a, 'minute') - num(b, 'minute'));
      expect(num(series[0]!, 'goodputGbps_mean')).toBeGreaterThan(4 * baseline);
      expect(num(series.at(-1)!, 'goodputGbps_mean')).toBeCloseTo(baseline, 6);
      expect(limiter(series.at(-1)!)).toBe('bandwidth-allowance');
      for (let i = 1; i < series.length; i++) expect(num(series[i]!, 'goodputGbps_mean')).toBeLessThanOrEqual(num(series[i - 1]!, 'goodputGbps_mean') + 1e-9);
    }
    for (const r of rows) {
      const twin = rows.find((x) => x.node === r.node && x.flows === r.flows && x.minute === r.minute && x.datapath !== r.datapath)!;
      expect(num(r, 'goodputGbps_mean')).toBeCloseTo(num(twin, 'goodputGbps_mean'), 9);
    }
  });

  it('hybrid-throughput: eBPF cannot make a 1 Gbit/s cap: even interpreted at powersave the CPU allows over 10x that', () => {
    for (const r of summaries['hybrid-throughput']) {
      expect(num(r, 'cpuBoundJitOffPowersaveGbps_mean')).toBeGreaterThan(10);
      expect(num(r, 'cpuBoundJitOffPowersaveGbps_mean')).toBeLessThan(num(r, 'cpuBoundJitOffGbps_mean'));
      expect(num(r, 'cpuBoundJitOffGbps_mean')).toBeLessThanOrEqual(num(r, 'cpuBoundGbps_mean'));
    }
  });

  it('capacity-factors: JIT off lowers connection capacity but not bulk goodput; cloud allowances cut both; Services do not matter to Cilium', () => {
    const rows = summaries['capacity-factors'];
    const at = (factor: string) => rows.find((r) => r.factor === factor)!;
    expect(num(at('jit-off'), 'capacityChange_mean')).toBeLessThan(-0.05);
    expect(num(at('jit-off'), 'goodputChange_mean')).toBe(0);
    expect(num(at('cloud-allowances'), 'capacityChange_mean')).toBeLessThan(-0.5);
    expect(num(at('cloud-allowances'), 'goodputChange_mean')).toBeCloseTo(calibrated('nic.cloud.bwAllowanceBitsPerSec') / (lineRatePps(10e9, FRAME) * FRAME * 8) - 1, 6);
    expect(Math.abs(num(at('services-30k'), 'goodputChange_mean'))).toBeLessThan(1e-9);
    // The capacity search's tolerance (5 %) and the run-to-run noise of a p99 bound the flat factor.
    expect(Math.abs(num(at('services-30k'), 'capacityChange_mean'))).toBeLessThan(0.15);
  });

  it('kernel-memory: preallocated maps are flat; a leak fills nf_conntrack to its size; no owner can explain +300 MB; 10K rules cost 10K policy entries per endpoint', () => {
    const rows = summaries['kernel-memory'];
    const weeks = rows.filter((r) => r.part === 'weeks');
    for (const r of weeks) {
      const first = weeks.find((x) => x.datapath === r.datapath && x.traffic === r.traffic && x.policyRules === r.policyRules && x.day === 0)!;
      for (const m of ['ciliumCtNatMiB', 'lbMapsMiB', 'policyMapsMiB']) expect(num(r, `${m}_mean`), m).toBe(num(first, `${m}_mean`));
      expect(num(r, 'nfConntrackMiB_mean')).toBeLessThanOrEqual(num(r, 'nfConntrackMaxGrowthMiB_mean') + num(first, 'nfConntrackMiB_mean'));
      const seedGrowthMiB = 300e6 / 2 ** 20;
      for (const m of ['nfConntrackMaxGrowthMiB', 'policyMapsMaxGrowthMiB', 'ciliumCtNatMaxGrowthMiB', 'lbMapsMaxGrowthMiB']) expect(num(r, `${m}_mean`)).toBeLessThan(seedGrowthMiB);
    }
    const kpLeak = weeks.filter((r) => r.datapath === 'kube-proxy-iptables' && r.traffic === 'leak').sort((a, b) => num(a, 'day') - num(b, 'day'));
    expect(num(kpLeak.at(-1)!, 'growthMiB_mean')).toBeGreaterThan(10);
    const cilium10k = weeks.find((r) => r.datapath === 'cilium-tc' && r.policyRules === 10_000 && r.day === 0)!;
    expect(num(cilium10k, 'policyEntriesPerEndpoint_mean')).toBe(10_000);
    const rules = rows.filter((r) => r.part === 'rules').sort((a, b) => num(a, 'policyRules') - num(b, 'policyRules'));
    for (let i = 1; i < rules.length; i++) expect(num(rules[i]!, 'regenerationSec_mean')).toBeGreaterThan(num(rules[i - 1]!, 'regenerationSec_mean'));
    expect(num(rules.at(-1)!, 'regenerationFails_mean')).toBe(1);
  });
});
