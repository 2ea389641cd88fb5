/**
 * `svcpath run NAME --cluster FILE [--node-class NAME]`: an experiment on a user's cluster takes
 * the base values its `cluster` hook reads from the profile, its scenarios simulate the node
 * class's node and iptables' real positions, the study's identity carries the profile's hash and
 * the class (so --resume and merge cannot mix clusters, and plain studies keep their
 * fingerprints), the tables stay byte-identical for any worker count or shard split, and an
 * experiment with nothing to take from a cluster refuses it, naming those that take one.
 * (Every such experiment's quick run on a cluster, and its charts: test/cli/start.test.ts.)
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCluster } from '../../experiments/cluster/importCluster.ts';
import { canonicalJson } from '../../experiments/lib/canonicalJson.ts';
import { arrowRows } from '../../experiments/lib/charts.ts';
import { experimentRefFor } from '../../experiments/lib/loadExperiment.ts';
import { identityOf, studyIdentity } from '../../experiments/lib/manifest.ts';
import { mergeStudies } from '../../experiments/lib/mergeStudies.ts';
import { writeReport } from '../../experiments/lib/report.ts';
import { defaultOutDir, runStudy, StudyInputError } from '../../experiments/lib/runStudy.ts';
import { loadExperiment } from '../../experiments/lib/loadExperiment.ts';
import { serviceScalingScenario } from '../../experiments/serviceScaling.ts';
import { RandomStreams } from '../../model/engine/randomStreams.ts';
import type { ClusterProfile } from '../../model/cluster/clusterProfile.ts';
import { clusterPositionsAt, nodeClassOf, type ClusterInput } from '../../model/cluster/clusterSpecs.ts';
import { clusterItems, devCluster, kubeProxyConfigMap, kubeProxyNatTable, kubectlList } from '../cluster/clusterFixtures.ts';
import { runCli } from '../cli/runCli.ts';
import { manifestOf, readTable, removeTempDirs, tableBytes, tempDir } from './runnerHelpers.ts';

let dir: string;
let profile: ClusterProfile;
let profileFile: string;
/** The class the runs default to: the largest with workers (m5.2xlarge, 3 nodes of 8 cores). */
let defaultClass: string;

beforeAll(async () => {
  dir = tempDir('cluster-run');
  const dev = devCluster();
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  profile = await importCluster(
    [
      { path: file('dev.json', kubectlList(clusterItems(dev.services, dev.nodes, dev.extras))) },
      { path: file('cm.json', JSON.stringify(kubeProxyConfigMap('', '5s'))) },
      { path: file('nat.txt', kubeProxyNatTable(dev.services, 5).text) },
    ],
    { name: 'dev' },
  );
  profileFile = file('dev-profile.json', JSON.stringify(profile));
  defaultClass = nodeClassOf(profile)!.name;
});

afterAll(removeTempDirs);

const onCluster = (nodeClass?: string) => ({ profile, file: profileFile, ...(nodeClass !== undefined ? { nodeClass } : {}) });

