/**
 * The web app in Debian's Chromium (playwright-core), over a store that the real CLI filled from
 * the shared recorded days (test/support/web-day.ts: 2026-08-22 in Chinese and English, 2026-09-23
 * in Chinese from 量子位 and InfoQ 中文), served by `ai-daily serve --port 0` as a child process.
 *
 * A reader's path, by clicks: the archive → a report → a story → one of its sources (a collected
 * URL; the browser is kept on loopback, so the click is aborted and recorded, never sent) → the
 * sources page; a Chinese and an English search through the search form, each finding stories.
 * Every page is screenshotted and the PNG's pixels are read back: a blank page fails.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { browserSkip, type LoopbackBrowser, launchLoopbackBrowser, type WatchedPage } from '../support/browser.js';
import { auditPage, linkTargets } from '../support/page-audit.js';
import { renderingStats } from '../support/png.js';
import { buildWebStore } from '../support/web-day.js';
import { type Served, startServe } from '../support/web-serve.js';

/** Every URL the runs collected (item and canonical URLs), as the browser writes them. */
function collectedUrls(dir: string): Set<string> {
  const db = new Database(path.join(dir, 'data/ai-daily.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT url, canonical_url FROM items').all() as { url: string; canonical_url: string }[];
    return new Set(rows.flatMap((row) => [row.url, row.canonical_url]).map((url) => new URL(url).href));
  } finally {
    db.close();
  }
}

/** A viewport screenshot of the page, checked for something rendered: text has many colours. */
async function assertRendered(page: Page, what: string): Promise<void> {
  const stats = renderingStats(await page.screenshot());
  const why = `${what} (${page.url()}) looks blank: ${JSON.stringify(stats)}`;
  assert.ok(stats.colours >= 32, why);
  assert.ok(stats.inked >= 0.01, why);
  assert.ok(stats.inkedRows >= 0.1, why);
}

