import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { runCommand } from '../../src/cli/commands/run.js';
import { NothingToReportError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/log.js';
import type { Report } from '../../src/core/report.js';
import { inWindow, windowQueryRange } from '../../src/pipeline/window.js';
import { escapeHtml } from '../../src/render/html.js';
import { Store } from '../../src/store/store.js';
import { dayFile, daysDir } from '../support/fixtures.js';

interface RecordedDay {
  day: string;
  responses: { url: string; file: string }[];
}

function readDay(day: string): RecordedDay {
  return JSON.parse(readFileSync(dayFile(day), 'utf8')) as RecordedDay;
}

/** Every response body of a recorded day, as text. */
function responseBodies(day: RecordedDay): string[] {
  return day.responses.map((r) => readFileSync(path.resolve(daysDir, r.file), 'utf8'));
}

/** The report of a day; a language other than the configured zh has its own files (`.en.md`). */
function readReport(
  out: string,
  date: string,
  lang: 'zh' | 'en' = 'zh',
): { markdown: string; json: Report; markdownPath: string } {
  const [year, month] = date.split('-');
  const markdownPath = path.join(out, 'reports', year!, month!, `${date}${lang === 'zh' ? '' : `.${lang}`}.md`);
  return {
    markdown: readFileSync(markdownPath, 'utf8'),
    json: JSON.parse(readFileSync(markdownPath.replace(/\.md$/, '.json'), 'utf8')) as Report,
    markdownPath,
  };
}

function frontMatter(markdown: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(markdown);
  assert.ok(match, 'front matter present');
  return parseYaml(match[1]!) as Record<string, unknown>;
}

/** Every URL a reader can follow in the Markdown: inline links, autolinks and reference definitions. */
function linkedUrls(markdown: string): string[] {
  const urls = new Set<string>();
  for (const m of markdown.matchAll(/\]\((https?:\/\/[^)\s]+)\)/g)) urls.add(m[1]!);
  for (const m of markdown.matchAll(/<(https?:\/\/[^>\s]+)>/g)) urls.add(m[1]!);
  for (const m of markdown.matchAll(/^\[[^\]]+\]: (https?:\/\/\S+)$/gm)) urls.add(m[1]!);
  return [...urls].map((u) => u.replace(/\\_/g, '_'));
}

