import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './fixtures.js';

/** The names of fixtures.ts that point into ../shared. */
const SHARED_NAMES = new Set(['sharedDir', 'realDir', 'daysDir', 'realBytes', 'realText', 'dayFile']);

const FIXTURES = path.join(repoRoot, 'test/support/fixtures.ts');

/** `import { a, b as c } from './x.js'` and `export { a } from './x.js'`; type-only imports read nothing. */
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?!type\s)([^'";]*?)\s*from\s*'([^']+)'/g;

/**
 * The files among `files` (absolute) that read the shared captures: they import one of the names of
 * fixtures.ts that point into ../shared, or import a module of the project that does (followed
 * through every level). A clone without ../shared leaves these out of `npm test` (test/run.ts).
 */
export function sharedReaders(files: readonly string[]): string[] {
  const known = new Map<string, boolean>();
  const reads = (file: string): boolean => {
    const seen = known.get(file);
    if (seen !== undefined) return seen;
    known.set(file, false); // an import cycle reads nothing more than its members do
    let result = false;
    for (const [, clause = '', specifier = ''] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (!specifier.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts');
      if (target === FIXTURES) {
        const names = (clause.match(/\{([^}]*)\}/)?.[1] ?? '').split(',').map((name) => name.trim().split(/\s+/)[0]);
        if (clause.includes('*') || names.some((name) => name !== undefined && SHARED_NAMES.has(name))) result = true;
      } else if (target.endsWith('.ts') && existsSync(target) && reads(target)) {
        result = true;
      }
      if (result) break;
    }
    known.set(file, result);
    return result;
  };
  return files.filter(reads);
}
