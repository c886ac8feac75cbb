/**
 * Runs our feed stack (charset decoding, parseFeedDocument, the text functions normalize uses) over
 * feedparser's test documents and scores it against their `Expect:` clauses.
 *
 * What is checkable for our item model (RawItem, read the way normalize reads it):
 *  - `len(entries)`                       → the number of items;
 *  - `title`                              → the title's visible text (titleText on both sides);
 *  - `description` / `summary` / `content[0]['value']` → the body's visible text (htmlToText for an
 *    HTML body, cleanText for a plain-text one, the same reading on both sides);
 *  - `link`                               → the item's URL resolved against its base;
 *  - `id` / `guid`                        → the item's guid;
 *  - `published_parsed`, `updated_parsed`, `created_parsed`, `issued_parsed`, `modified_parsed`,
 *    `date_parsed` → the item's one date, as the UTC wall clock (feedparser's 9-tuple, first 6);
 *  - `author`, `author_detail['name']`   → the first author (feedparser's "name (email)" is read as name);
 *  - `tags[n]['term']`                    → the n-th tag.
 * Everything else (feed-level fields, `*_detail` types/languages/bases, links lists, enclosures,
 * iTunes/media/geo/psc extensions, contributors, rights, comments, source, `bozo`) has no place in
 * the item model and is counted as not checkable, with the reason per field in NOT_CHECKABLE.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { FetchError } from '../../src/core/errors.js';
import { cleanText, htmlToText } from '../../src/core/sanitize.js';
import type { RawItem } from '../../src/core/types.js';
import { decodeBody } from '../../src/http/charset.js';
import { parseDate, titleText } from '../../src/pipeline/normalize.js';
import { parseFeedDocument } from '../../src/sources/feed.js';
import {
  type Clause,
  type Comparison,
  clausesOf,
  expectationOf,
  type PathStep,
  type PyValue,
} from './feedparser-expect.js';
import { filesUnder } from './fixtures.js';

/** The base feedparser's own suite serves its documents from (a string here: nothing is fetched). */
const SUITE_ORIGIN = 'http://127.0.0.1:8097/';

/** Fields of feedparser's result with no counterpart in our item model, and why. */
export const NOT_CHECKABLE: Record<string, string> = {
  feed: 'feed-level metadata (title, tagline, links, image …): the item model has no feed record',
  bozo: 'well-formedness flag: we parse what can be kept and report failures as error kinds instead',
  title_detail: 'content type, language and base of a text construct: the item keeps plain text only',
  summary_detail: 'content type, language and base of a text construct: the item keeps plain text only',
  content_detail: 'content type, language and base of a text construct: the item keeps plain text only',
  content: 'type/language/base of a content element: the item keeps its visible text only',
  links: 'the list of all links with rel/type/hreflang: the item keeps one link',
  author_detail: 'author email and URL: the item keeps author names only',
  authors: 'author records with email and URL: the item keeps author names only',
  contributors: 'contributors: not part of the item model',
  publisher: 'publisher: not part of the item model',
  publisher_detail: 'publisher: not part of the item model',
  source: 'the entry\u2019s source feed: not part of the item model',
  enclosures: 'enclosures (media files): not part of the item model',
  where: 'GeoRSS: not part of the item model',
  rights: 'rights/licence: not part of the item model',
  rights_detail: 'rights/licence: not part of the item model',
  comments: 'comments link: not part of the item model',
  guidislink: 'whether the guid is a permalink: used to pick the link, not kept',
  tags: 'tag scheme and label: the item keeps the term only',
  published: 'the date string as written: the item keeps the parsed instant',
  updated: 'the date string as written: the item keeps the parsed instant',
  created: 'the date string as written: the item keeps the parsed instant',
  expired_parsed: 'expiry dates: not part of the item model',
  license: 'licence links: not part of the item model',
  image: 'item images: not part of the item model',
};

export interface ClauseResult {
  file: string;
  clause: string;
  status: 'match' | 'mismatch' | 'not-checkable';
  reason?: string;
  actual?: unknown;
}

export interface DocumentResult {
  file: string;
  group: 'wellformed' | 'illformed' | 'encoding' | 'json';
  outcome: 'parsed' | 'refused' | 'crashed';
  errorKind?: string;
  error?: string;
  items: RawItem[];
}

export interface EncodingResult {
  file: string;
  /** Undefined when the document names no encoding or text to compare with. */
  right?: boolean;
  expected?: string;
  actual?: string;
}

export interface ConformanceRun {
  documents: DocumentResult[];
  clauses: ClauseResult[];
  encodings: EncodingResult[];
}

const ORACLE_DECODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'utf-32le', 'utf-32be'];

/** The document as text, by trying decoders until its comment reads: for the test's own use only. */
function oracleText(bytes: Buffer): string {
  for (const charset of ORACLE_DECODINGS) {
    const text = iconv.decode(bytes, charset).replace(/^\uFEFF/, '');
    if (/Expect:|__TEST__/.test(text.slice(0, 4000))) return text;
  }
  return bytes.toString('latin1');
}

