/**
 * The LLM analyzer: the extractive report first (the fallback for every part), then the model's
 * parts laid over it — a headline and summary per story (in rank order, as far as the budget
 * goes), then one overview call for the executive summary, an analysis per section, a developer
 * guide, risks and an outlook. Every model sentence goes through the verifier against the
 * excerpts it cites; a part that loses too much falls back to the extractive text (or is left out
 * where extraction has none) and the report's `llm.verification` counts it all.
 */

import type { LlmConfig } from '../../config/schema.js';
import { isHazardous, sourceSentenceRefusal } from '../../core/hygiene.js';
import type {
  LlmDroppedSentence,
  LlmFallbackCause,
  LlmPart,
  LlmPieceOutcome,
  LlmPieceRef,
  LlmReportInfo,
  PartVerification,
  Report,
  ReportInsights,
  ReportSection,
  ReportStory,
} from '../../core/report.js';
import { citingParts } from '../../core/report.js';
import type { ReportInput } from '../../core/run.js';
import type { CitedText, PipelineItem, Reference, Section } from '../../core/types.js';
import { inWindow } from '../../pipeline/window.js';
import type { Analyzer } from '../analyzer.js';
import type { SandboxOptions } from '../demo/index.js';
import { buildReport } from '../extractive.js';
import { describeReport } from '../labels.js';
import { verifySentences as defaultVerifier } from '../verify/index.js';
import type { DraftSentence, ExcerptText, VerifySentences } from '../verify/types.js';
import { type Budget, fitsBudget, planWork } from './budget.js';
import type { LlmCaller } from './caller.js';
import { chooseDemoStory, type DemoStepResult, demoStep, MAX_SHOWS_CHARS } from './demo.js';
import { keySentences, shareTokens } from './excerpt.js';
import { cleanModelText, unsafeOutput } from './output-safety.js';
import {
  cacheKey,
  type Excerpt,
  estimateTokens,
  FULL_OVERVIEW,
  makeBoundary,
  type OverviewAnswer,
  type OverviewShape,
  type OverviewStory,
  overviewAnswerSchema,
  overviewPrompt,
  retryPrompt,
  SHORT_OVERVIEW,
  type StoryAnswer,
  storyAnswerSchema,
  storyPrompt,
  systemPrompt,
} from './prompt.js';
import { promptEcho, restatesHeading } from './prompt-echo.js';

export interface LlmAnalyzerOptions {
  config: LlmConfig;
  caller: LlmCaller;
  topStories: number;
  verify?: VerifySentences;
  /** Boundary source (tests); default random. */
  boundary?: (texts: readonly string[]) => string;
  /** Sandbox overrides for the demo (tests inject a missing `bwrap`). */
  demoSandbox?: SandboxOptions;
  /** Told why there is no demo, in detail (for the log; never in a report). */
  onDemoProblem?: (detail: string) => void;
}

/** Output caps per call (tokens). */
const STORY_OUTPUT_TOKENS = 600;
const OVERVIEW_OUTPUT_TOKENS = { full: 2_000, short: 900 };
/** Items per story shown to the model, and stories in the overview. */
const MAX_EXCERPTS_PER_STORY = 5;
const MAX_OVERVIEW_STORIES = 24;
/** A story's share of the overview prompt (its headline and key sentences), in estimated tokens. */
const OVERVIEW_STORY_TOKENS = 160;
/** The fence lines around an excerpt, in estimated tokens. */
const EXCERPT_FENCE_TOKENS = 12;
const MAX_SUMMARY_SENTENCES = 3;
/** Longer "sentences" are refused: a model that pastes a source or rambles is not summarising. */
const MAX_SENTENCE_CHARS = 400;
const MAX_HEADLINE_CHARS = 160;

/** A checked sentence whose citations are item ids. */
interface Checked {
  text: string;
  itemIds: string[];
}

interface PartResult {
  kept: Checked[];
  checked: number;
  dropped: number;
  /** Each dropped sentence: reason, failing token and text (both withheld where the text is unsafe). */
  droppedList: Omit<LlmDroppedSentence, keyof LlmPieceRef>[];
  /** What was wrong with each dropped sentence (fed back to the model for one regeneration). */
  problems: string[];
}

/** Why a piece is not the model's (and the HTTP status of an `http-error`). */
type CauseOf = { cause: LlmFallbackCause; status?: number };

/** Parts with an extractive counterpart; the others are left out when the model's text fails. */
const EXTRACTIVE_PARTS = new Set<LlmPart>(['headlines', 'storySummaries', 'executiveSummary']);

