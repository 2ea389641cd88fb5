import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './runCli.ts';
import { defaultL7ProxyParams } from '../../model/controlplane/index.ts';

function parseJsonOnly(r: CliResult): Record<string, any> {
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, any>;
}

const base = ['path', '--services', '1000', '--endpoints', '3', '--connections-per-sec', '500', '--json'];

describe('svcpath path --l7-proxy', () => {
  it('on: the established RTT gains at least the proxy\'s CPU time; the datapath\'s own RTT and packets are unchanged', async () => {
    const [plain, off, on] = (await Promise.all([
      runCli([...base, '--datapath', 'cilium-socket-lb']),
      runCli([...base, '--datapath', 'cilium-socket-lb', '--l7-proxy', 'off']),
      runCli([...base, '--datapath', 'cilium-socket-lb', '--l7-proxy', 'on']),
    ])).map(parseJsonOnly);
    expect(off).toEqual(plain);
    expect(plain!.l7ProxyOn).toBe(false);
    expect(on!.l7ProxyOn).toBe(true);
    expect(on!.establishedRttWithoutProxyUs).toEqual(plain!.establishedRttUs);
    expect(on!.firstPacketRttUs).toEqual(plain!.firstPacketRttUs);
    const cpuUs = defaultL7ProxyParams.cpuSecPerRequest * 1e6;
    expect(on!.establishedRttUs.p50).toBeGreaterThan(plain!.establishedRttUs.p50 + cpuUs / 2);
    expect(on!.l7Proxy).toMatchObject({ workers: defaultL7ProxyParams.workers, requestsPerSec: 500 * 10 });
    expect(on!.l7Proxy.cpuNsPerRequest).toBeGreaterThan(cpuUs * 1000);
    // Utilisation law: rate x CPU per request / workers.
    expect(on!.l7Proxy.workerUtilization).toBeCloseTo((5000 * defaultL7ProxyParams.cpuSecPerRequest) / defaultL7ProxyParams.workers, 1);
  });

  it('prints the proxy\'s lines in the table and names the flag in --help', async () => {
    const [table, help] = await Promise.all([
      runCli(['path', '--datapath', 'cilium-tc', '--services', '100', '--endpoints', '2', '--l7-proxy', 'on']),
      runCli(['path', '--help']),
    ]);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^L7 proxy: 10,000 requests\/s through \d+ Envoy workers/m);
    expect(table.stdout).toMatch(/^established, through the L7 proxy +[\d.]+/m);
    expect(help.stdout).toContain('--l7-proxy on|off');
  });

  it('refuses it for kube-proxy datapaths and bad values (exit 2, naming flag, value and what is allowed)', async () => {
    const [kp, bad] = await Promise.all([
      runCli(['path', '--datapath', 'kube-proxy-iptables', '--services', '10', '--endpoints', '1', '--l7-proxy', 'on']),
      runCli(['path', '--datapath', 'cilium-tc', '--services', '10', '--endpoints', '1', '--l7-proxy', 'yes']),
    ]);
    expect(kp.status).toBe(2);
    expect(kp.stderr).toMatch(/--l7-proxy on applies to the Cilium datapaths \(cilium-tc, cilium-socket-lb\), got --datapath kube-proxy-iptables/);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--l7-proxy: "yes" is not allowed; allowed: on, off/);
  });
});
