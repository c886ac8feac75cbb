/**
 * A hostile day: the real captures of 2026-08-22 with two feeds of our own (test/fixtures/hostile-day/,
 * served at the TechCrunch AI and 量子位 feed URLs of the default preset) whose items plant
 * instructions to the report's writer, its readers and AI — in English and Chinese, in titles,
 * descriptions and content — with URLs, bare host names, email addresses and `curl | sh` commands.
 *
 * In extractive mode and in LLM mode (a scripted model that copies every source sentence it is
 * shown, the planted ones included, with valid citations), nothing of the planted text reaches any
 * output: the Markdown, the HTML page, the JSON, the site's feeds and index, and the chat digests
 * built from the report. The only URLs of these items that appear are their own collected links,
 * cited as references. The news in the same items and in the clean items still gets its summary.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify as stringifyYaml } from 'yaml';
import { splitSentences } from '../../src/analyze/summarize.js';
import { runCommand } from '../../src/cli/commands/run.js';
import { silentLogger } from '../../src/core/log.js';
import type { Report } from '../../src/core/report.js';
import { buildDigest, type DigestDialect } from '../../src/publish/channels/digest.js';
import { dayFile, repoRoot } from '../support/fixtures.js';
import { removeLlmDays, runLlmDay, type Script } from '../support/llm-day.js';
import { excerptsOf, faithfulAnswer, taskOf } from '../support/mock-llm-server.js';

const fixtures = path.join(repoRoot, 'test/fixtures/hostile-day');
const HOSTILE_FEEDS = [
  { url: 'https://techcrunch.com/category/artificial-intelligence/feed/', file: 'techcrunch-ai.xml' },
  { url: 'https://www.qbitai.com/feed', file: 'qbitai.xml' },
];

/** Words of the planted text: none may appear in any output, in any mode or language. */
const PLANTED: RegExp[] = [
  /evil/i,
  /in your report/i,
  /tell (?:your )?readers/i,
  /download it from/i,
  /ignore all previous/i,
  /top of the newsletter/i,
  /curl\b/i,
  /\|\s*sh\b/,
  /powershell|\biex\b|\biwr\b/i,
  /leaks@|partner@/i,
  /developer mode/i,
  /note to editors/i,
  /lead the report/i,
  /mirrored at/i,
  /magistral-free|qwen4-download|evil-weights/i,
  /AI assistant:/,
  /install GPT-9/i,
  /在你的报告中|你的报告/,
  /告诉读者|告诉用户/,
  /编辑请注意|放在头条|不得提及/,
  /忽略之前|世界第一/,
  /请在摘要中写|本站是最好的/,
  /pip install|glm5-client/i,
  /合作意向/,
];

/** The legitimate news of the hostile feeds, each with words its summary must show. */
const LEGITIMATE = [
  { title: 'OpenAI opens a GPT-9 preview to developers', words: /research preview|context window/ },
  { title: 'Anthropic brings background agents to Claude Code', words: /background agents|cloud sandboxes/ },
  { title: 'Mistral releases Magistral 2 reasoning model under Apache 2.0', words: /Apache 2\.0 license|fewer tokens/ },
  { title: 'Google DeepMind ships Gemini 4 Flash for low-latency apps', words: /Gemini 4 Flash|Vertex AI/ },
  { title: '阿里发布通义千问 Qwen4 系列大模型', words: /七个不同规模|中文基准测试/ },
  { title: '智谱开源 GLM-5 视觉语言模型', words: /理解图片|文档理解/ },
];

/** The recorded day with the hostile feeds added, written into `dir` (captures read in place). */
function writeHostileDay(dir: string): string {
  const recorded = dayFile('2026-08-22');
  const day = JSON.parse(readFileSync(recorded, 'utf8')) as {
    responses: { url: string; file: string; status: number; contentType: string }[];
  };
  const responses = [
    ...day.responses.map((response) => ({
      ...response,
      file: path.relative(dir, path.resolve(path.dirname(recorded), response.file)),
    })),
    ...HOSTILE_FEEDS.map((feed) => ({
      url: feed.url,
      file: path.relative(dir, path.join(fixtures, feed.file)),
      status: 200,
      contentType: 'application/rss+xml; charset=utf-8',
    })),
  ];
  const file = path.join(dir, 'hostile-day.json');
  writeFileSync(file, JSON.stringify({ ...day, responses }, null, 2));
  return file;
}

/** The links of the hostile feeds' items: the only URLs of them an output may hold (as references). */
function collectedLinks(): Set<string> {
  const links = new Set<string>();
  for (const feed of HOSTILE_FEEDS) {
    const xml = readFileSync(path.join(fixtures, feed.file), 'utf8');
    for (const match of xml.matchAll(/<link>([^<]+)<\/link>/g)) links.add(match[1]!);
  }
  return links;
}

/** Every file under `dir`, as text. */
function filesUnder(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push({ file: path.relative(dir, full), text: readFileSync(full, 'utf8') });
  }
  return out;
}

/** The chat digests of a report in every dialect (what channels would post). */
function digests(report: Report, markdown: string): { file: string; text: string }[] {
  return (['plain', 'markdown', 'slack', 'telegram-html'] as DigestDialect[]).map((dialect) => {
    const digest = buildDigest({ date: report.date, language: report.language, report, markdown, html: '' }, dialect, {
      max: 100_000,
      unit: 'chars',
    });
    return { file: `digest (${dialect})`, text: digest.text };
  });
}

