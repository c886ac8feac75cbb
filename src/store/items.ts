/**
 * Items. The bulk write of a source's items and full-text search are the backend's
 * (src/store/spec.ts); every read is one query for both databases.
 */
import type { Kysely } from 'kysely';
import type { Engagement, ExternalIds, Item, Language } from '../core/types.js';
import type { Database, ItemsTable } from './schema.js';
import type { StoreBackend } from './spec.js';

export async function saveItems(backend: StoreBackend, items: Item[]): Promise<{ added: number; seen: number }> {
  if (items.length === 0) return { added: 0, seen: 0 };
  const unique = [...new Map(items.map((item) => [item.id, item])).values()];
  return backend.saveItems(unique.map(itemToRow));
}

export async function itemsPublishedBetween(
  db: Kysely<Database>,
  start: string,
  end: string,
  sourceIds?: string[],
): Promise<Item[]> {
  let query = db.selectFrom('items').selectAll().where('published_at', '>=', start).where('published_at', '<', end);
  if (sourceIds) {
    if (sourceIds.length === 0) return [];
    query = query.where('source_id', 'in', sourceIds);
  }
  const rows = await query.orderBy('published_at').orderBy('id').execute();
  return rows.map(rowToItem);
}

export async function latestItems(
  db: Kysely<Database>,
  sourceId: string,
  limit: number,
  between?: { start: string; end: string },
): Promise<Item[]> {
  let query = db.selectFrom('items').selectAll().where('source_id', '=', sourceId);
  if (between) query = query.where('published_at', '>=', between.start).where('published_at', '<', between.end);
  const rows = await query.orderBy('published_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map(rowToItem);
}

export async function itemsByIds(db: Kysely<Database>, ids: string[]): Promise<Item[]> {
  const items: Item[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('items')
      .selectAll()
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    items.push(...rows.map(rowToItem));
  }
  return items;
}

export async function countItems(db: Kysely<Database>, sourceIds?: string[]): Promise<number> {
  let query = db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n'));
  if (sourceIds) {
    if (sourceIds.length === 0) return 0;
    query = query.where('source_id', 'in', sourceIds);
  }
  const row = await query.executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function searchItems(
  backend: StoreBackend,
  text: string | readonly string[],
  limit = 20,
): Promise<Item[]> {
  const terms = (typeof text === 'string' ? [text] : text).filter((term) => term.trim() !== '');
  if (terms.length === 0) return [];
  return (await backend.searchItems(terms, limit)).map(rowToItem);
}

function itemToRow(item: Item): ItemsTable {
  return {
    id: item.id,
    source_id: item.sourceId,
    identity: item.identity,
    guid: item.guid ?? null,
    url: item.url,
    canonical_url: item.canonicalUrl,
    title: item.title,
    text: item.text,
    language: item.language,
    published_at: item.publishedAt,
    published_offset: item.publishedOffset ?? null,
    date_flag: item.dateFlag ?? null,
    fetched_at: item.fetchedAt,
    authors_json: JSON.stringify(item.authors),
    engagement_json: JSON.stringify(item.engagement),
    tags_json: JSON.stringify(item.tags),
    external_ids_json: JSON.stringify(item.externalIds),
    discussion_url: item.discussionUrl ?? null,
  };
}

/** A JSON column's value; the empty list and object, most items' authors, tags and ids, without the parser. */
function parseList<T>(json: string): T[] {
  return json === '[]' ? [] : (JSON.parse(json) as T[]);
}

function parseObject<T extends object>(json: string): T {
  return json === '{}' ? ({} as T) : (JSON.parse(json) as T);
}

function rowToItem(row: ItemsTable): Item {
  const item: Item = {
    id: row.id,
    sourceId: row.source_id,
    identity: row.identity,
    url: row.url,
    canonicalUrl: row.canonical_url,
    title: row.title,
    text: row.text,
    language: row.language as Language,
    publishedAt: row.published_at,
    fetchedAt: row.fetched_at,
    authors: parseList<string>(row.authors_json),
    engagement: parseObject<Engagement>(row.engagement_json),
    tags: parseList<string>(row.tags_json),
    externalIds: parseObject<ExternalIds>(row.external_ids_json),
  };
  if (row.guid !== null) item.guid = row.guid;
  if (row.published_offset !== null) item.publishedOffset = row.published_offset;
  if (row.date_flag !== null) item.dateFlag = row.date_flag as Item['dateFlag'];
  if (row.discussion_url !== null) item.discussionUrl = row.discussion_url;
  return item;
}
