/**
 * The import rule of ARCHITECTURE.md, checked against the code: every import of a file in src/
 * (static `import … from`, `export … from`, `import '…'`, dynamic `import('…')`; type-only
 * imports count too, a type is part of the layer it comes from) must be an arrow that the table
 * "Where each part lives and what it may import" allows, and neither the folders nor the files may
 * import each other in a cycle. The table is read from ARCHITECTURE.md itself, so the document
 * and the code cannot drift apart.
 *
 * Tests (`*.test.ts`) are left out: a test may build its input with any real part (a feed parsed
 * by the real connector, a report made by the real analyzer); the rule is for the code that ships.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '..');
const TABLE_HEADING = '## Where each part lives and what it may import';

/** A folder's row: the folders it may import (itself always). */
export type ImportTable = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Reads the table under TABLE_HEADING: `| \`src/<folder>/\` | what | may import |`. The last cell
 * is `nothing`, `everything`, `everything but a, b` or a list `a, b (why), c`.
 */
export function parseImportTable(markdown: string): ImportTable {
  const start = markdown.indexOf(TABLE_HEADING);
  if (start < 0) throw new Error(`ARCHITECTURE.md has no "${TABLE_HEADING}" section`);
  const lines = markdown.slice(start + TABLE_HEADING.length).split('\n');
  const rows: { folder: string; allowed: string }[] = [];
  let inTable = false;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const folder = /^`src\/([a-z][a-z0-9-]*)\/`$/.exec(cells[0] ?? '')?.[1];
    if (!folder) continue; // the header and the separator
    rows.push({ folder, allowed: cells[cells.length - 1] ?? '' });
  }
  if (rows.length === 0) throw new Error(`the "${TABLE_HEADING}" section has no table rows`);
  const folders = rows.map((row) => row.folder);
  const table = new Map<string, Set<string>>();
  for (const { folder, allowed } of rows) {
    // Commas inside parentheses explain an arrow; they do not separate folders.
    const text = allowed.replace(/\([^)]*\)/g, '').trim();
    let names: string[];
    if (text === 'nothing') names = [];
    else if (text === 'everything') names = folders;
    else if (text.startsWith('everything but ')) {
      const except = splitNames(text.slice('everything but '.length));
      names = folders.filter((name) => !except.includes(name));
      checkNames(folder, except, folders);
    } else {
      names = splitNames(text);
      checkNames(folder, names, folders);
    }
    table.set(folder, new Set([folder, ...names]));
  }
  return table;
}

