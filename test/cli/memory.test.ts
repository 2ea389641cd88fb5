import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './runCli.ts';
import { calibrated } from '../../model/calibration/index.ts';

function json(r: CliResult): Record<string, any> {
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, any>;
}

describe('svcpath memory', () => {
  it('--json: a daily series by owner over three weeks; Cilium maps flat; 10k rules in the policy maps; no unbounded owner', async () => {
    const out = json(await runCli(['memory', '--datapath', 'cilium-tc', '--days', '21', '--policy-rules', '10000', '--endpoints-per-node', '30', '--leak-connections-per-sec', '2', '--json']));
    expect(out.series).toHaveLength(21);
    expect(Object.keys(out.series[0].bytes)).toEqual(['nf_conntrack', 'cilium-ct-nat', 'policy-maps', 'lb-maps']);
    expect(out.series[0].bytes['policy-maps']).toBe(30 * 10_000 * calibrated('controlPlane.policyMapEntryBytes'));
    expect(out.growthBytes).toBe(0);
    expect(out.unboundedOwners).toEqual([]);
    expect(out.policy).toMatchObject({ entriesNeeded: 10_000, regenerationFails: false, endpoints: 30 });
  });

  it('kube-proxy with a leak: nf_conntrack grows to its size and the table fills', async () => {
    const out = json(await runCli(['memory', '--datapath', 'kube-proxy-iptables', '--days', '7', '--leak-connections-per-sec', '3', '--sample-hours', '6', '--json']));
    expect(out.series).toHaveLength(28);
    const nf = out.owners.find((o: { owner: string }) => o.owner === 'nf_conntrack');
    expect(nf.growthBytes).toBeGreaterThan(0);
    expect(nf.lastBytes).toBeCloseTo(nf.boundBytes, 6);
    expect(out.conntrack.fullAtSec).toBeGreaterThan(0);
  });

  it('prints the series, the owners and the policy; usage errors exit 2 naming the flag', async () => {
    const r = await runCli(['memory', '--datapath', 'cilium-socket-lb', '--days', '3', '--policy-rules', '20000']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^cilium-socket-lb on 8 cores, 32 GiB, Linux 6\.1/);
    expect(r.stdout).toMatch(/^owners that can grow without bound +none: every table has a size limit$/m);
    expect(r.stdout).toMatch(/16,384 of 16,384 installed \(100\.0% full\); the regeneration fails/);
    for (const [args, message] of [
      [['--days', '1'], /--datapath is required/],
      [['--datapath', 'cilium-tc', '--days', '400'], /--days: expected a number in \(0, 366\], got "400"/],
      [['--datapath', 'cilium-tc', '--days', '1', '--leak', 'sometimes'], /--leak: "sometimes" is not allowed; allowed: refreshed, idle/],
      [['--datapath', 'cilium-tc', '--days', '1', '--leak-connections-per-sec', '-1'], /--leak-connections-per-sec: expected a number >= 0, got "-1"/],
    ] as const) {
      const bad = await runCli(['memory', ...args]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(message);
    }
  });
});
