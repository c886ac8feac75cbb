import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { makeItem } from '../../test/fixtures/report/build-input.js';
import type { SourceOutcome } from '../core/run.js';
import { Store } from '../store/store.js';
import { termHistory } from './term-history.js';

function outcome(id: string): SourceOutcome {
  return { id, name: id, kind: 'feed', status: 'ok', itemsFound: 1, itemsNew: 1, itemsSeen: 0, elapsedMs: 1 };
}

describe('termHistory on a real store', () => {
  it('counts an earlier day only from the sources already collected by then', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-history-'));
    const store = await Store.open(path.join(dir, 'store.db'));
    try {
      // "old" has been collected every morning since 2026-08-18; "new" was first collected today and
      // back-filled items of the earlier days.
      for (const day of ['18', '19', '20', '21', '22']) {
        await store.recordOutcome(null, outcome('old'), new Date(`2026-08-${day}T02:00:00Z`));
      }
      await store.recordOutcome(null, outcome('new'), new Date('2026-08-22T02:00:00Z'));
      const items = ['18', '19', '20', '21'].flatMap((day) => [
        makeItem({
          title: 'OpenAI ships agents',
          url: `https://old.example/${day}`,
          sourceId: 'old',
          publishedAt: `2026-08-${day}T01:00:00.000Z`,
        }),
        makeItem({
          title: 'Backfilled Gemini news',
          url: `https://new.example/${day}`,
          sourceId: 'new',
          publishedAt: `2026-08-${day}T01:00:00.000Z`,
        }),
      ]);
      await store.saveItems(items);
      const history = await termHistory(store, ['old', 'new'], {
        date: '2026-08-22',
        start: '2026-08-21T02:00:00.000Z',
        end: '2026-08-22T02:00:00.000Z',
      });
      assert.deepEqual(
        history.map((day) => [day.date, day.collected]),
        [
          ['2026-08-21', ['old']],
          ['2026-08-20', ['old']],
          ['2026-08-19', ['old']],
          ['2026-08-18', ['old']],
        ],
      );
      for (const day of history) {
        assert.equal(day.terms.gemini, undefined, `${day.date}: back-filled items are no baseline`);
        assert.equal(day.terms.openai, 1);
        assert.equal(day.terms.agent, 1);
      }
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts no day on which a source was not fetched: a store left unused for weeks has no baseline', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-history-'));
    const store = await Store.open(path.join(dir, 'store.db'));
    try {
      // Fetched once in April, then again today (2026-08-22): the days in between saw nothing.
      await store.recordOutcome(null, outcome('feed'), new Date('2026-04-28T02:00:00Z'));
      await store.recordOutcome(null, outcome('feed'), new Date('2026-08-20T02:00:00Z'));
      await store.recordOutcome(null, outcome('feed'), new Date('2026-08-22T02:00:00Z'));
      const history = await termHistory(store, ['feed'], {
        date: '2026-08-22',
        start: '2026-08-21T02:00:00.000Z',
        end: '2026-08-22T02:00:00.000Z',
      });
      assert.deepEqual(
        history.map((day) => [day.date, day.collected]),
        [['2026-08-20', ['feed']]],
        'only the day whose run fetched the source counts',
      );
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