/** Python codec names → iconv-lite names. */
function codecOf(name: string): string {
  const lower = name.toLowerCase();
  if (lower === 'us-ascii') return 'windows-1252';
  if (lower === 'iso-8859-1') return 'windows-1252';
  return lower;
}

/** Parses one document the way the feed connector does (decode, then parseFeedDocument). */
function parseDocument(bytes: Buffer, contentType: string | undefined, baseUrl: string) {
  const decoded = decodeBody(bytes, contentType);
  try {
    return { decoded, items: parseFeedDocument(decoded.text, baseUrl) };
  } catch (error) {
    return { decoded, error };
  }
}

/** The value our item model holds for a feedparser path, or a reason it holds none. */
function actualFor(
  steps: PathStep[],
  items: RawItem[],
): { value: unknown; reading?: 'title' | 'html' | 'text' | 'date' } | { reason: string } {
  if (steps[0] === 'len(entries)') return { value: items.length };
  if (steps[0] === 'feed') return { reason: NOT_CHECKABLE.feed as string };
  const index = steps[1];
  if (typeof index !== 'number') return { reason: 'a path into the entries list as a whole' };
  const field = String(steps[2]);
  const rest = steps.slice(3);
  const item = items[index];
  const present = (value: unknown, reading?: 'title' | 'html' | 'text' | 'date') =>
    item === undefined ? { value: '<no such entry>' } : { value, reading };
  const body = () => (item?.contentHtml !== undefined ? item.contentHtml : item?.contentText);
  const bodyReading = () => (item?.contentHtml !== undefined ? 'html' : 'text');
  if (rest.length === 0) {
    switch (field) {
      case 'title':
        return present(item?.title ?? '', 'title');
      case 'description':
      case 'summary':
        return present(body() ?? '', bodyReading());
      case 'link':
        return present(item?.url === undefined ? undefined : new URL(item.url, item.baseUrl).href);
      case 'id':
      case 'guid':
        return present(item?.guid);
      case 'author':
        return present(item?.authors?.[0], 'text');
      case 'published_parsed':
      case 'updated_parsed':
      case 'created_parsed':
      case 'issued_parsed':
      case 'modified_parsed':
      case 'date_parsed':
        return present(item?.published, 'date');
    }
  }
  if (field === 'content' && rest[0] === 0 && rest[1] === 'value' && rest.length === 2) {
    return present(body() ?? '', bodyReading());
  }
  if (field === 'author_detail' && rest[0] === 'name' && rest.length === 1) {
    return present(item?.authors?.[0], 'text');
  }
  if (field === 'tags' && typeof rest[0] === 'number' && rest[1] === 'term' && rest.length === 2) {
    return present(item?.tags?.[rest[0]], 'text');
  }
  return {
    reason: NOT_CHECKABLE[field] ?? `entries[i]['${field}']${rest.length > 0 ? '[…]' : ''}: not in the item model`,
  };
}

/** feedparser writes an author as "name (email)" or "email (name)"; the item keeps the name. */
function authorName(expected: string): string {
  const match = /^(.*?)\s*\(([^()]*)\)$/.exec(expected);
  if (!match) return expected;
  const [, outer, inner] = match as unknown as [string, string, string];
  return outer.includes('@') ? inner : outer;
}

function utcTuple(raw: unknown): number[] | undefined {
  if (typeof raw !== 'string') return undefined;
  const parsed = parseDate(raw);
  if (!parsed) return undefined;
  const d = parsed.date;
  return [
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  ];
}

function compareOne(
  steps: PathStep[],
  expected: PyValue,
  items: RawItem[],
): { status: 'match' | 'mismatch' | 'not-checkable'; reason?: string; actual?: unknown } {
  const found = actualFor(steps, items);
  if ('reason' in found) return { status: 'not-checkable', reason: found.reason };
  const field = String(steps[2]);
  if (found.reading === 'date') {
    if (!Array.isArray(expected)) return { status: 'not-checkable', reason: 'a date compared with a non-tuple' };
    const actual = utcTuple(found.value);
    const want = expected.slice(0, 6);
    return { status: JSON.stringify(actual) === JSON.stringify(want) ? 'match' : 'mismatch', actual: found.value };
  }
  if (typeof expected !== 'string' || found.reading === undefined) {
    return {
      status: JSON.stringify(found.value) === JSON.stringify(expected) ? 'match' : 'mismatch',
      actual: found.value,
    };
  }
  const actual = typeof found.value === 'string' ? found.value : '';
  let want = expected;
  if (field === 'author' || field === 'author_detail') want = authorName(expected);
  const read = (text: string) =>
    found.reading === 'title' ? titleText(text) : found.reading === 'html' ? htmlToText(text) : cleanText(text);
  const same = read(actual) === read(want);
  return same ? { status: 'match' } : { status: 'mismatch', actual: read(actual), reason: `expected ${read(want)}` };
}