/** A piece the model's answer left out. */
const EMPTY_RESULT: PartResult = { kept: [], checked: 0, dropped: 0, droppedList: [], problems: [] };

/** Reasons whose sentence is never repeated in a report (markup, a URL, an instruction, a pasted source). */
const WITHHELD_REASONS = new Set(['unsafe-output', 'too-long', 'other', 'instruction']);

function emptyVerification(): Record<LlmPart, PartVerification> {
  const zero = (): PartVerification => ({ units: 0, checked: 0, kept: 0, dropped: 0, fallbacks: 0 });
  return {
    headlines: zero(),
    storySummaries: zero(),
    executiveSummary: zero(),
    sectionAnalysis: zero(),
    developerGuide: zero(),
    risks: zero(),
    outlook: zero(),
  };
}

/** The items of a story that the report may cite (in-window ones; all only when none is). */
function usableItems(input: ReportInput, itemIds: readonly string[]): PipelineItem[] {
  const all = itemIds.map((id) => input.items[id]).filter((item): item is PipelineItem => item !== undefined);
  const inside = all.filter((item) => inWindow(item, input.window));
  return inside.length > 0 ? inside : all;
}

/** An item's title and source, and its text (the article's, where enrichment fetched it) within `tokens`: key sentences first. */
function excerptText(item: PipelineItem, tokens: number): string {
  const title = cleanModelText(item.title);
  const body = cleanModelText(item.text);
  const head = `${title}\n(${item.sourceName})`;
  if (!body || body === title) return head;
  return `${head}\n${keySentences(body, Math.max(40, tokens - estimateTokens(head)))}`;
}

/** Items of a story with different text, representative first, at most `limit`. */
function distinctItems(items: readonly PipelineItem[], limit: number): PipelineItem[] {
  const out: PipelineItem[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const key = `${item.title}\n${item.text}`.slice(0, 400);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
    if (out.length === limit) break;
  }
  return out;
}

/** Each item's excerpt text within `tokens` in all: what a short item leaves goes to the longer ones. */
function excerptTexts(items: readonly PipelineItem[], tokens: number): string[] {
  const needs = items.map((item) => estimateTokens(excerptText(item, Number.MAX_SAFE_INTEGER)) + EXCERPT_FENCE_TOKENS);
  return shareTokens(needs, tokens).map((share, index) =>
    excerptText(items[index]!, Math.max(40, share - EXCERPT_FENCE_TOKENS)),
  );
}

/** A story's excerpts, numbered 1..k (each call has its own numbering), within `tokens` in all. */
export function storyExcerpts(storyId: string, items: readonly PipelineItem[], tokens: number): Excerpt[] {
  const chosen = distinctItems(items, MAX_EXCERPTS_PER_STORY);
  const texts = excerptTexts(chosen, tokens);
  return chosen.map((item, index) => ({
    n: index + 1,
    itemId: item.id,
    storyId,
    sourceName: item.sourceName,
    text: texts[index]!,
  }));
}

export function createLlmAnalyzer(options: LlmAnalyzerOptions): Analyzer {
  return { mode: 'llm', analyze: (input) => analyzeWithLlm(input, options) };
}

