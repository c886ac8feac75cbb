/**
 * arXiv connector: the daily RSS listing (rss.arxiv.org, RSS 2.0) by default, or the export API
 * (Atom, classic pre-2025 and 2025+ formats) when `params.query` is set.
 */
import { z } from 'zod';
import { FetchError } from '../core/errors.js';
import type { RawItem } from '../core/types.js';
import { FEED_ACCEPT, parseFeedDocument } from './feed.js';
import { collapse, compact, uniqueStrings } from './shared.js';
import type { Connector } from './types.js';

/** The export API endpoint used when a query is configured. */
export const ARXIV_API_URL = 'https://export.arxiv.org/api/query';

/** "arXiv:2604.21935v1 Announce Type: new \nAbstract: " at the start of an RSS description. */
const RSS_PREFIX = /^\s*arXiv:\S+\s+Announce Type:\s*([\w-]+)\s*(?:Abstract:\s*)?/i;

/**
 * The arXiv id without version from an abs URL, an OAI guid or a bare id:
 * "http://arxiv.org/abs/2202.12139v1" → "2202.12139", "oai:arXiv.org:hep-th/9901001v2" → "hep-th/9901001".
 */
export function arxivIdOf(value: string): string | undefined {
  const match =
    /(?:arxiv\.org\/(?:abs|pdf)\/|oai:arXiv\.org:|^arXiv:|^)(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?(?:\.pdf)?\/?$/i.exec(
      value.trim(),
    );
  return match?.[1];
}

/** The pre-2024 RSS 1.0 listing appended " (arXiv:2401.12345v1 [cs.AI])" to every title. */
const OLD_RSS_TITLE_SUFFIX = /\s*\(arXiv:\S+\s*\[[^\]]*\](?:\s*UPDATED)?\)\s*$/;

/** arXiv RSS puts every author into one dc:creator, comma-separated. */
function splitAuthors(authors: string[] | undefined): string[] | undefined {
  if (!authors) return undefined;
  const names = uniqueStrings(authors.flatMap((entry) => entry.split(/,\s*|\s+and\s+/)));
  return names.length > 0 ? names : undefined;
}

/**
 * Parses an arXiv RSS listing or an export-API Atom response into raw items, one per paper, keyed
 * by the version-less arXiv id. An API error feed (an entry titled "Error" with an
 * .../api/errors#... id) is a FetchError of kind 'parse' carrying arXiv's message.
 */
export function parseArxivDocument(text: string, baseUrl?: string): RawItem[] {
  const entries = parseFeedDocument(text, baseUrl);
  const error = entries.find((entry) => entry.guid?.includes('/api/errors') || entry.url?.includes('/api/errors'));
  if (error) {
    const message = collapse(error.contentText ?? error.contentHtml) ?? 'unknown error';
    throw new FetchError('parse', `arXiv API error: ${message}`, { url: baseUrl ?? '' });
  }
  const items: RawItem[] = [];
  for (const entry of entries) {
    const id = arxivIdOf(entry.url ?? '') ?? arxivIdOf(entry.guid ?? '');
    if (!id) continue;
    const body = entry.contentText ?? entry.contentHtml ?? '';
    const announce = RSS_PREFIX.exec(body);
    const announceType = announce?.[1]?.toLowerCase();
    const abstract = collapse(announce ? body.slice(announce[0].length) : body);
    const tags = [...(entry.tags ?? [])];
    if (announceType && announceType !== 'new') tags.push(`announce:${announceType}`);
    items.push(
      compact<RawItem>({
        guid: id,
        url: `https://arxiv.org/abs/${id}`,
        title: collapse(entry.title.replace(OLD_RSS_TITLE_SUFFIX, '')) ?? entry.title,
        contentText: abstract,
        authors: splitAuthors(entry.authors),
        published: entry.published,
        tags: tags.length > 0 ? tags : undefined,
        externalIds: { arxiv: id },
      }),
    );
  }
  return items;
}

const arxivParams = z
  .object({
    /** An export-API search_query (e.g. "cat:cs.AI AND abs:agent"); when absent, source.url (RSS) is fetched. */
    query: z.string().min(1).optional(),
    /** max_results for an API query. */
    maxResults: z.number().int().min(1).max(500).default(100),
  })
  .strict();
export type ArxivParams = z.infer<typeof arxivParams>;

/** The export-API URL for a query, newest submissions first. */
export function arxivApiUrl(query: string, maxResults: number): string {
  const search = new URLSearchParams({
    search_query: query,
    sortBy: 'submittedDate',
    sortOrder: 'descending',
    start: '0',
    max_results: String(maxResults),
  });
  return `${ARXIV_API_URL}?${search.toString()}`;
}

/** arXiv listings (RSS) or API searches. */
export const arxivConnector: Connector<ArxivParams> = {
  kind: 'arxiv',
  description:
    'arXiv new submissions: the rss.arxiv.org listing of a category, or an export-API search (params.query).',
  paramsSchema: arxivParams,
  example: { url: 'https://rss.arxiv.org/rss/cs.AI', params: { maxResults: 100 } },
  async collect({ source, params, fetch }) {
    const url = params.query ? arxivApiUrl(params.query, params.maxResults) : source.url;
    const doc = await fetch(url, { accept: FEED_ACCEPT, conditional: !params.query });
    if (doc.notModified) return [];
    return parseArxivDocument(doc.text, doc.url);
  },
};