function checkClauses(file: string, clauses: Clause[], items: RawItem[], out: ClauseResult[]): void {
  for (const clause of clauses) {
    if (clause.kind === 'unsupported') {
      const bare = clause.text.replace(/^not\s+/, '');
      const reason = /^bozo\b/.test(bare)
        ? (NOT_CHECKABLE.bozo as string)
        : /\bfeed\b/.test(clause.text)
          ? (NOT_CHECKABLE.feed as string)
          : 'an expression other than path == literal';
      out.push({ file, clause: clause.text, status: 'not-checkable', reason });
      continue;
    }
    const results = clause.paths.map((steps) => compareOne(steps, clause.expected, items));
    const unchecked = results.find((result) => result.status === 'not-checkable');
    if (unchecked) {
      out.push({ file, clause: clause.text, status: 'not-checkable', reason: unchecked.reason });
      continue;
    }
    const miss = results.find((result) => result.status === 'mismatch');
    out.push({
      file,
      clause: clause.text,
      status: miss ? 'mismatch' : 'match',
      actual: miss?.actual,
      reason: miss?.reason,
    });
  }
}

/** Encoding documents: our decoded text against the text decoded with the encoding the document names. */
function checkEncoding(file: string, bytes: Buffer, expect: string | undefined, ourText: string): EncodingResult {
  const named = /encoding == '([^']+)'/.exec(expect ?? '')?.[1];
  if (!named || !iconv.encodingExists(codecOf(named))) return { file };
  const expected = iconv.decode(bytes, codecOf(named)).replace(/^\uFEFF/, '');
  const actual = ourText.replace(/^\uFEFF/, '');
  return { file, right: expected === actual, expected: named };
}

/** Runs the whole suite under `root` (the feedparser fixture directory). */
export function runConformance(root: string): ConformanceRun {
  const run: ConformanceRun = { documents: [], clauses: [], encodings: [] };
  for (const group of ['wellformed', 'illformed', 'encoding', 'json'] as const) {
    for (const full of filesUnder(path.join(root, group))) {
      const file = path.relative(root, full);
      const bytes = readFileSync(full);
      const { expect, header } = expectationOf(oracleText(bytes));
      const contentType = /^content-type:\s*(.*)$/i.exec(header ?? '')?.[1];
      const parsed = parseDocument(bytes, contentType, `${SUITE_ORIGIN}${file}`);
      const result: DocumentResult = { file, group, outcome: 'parsed', items: parsed.items ?? [] };
      if ('error' in parsed) {
        const error = parsed.error;
        result.outcome = error instanceof FetchError ? 'refused' : 'crashed';
        result.errorKind = error instanceof FetchError ? error.kind : undefined;
        result.error = error instanceof Error ? error.message : String(error);
      }
      run.documents.push(result);
      if (group === 'encoding') {
        const clauses = clausesOf(expect ?? '');
        const encodingClause = /encoding == '/.test(expect ?? '');
        const textClauses = clauses.filter((c) => c.kind === 'compare');
        if (encodingClause) run.encodings.push(checkEncoding(file, bytes, expect, parsed.decoded.text));
        else if (textClauses.length > 0) {
          const checked: ClauseResult[] = [];
          checkClauses(file, textClauses, result.items, checked);
          // A feed-level text (no item holds it) is looked for in the decoded document itself.
          const right = checked.every((c, index) => {
            if (c.status !== 'not-checkable') return c.status === 'match';
            const expected = (textClauses[index] as Comparison).expected;
            return typeof expected === 'string' && parsed.decoded.text.includes(expected);
          });
          run.encodings.push({ file, right });
        } else run.encodings.push({ file });
        continue;
      }
      if (expect === undefined) continue;
      const before = run.clauses.length;
      checkClauses(file, clausesOf(expect), result.items, run.clauses);
      if (result.outcome !== 'parsed') {
        // A refused document holds nothing: every clause that could be checked counts as missed.
        for (const clause of run.clauses.slice(before)) {
          if (clause.status === 'match')
            Object.assign(clause, { status: 'mismatch', reason: `refused: ${result.error}` });
        }
      }
    }
  }
  return run;
}

export interface ConformanceFigures {
  wellformed: number;
  wellformedParsed: number;
  crashed: number;
  checkable: number;
  matched: number;
  notCheckable: number;
  encodingKnown: number;
  encodingRight: number;
}

export function figuresOf(run: ConformanceRun): ConformanceFigures {
  const wellformed = run.documents.filter((d) => d.group === 'wellformed' || d.group === 'json');
  const checked = run.clauses.filter((c) => c.status !== 'not-checkable');
  const known = run.encodings.filter((e) => e.right !== undefined);
  return {
    wellformed: wellformed.length,
    wellformedParsed: wellformed.filter((d) => d.outcome === 'parsed').length,
    crashed: run.documents.filter((d) => d.outcome === 'crashed').length,
    checkable: checked.length,
    matched: checked.filter((c) => c.status === 'match').length,
    notCheckable: run.clauses.length - checked.length,
    encodingKnown: known.length,
    encodingRight: known.filter((e) => e.right).length,
  };
}
