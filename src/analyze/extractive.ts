/**
 * Extractive analysis: turn the selected stories and their items into a Report without any
 * language model. Every sentence of a story is one of its items' own sentences; every line that
 * the analysis writes itself (executive summary, data sections) is built from counts and titles
 * and cites the items it rests on. References are numbered in order of first use.
 */
import type {
  DataSections,
  ModelLine,
  PaperLine,
  Report,
  ReportSection,
  ReportStory,
  RepositoryLine,
  RisingTopic,
  StoryLink,
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
import { defaultTitle, describeReport, executiveLine, SECTION_LABELS } from './labels.js';
import { summarizeItems } from './summarize.js';
import { isMeaningfulToken, isVersionedName, meaningfulTokens } from './terms.js';

export { countTerms } from './terms.js';

/** Tunables of the extractive report. */
export interface ExtractiveOptions {
  /** Stories in "top stories" (default 6, clamped to 1..20). */
  topStories?: number;
  /** Rising topics: minimum items today (default 3). */
  risingMinCount?: number;
  /** Rising topics: minimum ratio of today's share to the baseline share (default 2). */
  risingMinRatio?: number;
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
  summary: Draft[];
  best: Draft;
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

/** Stories with their usable items (in-window ones; all of them only when none is in the window). */
function draftStories(input: ReportInput): DraftStory[] {
  const drafts: DraftStory[] = [];
  for (const story of input.stories) {
    const all = story.itemIds.map((id) => input.items[id]).filter((item): item is PipelineItem => item !== undefined);
    const inside = all.filter((item) => inWindow(item, input.window));
    const items = inside.length > 0 ? inside : all;
    if (items.length === 0) continue;
    const { sentences, best } = summarizeItems(items, 3);
    const summary = sentences.map((sentence) => ({ text: sentence.text, itemIds: [sentence.itemId] }));
    const representative = items[0]!;
    drafts.push({
      story,
      items,
      summary: summary.length > 0 ? summary : [{ text: representative.title, itemIds: [representative.id] }],
      best: best
        ? { text: best.text, itemIds: [best.itemId] }
        : { text: representative.title, itemIds: [representative.id] },
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

/** Executive summary: one line per section (best sections first), naming its leading stories. */
function executiveDrafts(language: 'zh' | 'en', drafts: DraftStory[]): Draft[] {
  const bySection = new Map<Section, DraftStory[]>();
  for (const draft of drafts) {
    const list = bySection.get(draft.story.section) ?? [];
    list.push(draft);
    bySection.set(draft.story.section, list);
  }
  const sections = [...bySection.entries()]
    .map(([section, list]) => ({ section, list: [...list].sort(byScore) }))
    .sort((a, b) => byScore(a.list[0]!, b.list[0]!) || SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section));
  return sections.slice(0, 5).map(({ section, list }) => {
    const leading = list.slice(0, 2);
    return {
      text: executiveLine(
        language,
        section,
        list.length,
        leading.map((draft) => ({
          title: draft.story.title,
          sources: distinct(draft.items.map((i) => i.sourceId)).length,
        })),
      ),
      itemIds: leading.map((draft) => draft.items[0]!.id),
    };
  });
}

interface DataDrafts {
  baselineDays: number;
  rising: (Omit<RisingTopic, 'cites'> & { itemIds: string[] })[];
  repositories: (Omit<RepositoryLine, 'cites'> & { itemIds: string[] })[];
  models: (Omit<ModelLine, 'cites'> & { itemIds: string[] })[];
  papers: (Omit<PaperLine, 'cites'> & { itemIds: string[] })[];
}

/**
 * Rising topics: terms whose share of today's items is at least `minRatio` times their share over
 * the history days, used by at least `minCount` items today, and used by a report item (to cite).
 */
export function risingTopics(
  today: DayTerms,
  history: readonly DayTerms[],
  reportItems: readonly PipelineItem[],
  options: { minCount?: number; minRatio?: number; limit?: number } = {},
): DataDrafts['rising'] {
  const minCount = options.minCount ?? 3;
  const minRatio = options.minRatio ?? 2;
  const limit = options.limit ?? 8;
  const historyItems = history.reduce((sum, day) => sum + day.items, 0);
  if (history.length === 0 || historyItems === 0 || today.items === 0) return [];
  const itemTerms = reportItems.map((item) => ({
    id: item.id,
    terms: new Set(meaningfulTokens(`${item.title}\n${item.text}`)),
  }));
  const out: DataDrafts['rising'] = [];
  for (const [term, count] of Object.entries(today.terms)) {
    if (count < minCount || !isMeaningfulToken(term)) continue;
    const historyCount = history.reduce((sum, day) => sum + (day.terms[term] ?? 0), 0);
    // At least one use in the baseline, so that a new term's ratio stays finite and comparable.
    const baselineShare = Math.max(historyCount, 1) / historyItems;
    const ratio = count / today.items / baselineShare;
    if (ratio < minRatio) continue;
    const itemIds = itemTerms.filter((entry) => entry.terms.has(term)).map((entry) => entry.id);
    if (itemIds.length === 0) continue;
    out.push({
      term,
      today: count,
      baseline: Math.round((historyCount / history.length) * 100) / 100,
      ratio: Math.round(ratio * 10) / 10,
      itemIds: itemIds.slice(0, 3),
    });
  }
  out.sort((a, b) => b.ratio - a.ratio || b.today - a.today || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return out.slice(0, limit);
}

function dataDrafts(input: ReportInput, drafts: DraftStory[], options: ExtractiveOptions): DataDrafts {
  const limit = options.dataLines ?? 5;
  const allItems = drafts.flatMap((draft) => draft.items);
  const repositories: DataDrafts['repositories'] = [];
  const models: DataDrafts['models'] = [];
  const papers: DataDrafts['papers'] = [];
  for (const draft of drafts) {
    const repoItems = draft.items.filter(
      (item) =>
        (item.sourceKind === 'github' || item.externalIds.github) &&
        (item.engagement.stars !== undefined || item.engagement.starsGained !== undefined),
    );
    if (repoItems.length > 0) {
      const top = [...repoItems].sort(
        (a, b) =>
          (b.engagement.starsGained ?? -1) - (a.engagement.starsGained ?? -1) ||
          (b.engagement.stars ?? -1) - (a.engagement.stars ?? -1),
      )[0]!;
      repositories.push({
        storyId: draft.story.id,
        name: top.externalIds.github ?? top.title,
        stars: top.engagement.stars,
        starsGained: top.engagement.starsGained,
        itemIds: [top.id],
      });
    }
    const modelItems = draft.items.filter(
      (item) =>
        (item.sourceKind === 'huggingface' || item.externalIds.hfModel) &&
        item.externalIds.hfModel !== undefined &&
        item.engagement.likes !== undefined,
    );
    if (modelItems.length > 0) {
      const top = [...modelItems].sort((a, b) => (b.engagement.likes ?? 0) - (a.engagement.likes ?? 0))[0]!;
      models.push({
        storyId: draft.story.id,
        name: top.externalIds.hfModel ?? top.title,
        likes: top.engagement.likes,
        downloads: top.engagement.downloads,
        itemIds: [top.id],
      });
    }
    const isPaper =
      draft.story.section === 'papers' || draft.items.some((item) => item.externalIds.arxiv !== undefined);
    if (isPaper) {
      const engaged = draft.items.filter(
        (item) => (item.engagement.points ?? 0) + (item.engagement.comments ?? 0) + (item.engagement.upvotes ?? 0) > 0,
      );
      if (engaged.length > 0) {
        const sum = (key: 'points' | 'comments' | 'upvotes') =>
          engaged.reduce((total, item) => total + (item.engagement[key] ?? 0), 0);
        papers.push({
          storyId: draft.story.id,
          title: draft.story.title,
          points: sum('points'),
          comments: sum('comments'),
          upvotes: sum('upvotes'),
          itemIds: engaged.slice(0, 3).map((item) => item.id),
        });
      }
    }
  }
  repositories.sort(
    (a, b) =>
      (b.starsGained ?? -1) - (a.starsGained ?? -1) || (b.stars ?? -1) - (a.stars ?? -1) || compare(a.name, b.name),
  );
  models.sort((a, b) => (b.likes ?? 0) - (a.likes ?? 0) || compare(a.name, b.name));
  const paperWeight = (paper: DataDrafts['papers'][number]) => paper.points + paper.comments + paper.upvotes;
  papers.sort((a, b) => paperWeight(b) - paperWeight(a) || compare(a.title, b.title));
  return {
    baselineDays: input.history.length,
    rising: risingTopics(input.todayTerms, input.history, allItems, {
      minCount: options.risingMinCount,
      minRatio: options.risingMinRatio,
    }),
    repositories: repositories.slice(0, limit),
    models: models.slice(0, limit),
    papers: papers.slice(0, limit),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A term as the titles spell it ("GPT-5.6" for "gpt-5.6"), else the term itself. */
function surfaceForm(term: string, titles: readonly string[]): string {
  const latin = '[\\p{Script=Latin}\\p{Nd}]';
  const pattern = new RegExp(`(?<!${latin})${escapeRegExp(term)}(?!${latin})`, 'iu');
  for (const title of titles) {
    const match = pattern.exec(title);
    if (match) return match[0];
  }
  return term;
}

/** Tags: versioned model/product names first, then the day's most used Latin terms, from report titles. */
function reportTags(drafts: DraftStory[], today: DayTerms, limit = 8): string[] {
  const titles = drafts.flatMap((draft) => draft.items.map((item) => item.title));
  const titleCounts = new Map<string, number>();
  for (const title of titles) {
    for (const term of new Set(meaningfulTokens(title))) titleCounts.set(term, (titleCounts.get(term) ?? 0) + 1);
  }
  const candidates = [...titleCounts.entries()]
    .filter(
      ([term]) => /^[\p{Script=Latin}\p{Nd}.\-+_]+$/u.test(term) && /\p{Script=Latin}/u.test(term) && term.length >= 3,
    )
    .map(([term, count]) => ({ term, versioned: isVersionedName(term), weight: (today.terms[term] ?? 0) + count }))
    .sort((a, b) => Number(b.versioned) - Number(a.versioned) || b.weight - a.weight || compare(a.term, b.term));
  const tags = ['AI'];
  for (const candidate of candidates) {
    if (tags.length >= limit) break;
    const tag = surfaceForm(candidate.term, titles);
    if (!tags.some((existing) => existing.toLowerCase() === tag.toLowerCase())) tags.push(tag);
  }
  return tags;
}

/**
 * Build the extractive report. Pure: the same input gives the same report (no clock, no
 * randomness); the only URLs in it are those of the input items.
 */
export function buildReport(input: ReportInput, options: ExtractiveOptions = {}): Report {
  const language = input.language;
  const labels = SECTION_LABELS[language];
  const drafts = draftStories(input);
  const citations = new Citations(input.items, new Set(input.stories.flatMap((story) => story.listedItemIds ?? [])));
  const topCount = Math.max(1, Math.min(20, options.topStories ?? 6));
  // The pipeline's diverse choice when it made one (pipeline/select chooseTopStories), else the best by score.
  const byId = new Map(drafts.map((draft) => [draft.story.id, draft]));
  const top = input.topStoryIds
    ? input.topStoryIds.flatMap((id) => byId.get(id) ?? []).slice(0, options.topStories === undefined ? 20 : topCount)
    : [...drafts].sort(byScore).slice(0, topCount);

  // Numbering follows the document: top stories, executive summary, sections, data sections.
  const topStories = top.map((draft) => ({
    storyId: draft.story.id,
    title: draft.story.title,
    line: citations.text(draft.best),
  }));
  const executiveSummary = executiveDrafts(language, drafts).map((draft) => citations.text(draft));

  const sections: ReportSection[] = [];
  for (const section of SECTIONS) {
    const inSection = drafts.filter((draft) => draft.story.section === section);
    if (inSection.length === 0) continue;
    const stories: ReportStory[] = inSection.map((draft) => {
      const story: ReportStory = {
        id: draft.story.id,
        title: draft.story.title,
        section,
        summary: draft.summary.map((sentence) => citations.text(sentence)),
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
    sections.push({ section, heading: labels[section], stories });
  }

  const data = dataDrafts(input, drafts, options);
  const dataSections: DataSections = {
    baselineDays: data.baselineDays,
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
