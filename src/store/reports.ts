/**
 * Published reports and their stories (cross-day memory), keyed by the report's id
 * (src/config/reports.ts; `default` for a config without `reports:`).
 */
import type { Kysely, Transaction } from 'kysely';
import { DEFAULT_REPORT_ID } from '../core/report.js';
import type { Story } from '../core/types.js';
import type { Database } from './schema.js';
import type { StoreBackend } from './spec.js';

/** A story as it was published on an earlier day (cross-day memory). */
export interface PublishedStory {
  storyId: string;
  reportDate: string;
  itemIds: string[];
  keys: string[];
  sourceIds: string[];
}

/** A published report as the store keeps it, with its stories. */
export interface ReportToSave {
  /** The report's id (src/config/reports.ts); default `default`. */
  report?: string;
  date: string;
  language: string;
  mode: string;
  generatedAt: string;
  markdownPath: string;
  jsonPath: string;
  manifest: unknown;
  stories: Story[];
}

export async function saveReport(backend: StoreBackend, report: ReportToSave): Promise<void> {
  const reportId = report.report ?? DEFAULT_REPORT_ID;
  await transaction(backend, async (trx) => {
    await trx
      .deleteFrom('reports')
      .where('report_id', '=', reportId)
      .where('date', '=', report.date)
      .where('language', '=', report.language)
      .execute();
    await trx
      .insertInto('reports')
      .values({
        report_id: reportId,
        date: report.date,
        language: report.language,
        mode: report.mode,
        generated_at: report.generatedAt,
        markdown_path: report.markdownPath,
        json_path: report.jsonPath,
        manifest_json: JSON.stringify(report.manifest),
      })
      .execute();
    // Its own language's stories only: the report's run in another language keeps its own.
    await trx
      .deleteFrom('report_stories')
      .where('report_id', '=', reportId)
      .where('report_date', '=', report.date)
      .where('language', '=', report.language)
      .execute();
    let position = 0;
    for (const story of report.stories) {
      await trx
        .insertInto('report_stories')
        .values({
          report_id: reportId,
          report_date: report.date,
          language: report.language,
          story_id: story.id,
          position: position++,
          section: story.section,
          title: story.title,
          score_json: JSON.stringify(story.score),
          item_ids_json: JSON.stringify(story.itemIds),
          keys_json: JSON.stringify(story.keys),
          source_ids_json: JSON.stringify(story.sourceIds),
          update_of_json: story.updateOf ? JSON.stringify(story.updateOf) : null,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  });
}

/**
 * The stories report `report` published on the `days` report dates before `date`: its own memory,
 * not another report's; newest date first, then in the report's order.
 *
 * A report written in two languages on one day stored each language's stories (migration 0011).
 * A story's id, items, keys and sources do not depend on the language (the `stories` stage selects
 * them before the language is used: src/app/daily-run.ts#selectStoriesForDay; only the headline
 * and the order are the language's, `asPublished`), so the memory holds each story of a date once:
 * `language`'s copy (the report's own language) first, else the first language by name, with the
 * items, keys and sources of its other copies added after its own (two runs of one date that
 * collected in between can differ; what either published was published). `storyMemory` pools the
 * sources of every match and cites the latest date, so one entry per story and date detects
 * exactly what the copies would have.
 */
export async function publishedStoriesBefore(
  db: Kysely<Database>,
  date: string,
  days = 14,
  report = DEFAULT_REPORT_ID,
  language?: string,
): Promise<PublishedStory[]> {
  const since = shiftDate(date, -days);
  const rows = await db
    .selectFrom('report_stories')
    .selectAll()
    .where('report_id', '=', report)
    .where('report_date', '<', date)
    .where('report_date', '>=', since)
    .orderBy('report_date', 'desc')
    .orderBy('language')
    .orderBy('position')
    .orderBy('story_id')
    .execute();
  // Within a date the report's own language first (a stable sort keeps the rest in language order).
  const own = (r: (typeof rows)[number]) => (r.language === language ? 0 : 1);
  const ordered = [...rows].sort((a, b) =>
    a.report_date === b.report_date ? own(a) - own(b) : a.report_date < b.report_date ? 1 : -1,
  );
  const byStory = new Map<string, PublishedStory>();
  for (const r of ordered) {
    const key = JSON.stringify([r.report_date, r.story_id]);
    const seen = byStory.get(key);
    const itemIds = JSON.parse(r.item_ids_json) as string[];
    const keys = JSON.parse(r.keys_json) as string[];
    const sourceIds = JSON.parse(r.source_ids_json) as string[];
    if (!seen) {
      byStory.set(key, { storyId: r.story_id, reportDate: r.report_date, itemIds, keys, sourceIds });
      continue;
    }
    seen.itemIds = union(seen.itemIds, itemIds);
    seen.keys = union(seen.keys, keys);
    seen.sourceIds = union(seen.sourceIds, sourceIds);
  }
  return [...byStory.values()];
}

/** `first`, then what `more` adds to it, in their order. */
function union(first: readonly string[], more: readonly string[]): string[] {
  const out = [...first];
  const has = new Set(first);
  for (const value of more) {
    if (has.has(value)) continue;
    out.push(value);
    has.add(value);
  }
  return out;
}

export async function listReports(
  db: Kysely<Database>,
): Promise<{ report: string; date: string; language: string; mode: string; markdownPath: string }[]> {
  const rows = await db.selectFrom('reports').selectAll().orderBy('date', 'desc').execute();
  return rows.map((r) => ({
    report: r.report_id,
    date: r.date,
    language: r.language,
    mode: r.mode,
    markdownPath: r.markdown_path,
  }));
}

/**
 * A kysely transaction whose failure surfaces as its real cause (a StoreError), not as the
 * "cannot rollback - no transaction is active" that SQLite gives when it already rolled back.
 */
async function transaction<T>(backend: StoreBackend, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  let failure: unknown;
  try {
    return await backend.db.transaction().execute(async (trx) => {
      try {
        return await work(trx);
      } catch (error) {
        failure = error;
        throw error;
      }
    });
  } catch (error) {
    throw backend.toStoreError(failure ?? error);
  }
}

/** YYYY-MM-DD plus `days` (calendar arithmetic in UTC, which is exact for plain dates). */
export function shiftDate(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
