/**
 * Data sections: rising topics (term counts against a per-source baseline) and the most-starred
 * repositories, most-liked models and most-discussed papers of the window, from any source kind
 * whose items carry those figures and identify the thing they count.
 */
import type { ModelLine, PaperLine, RepositoryLine, RisingTopic } from '../core/report.js';
import type { DayTerms } from '../core/run.js';
import type { PipelineItem } from '../core/types.js';
import { isMeaningfulTerm, termKeys } from './terms.js';

/** A data line whose citations are still item ids. */
export type Drafted<T> = Omit<T, 'cites'> & { itemIds: string[] };

const GITHUB_REPO = /^https?:\/\/(?:www\.)?github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?(?:[?#].*)?$/iu;
const HF_MODEL =
  /^https?:\/\/(?:www\.)?huggingface\.co\/(?!(?:datasets|spaces|papers|blog|docs|collections|posts|organizations|learn|models|settings|join|login|pricing|chat)\/)([\w.-]+)\/([\w.-]+)\/?(?:[?#].*)?$/iu;
const ARXIV =
  /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?\/?(?:[?#].*)?$/iu;
const HF_PAPER = /^https?:\/\/(?:www\.)?huggingface\.co\/papers\/(\d{4}\.\d{4,5})(?:v\d+)?\/?(?:[?#].*)?$/iu;

/** The GitHub "owner/name" an item is about: its id, else its URL. */
export function repositoryOf(item: PipelineItem): string | undefined {
  if (item.externalIds.github) return item.externalIds.github.toLowerCase();
  const match = GITHUB_REPO.exec(item.url);
  return match ? `${match[1]}/${match[2]}`.toLowerCase() : undefined;
}

/** The Hugging Face model id an item is about: its id, else its URL. */
export function modelOf(item: PipelineItem): string | undefined {
  if (item.externalIds.hfModel) return item.externalIds.hfModel;
  const match = HF_MODEL.exec(item.url);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/** The arXiv id an item is about: its id, else its URL (arXiv or a Hugging Face paper page). */
export function paperOf(item: PipelineItem): string | undefined {
  if (item.externalIds.arxiv) return item.externalIds.arxiv;
  const match = ARXIV.exec(item.url) ?? HF_PAPER.exec(item.url);
  return match?.[1];
}

function isCounted(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isRepositoryItem(item: PipelineItem): boolean {
  return (
    (isCounted(item.engagement.stars) || isCounted(item.engagement.starsGained)) && repositoryOf(item) !== undefined
  );
}

function isModelItem(item: PipelineItem): boolean {
  return (isCounted(item.engagement.likes) || isCounted(item.engagement.downloads)) && modelOf(item) !== undefined;
}

function paperWeightOf(item: PipelineItem): number {
  const e = item.engagement;
  return (e.points ?? 0) + (e.comments ?? 0) + (e.upvotes ?? 0);
}

function isPaperItem(item: PipelineItem): boolean {
  return paperWeightOf(item) > 0 && paperOf(item) !== undefined;
}

/** True for an item that a data section can count (so the run loads it even outside the selected stories). */
export function isDataItem(item: PipelineItem): boolean {
  return isRepositoryItem(item) || isModelItem(item) || isPaperItem(item);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Groups items by the key `of` gives, keeping insertion order of first appearance. */
function groupBy(items: readonly PipelineItem[], of: (item: PipelineItem) => string | undefined) {
  const groups = new Map<string, PipelineItem[]>();
  for (const item of items) {
    const key = of(item);
    if (key === undefined) continue;
    const list = groups.get(key) ?? [];
    list.push(item);
    groups.set(key, list);
  }
  return groups;
}

export interface DataLines {
  repositories: Drafted<RepositoryLine>[];
  models: Drafted<ModelLine>[];
  papers: Drafted<PaperLine>[];
}

/**
 * Repositories by stars gained then stars, models by likes then downloads, papers by points +
 * comments + upvotes summed over the items about the same arXiv id. Each line cites the items it
 * counts; `storyOf` names the selected story holding an item, when one does.
 */
export function dataLines(
  items: readonly PipelineItem[],
  storyOf: (itemId: string) => string | undefined,
  limit = 5,
): DataLines {
  const unique = [...new Map(items.map((item) => [item.id, item])).values()].sort((a, b) => compare(a.id, b.id));
  const storyIdOf = (group: PipelineItem[]) => {
    for (const item of group) {
      const storyId = storyOf(item.id);
      if (storyId !== undefined) return { storyId };
    }
    return {};
  };

  const repositories: Drafted<RepositoryLine>[] = [];
  for (const [name, group] of groupBy(unique.filter(isRepositoryItem), repositoryOf)) {
    const top = [...group].sort(
      (a, b) =>
        (b.engagement.starsGained ?? -1) - (a.engagement.starsGained ?? -1) ||
        (b.engagement.stars ?? -1) - (a.engagement.stars ?? -1),
    )[0]!;
    const stars = Math.max(...group.map((item) => item.engagement.stars ?? -1));
    repositories.push({
      ...storyIdOf(group),
      name,
      ...(stars >= 0 ? { stars } : {}),
      ...(top.engagement.starsGained !== undefined ? { starsGained: top.engagement.starsGained } : {}),
      itemIds: [top.id],
    });
  }
  repositories.sort(
    (a, b) =>
      (b.starsGained ?? -1) - (a.starsGained ?? -1) || (b.stars ?? -1) - (a.stars ?? -1) || compare(a.name, b.name),
  );

  const models: Drafted<ModelLine>[] = [];
  for (const [name, group] of groupBy(unique.filter(isModelItem), modelOf)) {
    const top = [...group].sort(
      (a, b) =>
        (b.engagement.likes ?? -1) - (a.engagement.likes ?? -1) ||
        (b.engagement.downloads ?? -1) - (a.engagement.downloads ?? -1),
    )[0]!;
    models.push({
      ...storyIdOf(group),
      name,
      ...(top.engagement.likes !== undefined ? { likes: top.engagement.likes } : {}),
      ...(top.engagement.downloads !== undefined ? { downloads: top.engagement.downloads } : {}),
      itemIds: [top.id],
    });
  }
  models.sort(
    (a, b) => (b.likes ?? -1) - (a.likes ?? -1) || (b.downloads ?? -1) - (a.downloads ?? -1) || compare(a.name, b.name),
  );

  const papers: Drafted<PaperLine>[] = [];
  for (const group of groupBy(unique.filter(isPaperItem), paperOf).values()) {
    const sum = (key: 'points' | 'comments' | 'upvotes') =>
      group.reduce((total, item) => total + (item.engagement[key] ?? 0), 0);
    const ordered = [...group].sort((a, b) => paperWeightOf(b) - paperWeightOf(a) || compare(a.id, b.id));
    papers.push({
      ...storyIdOf(group),
      title: ordered[0]!.title,
      points: sum('points'),
      comments: sum('comments'),
      upvotes: sum('upvotes'),
      itemIds: ordered.slice(0, 3).map((item) => item.id),
    });
  }
  const weight = (paper: Drafted<PaperLine>) => paper.points + paper.comments + paper.upvotes;
  papers.sort((a, b) => weight(b) - weight(a) || compare(a.title, b.title));

  return { repositories: repositories.slice(0, limit), models: models.slice(0, limit), papers: papers.slice(0, limit) };
}

export interface RisingOptions {
  /** Items today that must use the term (default 3). */
  minCount?: number;
  /** today ÷ baseline at least this (default 2). */
  minRatio?: number;
  /** Earlier days on which the term's sources were collected (default 3). */
  minDays?: number;
  limit?: number;
}

/** History days on which every source in `sources` was being collected. */
function daysCollecting(history: readonly DayTerms[], sources: readonly string[] | undefined): DayTerms[] {
  // Without per-source data (a caller that does not record it) every stored day counts.
  if (sources === undefined) return [...history];
  return history.filter((day) => day.collected !== undefined && sources.every((id) => day.collected!.includes(id)));
}

/** History days that some source was already collected on: what a baseline could rest on at all. */
export function usableHistoryDays(history: readonly DayTerms[]): number {
  return history.filter((day) => day.collected === undefined || day.collected.length > 0).length;
}

/**
 * Rising topics: terms used by at least `minCount` items today whose daily average over the
 * earlier days on which their sources were already collected (at least `minDays` of them) is at
 * most today's count ÷ `minRatio`, and that a report item uses (so that the line can cite it).
 * The figures follow from each other: `ratio = today ÷ baseline`, with `baseline` as shown (two
 * decimals) and null when the term was not used on any of those days.
 */
export function risingTopics(
  today: DayTerms,
  history: readonly DayTerms[],
  reportItems: readonly PipelineItem[],
  options: RisingOptions = {},
): Drafted<RisingTopic>[] {
  const minCount = options.minCount ?? 3;
  const minRatio = options.minRatio ?? 2;
  const minDays = options.minDays ?? 3;
  const limit = options.limit ?? 8;
  if (today.items === 0) return [];
  const itemTerms = reportItems.map((item) => ({ id: item.id, terms: termKeys(`${item.title}\n${item.text}`) }));
  const out: Drafted<RisingTopic>[] = [];
  for (const [term, count] of Object.entries(today.terms)) {
    if (count < minCount || !isMeaningfulTerm(term)) continue;
    const days = daysCollecting(history, today.termSources?.[term]);
    if (days.length < minDays) continue;
    const total = days.reduce((sum, day) => sum + (day.terms[term] ?? 0), 0);
    const baseline = Math.round((total / days.length) * 100) / 100;
    const ratio = baseline > 0 ? Math.round((count / baseline) * 10) / 10 : null;
    if (ratio !== null && ratio < minRatio) continue;
    const itemIds = itemTerms.filter((entry) => entry.terms.has(term)).map((entry) => entry.id);
    if (itemIds.length === 0) continue;
    out.push({ term, today: count, baseline, baselineDays: days.length, ratio, itemIds: itemIds.slice(0, 3) });
  }
  // New terms (nothing to divide by) first, by count; then by ratio.
  const rank = (topic: Drafted<RisingTopic>) => topic.ratio ?? Number.POSITIVE_INFINITY;
  out.sort((a, b) => rank(b) - rank(a) || b.today - a.today || compare(a.term, b.term));
  return out.slice(0, limit);
}
