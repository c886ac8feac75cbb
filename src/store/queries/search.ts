/**
 * Search for the web app, over items (title and text) and published stories (title), the same on
 * SQLite and PostgreSQL. Items through the store's full-text search (`Store#searchItems`: FTS5
 * trigram or pg_trgm, any substring, CJK included, case-insensitive, newest first); story titles
 * by substring, ASCII case folded. Every term of the query must match (whitespace separates terms).
 */
import { type Expression, type SqlBool, sql } from 'kysely';
import { likePattern } from '../spec.js';
import type { Store } from '../store.js';
import {
  PUBLISHED_STORY_COLUMNS,
  type PublishedStoryRow,
  type StoryLanguages,
  storyLanguage,
  toPublishedStory,
} from './reports.js';

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
  stories: { report: string; reportDate: string; language: string; storyId: string; title: string }[];
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

export { likePattern };

/** A case-sensitive substring (SQLite's LIKE folds ASCII case, PostgreSQL's does not: both compare `lower()`). */
function like(column: string, term: string): Expression<SqlBool> {
  const folded = term.replace(/[A-Z]/g, (char) => char.toLowerCase());
  return sql<SqlBool>`lower(${sql.ref(column)}) LIKE ${likePattern(folded)} ESCAPE '\\'`;
}

/**
 * Items and stories matching every term of `query`, newest first; `report` keeps that report's
 * stories (and, of each item, the stories of that report). A story published in two languages is
 * listed once, in the copy `languages` picks (its title in that language).
 */
export async function search(
  store: Store,
  query: string,
  limit = 50,
  report?: string,
  languages?: StoryLanguages,
): Promise<SearchResult> {
  const terms = searchTerms(query);
  if (terms.length === 0) return { query, terms, stories: [], items: [] };
  const [stories, items] = [
    await searchStories(store, terms, limit, report, languages),
    await searchItems(store, terms, limit, report, languages),
  ];
  return { query, terms, stories, items };
}

async function searchStories(
  store: Store,
  terms: readonly string[],
  limit: number,
  report: string | undefined,
  languages: StoryLanguages | undefined,
): Promise<PublishedStoryRow[]> {
  // One copy of each story (`languages`), found by the title of any of its copies (a report written
  // in zh and en: an English word finds the story, listed under its zh title where zh is preferred);
  // with `only`, by that language's title.
  const matches =
    languages?.only !== undefined
      ? sql<SqlBool>`${sql.join(
          terms.map((term) => like('report_stories.title', term)),
          sql` AND `,
        )}`
      : sql<SqlBool>`EXISTS (SELECT 1 FROM report_stories copy WHERE copy.report_id = report_stories.report_id
          AND copy.report_date = report_stories.report_date AND copy.story_id = report_stories.story_id
          AND ${sql.join(
            terms.map((term) => like('copy.title', term)),
            sql` AND `,
          )})`;
  let query = store.db
    .selectFrom('report_stories')
    .select(PUBLISHED_STORY_COLUMNS)
    .where(storyLanguage(languages))
    .where(matches);
  if (report !== undefined) query = query.where('report_id', '=', report);
  const rows = await query
    .orderBy('report_date', 'desc')
    .orderBy('report_id')
    .orderBy('position')
    .limit(limit)
    .execute();
  return rows.map(toPublishedStory);
}

async function searchItems(
  store: Store,
  terms: readonly string[],
  limit: number,
  report: string | undefined,
  languages: StoryLanguages | undefined,
): Promise<ItemHit[]> {
  const items = await store.searchItems(terms, limit);
  const sourceIds = [...new Set(items.map((item) => item.sourceId))];
  const names =
    sourceIds.length === 0
      ? new Map<string, string>()
      : new Map(
          (await store.db.selectFrom('sources').select(['id', 'name']).where('id', 'in', sourceIds).execute()).map(
            (row) => [row.id, row.name] as const,
          ),
        );
  const storiesByItem = await storiesHolding(
    store,
    items.map((item) => item.id),
    report,
    languages,
  );
  return items.map((item) => ({
    id: item.id,
    sourceId: item.sourceId,
    sourceName: names.get(item.sourceId) ?? item.sourceId,
    title: item.title,
    url: item.url,
    publishedAt: item.publishedAt,
    snippet: snippetOf(item.title, item.text, terms),
    stories: storiesByItem.get(item.id) ?? [],
  }));
}

/**
 * The published stories (of every report, or of `report`) whose item list holds each of these item
 * ids; each story of a report and date once (the copy `languages` picks).
 */
async function storiesHolding(
  store: Store,
  itemIds: readonly string[],
  report?: string,
  languages?: StoryLanguages,
): Promise<Map<string, ItemHit['stories']>> {
  const out = new Map<string, ItemHit['stories']>();
  if (itemIds.length === 0) return out;
  let query = store.db
    .selectFrom('report_stories')
    .select(['report_id', 'report_date', 'language', 'story_id', 'title', 'item_ids_json'])
    .where(storyLanguage(languages))
    .where((eb) =>
      eb.or(
        itemIds.map(
          (id) => sql<SqlBool>`report_stories.item_ids_json LIKE ${likePattern(JSON.stringify(id))} ESCAPE '\\'`,
        ),
      ),
    );
  if (report !== undefined) query = query.where('report_id', '=', report);
  const rows = await query.orderBy('report_date', 'desc').orderBy('report_id').execute();
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
      list.push({
        report: row.report_id,
        reportDate: row.report_date,
        language: row.language,
        storyId: row.story_id,
        title: row.title,
      });
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
