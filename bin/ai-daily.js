#!/usr/bin/env node
// Entry point for `npx ai-daily`. Runs the compiled JavaScript in dist/ when it is a build of the
// sources as they are now (bin/build-stamp.js compares the build's stamp with a stat walk of src/),
// else the TypeScript sources through tsx's loader: an edited src/ is never run stale, only slower
// to start. `npm run build` (run on `npm install` / `npm ci` in a checkout too) refreshes dist/.
// AI_DAILY_FROM_SOURCE=1 always runs the sources (any value but empty or 0).
import { fileURLToPath } from 'node:url';
import { buildState } from './build-stamp.js';
import { limitHeapGrowth } from './heap.js';

limitHeapGrowth();

const args = process.argv.slice(2);
const fromSource = process.env.AI_DAILY_FROM_SOURCE;
const build =
  fromSource && fromSource !== '0'
    ? { fresh: false, reason: 'AI_DAILY_FROM_SOURCE is set' }
    : buildState(fileURLToPath(new URL('..', import.meta.url)));

let main;
if (build.fresh) {
  ({ main } = await import('../dist/cli/main.js'));
} else {
  const optionsEnd = args.indexOf('--');
  const verbose = (optionsEnd === -1 ? args : args.slice(0, optionsEnd)).some((a) => a === '-v' || a === '--verbose');
  if (verbose) process.stderr.write(`ai-daily: running the TypeScript sources through tsx: ${build.reason}\n`);
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
const code = await main(args);
// Exit explicitly: keep-alive sockets of the HTTP client must not hold a finished run open.
process.exit(code);