export async function analyzeWithLlm(input: ReportInput, options: LlmAnalyzerOptions): Promise<Report> {
  const { config, caller } = options;
  const verify = options.verify ?? defaultVerifier;
  const language = input.language;
  const base = buildReport(input, { topStories: options.topStories });
  const boundaryOf = options.boundary ?? ((texts: readonly string[]) => makeBoundary(texts));
  const verification = emptyVerification();
  const droppedReasons: Record<string, number> = {};

  // Stories in rank order, with their excerpts and the estimated size of their call.
  // A digest (ReportStory.digest) is no one story: the model is not asked about it, neither for
  // its story call nor in the overview; its extractive headline list stays (cause `digest`).
  const reportStories = base.sections.flatMap((section) => section.stories);
  const modelStories = reportStories.filter((story) => !story.digest);
  const digestStories = reportStories.filter((story) => story.digest);
  const storyById = new Map(input.stories.map((story) => [story.id, story]));
  const ranked = [...modelStories].sort(
    (a, b) => b.score.total - a.score.total || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const overhead = estimateTokens(systemPrompt(language, '0'.repeat(16)) + storyPrompt(language, [], '0'.repeat(16)));
  const excerptBudget = Math.max(120, config.storyInputTokens - overhead);
  const storyWork = ranked.slice(0, config.maxStories).map((story) => {
    const items = usableItems(input, storyById.get(story.id)?.itemIds ?? []);
    const excerpts = storyExcerpts(story.id, items, excerptBudget);
    return {
      story,
      excerpts,
      inputTokens: overhead + excerpts.reduce((sum, e) => sum + estimateTokens(e.text) + 12, 0),
      outputTokens: STORY_OUTPUT_TOKENS,
    };
  });

  // The overview sees each story's headline and key sentences (results, numbers, names), from
  // the representative item and, where it has body text, one more source of the story.
  const overviewStoriesFor = (count: number): OverviewStory[] =>
    ranked.slice(0, count).flatMap((story) => {
      const items = distinctItems(usableItems(input, storyById.get(story.id)?.itemIds ?? []), 3);
      const [first, ...others] = items;
      if (!first) return [];
      const second = others.find((item) => cleanModelText(item.text).length > cleanModelText(item.title).length);
      const chosen = second ? [first, second] : [first];
      const texts = excerptTexts(chosen, OVERVIEW_STORY_TOKENS);
      return [
        {
          storyId: story.id,
          section: story.section,
          excerpts: chosen.map((item, index) => ({
            n: 0,
            itemId: item.id,
            storyId: story.id,
            sourceName: item.sourceName,
            text: texts[index]!,
          })),
        },
      ];
    });
  const renumber = (stories: OverviewStory[]): OverviewStory[] => {
    let n = 0;
    return stories.map((story) => ({ ...story, excerpts: story.excerpts.map((e) => ({ ...e, n: ++n })) }));
  };
  const fullOverviewStories = renumber(overviewStoriesFor(MAX_OVERVIEW_STORIES));
  const shortOverviewStories = fullOverviewStories.slice(0, Math.min(10, fullOverviewStories.length));
  const overviewEstimate = (stories: OverviewStory[], shape: OverviewShape) =>
    estimateTokens(systemPrompt(language, '0'.repeat(16)) + overviewPrompt(stories, shape, '0'.repeat(16)));
  const fullOverviewEstimate = overviewEstimate(fullOverviewStories, FULL_OVERVIEW);
  const shortOverviewEstimate = overviewEstimate(shortOverviewStories, SHORT_OVERVIEW);

  const budget: Budget = {
    maxInputTokens: config.maxInputTokens,
    maxOutputTokens: config.maxOutputTokens,
    ...(config.maxCost === undefined ? {} : { maxCost: config.maxCost }),
    prices: config.prices,
  };
  const plan = planWork(
    storyWork.map((work) => ({ inputTokens: work.inputTokens, outputTokens: work.outputTokens })),
    {
      full: { inputTokens: fullOverviewEstimate, outputTokens: OVERVIEW_OUTPUT_TOKENS.full },
      short: { inputTokens: shortOverviewEstimate, outputTokens: OVERVIEW_OUTPUT_TOKENS.short },
    },
    budget,
  );

  /** Checks a piece's sentences (no counting: only the answer the report uses is counted). */
  const check = (
    part: LlmPart,
    sentences: readonly DraftSentence[],
    excerpts: readonly Excerpt[],
    limit: number,
    headings: readonly string[] = [],
  ) => {
    const maxLength = part === 'headlines' ? MAX_HEADLINE_CHARS : MAX_SENTENCE_CHARS;
    // Everything the model wrote is checked (a runaway answer is cut at three times the limit);
    // the first `limit` sentences that pass are kept.
    const checked = checkSentences(sentences.slice(0, limit * 3), excerpts, language, verify, maxLength, headings);
    return { ...checked, kept: checked.kept.slice(0, limit) };
  };
  const tooLossy = (result: PartResult) =>
    result.kept.length === 0 || result.dropped / Math.max(1, result.checked) > config.maxDroppedShare;
  /** The answer to use of a first one and its regeneration: the one that passes, keeps more, drops less. */
  const better = (first: PartResult, second: PartResult | undefined): PartResult => {
    if (!second) return first;
    const score = (r: PartResult) => [tooLossy(r) ? 0 : 1, r.kept.length, -r.dropped];
    const [a, b] = [score(first), score(second)];
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i]! > a[i]! ? second : first;
    return second;
  };
  const pieces: LlmPieceOutcome[] = [];
  const droppedSentences: LlmDroppedSentence[] = [];
  /** Counts the result a piece uses, and says who wrote the piece. */
  const account = (ref: LlmPieceRef, result: PartResult | undefined, cause: CauseOf | undefined): boolean => {
    const part = ref.part as LlmPart;
    const counts = verification[part];
    counts.units++;
    if (result) {
      counts.checked += result.checked;
      counts.kept += result.kept.length;
      counts.dropped += result.dropped;
      for (const dropped of result.droppedList) {
        droppedReasons[dropped.reason] = (droppedReasons[dropped.reason] ?? 0) + 1;
        droppedSentences.push({ ...ref, ...dropped });
      }
    }
    const written = result !== undefined && !tooLossy(result);
    if (written) pieces.push({ ...ref, writtenBy: 'model' });
    else {
      counts.fallbacks++;
      const why = result ? { cause: 'verifier' as const } : (cause ?? { cause: 'not-an-answer' as const });
      pieces.push({ ...ref, writtenBy: EXTRACTIVE_PARTS.has(part) ? 'extractive' : 'none', ...why });
    }
    return written;
  };
  const failureOf = (part: string): CauseOf => caller.failureOf?.(part) ?? { cause: 'not-an-answer' };
  /** Budget left over by the plan, spent in order (so the plan stays deterministic). */
  const spent = [
    ...storyWork.slice(0, plan.stories),
    ...(plan.overview === 'none'
      ? []
      : [
          plan.overview === 'full'
            ? { inputTokens: fullOverviewEstimate, outputTokens: OVERVIEW_OUTPUT_TOKENS.full }
            : { inputTokens: shortOverviewEstimate, outputTokens: OVERVIEW_OUTPUT_TOKENS.short },
        ]),
  ];
  const reserve = (estimate: { inputTokens: number; outputTokens: number }) => {
    if (!fitsBudget([...spent, estimate], budget)) return false;
    spent.push(estimate);
    return true;
  };

  // Stories: one call each, in rank order, as many as the plan allows.
  const analysed = storyWork.slice(0, plan.stories);
  const storyRequest = (work: (typeof analysed)[number], problems?: string[]) => {
    const boundary = boundaryOf(work.excerpts.map((e) => e.text));
    const prompt = storyPrompt(language, work.excerpts, boundary);
    return {
      part: `story:${work.story.id}${problems ? ':again' : ''}`,
      key: cacheKey({
        provider: config.provider,
        model: config.model,
        language,
        task: problems ? 'story-again' : 'story',
        ...(problems ? { shape: problems } : {}),
        excerpts: work.excerpts,
      }),
      schema: storyAnswerSchema,
      name: 'story',
      system: systemPrompt(language, boundary),
      prompt: problems ? retryPrompt(prompt, problems) : prompt,
      maxOutputTokens: work.outputTokens,
    };
  };
  const storyAnswers = await mapLimit(analysed, config.concurrency, async (work) =>
    work.excerpts.length === 0 ? undefined : caller.call<StoryAnswer>(storyRequest(work)),
  );
  const checkStory = (work: (typeof analysed)[number], answer: StoryAnswer) => ({
    headline: check('headlines', [answer.headline], work.excerpts, 1),
    // A summary says more than the story's headline: a sentence that only restates it is dropped.
    summary: check('storySummaries', answer.summary, work.excerpts, MAX_SUMMARY_SENTENCES, [
      work.story.title,
      answer.headline.text,
    ]),
  });
  const firstChecks = analysed.map((work, index) => {
    const answer = storyAnswers[index];
    return answer ? checkStory(work, answer) : undefined;
  });

  // One regeneration, with the checker's findings, for every story that lost a sentence — as far
  // as the budget left over by the plan allows, in rank order.
  const retries: { index: number; problems: string[] }[] = [];
  analysed.forEach((work, index) => {
    const first = firstChecks[index];
    if (!first) return;
    const problems = [...first.headline.problems, ...first.summary.problems].slice(0, 8);
    if (problems.length === 0) return;
    const estimate = {
      inputTokens: work.inputTokens + estimateTokens(problems.join('\n')) + 60,
      outputTokens: work.outputTokens,
    };
    if (reserve(estimate)) retries.push({ index, problems });
  });
  const retried = await mapLimit(retries, config.concurrency, ({ index, problems }) =>
    caller.call<StoryAnswer>(storyRequest(analysed[index]!, problems)),
  );
  const secondChecks = new Map<number, ReturnType<typeof checkStory>>();
  retries.forEach(({ index }, position) => {
    const answer = retried[position];
    if (answer) secondChecks.set(index, checkStory(analysed[index]!, answer));
  });

  const headlines = new Map<string, Checked>();
  const summaries = new Map<string, Checked[]>();
  storyWork.forEach((work, index) => {
    const storyId = work.story.id;
    const first = index < analysed.length ? firstChecks[index] : undefined;
    const second = secondChecks.get(index);
    const cause: CauseOf =
      index >= analysed.length
        ? { cause: 'budget' }
        : work.excerpts.length === 0
          ? { cause: 'no-sources' }
          : failureOf(`story:${storyId}`);
    const headline = first ? better(first.headline, second?.headline) : undefined;
    const summary = first ? better(first.summary, second?.summary) : undefined;
    if (account({ part: 'headlines', storyId }, headline, cause)) {
      const kept = headline!.kept[0]!;
      if (!sameText(kept.text, work.story.title)) headlines.set(storyId, kept);
    }
    if (account({ part: 'storySummaries', storyId }, summary, cause)) summaries.set(storyId, summary!.kept);
  });
  // Stories beyond `llm.maxStories` count too: as extractive pieces.
  for (const story of ranked.slice(storyWork.length)) {
    account({ part: 'headlines', storyId: story.id }, undefined, { cause: 'max-stories' });
    account({ part: 'storySummaries', storyId: story.id }, undefined, { cause: 'max-stories' });
  }
  for (const story of digestStories) {
    account({ part: 'headlines', storyId: story.id }, undefined, { cause: 'digest' });
    account({ part: 'storySummaries', storyId: story.id }, undefined, { cause: 'digest' });
  }

  // The overview: one call, full or short as the budget allows, or none; once more with the
  // check's findings when it lost a sentence.
  const overviewStories = plan.overview === 'full' ? fullOverviewStories : shortOverviewStories;
  const shape = plan.overview === 'full' ? FULL_OVERVIEW : SHORT_OVERVIEW;
  const overviewExcerpts = overviewStories.flatMap((story) => story.excerpts);
  const overviewOutput = plan.overview === 'full' ? OVERVIEW_OUTPUT_TOKENS.full : OVERVIEW_OUTPUT_TOKENS.short;
  const askOverview = (problems?: string[]) => {
    const boundary = boundaryOf(overviewExcerpts.map((e) => e.text));
    const prompt = overviewPrompt(overviewStories, shape, boundary);
    return caller.call<OverviewAnswer>({
      part: problems ? 'overview:again' : 'overview',
      key: cacheKey({
        provider: config.provider,
        model: config.model,
        language,
        task: problems ? 'overview-again' : 'overview',
        shape: problems ? { shape, problems } : shape,
        excerpts: overviewExcerpts,
      }),
      schema: overviewAnswerSchema,
      name: 'overview',
      system: systemPrompt(language, boundary),
      prompt: problems ? retryPrompt(prompt, problems) : prompt,
      maxOutputTokens: overviewOutput,
    });
  };
  const presentSections = base.sections.map((section) => section.section);
  const checkOverview = (answer: OverviewAnswer) => {
    const sections = new Map<Section, PartResult>();
    for (const entry of answer.sections) {
      if (!presentSections.includes(entry.section) || sections.has(entry.section)) continue;
      sections.set(entry.section, check('sectionAnalysis', entry.analysis, overviewExcerpts, shape.perSection));
    }
    return {
      executiveSummary: check('executiveSummary', answer.executiveSummary, overviewExcerpts, shape.executive),
      sections,
      developerGuide: check('developerGuide', answer.developerGuide, overviewExcerpts, shape.guide),
      risks: check('risks', answer.risks, overviewExcerpts, shape.risks),
      outlook: check('outlook', answer.outlook, overviewExcerpts, shape.outlook),
    };
  };
  let overviewCause: CauseOf = { cause: 'budget' };
  let firstOverview: ReturnType<typeof checkOverview> | undefined;
  let secondOverview: ReturnType<typeof checkOverview> | undefined;
  if (plan.overview !== 'none' && overviewStories.length === 0) overviewCause = { cause: 'no-sources' };
  else if (plan.overview !== 'none') {
    const answer = await askOverview();
    if (answer) firstOverview = checkOverview(answer);
    else overviewCause = failureOf('overview');
  }
  if (firstOverview) {
    const all = [
      firstOverview.executiveSummary,
      ...firstOverview.sections.values(),
      firstOverview.developerGuide,
      firstOverview.risks,
      firstOverview.outlook,
    ];
    const problems = all.flatMap((result) => result.problems).slice(0, 12);
    const estimate = {
      inputTokens:
        (plan.overview === 'full' ? fullOverviewEstimate : shortOverviewEstimate) +
        estimateTokens(problems.join('\n')) +
        60,
      outputTokens: overviewOutput,
    };
    if (problems.length > 0 && reserve(estimate)) {
      const again = await askOverview(problems);
      if (again) secondOverview = checkOverview(again);
    }
  }

  // The demo: one top story, its calls within what the budget has left (docs/decisions/0130).
  let demoResult: DemoStepResult = { absence: { reason: 'disabled', attempts: 0 } };
  if (config.demo.enabled) {
    const chosen = chooseDemoStory(
      base.topStories.map((top) => top.storyId),
      new Map(modelStories.map((story) => [story.id, story])),
      (storyId) => storyExcerpts(storyId, usableItems(input, storyById.get(storyId)?.itemIds ?? []), excerptBudget),
    );
    const url = 'story' in chosen ? input.items[chosen.excerpts[0]!.itemId]?.url : undefined;
    demoResult =
      'story' in chosen && url
        ? await demoStep({
            config,
            caller,
            language,
            date: base.date,
            story: chosen.story,
            excerpts: chosen.excerpts,
            url,
            reserve,
            boundary: boundaryOf,
            // The "shows" line is a model sentence: screened and verified like every other one.
            checkShows: (sentence) => {
              const result = checkSentences([sentence], chosen.excerpts, language, verify, MAX_SHOWS_CHARS);
              const kept = result.kept[0];
              return kept
                ? { text: kept.text, itemIds: kept.itemIds }
                : { problem: result.problems.join('; ') || 'it failed the check' };
            },
            ...(options.demoSandbox ? { sandbox: options.demoSandbox } : {}),
            ...(options.onDemoProblem ? { onProblem: options.onDemoProblem } : {}),
          })
        : { absence: { reason: 'absence' in chosen ? chosen.absence : 'no-story', attempts: 0 } };
    if ('absence' in demoResult && demoResult.absence.reason === 'no-answer' && 'story' in chosen) {
      // Why the model gave no code: the failure of the demo's last call.
      const cause = caller.failureOf?.(`demo:${chosen.story.id}`);
      if (cause) demoResult = { absence: { ...demoResult.absence, cause: cause.cause } };
    }
  }

  const overviewPart = (pick: (checks: ReturnType<typeof checkOverview>) => PartResult | undefined) =>
    firstOverview ? better(pick(firstOverview) ?? EMPTY_RESULT, secondOverview && pick(secondOverview)) : undefined;
  const overviewPiece = (ref: LlmPieceRef, result: PartResult | undefined): Checked[] | undefined =>
    account(
      ref,
      result === EMPTY_RESULT ? undefined : result,
      result === EMPTY_RESULT ? { cause: 'invalid-answer' } : overviewCause,
    )
      ? result!.kept
      : undefined;
  const executive = overviewPiece(
    { part: 'executiveSummary' },
    overviewPart((c) => c.executiveSummary),
  );
  const sectionAnalysis = new Map<Section, Checked[]>();
  for (const section of presentSections) {
    const kept = overviewPiece(
      { part: 'sectionAnalysis', section },
      overviewPart((c) => c.sections.get(section)),
    );
    if (kept) sectionAnalysis.set(section, kept);
  }
  const guide =
    overviewPiece(
      { part: 'developerGuide' },
      overviewPart((c) => c.developerGuide),
    ) ?? [];
  const risks =
    overviewPiece(
      { part: 'risks' },
      overviewPart((c) => c.risks),
    ) ?? [];
  const outlook =
    overviewPiece(
      { part: 'outlook' },
      overviewPart((c) => c.outlook),
    ) ?? [];
  if ('demo' in demoResult) pieces.push({ part: 'demo', storyId: demoResult.demo.storyId, writtenBy: 'model' });
  else if (demoResult.absence.reason !== 'disabled') {
    const cause = demoResult.absence.reason === 'budget' ? 'budget' : demoResult.absence.cause;
    pieces.push({ part: 'demo', writtenBy: 'none', ...(cause ? { cause } : {}) });
  }

  // Assemble: LLM text where it passed, the extractive text elsewhere; then number references.
  const book = new CiteBook(base.references, input.items);
  const cited = (sentences: readonly Checked[]): CitedText[] =>
    sentences.map((sentence) => ({ text: sentence.text, cites: book.cite(sentence.itemIds) }));

  const sections: ReportSection[] = base.sections.map((section) => {
    const stories: ReportStory[] = section.stories.map((story) => {
      const headline = headlines.get(story.id);
      const summary = summaries.get(story.id);
      return {
        ...story,
        ...(summary ? { summary: cited(summary) } : {}),
        ...(headline ? { headline: headline.text } : {}),
      };
    });
    const analysis = sectionAnalysis.get(section.section);
    return { ...section, stories, ...(analysis ? { analysis: cited(analysis) } : {}) };
  });
  const storyIndex = new Map(sections.flatMap((section) => section.stories.map((story) => [story.id, story])));
  const topStories = base.topStories.map((top) => {
    const story = storyIndex.get(top.storyId);
    const summary = summaries.get(top.storyId);
    return {
      storyId: top.storyId,
      title: story?.headline ?? top.title,
      line: summary && story ? story.summary[0]! : top.line,
    };
  });
  const insights: ReportInsights | undefined =
    guide.length + risks.length + outlook.length > 0
      ? { developerGuide: cited(guide), risks: cited(risks), outlook: cited(outlook) }
      : undefined;
  const llm: LlmReportInfo = {
    provider: config.provider,
    model: config.model,
    promptVersion: caller.promptVersion,
    storiesAnalysed: analysed.filter((work) => work.excerpts.length > 0).length,
    storiesWritten: summaries.size,
    storiesTotal: reportStories.length,
    verification,
    droppedReasons: Object.fromEntries(Object.entries(droppedReasons).sort(([a], [b]) => (a < b ? -1 : 1))),
    pieces,
    droppedSentences,
  };
  // The description names the top stories as the report shows them (model headlines where they passed).
  const sourceCount = new Set(
    reportStories.flatMap((story) => usableItems(input, storyById.get(story.id)?.itemIds ?? []).map((i) => i.sourceId)),
  ).size;
  const description = describeReport(
    language,
    base.date,
    reportStories.length,
    sourceCount,
    topStories.slice(0, 3).map((top) => top.title),
  );
  const report: Report = {
    ...base,
    description,
    topStories,
    executiveSummary: executive ? cited(executive) : base.executiveSummary,
    sections,
    ...(insights ? { insights } : {}),
    llm,
    ...('demo' in demoResult
      ? { demo: { ...demoResult.demo, cites: book.cite(demoResult.showsItemIds) } }
      : { demoAbsence: demoResult.absence }),
    references: book.references,
    manifest: { ...base.manifest, mode: 'llm' },
  };
  return renumberReferences(report);
}

