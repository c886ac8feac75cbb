/**
 * Reads of the published reports for the web app: which reports exist (date, language, where their
 * files are) and the stories each day published. Plain rows; the SQL stays in src/store.
 */
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Store } from '../store.js';

export interface ReportEntry {
  /** The report's id (`reports:` in the config; `default` without). */
  report: string;
  date: string;
  language: string;
  mode: string;
  generatedAt: string;
  /** The report's JSON file, relative to the output folder (a report of `reports:` other than `default`: under its folder). */
  jsonPath: string;
  markdownPath: string;
}

/** A story as a day's report published it: its place, section, title and score total. */
export interface PublishedStoryRow {
  /** The report that published it (`default` without `reports:`). */
  report: string;
  reportDate: string;
  /** The language of the report run that published this copy (its headline and place are that run's). */
  language: string;
  storyId: string;
  position: number;
  section: string;
  title: string;
  total: number;
  sourceCount: number;
  /** Set when the story was reported on an earlier day (this is an update). */
  updateOf?: string;
}

/** Every report, newest date first (then by report id and language). */
export async function listReports(store: Store, limit = 1000): Promise<ReportEntry[]> {
  const rows = await store.db
    .selectFrom('reports')
    .select(['report_id', 'date', 'language', 'mode', 'generated_at', 'json_path', 'markdown_path'])
    .orderBy('date', 'desc')
    .orderBy('report_id')
    .orderBy('language')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    report: r.report_id,
    date: r.date,
    language: r.language,
    mode: r.mode,
    generatedAt: r.generated_at,
    jsonPath: r.json_path,
    markdownPath: r.markdown_path,
  }));
}

/** The reports of one date (one per report and language). */
export async function reportsOfDate(store: Store, date: string): Promise<ReportEntry[]> {
  return (await listReports(store, 100_000)).filter((r) => r.date === date);
}

/**
 * Which copy of each story a read gives. A report written in two languages on one day keeps each
 * language's stories (`report_stories` is keyed by report, date, language and story): `only` gives
 * that language's rows (a page of the report in that language); otherwise each story of a report
 * and date comes once, in the language `prefer` names for its report (`otherwise` for a report it
 * does not name: the web app passes each report's configured language, as it picks report files),
 * else in the first language by name that has it.
 */
export interface StoryLanguages {
  only?: string;
  prefer?: Readonly<Record<string, string>>;
  otherwise?: string;
}

/**
 * The condition on `report_stories` rows that keeps the copies `languages` picks: standard SQL (a
 * correlated NOT EXISTS, CASE), the same on both databases, so a LIMIT counts stories, not copies.
 */
export function storyLanguage(languages: StoryLanguages = {}): Expression<SqlBool> {
  if (languages.only !== undefined) return sql<SqlBool>`report_stories.language = ${languages.only}`;
  const preferred = (table: 'report_stories' | 'other') => {
    const reports = Object.entries(languages.prefer ?? {});
    const fallback = languages.otherwise ?? null;
    const language = sql.ref(`${table}.language`);
    if (reports.length === 0) return sql<number>`CASE WHEN ${language} = ${fallback} THEN 0 ELSE 1 END`;
    const cases = sql.join(
      reports.map(([report, wanted]) => sql`WHEN ${report} THEN ${wanted}`),
      sql` `,
    );
    return sql<number>`CASE WHEN ${language} = (CASE ${sql.ref(`${table}.report_id`)} ${cases} ELSE ${fallback} END) THEN 0 ELSE 1 END`;
  };
  return sql<SqlBool>`NOT EXISTS (SELECT 1 FROM report_stories other
    WHERE other.report_id = report_stories.report_id AND other.report_date = report_stories.report_date
      AND other.story_id = report_stories.story_id AND other.language <> report_stories.language
      AND (${preferred('other')} < ${preferred('report_stories')}
        OR (${preferred('other')} = ${preferred('report_stories')} AND other.language < report_stories.language)))`;
}

/**
 * The stories of these report dates, by date (newest first), report id and position; `report`
 * keeps one report's, `languages` picks each story's copy (default: one per story).
 */
export async function storiesOfDates(
  store: Store,
  dates: readonly string[],
  report?: string,
  languages?: StoryLanguages,
): Promise<PublishedStoryRow[]> {
  if (dates.length === 0) return [];
  let query = store.db
    .selectFrom('report_stories')
    .select(PUBLISHED_STORY_COLUMNS)
    .where('report_date', 'in', [...dates])
    .where(storyLanguage(languages));
  if (report !== undefined) query = query.where('report_id', '=', report);
  const rows = await query.orderBy('report_date', 'desc').orderBy('report_id').orderBy('position').execute();
  return rows.map(toPublishedStory);
}

/**
 * How many stories and items each section had on each report date since `since` (YYYY-MM-DD),
 * oldest first: over every report, or the one of `report`; a story published in two languages
 * counts once (the copy `languages` picks).
 */
export async function sectionCountsSince(
  store: Store,
  since: string,
  report?: string,
  languages?: StoryLanguages,
): Promise<{ date: string; section: string; stories: number; items: number }[]> {
  let query = store.db
    .selectFrom('report_stories')
    .select(['report_date', 'section', 'item_ids_json'])
    .where('report_date', '>=', since)
    .where(storyLanguage(languages));
  if (report !== undefined) query = query.where('report_id', '=', report);
  const rows = await query.orderBy('report_date').orderBy('section').execute();
  const out = new Map<string, { date: string; section: string; stories: number; items: number }>();
  for (const r of rows) {
    const key = `${r.report_date} ${r.section}`;
    const entry = out.get(key) ?? { date: r.report_date, section: r.section, stories: 0, items: 0 };
    entry.stories += 1;
    entry.items += parseJson<unknown[]>(r.item_ids_json, []).length;
    out.set(key, entry);
  }
  return [...out.values()];
}

/** The columns of `report_stories` that {@link toPublishedStory} reads. */
export const PUBLISHED_STORY_COLUMNS = [
  'report_id',
  'report_date',
  'language',
  'story_id',
  'position',
  'section',
  'title',
  'score_json',
  'source_ids_json',
  'update_of_json',
] as const;

export function toPublishedStory(r: {
  report_id: string;
  report_date: string;
  language: string;
  story_id: string;
  position: number;
  section: string;
  title: string;
  score_json: string;
  source_ids_json: string;
  update_of_json: string | null;
}): PublishedStoryRow {
  const score = parseJson<{ total?: unknown }>(r.score_json, {});
  const updateOf = r.update_of_json ? parseJson<{ reportDate?: unknown }>(r.update_of_json, {}).reportDate : undefined;
  return {
    report: r.report_id,
    reportDate: r.report_date,
    language: r.language,
    storyId: r.story_id,
    position: r.position,
    section: r.section,
    title: r.title,
    total: typeof score.total === 'number' ? score.total : 0,
    sourceCount: parseJson<unknown[]>(r.source_ids_json, []).length,
    ...(typeof updateOf === 'string' ? { updateOf } : {}),
  };
}

/** A JSON column read back; a damaged value gives `fallback`, never an exception in a page. */
export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
