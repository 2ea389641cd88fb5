import { calibrated } from '../../model/calibration/index.ts';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './runCli.ts';

function parseJsonOnly(r: CliResult): Record<string, any> {
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, any>;
}

const LATENCY_KEYS = ['p50', 'p90', 'p99', 'p999', 'mean'];

describe('svcpath path --json', () => {
  it('a bare run answers "what does one connection see?" on the default node, with every required field', async () => {
    const [ipt, sock] = (
      await Promise.all([
        runCli(['path', '--datapath', 'kube-proxy-iptables', '--services', '30000', '--endpoints', '3', '--json']),
        runCli(['path', '--datapath', 'cilium-socket-lb', '--services', '30000', '--endpoints', '3', '--json']),
      ])
    ).map(parseJsonOnly);
    for (const out of [ipt!, sock!]) {
      for (const k of ['firstPacketRttUs', 'establishedRttUs']) for (const q of LATENCY_KEYS) expect(typeof out[k][q], `${k}.${q}`).toBe('number');
      for (const k of ['cpuNsPerPacket', 'dropFraction', 'throughputPps', 'conntrackEntries', 'conntrackMemoryBytes']) expect(typeof out[k], k).toBe('number');
      expect(out).toMatchObject({ services: 30_000, endpointsPerService: 3, cores: 8, cpuFreqHz: 3.6e9, governor: 'performance', nic: 'physical-10g', jit: true, connectionsPerSec: 1000, requestsPerConnection: 10, dropFraction: 0 });
      expect(out.perPacketNs.totalNs).toBeCloseTo(out.cpuNsPerPacket, 6);
    }
    // 30k Services: the iptables first packet walks ~15k rules (at least the calibrated per-rule cost
    // each, at the 3.6 GHz clock); socket-LB looks nothing up per packet.
    const walkUs = (15_000 * calibrated('lookup.iptablesRuleCycles')) / 3.6e3;
    expect(ipt!.firstPacketRttUs.p50 - sock!.firstPacketRttUs.p50).toBeGreaterThan(walkUs);
    expect(sock!.serviceLookups.perPacket).toBe(0);
    expect(ipt!.conntrackImpl).toBe('nf_conntrack');
    expect(sock!.conntrackImpl).toBe('cilium-ct');
    // A light run: the whole window, nothing dropped or sent again.
    for (const out of [ipt!, sock!]) {
      expect(out).toMatchObject({ shortenedByPacketBudget: false, retransmissions: { syn: 0, synAck: 0, request: 0, response: 0, fin: 0, finAck: 0 } });
      expect(out.measuredSec).toBeGreaterThan(1);
    }
  });

  it('a high rate shortens the run to the packet budget and says so; drops show up as retransmissions by kind', async () => {
    const out = parseJsonOnly(
      await runCli(['path', '--datapath', 'cilium-socket-lb', '--services', '100', '--endpoints', '3', '--connections-per-sec', '50000', '--cores', '2', '--governor', 'powersave', '--json']),
    );
    expect(out.shortenedByPacketBudget).toBe(true);
    expect(out.measuredSec).toBeLessThan(1);
    expect(out.throughputPps * out.measuredSec).toBeCloseTo(out.packets.processed, 3);
    expect(out.packets.droppedRxRing).toBeGreaterThan(0);
    const t = out.retransmissions as Record<string, number>;
    expect(t.synAck! + t.response! + t.finAck!).toBeGreaterThan(0);
    expect(out.connections.retried).toBeGreaterThan(0);
  });

  it('flags reach the model: fewer, slower cores and JIT off', async () => {
    const base = ['path', '--datapath', 'cilium-tc', '--services', '1000', '--endpoints', '2', '--connections-per-sec', '500', '--requests-per-connection', '3', '--seed', '9', '--json'];
    const [fast, slow] = (await Promise.all([runCli(base), runCli([...base, '--cores', '2', '--cpu-ghz', '2', '--governor', 'powersave', '--nic', 'virtio', '--jit', 'off'])])).map(parseJsonOnly);
    expect(slow).toMatchObject({ cores: 2, cpuFreqHz: 2e9, governor: 'powersave', nic: 'virtio', jit: false, seed: 9, requestsPerConnection: 3, connectionsPerSec: 500 });
    expect(slow!.firstPacketRttUs.p50).toBeGreaterThan(fast!.firstPacketRttUs.p50);
    expect(slow!.perPacketNs.bpfInstructionNs).toBeGreaterThan(3 * fast!.perPacketNs.bpfInstructionNs);
  });
});

