import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './runCli.ts';
import { calibrated } from '../../model/calibration/index.ts';

const MSS = 1448;
const FRAME = 1518;

function json(r: CliResult): Record<string, any> {
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, any>;
}

describe('svcpath throughput --json', () => {
  it('cloud VM, 8 flows for an hour: the burst, the fall to the baseline after the credits, the counters', async () => {
    const out = json(await runCli(['throughput', '--node', 'cloud-up-to-10g', '--datapath', 'cilium-tc', '--flows', '8', '--duration-sec', '3600', '--json']));
    const baselineGoodput = (calibrated('nic.cloud.bwAllowanceBitsPerSec') * MSS) / FRAME / 1e9;
    expect(out.limitedBy).toBe('bandwidth-allowance');
    expect(out.finalGbps).toBeCloseTo(baselineGoodput, 9);
    expect(out.meanGbps).toBeGreaterThan(out.finalGbps);
    expect(out.burstCreditsExhaustedSec).toBeCloseTo(calibrated('node.preset.cloudBurstCreditSec'), 6);
    expect(out.series).toHaveLength(60);
    expect(out.series[0]).toMatchObject({ tSec: 0, limitedBy: 'bandwidth-allowance' });
    expect(out.allowanceCounters.sender.bw_out_allowance_exceeded).toBeGreaterThan(0);
    expect(Object.keys(out.boundsGbps)).toContain('sender-vhost');
  });

  it('--baseline-gbps, --burst-gbps and --burst-credit-sec set the allowances; a shorter credit ends the burst sooner', async () => {
    const out = json(await runCli([
      'throughput', '--node', 'cloud-up-to-10g', '--baseline-gbps', '2', '--burst-gbps', '4', '--burst-credit-sec', '300',
      '--datapath', 'kube-proxy-nftables', '--flows', '4', '--duration-sec', '1200', '--json',
    ]));
    expect(out.node.cloud).toMatchObject({ baselineBitsPerSec: 2e9, burstBitsPerSec: 4e9, burstCreditSec: 300 });
    expect(out.burstCreditsExhaustedSec).toBeCloseTo(300, 6);
    expect(out.finalGbps).toBeCloseTo((2e9 * MSS) / FRAME / 1e9, 9);
  });

  it('bare metal 10G: line rate whatever the JIT', async () => {
    const [on, off] = (await Promise.all(['on', 'off'].map((jit) => runCli(['throughput', '--node', 'bare-metal-10g', '--datapath', 'cilium-tc', '--flows', '1', '--duration-sec', '60', '--jit', jit, '--json'])))).map(json) as [Record<string, any>, Record<string, any>];
    expect(on.limitedBy).toBe('line-rate');
    expect(off.finalGbps).toBe(on.finalGbps);
    expect(off.cpu.receiverAggregate.bpfInstructionNs).toBeCloseTo(on.cpu.receiverAggregate.bpfInstructionNs * calibrated('ebpf.interpreterSlowdownFactor'), 9);
  });
});

describe('svcpath throughput tables, help and usage errors', () => {
  it('prints the goodput, the limiter, the phases and the counters', async () => {
    const r = await runCli(['throughput', '--node', 'cloud-up-to-10g', '--datapath', 'cilium-tc', '--flows', '1', '--duration-sec', '3600']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^cloud-up-to-10g: 8 vCPUs at 3\.1 GHz, virtio/);
    expect(r.stdout).toMatch(/^limited by +bandwidth-allowance \(the instance bandwidth allowance\)$/m);
    expect(r.stdout).toMatch(/^burst credits +ran out after \d+ s$/m);
    expect(r.stdout).toMatch(/per-flow-cap \(1 flows\)/);
    expect(r.stdout).toMatch(/^bw_out_allowance_exceeded +[\d,]+ +0$/m);
  });

  it('--help lists the presets with their numbers', async () => {
    const r = await runCli(['throughput', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: svcpath throughput --node bare-metal-10g\|bare-metal-25g\|cloud-up-to-10g/);
    expect(r.stdout).toMatch(/cloud-up-to-10g +cloud-up-to-10g: 8 vCPUs at 3\.1 GHz, virtio, 32 GiB; allowances 1\.00 Gbit\/s baseline/);
  });

  const bad: [string[], RegExp][] = [
    [['--datapath', 'cilium-tc', '--flows', '1', '--duration-sec', '1'], /--node is required; allowed: bare-metal-10g, bare-metal-25g, cloud-up-to-10g/],
    [['--node', 'vm', '--datapath', 'cilium-tc', '--flows', '1', '--duration-sec', '1'], /--node: "vm" is not allowed; allowed: bare-metal-10g, bare-metal-25g, cloud-up-to-10g/],
    [['--node', 'bare-metal-25g', '--burst-gbps', '5', '--datapath', 'cilium-tc', '--flows', '1', '--duration-sec', '1'], /--burst-gbps applies to a cloud preset \(cloud-up-to-10g\); --node bare-metal-25g has no allowances/],
    [['--node', 'cloud-up-to-10g', '--baseline-gbps', '3', '--burst-gbps', '2', '--datapath', 'cilium-tc', '--flows', '1', '--duration-sec', '1'], /--burst-gbps: expected a number >= the baseline \(3 Gbit\/s\), got "2"/],
    [['--node', 'cloud-up-to-10g', '--datapath', 'cilium-tc', '--flows', '0', '--duration-sec', '1'], /--flows: expected an integer in \[1, 1000000\], got "0"/],
    [['--node', 'cloud-up-to-10g', '--datapath', 'cilium-tc', '--flows', '1', '--duration-sec', '10', '--sample-sec', '20'], /--sample-sec: expected a number in \(0, --duration-sec = 10\], got "20"/],
    [['--node', 'cloud-up-to-10g', '--datapath', 'ipvs', '--flows', '1', '--duration-sec', '1'], /--datapath: "ipvs" is not allowed; allowed: kube-proxy-iptables/],
  ];
  for (const [args, message] of bad) {
    it(`exit 2 for ${args.join(' ')}`, async () => {
      const r = await runCli(['throughput', ...args]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    });
  }
});
