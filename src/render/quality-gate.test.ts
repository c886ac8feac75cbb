import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildInput } from '../../test/fixtures/report/build-input.js';
import { buildReport } from '../analyze/extractive.js';
import type { Report } from '../core/report.js';
import { renderJson } from './json.js';
import { escapeMarkdown, renderMarkdown } from './markdown.js';
import { checkReport, datesIn, type QualityGateInput } from './quality-gate.js';

const PATHS = ['reports/2026/08/2026-08-22.md', 'data/2026/08/2026-08-22.json'];

function gateInput(change: (report: Report) => void = () => {}, language: 'zh' | 'en' = 'zh'): QualityGateInput {
  const { input, knownUrls } = buildInput(language);
  const report = buildReport(input);
  change(report);
  return {
    report,
    markdown: renderMarkdown(report),
    json: renderJson(report),
    outputPaths: PATHS,
    knownUrls,
    window: input.window,
    env: { TZ: 'Asia/Shanghai', LANG: 'en_US.UTF-8', HOME: '/root', PATH: '/usr/local/bin:/usr/bin:/bin' },
  };
}

/** Problems after inserting `text` into the body (before "## 关于本报告"). */
function withBodyText(text: string): string[] {
  const input = gateInput();
  return checkReport({ ...input, markdown: input.markdown.replace('## 关于本报告', `${text}\n\n## 关于本报告`) });
}

function assertFlags(problems: string[], pattern: RegExp): void {
  assert.ok(
    problems.some((problem) => pattern.test(problem)),
    `expected ${pattern} in:\n${problems.join('\n')}`,
  );
}

