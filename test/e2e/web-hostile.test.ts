/**
 * A hostile feed in the web app: test/fixtures/hostile-web/feed.xml puts `<script>` tags, `onerror`
 * and `onload` attributes, `javascript:`/`data:`/`vbscript:` links, off-host images and
 * stylesheets, iframes, forms and meta refreshes in its channel, titles, descriptions, content and
 * links, some of it escaped twice so that it is stored as text (`<img src=x onerror=…>` in a title);
 * the article page its first item links to (article.html) does too. A real `ai-daily run`
 * collects it from a loopback server into a store (live transport, `http.allowHosts` naming the
 * server), `ai-daily serve` serves that store, and Chromium opens every page that shows its text.
 *
 * Nothing of it may act in the browser: no dialog opens, no request leaves the web app's own
 * origin (not even to the loopback feed server, whose URLs are collected ones), no element carries
 * an event handler or a script URL, no inline or foreign script is on a page, and the CSP header
 * forbids inline script. The hostile items still reach the pages, as text.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type LoopbackServer, startLoopbackServer } from '../fixtures/hostile/loopback-server.js';
import { browserSkip, type LoopbackBrowser, launchLoopbackBrowser, type WatchedPage } from '../support/browser.js';
import { repoRoot } from '../support/fixtures.js';
import { auditPage, linkTargets } from '../support/page-audit.js';
import { runOrThrow, type Served, startServe, writeConfig } from '../support/web-serve.js';

const fixtures = path.join(repoRoot, 'test/fixtures/hostile-web');
const FEED = readFileSync(path.join(fixtures, 'feed.xml'), 'utf8');
const ARTICLE = readFileSync(path.join(fixtures, 'article.html'), 'utf8');

/** Searches that put hostile text in the query too (reflected in the results page). */
const SEARCHES = ['alert', 'script', 'onerror', '千问', '<img src=x onerror=alert(1)>', '"><script>alert(1)</script>'];

