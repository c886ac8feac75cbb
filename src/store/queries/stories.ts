/**
 * One story for the web app: every report that published it, its items with their sources, its
 * score as stored, and related stories of earlier days (the same id, a shared identity key, or the
 * story it updates).
 */
import type { Store } from '../store.js';
import { type PublishedStoryRow, parseJson, type StoryLanguages, storyLanguage, toPublishedStory } from './reports.js';

export interface StoryItemRow {
  id: string;
  sourceId: string;
  sourceName: string;
  url: string;
  title: string;
  publishedAt: string;
  fetchedAt: string;
  dateFlag?: string;
  discussionUrl?: string;
}

export interface StoryDetail {
  /** The report that published it (`default` without `reports:`). */
  report: string;
  reportDate: string;
  /** The language of the report run whose copy this is (its title and place are that run's). */
  language: string;
  storyId: string;
  position: number;
  section: string;
  title: string;
  /** The stored score: each part (0..1) and `total`. */
  score: Record<string, number>;
  itemIds: string[];
  keys: string[];
  sourceIds: string[];
  updateOf?: { reportDate: string; previousSourceIds: string[] };
  /** Every date this report published this story id, newest first. */
  reportDates: string[];
  items: StoryItemRow[];
  /** Stories of earlier days of the same report that this one continues or shares an identity with. */
  related: (PublishedStoryRow & { why: 'same-story' | 'update-of' | 'shared-key' })[];
}

/** How far back related stories are looked for. */
const RELATED_DAYS = 60;

/**
 * A story by id, as the newest report that published it did; `date` picks another day's copy and
 * `report` one report's (of several that published the same story id, the first by id);
 * `languages` the language's copy (default: the one `storyLanguage` picks).
 */
export async function storyDetail(
  store: Store,
  storyId: string,
  date?: string,
  report?: string,
  languages?: StoryLanguages,
): Promise<StoryDetail | undefined> {
  let query = store.db
    .selectFrom('report_stories')
    .selectAll()
    .where('story_id', '=', storyId)
    .where(storyLanguage(languages));
  if (date !== undefined) query = query.where('report_date', '=', date);
  if (report !== undefined) query = query.where('report_id', '=', report);
  const rows = await query.orderBy('report_date', 'desc').orderBy('report_id').execute();
  const row = rows[0];
  if (!row) return undefined;
  // The dates and the related stories of its report, each once, in this copy's language where there is one.
  const sameLanguage = storyLanguage({ prefer: { [row.report_id]: row.language } });
  const reportDates = (
    await store.db
      .selectFrom('report_stories')
      .select('report_date')
      .where('story_id', '=', storyId)
      .where('report_id', '=', row.report_id)
      .where(sameLanguage)
      .orderBy('report_date', 'desc')
      .execute()
  ).map((r) => r.report_date);
  const itemIds = parseJson<string[]>(row.item_ids_json, []);
  const keys = parseJson<string[]>(row.keys_json, []);
  const updateOf = parseJson<{ reportDate: string; previousSourceIds: string[] } | null>(row.update_of_json, null);
  const items = await storyItems(store, itemIds);

  // Related: stories of the same report on the RELATED_DAYS report dates before this one.
  const since = new Date(Date.parse(`${row.report_date}T00:00:00Z`) - RELATED_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const earlier = await store.db
    .selectFrom('report_stories')
    .selectAll()
    .where('report_id', '=', row.report_id)
    .where('report_date', '<', row.report_date)
    .where('report_date', '>=', since)
    .where(sameLanguage)
    .orderBy('report_date', 'desc')
    .orderBy('position')
    .execute();
  const ownKeys = new Set(keys.filter((key) => key !== 'near'));
  const ownItems = new Set(itemIds);
  const related: StoryDetail['related'] = [];
  for (const other of earlier) {
    let why: StoryDetail['related'][number]['why'] | undefined;
    if (other.story_id === storyId) why = 'same-story';
    else if (updateOf && other.report_date === updateOf.reportDate && sharesAny(other, ownKeys, ownItems))
      why = 'update-of';
    else if (sharesAny(other, ownKeys, ownItems)) why = 'shared-key';
    if (why) related.push({ ...toPublishedStory(other), why });
  }
  return {
    report: row.report_id,
    reportDate: row.report_date,
    language: row.language,
    storyId: row.story_id,
    position: row.position,
    section: row.section,
    title: row.title,
    score: numbersOf(parseJson<Record<string, unknown>>(row.score_json, {})),
    itemIds,
    keys,
    sourceIds: parseJson<string[]>(row.source_ids_json, []),
    ...(updateOf ? { updateOf } : {}),
    reportDates,
    items,
    related,
  };
}

/** The items of a story with their source names, in the story's order (representative first). */
export async function storyItems(store: Store, itemIds: readonly string[]): Promise<StoryItemRow[]> {
  if (itemIds.length === 0) return [];
  const rows = await store.db
    .selectFrom('items')
    .leftJoin('sources', 'sources.id', 'items.source_id')
    .select([
      'items.id as id',
      'items.source_id as sourceId',
      'sources.name as sourceName',
      'items.url as url',
      'items.title as title',
      'items.published_at as publishedAt',
      'items.fetched_at as fetchedAt',
      'items.date_flag as dateFlag',
      'items.discussion_url as discussionUrl',
    ])
    .where('items.id', 'in', [...itemIds])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return itemIds.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id: r.id,
        sourceId: r.sourceId,
        sourceName: r.sourceName ?? r.sourceId,
        url: r.url,
        title: r.title,
        publishedAt: r.publishedAt,
        fetchedAt: r.fetchedAt,
        ...(r.dateFlag ? { dateFlag: r.dateFlag } : {}),
        ...(r.discussionUrl ? { discussionUrl: r.discussionUrl } : {}),
      },
    ];
  });
}

function sharesAny(
  row: { keys_json: string; item_ids_json: string },
  keys: ReadonlySet<string>,
  items: ReadonlySet<string>,
): boolean {
  if (parseJson<string[]>(row.keys_json, []).some((key) => keys.has(key))) return true;
  return parseJson<string[]>(row.item_ids_json, []).some((id) => items.has(id));
}

function numbersOf(value: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, part] of Object.entries(value)) if (typeof part === 'number') out[key] = part;
  return out;
}
