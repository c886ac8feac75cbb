/**
 * The web app over one report written in zh and en on the same days (`schedule.languages: [zh, en]`,
 * or `run --language en` after the zh run), saved through the Store's own API into a real SQLite file
 * (zh first, then en, as a morning's runs do) and read over real HTTP on loopback: the zh page shows
 * the zh headlines and the en page the en ones, a story's page shows the copy of its language, and
 * the archive and search, which are of no one language, list each story once, in the report's own
 * language (zh, the config's).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { newsItem, newsStory, serveFilledStore, type WebUnderTest } from '../../test/support/web-rows.js';
import type { RunningServer } from '../app/serve.js';
import type { Story } from '../core/types.js';
import { Store } from '../store/store.js';

/** Each day's stories in zh and en: the same stories, each language's headlines (and order). */
const DAYS: Record<string, Record<'zh' | 'en', Story[]>> = {
  '2026-08-21': {
    zh: [newsStory('s-old', 'Zephyr 预览论文', ['i-old'], { section: 'papers' })],
    en: [newsStory('s-old', 'Zephyr preview paper', ['i-old'], { section: 'papers' })],
  },
  '2026-08-22': {
    zh: [
      newsStory('s-model', 'Zephyr 模型发布', ['i-model']),
      newsStory('s-phone', 'Zephyr 手机助手上线', ['i-phone'], { section: 'products' }),
    ],
    en: [
      newsStory('s-phone', 'Zephyr phone assistant ships', ['i-phone'], { section: 'products' }),
      newsStory('s-model', 'Lab releases Zephyr model', ['i-model']),
    ],
  },
};

async function fillStore(file: string): Promise<void> {
  const store = await Store.open(file);
  await store.upsertSources(
    [{ id: 'news', name: 'News', kind: 'feed', url: 'https://news.example/feed' } as never],
    new Date('2026-08-21T02:00:00Z'),
  );
  await store.saveItems([
    newsItem('i-old', 'Zephyr preview paper'),
    newsItem('i-model', 'Lab releases Zephyr model'),
    newsItem('i-phone', 'Zephyr phone assistant ships'),
  ]);
  for (const [date, languages] of Object.entries(DAYS)) {
    for (const language of ['zh', 'en'] as const) {
      await store.saveReport({
        date,
        language,
        mode: 'extractive',
        generatedAt: `${date}T02:00:00.000Z`,
        markdownPath: `reports/2026/08/${date}${language === 'zh' ? '' : '.en'}.md`,
        jsonPath: `reports/2026/08/${date}${language === 'zh' ? '' : '.en'}.json`,
        manifest: {},
        stories: languages[language],
      });
    }
  }
  await store.close();
}

