import { COMMANDS } from '../../experiments/cli/registry.ts';
import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.ts';

describe('svcpath dispatch', () => {
  it('lists the commands for no arguments, --help and help, exit 0', async () => {
    const runs = await Promise.all([runCli([]), runCli(['--help']), runCli(['help'])]);
    for (const r of runs) {
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/usage: svcpath <command>/);
      expect(r.stdout).toMatch(/^ {2}queue {2}/m);
      expect(r.stdout).toMatch(/^ {2}help {3}/m);
    }
  });

  it('prints one command\'s usage for "<cmd> --help" and "help <cmd>"', async () => {
    const [a, b] = await Promise.all([runCli(['queue', '--help']), runCli(['help', 'queue'])]);
    for (const r of [a, b]) {
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^usage: svcpath queue --servers C \(--arrival-rate PER_SEC \| --arrival DIST\) --service DIST/);
    }
    expect(a.stdout).toBe(b.stdout);
  });

  it('rejects an unknown command with exit 2, naming it and listing the commands', async () => {
    const [a, b] = await Promise.all([runCli(['nosuch']), runCli(['help', 'nosuch'])]);
    for (const r of [a, b]) {
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      const names = ['help', ...COMMANDS.map((c) => c.name)].join(', ');
      expect(r.stderr.startsWith(`svcpath: error: unknown command "nosuch"; allowed commands: ${names}`)).toBe(true);
    }
  });

  it('runs through the bin entry (bin/svcpath.js) with the same exit codes', async () => {
    const [help, bad] = await Promise.all([runCli(['queue', '--help'], 'bin/svcpath.js'), runCli(['queue', '--bogus'], 'bin/svcpath.js')]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: svcpath queue /);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^svcpath queue: error: unknown flag --bogus/);
  });
});
