/**
 * Where a result came from, for manifest.json: the git revision (read from .git without spawning
 * git when possible), the package's and its dependencies' installed versions, node, host. This is
 * the only place results learn about the machine; none of it goes into the tables.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, cpus, hostname, platform, arch } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface GitRevision {
  revision: string | null;
  /** Branch name, when HEAD is a branch. */
  ref: string | null;
  /** How it was found: ".git" files or the `git` command. */
  source: '.git' | 'git rev-parse' | 'unavailable';
}

function readRef(gitDir: string, commonDir: string, ref: string): string | null {
  for (const dir of [gitDir, commonDir]) {
    const loose = join(dir, ref);
    if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
  }
  const packed = join(commonDir, 'packed-refs');
  if (existsSync(packed)) {
    for (const line of readFileSync(packed, 'utf8').split('\n')) {
      const [sha, name] = line.trim().split(' ');
      if (name === ref && sha !== undefined && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
    }
  }
  return null;
}

export function gitRevision(root = REPO_ROOT): GitRevision {
  try {
    let gitDir = join(root, '.git');
    if (existsSync(gitDir) && statSync(gitDir).isFile()) {
      // a worktree or submodule: ".git" is a file "gitdir: <path>"
      const target = readFileSync(gitDir, 'utf8').replace(/^gitdir:\s*/, '').trim();
      gitDir = isAbsolute(target) ? target : resolve(root, target);
    }
    if (existsSync(join(gitDir, 'HEAD'))) {
      const commonFile = join(gitDir, 'commondir');
      const commonDir = existsSync(commonFile) ? resolve(gitDir, readFileSync(commonFile, 'utf8').trim()) : gitDir;
      const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
      if (/^[0-9a-f]{40,64}$/.test(head)) return { revision: head, ref: null, source: '.git' };
      const ref = head.replace(/^ref:\s*/, '');
      const sha = readRef(gitDir, commonDir, ref);
      if (sha !== null) return { revision: sha, ref: ref.replace(/^refs\/heads\//, ''), source: '.git' };
    }
  } catch {
    // fall through to git itself
  }
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { revision: sha, ref: null, source: 'git rev-parse' };
  } catch {
    return { revision: null, ref: null, source: 'unavailable' };
  }
}

export interface Versions {
  svcpath: string;
  node: string;
  /** Installed version of every dependency in package.json (or "not installed"). */
  dependencies: Record<string, string>;
}

export function versions(root = REPO_ROOT): Versions {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
    dependencies?: Record<string, string>;
  };
  const dependencies: Record<string, string> = {};
  for (const name of Object.keys(pkg.dependencies ?? {}).sort()) {
    try {
      const dep = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
      dependencies[name] = dep.version;
    } catch {
      dependencies[name] = 'not installed';
    }
  }
  return { svcpath: pkg.version, node: process.version, dependencies };
}

export function hostInfo(): Record<string, string | number> {
  return {
    hostname: hostname(),
    platform: platform(),
    arch: arch(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    availableParallelism: availableParallelism(),
  };
}
