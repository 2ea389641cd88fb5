import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.ts';

describe('svcpath capacity', () => {
  it('--json: the highest passing rate and the failing run above it, within 2%', async () => {
    const r = await runCli(['capacity', '--datapath', 'cilium-socket-lb', '--services', '100', '--endpoints', '3', '--slo-p99-us', '150', '--cores', '1', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout.trim()) as Record<string, any>;
    expect(out).toMatchObject({ datapath: 'cilium-socket-lb', services: 100, sloP99Us: 150, maxDropFraction: 1e-3, stoppedBy: 'tolerance' });
    expect(out.lower.pass).toBe(true);
    expect(out.lower.firstPacketP99Us).toBeLessThanOrEqual(150);
    expect(out.upper.pass).toBe(false);
    expect(out.connectionsPerSec).toBe(out.lower.connectionsPerSec);
    expect(out.upper.connectionsPerSec / out.lower.connectionsPerSec).toBeLessThanOrEqual(1.02);
    expect(out.atCapacity.firstPacketRttUs.p99).toBe(out.lower.firstPacketP99Us);
  });

  it('a cloud VM carries at most what its allowances pass after the burst; a bare-metal node has no such cap', async () => {
    const args = ['capacity', '--datapath', 'cilium-tc', '--services', '100', '--endpoints', '3', '--slo-p99-us', '200', '--json'];
    const [cloud, metal] = await Promise.all([runCli([...args, '--node', 'cloud-up-to-10g']), runCli([...args, '--node', 'bare-metal-10g'])]);
    expect(cloud.status, cloud.stderr).toBe(0);
    const c = JSON.parse(cloud.stdout.trim()) as Record<string, any>;
    const b = c.cloudAllowanceBound as { boundPerSec: number; ppsBoundPerSec: number; bandwidthBoundPerSec: number; limitedBy: string };
    expect(b.boundPerSec).toBe(Math.min(b.ppsBoundPerSec, b.bandwidthBoundPerSec));
    expect(c.nodeConnectionsPerSec).toBe(Math.min(c.connectionsPerSec, b.boundPerSec));
    if (b.boundPerSec < c.connectionsPerSec) expect(c.limitedBy).toBe(b.limitedBy);
    const m = JSON.parse(metal.stdout.trim()) as Record<string, any>;
    expect(m.cloudAllowanceBound).toBeNull();
    expect(m.nodeConnectionsPerSec).toBe(m.connectionsPerSec);
  });

  it('prints the answer and the bracketing runs', async () => {
    const r = await runCli(['capacity', '--datapath', 'kube-proxy-iptables', '--services', '5000', '--endpoints', '3', '--slo-p99-us', '400', '--cores', '1']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^capacity: [\d,]+ connections\/s \(between [\d,]+ and [\d,]+\)$/m);
    expect(r.stdout).toMatch(/^highest passing +[\d,]+ +[\d.]+ .*pass$/m);
    expect(r.stdout).toMatch(/^lowest failing +[\d,]+ +[\d.]+ .*fail \(/m);
  });

  it('--help and usage errors (exit 2 naming flag, value and allowed values)', async () => {
    const [help, noSlo, badSlo, badDp] = await Promise.all([
      runCli(['capacity', '--help']),
      runCli(['capacity', '--datapath', 'cilium-tc', '--services', '10', '--endpoints', '1']),
      runCli(['capacity', '--datapath', 'cilium-tc', '--services', '10', '--endpoints', '1', '--slo-p99-us', 'fast']),
      runCli(['capacity', '--datapath', 'calico', '--services', '10', '--endpoints', '1', '--slo-p99-us', '50']),
    ]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: svcpath capacity --datapath /);
    for (const r of [noSlo, badSlo, badDp]) {
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/\nusage: svcpath capacity --datapath /);
    }
    expect(noSlo.stderr).toMatch(/--slo-p99-us is required/);
    expect(badSlo.stderr).toMatch(/--slo-p99-us: expected a number > 0, got "fast"/);
    expect(badDp.stderr).toMatch(/--datapath: "calico" is not allowed; allowed: kube-proxy-iptables, kube-proxy-nftables, cilium-tc, cilium-socket-lb/);
  });
});