describe('checkReport', () => {
  it('passes a good report in both languages', () => {
    assert.deepEqual(checkReport(gateInput()), []);
    assert.deepEqual(checkReport(gateInput(() => {}, 'en')), []);
    assert.deepEqual(checkReport({ ...gateInput(), env: process.env }), []);
  });

  it('refuses a report with no stories', () => {
    assertFlags(
      checkReport(
        gateInput((report) => {
          report.sections = [];
        }),
      ),
      /^no stories/,
    );
  });

  it('refuses a story link that is not a collected item', () => {
    const problems = checkReport(
      gateInput((report) => {
        report.sections[0]!.stories[0]!.links[0]!.url = 'https://invented.example/news';
      }),
    );
    assertFlags(problems, /links https:\/\/invented\.example\/news, which is not a collected item/);
  });

  it('refuses a story without any link', () => {
    assertFlags(
      checkReport(
        gateInput((report) => {
          report.sections[0]!.stories[0]!.links = [];
        }),
      ),
      /has no link/,
    );
  });

  it('refuses a reference whose URL is not a collected item', () => {
    const problems = checkReport(
      gateInput((report) => {
        report.references[0]!.url = 'https://made-up.example/x';
      }),
    );
    assertFlags(problems, /reference \[1\] https:\/\/made-up\.example\/x is not the URL of a collected item/);
  });

  it('refuses a reference published outside the window', () => {
    const problems = checkReport(
      gateInput((report) => {
        report.references[1]!.publishedAt = '2026-08-10T00:00:00.000Z';
      }),
    );
    assertFlags(problems, /reference \[2\] was published at 2026-08-10T00:00:00.000Z, outside the window/);
  });

  it('refuses a reading-list entry citing no reference', () => {
    const problems = checkReport(
      gateInput((report) => {
        const story = report.sections[0]!.stories[0]!;
        report.readingList = [{ storyId: story.id, title: story.title, url: story.links[0]!.url, cites: [98] }];
      }),
    );
    assertFlags(problems, /citation \[98\] has no reference/);
  });

  it('refuses a citation with no reference', () => {
    const problems = checkReport(
      gateInput((report) => {
        report.executiveSummary[0]!.cites = [99];
      }),
    );
    assertFlags(problems, /citation \[99\] has no reference/);
  });

  it('refuses output paths with another date or month folder', () => {
    const input = gateInput();
    assertFlags(
      checkReport({ ...input, outputPaths: ['reports/2026/08/2025-08-22.md'] }),
      /output path .* has date 2025-08-22/,
    );
    assertFlags(
      checkReport({ ...input, outputPaths: ['reports/2026/07/2026-08-22.md'] }),
      /is in folder 2026\/07, not 2026\/08/,
    );
  });

  it('refuses a title with another year or date (the seed said 2025 in a 2026 report)', () => {
    assertFlags(
      checkReport(
        gateInput((report) => {
          report.title = 'AI 技术日报 2025年2月13日';
        }),
      ),
      /title has date 2025-02-13, not 2026-08-22/,
    );
    assertFlags(
      checkReport(
        gateInput((report) => {
          report.title = 'AI Daily 2025 edition';
        }),
      ),
      /title has year 2025, not 2026/,
    );
  });

  it('refuses a front matter date that is another day or has no offset', () => {
    const input = gateInput();
    const otherDay = input.markdown.replace('date: "2026-08-22T10:00:00+08:00"', 'date: "2026-08-21T10:00:00+08:00"');
    assertFlags(
      checkReport({ ...input, markdown: otherDay }),
      /front matter date "2026-08-21T10:00:00\+08:00" is not 2026-08-22/,
    );
    const noOffset = input.markdown.replace('date: "2026-08-22T10:00:00+08:00"', 'date: "2026-08-22T10:00:00"');
    assertFlags(checkReport({ ...input, markdown: noOffset }), /has no time zone offset/);
  });

  it('refuses a heading or the JSON with another date', () => {
    assertFlags(withBodyText('## 分析（2025-02-13）\n\ntext'), /heading "## 分析（2025-02-13）" has date 2025-02-13/);
    const input = gateInput();
    assertFlags(
      checkReport({ ...input, json: input.json.replace('"date": "2026-08-22"', '"date": "2026-08-21"') }),
      /JSON date 2026-08-21/,
    );
    assert.deepEqual(datesIn('2026-08-22, 2026/8/1 and 2025年2月13日'), ['2026-08-22', '2026-08-01', '2025-02-13']);
  });

  it('refuses ANSI escape sequences in the outputs; those of source text are removed before rendering', () => {
    assertFlags(withBodyText('\u001b[32mgreen\u001b[0m'), /markdown contains ANSI/);
    const input = gateInput();
    assertFlags(
      checkReport({ ...input, json: input.json.replace('"mode": "extractive"', '"mode": "\\u001b[1mextractive"') }),
      /JSON contains ANSI/,
    );
    const fromSource = gateInput((report) => {
      report.description = '\u001b[1mbold';
      report.sections[0]!.stories[0]!.title = '\u001b[31mred\u001b[0m title';
    });
    assert.deepEqual(checkReport(fromSource), []);
    assert.ok(!fromSource.json.includes('\\u001b') && !fromSource.markdown.includes('\u001b'));
    assert.ok(fromSource.markdown.includes('#### [red title]('));
  });

  it('refuses log-like lines (the seed report held the agent console log)', () => {
    for (const line of [
      '✅ Loaded Bash tool',
      'Loading MCP tools...',
      '[INFO] fetched 12 sources',
      'WARN: source slow',
      '2026-08-22T02:00:00.123Z INFO run started',
      '╔══════════════╗',
      '────────────────────',
      '⚠️  No available MCP tools found',
    ]) {
      assertFlags(withBodyText(line), /contains a log-like line/);
    }
  });

  it('refuses absolute paths', () => {
    // Built from parts so that this file holds no machine path itself.
    const path = (...parts: string[]) => ['', ...parts].join('/');
    for (const text of [
      `saved to ${path('home', 'moss', 'workspace', 'report.md')}`,
      `config (${path('root', '.config', 'x.yaml')})`,
      'see C:\\Users\\me\\report.md',
      'open file:///tmp/x.html',
      'written to /tmp/ai-daily/out.md',
      `cwd ${path('work', 'main', 'out')}`,
      `stored in ${path('Users', 'me', 'ai')}`,
    ]) {
      assertFlags(withBodyText(text), /contains an absolute path/);
    }
  });

  it('refuses environment values and credential-looking strings', () => {
    const input = gateInput();
    const leaked = input.markdown.replace('## 关于本报告', 'host build-runner-42.internal\n\n## 关于本报告');
    assertFlags(
      checkReport({ ...input, markdown: leaked, env: { ...input.env, HOSTNAME: 'build-runner-42.internal' } }),
      /contains the value of environment variable HOSTNAME/,
    );
    assertFlags(withBodyText('key sk-abcdefghijklmnopqrstuvwxyz123456'), /looks like a credential/);
    assertFlags(withBodyText('token ghp_abcdefghijklmnopqrstuvwxyz0123456789'), /looks like a credential/);
    assertFlags(withBodyText('Authorization: Bearer abcdef0123456789abcdef'), /looks like a credential/);
  });

  it('does not flag public environment values such as the time zone', () => {
    const input = gateInput();
    assert.deepEqual(
      checkReport({ ...input, env: { TZ: 'Asia/Shanghai', GITHUB_SERVER_URL: 'https://github.com' } }),
      [],
    );
  });

  it('does not flag values too common to tell anything: short values, plain words, system paths', () => {
    const input = gateInput();
    const body = input.markdown.replace('## 关于本报告', 'root on localhost ran noninteractive jobs\n\n## 关于本报告');
    const env = { USER: 'root', HOST_ALIAS: 'localhost', DEBIAN_FRONTEND: 'noninteractive', PY: '/usr/bin/python3' };
    assert.deepEqual(checkReport({ ...input, markdown: body, env }), []);
  });

  it('refuses an empty section, in the data and in the text', () => {
    const problems = checkReport(
      gateInput((report) => {
        report.sections[1]!.stories = [];
      }),
    );
    assertFlags(problems, /empty section: "多模态AI" has no stories/);
    assertFlags(
      withBodyText('### 6. 行业应用\n\n### 7. Other'),
      /empty section: heading "### 6\. 行业应用" has no content/,
    );
  });

  it('refuses markdown without front matter', () => {
    const input = gateInput();
    assertFlags(
      checkReport({ ...input, markdown: input.markdown.replace(/^---\n[\s\S]*?\n---\n/, '') }),
      /no YAML front matter/,
    );
  });

  it('refuses a stack trace or a path in our own text', () => {
    assertFlags(
      withBodyText('TypeError: x is undefined\n    at render (src/render/markdown.ts:12:5)'),
      /contains a stack trace/,
    );
  });
});