describe('the web app with one report written in zh and en on the same days', () => {
  let web: WebUnderTest;
  let server: RunningServer;

  before(async () => {
    web = await serveFilledStore(
      'language: zh\nschedule:\n  cron: "0 7 * * *"\n  languages: [zh, en]\nstore:\n  path: ./store.db\noutput:\n  dir: ./out\n',
      fillStore,
    );
    server = web.server;
  });
  after(() => web?.close());

  const get = (route: string) => fetch(new URL(route, server.url), { redirect: 'manual' });
  const html = async (route: string) => {
    const response = await get(route);
    assert.equal(response.status, 200, route);
    return parseHTML(await response.text()).document;
  };
  const texts = (document: ReturnType<typeof parseHTML>['document'], selector: string) =>
    [...document.querySelectorAll(selector)].map((element) => element.textContent ?? '');
  const hrefs = (document: ReturnType<typeof parseHTML>['document'], selector: string) =>
    [...document.querySelectorAll(selector)].map((a) => a.getAttribute('href') ?? '');

  it("each language's page shows that language's stories, in its order; the en run did not replace the zh one", async () => {
    const zh = await html('/reports/2026-08-22');
    assert.deepEqual(texts(zh, 'aside.day-stories li > a'), ['Zephyr 模型发布', 'Zephyr 手机助手上线']);
    assert.deepEqual(hrefs(zh, 'aside.day-stories li > a'), [
      '/stories/s-model?date=2026-08-22',
      '/stories/s-phone?date=2026-08-22',
    ]);
    const en = await html('/reports/2026-08-22?lang=en');
    assert.deepEqual(texts(en, 'aside.day-stories li > a'), [
      'Zephyr phone assistant ships',
      'Lab releases Zephyr model',
    ]);
    // Its story links keep the language.
    assert.deepEqual(hrefs(en, 'aside.day-stories li > a'), [
      '/stories/s-phone?date=2026-08-22&lang=en',
      '/stories/s-model?date=2026-08-22&lang=en',
    ]);
    const api = (await (await get('/api/reports/2026-08-22?lang=en')).json()) as {
      language: string;
      languages: string[];
      stories: { language: string; title: string }[];
    };
    assert.equal(api.language, 'en');
    assert.deepEqual(api.languages, ['en', 'zh']);
    assert.deepEqual(
      api.stories.map((s) => `${s.language} ${s.title}`),
      ['en Zephyr phone assistant ships', 'en Lab releases Zephyr model'],
    );
  });

  it("a story's page shows the copy of its language, and links within it", async () => {
    const zh = await html('/stories/s-model?date=2026-08-22');
    assert.equal(zh.querySelector('h1')?.textContent, 'Zephyr 模型发布');
    const en = await html('/stories/s-model?date=2026-08-22&lang=en');
    assert.equal(en.querySelector('h1')?.textContent, 'Lab releases Zephyr model');
    assert.deepEqual(texts(en, 'ul.related li a:not(:first-child)'), ['Zephyr preview paper']);
    for (const href of hrefs(en, 'article a:not(.external)')) assert.match(href, /lang=en/, href);
    // Published on one date, listed once.
    assert.deepEqual(texts(en, 'article h2 + ul.plain:not(.related) li'), ['2026-08-22']);
    assert.equal((await get('/stories/s-model?date=2026-08-22&lang=fr')).status, 404);
    const api = (await (await get('/api/stories/s-model?lang=en')).json()) as {
      story: { language: string; title: string };
    };
    assert.deepEqual([api.story.language, api.story.title], ['en', 'Lab releases Zephyr model']);
  });

  it('the archive lists each story of a day once, under its zh headline (the report language)', async () => {
    const archive = await html('/');
    const days = [...archive.querySelectorAll('section.day')];
    assert.deepEqual(
      days.map((day) => texts(day as never, 'ol.stories li > a')),
      [['Zephyr 模型发布', 'Zephyr 手机助手上线'], ['Zephyr 预览论文']],
    );
    // The chrome speaks the deployment's language (zh).
    assert.deepEqual(texts(archive, 'section.day p.report-links a'), [
      '报告（英文）',
      '报告（中文）',
      '报告（英文）',
      '报告（中文）',
    ]);
    const english = await html('/?lang=en');
    assert.deepEqual(texts(english, 'section.day p.report-links a'), [
      'report (English)',
      'report (Chinese)',
      'report (English)',
      'report (Chinese)',
    ]);
    // English chrome over the zh copies: a story's link is to its zh copy still (`lang` picks a copy there).
    assert.deepEqual(hrefs(english, 'ol.stories li > a').slice(0, 1), ['/stories/s-model?date=2026-08-22']);
    assert.deepEqual(hrefs(english, 'nav.site-nav ul a'), [
      '/?lang=en',
      '/search?lang=en',
      '/sources?lang=en',
      '/runs?lang=en',
    ]);
    const api = (await (await get('/api/reports')).json()) as {
      reports: { date: string; stories: { storyId: string; language: string }[] }[];
    };
    assert.deepEqual(
      api.reports.map((day) => day.stories.map((s) => `${s.language} ${s.storyId}`)),
      [['zh s-model', 'zh s-phone'], ['zh s-old']],
    );
  });

  it('search lists each story once, found by either title, under its zh headline', async () => {
    const api = (await (await get('/api/search?q=zephyr')).json()) as {
      stories: { storyId: string; title: string }[];
      items: { id: string; stories: { title: string }[] }[];
    };
    assert.deepEqual(
      api.stories.map((s) => `${s.storyId} ${s.title}`),
      ['s-model Zephyr 模型发布', 's-phone Zephyr 手机助手上线', 's-old Zephyr 预览论文'],
    );
    assert.deepEqual(
      api.items.find((hit) => hit.id === 'i-phone')?.stories.map((s) => s.title),
      ['Zephyr 手机助手上线'],
    );
    // An English word of the en headline finds the story; the page lists it once.
    const page = await html('/search?q=assistant');
    assert.deepEqual(texts(page, 'ol.results.stories li > a:first-child'), ['Zephyr 手机助手上线']);
  });
});
