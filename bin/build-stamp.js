/**
 * Is dist/ a build of the sources as they are now? The build (scripts/build.js) writes a stamp into
 * dist/: one line per input file (path, size, modification time), taken before it compiles. At
 * start-up bin/ai-daily.js takes the same listing (a stat walk of src/, about a millisecond) and
 * runs dist/ only when the two are equal; an edited, added or removed source file, or a changed
 * tsconfig, means the TypeScript sources run instead (through tsx), never stale code.
 *
 * Plain JavaScript, Node built-ins only: it runs before anything can compile TypeScript.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The stamp's name inside the build folder. */
export const STAMP_FILE = 'build-stamp.json';

/** Files outside src/ that change what the build emits. */
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json'];

/** Tests are not built, so editing one leaves the build current. */
const isTestFile = (name) => name.endsWith('.test.ts');

/**
 * The build's inputs under `root`, sorted: `path size mtimeMs` per file (paths relative to the root,
 * with `/`). Every file under src/ except tests (assets beside the code included), and the tsconfigs.
 * Returns undefined when there is no src/ (an install without sources runs its build as it is).
 */
export function sourceListing(root) {
  const lines = [];
  const walk = (relativeDir) => {
    for (const entry of readdirSync(path.join(root, relativeDir), { withFileTypes: true })) {
      const relative = `${relativeDir}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else if (!isTestFile(entry.name)) lines.push(describeFile(root, relative));
    }
  };
  try {
    walk('src');
  } catch (error) {
    if (error.code === 'ENOENT' && lines.length === 0) return undefined;
    throw error;
  }
  for (const file of CONFIG_FILES) {
    try {
      lines.push(describeFile(root, file));
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
  }
  return lines.sort();
}

function describeFile(root, relative) {
  const stat = statSync(path.join(root, relative));
  return `${relative} ${stat.size} ${stat.mtimeMs}`;
}

/** The path named by a listing line: all but its last two fields (size and time hold no space). */
const pathOf = (line) => line.slice(0, line.lastIndexOf(' ', line.lastIndexOf(' ') - 1));

/** Writes the stamp of a finished build: `files` is the listing taken before it compiled. */
export function writeBuildStamp(buildDir, files) {
  const stamp = { note: 'the inputs of this build; bin/ai-daily.js runs it only while they are unchanged', files };
  writeFileSync(path.join(buildDir, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
}

/**
 * `{ fresh: true }` when `<root>/<buildDir>` holds a complete build of the current sources, else
 * `{ fresh: false, reason }` with the first difference found (a relative path, nothing absolute).
 */
export function buildState(root, buildDir = 'dist') {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(path.join(root, buildDir, STAMP_FILE), 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') return { fresh: false, reason: `no build in ${buildDir}/ (npm run build makes one)` };
    return { fresh: false, reason: `${buildDir}/${STAMP_FILE} is unreadable (${error.message})` };
  }
  if (!stamp || !Array.isArray(stamp.files))
    return { fresh: false, reason: `${buildDir}/${STAMP_FILE} lists no files` };
  const current = sourceListing(root);
  if (current === undefined) return { fresh: true };
  const built = stamp.files;
  if (current.length === built.length && current.every((line, index) => line === built[index])) return { fresh: true };
  return { fresh: false, reason: describeDifference(built, current) };
}

/** The first file that differs between the stamp and now, in words. */
function describeDifference(built, current) {
  const builtByPath = new Map(built.map((line) => [pathOf(line), line]));
  const currentPaths = new Set();
  for (const line of current) {
    const file = pathOf(line);
    currentPaths.add(file);
    const then = builtByPath.get(file);
    if (then === undefined) return `${file} was added since the last build`;
    if (then !== line) return `${file} changed since the last build`;
  }
  for (const file of builtByPath.keys()) {
    if (!currentPaths.has(file)) return `${file} was removed since the last build`;
  }
  return 'the sources differ from the last build';
}
