/**
 * `ai-daily serve` over a store filled by the real pipeline from recorded days (two English days,
 * one in both languages, and a Chinese day made from real captures while the server runs): every
 * route and its JSON twin over real HTTP on loopback, search in Chinese (two and three characters)
 * and English, links only to collected URLs, and the CLI: it prints its URL, stops cleanly on
 * SIGTERM, and refuses a non-loopback address without a token (exit 2).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { parseHTML } from 'linkedom';
import { type RunningServer, startWebServer } from '../../src/app/serve.js';
import { silentLogger } from '../../src/core/log.js';
import { markdownUrl } from '../../src/render/markdown.js';
import { runCli } from '../support/cli.js';
import { dayFile, repoRoot } from '../support/fixtures.js';
import { CHINESE_DAY, writeCaptureDay } from '../support/replay-day.js';

const TEST_TIMEOUT = { timeout: 240_000 };

interface ApiReports {
  reports: { date: string; languages: string[]; stories: { storyId: string; title: string }[] }[];
}
interface ApiSearch {
  stories: { storyId: string; title: string; reportDate: string }[];
  items: { id: string; title: string; url: string; stories: { storyId: string; reportDate: string }[] }[];
}

describe('ai-daily serve over recorded days', TEST_TIMEOUT, () => {
  let cwd: string;
  let server: RunningServer;
  /** Every link target the store collected (item and discussion URLs), as the renderers write them. */
  const collected = new Set<string>();

  const run = async (...args: string[]) => {
    const result = await runCli(['run', '--config', 'config.yaml', ...args], cwd);
    assert.equal(result.code, 0, result.stderr);
  };
  const get = (route: string) => fetch(new URL(route, server.url));
  const json = async <T>(route: string): Promise<T> => {
    const response = await get(route);
    assert.equal(response.status, 200, route);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    return (await response.json()) as T;
  };
  const html = async (route: string) => {
    const response = await get(route);
    assert.equal(response.status, 200, route);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const body = await response.text();
    const { document } = parseHTML(body);
    assert.equal(document.querySelectorAll('script').length, 0, route);
    assert.equal(document.querySelectorAll('main').length, 1, `${route}: one <main>`);
    assert.ok(document.querySelector('h1')?.textContent?.trim(), `${route}: a heading`);
    for (const anchor of document.querySelectorAll('a')) {
      const href = anchor.getAttribute('href') ?? '';
      if (href.startsWith('/') && !href.startsWith('//')) continue;
      if (href.startsWith('#')) continue;
      assert.ok(collected.has(href), `${route}: ${href} is a collected URL`);
    }
    return { body, document };
  };

  before(async () => {
    cwd = mkdtempSync(path.join(tmpdir(), 'ai-daily-serve-'));
    writeFileSync(path.join(cwd, 'config.yaml'), 'store:\n  path: ./store.db\noutput:\n  dir: ./out\n');
    await run('--replay', dayFile('2026-04-28'));
    await run('--replay', dayFile('2026-08-22'));
    await run('--replay', dayFile('2026-08-22'), '--lang', 'en');
    server = await startWebServer({ cwd, config: 'config.yaml', log: silentLogger, port: 0 });
    // A run writes the store while the server reads it (WAL).
    await run('--replay', writeCaptureDay(cwd, CHINESE_DAY));
    const db = new Database(path.join(cwd, 'store.db'), { readonly: true });
    for (const row of db.prepare('SELECT url, discussion_url FROM items').all() as {
      url: string;
      discussion_url: string | null;
    }[]) {
      for (const url of [row.url, row.discussion_url]) {
        const href = url ? markdownUrl(url) : undefined;
        if (href) collected.add(href);
      }
    }
    db.close();
  });
  after(async () => {
    await server?.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('lists the reports newest first with their top stories, and the charts', async () => {
    const { document } = await html('/');
    const days = [...document.querySelectorAll('section.day h3')].map((h) => h.textContent);
    assert.deepEqual(days, ['2026-09-23', '2026-08-22', '2026-04-28'], 'the day written while serving is there');
    for (const section of document.querySelectorAll('section.day')) {
      const stories = section.querySelectorAll('ol.stories a[href^="/stories/"]');
      assert.ok(stories.length > 0 && stories.length <= 5);
    }
    // The deployment's language is zh (the default): so is the chrome; `?lang=en` shows it in English.
    assert.match(document.querySelector('svg#chart-sections title')?.textContent ?? '', /^每天各栏目的条目数/);
    const english = (await html('/?lang=en')).document;
    assert.match(english.querySelector('svg#chart-sections title')?.textContent ?? '', /^Items per section per day/);
    // These replayed days have no baseline for rising terms: the page says so (src/web/app.test.ts charts some).
    assert.ok(document.querySelector('svg#chart-rising') || document.querySelector('.charts .rising-none'));
    const api = await json<ApiReports>('/api/reports');
    assert.deepEqual(
      api.reports.map((r) => [r.date, r.languages]),
      [
        ['2026-09-23', ['zh']],
        ['2026-08-22', ['en', 'zh']],
        ['2026-04-28', ['zh']],
      ],
    );
  });

  it('shows a report as published, in each language, with its stories linked', async () => {
    const zh = await html('/reports/2026-08-22');
    assert.equal(zh.document.documentElement.getAttribute('lang'), 'zh-CN');
    assert.ok(zh.document.querySelector('h2#top'), 'the report’s top stories');
    assert.ok(zh.document.querySelector('ol.refs li'), 'its references');
    assert.ok(zh.document.querySelector('aside a[href^="/stories/"]'));
    assert.ok(zh.document.querySelector('link[href="/static/report.css"]'));
    // The same content as the published page: its header and <main>, byte for byte.
    const published = readFileSync(path.join(cwd, 'out/reports/2026/08/2026-08-22.html'), 'utf8');
    const content = published.slice(published.indexOf('<header>'), published.indexOf('</main>') + '</main>'.length);
    assert.ok(content.length > 1000 && zh.body.includes(content), 'the published header and main');
    const en = await html('/reports/2026-08-22?lang=en');
    const publishedEn = readFileSync(path.join(cwd, 'out/reports/2026/08/2026-08-22.en.html'), 'utf8');
    assert.ok(en.body.includes(publishedEn.slice(publishedEn.indexOf('<header>'), publishedEn.indexOf('</main>'))));
    assert.equal(en.document.documentElement.getAttribute('lang'), 'en');
    assert.equal((await get('/reports/2026-04-28?lang=en')).status, 404);
    assert.equal((await get('/reports/not-a-date')).status, 404);
    const api = await json<{ date: string; language: string; report: { title: string } }>(
      '/api/reports/2026-08-22?lang=en',
    );
    assert.equal(api.language, 'en');
    assert.equal(api.report.title, en.document.querySelector('h1')?.textContent);
  });

  it('shows a story: its sources with links and times, its score parts and weights, new or update', async () => {
    const api = await json<ApiReports>('/api/reports');
    const storyId = api.reports.find((r) => r.date === '2026-08-22')!.stories[0]!.storyId;
    const { document } = await html(`/stories/${storyId}`);
    const rows = document.querySelectorAll('main table:not(.score) tbody tr');
    assert.ok(rows.length >= 1);
    for (const row of rows) {
      assert.ok(row.querySelector('a.external[href^="https://"]'), 'each source links its item');
      assert.ok(row.querySelector('time[datetime]'), 'with its time');
    }
    const parts = [...document.querySelectorAll('table.score tbody th')].map((th) => th.textContent);
    // The story's copy is zh (its report's language): its chrome is Chinese.
    assert.deepEqual(parts, ['时效性', '权威性', '覆盖度', '互动热度', '相关性', '加权和', '新闻价值', '总分']);
    assert.ok(document.querySelector('.badge.new, .badge.update'));
    const detail = await json<{
      story: { storyId: string; score: { total: number } };
      weights: Record<string, number>;
    }>(`/api/stories/${storyId}`);
    assert.equal(detail.story.storyId, storyId);
    assert.ok(detail.story.score.total > 0);
    assert.equal(Math.round(Object.values(detail.weights).reduce((a, b) => a + b, 0) * 100), 100);
  });

  it('finds a Chinese term of two and of three characters, and an English word, linked to story and report', async () => {
    const qianwen = await json<ApiSearch>(`/api/search?q=${encodeURIComponent('千问')}`);
    const hit = qianwen.items.find((item) => item.title.includes('千问'));
    assert.ok(hit, '千问 (two characters) matches');
    assert.ok(
      hit.stories.some((s) => s.reportDate === '2026-09-23'),
      'the item links to its story',
    );
    const agent = await json<ApiSearch>(`/api/search?q=${encodeURIComponent('智能体')}`);
    assert.ok(agent.items.length > 0, '智能体 matches');
    const qwen = await json<ApiSearch>('/api/search?q=qwen');
    assert.ok(qwen.items.some((item) => /qwen/i.test(item.title)));
    const agentWord = await json<ApiSearch>('/api/search?q=agent');
    assert.ok(
      agentWord.stories.some((story) => story.title.includes('Agent')),
      'story titles match too, any case',
    );
    assert.ok(agent.stories.some((story) => story.title.includes('智能体')));
    const { document } = await html(`/search?q=${encodeURIComponent('千问')}`);
    const inStory = document.querySelector('p.in-story a[href^="/stories/"]');
    assert.ok(inStory, 'a result links to its story');
    assert.ok(document.querySelector('p.in-story a[href^="/reports/2026-09-23"]'), 'and its report');
    assert.equal(document.querySelector('form[action="/search"] input[name="q"]')?.getAttribute('value'), '千问');
    await html('/search');
  });

  it('shows each source’s last fetch, items in 7 days and failures, and runs with stages and LLM calls', async () => {
    const { document } = await html('/sources');
    assert.ok(document.querySelector('svg.chart'), 'the availability chart');
    const sources = await json<{
      sources: { id: string; fetches: number; failureRate: number; itemsLast7Days: number }[];
    }>('/api/sources');
    assert.ok(sources.sources.length > 5);
    assert.ok(sources.sources.some((s) => s.fetches > 0 && s.itemsLast7Days > 0));
    assert.equal(document.querySelectorAll('table.sources tbody tr').length, sources.sources.length);
    const runsPage = await html('/runs');
    // Replayed days: the clock stands still, so no duration is shown rather than "0 ms".
    assert.ok(!/\b0 ms\b/.test(runsPage.document.querySelector('table.runs')?.textContent ?? ''), 'no 0 ms');
    const runs = await json<{
      runs: { reportDate: string; status: string; stages: { stage: string; items?: number }[] }[];
    }>('/api/runs');
    assert.equal(runs.runs.length, 4);
    for (const r of runs.runs) {
      assert.equal(r.status, 'done');
      assert.deepEqual(
        r.stages.map((s) => s.stage),
        ['collect', 'stories', 'publish'],
      );
      assert.ok((r.stages[0]!.items ?? 0) > 0, 'items collected');
    }
  });

  it('`ai-daily serve` prints its URL, stops on SIGTERM, and refuses 0.0.0.0 without a token', async () => {
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'bin/ai-daily.js'), 'serve', '--config', 'config.yaml', '--port', '0'],
      { cwd, env: { ...process.env, NO_COLOR: '1' } },
    );
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout);
        if (found) resolve(found[0]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code} before printing its URL`)));
    });
    assert.equal((await fetch(url)).status, 200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);

    const refused = await runCli(['serve', '--config', 'config.yaml', '--host', '0.0.0.0', '--port', '0'], cwd);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /refusing to listen on 0\.0\.0\.0.*serve\.token/);
  });
});