/** Titles a source may well write: they look like a log line, a path, a status line or box drawing. */
const LOOK_ALIKE_TITLES = [
  'Loaded dice: how LLM benchmarks get gamed',
  '✅ 千问 Qwen4 正式开源，支持多模态',
  'ERROR bars matter: evaluating AI models honestly',
  'WARNING: AI agents are now writing most pull requests',
  'Why /usr/bin/python3 broke our LLM training pipeline',
  'Qwen 3 ─── the full benchmark story',
  'C:\\Users\\me\\models is where Windows keeps them',
  '[INFO] Session Statistics of our agent run',
  '2026-08-21T10:00:00Z ERROR nothing to see',
];

/** The fixture day with the first story's title (and its representative item's) set to `title`. */
function gateInputWithTitle(title: string, language: 'zh' | 'en', text?: string): QualityGateInput {
  const { input, knownUrls } = buildInput(language);
  const story = input.stories[0]!;
  // One item, so that its title is the story's headline (another item's could say more).
  story.itemIds = story.itemIds.slice(0, 1);
  story.title = title;
  const item = input.items[story.itemIds[0]!]!;
  item.title = title;
  if (text !== undefined) item.text = text;
  const report = buildReport(input);
  return {
    report,
    markdown: renderMarkdown(report),
    json: renderJson(report),
    outputPaths: PATHS,
    knownUrls,
    window: input.window,
    env: { TZ: 'Asia/Shanghai', HOME: '/root' },
  };
}