describe('run --replay 2026-08-22 (zh)', () => {
  let dir: string;
  let out: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-run-'));
    out = path.join(dir, 'out');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a report whose every link is a URL of a replayed response, dated 2026-08-22 only', async () => {
    const summary = await runCommand({ cwd: dir, log: silentLogger, replay: dayFile('2026-08-22'), out });
    assert.equal(summary.date, '2026-08-22');
    assert.equal(summary.markdown, 'reports/2026/08/2026-08-22.md');
    const { markdown, json } = readReport(out, '2026-08-22');

    const day = readDay('2026-08-22');
    const bodies = responseBodies(day);
    const urls = linkedUrls(markdown);
    assert.ok(urls.length >= 10);
    for (const url of urls) {
      const paper = /^https:\/\/huggingface\.co\/papers\/(\d{4}\.\d{4,5})$/.exec(url);
      const present = paper
        ? bodies.some((body) => body.includes(`"id": "${paper[1]}"`))
        : bodies.some((body) => body.includes(url) || body.includes(url.replace(/&/g, '&amp;')));
      assert.ok(present, `${url} is in a replayed response`);
    }
    for (const reference of json.references) assert.ok(urls.includes(reference.url), reference.url);

    const meta = frontMatter(markdown);
    assert.match(String(meta.date), /^2026-08-22T\d{2}:\d{2}:\d{2}\+08:00$/);
    assert.match(String(meta.title), /2026-08-22/);
    const headingDates = markdown
      .split('\n')
      .filter((line) => /^#{1,3} /.test(line) || /^(title|date|description):/.test(line))
      .flatMap((line) => line.match(/\b\d{4}-\d{2}-\d{2}\b/g) ?? []);
    assert.ok(headingDates.length > 0);
    assert.deepEqual([...new Set(headingDates)], ['2026-08-22']);
    assert.doesNotMatch(markdown, /2025年|\b2025-\d{2}-\d{2}\b/);
    assert.equal(json.date, '2026-08-22');
  });

  it('accounts for every in-window item, and counts the unavailable sources in one line of the about section', async () => {
    const { markdown, json } = readReport(out, '2026-08-22');
    const counts = json.manifest.counts;
    assert.equal(counts.inWindow, counts.instructionTitles + counts.offTopic + counts.storyItems);
    const store = await Store.open(path.join(dir, 'data/ai-daily.db'));
    try {
      const range = windowQueryRange(json.manifest.window);
      const stored = await store.itemsPublishedBetween(range.from, range.to);
      assert.equal(stored.filter((item) => inWindow(item, json.manifest.window)).length, counts.inWindow);
    } finally {
      await store.close();
    }
    const failed = json.manifest.sources.filter((s) => s.status === 'failed');
    assert.ok(failed.length >= 20);
    const about = markdown.slice(markdown.indexOf('## 关于本报告'));
    assert.ok(about.includes(`；${failed.length} 个来源今日未能获取（无法获取 ${failed.length} 个）\n`), about);
    // Which ones and why: in the JSON, and folded away on the page, in the report's language.
    for (const source of failed) assert.ok(source.error && source.errorKind, source.name);
    const page = readFileSync(path.join(out, 'reports/2026/08/2026-08-22.html'), 'utf8');
    const details = page.slice(page.indexOf('<details>'), page.indexOf('</details>'));
    for (const source of failed)
      assert.ok(details.includes(`<li>${escapeHtml(source.name)}：无法获取</li>`), source.name);
    assert.ok(
      !/unavailable|no recorded response|&#47;/.test(about),
      'no English error text or escapes in the zh about',
    );
    assert.ok(!/\/(home|root|work|tmp)\//.test(markdown), 'no local paths');
  });

  it('makes one story of a paper listed on both Hugging Face days', () => {
    const { json } = readReport(out, '2026-08-22');
    const ids = (file: string) =>
      new Set(
        (JSON.parse(readFileSync(path.resolve(daysDir, file), 'utf8')) as { paper: { id: string } }[]).map(
          (entry) => entry.paper.id,
        ),
      );
    // The plain daily list (today) and the dated lists overlap: a paper may be in several responses.
    const day = readDay('2026-08-22');
    const lists = day.responses.filter((r) => r.url.includes('/api/daily_papers')).map((r) => ids(r.file));
    const both = [...new Set(lists.flatMap((list) => [...list]))].filter(
      (id) => lists.filter((list) => list.has(id)).length > 1,
    );
    assert.ok(both.length > 0, 'the lists share papers');
    const stories = json.sections.flatMap((s) => s.stories);
    for (const id of both) {
      const holding = stories.filter((story) => story.links.some((link) => link.url.endsWith(id)));
      assert.ok(holding.length <= 1, `${id} is in at most one story`);
    }
  });

  it('gives byte-identical files when the same day is run again', async () => {
    const first = readReport(out, '2026-08-22');
    const again = await runCommand({ cwd: dir, log: silentLogger, replay: dayFile('2026-08-22'), out });
    assert.equal(again.resumed, false);
    const second = readReport(out, '2026-08-22');
    assert.equal(second.markdown, first.markdown);
    assert.deepEqual(second.json, first.json);
    // And from scratch, in another store and folder.
    const other = mkdtempSync(path.join(tmpdir(), 'ai-daily-run2-'));
    try {
      await runCommand({ cwd: other, log: silentLogger, replay: dayFile('2026-08-22'), out: path.join(other, 'out') });
      assert.equal(readReport(path.join(other, 'out'), '2026-08-22').markdown, first.markdown);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('does not repeat the day before’s stories on the next day', async () => {
    const previous = readReport(out, '2026-08-22').json;
    const previousItems = new Set(previous.references.map((r) => r.itemId));
    const next = runCommand({
      cwd: dir,
      log: silentLogger,
      replay: dayFile('2026-08-22'),
      now: new Date('2026-08-23T02:00:00Z'),
      out,
    });
    try {
      const summary = await next;
      assert.equal(summary.date, '2026-08-23');
      assert.ok(summary.counts.alreadyReported > 0);
      const { json } = readReport(out, '2026-08-23');
      const repeated = json.sections
        .flatMap((s) => s.stories)
        .filter((story) => !story.update && story.summary.some((line) => line.cites.length > 0))
        .flatMap((story) => json.references.filter((r) => story.summary.some((l) => l.cites.includes(r.n))))
        .filter((reference) => previousItems.has(reference.itemId));
      assert.deepEqual(repeated, []);
    } catch (error) {
      // Everything in the next window was reported already: then nothing is published.
      assert.ok(error instanceof NothingToReportError, String(error));
      assert.ok(!existsSync(path.join(out, 'reports/2026/08/2026-08-23.md')));
    }
  });
});

describe('run --replay in English, and the 2026-04-28 day', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-en-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const date of ['2026-08-22', '2026-04-28']) {
    for (const lang of ['en', 'zh'] as const) {
      it(`${date} in ${lang}`, async () => {
        const out = path.join(dir, `${date}-${lang}`);
        const summary = await runCommand({
          cwd: path.join(dir, `${date}-${lang}`),
          log: silentLogger,
          replay: dayFile(date),
          out,
          lang,
        });
        assert.equal(summary.language, lang);
        const { markdown, json } = readReport(out, date, lang);
        assert.equal(json.language, lang);
        assert.ok(json.sections.length > 0);
        assert.ok(markdown.includes(lang === 'en' ? '## References' : '## 参考来源'));
        const urls = linkedUrls(markdown);
        const bodies = responseBodies(readDay(date));
        for (const url of urls.filter((u) => !u.includes('huggingface.co/papers/'))) {
          assert.ok(
            bodies.some((body) => body.includes(url) || body.includes(url.replace(/&/g, '&amp;'))),
            `${url} is in a replayed response`,
          );
        }
        assert.deepEqual(
          [...new Set((markdown.match(/^#{1,3} .*$/gm) ?? []).flatMap((l) => l.match(/\d{4}-\d{2}-\d{2}/g) ?? []))],
          [date],
        );
      });
    }
  }
});

describe('both languages of a day in one output folder', () => {
  it('publishes zh and en side by side: neither overwrites the other', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-both-'));
    try {
      const out = path.join(dir, 'out');
      for (const lang of ['zh', 'en'] as const) {
        await runCommand({ cwd: dir, log: silentLogger, replay: dayFile('2026-08-22'), out, lang });
      }
      const zh = readReport(out, '2026-08-22', 'zh');
      const en = readReport(out, '2026-08-22', 'en');
      assert.equal(zh.json.language, 'zh');
      assert.equal(en.json.language, 'en');
      assert.ok(zh.markdown.includes('## 参考来源') && en.markdown.includes('## References'));
      // The store keeps each language's stories (the en run did not replace the zh run's), each
      // under the headlines its own report shows; the cross-day memory holds each story once.
      const store = await Store.open(path.join(dir, 'data/ai-daily.db'));
      try {
        const stored = (language: string) =>
          store.raw
            .prepare('SELECT story_id, title FROM report_stories WHERE language = ? ORDER BY position')
            .all(language) as { story_id: string; title: string }[];
        for (const [language, report] of [
          ['zh', zh.json],
          ['en', en.json],
        ] as const) {
          const titles = new Map(stored(language).map((row) => [row.story_id, row.title]));
          const shown = report.sections.flatMap((section) => section.stories);
          assert.ok(shown.length > 0, language);
          for (const story of shown) assert.equal(titles.get(story.id), story.title, `${language} ${story.id}`);
        }
        const ids = new Set([...stored('zh'), ...stored('en')].map((row) => row.story_id));
        const memory = await store.publishedStoriesBefore('2026-08-23', undefined, undefined, 'zh');
        assert.deepEqual(memory.map((story) => story.storyId).sort(), [...ids].sort());
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a crashed run resumes', () => {
  it('reuses the finished stages instead of collecting again', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-resume-'));
    try {
      const out = path.join(dir, 'out');
      // A file where the reports folder should be: the publish stage fails after collect and stories.
      mkdirSync(out, { recursive: true });
      writeFileSync(path.join(out, 'reports'), 'not a folder');
      await assert.rejects(runCommand({ cwd: dir, log: silentLogger, replay: dayFile('2026-04-28'), out }));
      rmSync(path.join(out, 'reports'));
      const summary = await runCommand({ cwd: dir, log: silentLogger, replay: dayFile('2026-04-28'), out });
      assert.equal(summary.resumed, true);
      assert.ok(existsSync(path.join(out, summary.markdown)));
      const store = await Store.open(path.join(dir, 'data/ai-daily.db'));
      try {
        const fetches = store.raw.prepare('SELECT COUNT(*) AS n FROM fetch_log').get() as { n: number };
        const sources = store.raw.prepare('SELECT COUNT(*) AS n FROM sources').get() as { n: number };
        assert.equal(fetches.n, sources.n, 'every source was fetched once, not again on resume');
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
