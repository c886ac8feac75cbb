/**
 * The shared recorded day (2026-08-22) run through the real CLI (`ai-daily run --replay`) with a
 * PostgreSQL store gives byte for byte the Markdown and JSON that the SQLite store gives: the
 * golden files, which test/e2e/golden.test.ts holds the SQLite run to. The web app's reads of the
 * two stores then answer the same. Needs a PostgreSQL server (test/support/postgres.ts): skipped
 * with one line without one, failed under CI.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { webQueries } from '../../src/store/queries/index.js';
import { Store, type StoreLocation } from '../../src/store/store.js';
import { dayFile, repoRoot } from '../support/fixtures.js';
import { createTestDatabase, postgresSkip, type TestDatabase } from '../support/postgres.js';
import { runReplayDay } from '../support/replay-day.js';

const goldenDir = path.join(repoRoot, 'test/fixtures/golden');
const day = '2026-08-22';

/** The first line where two texts differ, with its neighbours (golden.test.ts shows a full diff). */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  let line = 0;
  while (line < a.length && a[line] === b[line]) line += 1;
  const around = (lines: string[]) => lines.slice(Math.max(0, line - 1), line + 2).join('\n');
  return `line ${line + 1}:\n- ${around(a)}\n+ ${around(b)}`;
}

describe('the recorded day on a PostgreSQL store', {
  ...(postgresSkip() ? { skip: postgresSkip() } : {}),
}, () => {
  const databases: TestDatabase[] = [];
  after(async () => {
    for (const database of databases) await database.drop();
  });

  const stores: Partial<Record<'sqlite' | 'postgres', StoreLocation>> = {};
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-pg-day-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const lang of ['zh', 'en'] as const) {
    it(`${day} (${lang}): the same Markdown and JSON as on SQLite (the golden files)`, async () => {
      const database = await createTestDatabase();
      databases.push(database);
      const result = await runReplayDay({
        recordedDayFile: dayFile(day),
        lang,
        store: { driver: 'postgres', url: database.url },
      });
      assert.ok(result.items.length > 0, 'the run stored its items in PostgreSQL');
      if (lang === 'zh') stores.postgres = { driver: 'postgres', url: database.url };
      for (const [ext, text] of [
        ['md', result.markdown],
        ['json', result.jsonText],
      ] as const) {
        const golden = readFileSync(path.join(goldenDir, `${day}.${lang}.${ext}`), 'utf8');
        if (golden !== text)
          assert.fail(
            `${day}.${lang}.${ext} differs on PostgreSQL (- SQLite, + PostgreSQL):\n${firstDifference(golden, text)}`,
          );
      }
    });
  }

  it("the web app's reads answer the same on both stores", async () => {
    assert.ok(stores.postgres, 'the zh run above made the PostgreSQL store');
    stores.sqlite = { driver: 'sqlite', path: path.join(dir, 'ai-daily.db') };
    await runReplayDay({ recordedDayFile: dayFile(day), lang: 'zh', store: stores.sqlite });
    const answers: Record<string, unknown>[] = [];
    for (const location of [stores.sqlite, stores.postgres]) {
      const store = await Store.connect(location, { readOnly: true });
      try {
        const q = webQueries(store);
        const reports = await q.listReports();
        const stories = await q.storiesOfDates([day]);
        const now = new Date('2026-08-22T12:00:00Z');
        const runs = await q.runs();
        answers.push({
          reports,
          ofDate: await q.reportsOfDate(day),
          stories,
          sections: await q.sectionCountsSince('2026-08-01'),
          detail: await q.storyDetail(stories[0]?.storyId ?? ''),
          searches: await Promise.all(['千问', '模型', 'agent', 'OpenAI', 'AI', '%'].map((term) => q.search(term))),
          statuses: await q.sourceStatuses(now),
          availability: await q.sourceAvailability('2026-08-01T00:00:00Z'),
          latestFetchAt: await q.latestFetchAt(),
          // A run's id is random and its stages' times are the machine's: their shape only.
          runs: runs.map((run) => ({ ...run, id: typeof run.id, stages: run.stages.map((stage) => stage.stage) })),
        });
      } finally {
        await store.close();
      }
    }
    const [sqlite, postgres] = answers;
    assert.ok(
      (sqlite!.stories as unknown[]).length > 0 && (sqlite!.searches as { items: unknown[] }[])[2]!.items.length > 0,
    );
    // Fetch and stage durations are the machine's wall clock, not the store's.
    const timeless = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value, (key, v) => (key === 'elapsedMs' || key === 'durationMs' ? undefined : v)));
    for (const key of Object.keys(sqlite!)) {
      assert.deepEqual(timeless(postgres![key]), timeless(sqlite![key]), `${key}: PostgreSQL = SQLite`);
    }
  });
});
