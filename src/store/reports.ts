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
    await trx
      .deleteFrom('report_stories')
      .where('report_id', '=', reportId)
      .where('report_date', '=', report.date)
      .execute();
    let position = 0;
    for (const story of report.stories) {
      await trx
        .insertInto('report_stories')
        .values({
          report_id: reportId,
          report_date: report.date,
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

/** The stories report `report` published on the `days` report dates before `date`: its own memory, not another report's. */
export async function publishedStoriesBefore(
  db: Kysely<Database>,
  date: string,
  days = 14,
  report = DEFAULT_REPORT_ID,
): Promise<PublishedStory[]> {
  const since = shiftDate(date, -days);
  const rows = await db
    .selectFrom('report_stories')
    .selectAll()
    .where('report_id', '=', report)
    .where('report_date', '<', date)
    .where('report_date', '>=', since)
    .orderBy('report_date', 'desc')
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    storyId: r.story_id,
    reportDate: r.report_date,
    itemIds: JSON.parse(r.item_ids_json) as string[],
    keys: JSON.parse(r.keys_json) as string[],
    sourceIds: JSON.parse(r.source_ids_json) as string[],
  }));
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
