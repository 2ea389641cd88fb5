#!/usr/bin/env node
// The `svcpath` executable (package.json "bin"): registers tsx's ESM loader in this process and
// runs experiments/cli/main.ts, which reads process.argv and sets process.exitCode itself.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../experiments/cli/main.ts', import.meta.url).href);