describe('an experiment on a cluster', () => {
  it('service-scaling: endpoints from the profile, the cluster\'s own Service count in the sweep, the cluster recorded in the manifest', async () => {
    const out = tempDir('ss-cluster');
    const r = await runStudy({ experiment: experimentRefFor('service-scaling'), quick: true, outDir: out, cluster: onCluster(), optionalOutputs: false });
    const endpoints = Math.max(1, Math.round(profile.endpointsPerServicePort.mean));
    const chain = profile.kubeServicesRules! - 1;
    expect(r.cluster).toMatchObject({ profile: 'dev', nodeClass: defaultClass, fromProfile: { endpointsPerService: endpoints } });
    const m = manifestOf(out) as { base: Record<string, unknown>; cluster: Record<string, unknown> };
    expect(m.base.endpointsPerService).toBe(endpoints);
    expect(m.cluster).toMatchObject({ profile: 'dev', nodeClass: defaultClass, file: profileFile, fromProfile: { endpointsPerService: endpoints } });
    expect(m.cluster.sha256).toBe(createHash('sha256').update(canonicalJson(profile)).digest('hex'));
    expect((m.cluster.node as { cpuCores: number }).cpuCores).toBe(profile.nodeClasses.find((k) => k.name === defaultClass)!.cpuCores);
    const services = [...new Set(arrowRows(readTable(out, 'summary')).map((row) => row.services as number))];
    expect(services).toContain(chain);
    expect(services).toEqual([...services].sort((a, b) => a - b));
  });

  it('the scenario simulates the class\'s node and walks iptables to the real positions: Services at the end of a long chain cost more than at its start', () => {
    const k = nodeClassOf(profile)!;
    const at = (positions: number[]): ClusterInput => ({ profile: { ...profile, servicePositions: positions, kubeServicesRules: 5001 }, nodeClass: k });
    const params = { datapath: 'kube-proxy-iptables', services: 5000, endpointsPerService: 2, connectionsPerSec: 1000, requestsPerConnection: 10, durationSec: 0.3 };
    const ctx = (cluster: ClusterInput) => ({ seed: 1, replication: 0, streams: new RandomStreams(1, 0), warmup: 0 as const, cluster });
    const front = serviceScalingScenario(params, ctx(at([1, 2, 3])));
    const back = serviceScalingScenario(params, ctx(at([4998, 4999, 5000])));
    expect(back.firstPacketP50Us).toBeGreaterThan(front.firstPacketP50Us);
    // Maps do not care where a Service is.
    const nft = { ...params, datapath: 'kube-proxy-nftables' };
    expect(serviceScalingScenario(nft, ctx(at([4998, 4999, 5000])))).toEqual(serviceScalingScenario(nft, ctx(at([1, 2, 3]))));
  });

  it('conntrack-capacity: the class\'s node replaces the sweep\'s node sizes and nf_conntrack holds what kube-proxy is configured with', async () => {
    const out = tempDir('ct-cluster');
    await runStudy({ experiment: experimentRefFor('conntrack-capacity'), quick: true, outDir: out, cluster: onCluster(), optionalOutputs: false });
    const k = profile.nodeClasses.find((c) => c.name === defaultClass)!;
    const rows = arrowRows(readTable(out, 'summary'));
    expect(new Set(rows.map((row) => row.cores))).toEqual(new Set([k.cpuCores]));
    // kube-proxy's --conntrack-max-per-core from the ConfigMap fixture (65,536) times the class's cores, over its 131,072 minimum.
    const perCore = profile.proxy.kubeProxy!.conntrackMaxPerCore!;
    for (const row of rows.filter((x) => x.impl === 'nf_conntrack')) expect(row.capacityEntries_mean).toBe(Math.max(perCore * k.cpuCores, 131_072));
    if (profile.conntrackEntries !== null) expect(rows.map((row) => row.connections)).toContain(profile.conntrackEntries);
  });

  it('the same inputs give byte-identical tables for 1 and 2 workers and for two shards merged', async () => {
    const exp = experimentRefFor('stale-endpoints');
    const one = tempDir('se-1');
    const two = tempDir('se-2');
    await runStudy({ experiment: exp, quick: true, outDir: one, workers: 1, cluster: onCluster(), optionalOutputs: false });
    await runStudy({ experiment: exp, quick: true, outDir: two, workers: 2, cluster: onCluster(), optionalOutputs: false });
    expect(tableBytes(two, 'runs').equals(tableBytes(one, 'runs'))).toBe(true);
    const shards = [0, 1].map((i) => tempDir(`se-shard-${i}`));
    for (const [i, d] of shards.entries()) {
      await runStudy({ experiment: exp, quick: true, outDir: d, shard: { index: i, count: 2 }, cluster: onCluster(), optionalOutputs: false });
    }
    const merged = tempDir('se-merged');
    await mergeStudies({ dirs: shards, outDir: merged, optionalOutputs: false });
    expect(tableBytes(merged, 'runs').equals(tableBytes(one, 'runs'))).toBe(true);
    expect(tableBytes(merged, 'summary').equals(tableBytes(one, 'summary'))).toBe(true);
    expect((manifestOf(merged) as { cluster: unknown }).cluster).toEqual((manifestOf(one) as { cluster: unknown }).cluster);
  });

  it('--resume refuses a folder of another cluster or node class; a plain study keeps the fingerprint it had before clusters existed', async () => {
    const exp = experimentRefFor('stale-endpoints');
    const out = tempDir('se-resume');
    await runStudy({ experiment: exp, quick: true, outDir: out, cluster: onCluster(), optionalOutputs: false });
    const other = profile.nodeClasses.find((k) => k.name !== defaultClass)!.name;
    await expect(runStudy({ experiment: exp, quick: true, outDir: out, resume: true, cluster: onCluster(other), optionalOutputs: false })).rejects.toThrow(/different study \(differs in cluster\)/);
    await expect(runStudy({ experiment: exp, quick: true, outDir: out, resume: true, optionalOutputs: false })).rejects.toThrow(/differs in [^)]*cluster/);

    const plain = await loadExperiment(exp, { quick: true });
    const id = studyIdentity(plain, 'code');
    expect(Object.keys(id)).not.toContain('cluster');
    const { fingerprint: _, ...core } = id;
    expect(identityOf(core).fingerprint).toBe(id.fingerprint);
  });

  it('hybrid-throughput: the node class joins the node sweep under its own name', async () => {
    const out = tempDir('hy-cluster');
    await runStudy({ experiment: experimentRefFor('hybrid-throughput'), quick: true, outDir: out, cluster: onCluster(), optionalOutputs: false });
    const nodes = new Set(arrowRows(readTable(out, 'summary')).map((row) => row.node));
    expect(nodes).toContain(defaultClass);
    expect(nodes).toContain('bare-metal-10g');
  });

  it('the report titles a cluster run with its cluster and node class', async () => {
    const results = tempDir('report-cluster');
    await runStudy({ experiment: experimentRefFor('kernel-memory'), quick: true, outDir: join(results, 'kernel-memory-on-dev'), cluster: onCluster(), optionalOutputs: false });
    const html = readFileSync(await writeReport(results), 'utf8');
    expect(html).toContain(`kernel-memory on cluster &quot;dev&quot; (node class ${defaultClass})`);
  });

  it('default folders: results/NAME-on-PROFILE, with the shard after it', () => {
    expect(defaultOutDir('latency-tail', undefined, 'Prod EU/1')).toBe(join('results', 'latency-tail-on-prod-eu-1'));
    expect(defaultOutDir('latency-tail', { index: 1, count: 4 }, 'dev')).toBe(join('results', 'latency-tail-on-dev-shard-1-of-4'));
    expect(defaultOutDir('latency-tail')).toBe(join('results', 'latency-tail'));
  });
});

