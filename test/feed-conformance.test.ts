/**
 * Feed-parser conformance: feedparser's own test documents (../shared/fixtures/feedparser, read in
 * place, never copied) through our decoding and parsing, scored against their `Expect:` clauses.
 * See docs/feed-conformance.md for the figures and the clauses deliberately not followed.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { FETCH_ERROR_KINDS } from '../src/core/errors.js';
import { type ConformanceRun, figuresOf, runConformance } from './support/feed-conformance.js';
import { clausesOf, parsePyLiteral } from './support/feedparser-expect.js';
import { sharedDir } from './support/fixtures.js';

const feedparserDir = path.join(sharedDir, 'fixtures/feedparser');

/** Lists up to `max` lines for an assertion message. */
function sample(lines: string[], max = 15): string {
  return lines.slice(0, max).join('\n') + (lines.length > max ? `\n… ${lines.length - max} more` : '');
}

describe('reading feedparser Expect clauses', () => {
  it('reads Python string literals with their escapes, tuples and dicts', () => {
    assert.equal(parsePyLiteral("u'Freir\\xe4ume \\u2019 \\'q\\''"), "Freir\u00e4ume \u2019 'q'");
    assert.deepEqual(parsePyLiteral('(2003, 12, 31, 10, 14, 55, 2, 365, 0)'), [2003, 12, 31, 10, 14, 55, 2, 365, 0]);
    assert.deepEqual(
      { ...(parsePyLiteral("{'rel': 'alternate', 'n': None}") as object) },
      { rel: 'alternate', n: null },
    );
    assert.throws(() => parsePyLiteral("'unterminated"));
  });

  it('splits clauses on a top-level "and" only, and keeps chained comparisons together', () => {
    const clauses = clausesOf(
      "not bozo and entries[0]['title'] == u'a and b' and entries[0]['link'] == entries[1].link == 'http://x/'",
    );
    assert.equal(clauses.length, 3);
    assert.equal(clauses[0]?.kind, 'unsupported');
    assert.deepEqual(clauses[1]?.kind === 'compare' && clauses[1].expected, 'a and b');
    assert.deepEqual(clauses[2]?.kind === 'compare' && clauses[2].paths, [
      ['entries', 0, 'link'],
      ['entries', 1, 'link'],
    ]);
  });
});

describe('feedparser conformance suite', () => {
  let run: ConformanceRun;
  before(() => {
    run = runConformance(feedparserDir);
  });

  it('reads every document: items, or a refusal with an error kind, never a crash', () => {
    assert.ok(run.documents.length > 1800, `only ${run.documents.length} documents found under ${feedparserDir}`);
    const crashed = run.documents.filter((d) => d.outcome === 'crashed').map((d) => `${d.file}: ${d.error}`);
    assert.deepEqual(crashed, []);
    for (const document of run.documents.filter((d) => d.outcome === 'refused')) {
      assert.ok(FETCH_ERROR_KINDS.includes(document.errorKind as never), `${document.file}: ${document.errorKind}`);
    }
  });

  it('parses at least 98 % of the well-formed documents', () => {
    const figures = figuresOf(run);
    const refused = run.documents
      .filter((d) => (d.group === 'wellformed' || d.group === 'json') && d.outcome !== 'parsed')
      .map((d) => `${d.file}: ${d.errorKind} ${d.error}`);
    assert.ok(
      figures.wellformedParsed / figures.wellformed >= 0.98,
      `${figures.wellformedParsed}/${figures.wellformed} parsed; refused:\n${sample(refused)}`,
    );
  });

  it('matches at least 95 % of the entry clauses our item model can hold', () => {
    const figures = figuresOf(run);
    const missed = run.clauses
      .filter((c) => c.status === 'mismatch')
      .map((c) => `${c.file}: ${c.clause} (got ${JSON.stringify(c.actual)})`);
    assert.ok(figures.checkable > 700, `only ${figures.checkable} checkable clauses`);
    assert.ok(
      figures.matched / figures.checkable >= 0.95,
      `${figures.matched}/${figures.checkable}:\n${sample(missed, 40)}`,
    );
  });

  it('decodes at least 95 % of the encoding documents to the right text, UTF-16/32 without a BOM included', () => {
    const figures = figuresOf(run);
    const wrong = run.encodings.filter((e) => e.right === false).map((e) => e.file);
    assert.ok(figures.encodingKnown > 60, `only ${figures.encodingKnown} encoding documents with a known text`);
    assert.ok(figures.encodingRight / figures.encodingKnown >= 0.95, `wrong:\n${sample(wrong)}`);
    for (const file of [
      'utf-16be-autodetect.xml',
      'utf-16le-autodetect.xml',
      'utf-32be-autodetect.xml',
      'utf-32le-autodetect.xml',
    ]) {
      const result = run.encodings.find((e) => e.file === `encoding/${file}`);
      assert.equal(result?.right, true, file);
    }
  });

  it('decodes Atom base64 content, maps Dublin Core dates and descriptions, and gives empty valid feeds zero items', () => {
    const document = (file: string) => run.documents.find((d) => d.file === file);
    for (const file of ['wellformed/atom/entry_summary_base64.xml', 'wellformed/atom/entry_title_base64.xml']) {
      const item = document(file)?.items[0];
      assert.ok(item, file);
      assert.match(`${item.title} ${item.contentHtml ?? item.contentText ?? ''}`, /Example <b>Atom<\/b>/, file);
    }
    for (const field of ['date', 'dcterms_created', 'dcterms_issued', 'dcterms_modified']) {
      const file = `wellformed/rss/item_${field.startsWith('dc') ? field : `dc_${field}`}.xml`;
      assert.match(document(file)?.items[0]?.published ?? '', /^2003-12-31T10:14:55/, file);
    }
    assert.match(
      document('wellformed/rss/item_dc_description.xml')?.items[0]?.contentHtml ?? '',
      /Example description/,
    );
    const empty = run.documents.filter((d) =>
      /^wellformed\/(?:rss|atom)\/(?:channel|feed)_(?:title|author|copyright)\.xml$/.test(d.file),
    );
    assert.ok(empty.length > 0);
    for (const result of empty) {
      assert.equal(result.outcome, 'parsed', `${result.file}: ${result.error}`);
      assert.deepEqual(result.items, []);
    }
  });

  it('says why each unchecked clause cannot be checked', () => {
    for (const clause of run.clauses.filter((c) => c.status === 'not-checkable')) {
      assert.ok(clause.reason && clause.reason.length > 10, `${clause.file}: ${clause.clause}`);
    }
  });
});
