// Entry of every worker thread: registers tsx's loader in this thread, then imports the TypeScript
// worker (workerData.entry). Node 20 resolves a worker's entry before an `--import tsx` in execArgv
// has registered its hooks, so `new Worker('x.ts', { execArgv: ['--import', 'tsx'] })` fails with
// ERR_UNKNOWN_FILE_EXTENSION; a plain .mjs entry that registers tsx itself works everywhere
// (tsx CLI, node --import tsx, bin/svcpath.js, vitest).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
