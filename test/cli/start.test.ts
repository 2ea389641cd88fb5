import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './runCli.ts';
import { EXPERIMENTS } from '../../experiments/index.ts';

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

  it('start rejects unknown flags with exit 2', async () => {
    const r = await runCli(['start', '--fast']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown flag --fast/);
  });
});
