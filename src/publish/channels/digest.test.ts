import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../../test/support/fixtures.js';
import type { Report } from '../../core/report.js';
import type { ChannelMessage } from './channel.js';
import { buildDigest, type DigestDialect, digestParts, measure, shorten } from './digest.js';

function report(language: 'zh' | 'en'): Report {
  return JSON.parse(
    readFileSync(path.join(repoRoot, 'test/fixtures/golden', `2026-08-22.${language}.json`), 'utf8'),
  ) as Report;
}

function message(source: Report, pageUrl?: string): ChannelMessage {
  return {
    date: source.date,
    language: source.language,
    report: source,
    markdown: '',
    html: '',
    ...(pageUrl ? { pageUrl } : {}),
  };
}

const DIALECTS: DigestDialect[] = ['plain', 'markdown', 'slack', 'telegram-html'];
const PAGE = 'https://daily.example.org/r.html?a=1&b=(2)';

describe('digest', () => {
  it('drops whole stories from the end to fit a limit in chars or UTF-8 bytes, for every dialect', () => {
    const zh = report('zh');
    for (const dialect of DIALECTS) {
      const full = buildDigest(message(zh, PAGE), dialect, { max: 100_000, unit: 'bytes' });
      assert.equal(full.shown, zh.topStories.length);
      for (const unit of ['chars', 'bytes'] as const) {
        for (let max = full.size - 1; max > 200; max -= 97) {
          let digest: ReturnType<typeof buildDigest>;
          try {
            digest = buildDigest(message(zh, PAGE), dialect, { max, unit });
          } catch {
            continue;
          }
          assert.ok(digest.size <= max && measure(digest.text, unit) === digest.size);
          // What is shown is a prefix of the full digest's stories, each whole.
          const lines = full.text.split('\n\n').slice(1, 1 + digest.shown);
          for (const line of lines) assert.ok(digest.text.includes(line), `${dialect}: a story kept whole`);
          if (digest.shown < full.shown) assert.ok(digest.text.includes(`还有 ${full.shown - digest.shown} 条`));
        }
      }
    }
  });

  it('throws when not even the heading fits, rather than cutting', () => {
    assert.throws(
      () => buildDigest(message(report('en'), PAGE), 'markdown', { max: 20, unit: 'chars' }),
      /does not fit in 20 chars/,
    );
  });

  it('escapes the page URL in each dialect so that it cannot close its link', () => {
    const en = report('en');
    assert.match(
      buildDigest(message(en, PAGE), 'markdown', { max: 9999, unit: 'chars' }).text,
      /\]\(https:\/\/daily\.example\.org\/r\.html\?a=1&b=%282%29\)$/,
    );
    assert.match(
      buildDigest(message(en, PAGE), 'telegram-html', { max: 9999, unit: 'chars' }).text,
      /<a href="https:\/\/daily\.example\.org\/r\.html\?a=1&amp;b=%282%29">Full report<\/a>$/,
    );
    assert.match(
      buildDigest(message(en, PAGE), 'slack', { max: 9999, unit: 'chars' }).text,
      /<https:\/\/daily\.example\.org\/r\.html\?a=1&amp;b=%282%29\|Full report>$/,
    );
  });

  it("makes each top story's title the link to its best source, escaped for each dialect", () => {
    const en = report('en');
    const stories = new Map(en.sections.flatMap((section) => section.stories.map((story) => [story.id, story])));
    const top = en.topStories[0]!;
    const url = 'https://host.example/a_(b)?q="x"&y=<z>';
    const hostile: Report = {
      ...en,
      sections: en.sections.map((section) => ({
        ...section,
        stories: section.stories.map((s) =>
          s.id === top.storyId ? { ...s, title: 'A *title* [x](y)', links: [{ ...s.links[0]!, url }] } : s,
        ),
      })),
      topStories: [{ ...top, title: 'A *title* [x](y)', line: { text: 'A line.', cites: top.line.cites } }],
    };
    const text = (dialect: DigestDialect) =>
      buildDigest(message(hostile), dialect, { max: 9999, unit: 'chars' }).text.split('\n\n')[1]!;
    const encoded = 'https://host.example/a_%28b%29?q=%22x%22&y=%3Cz%3E';
    assert.equal(text('markdown'), `1. **[A \\*title\\* \\[x\\](y)](${encoded})**: A line.`);
    assert.equal(text('slack'), `1. *<${encoded.replace('&', '&amp;')}|A *\u200btitle*\u200b [x](y)>*: A line.`);
    assert.equal(
      text('telegram-html'),
      `1. <b><a href="${encoded.replace('&', '&amp;')}">A *title* [x](y)</a></b>: A line.`,
    );
    assert.equal(text('plain'), `1. A *title* [x](y): A line.\n${encoded}`);
    // Every other story links its own best source.
    const full = buildDigest(message(en), 'markdown', { max: 99_999, unit: 'chars' }).text;
    for (const entry of en.topStories) {
      assert.ok(full.includes(`](${stories.get(entry.storyId)!.links[0]!.url})**`), entry.title);
    }
  });

  it('links only http(s) URLs: a javascript: link or page URL is left out', () => {
    const en = report('en');
    const story = en.sections.flatMap((section) => section.stories)[0];
    assert.ok(story);
    const hostile: Report = {
      ...en,
      sections: en.sections.map((section) => ({
        ...section,
        stories: section.stories.map((s) =>
          s.id === story.id ? { ...s, links: [{ ...s.links[0]!, url: 'javascript:alert(1)' }] } : s,
        ),
      })),
      topStories: [{ storyId: story.id, title: story.title, line: { text: 'x', cites: [] } }],
    };
    const parts = digestParts(message(hostile, 'javascript:alert(2)'));
    assert.equal(parts.stories[0]?.url, undefined);
    assert.equal(parts.pageUrl, undefined);
    for (const dialect of DIALECTS) {
      assert.ok(
        !buildDigest(message(hostile, 'javascript:alert(2)'), dialect, { max: 9999, unit: 'chars' }).text.includes(
          'javascript',
        ),
      );
    }
  });

  it('shows a title once when the line opens with it: the title, then the rest of the line', () => {
    const en = report('en');
    const first = en.topStories[0]!;
    const leading = {
      ...en,
      topStories: [{ ...first, line: { ...first.line, text: `${first.title}, which opens its own line.` } }],
    };
    for (const dialect of DIALECTS) {
      const { text } = buildDigest(message(leading), dialect, { max: 4096, unit: 'chars' });
      assert.equal(text.split(first.title).length - 1, 1, `${dialect}: the title once in\n${text}`);
      assert.match(text, /, which opens its own line\./);
    }
  });

  it('shows an LLM headline instead of the title, and shortens a long line at a word', () => {
    const en = report('en');
    const top = en.topStories[0]!;
    const withHeadline: Report = {
      ...en,
      sections: en.sections.map((section) => ({
        ...section,
        stories: section.stories.map((s) =>
          s.id === top.storyId ? { ...s, headline: 'A headline the model wrote' } : s,
        ),
      })),
      topStories: [{ ...top, line: { text: `${'word '.repeat(200)}end`, cites: top.line.cites } }],
    };
    const parts = digestParts(message(withHeadline));
    assert.equal(parts.stories[0]?.title, 'A headline the model wrote');
    assert.ok([...(parts.stories[0]?.line ?? '')].length <= 280);
    assert.match(parts.stories[0]?.line ?? '', /word…$/);
    assert.equal(shorten('short', 10), 'short');
  });
});