function splitNames(text: string): string[] {
  return text
    .split(/,|\band\b/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

function checkNames(folder: string, names: readonly string[], folders: readonly string[]): void {
  for (const name of names) {
    if (!folders.includes(name)) {
      throw new Error(`ARCHITECTURE.md: src/${folder}/ may import "${name}", which is not a folder of the table`);
    }
  }
}

/** A source file: its path relative to the repository (`src/…`) and its text. */
export interface SourceFile {
  file: string;
  text: string;
}

/** One import: from a file to the file it names (relative to the repository, `.ts`). */
export interface ImportArrow {
  from: string;
  to: string;
}

/** Every relative import of a file; a package (`zod`, `node:fs`) is not part of the rule. */
export function importsOf(source: SourceFile): ImportArrow[] {
  const { importedFiles } = ts.preProcessFile(source.text, true, true);
  return importedFiles
    .map((entry) => entry.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => ({
      from: source.file,
      to: path.posix.normalize(path.posix.join(path.posix.dirname(source.file), specifier)).replace(/\.js$/, '.ts'),
    }));
}

/** `src/analyze/llm/x.ts` → `analyze`; undefined outside src/ or directly in it. */
export function folderOf(file: string): string | undefined {
  const parts = file.split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : undefined;
}

/** The arrows the table does not allow, one line each. */
export function forbiddenArrows(sources: readonly SourceFile[], table: ImportTable): string[] {
  const problems: string[] = [];
  for (const source of sources) {
    const from = folderOf(source.file);
    const allowed = from === undefined ? undefined : table.get(from);
    if (!allowed) {
      problems.push(`${source.file}: its folder has no row in ARCHITECTURE.md's table`);
      continue;
    }
    for (const arrow of importsOf(source)) {
      const to = folderOf(arrow.to);
      if (to !== undefined && allowed.has(to)) continue;
      const rule = [...allowed].filter((name) => name !== from).join(', ') || 'nothing';
      problems.push(`${arrow.from} → ${arrow.to}: src/${from}/ may import ${rule}`);
    }
  }
  return problems;
}

/** Strongly connected components with more than one node (Tarjan), each sorted. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** The graph of folders (`analyze` → `core`) or of files, from the imports of the sources. */
export function importGraph(sources: readonly SourceFile[], by: 'folder' | 'file'): Map<string, string[]> {
  const graph = new Map<string, Set<string>>();
  for (const source of sources) {
    for (const arrow of importsOf(source)) {
      const from = by === 'folder' ? folderOf(arrow.from) : arrow.from;
      const to = by === 'folder' ? folderOf(arrow.to) : arrow.to;
      if (from === undefined || to === undefined || from === to) continue;
      graph.set(from, (graph.get(from) ?? new Set()).add(to));
      if (!graph.has(to)) graph.set(to, new Set());
    }
  }
  return new Map([...graph].map(([node, targets]) => [node, [...targets].sort()]));
}

function shippedSources(): SourceFile[] {
  const found: SourceFile[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(path.join(ROOT, folder), { withFileTypes: true })) {
      const file = `${folder}/${entry.name}`;
      if (entry.isDirectory()) walk(file);
      else if (/\.(?:ts|tsx|mts)$/.test(entry.name) && !/\.test\.(?:ts|tsx|mts)$/.test(entry.name)) {
        found.push({ file, text: readFileSync(path.join(ROOT, file), 'utf8') });
      }
    }
  };
  walk('src');
  return found;
}

const table = parseImportTable(readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8'));
const sources = shippedSources();

describe('the import rule of ARCHITECTURE.md', () => {
  it('has a row for every folder of src/, and its arrows run one way', () => {
    const folders = readdirSync(path.join(ROOT, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    assert.deepEqual([...table.keys()].sort(), folders);
    const allowed = new Map([...table].map(([folder, names]) => [folder, [...names].filter((n) => n !== folder)]));
    assert.deepEqual(cycles(allowed), [], 'the table allows folders to import each other in a cycle');
  });

  it('every import in src/ is an arrow the table allows', () => {
    assert.ok(sources.length > 100, `only ${sources.length} files read from src/`);
    assert.deepEqual(forbiddenArrows(sources, table), []);
  });

  it('no folders import each other in a cycle', () => {
    assert.deepEqual(cycles(importGraph(sources, 'folder')), []);
  });

  it('no files import each other in a cycle', () => {
    assert.deepEqual(cycles(importGraph(sources, 'file')), []);
  });
});

describe('the import-rule checker', () => {
  const markdown = [
    TABLE_HEADING,
    '',
    '| folder | what | may import |',
    '|---|---|---|',
    '| `src/core/` | types, with a | in the text | nothing |',
    '| `src/http/` | the fetcher | core |',
    '| `src/render/` | renderers | core, http (the one fetcher, for a test) |',
    '| `src/cli/` | commands | everything |',
    '',
    '## Next',
    '| `src/other/` | not this table | core |',
  ].join('\n');
  const small = parseImportTable(markdown);

  it('reads the table: nothing, a list with reasons, everything', () => {
    assert.deepEqual(
      [...small].map(([folder, names]) => [folder, [...names].sort()]),
      [
        ['core', ['core']],
        ['http', ['core', 'http']],
        ['render', ['core', 'http', 'render']],
        ['cli', ['cli', 'core', 'http', 'render']],
      ],
    );
  });

  it('refuses a table that names a folder it has no row for', () => {
    assert.throws(
      () => parseImportTable(markdown.replace('| core |\n| `src/render/`', '| core, store |\n| `src/render/`')),
      /src\/http\/ may import "store", which is not a folder of the table/,
    );
  });

  it('finds a forbidden import in every form: static, type-only, export … from, dynamic, side effect', () => {
    const forms = [
      "import { render } from '../render/markdown.js';",
      "import type { Renderer } from '../render/registry.js';",
      "export { render } from '../render/markdown.js';",
      "export * from '../render/markdown.js';",
      "const loaded = await import('../render/markdown.js');",
      "import '../render/markdown.js';",
    ];
    for (const form of forms) {
      const problems = forbiddenArrows([{ file: 'src/http/fetcher.ts', text: `// a comment\n${form}\n` }], small);
      assert.equal(problems.length, 1, form);
      assert.match(problems[0] ?? '', /^src\/http\/fetcher\.ts → src\/render\/.+: src\/http\/ may import core$/);
    }
  });

  it('allows what the table allows, and ignores packages and imports in comments and strings', () => {
    const text = [
      "import { z } from 'zod';",
      "import path from 'node:path';",
      "import { sleep } from '../core/sleep.js';",
      "import { other } from './other.js';",
      "// import { render } from '../render/markdown.js';",
      'const text = "import { render } from \'../render/markdown.js\'";',
    ].join('\n');
    assert.deepEqual(forbiddenArrows([{ file: 'src/http/fetcher.ts', text }], small), []);
  });

  it('refuses an import from outside src/ and a file in a folder with no row', () => {
    assert.equal(
      forbiddenArrows([{ file: 'src/core/x.ts', text: "import { y } from '../../test/support/y.js';" }], small).length,
      1,
    );
    assert.match(forbiddenArrows([{ file: 'src/web/app.ts', text: '' }], small)[0] ?? '', /no row/);
  });

  it('finds cycles between folders and between files', () => {
    const files: SourceFile[] = [
      { file: 'src/analyze/analyzer.ts', text: "import type { S } from './llm/services.js';" },
      { file: 'src/analyze/llm/services.ts', text: "import type { F } from '../analyzer.js';" },
      { file: 'src/render/a.ts', text: "import { b } from '../http/b.js';" },
      { file: 'src/http/b.ts', text: "import { a } from '../render/a.js';" },
    ];
    assert.deepEqual(cycles(importGraph(files, 'folder')), [['http', 'render']]);
    assert.deepEqual(cycles(importGraph(files, 'file')), [
      ['src/analyze/analyzer.ts', 'src/analyze/llm/services.ts'],
      ['src/http/b.ts', 'src/render/a.ts'],
    ]);
  });
});
