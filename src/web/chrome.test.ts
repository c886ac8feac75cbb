/**
 * The web app's chrome in the deployment's language: a zh-configured store (the default language)
 * saved through the Store's own API into a real SQLite file, served over real HTTP on loopback.
 * Its archive, search (with and without results), sources, runs, a story page and 404s speak
 * Chinese, say `<html lang="zh">` and hold none of the English chrome words; `?lang=en` shows the
 * same pages in English, and the links within the app keep it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { newsItem, newsStory, serveFilledStore, type WebUnderTest } from '../../test/support/web-rows.js';
import { ANALYSIS_MODES } from '../analyze/analyzer.js';
import type { RunningServer } from '../app/serve.js';
import { FETCH_ERROR_KINDS } from '../core/errors.js';
import { RUN_STAGES } from '../core/run.js';
import type { Story } from '../core/types.js';
import { Store } from '../store/store.js';
import { WEB_LABELS } from './labels.js';

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
    // Its feed gave no date: the time shown is when it was first seen, and the page says why.
    { ...newsItem('i-model', 'Lab releases Zephyr model'), dateFlag: 'missing' },
    newsItem('i-old', 'Zephyr preview paper'),
  ]);
  const day = (date: string, language: 'zh' | 'en', stories: Story[]) =>
    store.saveReport({
      date,
      language,
      mode: 'extractive',
      generatedAt: `${date}T02:00:00.000Z`,
      markdownPath: `reports/2026/08/${date}${language === 'zh' ? '' : '.en'}.md`,
      jsonPath: `reports/2026/08/${date}${language === 'zh' ? '' : '.en'}.json`,
      manifest: {},
      stories,
    });
  await day('2026-08-21', 'zh', [newsStory('s-old', 'Zephyr 预览论文', ['i-old'])]);
  await day('2026-08-22', 'zh', [newsStory('s-model', 'Zephyr 模型发布', ['i-model'])]);
  await day('2026-08-22', 'en', [newsStory('s-model', 'Lab releases Zephyr model', ['i-model'])]);
  const run = await store.beginRun(
    JSON.stringify({ report: 'default', date: '2026-08-22', language: 'zh', mode: 'extractive' }),
    '2026-08-22',
    new Date('2026-08-22T02:00:00Z'),
  );
  const outcome = { kind: 'feed', itemsFound: 2, itemsNew: 2, itemsSeen: 0, elapsedMs: 120 } as const;
  await store.recordOutcome(
    run.id,
    { ...outcome, id: 'news', name: 'News', status: 'ok' },
    new Date('2026-08-22T02:00:00Z'),
  );
  await store.recordOutcome(
    run.id,
    { ...outcome, id: 'lab', name: 'Lab', status: 'failed', errorKind: 'http-status', error: 'HTTP 503' },
    new Date('2026-08-22T02:00:01Z'),
  );
  // Its stages, a minute each: collect (2 items found), stories (1 selected), publish.
  await store.saveStage(run.id, 'collect', { sources: [{ itemsFound: 2 }] }, new Date('2026-08-22T02:01:00Z'));
  await store.saveStage(run.id, 'stories', { stories: [{}] }, new Date('2026-08-22T02:02:00Z'));
  await store.saveStage(run.id, 'publish', null, new Date('2026-08-22T02:03:00Z'));
  await store.finishRun(run.id, 'done', new Date('2026-08-22T02:10:00Z'));
  // The day before, written by the LLM analyzer.
  const llmRun = await store.beginRun(
    JSON.stringify({ report: 'default', date: '2026-08-21', language: 'zh', mode: 'llm' }),
    '2026-08-21',
    new Date('2026-08-21T02:00:00Z'),
  );
  await store.saveStage(llmRun.id, 'collect', { sources: [{ itemsFound: 1 }] }, new Date('2026-08-21T02:01:00Z'));
  await store.finishRun(llmRun.id, 'done', new Date('2026-08-21T02:10:00Z'));
  await store.close();
}

/** English words of the chrome that a Chinese page must not show (none is in the test's data). */
const ENGLISH = [
  ...Object.values(WEB_LABELS.en).filter(
    (label): label is string => typeof label === 'string' && /[A-Za-z]/.test(label),
  ),
  ...Object.values(WEB_LABELS.en.scorePart),
  // A run's mode and stages and why a fetch failed: in English words, and as the codes the store keeps.
  ...Object.values(WEB_LABELS.en.runModes),
  ...Object.values(WEB_LABELS.en.runStages),
  ...Object.values(WEB_LABELS.en.errorKinds),
  ...ANALYSIS_MODES,
  ...RUN_STAGES,
  ...FETCH_ERROR_KINDS,
  'source(s)',
  'sources',
  'Stories of',
  'Stories (',
  'Items (',
  'Report 2026',
  'The last',
  'Items per section',
  'Rising terms',
  'As of',
  'Source availability',
  'Search:',
  'first reported',
  'section ',
  'Large language models',
  'not fetched',
  '% ok',
];

