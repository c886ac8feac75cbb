/**
 * Extractive analysis: turn the selected stories and their items into a Report without any
 * language model. Every sentence of a story is one of its items' own sentences; every line that
 * the analysis writes itself (executive summary, data sections) is built from counts and titles
 * and cites the items it rests on. References are numbered in order of first use.
 */

import { AI_TERMS } from '../core/ai-terms.js';
import {
  type DataSections,
  MAX_DIGEST_HEADLINES,
  type ModelLine,
  type PaperLine,
  type Report,
  type ReportSection,
  type ReportStory,
  type RepositoryLine,
  type RisingTopic,
  type StoryLink,
} from '../core/report.js';
import type { DayTerms, ReportInput } from '../core/run.js';
import {
  type CitedText,
  type PipelineItem,
  type Reference,
  SECTIONS,
  type Section,
  type Story,
} from '../core/types.js';
import { inWindow } from '../pipeline/window.js';
import { type Drafted, dataLines, risingTopics, usableHistoryDays } from './data-sections.js';
import { defaultTitle, describeReport, executiveLine, SECTION_LABELS, shortName } from './labels.js';
import { storyDataLine } from './story-data.js';
import { addsInformation, digestList, mostInformativeTitle, summarizeItems } from './summarize.js';
import { capitalisedWords, extractTerms, foldLatin, isVersionedName } from './terms.js';

export { countTerms } from './terms.js';

/** Tunables of the extractive report. */
export interface ExtractiveOptions {
  /** Stories in "top stories" (default 6, clamped to 1..20). */
  topStories?: number;
  /** Rising topics: minimum items today (default 3). */
  risingMinCount?: number;
  /** Rising topics: minimum ratio of today's count to the baseline's daily average (default 2). */
  risingMinRatio?: number;
  /** Rising topics: earlier days on which a term's sources were collected, at least (default 3). */
  risingMinDays?: number;
  /** Lines per data section (default 5; rising topics get 8). */
  dataLines?: number;
}

/** A cited text whose citations are still item ids. */
interface Draft {
  text: string;
  itemIds: string[];
}

interface DraftStory {
  story: Story;
  items: PipelineItem[];
  /** The most informative of the items' titles (summarize#mostInformativeTitle). */
  headline: string;
  summary: Draft[];
  /** The story's own data as a sentence (story-data.ts), when its items carry counters. */
  data?: Draft;
  best: Draft;
  /**
   * Nothing to say beyond the headline: no sentence of text or dek, no other title that adds
   * to it, no data. Listed among the section's other headlines, never a story or a top story.
   */
  bare: boolean;
  /** The representative item is a digest: `summary` is its headlines (summarize#digestList). */
  digest: boolean;
}

/** Hands out reference numbers in order of first use. */
class Citations {
  private readonly numbers = new Map<string, number>();
  readonly references: Reference[] = [];
  constructor(
    private readonly items: Record<string, PipelineItem>,
    /** Items dated by a snapshot list (Story.listedItemIds): their date is when they were first seen. */
    private readonly listed: ReadonlySet<string> = new Set(),
  ) {}

  cite(itemIds: readonly string[]): number[] {
    const out: number[] = [];
    for (const itemId of itemIds) {
      let n = this.numbers.get(itemId);
      if (n === undefined) {
        const item = this.items[itemId];
        if (!item) continue;
        n = this.references.length + 1;
        this.numbers.set(itemId, n);
        this.references.push({
          n,
          itemId,
          title: item.title,
          sourceName: item.sourceName,
          publishedAt: item.publishedAt,
          ...(item.dateFlag
            ? { dateFlag: item.dateFlag }
            : this.listed.has(itemId)
              ? { dateFlag: 'listed' as const }
              : {}),
          url: item.url,
        });
      }
      if (!out.includes(n)) out.push(n);
    }
    return out;
  }

  text(draft: Draft): CitedText {
    return { text: draft.text, cites: this.cite(draft.itemIds) };
  }
}

/** A paper: the papers section, or an item that is an arXiv paper. */
function isPaper(story: Story, items: readonly PipelineItem[]): boolean {
  return story.section === 'papers' || items.some((item) => item.externalIds.arxiv !== undefined);
}