describe('svcpath path table and help', () => {
  it('prints the RTT quantiles and where the CPU time goes', async () => {
    const r = await runCli(['path', '--datapath', 'kube-proxy-nftables', '--services', '5000', '--endpoints', '3']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^kube-proxy-nftables: 5,000 Services x 3 endpoints; 1,000 connections\/s x 10 requests; 8 cores at 3\.6 GHz \(performance, icelake-sp down to c1e\)/);
    expect(r.stdout).toMatch(/^first packet \(connect -> SYN-ACK\) +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+/m);
    expect(r.stdout).toMatch(/^CPU ns per packet +nic +stack +conntrack +lookup +bpf +connect +total$/m);
    expect(r.stdout).toMatch(/^conntrack +nf_conntrack: [\d,]+ of 262,144 entries/m);
    expect(r.stdout).toMatch(/^connections +[\d,]+ measured, 0 retransmitted a packet, 0 failed$/m);
    expect(r.stdout).toMatch(/^retransmissions +SYN 0, SYN-ACK 0, request 0, response 0, FIN 0, FIN-ACK 0$/m);
    expect(r.stdout).toMatch(/^measured window +1\.90 s after 0\.100 s of warm-up$/m);
  });

  it('a shortened run says how long it measured and why', async () => {
    const r = await runCli(['path', '--datapath', 'kube-proxy-nftables', '--services', '100', '--endpoints', '3', '--connections-per-sec', '100000']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^measured window +0\.\d+ s after 0\.\d+ s of warm-up \(shortened from 1\.9 s: a run simulates about 1,000,000 packets\)$/m);
  });

  it('--help states the defaults (the typical node)', async () => {
    const r = await runCli(['path', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: svcpath path --datapath kube-proxy-iptables\|kube-proxy-nftables\|cilium-tc\|cilium-socket-lb/);
    expect(r.stdout).toMatch(/8 cores at 3\.6 GHz \(performance governor; icelake-sp, idle states down to\s+c1e\), physical-10g NIC, JIT on/);
    expect(r.stdout).toMatch(/1000 connections\/s of 10 requests/);
  });
});

describe('svcpath path: the tail and what makes it', () => {
  it('the table says why p99 is slow; the JSON splits every RTT into causes that add up, with the idle states and the softirq budget', async () => {
    const args = ['path', '--datapath', 'kube-proxy-nftables', '--services', '100', '--endpoints', '3', '--connections-per-sec', '300', '--idle-state', 'c6', '--loss-fraction', '0.01'];
    const [table, json] = await Promise.all([runCli(args), runCli([...args, '--json'])]);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^why is p99 slow \(µs per message\) +first p50 +first >=p99 +first >=p99\.9 +est\. p50 +est\. >=p99 +est\. >=p99\.9$/m);
    for (const label of ['idle-state exits', 'waiting for a core', 'ksoftirqd', 'Service lookup \\(warm\\)', 'interrupt moderation', 'application wake-ups', 'retransmission timeouts']) {
      expect(table.stdout).toMatch(new RegExp(`^${label} +[\\d.]+`, 'm'));
    }
    expect(table.stdout).toMatch(/^RTT \(µs\) +p01 +p50 +p90 +p99 +p99\.9 +mean +samples$/m);
    expect(table.stdout).toMatch(/^idle states +icelake-sp, deepest c6; wake-ups from /m);
    expect(table.stdout).toMatch(/^lost on the wire +\d+ packets/m);
    const out = parseJsonOnly(json);
    expect(out.idle).toMatchObject({ cpuModel: 'icelake-sp', idleState: 'c6', pmQosLatencyUs: null });
    for (const rtt of ['firstPacket', 'established']) {
      const t = out.tailAttribution[rtt];
      expect(t.maxResidualNs).toBeLessThan(1e-6);
      for (const q of ['p50', 'p99', 'p999']) {
        const total = Object.values(t[q].causesUs as Record<string, number>).reduce((a, b) => a + b, 0);
        expect(total).toBeCloseTo(t[q].rttUs, 6);
      }
    }
    // 1 % loss each way: about 2 % of the handshakes wait the 1 s initial RTO, so the first-packet p99 is past 1 s.
    expect(out.firstPacketRttUs.p99).toBeGreaterThanOrEqual(1e6);
    expect(out.packets.lostOnWire).toBeGreaterThan(0);
  });
});

