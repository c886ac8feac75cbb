/**
 * The web app over a deployment with two reports (`llm-en`, `products-zh`) that both published on
 * 2026-08-21 and 2026-08-22, written through the Store's own API into a real SQLite file and read
 * over real HTTP on loopback: the archive names each report with its own top stories, a report's
 * page and a story's page show that report's stories only (related stories too), links carry the
 * report, search and runs say which report, `/runs`, `/sources` and search narrow to one report, a
 * page of one report keeps it in the site's navigation, an unknown report is a 404. And a one-report
 * deployment's pages carry no report at all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { newsItem, newsStory, serveFilledStore, type WebUnderTest } from '../../test/support/web-rows.js';
import type { RunningServer } from '../app/serve.js';
import type { Story } from '../core/types.js';
import { Store } from '../store/store.js';

async function fillStore(file: string): Promise<void> {
  const store = await Store.open(file);
  await store.upsertSources(
    [
      { id: 'news', name: 'News', kind: 'feed', url: 'https://news.example/feed' } as never,
      { id: 'lab', name: 'Lab', kind: 'feed', url: 'https://lab.example/feed' } as never,
    ],
    new Date('2026-08-21T02:00:00Z'),
  );
  await store.saveItems([
    newsItem('i-model', 'Lab releases Zephyr model'),
    newsItem('i-model-2', 'Zephyr model benchmarks'),
    newsItem('i-phone', 'Zephyr phone assistant ships'),
    newsItem('i-old-llm', 'Zephyr preview paper'),
    newsItem('i-old-prod', 'Zephyr app beta'),
  ]);
  const save = (report: string, date: string, language: string, stories: Story[]) =>
    store.saveReport({
      report,
      date,
      language,
      mode: 'extractive',
      generatedAt: `${date}T02:00:00.000Z`,
      markdownPath: `${report}/reports/2026/08/${date}.md`,
      jsonPath: `${report}/reports/2026/08/${date}.json`,
      manifest: {},
      stories,
    });
  // The same story id in both reports of one day (one item can make a story in each).
  await save('llm-en', '2026-08-21', 'en', [newsStory('s-old', 'Zephyr preview paper', ['i-old-llm'])]);
  await save('products-zh', '2026-08-21', 'zh', [newsStory('s-old', 'Zephyr app beta', ['i-old-prod'])]);
  await save('llm-en', '2026-08-22', 'en', [
    newsStory('s-model', 'Lab releases Zephyr model', ['i-model', 'i-model-2']),
  ]);
  await save('products-zh', '2026-08-22', 'zh', [newsStory('s-phone', 'Zephyr phone assistant ships', ['i-phone'])]);
  for (const [key, report] of [
    [JSON.stringify({ report: 'llm-en', date: '2026-08-22', language: 'en', mode: 'extractive' }), 'llm'],
    [JSON.stringify({ report: 'products-zh', date: '2026-08-22', language: 'zh', mode: 'extractive' }), 'products'],
  ] as const) {
    const handle = await store.beginRun(key, '2026-08-22', new Date(`2026-08-22T02:0${report.length % 9}:00Z`));
    await store.finishRun(handle.id, 'done', new Date('2026-08-22T02:10:00Z'));
  }
  await store.close();
}

const TWO_REPORTS = [
  'store:',
  '  path: ./store.db',
  'output:',
  '  dir: ./out',
  'sources:',
  '  - { id: news, kind: feed, url: "https://news.example/feed" }',
  '  - { id: lab, kind: feed, url: "https://lab.example/feed" }',
  'reports:',
  '  - id: llm-en',
  '    language: en',
  '    title: Research and papers',
  '    sources: [news, lab]',
  '  - id: products-zh',
  '    language: zh',
  '    title: 产品动态',
  '    sources: [lab]',
  '',
].join('\n');

describe('the web app with two reports of one date', () => {
  let web: WebUnderTest;
  let server: RunningServer;

  before(async () => {
    web = await serveFilledStore(TWO_REPORTS, fillStore);
    server = web.server;
  });
  after(() => web?.close());

  const get = (url: string) => fetch(new URL(url, server.url), { redirect: 'manual' });
  const html = async (url: string) => {
    const response = await get(url);
    assert.equal(response.status, 200, url);
    return parseHTML(await response.text()).document;
  };
  const hrefs = (document: ReturnType<typeof parseHTML>['document'], selector = 'main a') =>
    [...document.querySelectorAll(selector)].map((a) => a.getAttribute('href') ?? '');

  it('lists each report of a day under its name, with its own top stories', async () => {
    const document = await html('/');
    const day = document.querySelector('section.day');
    assert.ok(day);
    const parts = [...day.querySelectorAll('section.day-report')];
    assert.deepEqual(
      parts.map((part) => part.getAttribute('data-report')),
      ['llm-en', 'products-zh'],
    );
    assert.match(parts[0]?.querySelector('h4')?.textContent ?? '', /Research and papers \(llm-en\)/);
    assert.match(parts[1]?.querySelector('h4')?.textContent ?? '', /产品动态 \(products-zh\)/);
    assert.deepEqual(
      [...(parts[0]?.querySelectorAll('ol.stories a') ?? [])].map((a) => a.textContent),
      ['Lab releases Zephyr model'],
    );
    assert.deepEqual(
      [...(parts[1]?.querySelectorAll('ol.stories a') ?? [])].map((a) => a.textContent),
      ['Zephyr phone assistant ships'],
    );
    for (const href of hrefs(document, 'section.day a')) assert.match(href, /[?&]report=(llm-en|products-zh)/, href);
    // ?report= narrows the archive to one report.
    const one = await html('/?report=products-zh');
    assert.deepEqual(
      [...one.querySelectorAll('section.day-report')].map((part) => part.getAttribute('data-report')),
      ['products-zh', 'products-zh'],
    );
    assert.equal((await get('/?report=nope')).status, 404);
  });

  it('the archive API says which report each story is of', async () => {
    const api = (await (await get('/api/reports')).json()) as {
      reports: { date: string; stories: { report: string }[]; byReport: { report: string; name: string }[] }[];
    };
    const day = api.reports[0];
    assert.equal(day?.date, '2026-08-22');
    assert.deepEqual(
      day?.byReport.map((r) => [r.report, r.name]),
      [
        ['llm-en', 'Research and papers (llm-en)'],
        ['products-zh', '产品动态 (products-zh)'],
      ],
    );
    assert.deepEqual(
      day?.stories.map((s) => s.report),
      ['llm-en', 'products-zh'],
    );
    const one = (await (await get('/api/reports?report=llm-en')).json()) as { reports: { byReport: unknown[] }[] };
    assert.ok(one.reports.every((d) => d.byReport.length === 1));
  });

  it('a report page shows its own stories only; default: the first report; unknown: 404', async () => {
    const first = await html('/reports/2026-08-22');
    assert.match(first.querySelector('h1')?.textContent ?? '', /llm-en/);
    assert.deepEqual(
      [...first.querySelectorAll('aside.day-stories li > a')].map((a) => a.textContent),
      ['Lab releases Zephyr model'],
    );
    const products = await html('/reports/2026-08-22?report=products-zh');
    assert.deepEqual(
      [...products.querySelectorAll('aside.day-stories li > a')].map((a) => a.textContent),
      ['Zephyr phone assistant ships'],
    );
    assert.ok(hrefs(products, 'aside.day-stories a').every((href) => href.includes('report=products-zh')));
    assert.ok(hrefs(products, '.report-choice a').includes('/reports/2026-08-22?report=llm-en'));
    assert.equal((await get('/reports/2026-08-22?report=nope')).status, 404);
    assert.equal((await get('/reports/2026-08-22?report=products-zh&lang=en')).status, 404);
    const api = (await (await get('/api/reports/2026-08-22?report=products-zh')).json()) as {
      reportId: string;
      language: string;
      stories: { report: string }[];
    };
    assert.equal(api.reportId, 'products-zh');
    assert.equal(api.language, 'zh');
    assert.deepEqual(
      api.stories.map((s) => s.report),
      ['products-zh'],
    );
    assert.equal((await get('/api/reports/2026-08-22?report=nope')).status, 404);
  });

  it('a story as its report published it, related stories of the same report only', async () => {
    // s-old is a story id of both reports on 2026-08-21: ?report= picks each one's copy.
    const llm = (await (await get('/api/stories/s-old?date=2026-08-21&report=llm-en')).json()) as {
      story: { report: string; title: string };
    };
    assert.deepEqual([llm.story.report, llm.story.title], ['llm-en', 'Zephyr preview paper']);
    const products = (await (await get('/api/stories/s-old?date=2026-08-21&report=products-zh')).json()) as {
      story: { report: string; title: string };
    };
    assert.deepEqual([products.story.report, products.story.title], ['products-zh', 'Zephyr app beta']);

    const page = await html('/stories/s-phone?date=2026-08-22&report=products-zh');
    assert.equal(page.querySelector('h1')?.textContent, 'Zephyr phone assistant ships');
    const related = [...page.querySelectorAll('ul.related li')].map((li) => li.textContent ?? '');
    assert.equal(related.length, 1, 'the shared key finds the earlier story of its own report only');
    assert.match(related[0] ?? '', /Zephyr app beta/);
    for (const href of hrefs(page, 'article a:not(.external)')) assert.match(href, /report=products-zh/, href);
    assert.equal((await get('/stories/s-phone?report=llm-en')).status, 404);
    assert.equal((await get('/stories/s-phone?report=nope')).status, 404);
  });

  it('search results name the report and link with it', async () => {
    const api = (await (await get('/api/search?q=zephyr')).json()) as {
      stories: { report: string; storyId: string }[];
      items: { id: string; stories: { report: string }[] }[];
    };
    assert.deepEqual(
      api.stories.map((s) => `${s.report}/${s.storyId}`),
      ['llm-en/s-model', 'products-zh/s-phone', 'llm-en/s-old', 'products-zh/s-old'],
    );
    assert.deepEqual(api.items.find((i) => i.id === 'i-phone')?.stories.map((s) => s.report) ?? [], ['products-zh']);
    const page = await html('/search?q=zephyr');
    const storyLinks = hrefs(page, 'ol.results.stories a');
    assert.ok(storyLinks.includes('/stories/s-phone?date=2026-08-22&report=products-zh'), storyLinks.join(' '));
    assert.ok(storyLinks.includes('/stories/s-old?date=2026-08-21&report=llm-en'));
    assert.match(page.querySelector('ol.results.stories')?.textContent ?? '', /产品动态 \(products-zh\)/);
    for (const href of hrefs(page, 'p.in-story a')) assert.match(href, /report=/, href);
    // ?report= keeps one report's stories; the form keeps it, a link undoes it.
    const within = await html('/search?q=zephyr&report=llm-en');
    assert.ok(hrefs(within, 'ol.results.stories a').every((href) => !href.includes('products-zh')));
    assert.equal(within.querySelector('form.search.big input[name=report]')?.getAttribute('value') ?? null, null);
    assert.ok(hrefs(within, '.search-report a').includes('/search?q=zephyr'));
    assert.equal((await get('/search?q=zephyr&report=nope')).status, 404);
    assert.equal((await get('/api/search?q=zephyr&report=nope')).status, 404);
    const form = await html('/search?report=products-zh');
    assert.equal(form.querySelector('form.search.big input[name=report]')?.getAttribute('value'), 'products-zh');
  });

  it('runs say which report each made', async () => {
    const api = (await (await get('/api/runs')).json()) as { runs: { report: string; language: string }[] };
    assert.deepEqual(api.runs.map((r) => [r.report, r.language]).sort(), [
      ['llm-en', 'en'],
      ['products-zh', 'zh'],
    ]);
    const page = await html('/runs');
    const rows = [...page.querySelectorAll('table.runs tbody tr')];
    assert.deepEqual(rows.map((row) => row.getAttribute('data-report')).sort(), ['llm-en', 'products-zh']);
    const products = rows.find((row) => row.getAttribute('data-report') === 'products-zh');
    assert.match(products?.textContent ?? '', /产品动态 \(products-zh\)/);
    assert.equal(products?.querySelector('a')?.getAttribute('href'), '/reports/2026-08-22?report=products-zh');
    // ?report= keeps one report's runs, says so and links to all of them.
    const one = await html('/runs?report=products-zh');
    assert.deepEqual(
      [...one.querySelectorAll('table.runs tbody tr')].map((row) => row.getAttribute('data-report')),
      ['products-zh'],
    );
    assert.ok(hrefs(one, '.runs-report a').includes('/runs'));
    // In the deployment's language (zh, the default); `?lang=en` says it in English and keeps both.
    assert.equal(one.querySelector('.runs-report')?.textContent, '仅 产品动态 (products-zh) · 全部报告');
    const english = await html('/runs?report=products-zh&lang=en');
    assert.equal(english.querySelector('.runs-report')?.textContent, 'In 产品动态 (products-zh) only · every report');
    assert.deepEqual(hrefs(english, '.runs-report a'), ['/runs?lang=en']);
    assert.equal(
      english.querySelector('nav.site-nav a[aria-current=page]')?.getAttribute('href'),
      '/runs?report=products-zh&lang=en',
    );
    assert.deepEqual(hrefs(english, '.language-switch a'), ['/runs?report=products-zh']);
    const chooser = await html('/?report=llm-en&lang=en');
    assert.deepEqual(hrefs(chooser, 'main > p.report-links a'), ['/?lang=en', '/?report=products-zh&lang=en']);
    assert.match(chooser.querySelector('main > p.report-links')?.textContent ?? '', /^Reports: all · /);
    assert.match((await html('/')).querySelector('main > p.report-links')?.textContent ?? '', /^报告：全部 · /);
    const oneApi = (await (await get('/api/runs?report=llm-en')).json()) as { runs: { report: string }[] };
    assert.deepEqual(
      oneApi.runs.map((r) => r.report),
      ['llm-en'],
    );
    assert.equal((await get('/runs?report=nope')).status, 404);
    assert.equal((await get('/api/runs?report=nope')).status, 404);
  });

  it('sources: every source, or with ?report= the sources that report reads', async () => {
    const ids = async (route: string) =>
      [...(await html(route)).querySelectorAll('table.sources tbody tr')].map((row) => row.getAttribute('id'));
    assert.deepEqual(await ids('/sources'), ['source-lab', 'source-news']);
    assert.deepEqual(await ids('/sources?report=products-zh'), ['source-lab']);
    assert.deepEqual(await ids('/sources?report=llm-en'), ['source-lab', 'source-news']);
    const api = (await (await get('/api/sources?report=products-zh')).json()) as {
      report: string;
      sources: { id: string }[];
    };
    assert.equal(api.report, 'products-zh');
    assert.deepEqual(
      api.sources.map((s) => s.id),
      ['lab'],
    );
    assert.equal((await get('/sources?report=nope')).status, 404);
  });

  it("a page of one report keeps it: the site's navigation and header search carry ?report=", async () => {
    for (const route of [
      '/?report=products-zh',
      '/reports/2026-08-22?report=products-zh',
      '/stories/s-phone?date=2026-08-22&report=products-zh',
      '/search?q=zephyr&report=products-zh',
      '/sources?report=products-zh',
      '/runs?report=products-zh',
    ]) {
      const document = await html(route);
      const nav = hrefs(document, 'nav.site-nav ul a');
      assert.deepEqual(
        nav,
        ['/', '/search', '/sources', '/runs'].map((path) => `${path}?report=products-zh`),
        route,
      );
      assert.equal(
        document.querySelector('nav.site-nav form.search input[name=report]')?.getAttribute('value'),
        'products-zh',
        route,
      );
    }
    // Unnarrowed pages: plain navigation, no hidden report.
    const all = await html('/sources');
    assert.deepEqual(hrefs(all, 'nav.site-nav ul a'), ['/', '/search', '/sources', '/runs']);
    assert.equal(all.querySelector('nav.site-nav input[name=report]'), null);
  });
});

describe('the web app with one report: no report in pages or links', () => {
  let web: WebUnderTest;
  let server: RunningServer;

  before(async () => {
    web = await serveFilledStore('store:\n  path: ./store.db\noutput:\n  dir: ./out\n', async (file) => {
      const store = await Store.open(file);
      await store.saveItems([newsItem('i-model', 'Lab releases Zephyr model')]);
      await store.saveReport({
        date: '2026-08-22',
        language: 'zh',
        mode: 'extractive',
        generatedAt: '2026-08-22T02:00:00.000Z',
        markdownPath: 'reports/2026/08/2026-08-22.md',
        jsonPath: 'reports/2026/08/2026-08-22.json',
        manifest: {},
        stories: [newsStory('s-model', 'Lab releases Zephyr model', ['i-model'])],
      });
      await store.close();
    });
    server = web.server;
  });
  after(() => web?.close());

  it('shows the day as before: no report names, no ?report= in links', async () => {
    for (const route of ['/', '/reports/2026-08-22', '/stories/s-model', '/search?q=zephyr']) {
      const response = await fetch(new URL(route, server.url));
      assert.equal(response.status, 200, route);
      const { document } = parseHTML(await response.text());
      assert.equal(document.querySelectorAll('section.day-report, .report-choice').length, 0, route);
      for (const a of document.querySelectorAll('a')) assert.ok(!a.getAttribute('href')?.includes('report='), route);
    }
    assert.equal((await fetch(new URL('/reports/2026-08-22?report=default', server.url))).status, 200);
    assert.equal((await fetch(new URL('/reports/2026-08-22?report=llm-en', server.url))).status, 404);
  });
});