describe('a hostile feed in the web app, in Chromium', { skip: browserSkip(), timeout: 300_000 }, () => {
  let dir: string | undefined;
  let feedServer: LoopbackServer | undefined;
  let served: Served | undefined;
  let browser: LoopbackBrowser | undefined;
  let tab: WatchedPage;
  let origin: string;
  /** The pages checked, in order. */
  const visited: string[] = [];

  before(async () => {
    const html = (body: string) => (_request: http.IncomingMessage, response: http.ServerResponse) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    };
    let feedOrigin = '';
    feedServer = await startLoopbackServer({
      '/feed.xml': (_request, response) => {
        const date = new Date(Date.now() - 2 * 3_600_000).toUTCString();
        const body = FEED.replaceAll('{{ORIGIN}}', feedOrigin).replaceAll('{{DATE}}', date);
        response.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
      },
      '/news/openai-model': html(ARTICLE),
      '/pixel.gif': (_request, response) => {
        response.writeHead(200, { 'content-type': 'image/gif' }).end();
      },
    });
    feedOrigin = feedServer.origin;
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-web-hostile-'));
    writeConfig(dir, {
      preset: 'none',
      sources: [
        { id: 'hostile', name: 'Hostile Feed', kind: 'feed', url: `${feedOrigin}/feed.xml`, section: 'products' },
      ],
      http: { allowHosts: [feedServer.host], retries: 0 },
    });
    await runOrThrow(['run', '--lang', 'en', '-q'], dir);
    served = await startServe(dir);
    origin = served.origin;
    browser = await launchLoopbackBrowser();
    tab = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
    await feedServer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens `route` and checks the page: a 200 page, a CSP against inline script, nothing hostile in the DOM. */
  async function check(route: string): Promise<string[]> {
    const page = tab.page;
    const response = await page.goto(`${origin}${route}`);
    assert.equal(response?.status(), 200, route);
    const csp = response?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /(?:script-src|default-src) [^;]*/, `${route}: a CSP that governs scripts: ${csp}`);
    const scripts = /script-src ([^;]*)/.exec(csp)?.[1] ?? /default-src ([^;]*)/.exec(csp)?.[1] ?? '';
    assert.ok(!scripts.includes("'unsafe-inline'") && !scripts.includes('*'), `${route}: ${csp}`);
    assert.deepEqual(await auditPage(page, origin), [], `${route}: nothing from the feed may act`);
    visited.push(route);
    return linkTargets(page);
  }

  it('the archive, the report, every story, the searches, sources and runs carry nothing that acts', async () => {
    const archive = await check('/');
    const reports = [...new Set(archive.filter((href) => /\/reports\/\d{4}-\d{2}-\d{2}/.test(href)))];
    assert.ok(reports.length > 0, 'the archive lists the hostile day');

    const reportLinks = await check(new URL(reports[0] as string).pathname + new URL(reports[0] as string).search);
    const stories = [...new Set(reportLinks.filter((href) => href.startsWith(`${origin}/stories/`)))];
    assert.ok(stories.length >= 3, `the hostile items are stories: ${stories.join(' ')}`);
    const text = (await tab.page.textContent('body')) ?? '';
    assert.ok(text.includes('OpenAI releases a new language model'), 'the hostile items are shown, as text');

    const sourceLinks: string[] = [];
    let storyText = '';
    for (const story of stories) {
      const links = await check(new URL(story).pathname + new URL(story).search);
      sourceLinks.push(...links.filter((href) => !href.startsWith(origin)));
      storyText += (await tab.page.textContent('body')) ?? '';
    }
    // Markup that survives as source text (escaped twice in the feed) is shown as text: the
    // escaping of the pages is what keeps it from acting.
    for (const markup of ["<img src=x onerror=alert('double')>", "<svg onload=alert('cdata-escaped')>"]) {
      assert.ok(storyText.includes(markup), `a story page shows ${markup} as text`);
    }
    // The stories link their sources, all on the feed server (collected), none a script URL.
    assert.ok(sourceLinks.length >= stories.length, sourceLinks.join(' '));
    for (const href of sourceLinks) assert.equal(new URL(href).origin, feedServer?.origin, href);

    for (const query of SEARCHES) {
      const links = await check(`/search?q=${encodeURIComponent(query)}`);
      if (query === '千问')
        assert.ok(
          links.some((href) => href.startsWith(`${origin}/stories/`)),
          '千问 finds the story',
        );
    }
    // The form itself, with a query that would break out of the input's value.
    await tab.page.fill('form[action="/search"] input[name="q"]', '"><img src=x onerror=alert(2)>');
    await Promise.all([tab.page.waitForURL(/\/search\?q=/), tab.page.press('input[name="q"]', 'Enter')]);
    assert.deepEqual(await auditPage(tab.page, origin), []);

    await check('/sources');
    await check('/runs');
  });

  it('no dialog opened, no request left the web app, no script failed', () => {
    assert.ok(visited.length >= 10, `pages checked: ${visited.join(' ')}`);
    assert.deepEqual(tab.dialogs, []);
    assert.deepEqual(tab.blocked, [], 'requests off 127.0.0.1 (aborted)');
    const elsewhere = tab.requests.filter((request) => new URL(request).origin !== origin);
    assert.deepEqual(elsewhere, [], 'requests to a loopback port other than the web app');
    // And the feed server, on loopback too, heard nothing from the browser (only the run's fetches).
    const fromBrowser = (feedServer?.requests ?? []).filter((request) =>
      /Chrome/.test(request.headers['user-agent'] ?? ''),
    );
    assert.deepEqual(
      fromBrowser.map((request) => request.path),
      [],
    );
    assert.deepEqual(tab.pageErrors, []);
  });

  it('the JSON API answers the hostile search as JSON, not as a page', async () => {
    const response = await fetch(`${origin}/api/search?q=${encodeURIComponent('<script>alert(1)</script>')}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    await response.json();
  });
});
