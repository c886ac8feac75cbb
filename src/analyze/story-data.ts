/**
 * A story's own data read as a sentence in the report's language: the engagement counters its
 * items carry (stars and stars gained, likes and downloads, points and comments, upvotes) and, for
 * a model release, its organisation and size. The sentence is our text built from the items' data,
 * never a quote; it cites the items whose numbers it states, and every number in it is one of
 * theirs, written with the report's one count format (core/quantity#formatCount).
 *
 *   zh: "GitHub 上 54,665 星，今日新增 1,062。"   en: "54,665 stars on GitHub, 1,062 today."
 */
import { formatCount } from '../core/quantity.js';
import type { Engagement, PipelineItem } from '../core/types.js';

export type DataLanguage = 'zh' | 'en';

/** What the data line needs of an item. */
export type DataItem = Pick<PipelineItem, 'id' | 'url' | 'sourceKind' | 'sourceName' | 'engagement' | 'externalIds'>;

/** The sentence and the items it rests on. */
export interface DataLine {
  text: string;
  itemIds: string[];
}

/** Where a counter was counted, by the item's host (else its source's name). */
function platformOf(item: DataItem): string {
  let host = '';
  try {
    host = new URL(item.url).hostname.toLowerCase();
  } catch {
    // Not a URL: the source's name says where.
  }
  const on = (domain: string) => host === domain || host.endsWith(`.${domain}`);
  if (item.sourceKind === 'hackernews' || on('news.ycombinator.com')) return 'Hacker News';
  if (item.sourceKind === 'github' || on('github.com')) return 'GitHub';
  if (item.sourceKind === 'huggingface' || on('huggingface.co')) return 'Hugging Face';
  if (item.sourceKind === 'reddit' || on('reddit.com')) return 'Reddit';
  return item.sourceName;
}

/** A parameter count written in a model's name ("Qwen3-7B-Instruct" → "7B", "MiniMax-M2.7" → none). */
export function modelSize(name: string): string | undefined {
  const match = /(?:^|[-_/.\s])(\d+(?:\.\d+)?)\s?([BMT])(?=$|[-_/.\s])/iu.exec(name);
  if (!match) return undefined;
  return `${match[1]}${match[2]!.toUpperCase()}`;
}

interface Platform {
  name: string;
  counters: Engagement;
  organisation?: string;
  size?: string;
  itemIds: string[];
}

const COUNTERS = ['stars', 'starsGained', 'likes', 'downloads', 'points', 'comments', 'upvotes'] as const;

/** One platform's counters as a clause. */
function clause(language: DataLanguage, platform: Platform): string | undefined {
  const c = platform.counters;
  const has = (value: number | undefined): value is number => value !== undefined && value > 0;
  const n = formatCount;
  const parts: string[] = [];
  if (language === 'zh') {
    if (has(c.stars)) parts.push(`${n(c.stars)} 星`);
    if (has(c.starsGained))
      parts.push(has(c.stars) ? `今日新增 ${n(c.starsGained)}` : `今日新增 ${n(c.starsGained)} 星`);
    if (has(c.likes)) parts.push(`${n(c.likes)} 个赞`);
    if (has(c.downloads)) parts.push(`${n(c.downloads)} 次下载`);
    if (has(c.points)) parts.push(`${n(c.points)} 分`);
    if (has(c.upvotes)) parts.push(`${n(c.upvotes)} 个赞同`);
    if (has(c.comments)) parts.push(`${n(c.comments)} 条评论`);
    if (parts.length === 0) return undefined;
    // "54,665 星，今日新增 1,062": the gain reads as its own clause; the other counters are a list.
    const [first, ...rest] = parts;
    let text = `${platform.name} 上 ${first}`;
    for (const part of rest) text += part.startsWith('今日') ? `，${part}` : `、${part}`;
    const extra = [
      platform.organisation ? `发布方 ${platform.organisation}` : '',
      platform.size ? `模型 ${platform.size} 参数` : '',
    ].filter(Boolean);
    return [text, ...extra].join('，');
  }
  const plural = (value: number, word: string) => `${n(value)} ${value === 1 ? word : `${word}s`}`;
  if (has(c.stars)) parts.push(plural(c.stars, 'star'));
  if (has(c.likes)) parts.push(plural(c.likes, 'like'));
  if (has(c.downloads)) parts.push(plural(c.downloads, 'download'));
  if (has(c.points)) parts.push(plural(c.points, 'point'));
  if (has(c.upvotes)) parts.push(plural(c.upvotes, 'upvote'));
  if (has(c.comments)) parts.push(plural(c.comments, 'comment'));
  const gained = has(c.starsGained)
    ? has(c.stars)
      ? `${n(c.starsGained)} today`
      : `${plural(c.starsGained, 'star')} today`
    : undefined;
  if (parts.length === 0 && !gained) return undefined;
  const listed =
    parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  let text = listed ? `${listed} on ${platform.name}` : `${gained} on ${platform.name}`;
  if (listed && gained) text += `, ${gained}`;
  if (platform.organisation) text += `, from ${platform.organisation}`;
  if (platform.size) text += `, ${platform.size} parameters`;
  return text;
}

/**
 * The data line of a story's items, or undefined when they carry no counter above zero. One clause
 * per platform (in item order), each counter the largest any of the platform's items reports.
 */
export function storyDataLine(items: readonly DataItem[], language: DataLanguage): DataLine | undefined {
  const platforms = new Map<string, Platform>();
  for (const item of items) {
    const counters = COUNTERS.filter((key) => (item.engagement[key] ?? 0) > 0);
    if (counters.length === 0) continue;
    const name = platformOf(item);
    const platform = platforms.get(name) ?? { name, counters: {}, itemIds: [] };
    for (const key of counters) platform.counters[key] = Math.max(platform.counters[key] ?? 0, item.engagement[key]!);
    const model = item.externalIds.hfModel;
    if (model?.includes('/') && platform.organisation === undefined) {
      platform.organisation = model.split('/')[0];
      const size = modelSize(model.split('/')[1] ?? '');
      if (size) platform.size = size;
    }
    if (!platform.itemIds.includes(item.id)) platform.itemIds.push(item.id);
    platforms.set(name, platform);
  }
  const clauses: { text: string; itemIds: string[] }[] = [];
  for (const platform of platforms.values()) {
    const text = clause(language, platform);
    if (text) clauses.push({ text, itemIds: platform.itemIds });
  }
  if (clauses.length === 0) return undefined;
  const text =
    language === 'zh'
      ? `${clauses.map((c) => c.text).join('；')}。`
      : `${clauses
          .map((c, index) => (index === 0 ? c.text.charAt(0).toUpperCase() + c.text.slice(1) : c.text))
          .join('; ')}.`;
  return { text, itemIds: clauses.flatMap((c) => c.itemIds) };
}
