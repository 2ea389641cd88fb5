import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.ts';

describe('svcpath path with a VM\'s NIC', () => {
  it('--nic virtio --halt-polling on --json: the VM boundary\'s counters and CPU, the fabric, and the node described as a VM', async () => {
    const [json, table] = await Promise.all([
      runCli(['path', '--datapath', 'cilium-tc', '--services', '100', '--endpoints', '3', '--nic', 'virtio', '--halt-polling', 'on', '--json']),
      runCli(['path', '--datapath', 'cilium-tc', '--services', '100', '--endpoints', '3', '--nic', 'ena', '--posted-interrupts', 'off', '--fabric-us', '12']),
    ]);
    expect(json.status, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as Record<string, any>;
    expect(out.nic).toBe('virtio');
    expect(out.vm).toMatchObject({ hypervisor: 'KVM + QEMU + vhost-net', haltPolling: 'on', postedInterrupts: true });
    for (const k of ['kicksPerPacket', 'guestExitNsPerPacket', 'hostNsPerPacket', 'haltPollNsPerPacket', 'totalCpuNsPerPacket']) expect(typeof out.vm[k], k).toBe('number');
    expect(out.vm.totalCpuNsPerPacket).toBeGreaterThan(out.cpuNsPerPacket);
    expect(out.fabricOneWayUs).toBeCloseTo(1, 6);
    expect(Object.keys(out.tailAttribution.firstPacket.p50.causesUs)).toEqual(expect.arrayContaining(['vmExit', 'hostWakeup', 'host', 'fabric']));
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/8 vCPUs at 3\.6 GHz .*ena on AWS Nitro \(ENA virtual function\) \(halt polling host, no posted interrupts\).*fabric 12 µs one way/);
    for (const label of ['VM exits', 'VM host wake-ups', 'fabric \\(between the nodes\\)', 'VM boundary \\(per packet\\)', 'VM CPU ns per packet']) expect(table.stdout).toMatch(new RegExp(label));
  });

  it('refuses VM flags without a VM\'s NIC and bad values (exit 2, naming the flag)', async () => {
    const base = ['path', '--datapath', 'cilium-tc', '--services', '10', '--endpoints', '1'];
    const cases: [string[], RegExp][] = [
      [['--halt-polling', 'on'], /--halt-polling applies to a VM's NIC \(virtio, ena, gvnic, vmxnet3\); --nic physical-10g has no hypervisor under it/],
      [['--nic', 'physical-25g', '--posted-interrupts', 'off'], /--posted-interrupts applies to a VM's NIC/],
      [['--nic', 'virtio', '--halt-polling', 'always'], /--halt-polling: "always" is not allowed; allowed: off, host, on/],
      [['--nic', 'gvnic', '--fabric-us', '-1'], /--fabric-us: expected a number >= 0, got "-1"/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli([...base, ...args])));
    results.forEach((r, i) => {
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(cases[i]![1]);
    });
  });
});
