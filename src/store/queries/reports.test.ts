/**
 * The web app's reads of several reports of one date, on both backends: stories, section counts and
 * story details kept to one report (`report`), every row saying which report it is of, and the
 * report of each run read from its key.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { storeBackends } from '../../../test/support/store-backends.js';
import type { Item, Story } from '../../core/types.js';
import { Store } from '../store.js';
import { listReports, reportsOfDate, sectionCountsSince, storiesOfDates } from './reports.js';
import { listRunsWithStages } from './runs.js';
import { search } from './search.js';
import { storyDetail } from './stories.js';

function item(id: string): Item {
  return {
    id,
    sourceId: 's',
    identity: `url:${id}`,
    url: `https://example.org/${id}`,
    canonicalUrl: `https://example.org/${id}`,
    title: `Zephyr ${id}`,
    text: 'Zephyr.',
    language: 'en',
    publishedAt: '2026-08-21T00:00:00.000Z',
    fetchedAt: '2026-08-22T00:00:00.000Z',
    authors: [],
    engagement: {},
    tags: [],
    externalIds: {},
  };
}

function story(id: string, title: string, itemIds: string[], section: string): Story {
  return {
    id,
    title,
    itemIds,
    sourceIds: ['s'],
    keys: ['k:zephyr'],
    section: section as Story['section'],
    score: { recency: 1, authority: 1, coverage: 0, engagement: 0, relevance: 1, newsValue: 1, total: 0.5 },
    firstSeenAt: '2026-08-21T00:00:00.000Z',
  };
}

async function fill(store: Store): Promise<void> {
  await store.saveItems(['a', 'b', 'c', 'd'].map(item));
  const save = (report: string | undefined, date: string, language: string, stories: Story[]) =>
    store.saveReport({
      ...(report === undefined ? {} : { report }),
      date,
      language,
      mode: 'extractive',
      generatedAt: `${date}T02:00:00.000Z`,
      markdownPath: `${date}.md`,
      jsonPath: `${date}.json`,
      manifest: {},
      stories,
    });
  await save('llm-en', '2026-08-21', 'en', [story('old', 'Zephyr paper', ['a'], 'papers')]);
  await save('products-zh', '2026-08-21', 'zh', [story('old', 'Zephyr app', ['b'], 'products')]);
  await save('llm-en', '2026-08-22', 'en', [story('new-llm', 'Zephyr model', ['c', 'a'], 'llm')]);
  await save('products-zh', '2026-08-22', 'zh', [story('new-app', 'Zephyr phone', ['d'], 'products')]);
  await save(undefined, '2026-08-22', 'zh', [story('plain', 'Default story', ['d'], 'llm')]);
}

for (const backend of storeBackends()) {
  describe(`report queries of several reports on ${backend.name}`, backend.skip ? { skip: backend.skip } : {}, () => {
    after(() => backend.cleanup());

    it('keeps each report apart and says which report each row is of', async () => {
      const store = await Store.connect(await backend.location());
      try {
        await fill(store);
        assert.deepEqual(
          (await listReports(store)).map((r) => `${r.date} ${r.report} ${r.language}`),
          [
            '2026-08-22 default zh',
            '2026-08-22 llm-en en',
            '2026-08-22 products-zh zh',
            '2026-08-21 llm-en en',
            '2026-08-21 products-zh zh',
          ],
        );
        assert.equal((await reportsOfDate(store, '2026-08-22')).length, 3);
        assert.deepEqual(
          (await storiesOfDates(store, ['2026-08-22', '2026-08-21'])).map((s) => `${s.report}/${s.storyId}`),
          ['default/plain', 'llm-en/new-llm', 'products-zh/new-app', 'llm-en/old', 'products-zh/old'],
        );
        assert.deepEqual(
          (await storiesOfDates(store, ['2026-08-22', '2026-08-21'], 'products-zh')).map((s) => s.storyId),
          ['new-app', 'old'],
        );
        assert.deepEqual(
          (await sectionCountsSince(store, '2026-08-21', 'llm-en')).map((r) => [r.date, r.section, r.items]),
          [
            ['2026-08-21', 'papers', 1],
            ['2026-08-22', 'llm', 2],
          ],
        );
        assert.equal((await sectionCountsSince(store, '2026-08-21')).length, 4, 'every report');

        // One story id in two reports of a day: each report's copy, related within the report.
        assert.equal((await storyDetail(store, 'old', '2026-08-21', 'llm-en'))?.title, 'Zephyr paper');
        assert.equal((await storyDetail(store, 'old', '2026-08-21', 'products-zh'))?.title, 'Zephyr app');
        assert.equal(await storyDetail(store, 'new-app', undefined, 'llm-en'), undefined);
        const app = await storyDetail(store, 'new-app', '2026-08-22', 'products-zh');
        assert.equal(app?.report, 'products-zh');
        assert.deepEqual(
          app?.related.map((r) => `${r.report}/${r.storyId}/${r.title}`),
          ['products-zh/old/Zephyr app'],
        );
        assert.deepEqual((await storyDetail(store, 'old', undefined, 'llm-en'))?.reportDates, ['2026-08-21']);

        const found = await search(store, 'zephyr');
        assert.deepEqual(
          found.stories.map((s) => `${s.report}/${s.storyId}`),
          ['llm-en/new-llm', 'products-zh/new-app', 'llm-en/old', 'products-zh/old'],
        );
        const holders = found.items.find((hit) => hit.id === 'd')?.stories.map((s) => `${s.report}/${s.storyId}`);
        assert.deepEqual(holders?.sort(), ['default/plain', 'products-zh/new-app']);
        const within = await search(store, 'zephyr', 50, 'products-zh');
        assert.deepEqual(
          within.stories.map((s) => s.storyId),
          ['new-app', 'old'],
        );
        assert.deepEqual(
          within.items.find((hit) => hit.id === 'd')?.stories.map((s) => s.storyId),
          ['new-app'],
        );
        assert.equal(within.items.length, found.items.length, 'items are of no report: all of them');
      } finally {
        await store.close();
      }
    });

    it('a report written in zh and en on one date: one language, or each story once in the preferred one', async () => {
      const store = await Store.connect(await backend.location());
      try {
        await store.saveItems(['a', 'b', 'c'].map(item));
        const save = (report: string | undefined, date: string, language: string, stories: Story[]) =>
          store.saveReport({
            ...(report === undefined ? {} : { report }),
            date,
            language,
            mode: 'extractive',
            generatedAt: `${date}T02:00:00.000Z`,
            markdownPath: `${date}.${language}.md`,
            jsonPath: `${date}.${language}.json`,
            manifest: {},
            stories,
          });
        await save(undefined, '2026-08-21', 'zh', [story('s-old', 'Zephyr 预览', ['a'], 'llm')]);
        await save(undefined, '2026-08-21', 'en', [story('s-old', 'Zephyr preview', ['a'], 'llm')]);
        await save(undefined, '2026-08-22', 'zh', [
          story('s-model', 'Zephyr 模型', ['b'], 'llm'),
          story('s-app', 'Zephyr 应用', ['c'], 'products'),
        ]);
        await save(undefined, '2026-08-22', 'en', [
          story('s-app', 'Zephyr app', ['c'], 'products'),
          story('s-model', 'Zephyr model', ['b'], 'llm'),
        ]);
        // A report only in en (another report of the store): its en copy whatever is preferred.
        await save('llm-en', '2026-08-22', 'en', [story('s-model', 'Zephyr model paper', ['b'], 'llm')]);
        const line = (s: { report: string; language: string; storyId: string; title: string }) =>
          `${s.report} ${s.language} ${s.storyId} ${s.title}`;
        const preferZh = { prefer: { default: 'zh' }, otherwise: 'zh' };

        assert.deepEqual((await storiesOfDates(store, ['2026-08-22'], 'default', { only: 'en' })).map(line), [
          'default en s-app Zephyr app',
          'default en s-model Zephyr model',
        ]);
        assert.deepEqual((await storiesOfDates(store, ['2026-08-22'], 'default', { only: 'zh' })).map(line), [
          'default zh s-model Zephyr 模型',
          'default zh s-app Zephyr 应用',
        ]);
        assert.deepEqual((await storiesOfDates(store, ['2026-08-22'], undefined, preferZh)).map(line), [
          'default zh s-model Zephyr 模型',
          'default zh s-app Zephyr 应用',
          'llm-en en s-model Zephyr model paper',
        ]);
        // No preference: each story once, in the first language by name.
        assert.deepEqual(
          (await storiesOfDates(store, ['2026-08-22'], 'default')).map((s) => `${s.language} ${s.storyId}`),
          ['en s-app', 'en s-model'],
        );
        assert.deepEqual(
          (await sectionCountsSince(store, '2026-08-21', 'default', preferZh)).map((r) => [
            r.date,
            r.section,
            r.stories,
            r.items,
          ]),
          [
            ['2026-08-21', 'llm', 1, 1],
            ['2026-08-22', 'llm', 1, 1],
            ['2026-08-22', 'products', 1, 1],
          ],
        );

        // A story in each language; its dates and related stories once, in its language.
        assert.equal((await storyDetail(store, 's-model', undefined, 'default', preferZh))?.title, 'Zephyr 模型');
        const english = await storyDetail(store, 's-model', '2026-08-22', 'default', { only: 'en' });
        assert.deepEqual([english?.language, english?.title], ['en', 'Zephyr model']);
        assert.equal(await storyDetail(store, 's-model', '2026-08-22', 'llm-en', { only: 'zh' }), undefined);
        const old = await storyDetail(store, 's-old', undefined, 'default', { only: 'en' });
        assert.deepEqual(old?.reportDates, ['2026-08-21']);
        const later = await storyDetail(store, 's-model', '2026-08-22', 'default', { only: 'en' });
        assert.deepEqual(later?.related.map(line), ['default en s-old Zephyr preview']);

        // Search: a story once (the preferred copy's title is the one matched), an item's stories once.
        const found = await search(store, 'zephyr', 50, undefined, preferZh);
        assert.deepEqual(found.stories.map(line), [
          'default zh s-model Zephyr 模型',
          'default zh s-app Zephyr 应用',
          'llm-en en s-model Zephyr model paper',
          'default zh s-old Zephyr 预览',
        ]);
        assert.deepEqual(
          found.items
            .find((hit) => hit.id === 'b')
            ?.stories.map(line)
            .sort(),
          ['default zh s-model Zephyr 模型', 'llm-en en s-model Zephyr model paper'],
        );
        // An English word finds the story by its en title; it is listed once, under its zh title.
        assert.deepEqual((await search(store, 'app', 50, 'default', preferZh)).stories.map(line), [
          'default zh s-app Zephyr 应用',
        ]);
        assert.deepEqual((await search(store, 'app', 50, 'default', { only: 'zh' })).stories.map(line), []);
        assert.deepEqual((await search(store, 'app', 50, 'default', { only: 'en' })).stories.map(line), [
          'default en s-app Zephyr app',
        ]);
      } finally {
        await store.close();
      }
    });

    it('reads the report of each run from its key (none named: the default report)', async () => {
      const store = await Store.connect(await backend.location());
      try {
        const keys = [
          JSON.stringify({ date: '2026-08-22', language: 'zh', mode: 'extractive' }),
          JSON.stringify({ report: 'llm-en', date: '2026-08-22', language: 'en', mode: 'llm' }),
        ];
        for (const [i, key] of keys.entries()) {
          const run = await store.beginRun(key, '2026-08-22', new Date(`2026-08-22T02:0${i}:00Z`));
          await store.finishRun(run.id, 'done', new Date(`2026-08-22T02:0${i}:30Z`));
        }
        assert.deepEqual(
          (await listRunsWithStages(store)).map((r) => [r.report, r.language, r.mode]),
          [
            ['llm-en', 'en', 'llm'],
            ['default', 'zh', 'extractive'],
          ],
        );
      } finally {
        await store.close();
      }
    });
  });
}
