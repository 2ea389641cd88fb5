import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.ts';
import { calibrationTable } from '../../model/calibration/index.ts';

describe('svcpath params', () => {
  it('--json prints the whole calibration table as one array of entries', async () => {
    const r = await runCli(['params', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const entries = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(entries).toHaveLength(calibrationTable.length);
    for (const e of entries) {
      expect(e).toMatchObject({ key: expect.any(String), value: expect.any(Number), unit: expect.any(String), label: expect.stringMatching(/^(sourced|derived|assumption)$/), source: expect.any(String) });
    }
    expect(entries.find((e) => e.key === 'conntrack.kubeProxyMaxPerCore')).toMatchObject({ value: 32_768, label: 'sourced' });
    expect(entries.find((e) => e.key === 'lookup.iptablesCacheShareBytes')).toMatchObject({ label: 'assumption', range: [expect.any(Number), expect.any(Number)] });
  });

  it('prints a table with key, value, unit and label, one row per entry, its source wrapped under it', async () => {
    const r = await runCli(['params']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^key +value \[range\] +unit +label$/);
    expect(lines[1]).toBe('    source');
    expect(r.stdout).toMatch(/^conntrack\.kubeProxyMaxPerCore +32,768 +entries per core +sourced\n {4}kubernetes\/kubernetes pkg\/proxy\/apis\/config\/v1alpha1\/defaults\.go/m);
    expect(r.stdout).toMatch(/^lookup\.iptablesRuleCycles +36 \[18, 72\] +cycles +assumption$/m);
    expect(r.stdout).toContain(`${calibrationTable.length} entries of ${calibrationTable.length}`);

    // Each row is followed by its source, indented, wrapped at 120 columns (not a terminal) without losing a word.
    const sources = new Map<string, string[]>();
    let current: string[] = [];
    for (const line of lines.slice(2, lines.indexOf(''))) {
      if (line.startsWith('    ')) current.push(line.trim());
      else sources.set(line.split(' ')[0]!, (current = []));
    }
    expect(sources.size).toBe(calibrationTable.length);
    for (const e of calibrationTable) expect(sources.get(e.key)?.join(' '), e.key).toBe(e.source.replace(/\s+/g, ' ').trim());
    const tooLong = lines.filter((l) => l.startsWith('    ') && l.length > 120 && l.trim().includes(' '));
    expect(tooLong).toEqual([]);
  });

  it('--label filters; a bad label or flag exits 2 naming it', async () => {
    const [derived, badLabel, badFlag] = await Promise.all([
      runCli(['params', '--label', 'derived', '--json']),
      runCli(['params', '--label', 'guess']),
      runCli(['params', '--verbose']),
    ]);
    const entries = JSON.parse(derived.stdout) as { label: string }[];
    expect(entries.length).toBe(calibrationTable.filter((e) => e.label === 'derived').length);
    expect(entries.every((e) => e.label === 'derived')).toBe(true);
    expect(badLabel.status).toBe(2);
    expect(badLabel.stderr).toMatch(/^svcpath params: error: --label: "guess" is not allowed; allowed: sourced, derived, assumption/);
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toMatch(/unknown flag --verbose; allowed: --label, --json/);
  });
});
