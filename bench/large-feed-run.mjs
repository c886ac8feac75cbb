// One `ai-daily run` in a prepared folder, measured, for bench/large-feed.ts: plain JavaScript, so
// that the run from the compiled build is what the CLI runs, in a process without tsx's loader (the
// TypeScript sources need it: bench/large-feed.ts starts this file with `--import tsx` for them).
// Usage: node [--import tsx] bench/large-feed-run.mjs DIR dist|src. Prints the RunMeasure as JSON.
import { statSync } from 'node:fs';
import { limitHeapGrowth } from '../bin/heap.js';

const [dir, from] = process.argv.slice(2);
if (!dir || (from !== 'dist' && from !== 'src')) throw new Error('usage: large-feed-run.mjs DIR dist|src');
statSync(dir);
// The run as the CLI makes it: with bin/ai-daily.js's heap policy.
limitHeapGrowth();
const { runCommand } = await import(from === 'dist' ? '../dist/cli/commands/run.js' : '../src/cli/commands/run.ts');
const warnings = [];
const log = {
  debug() {},
  info() {},
  warn: (message) => warnings.push(message),
  error: (message) => warnings.push(message),
};
const start = performance.now();
const summary = await runCommand({ cwd: dir, log, replay: 'day.json', out: 'out' }).catch((error) => error);
const wallMs = performance.now() - start;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
const found = /over the cap[^\n]*|too-large/.exec(warnings.join('\n'))?.[0];
const measure =
  summary instanceof Error
    ? { from, wallMs, peakRssMiB, itemsFound: 0, status: 'refused', error: found ?? summary.message }
    : {
        from,
        wallMs,
        peakRssMiB,
        itemsFound: summary.counts.stored,
        status: summary.sources.ok === 1 ? `${summary.counts.stories} stories` : 'failed',
        ...(found ? { error: found } : {}),
      };
process.stdout.write(JSON.stringify(measure));
