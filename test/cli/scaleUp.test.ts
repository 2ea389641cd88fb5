import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './runCli.ts';

function parseJsonOnly(r: CliResult): Record<string, any> {
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, any>;
}

describe('svcpath scale-up --json', () => {
  it('newIdentities is 0 with the same labels and R - 1 without; timeToReachableSec and droppedRequests with causes', async () => {
    const [same, distinct] = (await Promise.all([
      runCli(['scale-up', '--replicas', '100', '--nodes', '10', '--json']),
      runCli(['scale-up', '--replicas', '100', '--nodes', '10', '--same-labels', 'false', '--json']),
    ])).map(parseJsonOnly);
    expect(same!.newIdentities).toBe(0);
    expect(distinct!.newIdentities).toBe(99);
    for (const out of [same!, distinct!]) {
      for (const q of ['p50', 'p99', 'max']) expect(typeof out.timeToReachableSec[q], q).toBe('number');
      for (const c of ['total', 'reservedInit', 'ipcache', 'policy']) expect(typeof out.droppedRequests[c], c).toBe('number');
      expect(out.timeToReachableSec.p50).toBeLessThanOrEqual(out.timeToReachableSec.p99);
      expect(out.timeToReachableSec.p99).toBeLessThanOrEqual(out.timeToReachableSec.max);
      expect(out).toMatchObject({ replicas: 100, nodes: 10, newPods: 99 });
    }
  });

  it('a lagging pod watch gives reserved:init drops; crowding the pods onto few nodes hits the endpoint API limiter', async () => {
    const [lag, crowded] = (await Promise.all([
      runCli(['scale-up', '--replicas', '30', '--nodes', '30', '--pod-watch-lag-sec', '5', '--json']),
      runCli(['scale-up', '--replicas', '100', '--nodes', '1', '--json']),
    ])).map(parseJsonOnly);
    expect(lag!.reservedInitEndpoints).toBeGreaterThan(0);
    expect(lag!.droppedRequests.reservedInit).toBeGreaterThan(0);
    expect(crowded!.endpointCreateRejections).toBeGreaterThan(0);
  });
});

describe('svcpath scale-up table and help', () => {
  it('prints identities, reachability and drops by cause', async () => {
    const r = await runCli(['scale-up', '--replicas', '20', '--nodes', '4']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^scale-up 1 -> 20 replicas over 4 nodes/);
    expect(r.stdout).toMatch(/^new identities +0$/m);
    expect(r.stdout).toMatch(/^ +reserved:init \(new pod without its labels\) +[\d.]+$/m);
  });

  it('--help names every flag', async () => {
    const r = await runCli(['scale-up', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: svcpath scale-up --replicas R --nodes N \[--same-labels true\|false\]/);
    for (const flag of ['--egress-policy', '--pod-watch-lag-sec', '--auto-adjust', '--requests-per-sec', '--seed', '--json']) expect(r.stdout).toContain(flag);
  });
});

describe('svcpath scale-up usage errors (exit 2)', () => {
  const cases: [string, string[], RegExp][] = [
    ['one replica', ['--replicas', '1', '--nodes', '2'], /--replicas: expected an integer in \[2, 10000\], got "1"/],
    ['bad labels', ['--replicas', '10', '--nodes', '2', '--same-labels', 'yes'], /--same-labels: "yes" is not allowed; allowed: true, false/],
    ['bad lag', ['--replicas', '10', '--nodes', '2', '--pod-watch-lag-sec', '-3'], /--pod-watch-lag-sec: expected a number in \[0, 600\], got "-3"/],
    ['missing nodes', ['--replicas', '10'], /--nodes is required/],
  ];

  it('rejects each malformed invocation naming flag, value and what is allowed', async () => {
    const results = await Promise.all(cases.map(([, args]) => runCli(['scale-up', ...args])));
    results.forEach((r, i) => {
      const [name, args, pattern] = cases[i]!;
      const where = `${name}: ${args.join(' ')}\n${r.stderr}`;
      expect(r.status, where).toBe(2);
      expect(r.stderr, where).toMatch(pattern);
      expect(r.stderr, where).toMatch(/usage: svcpath scale-up --replicas R/);
    });
  });
});
