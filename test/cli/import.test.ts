/**
 * `svcpath import` as a user runs it: dumps in, a profile file out (atomically, or not at all), the
 * profile's headline fields in --json, usage errors with exit 2, data errors naming the object and
 * the field, and a 50,000-Service List read in bounded memory.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, jsonOnly } from './runCli.ts';
import { clusterItems, devCluster, kubeProxyConfigMap, kubeProxyNatTable, kubectlList, serviceObject, sliceObjects } from '../cluster/clusterFixtures.ts';
import { IPTABLES_SAVE_SAMPLE } from '../cluster/dumpSamples.ts';

let dir: string;
const path = (name: string): string => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'svcpath-import-cli-'));
  const dev = devCluster();
  writeFileSync(path('dev.json'), kubectlList(clusterItems(dev.services, dev.nodes, dev.extras)));
  writeFileSync(path('cm.json'), JSON.stringify(kubeProxyConfigMap('iptables', '1s')));
  writeFileSync(path('nat.txt'), kubeProxyNatTable(dev.services, 5).text);
  writeFileSync(path('ct.txt'), '41234\n');
});

describe('the example dumps in docs/examples/cluster (hand-written, no fixture generator)', () => {
  const example = (name: string): string => join(REPO_ROOT, 'docs', 'examples', 'cluster', name);

  it('import as their files say, and plan with the cloud class capped by its allowances', async () => {
    const out = path('example-profile.json');
    const p = jsonOnly(await runCli(['import', example('cluster.json'), example('kube-system.json'), example('nat.txt'), '--conntrack-count', '41234', '--name', 'example', '--out', out, '--json']));
    // Counted by hand from the files: kubernetes (443), kube-dns (53/UDP, 53/TCP), shop/web (80, a NodePort);
    // endpoints 1 + 2 + 2 + 2 (web's terminating endpoint is not used while two are ready).
    expect(p).toMatchObject({ proxyMode: 'iptables', servicePorts: 4, servicePortsWithEndpoints: 4, kubeServicesRules: 5, conntrackEntries: 41234 });
    expect(p.endpointsPerServicePort).toEqual({ mean: 1.75, p50: 2, p99: 2, max: 2 });
    expect([...p.servicePositions].sort((a: number, b: number) => a - b)).toEqual([1, 2, 3, 4]);
    expect(p.proxy.kubeProxy).toMatchObject({ minSyncPeriodSec: 1, syncPeriodSec: 30 });
    const classes = Object.fromEntries((p.nodeClasses as { name: string; count: number; cpuCores: number; nodePreset: string; controlPlaneNodes: number }[]).map((k) => [k.name, k]));
    expect(classes['m5.2xlarge']).toMatchObject({ count: 3, cpuCores: 8, nodePreset: 'cloud-up-to-10g', controlPlaneNodes: 0 });
    expect(classes['16c-63g']).toMatchObject({ count: 2, cpuCores: 16, nodePreset: 'bare-metal-10g' });
    expect(classes['4c-8g']).toMatchObject({ count: 1, controlPlaneNodes: 1 });
    const plan = jsonOnly(await runCli(['plan', '--cluster', out, '--quick', '--growth', '1', '--datapaths', 'cilium-tc', '--out', path('plan-example'), '--json']));
    const today = (k: string) => (plan.points as { nodeClass: string; factor: number; cloudAllowanceFill: number | null }[]).find((q) => q.nodeClass === k && q.factor === 1)!;
    expect(today('m5.2xlarge').cloudAllowanceFill).toBeGreaterThan(0);
    expect(today('16c-63g').cloudAllowanceFill).toBeNull();
  });
});

describe('svcpath import', () => {
  it('--json prints the profile with the headline fields, and writes the same profile to --out', async () => {
    const out = path('dev-profile.json');
    const p = jsonOnly(await runCli(['import', path('dev.json'), path('cm.json'), path('nat.txt'), path('ct.txt'), '--name', 'dev', '--out', out, '--json']));
    expect(p).toMatchObject({ name: 'dev', proxyMode: 'iptables', primaryFamily: 'IPv4', conntrackEntries: 41234 });
    expect(p.servicePorts).toBeGreaterThan(p.servicePortsWithEndpoints);
    expect(typeof p.kubeServicesRules).toBe('number');
    expect(p.servicePositions).toHaveLength(p.servicePortsWithEndpoints);
    for (const q of ['mean', 'p50', 'p99', 'max']) expect(typeof p.endpointsPerServicePort[q], q).toBe('number');
    for (const k of p.nodeClasses) for (const f of ['cpuCores', 'memoryBytes', 'kernelVersion', 'count']) expect(k[f], f).toBeDefined();
    expect(Object.keys(p.skipped).length).toBeGreaterThan(0);
    expect(p.sources.map((s: { format: string }) => s.format)).toEqual(['kubectl-json', 'kubectl-json', 'iptables-save', 'conntrack-count']);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(p);
  });

  it('prints a summary table with the proxy, the Services, the node classes, what was skipped and where the dumps disagree', async () => {
    const r = await runCli(['import', path('dev.json'), '--iptables-save', path('nat.txt'), '--out', path('t.json')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^cluster profile "dev" written to .*t\.json$/m);
    expect(r.stdout).toMatch(/^proxy +iptables \(modelled as kube-proxy-iptables\)/m);
    expect(r.stdout).toMatch(/^node class +nodes +cores +GiB +kernel/m);
    expect(r.stdout).toMatch(/^m5\.2xlarge +3 +8 +30\.9 +5\.15\.0-1051-aws +cloud-up-to-10g/m);
    expect(r.stdout).toMatch(/^kind Pod \(not used\) +1$/m);
  });

  it('reads a hand-written iptables-save on its own (no objects): the profile comes from the rules, and says so', async () => {
    writeFileSync(path('sample-nat.txt'), IPTABLES_SAVE_SAMPLE);
    const p = jsonOnly(await runCli(['import', path('sample-nat.txt'), '--out', path('rules-only.json'), '--json']));
    expect(p).toMatchObject({ proxyMode: 'iptables', servicePortsWithEndpoints: 5, kubeServicesRules: 7, servicePositions: [1, 2, 3, 5, 6], nodeClasses: [] });
    expect(p.warnings.join('\n')).toMatch(/no Service objects in the dumps/);
  });

  it('usage errors exit 2 naming the flag or the file', async () => {
    const noFiles = await runCli(['import']);
    expect(noFiles.status).toBe(2);
    expect(noFiles.stderr).toMatch(/give at least one dump FILE/);
    const missing = await runCli(['import', path('nope.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json" is not a file/);
    const flag = await runCli(['import', path('dev.json'), '--bogus', '1']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/unknown flag --bogus; allowed: .*--iptables-save/);
    const name = await runCli(['import', path('dev.json'), '--name', 'a b']);
    expect(name.status).toBe(2);
    expect(name.stderr).toMatch(/--name: "a b" is not allowed/);
  });

  it('a malformed object fails the import naming the object and the field, and leaves --out as it was', async () => {
    const bad = path('bad.json');
    writeFileSync(bad, kubectlList([serviceObject({ namespace: 'shop', name: 'ok', ports: [{ name: 'http', port: 80 }] }), { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: 'eight', memory: '1Gi' }, nodeInfo: { kernelVersion: '6.1' } } }]));
    const out = path('kept.json');
    writeFileSync(out, 'previous');
    const r = await runCli(['import', bad, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.json: items\[1\]: Node\/n1: status\.capacity\.cpu: "eight" is not a quantity/);
    expect(readFileSync(out, 'utf8')).toBe('previous');
    const fresh = path('never.json');
    await runCli(['import', bad, '--out', fresh]);
    expect(existsSync(fresh)).toBe(false);
  });

  it('--help names every flag and the dumps it reads', async () => {
    const r = await runCli(['import', '--help']);
    expect(r.status).toBe(0);
    for (const f of ['--iptables-save', '--nft', '--cilium-service-list', '--cilium-lb-list', '--conntrack-count', '--name', '--out', '--json']) expect(r.stdout).toContain(f);
    for (const d of ['kubectl get services,endpointslices,nodes -A -o json', 'iptables-save', 'nft list ruleset', 'cilium service list', 'conntrack -C']) expect(r.stdout).toContain(d);
  });
});

describe('50,000 Services in one file', () => {
  const big = (): string => path('big.json');
  beforeAll(async () => {
    // One typed Service and slice as templates; the copies differ in names and addresses.
    const svc = JSON.stringify(serviceObject({ namespace: 'NS', name: 'NAME', ports: [{ name: 'http', port: 80 }] }));
    const slice = JSON.stringify(sliceObjects({ namespace: 'NS', name: 'NAME', ports: [{ name: 'http', port: 80 }], endpoints: { IPv4: [{ address: 'A.1' }, { address: 'A.2' }, { address: 'A.3' }] } })[0]);
    const out = createWriteStream(big());
    out.write('{\n    "apiVersion": "v1",\n    "items": [\n');
    for (let i = 0; i < 50_000; i++) {
      const fill = (t: string): string => t.replaceAll('"NS"', `"ns-${i % 500}"`).replaceAll('NAME', `svc-${i}`).replaceAll('A.', `10.${(i >> 8) & 255}.${i & 255}.`);
      out.write(`${i ? ',\n' : ''}${fill(svc)},\n${fill(slice)}`);
    }
    out.end('\n    ],\n    "kind": "List",\n    "metadata": {"resourceVersion": ""}\n}\n');
    await new Promise<void>((resolve) => out.on('finish', () => resolve()));
  }, 120_000);

  it('is read in memory bounded by its largest object: the whole file does not fit the heap the reader runs in', async () => {
    const size = readFileSync(big()).length;
    const heapMiB = 32;
    expect(size).toBeGreaterThan(heapMiB * 2 ** 20);
    const script = `import { readDumpItems } from ${JSON.stringify(join(REPO_ROOT, 'experiments/cluster/jsonItems.ts'))};
let n = 0; for await (const _ of readDumpItems(${JSON.stringify(big())})) n++; console.log(n);`;
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [`--max-old-space-size=${heapMiB}`, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(r.status, r.stderr.slice(-500)).toBe(0);
    expect(r.stdout.trim()).toBe('100000');
  });

  it('imports every Service and its endpoints', async () => {
    const p = jsonOnly(await runCli(['import', big(), '--out', path('big-profile.json'), '--json']));
    expect(p.services.total).toBe(50_000);
    expect(p.servicePortsWithEndpoints).toBe(50_000);
    expect(p.endpointsPerServicePort).toEqual({ mean: 3, p50: 3, p99: 3, max: 3 });
  });
});