/** Same words, ignoring case, spacing and closing punctuation (a "headline" that is the title). */
function sameText(a: string, b: string): boolean {
  const norm = (text: string) =>
    text
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .replace(/[\s.。!！?？]+$/u, '')
      .trim();
  return norm(a) === norm(b);
}

/** Cleans, screens and verifies model sentences; citations become item ids. */
function checkSentences(
  sentences: readonly DraftSentence[],
  excerpts: readonly Excerpt[],
  language: 'zh' | 'en',
  verify: VerifySentences,
  maxLength: number,
  headings: readonly string[] = [],
): PartResult {
  const droppedList: PartResult['droppedList'] = [];
  const problems: string[] = [];
  const count = (reason: string, text: string, detail?: string) => {
    problems.push(`"${text.slice(0, 160)}": ${detail ?? reason}`);
    const withheld =
      WITHHELD_REASONS.has(reason) ||
      unsafeOutput(text) !== undefined ||
      isHazardous(text) ||
      sourceSentenceRefusal(text) !== undefined ||
      (detail !== undefined && (isHazardous(detail) || unsafeOutput(detail) !== undefined));
    droppedList.push(withheld ? { reason } : { reason, ...(text ? { text } : {}), ...(detail ? { detail } : {}) });
  };
  const screened: DraftSentence[] = [];
  const excerptText = new Map(excerpts.map((excerpt) => [excerpt.n, excerpt.text]));
  for (const sentence of sentences) {
    const text = cleanModelText(sentence.text);
    const unsafe = unsafeOutput(text);
    if (text === '' || unsafe !== undefined) {
      count('unsafe-output', text, unsafe ? `${unsafe}; write plain text only` : 'empty');
      continue;
    }
    if (text.length > maxLength) {
      count('too-long', text, `longer than ${maxLength} characters`);
      continue;
    }
    if (headings.length > 0 && restatesHeading(text, headings)) {
      count('restates-headline', text, 'only restates the headline; say what happened and why it matters');
      continue;
    }
    const citedText = sentence.cites.map((n) => excerptText.get(n) ?? '').join('\n');
    const echo = promptEcho(text, citedText);
    if (echo !== undefined) {
      count('instruction', text, echo);
      continue;
    }
    screened.push({ text, cites: [...new Set(sentence.cites)] });
  }
  const map = new Map<number, ExcerptText>(excerpts.map((e) => [e.n, { text: e.text, itemId: e.itemId }]));
  const result = verify(screened, map, language);
  for (const dropped of result.dropped) count(dropped.reason, dropped.text, dropped.detail);
  const kept: Checked[] = [];
  for (const sentence of result.kept) {
    const itemIds = [...new Set(sentence.cites.flatMap((n) => (map.has(n) ? [map.get(n)!.itemId] : [])))];
    if (itemIds.length === 0) {
      count('unknown-citation', sentence.text, 'cites no excerpt you were given');
      continue;
    }
    kept.push({ text: sentence.text, itemIds });
  }
  return { kept, checked: sentences.length, dropped: sentences.length - kept.length, droppedList, problems };
}

