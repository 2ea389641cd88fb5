/**
 * `npm run notebooks [-- NAME...]`: writes the Deno kernelspec into notebooks/.jupyter/ and executes
 * every notebook (or the named ones) headless with Jupyter's nbconvert, into results/notebooks/
 * (the executed .ipynb and an .html beside it). A notebook fails on any error or stderr output and
 * when it shows no chart; the exit code is 1 if any failed.
 *
 * The kernel is Deno's (`deno jupyter --kernel`), from the `deno` devDependency: its binary arrives
 * as the optional dependency @deno/<platform>, and `deno/bin.cjs` finds it whether or not npm ran
 * the package's postinstall (which only copies the binary next to bin.cjs). The kernelspec names
 * that binary by absolute path, so it is generated here and git-ignored, never written to the
 * user's Jupyter directories; JUPYTER_PATH, JUPYTER_CONFIG_DIR and JUPYTER_RUNTIME_DIR point
 * nbconvert at notebooks/.jupyter/ only. Jupyter itself is Debian's (jupyter-nbconvert,
 * python3-nbclient, jupyter-client) or any other install that provides `jupyter-nbconvert`.
 *
 * `--kernelspec` only writes the kernelspec and prints how to point JupyterLab at it.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { checkNotebookOutputs, type NotebookJson } from './notebookOutputs.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NOTEBOOKS_DIR = join(ROOT, 'notebooks');
/** The project's Jupyter data directory: kernels/deno/kernel.json, plus config/ and runtime/. */
export const JUPYTER_DIR = join(NOTEBOOKS_DIR, '.jupyter');
export const KERNEL_NAME = 'deno';
const OUT_DIR = join(ROOT, 'results', 'notebooks');
/** Deno's caches (transpiled modules) stay with the project's node_modules. */
const DENO_DIR = join(ROOT, 'node_modules', '.cache', 'deno');
/** Longest one cell may run, s: a hang guard far above any notebook's minute. */
const CELL_TIMEOUT_SEC = 600;
/** Lines of nbconvert's output shown for a failure that is not a cell's error. */
const MAX_REPORT_LINES = 40;

const APT_HINT = 'apt-get install -y jupyter-nbconvert python3-nbclient jupyter-client (Debian/Ubuntu), or pip install nbconvert nbclient jupyter-client';

class RunnerError extends Error {}

const denoEnv = { DENO_DIR, DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', NO_COLOR: '1' };

/** The absolute path of the deno binary for this platform, as the npm package resolves it. */
export function denoExecutable(): string {
  const require = createRequire(import.meta.url);
  let bin: string;
  try {
    bin = require.resolve('deno/bin.cjs');
  } catch {
    throw new RunnerError('the deno devDependency is not installed: run npm ci (or npm install)');
  }
  const r = spawnSync(process.execPath, [bin, 'eval', 'console.log(Deno.execPath())'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...denoEnv } });
  const exe = r.stdout?.trim() ?? '';
  if (r.status !== 0 || exe === '') {
    throw new RunnerError(
      `deno did not start (${(r.stderr ?? '').trim() || r.error?.message || `exit ${r.status}`}); its binary comes from the optional dependency @deno/<platform>: run npm ci without --omit=optional`,
    );
  }
  return exe;
}

/** Writes notebooks/.jupyter/kernels/deno/kernel.json for this machine's deno; returns its path. */
export function writeKernelspec(denoExe: string): string {
  const dir = join(JUPYTER_DIR, 'kernels', KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [denoExe, 'jupyter', '--kernel', '--conn', '{connection_file}'],
    display_name: 'Deno (svcpath)',
    language: 'typescript',
    env: denoEnv,
  };
  const file = join(dir, 'kernel.json');
  writeFileSync(file, `${JSON.stringify(spec, null, 2)}\n`);
  return file;
}

/** The environment nbconvert runs in: the project's Jupyter directories first, nothing from ~/.jupyter. */
export function jupyterEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    JUPYTER_PATH: [JUPYTER_DIR, base.JUPYTER_PATH].filter((p) => p !== undefined && p !== '').join(delimiter),
    JUPYTER_CONFIG_DIR: join(JUPYTER_DIR, 'config'),
    JUPYTER_RUNTIME_DIR: join(JUPYTER_DIR, 'runtime'),
    JUPYTER_PLATFORM_DIRS: '1',
  };
}

function nbconvert(args: readonly string[], env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync('jupyter-nbconvert', args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }); // calibration-exempt: output buffer size
}