/**
 * Stories with their usable items (in-window ones; all of them only when none is in the window),
 * their headline (the most informative title), summary (sentences of text, a dek, other titles
 * that add to the headline; a paper's finding first) and data line.
 */
function draftStories(input: ReportInput): DraftStory[] {
  const drafts: DraftStory[] = [];
  for (const story of input.stories) {
    const all = story.itemIds.map((id) => input.items[id]).filter((item): item is PipelineItem => item !== undefined);
    const inside = all.filter((item) => inWindow(item, input.window));
    const items = inside.length > 0 ? inside : all;
    if (items.length === 0) continue;
    const dataLine = storyDataLine(items, input.language);
    const data = dataLine ? { text: dataLine.text, itemIds: dataLine.itemIds } : undefined;
    // A digest is shown as its own headline list under its title, never by sentences of its text.
    const representative = items[0]!;
    const digest = digestList(representative);
    if (digest) {
      const headlines = digest.slice(0, MAX_DIGEST_HEADLINES).map((text) => ({ text, itemIds: [representative.id] }));
      drafts.push({
        story,
        items,
        headline: representative.title,
        summary: headlines,
        ...(data ? { data } : {}),
        best: headlines[0]!,
        bare: false,
        digest: true,
      });
      continue;
    }
    // A digest that joined this story (pipeline/digest) lists other stories too: its title is no headline here.
    const titled = items.filter((item, index) => index === 0 || digestList(item) === undefined);
    const headlineItem = titled[mostInformativeTitle(titled.map((item) => item.title))]!;
    const headline = headlineItem.title;
    // The summary tells what the headline says: the headline's own item is read first (its
    // sentences lead, and its title pulls the choice), then the others.
    const reading = [headlineItem, ...items.filter((item) => item !== headlineItem)];
    const { sentences, best } = summarizeItems(reading, 3, { paper: isPaper(story, items) });
    // A title says something only where it adds to the headline above it.
    const says = (sentence: { text: string; fromTitle: boolean }) =>
      !sentence.fromTitle || addsInformation(sentence.text, headline);
    const summary = sentences.filter(says).map((sentence) => ({ text: sentence.text, itemIds: [sentence.itemId] }));
    const headlineDraft = { text: headline, itemIds: [headlineItem.id] };
    drafts.push({
      story,
      // Its links in this order too: the headline points to the article whose title it is.
      items: reading,
      headline,
      summary: summary.length > 0 ? summary : [headlineDraft],
      ...(data ? { data } : {}),
      // The top-story line: the best sentence, else another that says something, else the data.
      best: best && says(best) ? { text: best.text, itemIds: [best.itemId] } : (summary[0] ?? data ?? headlineDraft),
      bare: summary.length === 0 && data === undefined,
      digest: false,
    });
  }
  return drafts;
}

function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

function storyLinks(items: PipelineItem[]): StoryLink[] {
  const seen = new Set<string>();
  const links: StoryLink[] = [];
  for (const item of items) {
    if (seen.has(item.url)) continue;
    seen.add(item.url);
    links.push({ title: item.title, url: item.url, sourceName: item.sourceName });
  }
  return links;
}

function byScore(a: DraftStory, b: DraftStory): number {
  return b.story.score.total - a.story.score.total;
}

/**
 * Executive summary: one line per section, in the order of the day's top stories (news first, as
 * the top-story rules choose), then the sections without one by score, then those with headlines
 * only. A section's line names its top stories — never a story the rules kept off the top (an
 * ordinary paper, a customer story) ahead of them; a section with no top story names its best story.
 * Then the next two by score, with their counters, how many more there are, and how many headlines
 * came without text: the day's shape beyond the top stories.
 */