const REPORT_LINK = /\/reports\/(\d{4}-\d{2}-\d{2})(?:\?lang=(zh|en))?$/;
const STORY_LINK = /\/stories\/[^/?#]+(?:\?[^#]*)?$/;

describe('the web app in Chromium, over the shared recorded days', { skip: browserSkip(), timeout: 300_000 }, () => {
  let dir: string | undefined;
  let served: Served | undefined;
  let browser: LoopbackBrowser | undefined;
  let tab: WatchedPage;
  let origin: string;
  let collected: Set<string>;
  /** The source link clicked on the story page: the one request allowed to be aborted. */
  let clickedSource: string | undefined;

  before(async () => {
    dir = await buildWebStore();
    collected = collectedUrls(dir);
    served = await startServe(dir);
    origin = served.origin;
    browser = await launchLoopbackBrowser();
    tab = await browser.newPage({ width: 1024, height: 800 });
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Goes to `route` on the server and checks the answer is a page. */
  async function open(route: string): Promise<Page> {
    const response = await tab.page.goto(`${origin}${route}`);
    assert.equal(response?.status(), 200, `${route}: ${response?.status()}`);
    assert.match(response?.headers()['content-type'] ?? '', /^text\/html/);
    return tab.page;
  }

  /** Clicks the first link whose absolute target passes `test`, and waits for the page it leads to. */
  async function follow(page: Page, test: RegExp): Promise<string> {
    const targets = await linkTargets(page);
    const index = targets.findIndex((href) => href.startsWith(origin) && test.test(href));
    const target = targets[index];
    assert.ok(target, `${page.url()} links to ${test}; its links: ${targets.slice(0, 40).join(' ')}`);
    await Promise.all([page.waitForURL(target), page.locator('a[href], area[href]').nth(index).click()]);
    return target;
  }

  it('a screenshot of a blank page fails the rendering check (the check can fail)', async () => {
    await tab.page.setContent('<html><body></body></html>');
    const stats = renderingStats(await tab.page.screenshot());
    assert.equal(stats.colours, 1);
    assert.equal(stats.inked, 0);
  });

  it('archive → report → story → a collected source → sources, by clicks', async () => {
    const page = await open('/');
    await assertRendered(page, 'the archive');
    // Reports by date, newest first, with each day's top stories.
    const dates = (await linkTargets(page)).flatMap((href) => REPORT_LINK.exec(href)?.[1] ?? []);
    assert.deepEqual([...new Set(dates)], ['2026-09-23', '2026-08-22'], 'the archive lists the days, newest first');
    assert.ok(
      (await linkTargets(page)).some((href) => STORY_LINK.test(href)),
      'the archive shows top stories',
    );
    assert.ok((await page.locator('svg').count()) > 0, 'the archive has its charts (SVG from the server)');

    const report = await follow(page, /\/reports\/2026-08-22(?:\?lang=zh)?$/);
    assert.match(report, /2026-08-22/);
    assert.match((await page.getAttribute('html', 'lang')) ?? '', /^zh/);
    await assertRendered(page, 'the report');

    await follow(page, STORY_LINK);
    await assertRendered(page, 'a story');
    // Its score, broken down: each part of the ranking with its weight (in Chinese: the story's copy is zh).
    assert.equal(await page.getAttribute('html', 'lang'), 'zh');
    const storyText = (await page.textContent('body')) ?? '';
    for (const part of ['时效性', '权威性', '覆盖度', '互动热度', '相关性']) {
      assert.ok(storyText.includes(part), `the story page shows the score part ${part}`);
    }
    // Its sources: links off the server, each one a URL that was collected.
    const sources = (await linkTargets(page)).filter((href) => !href.startsWith(origin));
    assert.ok(sources.length > 0, 'the story page links its sources');
    for (const href of sources) assert.ok(collected.has(href), `${href} was not collected`);

    // Clicking a source: the browser stays on loopback, so the request is aborted and recorded.
    const source = sources[0] as string;
    const aborted = tab.context.waitForEvent('requestfailed', { predicate: (request) => request.url() === source });
    const storyUrl = page.url();
    const index = (await linkTargets(page)).indexOf(source);
    await page.locator('a[href], area[href]').nth(index).click();
    await aborted;
    clickedSource = source;
    assert.deepEqual(tab.blocked, [source]);
    for (const other of tab.context.pages()) if (other !== page) await other.close();

    await open(new URL(storyUrl).pathname + new URL(storyUrl).search);
    await follow(page, /\/sources$/); // the site navigation
    await assertRendered(page, 'the sources page');
    assert.ok((await page.locator('svg').count()) > 0, 'the sources page has its availability chart');
    const text = (await page.textContent('body')) ?? '';
    for (const name of ['OpenAI News', '量子位', 'Google DeepMind'])
      assert.ok(text.includes(name), `sources lists ${name}`);
  });

  it('a Chinese search through the form (千问) finds stories of the Chinese day', async () => {
    const page = await open('/');
    await page.fill('form[action="/search"] input[name="q"]', '千问');
    await Promise.all([page.waitForURL(/\/search\?q=/), page.press('form[action="/search"] input[name="q"]', 'Enter')]);
    assert.equal(new URL(page.url()).searchParams.get('q'), '千问');
    await assertRendered(page, 'the Chinese search');
    const targets = await linkTargets(page);
    assert.ok(
      targets.some((href) => STORY_LINK.test(href)),
      `results link to a story: ${targets.join(' ')}`,
    );
    assert.ok(
      targets.some((href) => REPORT_LINK.exec(href)?.[1] === '2026-09-23'),
      'results link to their report',
    );
    await follow(page, STORY_LINK);
    assert.match((await page.textContent('body')) ?? '', /千问|Qwen/);

    // A Chinese substring inside a longer word matches too.
    await open(`/search?q=${encodeURIComponent('智能体')}`);
    assert.ok(
      (await linkTargets(page)).some((href) => STORY_LINK.test(href)),
      '智能体 finds a story',
    );
  });

  it('an English search through the form (Brockman) finds the story of 2026-08-22', async () => {
    const page = await open('/reports/2026-08-22?lang=en');
    assert.match((await page.getAttribute('html', 'lang')) ?? '', /^en/);
    await assertRendered(page, 'the English report');
    await page.fill('form[action="/search"] input[name="q"]', 'Brockman');
    await Promise.all([page.waitForURL(/\/search\?q=/), page.press('form[action="/search"] input[name="q"]', 'Enter')]);
    await assertRendered(page, 'the English search');
    const targets = await linkTargets(page);
    assert.ok(
      targets.some((href) => REPORT_LINK.exec(href)?.[1] === '2026-08-22'),
      'results link to their report',
    );
    await follow(page, STORY_LINK);
    assert.match((await page.textContent('body')) ?? '', /Brockman/);
    await assertRendered(page, 'the story found');
  });

  it('the run history lists the three runs', async () => {
    const page = await open('/runs');
    await assertRendered(page, 'the runs page');
    const text = (await page.textContent('body')) ?? '';
    assert.ok(text.includes('2026-09-23') && text.includes('2026-08-22'), text.slice(0, 500));
    // The deployment speaks zh; the header's switch shows the page in English, and the navigation keeps it.
    assert.equal(await page.getAttribute('html', 'lang'), 'zh');
    assert.equal(await page.textContent('h1'), '运行记录');
    await Promise.all([page.waitForURL(/\/runs\?lang=en$/), page.click('.language-switch a[hreflang="en"]')]);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent('h1'), 'Runs');
    await assertRendered(page, 'the runs page in English');
    await Promise.all([page.waitForURL(/\/sources\?lang=en$/), page.click('nav.site-nav a[href="/sources?lang=en"]')]);
    assert.equal(await page.textContent('h1'), 'Sources');
  });

  it('no page links an uncollected URL, shows a server path, carries script, asks off the server or opens a dialog', async () => {
    const routes = ['/', '/reports/2026-09-23', '/reports/2026-08-22?lang=en', '/sources', '/runs'];
    routes.push(`/search?q=${encodeURIComponent('模型')}`, '/search?q=model');
    const page = await open('/reports/2026-09-23');
    // Every story of the Chinese day.
    const stories = (await linkTargets(page)).filter((href) => STORY_LINK.test(href));
    routes.push(...new Set(stories.map((href) => href.slice(origin.length))));
    assert.ok(stories.length >= 5, `the report links its stories: ${stories.length}`);
    for (const route of routes) {
      await open(route);
      assert.deepEqual(await auditPage(page, origin), [], route);
      assert.ok(!(await page.content()).includes(dir as string), `${route} shows the server's folder ${dir}`);
      for (const href of await linkTargets(page)) {
        if (!href.startsWith(`${origin}/`))
          assert.ok(collected.has(href), `${route} links ${href}, which was not collected`);
      }
    }
    assert.deepEqual(tab.blocked, clickedSource ? [clickedSource] : []);
    for (const request of tab.requests) {
      if (request !== clickedSource) assert.equal(new URL(request).origin, origin, request);
    }
    assert.deepEqual(tab.dialogs, []);
    assert.deepEqual(tab.pageErrors, []);
  });

  it('stops cleanly on Ctrl-C', async () => {
    assert.equal(await served?.stop(), 0, served?.output());
  });
});
