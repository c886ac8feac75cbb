/**
 * Search for the web app, over items (title and text) and published stories (title). The FTS5
 * index uses the trigram tokenizer, which finds any substring of three or more characters (CJK
 * included, case-insensitive); a shorter term (`千问`, `AI`) is looked up with an escaped LIKE.
 * Every term of the query must match (whitespace separates terms).
 */
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Store } from '../store.js';
import { type PublishedStoryRow, toPublishedStory } from './reports.js';

export interface ItemHit {
  id: string;
  sourceId: string;
  sourceName: string;
  title: string;
  url: string;
  publishedAt: string;
  /** A short piece of the text around the first match (plain text). */
  snippet: string;
  /** The published stories that hold this item, newest first. */
  stories: { reportDate: string; storyId: string; title: string }[];
}

export interface SearchResult {
  query: string;
  terms: string[];
  stories: PublishedStoryRow[];
  items: ItemHit[];
}

/** Terms of a query: control characters dropped, split on whitespace, at most 8, each at most 100 characters. */
export function searchTerms(query: string): string[] {
  return query
    .normalize('NFKC')
    .replace(/\p{Cc}/gu, ' ')
    .split(/\s+/u)
    .map((term) => term.trim())
    .filter((term) => term.length > 0)
    .slice(0, 8)
    .map((term) => [...term].slice(0, 100).join(''));
}

/** `%term%` for LIKE … ESCAPE '\': the term's own `%`, `_` and `\` match themselves. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

function like(column: string, term: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} LIKE ${likePattern(term)} ESCAPE '\\'`;
}

/** Items and stories matching every term of `query`, newest stories first, best items first. */
export async function search(store: Store, query: string, limit = 50): Promise<SearchResult> {
  const terms = searchTerms(query);
  if (terms.length === 0) return { query, terms, stories: [], items: [] };
  const [stories, items] = [await searchStories(store, terms, limit), await searchItems(store, terms, limit)];
  return { query, terms, stories, items };
}

async function searchStories(store: Store, terms: readonly string[], limit: number): Promise<PublishedStoryRow[]> {
  const rows = await store.db
    .selectFrom('report_stories')
    .select([
      'report_date',
      'story_id',
      'position',
      'section',
      'title',
      'score_json',
      'source_ids_json',
      'update_of_json',
    ])
    .where((eb) => eb.and(terms.map((term) => like('report_stories.title', term))))
    .orderBy('report_date', 'desc')
    .orderBy('position')
    .limit(limit)
    .execute();
  return rows.map(toPublishedStory);
}

interface ItemRow {
  id: string;
  source_id: string;
  source_name: string | null;
  title: string;
  text: string;
  url: string;
  published_at: string;
}

async function searchItems(store: Store, terms: readonly string[], limit: number): Promise<ItemHit[]> {
  let rows: ItemRow[];
  if (terms.every((term) => [...term].length >= 3)) {
    // Each term a quoted FTS5 phrase (its quotes doubled): implicit AND, no query syntax from the user.
    const match = terms.map((term) => `"${term.replace(/"/g, '""')}"`).join(' ');
    const result = await sql<ItemRow>`
      SELECT items.id, items.source_id, sources.name AS source_name, items.title, items.text, items.url, items.published_at
      FROM items_fts JOIN items ON items.rowid = items_fts.rowid LEFT JOIN sources ON sources.id = items.source_id
      WHERE items_fts MATCH ${match} ORDER BY rank, items.published_at DESC LIMIT ${limit}`.execute(store.db);
    rows = result.rows;
  } else {
    rows = await store.db
      .selectFrom('items')
      .leftJoin('sources', 'sources.id', 'items.source_id')
      .select([
        'items.id as id',
        'items.source_id as source_id',
        'sources.name as source_name',
        'items.title as title',
        'items.text as text',
        'items.url as url',
        'items.published_at as published_at',
      ])
      .where((eb) => eb.and(terms.map((term) => eb.or([like('items.title', term), like('items.text', term)]))))
      .orderBy('items.published_at', 'desc')
      .limit(limit)
      .execute();
  }
  const storiesByItem = await storiesHolding(
    store,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    sourceId: r.source_id,
    sourceName: r.source_name ?? r.source_id,
    title: r.title,
    url: r.url,
    publishedAt: r.published_at,
    snippet: snippetOf(r.title, r.text, terms),
    stories: storiesByItem.get(r.id) ?? [],
  }));
}

/** The published stories whose item list holds each of these item ids. */
async function storiesHolding(
  store: Store,
  itemIds: readonly string[],
): Promise<Map<string, { reportDate: string; storyId: string; title: string }[]>> {
  const out = new Map<string, { reportDate: string; storyId: string; title: string }[]>();
  if (itemIds.length === 0) return out;
  const rows = await store.db
    .selectFrom('report_stories')
    .select(['report_date', 'story_id', 'title', 'item_ids_json'])
    .where((eb) => eb.or(itemIds.map((id) => like('report_stories.item_ids_json', JSON.stringify(id)))))
    .orderBy('report_date', 'desc')
    .execute();
  const wanted = new Set(itemIds);
  for (const row of rows) {
    let ids: unknown;
    try {
      ids = JSON.parse(row.item_ids_json);
    } catch {
      continue;
    }
    if (!Array.isArray(ids)) continue;
    for (const id of ids) {
      if (typeof id !== 'string' || !wanted.has(id)) continue;
      const list = out.get(id) ?? [];
      list.push({ reportDate: row.report_date, storyId: row.story_id, title: row.title });
      out.set(id, list);
    }
  }
  return out;
}

/** Up to ~160 characters of the text around the first term found in it (the title's start when none is). */
function snippetOf(title: string, text: string, terms: readonly string[]): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  let at = -1;
  for (const term of terms) {
    at = lower.indexOf(term.toLowerCase());
    if (at >= 0) break;
  }
  if (at < 0) return [...flat].slice(0, 160).join('') || title;
  const start = Math.max(0, at - 60);
  const piece = flat.slice(start, start + 160);
  return `${start > 0 ? '…' : ''}${piece}${start + 160 < flat.length ? '…' : ''}`;
}