describe('refusals', () => {
  it('an experiment with nothing to take from a cluster refuses --cluster (runner and CLI, exit 2, naming the experiments that take one)', async () => {
    await expect(runStudy({ experiment: experimentRefFor('queue-validation'), quick: true, outDir: tempDir('qv'), cluster: onCluster() })).rejects.toThrow(StudyInputError);
    const r = await runCli(['run', 'queue-validation', '--cluster', profileFile]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--cluster: experiment "queue-validation" does not run on a cluster profile; experiments that do: .*service-scaling/);
  });

  it('a profile without Service ports with endpoints is refused before any worker starts, by every experiment that reads its Services', async () => {
    const empty = { ...profile, name: 'empty', servicePortsWithEndpoints: 0 };
    for (const name of ['service-scaling', 'latency-tail', 'l7-proxy', 'kernel-memory', 'stale-endpoints']) {
      await expect(runStudy({ experiment: experimentRefFor(name), quick: true, outDir: tempDir(`empty-${name}`), cluster: { profile: empty } }), name).rejects.toThrow(
        /--cluster: empty: the profile "empty" has no Service ports with endpoints/,
      );
    }
  });

  it('a bad node class or profile is a usage error naming the flag', async () => {
    const bad = await runCli(['run', 'service-scaling', '--quick', '--cluster', profileFile, '--node-class', 'nope', '--out', tempDir('nc')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--node-class: node class "nope" is not in the profile; allowed: /);
    const alone = await runCli(['run', 'service-scaling', '--node-class', 'x']);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toMatch(/--node-class needs --cluster/);
    const notProfile = join(dir, 'not-a-profile.json');
    writeFileSync(notProfile, '{"schema": "something else"}');
    const broken = await runCli(['run', 'service-scaling', '--cluster', notProfile]);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/--cluster: /);
  });
});

describe('clusterPositionsAt', () => {
  it('stretches the real positions onto any chain length, in range and in order (random profiles)', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const chain = 1 + Math.floor(rand() * 40_000);
      const positions = Array.from({ length: 1 + Math.floor(rand() * 50) }, () => 1 + Math.floor(rand() * chain)).sort((a, b) => a - b);
      const p = { ...profile, kubeServicesRules: chain + 1, servicePositions: positions };
      const services = 1 + Math.floor(rand() * 60_000);
      const got = clusterPositionsAt(p, 'kube-proxy-iptables', services)!;
      expect(got).toHaveLength(positions.length);
      for (let i = 0; i < got.length; i++) {
        expect(got[i]).toBeGreaterThanOrEqual(1);
        expect(got[i]).toBeLessThanOrEqual(services);
        if (i > 0) expect(got[i]).toBeGreaterThanOrEqual(got[i - 1]!);
        // Relative place kept to within rounding: |got/services - p/chain| <= 1/services + 1/chain.
        expect(Math.abs(got[i]! / services - positions[i]! / chain)).toBeLessThanOrEqual(1 / services + 1 / chain + 1e-12);
      }
      expect(clusterPositionsAt(p, 'kube-proxy-iptables', chain)).toEqual(positions);
      expect(clusterPositionsAt(p, 'cilium-tc', services)).toBeUndefined();
    }
  });
});
