/**
 * The demo block beside its story: model-written code and its program's output are shown fenced,
 * with a fence no backtick run inside can close, so nothing in them becomes a link, image, raw
 * HTML or template outside the fence; the quality gate reads what the demo prints as the demo's,
 * not as our log; the about section says why a report has no demo, in both languages.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { buildInput } from '../../test/fixtures/report/build-input.js';
import { buildReport } from '../analyze/extractive.js';
import { DEMO_ABSENCE_REASONS, type Report, type ReportDemo } from '../core/report.js';
import { STRINGS } from './i18n.js';
import { renderJson } from './json.js';
import { fenceFor, renderMarkdown } from './markdown.js';
import { checkReport } from './quality-gate.js';

const HOSTILE_CODE = [
  '# ``` ```` closing fences, a [link](https://evil.example/x) and ![img](https://evil.example/p.png)',
  'print("<script>alert(1)</script> https://evil.example/auto www.evil.example")',
  'print("{{< ref \\"missing\\" >}} {{% param \\"secret\\" %}} {% include evil.html %}")',
  'print("[ref-1]: https://evil.example/definition")',
  'print("````` five")',
  '',
].join('\n');
const LOG_LIKE_OUTPUT = 'ERROR: model failed to converge\n[INFO] step 3 done\n2026-08-22 10:00:00 WARNING retrying\n';

function withDemo(language: 'zh' | 'en', code = HOSTILE_CODE, output = LOG_LIKE_OUTPUT) {
  const { input, knownUrls } = buildInput(language);
  const report = buildReport(input);
  const story = report.sections.flatMap((section) => section.stories)[0]!;
  const demo: ReportDemo = {
    storyId: story.id,
    section: story.section,
    storyTitle: story.title,
    url: story.links[0]!.url,
    shows: 'What [a link](https://evil.example/s) would do',
    cites: [],
    code,
    output,
    outputTruncated: false,
    path: `demo_code/${story.section}/demo_20260822.py`,
    commands: ['python3 -m py_compile demo.py', 'python3 -I -B demo.py'],
    limits: {
      timeoutMs: 10_000,
      cpuSeconds: 5,
      memoryBytes: 512 * 1048576,
      fileSizeBytes: 1048576,
      outputLimitBytes: 16384,
    },
    attempts: 2,
  };
  const withDemoReport: Report = { ...report, demo };
  return { report: withDemoReport, input, knownUrls, story };
}

describe('the demo block in Markdown', () => {
  it('fences code and output with a fence longer than any backtick run inside', () => {
    assert.equal(fenceFor('no ticks'), '```');
    assert.equal(fenceFor('a ```` b ` c'), '`````');
  });

  it('shows the code and the output whole inside their fences, and nothing of them outside as a link, image, HTML or template', () => {
    for (const language of ['zh', 'en'] as const) {
      const { report } = withDemo(language);
      const markdown = renderMarkdown(report);
      const tokens = new MarkdownIt({ html: true, linkify: true }).parse(markdown, {});
      const fences = tokens.filter((token) => token.type === 'fence');
      const code = fences.find((token) => token.info === 'python');
      const output = fences.find((token) => token.info === 'text');
      assert.ok(code && output);
      // The code reads as written, but for Hugo shortcode openers, which are broken.
      assert.equal(code.content, HOSTILE_CODE.replace(/\{\{(\s*[<%])/g, '{ {$1'));
      assert.equal(output.content, LOG_LIKE_OUTPUT);
      // Outside the fences: no link to evil.example, no image, no raw HTML.
      const inline = tokens.filter((token) => token.type === 'inline').flatMap((token) => token.children ?? []);
      for (const child of inline) {
        if (child.type === 'link_open') assert.doesNotMatch(String(child.attrGet('href') ?? ''), /evil\.example/);
        assert.notEqual(child.type, 'image');
        assert.notEqual(child.type, 'html_inline');
      }
      assert.equal(tokens.filter((token) => token.type === 'html_block').length, 0);
      assert.doesNotMatch(markdown, /\{\{[<%]/);
      // Beside its story: after the story's heading, before the next one.
      assert.ok(
        markdown.indexOf(`**${STRINGS[language].llm.demo}**`) >
          markdown.indexOf(report.sections[0]!.stories[0]!.title.slice(0, 10)),
      );
    }
  });

  it('the quality gate takes what the demo prints as the demo’s, not as our log lines', () => {
    const { report, input, knownUrls } = withDemo('en');
    const problems = checkReport({
      report,
      markdown: renderMarkdown(report),
      json: renderJson(report),
      outputPaths: ['reports/2026/08/2026-08-22.md', 'reports/2026/08/2026-08-22.json', report.demo!.path],
      knownUrls,
      window: input.window,
      env: {},
    });
    assert.deepEqual(problems, []);
    // The same lines written as our own text are refused.
    const own = checkReport({
      report: { ...report, demo: undefined },
      markdown: renderMarkdown(report).replace('## About', `${LOG_LIKE_OUTPUT}\n## About`),
      json: renderJson(report),
      outputPaths: ['reports/2026/08/2026-08-22.md'],
      knownUrls,
      window: input.window,
      env: {},
    });
    assert.ok(
      own.some((problem) => /log-like/.test(problem)),
      own.join('\n'),
    );
  });

  it('the about section says why there is no demo, for every reason, in both languages', () => {
    for (const language of ['zh', 'en'] as const) {
      const { report } = withDemo(language);
      for (const reason of DEMO_ABSENCE_REASONS) {
        const markdown = renderMarkdown({
          ...report,
          demo: undefined,
          demoAbsence: { reason, attempts: 0 },
          llm: llmInfo(),
        });
        assert.ok(markdown.includes(STRINGS[language].llm.demoAbsent[reason]), `${language} ${reason}`);
        assert.doesNotMatch(markdown, /```python/);
      }
    }
  });
});

function llmInfo(): NonNullable<Report['llm']> {
  const zero = { units: 0, checked: 0, kept: 0, dropped: 0, fallbacks: 0 };
  return {
    provider: 'openai',
    model: 'm',
    promptVersion: 'test',
    storiesAnalysed: 0,
    storiesWritten: 0,
    storiesTotal: 0,
    verification: {
      headlines: zero,
      storySummaries: zero,
      executiveSummary: zero,
      sectionAnalysis: zero,
      developerGuide: zero,
      risks: zero,
      outlook: zero,
    },
    droppedReasons: {},
    pieces: [],
    droppedSentences: [],
  };
}
