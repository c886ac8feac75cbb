/**
 * `ai-daily serve` over a deployment of two reports (`reports:`: `llm-en`, `products-zh`) that the
 * real CLI ran on the recorded day 2026-08-22: the archive lists both reports of the day under
 * their titles, each report's page and each story's page show that report's stories only (as the
 * store holds them for that report), search results link with their report, and runs name the report.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { type RunningServer, startWebServer } from '../../src/app/serve.js';
import { silentLogger } from '../../src/core/log.js';
import { Store } from '../../src/store/store.js';
import { runCli } from '../support/cli.js';
import { dayFile } from '../support/fixtures.js';

const LLM_SOURCES = ['openai-research', 'anthropic-news', 'meta-ai', 'huggingface-daily-papers'];
const PRODUCT_SOURCES = ['openai-news', 'google-ai-blog', 'the-verge-ai', 'huggingface-blog'];
const REPORTS = ['llm-en', 'products-zh'] as const;
const DATE = '2026-08-22';

/** The story ids the store holds as this report's of the day (what its run published). */
async function publishedIds(dir: string, report: string): Promise<Set<string>> {
  const store = await Store.open(path.join(dir, 'data/ai-daily.db'));
  try {
    const stories = await store.publishedStoriesBefore('2026-08-23', 14, report);
    return new Set(stories.filter((s) => s.reportDate === DATE).map((s) => s.storyId));
  } finally {
    await store.close();
  }
}

describe('ai-daily serve over two reports of a recorded day', { timeout: 240_000 }, () => {
  let dir: string;
  let server: RunningServer;
  const own = new Map<string, Set<string>>();

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-web-reports-'));
    writeFileSync(
      path.join(dir, 'ai-daily.config.yaml'),
      [
        'reports:',
        '  - id: llm-en',
        '    language: en',
        '    title: Research and papers',
        `    sources: [${LLM_SOURCES.join(', ')}]`,
        '  - id: products-zh',
        '    language: zh',
        '    title: 产品动态',
        `    sources: [${PRODUCT_SOURCES.join(', ')}]`,
        '',
      ].join('\n'),
    );
    const result = await runCli(['run', '--replay', dayFile(DATE), '--quiet'], dir);
    assert.equal(result.code, 0, result.stderr);
    for (const report of REPORTS) own.set(report, await publishedIds(dir, report));
    server = await startWebServer({ cwd: dir, log: silentLogger, port: 0 });
  });
  after(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const get = (route: string) => fetch(new URL(route, server.url), { redirect: 'manual' });
  const html = async (route: string) => {
    const response = await get(route);
    assert.equal(response.status, 200, route);
    return parseHTML(await response.text()).document;
  };
  /** The story ids of a page's story links: `/stories/ID?date=…&report=…`. */
  const storyLinks = (document: ReturnType<typeof parseHTML>['document'], selector: string) =>
    [...document.querySelectorAll(selector)]
      .map((a) => new URL(a.getAttribute('href') ?? '', 'http://x'))
      .filter((url) => url.pathname.startsWith('/stories/'))
      .map((url) => ({
        id: decodeURIComponent(url.pathname.slice('/stories/'.length)),
        report: url.searchParams.get('report'),
      }));

  it('the two reports published stories of their own, and neither is empty', () => {
    for (const report of REPORTS) assert.ok((own.get(report)?.size ?? 0) > 0, report);
    const [llm, products] = REPORTS.map((report) => own.get(report) ?? new Set<string>());
    assert.ok(![...(llm ?? [])].some((id) => products?.has(id)), 'no story of both (their sources differ)');
  });

  it('the archive lists both reports of the day under their titles, each with its own stories', async () => {
    const document = await html('/');
    const parts = [...document.querySelectorAll(`section.day-report`)];
    assert.deepEqual(
      parts.map((part) => part.getAttribute('data-report')),
      [...REPORTS],
    );
    assert.match(parts[0]?.textContent ?? '', /Research and papers/);
    assert.match(parts[1]?.textContent ?? '', /产品动态/);
    for (const part of parts) {
      const report = part.getAttribute('data-report') ?? '';
      const links = storyLinks(part as never, 'a');
      assert.ok(links.length > 0, report);
      for (const link of links) {
        assert.equal(link.report, report);
        assert.ok(own.get(report)?.has(link.id), `${report}: ${link.id} is its own`);
      }
    }
  });

  it("each report's page shows its own stories only, and its own language", async () => {
    for (const report of REPORTS) {
      const document = await html(`/reports/${DATE}?report=${report}`);
      assert.equal(document.documentElement.getAttribute('lang')?.slice(0, 2), report.endsWith('zh') ? 'zh' : 'en');
      const links = storyLinks(document, 'aside.day-stories a');
      assert.deepEqual(new Set(links.map((l) => l.id)), own.get(report), report);
      assert.ok(links.every((l) => l.report === report));
    }
    assert.equal((await get(`/reports/${DATE}?report=no-such-report`)).status, 404);
    // Without ?report=: the first report of the config (no `default` here).
    const first = (await (await get(`/api/reports/${DATE}`)).json()) as { reportId: string; reports: string[] };
    assert.equal(first.reportId, 'llm-en');
    assert.deepEqual(first.reports, [...REPORTS]);
  });

  it("each story's page is its report's, with related stories of that report only", async () => {
    for (const report of REPORTS) {
      for (const id of own.get(report) ?? []) {
        const api = (await (
          await get(`/api/stories/${encodeURIComponent(id)}?date=${DATE}&report=${report}`)
        ).json()) as {
          story: { report: string; related: { report: string }[] };
        };
        assert.equal(api.story.report, report);
        assert.ok(api.story.related.every((r) => r.report === report));
        const document = await html(`/stories/${encodeURIComponent(id)}?date=${DATE}&report=${report}`);
        for (const a of document.querySelectorAll('article a:not(.external)'))
          assert.match(a.getAttribute('href') ?? '', new RegExp(`report=${report}`));
      }
    }
  });

  it('search results say which report and link with it', async () => {
    // A word of a title of each report's first story finds it, with its report.
    for (const report of REPORTS) {
      const api = (await (await get(`/api/reports/${DATE}?report=${report}`)).json()) as {
        stories: { storyId: string; title: string }[];
      };
      const first = api.stories[0];
      assert.ok(first);
      const word = first.title.split(/\s+/).find((w) => w.length >= 4) ?? first.title.slice(0, 4);
      const found = (await (await get(`/api/search?q=${encodeURIComponent(word)}`)).json()) as {
        stories: { storyId: string; report: string }[];
      };
      assert.ok(
        found.stories.some((s) => s.storyId === first.storyId && s.report === report),
        `${report}: "${word}" finds ${first.storyId}`,
      );
      const document = await html(`/search?q=${encodeURIComponent(word)}`);
      const links = storyLinks(document, 'main a');
      assert.ok(links.length > 0);
      for (const link of links) {
        assert.ok(link.report && own.get(link.report)?.has(link.id), `${link.report}/${link.id}`);
      }
    }
  });

  it('runs name the report each made', async () => {
    const api = (await (await get('/api/runs')).json()) as { runs: { report: string; status: string }[] };
    assert.deepEqual(api.runs.map((r) => r.report).sort(), [...REPORTS]);
  });
});
