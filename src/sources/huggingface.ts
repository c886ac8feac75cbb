/**
 * Hugging Face connector: Daily Papers (/api/daily_papers, today plus previous UTC dates) or
 * trending models (/api/models?sort=trendingScore, or the /api/trending shape).
 */
import { z } from 'zod';
import { FetchError } from '../core/errors.js';
import type { RawItem } from '../core/types.js';
import { arxivIdOf } from './arxiv.js';
import { collapse, compact, isRecord, numberOf, parseJsonBody, stringOf, uniqueStrings } from './shared.js';
import type { Connector } from './types.js';

const JSON_ACCEPT = 'application/json';

/** "owner/name" lower-cased from a github.com repository URL. */
export function githubRepoOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const match = /^https?:\/\/(?:www\.)?github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:[/?#].*)?$/i.exec(url.trim());
  if (!match?.[1] || !match[2]) return undefined;
  return `${match[1]}/${match[2]}`.toLowerCase();
}

function authorNames(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const names = uniqueStrings(value.map((author) => (isRecord(author) ? stringOf(author.name) : stringOf(author))));
  return names.length > 0 ? names : undefined;
}

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const list = uniqueStrings(value.map(stringOf));
  return list.length > 0 ? list : undefined;
}

/**
 * Parses a /api/daily_papers response (an array of `{paper, title, summary, publishedAt, ...}`;
 * the 2024, 2025 and 2026 schemas all work) or an /api/papers array of bare papers.
 */
export function parseDailyPapers(json: unknown, url = ''): RawItem[] {
  if (!Array.isArray(json)) throw new FetchError('parse', 'daily papers: expected a JSON array', { url });
  const items: RawItem[] = [];
  for (const entry of json) {
    if (!isRecord(entry)) continue;
    const paper = isRecord(entry.paper) ? entry.paper : entry;
    const id = stringOf(paper.id);
    const title = collapse(stringOf(entry.title) ?? stringOf(paper.title));
    if (!id || !title) continue;
    const arxiv = arxivIdOf(id);
    const github = githubRepoOf(stringOf(paper.githubRepo) ?? stringOf(entry.githubRepo));
    items.push(
      compact<RawItem>({
        guid: id,
        url: `https://huggingface.co/papers/${encodeURIComponent(id)}`,
        title,
        contentText: collapse(
          stringOf(entry.summary) ??
            stringOf(paper.summary) ??
            stringOf(paper.ai_summary) ??
            stringOf(entry.ai_summary),
        ),
        authors: authorNames(paper.authors),
        // The day the paper was featured on the daily list is when it is news here; arXiv
        // publication is often days earlier. Older responses lack it: then the entry's date.
        published: stringOf(paper.submittedOnDailyAt) ?? stringOf(entry.publishedAt) ?? stringOf(paper.publishedAt),
        engagement: compact({
          upvotes: numberOf(paper.upvotes) ?? numberOf(entry.upvotes),
          comments: numberOf(entry.numComments),
        }),
        tags: stringList(paper.ai_keywords),
        externalIds: compact({ arxiv, github }),
      }),
    );
  }
  return items;
}

/** The model records of a /api/models array, an /api/trending `{recentlyTrending: [...]}` object. */
function modelRecords(json: unknown): Record<string, unknown>[] | undefined {
  const list = Array.isArray(json) ? json : isRecord(json) ? json.recentlyTrending : undefined;
  if (!Array.isArray(list)) return undefined;
  const records: Record<string, unknown>[] = [];
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    if (isRecord(entry.repoData)) {
      if (entry.repoType === undefined || entry.repoType === 'model') records.push(entry.repoData);
    } else {
      records.push(entry);
    }
  }
  return records;
}

/**
 * Parses a /api/models response (an array of models) or an /api/trending response
 * (`{recentlyTrending: [{repoData, repoType}]}`; only models are kept).
 */
export function parseHfModels(json: unknown, url = ''): RawItem[] {
  const records = modelRecords(json);
  if (!records) {
    throw new FetchError('parse', 'models: expected an array or {recentlyTrending: [...]}', { url });
  }
  const items: RawItem[] = [];
  for (const model of records) {
    const id = stringOf(model.id) ?? stringOf(model.modelId);
    if (!id) continue;
    const author = stringOf(model.author) ?? (id.includes('/') ? id.split('/')[0] : undefined);
    items.push(
      compact<RawItem>({
        guid: id,
        url: `https://huggingface.co/${id}`,
        title: id,
        authors: author ? [author] : undefined,
        // Only the creation date says when a model came out: lastModified moves with every commit, so
        // a model without createdAt is dated when first seen (normalize) and is new only if it
        // appeared in a list already watched (pipeline/rank).
        published: stringOf(model.createdAt),
        engagement: compact({ likes: numberOf(model.likes), downloads: numberOf(model.downloads) }),
        tags: stringList([model.pipeline_tag, model.library_name]),
        externalIds: { hfModel: id },
      }),
    );
  }
  return items;
}

/** YYYY-MM-DD of the `count` UTC dates before `now`, newest first. */
export function previousUtcDates(now: Date, count: number): string[] {
  const dates: string[] = [];
  for (let back = 1; back <= count; back++) {
    dates.push(new Date(now.getTime() - back * 86_400_000).toISOString().slice(0, 10));
  }
  return dates;
}

function withQuery(url: string, key: string, value: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${key}=${encodeURIComponent(value)}`;
}

const huggingfaceParams = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('daily-papers'),
      /** How many UTC dates before today to request besides today's list. */
      days: z.number().int().min(0).max(14).default(2),
    })
    .strict(),
  z.object({ type: z.literal('models') }).strict(),
]);
export type HuggingfaceParams = z.infer<typeof huggingfaceParams>;

/** Hugging Face Daily Papers and trending models. */
export const huggingfaceConnector: Connector<HuggingfaceParams> = {
  kind: 'huggingface',
  description:
    'Hugging Face: Daily Papers (type daily-papers: today plus `days` earlier UTC dates) or trending models (type models).',
  paramsSchema: huggingfaceParams,
  example: { url: 'https://huggingface.co/api/daily_papers', params: { type: 'daily-papers', days: 2 } },
  async collect({ source, params, fetch, now, warn }) {
    if (params.type === 'models') {
      const doc = await fetch(source.url, { accept: JSON_ACCEPT });
      return parseHfModels(parseJsonBody(doc.text, doc.url), doc.url);
    }
    const urls = [source.url, ...previousUtcDates(now, params.days).map((date) => withQuery(source.url, 'date', date))];
    const results = await Promise.allSettled(
      urls.map(async (url) => {
        const doc = await fetch(url, { accept: JSON_ACCEPT });
        return parseDailyPapers(parseJsonBody(doc.text, doc.url), doc.url);
      }),
    );
    const fulfilled = results.filter((r): r is PromiseFulfilledResult<RawItem[]> => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (fulfilled.length === 0) throw rejected[0]?.reason;
    results.forEach((result, index) => {
      if (result.status === 'rejected') {
        warn(
          `daily papers ${urls[index]}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`,
        );
      }
    });
    const seen = new Set<string>();
    const items: RawItem[] = [];
    for (const result of fulfilled) {
      for (const item of result.value) {
        if (item.guid && seen.has(item.guid)) continue;
        if (item.guid) seen.add(item.guid);
        items.push(item);
      }
    }
    return items;
  },
};
