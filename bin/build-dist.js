#!/usr/bin/env node
/**
 * `npm run build`, and npm's `prepare` (so `npm install` / `npm ci` in a checkout builds too):
 * compiles src/ without its tests (tsconfig.build.json) to JavaScript in dist/, copies every other
 * file under src/ (assets read beside the code) to the same place in dist/, and stamps the build
 * with the listing of its inputs, taken before compiling (bin/build-stamp.js).
 *
 * It builds in a scratch folder under .tmp/ and swaps it in only when tsc succeeded, so dist/ is
 * never half written; until a build succeeds, bin/ai-daily.js runs the sources through tsx.
 * Without typescript (an install that omits dev dependencies) it builds nothing and says so.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceListing, writeBuildStamp } from './build-stamp.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const say = (line) => process.stderr.write(`build: ${line}\n`);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  say('typescript is not installed: nothing built; bin/ai-daily.js runs the sources through tsx');
  process.exit(0);
}

const inputs = sourceListing(root);
if (inputs === undefined) {
  say('no src/ folder: nothing to build');
  process.exit(0);
}

const scratchParent = path.join(root, '.tmp');
mkdirSync(scratchParent, { recursive: true });
const scratch = path.join(scratchParent, `dist-build-${process.pid}`);
rmSync(scratch, { recursive: true, force: true });

const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', scratch], {
  cwd: root,
  stdio: 'inherit',
});
if (compiled.status !== 0) {
  rmSync(scratch, { recursive: true, force: true });
  say(`tsc failed (${compiled.error?.message ?? `exit ${compiled.status ?? compiled.signal}`}): dist/ left as it was`);
  say('bin/ai-daily.js runs the sources through tsx until a build succeeds');
  process.exit(1);
}

const copyAssets = (relativeDir) => {
  for (const entry of readdirSync(path.join(root, 'src', relativeDir), { withFileTypes: true })) {
    const relative = path.join(relativeDir, entry.name);
    if (entry.isDirectory()) copyAssets(relative);
    else if (!entry.name.endsWith('.ts')) {
      mkdirSync(path.join(scratch, relativeDir), { recursive: true });
      copyFileSync(path.join(root, 'src', relative), path.join(scratch, relative));
    }
  }
};
copyAssets('');
writeBuildStamp(scratch, inputs);

const dist = path.join(root, 'dist');
const previous = path.join(scratchParent, `dist-previous-${process.pid}`);
if (existsSync(dist)) renameSync(dist, previous);
renameSync(scratch, dist);
rmSync(previous, { recursive: true, force: true });
say(`dist/ holds a build of ${inputs.length} source files`);
