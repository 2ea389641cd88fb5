import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './runCli.ts';
import { EXPERIMENTS } from '../../experiments/index.ts';
import { importCluster } from '../../experiments/cluster/importCluster.ts';
import { clusterItems, devCluster, kubeProxyConfigMap, kubeProxyNatTable, kubectlList } from '../cluster/clusterFixtures.ts';

describe('svcpath start', () => {
  it('start --quick runs every registered experiment and writes the offline report; a second start reuses them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svcpath-start-'));
    try {
      const first = await runCli(['start', '--quick', '--results', dir]);
      expect(first.status, first.stderr).toBe(0);
      for (const exp of EXPERIMENTS) {
        for (const f of ['runs.arrow', 'summary.arrow', 'manifest.json']) expect(existsSync(join(dir, exp.name, f)), `${exp.name}/${f}`).toBe(true);
      }
      const html = readFileSync(join(dir, 'index.html'), 'utf8');
      for (const exp of EXPERIMENTS) expect(html).toContain(exp.question);
      const runsBefore = readFileSync(join(dir, EXPERIMENTS[0]!.name, 'runs.arrow'));
      const second = await runCli(['start', '--quick', '--results', dir]);
      expect(second.status, second.stderr).toBe(0);
      // Every task of every experiment is reused: "N tasks (N already done)".
      const counts = [...second.stderr.matchAll(/(\d+) tasks \((\d+) already done\)/g)];
      expect(counts.length).toBe(EXPERIMENTS.length);
      for (const m of counts) expect(m[2]).toBe(m[1]);
      expect(readFileSync(join(dir, EXPERIMENTS[0]!.name, 'runs.arrow')).equals(runsBefore)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);

  it('start --quick --cluster runs every experiment that takes a cluster on it, beside the defaults, with charts that keep their data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svcpath-start-cluster-'));
    try {
      const dev = devCluster();
      const file = (name: string, text: string): string => {
        writeFileSync(join(dir, name), text);
        return join(dir, name);
      };
      const profile = await importCluster(
        [
          { path: file('dev.json', kubectlList(clusterItems(dev.services, dev.nodes, dev.extras))) },
          { path: file('cm.json', JSON.stringify(kubeProxyConfigMap('', '5s'))) },
          { path: file('nat.txt', kubeProxyNatTable(dev.services, 5).text) },
        ],
        { name: 'dev' },
      );
      const profileFile = file('dev-profile.json', JSON.stringify(profile));
      const results = join(dir, 'results');
      const r = await runCli(['start', '--quick', '--cluster', profileFile, '--results', results]);
      expect(r.status, r.stderr).toBe(0);
      // A chart whose filters select no row renders with a note (an infinite extent): none may.
      expect(r.stderr).not.toMatch(/: note: /);
      const taking = EXPERIMENTS.filter((e) => e.cluster !== undefined);
      expect(taking.length).toBeGreaterThanOrEqual(EXPERIMENTS.length - 2);
      for (const e of EXPERIMENTS) expect(existsSync(join(results, `${e.name}-on-dev`, 'manifest.json')), e.name).toBe(e.cluster !== undefined);
      const html = readFileSync(join(results, 'index.html'), 'utf8');
      for (const e of taking) {
        const m = JSON.parse(readFileSync(join(results, `${e.name}-on-dev`, 'manifest.json'), 'utf8')) as { base: object; cluster: { fromProfile: object; uses: string } };
        expect(m.cluster.uses, e.name).toBe(e.cluster!.uses);
        expect(m.base, e.name).toMatchObject(m.cluster.fromProfile);
        expect(html).toContain(`${e.name} on cluster &quot;dev&quot;`);
      }
      const bad = await runCli(['start', '--quick', '--cluster', profileFile, '--node-class', 'nope', '--results', results]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/--node-class: node class "nope" is not in the profile/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);

  it('start rejects unknown flags with exit 2', async () => {
    const r = await runCli(['start', '--fast']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown flag --fast/);
  });
});