function checkNbconvert(env: NodeJS.ProcessEnv): void {
  const r = nbconvert(['--version'], env);
  if (r.error !== undefined || r.status !== 0) {
    throw new RunnerError(`jupyter-nbconvert is not available (${r.error?.message ?? r.stderr.trim()}); install it: ${APT_HINT}`);
  }
}

export function notebookFiles(names: readonly string[]): string[] {
  const all = readdirSync(NOTEBOOKS_DIR).filter((f) => f.endsWith('.ipynb')).sort();
  if (names.length === 0) return all;
  return names.map((n) => {
    const file = n.endsWith('.ipynb') ? n.split(/[\\/]/).pop()! : `${n}.ipynb`;
    if (!all.includes(file)) throw new RunnerError(`no notebook "${n}" in notebooks/; there are: ${all.join(', ')}`);
    return file;
  });
}

interface NotebookRun {
  readonly file: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly charts: number;
  readonly problems: string[];
}

function executeNotebook(file: string, env: NodeJS.ProcessEnv): NotebookRun {
  const t0 = performance.now();
  const r = nbconvert(
    [
      '--to', 'notebook', '--execute',
      `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
      `--ExecutePreprocessor.timeout=${CELL_TIMEOUT_SEC}`,
      '--output-dir', OUT_DIR,
      join(NOTEBOOKS_DIR, file),
    ],
    env,
  );
  const seconds = (performance.now() - t0) / 1000;
  const outFile = join(OUT_DIR, file);
  if (r.status !== 0 || !existsSync(outFile)) {
    // nbconvert stops at the first cell that throws and prints its Python traceback, then the cell and the error.
    const lines = `${r.error?.message ?? ''}${r.stderr ?? ''}`.trim().split('\n');
    const cellError = lines.findIndex((l) => l.includes('CellExecutionError:'));
    const report = (cellError >= 0 ? lines.slice(cellError) : lines.slice(-MAX_REPORT_LINES)).join('\n');
    return { file, ok: false, seconds, charts: 0, problems: [`nbconvert failed (exit ${r.status}):\n${report}`] };
  }
  const { problems, charts } = checkNotebookOutputs(JSON.parse(readFileSync(outFile, 'utf8')) as NotebookJson);
  if (charts === 0) problems.push('no chart: every notebook shows at least one (notebookChart)');
  return { file, ok: problems.length === 0, seconds, charts, problems };
}

function main(argv: readonly string[]): number {
  const kernelspecOnly = argv.includes('--kernelspec');
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--kernelspec');
  if (unknown.length > 0) throw new RunnerError(`unknown flag ${unknown[0]}; usage: npm run notebooks [-- NAME...] [-- --kernelspec]`);

  const denoExe = denoExecutable();
  const kernelFile = writeKernelspec(denoExe);
  console.log(`kernelspec ${relative(ROOT, kernelFile)} -> ${denoExe}`);
  if (kernelspecOnly) {
    console.log(`open the notebooks with: JUPYTER_PATH=${relative(process.cwd(), JUPYTER_DIR) || '.'} jupyter lab ${relative(process.cwd(), NOTEBOOKS_DIR) || '.'}`);
    return 0;
  }
  const env = jupyterEnv();
  checkNbconvert(env);
  const files = notebookFiles(names);
  mkdirSync(OUT_DIR, { recursive: true });
  const runs: NotebookRun[] = [];
  for (const file of files) {
    const run = executeNotebook(file, env);
    runs.push(run);
    const charts = `${run.charts} chart${run.charts === 1 ? '' : 's'}`;
    console.log(`${run.ok ? 'ok  ' : 'FAIL'}  ${file}  ${run.seconds.toFixed(1)} s  ${charts}`);
    for (const p of run.problems) console.log(`      ${p.split('\n').join('\n      ')}`);
  }
  const executed = runs.filter((r) => existsSync(join(OUT_DIR, r.file))).map((r) => join(OUT_DIR, r.file));
  if (executed.length > 0) {
    const html = nbconvert(['--to', 'html', '--output-dir', OUT_DIR, ...executed], env);
    if (html.status !== 0) console.log(`HTML export failed (the executed notebooks are still there): ${html.stderr.trim().split('\n').pop()}`);
  }
  const failed = runs.filter((r) => !r.ok).length;
  console.log(`notebooks: ${runs.length - failed} passed, ${failed} failed; executed copies in ${relative(ROOT, OUT_DIR)}/ (.ipynb and .html)`);
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof RunnerError)) throw e;
    console.error(`npm run notebooks: ${e.message}`);
    process.exitCode = 1;
  }
}
