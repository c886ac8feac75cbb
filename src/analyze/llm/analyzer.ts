/**
 * The LLM analyzer: the extractive report first (the fallback for every part), then the model's
 * parts laid over it — a headline and summary per story (in rank order, as far as the budget
 * goes), then one overview call for the executive summary, an analysis per section, a developer
 * guide, risks and an outlook. Every model sentence goes through the verifier against the
 * excerpts it cites; a part that loses too much falls back to the extractive text (or is left out
 * where extraction has none) and the report's `llm.verification` counts it all.
 */
import type {
  LlmPart,
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
import type { LlmConfig } from './config.js';
import { chooseDemoStory, type DemoStepResult, demoStep } from './demo.js';
import { cleanModelText, unsafeOutput } from './output-safety.js';
import {
  cacheKey,
  cutToTokens,
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

export interface LlmAnalyzerOptions {
  config: LlmConfig;
  caller: LlmCaller;
  topStories: number;
  verify?: VerifySentences;
  /** Boundary source (tests); default random. */
  boundary?: (texts: readonly string[]) => string;
  /** Sandbox overrides for the demo (tests inject a missing `unshare`). */
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
const OVERVIEW_EXCERPT_TOKENS = 90;
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
  reasons: Record<string, number>;
  /** What was wrong with each dropped sentence (fed back to the model for one regeneration). */
  problems: string[];
}

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

function excerptText(item: PipelineItem, tokens: number): string {
  const title = cleanModelText(item.title);
  const body = cleanModelText(item.text);
  const head = `${title}\n(${item.sourceName})`;
  if (!body || body === title) return head;
  return `${head}\n${cutToTokens(body, Math.max(40, tokens - estimateTokens(head)))}`;
}

/** A story's excerpts, numbered 1..k (each call has its own numbering), within `tokens` in all. */
export function storyExcerpts(storyId: string, items: readonly PipelineItem[], tokens: number): Excerpt[] {
  const distinctItems: PipelineItem[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const key = `${item.title}\n${item.text}`.slice(0, 400);
    if (seen.has(key)) continue;
    seen.add(key);
    distinctItems.push(item);
    if (distinctItems.length === MAX_EXCERPTS_PER_STORY) break;
  }
  const share = Math.floor(tokens / Math.max(1, distinctItems.length));
  return distinctItems.map((item, index) => ({
    n: index + 1,
    itemId: item.id,
    storyId,
    sourceName: item.sourceName,
    text: excerptText(item, share),
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
  const reportStories = base.sections.flatMap((section) => section.stories);
  const storyById = new Map(input.stories.map((story) => [story.id, story]));
  const ranked = [...reportStories].sort(
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

  const overviewStoriesFor = (count: number): OverviewStory[] =>
    ranked.slice(0, count).flatMap((story, index) => {
      const items = usableItems(input, storyById.get(story.id)?.itemIds ?? []);
      const first = items[0];
      if (!first) return [];
      return [
        {
          storyId: story.id,
          section: story.section,
          excerpts: [
            {
              n: index + 1,
              itemId: first.id,
              storyId: story.id,
              sourceName: first.sourceName,
              text: excerptText(first, OVERVIEW_EXCERPT_TOKENS),
            },
          ],
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

  const check = (part: LlmPart, sentences: readonly DraftSentence[], excerpts: readonly Excerpt[], limit: number) => {
    const maxLength = part === 'headlines' ? MAX_HEADLINE_CHARS : MAX_SENTENCE_CHARS;
    // Everything the model wrote is checked (a runaway answer is cut at three times the limit);
    // the first `limit` sentences that pass are kept.
    const checked = checkSentences(sentences.slice(0, limit * 3), excerpts, language, verify, maxLength);
    const result: PartResult = { ...checked, kept: checked.kept.slice(0, limit) };
    const counts = verification[part];
    counts.checked += result.checked;
    counts.kept += result.kept.length;
    counts.dropped += result.dropped;
    for (const [reason, count] of Object.entries(result.reasons)) {
      droppedReasons[reason] = (droppedReasons[reason] ?? 0) + count;
    }
    return result;
  };
  const tooLossy = (result: PartResult) =>
    result.kept.length === 0 || result.dropped / Math.max(1, result.checked) > config.maxDroppedShare;

  // Stories: one call each, in rank order, as many as the plan allows.
  const analysed = storyWork.slice(0, plan.stories);
  const storyAnswers = await mapLimit(analysed, config.concurrency, async (work) => {
    if (work.excerpts.length === 0) return undefined;
    const boundary = boundaryOf(work.excerpts.map((e) => e.text));
    return caller.call<StoryAnswer>({
      part: `story:${work.story.id}`,
      key: cacheKey({
        provider: config.provider,
        model: config.model,
        language,
        task: 'story',
        excerpts: work.excerpts,
      }),
      schema: storyAnswerSchema,
      name: 'story',
      system: systemPrompt(language, boundary),
      prompt: storyPrompt(language, work.excerpts, boundary),
      maxOutputTokens: work.outputTokens,
    });
  });

  const headlines = new Map<string, Checked>();
  const summaries = new Map<string, Checked[]>();
  const checkStory = (work: (typeof analysed)[number], answer: StoryAnswer) => ({
    headline: check('headlines', [answer.headline], work.excerpts, 1),
    summary: check('storySummaries', answer.summary, work.excerpts, MAX_SUMMARY_SENTENCES),
  });
  const firstChecks = analysed.map((work, index) => {
    const answer = storyAnswers[index];
    return answer ? checkStory(work, answer) : undefined;
  });

  // One regeneration, with the checker's findings, for stories whose answer lost too much — as far
  // as the budget left over by the plan allows, in rank order (so the plan stays deterministic).
  const spent = [
    ...analysed,
    ...(plan.overview === 'none'
      ? []
      : [
          plan.overview === 'full'
            ? { inputTokens: fullOverviewEstimate, outputTokens: OVERVIEW_OUTPUT_TOKENS.full }
            : { inputTokens: shortOverviewEstimate, outputTokens: OVERVIEW_OUTPUT_TOKENS.short },
        ]),
  ];
  const retries: { index: number; problems: string[] }[] = [];
  analysed.forEach((work, index) => {
    const first = firstChecks[index];
    if (!first || !(tooLossy(first.headline) || tooLossy(first.summary))) return;
    const problems = [...first.headline.problems, ...first.summary.problems].slice(0, 8);
    if (problems.length === 0) return;
    const estimate = {
      inputTokens: work.inputTokens + estimateTokens(problems.join('\n')) + 60,
      outputTokens: work.outputTokens,
    };
    if (!fitsBudget([...spent, estimate], budget)) return;
    spent.push(estimate);
    retries.push({ index, problems });
  });
  const retried = await mapLimit(retries, config.concurrency, async ({ index, problems }) => {
    const work = analysed[index]!;
    const boundary = boundaryOf(work.excerpts.map((e) => e.text));
    return caller.call<StoryAnswer>({
      part: `story:${work.story.id}:again`,
      key: cacheKey({
        provider: config.provider,
        model: config.model,
        language,
        task: 'story-again',
        shape: problems,
        excerpts: work.excerpts,
      }),
      schema: storyAnswerSchema,
      name: 'story',
      system: systemPrompt(language, boundary),
      prompt: retryPrompt(storyPrompt(language, work.excerpts, boundary), problems),
      maxOutputTokens: work.outputTokens,
    });
  });
  const secondChecks = new Map<number, ReturnType<typeof checkStory>>();
  retries.forEach(({ index }, position) => {
    const answer = retried[position];
    if (answer) secondChecks.set(index, checkStory(analysed[index]!, answer));
  });

  analysed.forEach((work, index) => {
    verification.headlines.units++;
    verification.storySummaries.units++;
    const first = firstChecks[index];
    if (!first) {
      verification.headlines.fallbacks++;
      verification.storySummaries.fallbacks++;
      return;
    }
    const second = secondChecks.get(index);
    const headline = tooLossy(first.headline) && second ? second.headline : first.headline;
    const summary = tooLossy(first.summary) && second ? second.summary : first.summary;
    if (tooLossy(headline)) verification.headlines.fallbacks++;
    else if (!sameText(headline.kept[0]!.text, work.story.title)) headlines.set(work.story.id, headline.kept[0]!);
    if (tooLossy(summary)) verification.storySummaries.fallbacks++;
    else summaries.set(work.story.id, summary.kept);
  });
  // Stories the budget (or maxStories) left out still count: as extractive pieces.
  const skipped = reportStories.length - analysed.length;
  verification.headlines.units += skipped;
  verification.headlines.fallbacks += skipped;
  verification.storySummaries.units += skipped;
  verification.storySummaries.fallbacks += skipped;

  // The overview: one call, full or short as the budget allows, or none.
  let overview: OverviewAnswer | undefined;
  const overviewStories = plan.overview === 'full' ? fullOverviewStories : shortOverviewStories;
  const shape = plan.overview === 'full' ? FULL_OVERVIEW : SHORT_OVERVIEW;
  if (plan.overview !== 'none' && overviewStories.length > 0) {
    const excerpts = overviewStories.flatMap((story) => story.excerpts);
    const boundary = boundaryOf(excerpts.map((e) => e.text));
    overview = await caller.call<OverviewAnswer>({
      part: 'overview',
      key: cacheKey({
        provider: config.provider,
        model: config.model,
        language,
        task: 'overview',
        shape,
        excerpts,
      }),
      schema: overviewAnswerSchema,
      name: 'overview',
      system: systemPrompt(language, boundary),
      prompt: overviewPrompt(overviewStories, shape, boundary),
      maxOutputTokens: plan.overview === 'full' ? OVERVIEW_OUTPUT_TOKENS.full : OVERVIEW_OUTPUT_TOKENS.short,
    });
  }
  const overviewExcerpts = overviewStories.flatMap((story) => story.excerpts);

  // The demo: one top story, its calls within what the budget has left (docs/decisions/0130).
  let demoResult: DemoStepResult = { absence: { reason: 'disabled', attempts: 0 } };
  if (config.demo.enabled) {
    const chosen = chooseDemoStory(
      base.topStories.map((top) => top.storyId),
      new Map(reportStories.map((story) => [story.id, story])),
      (storyId) => storyExcerpts(storyId, usableItems(input, storyById.get(storyId)?.itemIds ?? []), excerptBudget),
    );
    const url = chosen ? input.items[chosen.excerpts[0]!.itemId]?.url : undefined;
    demoResult =
      chosen && url
        ? await demoStep({
            config,
            caller,
            language,
            date: base.date,
            story: chosen.story,
            excerpts: chosen.excerpts,
            url,
            reserve: (estimate) => {
              if (!fitsBudget([...spent, estimate], budget)) return false;
              spent.push(estimate);
              return true;
            },
            boundary: boundaryOf,
            ...(options.demoSandbox ? { sandbox: options.demoSandbox } : {}),
            ...(options.onDemoProblem ? { onProblem: options.onDemoProblem } : {}),
          })
        : { absence: { reason: 'no-story', attempts: 0 } };
  }
  const presentSections = base.sections.map((section) => section.section);

  verification.executiveSummary.units = 1;
  let executive: Checked[] | undefined;
  if (overview) {
    const result = check('executiveSummary', overview.executiveSummary, overviewExcerpts, shape.executive);
    if (!tooLossy(result)) executive = result.kept;
  }
  if (!executive) verification.executiveSummary.fallbacks = 1;

  const sectionAnalysis = new Map<Section, Checked[]>();
  verification.sectionAnalysis.units = presentSections.length;
  if (overview) {
    const seen = new Set<Section>();
    for (const entry of overview.sections) {
      if (!presentSections.includes(entry.section) || seen.has(entry.section)) continue;
      seen.add(entry.section);
      const result = check('sectionAnalysis', entry.analysis, overviewExcerpts, shape.perSection);
      if (!tooLossy(result)) sectionAnalysis.set(entry.section, result.kept);
    }
  }
  verification.sectionAnalysis.fallbacks = presentSections.length - sectionAnalysis.size;

  const insightPart = (part: 'developerGuide' | 'risks' | 'outlook', limit: number): Checked[] => {
    verification[part].units = 1;
    if (!overview) {
      verification[part].fallbacks = 1;
      return [];
    }
    const result = check(part, overview[part], overviewExcerpts, limit);
    if (tooLossy(result)) {
      verification[part].fallbacks = 1;
      return [];
    }
    return result.kept;
  };
  const guide = insightPart('developerGuide', shape.guide);
  const risks = insightPart('risks', shape.risks);
  const outlook = insightPart('outlook', shape.outlook);

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
    storiesAnalysed: analysed.length,
    storiesTotal: reportStories.length,
    verification,
    droppedReasons: Object.fromEntries(Object.entries(droppedReasons).sort(([a], [b]) => (a < b ? -1 : 1))),
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
    ...('demo' in demoResult ? { demo: demoResult.demo } : { demoAbsence: demoResult.absence }),
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
): PartResult {
  const reasons: Record<string, number> = {};
  const problems: string[] = [];
  const count = (reason: string, text?: string, detail?: string) => {
    reasons[reason] = (reasons[reason] ?? 0) + 1;
    if (text !== undefined) problems.push(`"${text.slice(0, 160)}": ${detail ?? reason}`);
  };
  const screened: DraftSentence[] = [];
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
  return { kept, checked: sentences.length, dropped: sentences.length - kept.length, reasons, problems };
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