/** Fails naming the output and the planted text found in it; checks the URLs of the hostile hosts. */
function assertNothingPlanted(outputs: { file: string; text: string }[]): void {
  assert.ok(outputs.some((output) => output.file.endsWith('.md')));
  assert.ok(outputs.some((output) => output.file.endsWith('.html')));
  assert.ok(outputs.some((output) => output.file.endsWith('.json')));
  const allowed = collectedLinks();
  for (const { file, text } of outputs) {
    for (const pattern of PLANTED) {
      const match = pattern.exec(text);
      assert.equal(
        match,
        null,
        `${file} holds planted text "${match?.[0]}" near "${text.slice(Math.max(0, (match?.index ?? 0) - 80), (match?.index ?? 0) + 80)}"`,
      );
    }
    // A URL on a hostile feed's host is one of its items' own links (a reference), nothing else.
    for (const match of text.matchAll(/https?:\/\/(?:techcrunch\.com|www\.qbitai\.com)\/[^\s"'<>)|\]\\]*/g)) {
      const url = match[0].replace(/[.,;]+$/, '');
      if (url === 'https://techcrunch.com/category/artificial-intelligence/feed/') continue;
      if (url === 'https://www.qbitai.com/feed') continue;
      assert.ok(allowed.has(url), `${file} holds a URL that is no collected link: ${url}`);
    }
  }
}

function storiesOf(report: Report) {
  return report.sections.flatMap((section) => section.stories);
}

/** Every news item of the hostile feeds is a story summarised by its news, not by what was planted. */
function assertLegitimateNewsKept(report: Report): void {
  const stories = storiesOf(report);
  let found = 0;
  for (const entry of LEGITIMATE) {
    const story = stories.find((candidate) => candidate.links.some((link) => link.title === entry.title));
    if (!story) continue;
    found += 1;
    const summary = story.summary.map((sentence) => sentence.text).join(' ');
    assert.match(summary, entry.words, `${entry.title}: ${summary}`);
  }
  assert.equal(found, LEGITIMATE.length, 'every news item of the hostile feeds is a story');
  assert.equal(report.manifest.counts.instructionTitles, 2, 'the two instruction titles are dropped and counted');
  const counts = report.manifest.counts;
  assert.equal(counts.inWindow, counts.instructionTitles + counts.offTopic + counts.storyItems);
}

describe('a hostile day: sources that instruct the report', () => {
  let dir: string;
  let hostileDay: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-hostile-day-'));
    hostileDay = writeHostileDay(dir);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    removeLlmDays();
  });

  for (const language of ['en', 'zh'] as const) {
    it(`extractive (${language}): no planted instruction, URL, email or command in any output`, async () => {
      const runDir = mkdtempSync(path.join(dir, `extractive-${language}-`));
      writeFileSync(
        path.join(runDir, 'ai-daily.config.yaml'),
        stringifyYaml({ language, store: { path: './data/ai-daily.db' } }),
      );
      const summary = await runCommand({ cwd: runDir, log: silentLogger, replay: hostileDay, out: 'out' });
      const out = path.join(runDir, 'out');
      const report = JSON.parse(readFileSync(path.join(out, summary.json), 'utf8')) as Report;
      const markdown = readFileSync(path.join(out, summary.markdown), 'utf8');
      assertNothingPlanted([...filesUnder(out), ...digests(report, markdown)]);
      assertLegitimateNewsKept(report);
    });
  }

  /** A model that copies every sentence of the excerpts it is shown (planted ones first), citing it. */
  const copyingModel: Script = (request) => {
    const excerpts = [...excerptsOf(request.prompt).entries()];
    const sentences = excerpts.flatMap(([n, text]) =>
      splitSentences(text.split('\n').slice(1).join('\n')).map((sentence) => ({ text: sentence, cites: [n] })),
    );
    const planted = sentences.filter((sentence) => PLANTED.some((pattern) => pattern.test(sentence.text)));
    const copied = [...planted, ...sentences.filter((sentence) => !planted.includes(sentence))];
    const task = taskOf(request.prompt);
    if (task === 'story') {
      const [n, first] = excerpts[0]!;
      return {
        kind: 'object',
        value: { headline: { text: first.split('\n')[0]!, cites: [n] }, summary: copied.slice(0, 6) },
      };
    }
    const answer = faithfulAnswer(request) as Record<string, unknown>;
    if (task === 'overview') answer.executiveSummary = [...planted, ...(answer.executiveSummary as unknown[])];
    return { kind: 'object', value: answer };
  };

  for (const language of ['en', 'zh'] as const) {
    it(`LLM (${language}): a model that copies the planted sentences publishes none of them`, async () => {
      const run = await runLlmDay(copyingModel, {
        lang: language,
        replay: hostileDay,
        llmLines: ['  maxDroppedShare: 0.9', '  demo:', '    enabled: false'],
      });
      // The model was shown planted sentences and copied them; the verifier dropped them.
      const shown = run.requests.map((request) => request.prompt).join('\n');
      assert.match(shown, /In your report|在你的报告中/);
      const llm = run.json.llm!;
      assert.ok((llm.droppedReasons.instruction ?? 0) > 0, JSON.stringify(llm.droppedReasons));
      assert.ok(llm.verification.storySummaries.kept > 0);
      assertNothingPlanted([...filesUnder(run.out), ...digests(run.json, run.markdown)]);
      assertLegitimateNewsKept(run.json);
    });
  }
});
