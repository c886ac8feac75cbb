/**
 * `npm run bench`: CLI start-up (dist/ and sources against a bare node), feed parse throughput, collect wall time under simulated latency (one process, and 1 and 3 workers on PostgreSQL when DATABASE_URL is set), the
 * pipeline at 1k / 10k / 100k items, a whole run over one feed of 50,000 items, then the editorial benchmark (labelled days: top-story
 * precision, merge precision/recall, off-topic leaks), one after another, as plain tables on stdout; last, the speed goals of issue 16
 * as ratios against anchors measured in the same run (bench/goals.ts).
 *
 * Run: `node --import tsx --expose-gc bench/index.ts` (--expose-gc lets the benches collect garbage
 * between sizes, so one size's leftovers do not bill the next).
 */
import os from 'node:os';
import { benchCollect } from './collect.js';
import { benchEditorial } from './editorial.js';
import { printGoals } from './goals.js';
import { benchLargeFeed } from './large-feed.js';
import { benchParse } from './parse.js';
import { benchPipeline } from './pipeline.js';
import { benchStartup } from './startup.js';
import { benchWorkers } from './workers.js';

const cpus = os.cpus();
console.log('# ai-daily bench');
console.log(
  `Node ${process.version} on ${os.platform()}/${os.arch()}, ${cpus.length} CPU${cpus.length === 1 ? '' : 's'} ` +
    `(${cpus[0]?.model.trim() ?? 'unknown model'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory.`,
);
console.log('Figures are from this machine, at this moment; compare them only with runs on the same machine.');
if (!(globalThis as { gc?: unknown }).gc) console.log('(run with --expose-gc for steadier pipeline figures)');

const started = performance.now();
benchStartup();
const parse = benchParse();
const collect = await benchCollect();
await benchWorkers();
const pipeline = await benchPipeline();
const largeFeed = await benchLargeFeed();
await benchEditorial();
printGoals({ pipeline, parse, collect, largeFeed });
console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);
