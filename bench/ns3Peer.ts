/**
 * The ns-3 peer of the pipeline bench: bench/peers/ns3_pipeline.cc, compiled on demand against the
 * installed ns-3 (Debian's libns3-dev, found through pkg-config) into a cache folder outside the
 * repository, then run with the bench's workload. The binary is named by a hash of the source, the
 * ns-3 version and the compiler command, so an edit or an upgrade recompiles it once.
 *
 * Cache folder: $SVCPATH_CACHE_DIR, else $XDG_CACHE_HOME/svcpath, else ~/.cache/svcpath.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('./peers/ns3_pipeline.cc', import.meta.url));
const NS3_MODULES = ['ns3-core', 'ns3-network', 'ns3-internet', 'ns3-point-to-point', 'ns3-applications'];
const CXX_FLAGS = ['-O2', '-std=c++17'];

export const NS3_INSTALL_HINT =
  'install ns-3 and a compiler (Debian/Ubuntu: apt-get install -y libns3-dev libgsl-dev pkg-config g++), then run the bench again';

export type Ns3Transport = 'tcp' | 'udp';

export interface Ns3Binary {
  readonly path: string;
  /** ns-3's version as pkg-config reports it (e.g. 3.37). */
  readonly version: string;
}

export interface Ns3Run {
  readonly transport: Ns3Transport;
  /** Packets the two devices sent (handshakes, ACKs and FINs included). */
  readonly packets: number;
  readonly events: number;
  /** Wall time of Simulator::Run. */
  readonly wallSec: number;
  readonly packetsPerSec: number;
  readonly simulatedSec: number;
}

/** The TCP workload (the same as our pipeline's) or the UDP echo's size. */
export interface Ns3Workload {
  readonly connections: number;
  readonly connectionsPerSec: number;
  readonly requestsPerConnection: number;
  readonly requestBytes: number;
  readonly responseBytes: number;
  /** UDP echo requests (two packets each). */
  readonly udpRequests: number;
  readonly linkBitsPerSec: number;
  /** Propagation delay of the link, one way. */
  readonly wireNs: number;
  /** Application wake-up, client and server. */
  readonly wakeupNs: number;
  /** Server time per request after its wake-up. */
  readonly serverNs: number;
}

function cacheDir(): string {
  if (process.env.SVCPATH_CACHE_DIR) return process.env.SVCPATH_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'svcpath');
}

function run(cmd: string, args: string[]): { ok: true; out: string } | { ok: false; why: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.error !== undefined) return { ok: false, why: `${cmd}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, why: `${cmd} ${args.slice(0, 3).join(' ')}...: ${(r.stderr || '').trim().slice(-1500)}` };
  return { ok: true, out: r.stdout.trim() };
}

/** The compiled peer, compiling it first if the cache has no binary for this source and ns-3; or why not. */
export function ns3Binary(log: (line: string) => void = () => {}): Ns3Binary | { unavailable: string } {
  const version = run('pkg-config', ['--modversion', 'ns3-core']);
  if (!version.ok) return { unavailable: `ns-3 not found (pkg-config knows no ns3-core): ${NS3_INSTALL_HINT}` };
  const flags = run('pkg-config', ['--cflags', '--libs', ...NS3_MODULES]);
  if (!flags.ok) return { unavailable: `ns-3 ${version.out} lacks a module the peer needs (${NS3_MODULES.join(', ')}): ${flags.why}` };
  const cxx = run('g++', ['--version']);
  if (!cxx.ok) return { unavailable: `no C++ compiler (g++) to build the ns-3 peer: ${NS3_INSTALL_HINT}` };
  const args = [...CXX_FLAGS, '-o', '<out>', SOURCE, ...flags.out.split(/\s+/).filter((f) => f !== '')];
  const key = createHash('sha256')
    .update(readFileSync(SOURCE))
    .update(`\0${version.out}\0${cxx.out.split('\n')[0]}\0${args.join(' ')}`)
    .digest('hex')
    .slice(0, 16);
  const dir = cacheDir();
  const path = join(dir, `ns3_pipeline-${key}`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    log(`compiling the ns-3 peer (ns-3 ${version.out}) into ${path} (once per source and ns-3 version)...`);
    const built = run('g++', args.map((a) => (a === '<out>' ? tmp : a)));
    if (!built.ok) {
      rmSync(tmp, { force: true });
      return { unavailable: `compiling bench/peers/ns3_pipeline.cc failed: ${built.why}` };
    }
    renameSync(tmp, path);
  }
  return { path, version: version.out };
}

/** One run of the peer; its own JSON line, checked. */
export function runNs3(binary: Ns3Binary, transport: Ns3Transport, w: Ns3Workload, seed: number): Ns3Run {
  // Integers written out in full: ns-3's CommandLine reads "1e10" as 1.
  const int = (v: number): string => BigInt(Math.round(v)).toString();
  const link = [`--linkBitsPerSec=${int(w.linkBitsPerSec)}`, `--wireNs=${int(w.wireNs)}`];
  const args =
    transport === 'tcp'
      ? [`--connections=${int(w.connections)}`, `--rate=${w.connectionsPerSec}`, `--requests=${int(w.requestsPerConnection)}`,
          `--requestBytes=${int(w.requestBytes)}`, `--responseBytes=${int(w.responseBytes)}`, `--wakeupNs=${int(w.wakeupNs)}`,
          `--serverNs=${int(w.serverNs)}`]
      : [`--requests=${int(w.udpRequests)}`];
  const r = run(binary.path, [`--transport=${transport}`, ...link, ...args, `--seed=${int(seed)}`]);
  if (!r.ok) throw new Error(`the ns-3 peer failed: ${r.why}`);
  const j = JSON.parse(r.out.split('\n').pop()!);
  if (!(j.packets > 0 && j.wallSec > 0)) throw new Error(`the ns-3 peer printed no packets: ${r.out}`);
  return { transport, packets: j.packets, events: j.events, wallSec: j.wallSec, packetsPerSec: j.packetsPerSec, simulatedSec: j.simulatedSec };
}