describe('checkReport and source text that looks like our faults', () => {
  for (const language of ['zh', 'en'] as const) {
    for (const title of LOOK_ALIKE_TITLES) {
      it(`publishes "${title}" (${language}) as escaped text`, () => {
        const input = gateInputWithTitle(title, language);
        assert.deepEqual(checkReport(input), []);
        assert.ok(
          input.markdown.includes(`\n#### [${escapeMarkdown(title, 'link-text')}](`) ||
            input.markdown.includes(`**[${escapeMarkdown(title, 'link-text')}](`),
          'the title is shown',
        );
        assert.ok(input.json.includes(JSON.stringify(title)), 'the JSON has the title as it was');
      });
    }
  }

  it('redacts credential-looking tokens of source text, in the Markdown and the JSON, and publishes', () => {
    const secrets = [
      'sk-abcdefghijklmnopqrstuvwxyz123456',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'AKIAABCDEFGHIJKLMNOP',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    ];
    for (const language of ['zh', 'en'] as const) {
      const title = `Leaked keys ${secrets.join(' and ')} in a model card`;
      const input = gateInputWithTitle(title, language);
      assert.deepEqual(checkReport(input), []);
      for (const output of [input.markdown, input.json]) {
        for (const secret of secrets) assert.ok(!output.includes(secret), `${secret} is redacted`);
        assert.ok(
          output.includes(
            'Leaked keys *** and *** and *** and *** in a model card'.replace(
              /\*/g,
              output === input.markdown ? '\\*' : '*',
            ),
          ),
        );
      }
    }
  });

  it('still refuses a log line, a path or a secret that is not source text', () => {
    const input = gateInputWithTitle(LOOK_ALIKE_TITLES[3]!, 'en');
    const about = '## About this report';
    const inject = (text: string) =>
      checkReport({ ...input, markdown: input.markdown.replace(about, `${text}\n\n${about}`) });
    assertFlags(inject('WARNING: disk almost full'), /log-like line/);
    assertFlags(inject('saved to /usr/local/share/ai-daily'), /absolute path/);
    assertFlags(inject('key sk-abcdefghijklmnopqrstuvwxyz123456'), /looks like a credential/);
  });
});

describe('an item that cannot be shown safely', () => {
  it('is left out and counted, and the rest of the day publishes (zh and en)', () => {
    const key = 'AIzaSyA0123456789abcdefghijklmnopqrstu';
    for (const language of ['zh', 'en'] as const) {
      const { input, knownUrls } = buildInput(language);
      const story = input.stories[0]!;
      const item = input.items[story.itemIds[0]!]!;
      knownUrls.delete(item.url);
      item.url = `https://video.example/embed?key=${key}`;
      knownUrls.add(item.url);
      const report = buildReport(input);
      assert.ok(
        report.references.some((reference) => reference.url === item.url),
        'the item is cited before',
      );
      const gate: QualityGateInput = {
        report,
        markdown: renderMarkdown(report),
        json: renderJson(report),
        outputPaths: PATHS,
        knownUrls,
        window: input.window,
      };
      assert.deepEqual(checkReport(gate), []);
      for (const output of [gate.markdown, gate.json]) assert.ok(!output.includes(key), 'the key is not published');
      const json = JSON.parse(gate.json) as Report;
      assert.equal(json.withheld, 1);
      assert.deepEqual(
        json.references.map((reference) => reference.n),
        json.references.map((_, index) => index + 1),
        'references renumbered without a gap',
      );
      assert.equal(json.references.length, report.references.length - 1);
      assert.match(gate.markdown, language === 'en' ? /- Left out: 1 item \(/ : /- 未收录：1 条/);
      const definitions = [...gate.markdown.matchAll(/^\[ref-(\d+)\]: /gm)].map((match) => Number(match[1]));
      const markers = new Set([...gate.markdown.matchAll(/\]\[ref-(\d+)\]/g)].map((match) => Number(match[1])));
      for (const n of markers) assert.ok(definitions.includes(n), `[ref-${n}] is defined`);
    }
  });
});