/** Reference numbers for item ids: the extractive report's, then new ones for items it did not cite. */
class CiteBook {
  readonly references: Reference[];
  private readonly byItem: Map<string, number>;
  constructor(
    base: readonly Reference[],
    private readonly items: Record<string, PipelineItem>,
  ) {
    this.references = [...base];
    this.byItem = new Map(base.map((r) => [r.itemId, r.n]));
  }
  cite(itemIds: readonly string[]): number[] {
    const out: number[] = [];
    for (const itemId of itemIds) {
      let n = this.byItem.get(itemId);
      if (n === undefined) {
        const item = this.items[itemId];
        if (!item) continue;
        n = Math.max(0, ...this.references.map((r) => r.n)) + 1;
        this.byItem.set(itemId, n);
        this.references.push({
          n,
          itemId,
          title: item.title,
          sourceName: item.sourceName,
          publishedAt: item.publishedAt,
          url: item.url,
        });
      }
      if (!out.includes(n)) out.push(n);
    }
    return out;
  }
}

/**
 * Renumbers references in the order the document first cites them (`citingParts`: the order the
 * Markdown renders) and drops references nothing cites any more.
 */
export function renumberReferences(report: Report): Report {
  const texts = citingParts(report);
  const next = new Map<number, number>();
  for (const text of texts) for (const n of text.cites) if (!next.has(n)) next.set(n, next.size + 1);
  const map = (cites: number[]) => cites.flatMap((n) => (next.has(n) ? [next.get(n)!] : []));
  const cite = <T extends { cites: number[] }>(text: T): T => ({ ...text, cites: map(text.cites) });
  const references = report.references
    .filter((r) => next.has(r.n))
    .map((r) => ({ ...r, n: next.get(r.n)! }))
    .sort((a, b) => a.n - b.n);
  return {
    ...report,
    topStories: report.topStories.map((top) => ({ ...top, line: cite(top.line) })),
    executiveSummary: report.executiveSummary.map(cite),
    sections: report.sections.map((section) => ({
      ...section,
      ...(section.analysis ? { analysis: section.analysis.map(cite) } : {}),
      stories: section.stories.map((story) => ({
        ...story,
        summary: story.summary.map(cite),
        ...(story.data ? { data: cite(story.data) } : {}),
      })),
    })),
    ...(report.insights
      ? {
          insights: {
            developerGuide: report.insights.developerGuide.map(cite),
            risks: report.insights.risks.map(cite),
            outlook: report.insights.outlook.map(cite),
          },
        }
      : {}),
    dataSections: {
      ...report.dataSections,
      risingTopics: report.dataSections.risingTopics.map(cite),
      topRepositories: report.dataSections.topRepositories.map(cite),
      topModels: report.dataSections.topModels.map(cite),
      topPapers: report.dataSections.topPapers.map(cite),
    },
    ...(report.readingList ? { readingList: report.readingList.map(cite) } : {}),
    ...(report.demo ? { demo: cite(report.demo) } : {}),
    references,
  };
}

/** `work` over `values` with at most `limit` in flight; results in input order. */
async function mapLimit<T, R>(values: readonly T[], limit: number, work: (value: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(values.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, values.length) }, async () => {
    while (next < values.length) {
      const index = next++;
      results[index] = await work(values[index]!);
    }
  });
  await Promise.all(runners);
  return results;
}
