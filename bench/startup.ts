/**
 * Start-up time of the CLI: `ai-daily --help` and `--version` from the compiled build (dist/), and
 * `--help` from the TypeScript sources through tsx (what bin/ai-daily.js falls back to when dist/ is
 * missing or older than src/), each against a bare `node -e 0` on the same machine. Every case is a
 * fresh process; the cases take turns, run by run, so a burst of load on the machine bills them all.
 * Medians, and the ratio to `node -e 0` (the target: --help within 4×). Also the cost of the check
 * that dist/ is current, which every start pays.
 *
 * Run alone: `node --import tsx bench/startup.ts [runs]` (or through bench/index.ts). When dist/ is
 * not a build of the current sources, it is built first (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildState } from '../bin/build-stamp.js';
import { repoRoot } from '../test/support/fixtures.js';
import { bestAndMedian, formatTable, timeRuns } from './table.js';

/** Runs of each fast case; the source path gets a third of them (it takes seconds a run). */
export const STARTUP_RUNS = 15;
/** --help answers within this many times a bare `node -e 0`. */
export const STARTUP_TARGET_RATIO = 4;

interface StartupCase {
  name: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  runs: number;
}

/** Wall time of one fresh process, ms; a failing command is an error (its time would mean nothing). */
function timeProcess(startupCase: StartupCase): number {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...startupCase.env };
  delete env.NODE_OPTIONS;
  if (!startupCase.env?.AI_DAILY_FROM_SOURCE) delete env.AI_DAILY_FROM_SOURCE;
  const started = performance.now();
  const result = spawnSync(process.execPath, startupCase.args, {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const elapsed = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`${startupCase.name}: exit ${result.status ?? result.signal}\n${result.stderr.toString()}`);
  }
  return elapsed;
}

/** Makes dist/ current when it is not, so that the build's figures are the build's. */
function ensureBuild(): void {
  const state = buildState(repoRoot);
  if (state.fresh) return;
  console.log(`dist/ is not current (${state.reason}): building it first.`);
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'bin/build-dist.js')], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (build.status !== 0) throw new Error('npm run build failed: no start-up figures for dist/');
}

export function benchStartup(runs = STARTUP_RUNS): void {
  console.log('\n## CLI start-up\n');
  ensureBuild();
  const bin = path.join(repoRoot, 'bin/ai-daily.js');
  const cases: StartupCase[] = [
    { name: 'node -e 0', args: ['-e', '0'], runs },
    { name: 'ai-daily --help (dist)', args: [bin, '--help'], runs },
    { name: 'ai-daily --version (dist)', args: [bin, '--version'], runs },
    {
      name: 'ai-daily --help (sources, tsx)',
      args: [bin, '--help'],
      env: { AI_DAILY_FROM_SOURCE: '1' },
      runs: Math.max(3, Math.ceil(runs / 3)),
    },
  ];
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (const c of cases) timeProcess(c); // warm-up: the file system cache, not the figures
  for (let run = 0; run < runs; run++) {
    for (const c of cases) if (run < c.runs) samples.get(c.name)?.push(timeProcess(c));
  }

  const baseline = bestAndMedian(samples.get('node -e 0') ?? []).median;
  const rows = cases.map((c) => {
    const { best, median } = bestAndMedian(samples.get(c.name) ?? []);
    return [c.name, String(c.runs), best.toFixed(0), median.toFixed(0), `${(median / baseline).toFixed(1)}×`];
  });
  console.log(formatTable(['command', 'runs', 'best ms', 'median ms', 'median / node -e 0'], rows));

  const check = bestAndMedian(timeRuns(() => buildState(repoRoot), { minRuns: 50, minMs: 200 }));
  const helpRatio = bestAndMedian(samples.get('ai-daily --help (dist)') ?? []).median / baseline;
  console.log(
    `\nThe check that dist/ is current (a stat walk of src/): median ${check.median.toFixed(2)} ms. ` +
      `--help from dist/ takes ${helpRatio.toFixed(1)}× a bare node start ` +
      `(target ≤ ${STARTUP_TARGET_RATIO}×: ${helpRatio <= STARTUP_TARGET_RATIO ? 'met' : 'NOT met'}). ` +
      'Wall times of whole processes, spawn included; compare them only with runs on the same machine.',
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const runs = process.argv[2] === undefined ? STARTUP_RUNS : Number(process.argv[2]);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`runs: expected a whole number ≥ 1, got "${process.argv[2]}"`);
  benchStartup(runs);
}
