/**
 * GitHub connector: the trending page (scraped HTML, 2018–2023+ layouts) or the repository search
 * API (new repositories sorted by stars).
 */
import { load } from 'cheerio';
import { z } from 'zod';
import { FetchError } from '../core/errors.js';
import type { RawItem } from '../core/types.js';
import { createItemMatcher, DEFAULT_AI_KEYWORDS } from './keywords.js';
import { collapse, compact, isRecord, numberOf, parseJsonBody, stringOf, uniqueStrings } from './shared.js';
import type { Connector } from './types.js';

/** A repository path "/owner/name" (nothing after it). */
const REPO_PATH = /^\/([\w.-]+)\/([\w.-]+)\/?$/;
/** "1,582 stars today" / "340 stars this week". */
const STARS_GAINED = /([\d,]+)\s+stars?\s+(?:today|this\s+week|this\s+month)/i;

function repoItem(owner: string, name: string, fields: Omit<RawItem, 'title' | 'url' | 'guid'>): RawItem {
  const fullName = `${owner}/${name}`;
  return compact<RawItem>({
    guid: fullName.toLowerCase(),
    url: `https://github.com/${fullName}`,
    title: fullName,
    authors: [owner],
    ...fields,
    externalIds: { github: fullName.toLowerCase() },
  });
}

/** The text pieces of one trending row, taken from the page by `parseTrendingPage`. */
interface TrendingRowText {
  href: string;
  description: string;
  language: string;
  stars: string;
  rowText: string;
}

function trendingRow(row: TrendingRowText): RawItem | undefined {
  const match = REPO_PATH.exec(row.href.trim().replace(/^https?:\/\/github\.com/i, ''));
  if (!match?.[1] || !match[2]) return undefined;
  const language = collapse(row.language);
  const gained = STARS_GAINED.exec(row.rowText.replace(/\s+/g, ' '));
  return repoItem(match[1], match[2], {
    contentText: collapse(row.description),
    engagement: compact({ stars: numberOf(collapse(row.stars)), starsGained: numberOf(gained?.[1]) }),
    tags: language ? [language] : undefined,
  });
}

/**
 * Parses github.com/trending: `article.Box-row` rows whose own h1/h2 heading links to
 * "/owner/name" (2019+ layouts), and the 2018 `ol.repo-list > li` rows. The trending *developers*
 * page also uses article.Box-row, but its headings link to users and sit deeper: it yields nothing.
 */
export function parseTrendingPage(html: string): RawItem[] {
  const $ = load(html);
  const items: RawItem[] = [];
  const seen = new Set<string>();
  const push = (item: RawItem | undefined) => {
    if (!item?.guid || seen.has(item.guid)) return;
    seen.add(item.guid);
    items.push(item);
  };
  const rowText = (row: ReturnType<typeof $>, heading: ReturnType<typeof $>): TrendingRowText => ({
    href: heading.attr('href') ?? '',
    description: row.find('p').first().text(),
    language: row.find('[itemprop="programmingLanguage"]').first().text(),
    stars: row.find('a[href$="/stargazers"]').first().text(),
    rowText: row.text(),
  });
  $('article.Box-row').each((_, element) => {
    const row = $(element);
    push(trendingRow(rowText(row, row.children('h1, h2').find('a').first())));
  });
  $('ol.repo-list > li').each((_, element) => {
    const row = $(element);
    push(trendingRow(rowText(row, row.find('h3 a').first())));
  });
  return items;
}

/** Parses a /search/repositories response (`{total_count, items: [...]}`; 2014 and current schemas). */
export function parseGithubSearch(json: unknown, url = ''): RawItem[] {
  if (!isRecord(json) || !Array.isArray(json.items)) {
    throw new FetchError('parse', 'GitHub search: expected an object with items[]', { url });
  }
  const items: RawItem[] = [];
  for (const repo of json.items) {
    if (!isRecord(repo)) continue;
    const fullName = stringOf(repo.full_name);
    const [owner, name] = fullName?.split('/') ?? [];
    if (!owner || !name) continue;
    const topics = Array.isArray(repo.topics) ? repo.topics.map(stringOf) : [];
    const tags = uniqueStrings([stringOf(repo.language), ...topics]);
    items.push(
      repoItem(owner, name, {
        contentText: stringOf(repo.description),
        published: stringOf(repo.created_at),
        engagement: compact({ stars: numberOf(repo.stargazers_count) ?? numberOf(repo.watchers_count) }),
        tags: tags.length > 0 ? tags : undefined,
      }),
    );
  }
  return items;
}

const githubParams = z.discriminatedUnion('mode', [
  z
    .object({
      mode: z.literal('trending'),
      /** Keep only repositories whose name or description matches `keywords`. */
      aiOnly: z.boolean().default(true),
      keywords: z.array(z.string().min(1)).default([...DEFAULT_AI_KEYWORDS]),
    })
    .strict(),
  z
    .object({
      mode: z.literal('search'),
      /** GitHub search syntax; `created:>DATE` is appended. */
      query: z.string().min(1).default('llm OR agent OR "language model" OR ai in:name,description,topics'),
      /** Repositories created in the last `days` days. */
      days: z.number().int().min(1).max(365).default(7),
      limit: z.number().int().min(1).max(100).default(30),
      /** API token, sent as a Bearer token when non-empty (raises the rate limit). */
      token: z.string().optional(),
    })
    .strict(),
]);
export type GithubParams = z.infer<typeof githubParams>;

/** The search URL for repositories created after `now - days`, most stars first. */
export function githubSearchUrl(endpoint: string, query: string, days: number, limit: number, now: Date): string {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
  const search = new URLSearchParams({
    q: `${query} created:>${since}`,
    sort: 'stars',
    order: 'desc',
    per_page: String(limit),
  });
  return `${endpoint}?${search.toString()}`;
}

/** GitHub trending repositories and new AI repositories. */
export const githubConnector: Connector<GithubParams> = {
  kind: 'github',
  description:
    'GitHub: the trending page (mode trending, AI repositories only by default) or new repositories by stars (mode search).',
  paramsSchema: githubParams,
  example: {
    url: 'https://github.com/trending?since=daily',
    params: { mode: 'trending', aiOnly: true, keywords: [...DEFAULT_AI_KEYWORDS] },
  },
  async collect({ source, params, fetch, now }) {
    if (params.mode === 'trending') {
      const doc = await fetch(source.url, { accept: 'text/html' });
      const repos = parseTrendingPage(doc.text);
      if (!params.aiOnly) return repos;
      const matches = createItemMatcher(params.keywords);
      return repos.filter((repo) => matches(repo, repo.title.replace(/[/_.-]+/g, ' '), repo.contentText));
    }
    const token = params.token?.trim();
    const headers: Record<string, string> = { 'X-GitHub-Api-Version': '2022-11-28' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const url = githubSearchUrl(source.url, params.query, params.days, params.limit, now);
    const doc = await fetch(url, { accept: 'application/vnd.github+json', headers });
    return parseGithubSearch(parseJsonBody(doc.text, doc.url), doc.url);
  },
};
