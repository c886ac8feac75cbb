/**
 * The shared recorded day (2026-08-22) run through the real CLI (`ai-daily run --replay`) with a
 * PostgreSQL store gives byte for byte the Markdown and JSON that the SQLite store gives: the
 * golden files, which test/e2e/golden.test.ts holds the SQLite run to. Needs a PostgreSQL server
 * (test/support/postgres.ts): skipped with one line without one, failed under CI.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
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
  concurrency: 2,
  ...(postgresSkip() ? { skip: postgresSkip() } : {}),
}, () => {
  const databases: TestDatabase[] = [];
  after(async () => {
    for (const database of databases) await database.drop();
  });

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
});