function executiveDrafts(
  language: 'zh' | 'en',
  drafts: DraftStory[],
  bareDrafts: DraftStory[],
  topIds: readonly string[],
): Draft[] {
  const topRank = (draft: DraftStory) => {
    const index = topIds.indexOf(draft.story.id);
    return index < 0 ? Number.POSITIVE_INFINITY : index;
  };
  const byTopThenScore = (a: DraftStory, b: DraftStory) => topRank(a) - topRank(b) || byScore(a, b);
  const bySection = new Map<Section, { list: DraftStory[]; bare: DraftStory[] }>();
  const entry = (section: Section) => {
    const found = bySection.get(section) ?? { list: [], bare: [] };
    bySection.set(section, found);
    return found;
  };
  for (const draft of drafts) entry(draft.story.section).list.push(draft);
  for (const draft of bareDrafts) entry(draft.story.section).bare.push(draft);
  const sections = [...bySection.entries()]
    .map(([section, { list, bare }]) => ({
      section,
      list: [...list].sort(byTopThenScore),
      bare: [...bare].sort(byScore),
    }))
    .sort((a, b) => {
      // Sections with a story of text first, by their best; then sections of headlines only.
      if (a.list.length === 0 || b.list.length === 0)
        return b.list.length - a.list.length || SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section);
      return byTopThenScore(a.list[0]!, b.list[0]!) || SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section);
    });
  const executiveStory = (draft: DraftStory) => ({
    title: draft.story.section === 'papers' ? shortName(draft.headline) : draft.headline,
    sources: distinct(draft.items.map((i) => i.sourceId)).length,
    ...(draft.data ? { data: draft.data.text } : {}),
  });
  return sections.slice(0, 5).map(({ section, list, bare }) => {
    const top = list.filter((draft) => topIds.includes(draft.story.id)).slice(0, 2);
    const leading = top.length > 0 ? top : list.slice(0, 1);
    const following = list.filter((draft) => !leading.includes(draft)).slice(0, 2);
    const bareNamed = list.length === 0 ? bare.slice(0, 3) : [];
    const named = [...leading, ...following, ...bareNamed];
    return {
      text: executiveLine(language, {
        section,
        storyCount: list.length,
        leading: leading.map(executiveStory),
        following: following.map(executiveStory),
        moreCount: list.length - leading.length - following.length,
        bareTitles: bareNamed.map((draft) => draft.headline),
        bareCount: bare.length,
      }),
      // A story's own data cites the items it counts, its text its representative.
      itemIds: distinct(named.flatMap((draft) => [draft.items[0]!.id, ...(draft.data?.itemIds ?? [])])),
    };
  });
}

interface DataDrafts {
  baselineDays: number;
  minBaselineDays: number;
  rising: Drafted<RisingTopic>[];
  repositories: Drafted<RepositoryLine>[];
  models: Drafted<ModelLine>[];
  papers: Drafted<PaperLine>[];
}

export { risingTopics } from './data-sections.js';

