import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.ts';
import { calibrated } from '../../model/calibration/index.ts';

describe('svcpath path --node PRESET', () => {
  it("takes the preset's cores, clock, RAM and NIC; explicit flags override them", async () => {
    const [cloud, metal] = await Promise.all([
      runCli(['path', '--datapath', 'cilium-tc', '--services', '100', '--endpoints', '3', '--node', 'cloud-up-to-10g', '--connections-per-sec', '200', '--json']),
      runCli(['path', '--datapath', 'cilium-tc', '--services', '100', '--endpoints', '3', '--node', 'bare-metal-25g', '--cores', '4', '--connections-per-sec', '200', '--json']),
    ]);
    expect(cloud.status, cloud.stderr).toBe(0);
    expect(metal.status, metal.stderr).toBe(0);
    const c = JSON.parse(cloud.stdout) as Record<string, unknown>;
    const m = JSON.parse(metal.stdout) as Record<string, unknown>;
    expect(c).toMatchObject({ nic: 'virtio', cores: calibrated('node.cores'), cpuFreqHz: calibrated('node.preset.cloudMaxFreqHz') });
    expect(m).toMatchObject({ nic: 'physical-25g', cores: 4, cpuFreqHz: calibrated('cpu.referenceFreqHz') });
  });

  it('on a cloud VM the output says how much of its allowances the rate uses (linear in the rate); bare metal has none', async () => {
    const run = (node: string, rate: number) => runCli(['path', '--datapath', 'cilium-tc', '--services', '100', '--endpoints', '3', '--node', node, '--connections-per-sec', String(rate), '--json']);
    const [low, high, metal] = await Promise.all([run('cloud-up-to-10g', 1000), run('cloud-up-to-10g', 4000), run('bare-metal-10g', 1000)]);
    const a = JSON.parse(low.stdout).cloudAllowance as { boundPerSec: number; fill: number };
    const b = JSON.parse(high.stdout).cloudAllowance as { boundPerSec: number; fill: number };
    expect(a.fill).toBeCloseTo(1000 / a.boundPerSec, 12);
    expect(b.boundPerSec).toBe(a.boundPerSec);
    expect(b.fill / a.fill).toBeCloseTo(4, 12);
    expect(JSON.parse(metal.stdout).cloudAllowance).toBeNull();
  });

  it('an unknown preset exits 2 naming the flag and the presets; --help lists them', async () => {
    const bad = await runCli(['path', '--datapath', 'cilium-tc', '--services', '1', '--endpoints', '1', '--node', 'vm']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--node: "vm" is not allowed; allowed: bare-metal-10g, bare-metal-25g, cloud-up-to-10g/);
    const help = await runCli(['path', '--help']);
    expect(help.stdout).toMatch(/--node PRESET +bare-metal-10g \| bare-metal-25g \| cloud-up-to-10g/);
  });
});
