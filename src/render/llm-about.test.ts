/**
 * What "about this report" says of an LLM report, in Markdown and HTML, zh and en: stories the
 * model wrote of all, each part's fallbacks with their causes, the demo's cause, and a header mode
 * that does not call a report the model did not write "LLM-written"; the published JSON names
 * dropped sentences by piece, reason and token, never by text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildInput } from '../../test/fixtures/report/build-input.js';
import { buildReport } from '../analyze/extractive.js';
import type { LlmPieceOutcome, Report } from '../core/report.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';

function llmReport(language: 'zh' | 'en', pieces: LlmPieceOutcome[], written: number): Report {
  const { input } = buildInput(language);
  const base = buildReport(input);
  const total = base.sections.flatMap((section) => section.stories).length;
  const part = (units: number, fallbacks: number) => ({ units, checked: 3, kept: 2, dropped: 1, fallbacks });
  return {
    ...base,
    manifest: { ...base.manifest, mode: 'llm' },
    llm: {
      provider: 'openai',
      model: 'm',
      promptVersion: 'test',
      storiesAnalysed: total,
      storiesWritten: written,
      storiesTotal: total,
      verification: {
        headlines: part(total, total - written),
        storySummaries: part(total, total - written),
        executiveSummary: part(1, 0),
        sectionAnalysis: part(1, 0),
        developerGuide: part(1, 0),
        risks: part(1, 1),
        outlook: part(1, 0),
      },
      droppedReasons: { 'unsupported-number': 1 },
      pieces,
      droppedSentences: [
        {
          part: 'risks',
          reason: 'unsupported-number',
          detail: 'number "48213%" is not in excerpt [1]',
          text: 'Revenue grew 48213% this quarter.',
        },
      ],
    },
    demoAbsence: { reason: 'no-answer', attempts: 0, cause: 'deadline' },
  };
}

const SOME: LlmPieceOutcome[] = [
  { part: 'storySummaries', storyId: 'a', writtenBy: 'model' },
  { part: 'storySummaries', storyId: 'b', writtenBy: 'extractive', cause: 'timeout' },
  { part: 'storySummaries', storyId: 'c', writtenBy: 'extractive', cause: 'http-error', status: 502 },
  { part: 'storySummaries', storyId: 'd', writtenBy: 'extractive', cause: 'timeout' },
  { part: 'risks', writtenBy: 'none', cause: 'verifier' },
];

describe('about an LLM report', () => {
  it('says in zh how many stories the model wrote, what fell back and why, in Markdown and HTML', () => {
    const report = llmReport('zh', SOME, 1);
    const total = report.llm!.storiesTotal;
    for (const text of [renderMarkdown(report), renderHtml(report)]) {
      assert.ok(
        text.includes(`LLM 撰写的报道：1 / ${total}，其余为抽取式（模型接口超时 2 处；模型接口返回 HTTP 502 1 处）`),
      );
      assert.ok(
        text.includes(
          '风险与未知：检查 3 句，保留 2 句，删除 1 句；1 / 1 处回退为抽取式或略去（引用核对删去过多 1 处）',
        ),
      );
      assert.ok(text.includes('无（模型没有给出可用的代码）；原因：超过本次运行的时限'));
      assert.ok(text.includes(`模型撰写了 1 / ${total} 篇报道，其余为抽取式`));
    }
  });

  it('says it in en; a report the model wrote none of is not called LLM-written', () => {
    const none = SOME.filter((piece) => piece.writtenBy !== 'model');
    const report = llmReport('en', none, 0);
    const markdown = renderMarkdown(report);
    assert.match(markdown, /\*\*Mode\*\*: extractive \(the model wrote none of it: the endpoint timed out\)/);
    assert.match(
      markdown,
      /Stories written by the LLM: 0 of \d+; the rest are extractive \(the endpoint timed out: 2; /,
    );
    assert.match(renderHtml(report), /extractive \(the model wrote none of it: the endpoint timed out\)/);
    assert.match(markdown, /^- Mode: extractive \(the model wrote none of it: the endpoint timed out\)$/m);
    assert.doesNotMatch(markdown, /the text was written by a language model/);
    assert.doesNotMatch(markdown, /48213/);
  });

  it('the published JSON names a dropped sentence by its piece, reason and token, not by its text', () => {
    const json = JSON.parse(renderJson(llmReport('en', SOME, 1))) as Report;
    assert.deepEqual(json.llm!.droppedSentences, [
      { part: 'risks', reason: 'unsupported-number', detail: 'number "48213%" is not in excerpt [1]' },
    ]);
    assert.deepEqual(json.llm!.pieces, SOME);
  });
});