function dataDrafts(input: ReportInput, drafts: DraftStory[], options: ExtractiveOptions): DataDrafts {
  const limit = options.dataLines ?? 5;
  const storyItems = drafts.flatMap((draft) => draft.items);
  const storyByItem = new Map<string, string>();
  for (const draft of drafts) for (const item of draft.items) storyByItem.set(item.id, draft.story.id);
  const windowItems = Object.values(input.dataItems ?? {}).filter((item) => inWindow(item, input.window));
  const lines = dataLines([...storyItems, ...windowItems], (itemId) => storyByItem.get(itemId), limit);
  const minBaselineDays = options.risingMinDays ?? 3;
  const rising = risingTopics(input.todayTerms, input.history, storyItems, {
    minCount: options.risingMinCount,
    minRatio: options.risingMinRatio,
    minDays: minBaselineDays,
  });
  return {
    baselineDays: usableHistoryDays(input.history),
    minBaselineDays,
    rising: rising.map((topic) => ({ ...topic, term: displayForm(topic.term, storyItems) })),
    ...lines,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The form the report items' titles (else texts) most often write a term in ("Agent" for "agent"), else the key. */
function displayForm(key: string, items: readonly PipelineItem[]): string {
  const forms = new Map<string, number>();
  for (const field of ['title', 'text'] as const) {
    for (const item of items) {
      for (const term of extractTerms(item[field])) {
        if (term.key === key) forms.set(term.surface, (forms.get(term.surface) ?? 0) + 1);
      }
    }
    if (forms.size > 0) break;
  }
  return mostUsedForm(key, forms);
}

/** The form written most often (ties: the key itself, then the first in code-unit order), else the key. */
function mostUsedForm(key: string, forms: ReadonlyMap<string, number>): string {
  const ranked = [...forms.entries()].sort(
    (a, b) => b[1] - a[1] || Number(b[0] === key) - Number(a[0] === key) || compare(a[0], b[0]),
  );
  return ranked[0]?.[0] ?? key;
}

/** Words of the AI vocabulary too general to tag a report with. */
const GENERIC_AI_WORDS = new Set(['model', 'neural', 'prompt', '模型', '开源', '推理']);

/**
 * Tags: the entities and AI terms of the report titles, one form each — named by their form
 * (proper nouns to the segmenter, "OpenAI", "LLM", "GPT-5.6"), by the AI vocabulary, or by being
 * capitalised mid-sentence in the items' own text — versioned names first, then by use.
 */
function reportTags(drafts: DraftStory[], today: DayTerms, limit = 8): string[] {
  const items = drafts.flatMap((draft) => draft.items);
  // The vocabulary's single words, less the ones every AI headline uses ("model").
  const vocabulary = new Set(
    AI_TERMS.filter((term) => !/\s/u.test(term) && !GENERIC_AI_WORDS.has(term)).map((term) => foldLatin(term)),
  );
  const candidates = new Map<string, { forms: Map<string, number>; items: number; named: boolean }>();
  for (const item of items) {
    const seen = new Set<string>();
    for (const term of extractTerms(item.title)) {
      const entry = candidates.get(term.key) ?? { forms: new Map<string, number>(), items: 0, named: false };
      entry.forms.set(term.surface, (entry.forms.get(term.surface) ?? 0) + 1);
      entry.named ||= term.named;
      if (!seen.has(term.key)) entry.items += 1;
      seen.add(term.key);
      candidates.set(term.key, entry);
    }
  }
  const capitalised = capitalisedWords(items.map((item) => item.text));
  const tags = [...candidates.entries()]
    // Every candidate came from these titles, whose forms it counted as displayForm would (its
    // titles hold the key, so it never reads the texts): no second pass over the titles per term.
    .map(([key, entry]) => ({ key, entry, surface: mostUsedForm(key, entry.forms) }))
    .filter(({ key, entry, surface }) => key !== 'ai' && (entry.named || vocabulary.has(key) || capitalised(surface)))
    .map(({ key, entry, surface }) => ({
      surface,
      versioned: isVersionedName(key),
      weight: entry.items + (today.terms[key] ?? 0),
    }))
    .sort((a, b) => Number(b.versioned) - Number(a.versioned) || b.weight - a.weight || compare(a.surface, b.surface));
  const out = ['AI'];
  for (const tag of tags) {
    if (out.length >= limit) break;
    if (!out.some((existing) => existing.toLowerCase() === tag.surface.toLowerCase())) out.push(tag.surface);
  }
  return out;
}

/**
 * Build the extractive report. Pure: the same input gives the same report (no clock, no
 * randomness); the only URLs in it are those of the input items.
 */
export function buildReport(input: ReportInput, options: ExtractiveOptions = {}): Report {
  const language = input.language;
  const labels = SECTION_LABELS[language];
  const drafted = draftStories(input);
  // A story with nothing to say is a headline of its section's compact list — unless every story
  // is bare, when the report has nothing better to show.
  const hasStory = drafted.some((draft) => !draft.bare);
  const drafts = hasStory ? drafted.filter((draft) => !draft.bare) : drafted;
  const bareDrafts = hasStory ? drafted.filter((draft) => draft.bare) : [];
  const citations = new Citations(
    { ...input.dataItems, ...input.items },
    new Set(input.stories.flatMap((story) => story.listedItemIds ?? [])),
  );
  const topCount = Math.max(1, Math.min(20, options.topStories ?? 6));
  // The pipeline's diverse choice when it made one (pipeline/select chooseTopStories), else the best by score.
  const byId = new Map(drafts.map((draft) => [draft.story.id, draft]));
  // The pipeline's diverse choice less the bare stories (they are not in `drafts`): a story with
  // nothing to say is no top story, and the list is shorter rather than filled with stories the
  // pipeline did not choose.
  const top = input.topStoryIds
    ? input.topStoryIds.flatMap((id) => byId.get(id) ?? []).slice(0, options.topStories === undefined ? 20 : topCount)
    : [...drafts].sort(byScore).slice(0, topCount);

  // Numbering follows the document: top stories, executive summary, sections, data sections.
  const topStories = top.map((draft) => ({
    storyId: draft.story.id,
    title: draft.headline,
    line: citations.text(draft.best),
  }));
  const executiveSummary = executiveDrafts(
    language,
    drafts,
    bareDrafts,
    top.map((draft) => draft.story.id),
  ).map((draft) => citations.text(draft));

  const sections: ReportSection[] = [];
  for (const section of SECTIONS) {
    const inSection = drafts.filter((draft) => draft.story.section === section);
    const bareInSection = bareDrafts.filter((draft) => draft.story.section === section);
    if (inSection.length === 0 && bareInSection.length === 0) continue;
    const stories: ReportStory[] = inSection.map((draft) => {
      const story: ReportStory = {
        id: draft.story.id,
        title: draft.headline,
        section,
        summary: draft.summary.map((sentence) => citations.text(sentence)),
        ...(draft.digest ? { digest: true as const } : {}),
        ...(draft.data ? { data: citations.text(draft.data) } : {}),
        links: storyLinks(draft.items),
        sourceNames: distinct(draft.items.map((item) => item.sourceName)),
        score: draft.story.score,
        ...(draft.story.stillTrending ? { stillTrending: true } : {}),
      };
      const previous = draft.story.updateOf;
      if (previous) {
        story.update = {
          previousReportDate: previous.reportDate,
          previousSourceCount: previous.previousSourceIds.length,
          newSourceCount: draft.story.sourceIds.filter((id) => !previous.previousSourceIds.includes(id)).length,
        };
      }
      return story;
    });
    const otherHeadlines = bareInSection.flatMap((draft) => {
      const item = draft.items.find((candidate) => candidate.title === draft.headline) ?? draft.items[0]!;
      return [{ title: draft.headline, url: item.url, sourceName: item.sourceName }];
    });
    sections.push({
      section,
      heading: labels[section],
      stories,
      ...(otherHeadlines.length > 0 ? { otherHeadlines } : {}),
    });
  }

  const data = dataDrafts(input, drafts, options);
  const dataSections: DataSections = {
    baselineDays: data.baselineDays,
    minBaselineDays: data.minBaselineDays,
    risingTopics: data.rising.map(({ itemIds, ...topic }) => ({ ...topic, cites: citations.cite(itemIds) })),
    topRepositories: data.repositories.map(({ itemIds, ...line }) => ({ ...line, cites: citations.cite(itemIds) })),
    topModels: data.models.map(({ itemIds, ...line }) => ({ ...line, cites: citations.cite(itemIds) })),
    topPapers: data.papers.map(({ itemIds, ...line }) => ({ ...line, cites: citations.cite(itemIds) })),
  };

  const storyCount = sections.reduce((sum, section) => sum + section.stories.length, 0);
  const sourceCount = distinct(drafts.flatMap((draft) => draft.items.map((item) => item.sourceId))).length;
  const date = input.window.date;
  return {
    date,
    timezone: input.window.timezone,
    language,
    title: input.title ?? defaultTitle(language, date),
    author: input.author,
    generatedAt: input.window.end,
    window: { start: input.window.start, end: input.window.end, hours: input.window.hours },
    topStories,
    executiveSummary,
    sections,
    dataSections,
    references: citations.references,
    manifest: input.manifest,
    tags: reportTags(drafts, input.todayTerms),
    categories: sections.map((section) => section.heading),
    description: describeReport(
      language,
      date,
      storyCount,
      sourceCount,
      topStories.slice(0, 3).map((story) => story.title),
    ),
  };
}