describe('svcpath path usage errors (exit 2, stderr names the flag, the value and what is allowed)', () => {
  const base = ['--services', '10', '--endpoints', '1'];
  const cases: [string, string[], RegExp][] = [
    ['unknown datapath', ['--datapath', 'ipvs', ...base], /--datapath: "ipvs" is not allowed; allowed: kube-proxy-iptables, kube-proxy-nftables, cilium-tc, cilium-socket-lb/],
    ['missing datapath', base, /--datapath is required; allowed: kube-proxy-iptables/],
    ['services 0', ['--datapath', 'cilium-tc', '--services', '0', '--endpoints', '1'], /--services: expected an integer in \[1, 1000000\], got "0"/],
    ['endpoints 1.5', ['--datapath', 'cilium-tc', '--services', '10', '--endpoints', '1.5'], /--endpoints: expected an integer in \[1, 1000\], got "1\.5"/],
    ['governor', ['--datapath', 'cilium-tc', ...base, '--governor', 'turbo'], /--governor: "turbo" is not allowed; allowed: performance, powersave, ondemand, schedutil, intel_pstate-powersave/],
    ['nic', ['--datapath', 'cilium-tc', ...base, '--nic', '100g'], /--nic: "100g" is not allowed; allowed: physical-10g, physical-25g, virtio/],
    ['jit', ['--datapath', 'cilium-tc', ...base, '--jit', 'maybe'], /--jit: "maybe" is not allowed; allowed: on, off/],
    ['cpu-ghz', ['--datapath', 'cilium-tc', ...base, '--cpu-ghz', '-1'], /--cpu-ghz: expected a number > 0, got "-1"/],
    ['rate', ['--datapath', 'cilium-tc', ...base, '--connections-per-sec', '0'], /--connections-per-sec: expected a number > 0, got "0"/],
    ['unknown flag', ['--datapath', 'cilium-tc', ...base, '--slo-p99-us', '5'], /unknown flag --slo-p99-us; allowed: --datapath/],
    ['idle state', ['--datapath', 'cilium-tc', ...base, '--idle-state', 'c7'], /--idle-state: "c7" is not allowed; allowed: poll, c1, c1e, c6/],
    ['cpu model', ['--datapath', 'cilium-tc', ...base, '--cpu-model', 'z80'], /--cpu-model: "z80" is not allowed; allowed: skylake-sp, icelake-sp, sapphire-rapids, kvm-guest-haltpoll/],
    ['pm qos', ['--datapath', 'cilium-tc', ...base, '--pm-qos-us', '-3'], /--pm-qos-us: expected a number >= 0, got "-3"/],
    ['loss', ['--datapath', 'cilium-tc', ...base, '--loss-fraction', '0.7'], /--loss-fraction: expected a number in \[0, 0\.5\], got "0\.7"/],
    ['cache pressure', ['--datapath', 'cilium-tc', ...base, '--cache-pressure', 'lots'], /--cache-pressure: expected a number >= 0, got "lots"/],
  ];

  it('rejects each malformed invocation', async () => {
    const results = await Promise.all(cases.map(([, args]) => runCli(['path', ...args])));
    results.forEach((r, i) => {
      const [name, args, pattern] = cases[i]!;
      const where = `${name}: ${args.join(' ')}\n${r.stderr}`;
      expect(r.status, where).toBe(2);
      expect(r.stdout, where).toBe('');
      expect(r.stderr, where).toMatch(/^svcpath path: error: /);
      expect(r.stderr, where).toMatch(pattern);
      expect(r.stderr, where).toMatch(/\nusage: svcpath path --datapath /);
    });
  });
});