/** Whether `text` holds `word` as a word of its own (English words inside a longer one do not count). */
function holds(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z])${escaped}($|[^A-Za-z])`).test(text);
}

const CHROME_CONFIG = [
  'language: zh',
  'store:',
  '  path: ./store.db',
  'output:',
  '  dir: ./out',
  'sources:',
  '  - { id: news, kind: feed, url: "https://news.example/feed" }',
  '  - { id: lab, kind: feed, url: "https://lab.example/feed" }',
  '',
].join('\n');

describe("the web app's chrome in the deployment's language (zh) and in ?lang=en", () => {
  let web: WebUnderTest;
  let server: RunningServer;

  before(async () => {
    web = await serveFilledStore(CHROME_CONFIG, fillStore);
    server = web.server;
  });
  after(() => web?.close());

  const get = (route: string) => fetch(new URL(route, server.url), { redirect: 'manual' });
  const page = async (route: string, status = 200) => {
    const response = await get(route);
    assert.equal(response.status, status, route);
    const html = await response.text();
    return { html, document: parseHTML(html).document };
  };
  /** What a reader sees: the text, and the words of the attributes a browser shows or reads out. */
  const shown = (document: ReturnType<typeof parseHTML>['document']): string =>
    [
      document.title,
      document.body?.textContent ?? '',
      ...[...document.querySelectorAll('[aria-label], [title], [placeholder]')].flatMap((element) =>
        ['aria-label', 'title', 'placeholder'].map((name) => element.getAttribute(name) ?? ''),
      ),
    ].join('\n');
  /**
   * What a reader sees, each text node on a line of its own (a word that ends where its element ends
   * is a word of its own: `http-status` before `HTTP 503`), to look for words in.
   */
  const shownApart = (document: ReturnType<typeof parseHTML>['document']): string =>
    [
      shown(document),
      ...[...(document.body?.querySelectorAll('*') ?? [])].flatMap((element) =>
        [...element.childNodes].flatMap((node) => (node.nodeType === 3 ? [node.textContent ?? ''] : [])),
      ),
    ].join('\n');
  const texts = (document: ReturnType<typeof parseHTML>['document'], selector: string) =>
    [...document.querySelectorAll(selector)].map((element) => (element.textContent ?? '').trim());
  const hrefs = (document: ReturnType<typeof parseHTML>['document'], selector: string) =>
    [...document.querySelectorAll(selector)].map((a) => a.getAttribute('href') ?? '');
  const attributes = (document: ReturnType<typeof parseHTML>['document'], selector: string, name: string) =>
    [...document.querySelectorAll(selector)].map((element) => element.getAttribute(name) ?? '');

  const PAGES: [string, number, string][] = [
    ['/', 200, '归档'],
    ['/search', 200, '搜索'],
    ['/search?q=Zephyr', 200, '搜索：Zephyr'],
    ['/search?q=nothing-matches-this', 200, '搜索：nothing-matches-this'],
    ['/sources', 200, '来源'],
    ['/runs', 200, '运行记录'],
    ['/stories/s-model?date=2026-08-22', 200, 'Zephyr 模型发布'],
    // The report file is not in the output folder: the page lists its stories from the store.
    ['/reports/2026-08-22', 200, '报告 2026-08-22'],
    ['/no-such-page', 404, '未找到'],
    ['/stories/no-such-story', 404, '未找到'],
  ];

  it('speaks Chinese on every page of a zh deployment: <html lang="zh">, no English chrome word', async () => {
    for (const [route, status, heading] of PAGES) {
      const { html, document } = await page(route, status);
      assert.match(html, /<html lang="zh">/, route);
      assert.equal(texts(document, 'h1')[0], heading, route);
      assert.deepEqual(texts(document, 'nav.site-nav ul a'), ['归档', '搜索', '来源', '运行记录'], route);
      const text = shownApart(document);
      const english = ENGLISH.filter((word) => holds(text, word));
      assert.deepEqual(english, [], `${route} shows English chrome`);
    }
  });

  it('words each page in Chinese: headings, tables, counts and empty states', async () => {
    const archive = (await page('/')).document;
    assert.deepEqual(texts(archive, 'h2'), ['最近 14 天', '报告']);
    assert.match(shown(archive), /Zephyr 模型发布 新 大语言模型（LLM） · 1 个来源/);
    assert.match(shown(archive), /每天各栏目的条目数（14 天）/);
    const found = (await page('/search?q=Zephyr')).document;
    assert.deepEqual(texts(found, 'h2'), ['报道（2）', '条目（2）']);
    const none = (await page('/search?q=nothing-matches-this')).document;
    assert.deepEqual(texts(none, 'main p.muted'), ['没有匹配的报道标题。', '没有匹配的条目。']);
    const sources = (await page('/sources')).document;
    assert.match(texts(sources, 'p.meta')[0] ?? '', /^截至 .*：2 个来源。$/);
    assert.deepEqual(texts(sources, 'table.sources thead th'), [
      '来源',
      '最近抓取',
      '状态',
      '7 天条目',
      '失败',
      '连续失败',
    ]);
    assert.deepEqual(texts(sources, 'table.sources .badge'), ['失败', '成功']);
    assert.match(shown((await page('/stories/s-model?date=2026-08-22')).document), /无发布日期/);
    // Why the failed source failed, in words; the code stays in `data-error-kind`.
    assert.deepEqual(texts(sources, 'table.sources .error-kind'), ['HTTP 错误状态']);
    assert.deepEqual(attributes(sources, 'table.sources .error-kind', 'data-error-kind'), ['http-status']);
    const runs = (await page('/runs')).document;
    assert.deepEqual(texts(runs, 'table.runs .badge'), ['完成', '完成']);
    // Each run's mode and stages, in words; the codes stay in `data-mode` and `data-stage`.
    assert.deepEqual(texts(runs, 'table.runs th .muted'), ['中文 · 抽取式', '中文 · LLM 分析']);
    assert.deepEqual(attributes(runs, 'table.runs .run-mode', 'data-mode'), ['extractive', 'llm']);
    assert.deepEqual(texts(runs, 'table.runs ul.stages li'), [
      '采集：60.0 s，2 条',
      '选题：60.0 s，1 条报道',
      '发布：60.0 s',
      '采集：60.0 s，1 条',
    ]);
    assert.deepEqual(attributes(runs, 'table.runs ul.stages li', 'data-stage'), [
      'collect',
      'stories',
      'publish',
      'collect',
    ]);
    const story = (await page('/stories/s-model?date=2026-08-22')).document;
    assert.deepEqual(texts(story, 'h2'), ['来源（1）', '评分', '收录于', '此前的相关报道']);
    assert.deepEqual(texts(story, 'table.score tbody th'), [
      '时效性',
      '权威性',
      '覆盖度',
      '互动热度',
      '相关性',
      '加权和',
      '新闻价值',
      '总分',
    ]);
    const report = (await page('/reports/2026-08-22')).document;
    assert.deepEqual(texts(report, 'main > p.report-links'), ['语言：English · 中文']);
    assert.deepEqual(texts(report, 'h2'), ['2026-08-22 的报道']);
    // Chinese punctuation between the words: full-width colons and parentheses.
    assert.deepEqual(texts(story, 'ul.related li'), ['2026-08-21：Zephyr 预览论文（共享来源条目或标识）']);
    assert.deepEqual(texts(found, 'p.in-story'), [
      '收录于：Zephyr 模型发布（2026-08-22）',
      '收录于：Zephyr 预览论文（2026-08-21）',
    ]);
    const missing = (await page('/no-such-page', 404)).document;
    assert.deepEqual(texts(missing, 'main p'), ['这里什么也没有。']);
  });

  it('?lang=en shows the same pages in English, <html lang="en">', async () => {
    const english: [string, number, string][] = [
      ['/?lang=en', 200, 'Archive'],
      ['/search?lang=en', 200, 'Search'],
      ['/search?q=Zephyr&lang=en', 200, 'Search: Zephyr'],
      ['/search?q=nothing-matches-this&lang=en', 200, 'Search: nothing-matches-this'],
      ['/sources?lang=en', 200, 'Sources'],
      ['/runs?lang=en', 200, 'Runs'],
      // A story's `lang` picks its copy: the en one, and its chrome with it.
      ['/stories/s-model?date=2026-08-22&lang=en', 200, 'Lab releases Zephyr model'],
      ['/reports/2026-08-22?lang=en', 200, 'Report 2026-08-22'],
      ['/no-such-page?lang=en', 404, 'Not found'],
      ['/stories/no-such-story?lang=en', 404, 'Not found'],
    ];
    for (const [route, status, heading] of english) {
      const { html, document } = await page(route, status);
      assert.match(html, /<html lang="en">/, route);
      assert.equal(texts(document, 'h1')[0], heading, route);
      assert.deepEqual(texts(document, 'nav.site-nav ul a'), ['Archive', 'Search', 'Sources', 'Runs'], route);
      assert.doesNotMatch(shown(document), /归档|运行记录|来源|评分|未找到/, route);
      if (route.startsWith('/stories/s-model')) assert.match(shown(document), /no publication date/, route);
    }
    const story = (await page('/stories/s-model?date=2026-08-22&lang=en')).document;
    assert.deepEqual(texts(story, 'h2'), ['Sources (1)', 'Score', 'Published in', 'Related stories of earlier days']);
    assert.deepEqual(texts(story, 'ul.related li'), ['2026-08-21: Zephyr 预览论文 (shares a source item or identity)']);
    const archive = (await page('/?lang=en')).document;
    assert.match(shown(archive), /Zephyr 模型发布 new Large language models \(LLM\) · 1 source\b/);
    const sources = (await page('/sources?lang=en')).document;
    assert.match(texts(sources, 'p.meta')[0] ?? '', /^As of .*: 2 sources\.$/);
    assert.deepEqual(texts(sources, 'table.sources .error-kind'), ['HTTP error status']);
    assert.deepEqual(attributes(sources, 'table.sources .error-kind', 'data-error-kind'), ['http-status']);
    const runs = (await page('/runs?lang=en')).document;
    assert.deepEqual(texts(runs, 'table.runs th .muted'), ['中文 · extractive', '中文 · LLM analysis']);
    assert.deepEqual(texts(runs, 'table.runs ul.stages li'), [
      'collection: 60.0 s, 2 items',
      'story selection: 60.0 s, 1 story',
      'publishing: 60.0 s',
      'collection: 60.0 s, 1 item',
    ]);
    // No code word as visible text (`extractive` is also its English word), no Chinese one.
    for (const document of [sources, runs]) {
      const text = shownApart(document);
      const codes = [...FETCH_ERROR_KINDS, ...RUN_STAGES, 'llm'].filter((word) => holds(text, word));
      assert.deepEqual(codes, []);
      assert.doesNotMatch(text, /抽取式|采集|选题|错误状态/);
    }
  });

  it('links within the app keep ?lang=en; the header switches language; the JSON API is as it was', async () => {
    for (const route of ['/?lang=en', '/search?q=Zephyr&lang=en', '/sources?lang=en', '/runs?lang=en']) {
      const { document } = await page(route);
      assert.deepEqual(
        hrefs(document, 'nav.site-nav ul a'),
        ['/?lang=en', '/search?lang=en', '/sources?lang=en', '/runs?lang=en'],
        route,
      );
      assert.equal(document.querySelector('a.brand')?.getAttribute('href'), '/?lang=en', route);
      assert.equal(document.querySelector('form.search input[name=lang]')?.getAttribute('value'), 'en', route);
      // The switch: 中文 links to this page in the deployment's language (no `lang`), English is this one.
      assert.deepEqual(texts(document, '.language-switch a'), ['中文'], route);
      assert.equal(texts(document, '.language-switch strong')[0], 'English', route);
    }
    const search = (await page('/search?q=Zephyr&lang=en')).document;
    assert.deepEqual(hrefs(search, '.language-switch a'), ['/search?q=Zephyr']);
    // Stories found stay links to their own copies (zh: the report's language), which speak it.
    assert.deepEqual(hrefs(search, 'ol.stories a').slice(0, 1), ['/stories/s-model?date=2026-08-22']);
    // The deployment's own language is not carried; the switch offers English.
    const zh = (await page('/runs')).document;
    assert.deepEqual(hrefs(zh, 'nav.site-nav ul a'), ['/', '/search', '/sources', '/runs']);
    assert.deepEqual(hrefs(zh, '.language-switch a'), ['/runs?lang=en']);
    assert.equal(zh.querySelector('form.search input[name=lang]'), null);
    // A story page in English (its en copy) keeps `lang=en` in the navigation and its own links.
    const story = (await page('/stories/s-model?date=2026-08-22&lang=en')).document;
    assert.deepEqual(hrefs(story, 'nav.site-nav ul a'), [
      '/?lang=en',
      '/search?lang=en',
      '/sources?lang=en',
      '/runs?lang=en',
    ]);
    assert.deepEqual(hrefs(story, 'p.meta a'), ['/reports/2026-08-22?lang=en']);
    // A related story of an earlier day is linked to its own copy (zh), which speaks Chinese.
    assert.deepEqual(hrefs(story, 'ul.related a'), ['/reports/2026-08-21', '/stories/s-old?date=2026-08-21']);
    // The API does not change with `lang`.
    const api = await (await get('/api/runs?lang=en')).text();
    assert.equal(api, await (await get('/api/runs')).text());
  });

  it('an unknown ?lang= is a 404, as /reports/:date?lang= has it, in the deployment language', async () => {
    for (const route of ['/?lang=fr', '/search?q=Zephyr&lang=fr', '/sources?lang=xx', '/runs?lang=EN']) {
      const { html, document } = await page(route, 404);
      assert.match(html, /<html lang="zh">/, route);
      assert.deepEqual(texts(document, 'main p'), ['没有这种语言：页面只有 zh 和 en 两种语言。'], route);
    }
    const report = (await page('/reports/2026-08-22?lang=fr', 404)).document;
    assert.deepEqual(texts(report, 'main p'), ['2026-08-22 没有 fr 报告。']);
  });
});

/** A store written by another version of ai-daily: a mode, a stage and an error kind this one has no words for. */
async function fillStoreOfAnotherVersion(file: string): Promise<void> {
  const store = await Store.open(file);
  await store.upsertSources(
    [{ id: 'odd', name: 'Odd', kind: 'feed', url: 'https://odd.example/feed' } as never],
    new Date('2026-08-22T02:00:00Z'),
  );
  const run = await store.beginRun(
    JSON.stringify({ report: 'default', date: '2026-08-22', language: 'zh', mode: 'hybrid' }),
    '2026-08-22',
    new Date('2026-08-22T02:00:00Z'),
  );
  await store.recordOutcome(
    run.id,
    {
      id: 'odd',
      name: 'Odd',
      kind: 'feed',
      status: 'failed',
      errorKind: 'solar-flare',
      error: 'the sun',
      itemsFound: 0,
      itemsNew: 0,
      itemsSeen: 0,
      elapsedMs: 5,
    } as never,
    new Date('2026-08-22T02:00:01Z'),
  );
  await store.saveStage(run.id, 'collect', { sources: [{ itemsFound: 0 }] }, new Date('2026-08-22T02:01:00Z'));
  // A stage named like a property every object has: shown as it is, not as Object's.
  await store.saveStage(run.id, 'constructor', null, new Date('2026-08-22T02:02:00Z'));
  await store.finishRun(run.id, 'done', new Date('2026-08-22T02:03:00Z'));
  await store.close();
}

describe('a mode, a stage or an error kind this version does not know', () => {
  let web: WebUnderTest;
  let server: RunningServer;

  before(async () => {
    web = await serveFilledStore(
      'language: zh\nstore:\n  path: ./store.db\noutput:\n  dir: ./out\nsources:\n  - { id: odd, kind: feed, url: "https://odd.example/feed" }\n',
      fillStoreOfAnotherVersion,
    );
    server = web.server;
  });
  after(() => web?.close());

  const document = async (route: string) => {
    const response = await fetch(new URL(route, server.url));
    assert.equal(response.status, 200, route);
    return parseHTML(await response.text()).document;
  };
  const texts = (page: ReturnType<typeof parseHTML>['document'], selector: string) =>
    [...page.querySelectorAll(selector)].map((element) => (element.textContent ?? '').trim());

  it('is shown as the store has it, in either language, and the JSON API returns it as stored', async () => {
    for (const lang of ['zh', 'en']) {
      const sources = await document(`/sources?lang=${lang}`);
      assert.deepEqual(texts(sources, 'table.sources .error-kind'), ['solar-flare'], lang);
      const runs = await document(`/runs?lang=${lang}`);
      assert.deepEqual(texts(runs, 'table.runs .run-mode'), ['hybrid'], lang);
      assert.deepEqual(
        [...runs.querySelectorAll('table.runs ul.stages li')].map((li) => li.getAttribute('data-stage')),
        ['collect', 'constructor'],
        lang,
      );
      assert.match(texts(runs, 'table.runs ul.stages li')[1] ?? '', /^constructor(：|: )60\.0 s$/, lang);
    }
    const api = (await (await fetch(new URL('/api/runs', server.url))).json()) as {
      runs: { mode: string; stages: { stage: string }[] }[];
    };
    assert.deepEqual(
      api.runs.map((run) => [run.mode, run.stages.map((s) => s.stage)]),
      [['hybrid', ['collect', 'constructor']]],
    );
    const sources = (await (await fetch(new URL('/api/sources', server.url))).json()) as {
      sources: { lastFetch?: { errorKind?: string } }[];
    };
    assert.deepEqual(
      sources.sources.map((s) => s.lastFetch?.errorKind),
      ['solar-flare'],
    );
  });
});
