/**
 * HTML list-page connector: for sites without a feed, items are read from a page with CSS
 * selectors given in params (relative links resolved against the page URL).
 */
import { load } from 'cheerio';
import { z } from 'zod';
import { FetchError } from '../core/errors.js';
import type { RawItem } from '../core/types.js';
import { collapse, compact, resolveUrl } from './shared.js';
import type { Connector } from './types.js';

/** True when cheerio accepts `selector` as a CSS selector. */
function isValidSelector(selector: string): boolean {
  try {
    load('<p></p>')(selector);
    return true;
  } catch {
    return false;
  }
}

const selector = () => z.string().min(1).refine(isValidSelector, { message: 'not a valid CSS selector' });

const htmlParams = z
  .object({
    /** Selector of one entry on the page (required). */
    item: selector(),
    /** Selector, inside the entry, of its title; default: the link's text. */
    title: selector().optional(),
    /** Selector, inside the entry, of the element whose href is the entry's link; default "a[href]". */
    link: selector().default('a[href]'),
    /** Selector, inside the entry, of its date. */
    date: selector().optional(),
    /** Read the date from this attribute (e.g. "datetime") instead of the element's text. */
    dateAttribute: z.string().min(1).optional(),
    /** Selector, inside the entry, of a summary. */
    summary: selector().optional(),
  })
  .strict();
export type HtmlParams = z.infer<typeof htmlParams>;

/**
 * Extracts entries from a list page. An entry without a title or without a link is skipped; a
 * page where the item selector matches nothing gives [].
 */
export function parseHtmlList(html: string, pageUrl: string, params: HtmlParams): RawItem[] {
  try {
    return extractEntries(html, pageUrl, params);
  } catch (error) {
    throw new FetchError('parse', `the page cannot be read: ${(error as Error).message}`, {
      url: pageUrl,
      cause: error,
    });
  }
}

function extractEntries(html: string, pageUrl: string, params: HtmlParams): RawItem[] {
  const $ = load(html);
  const items: RawItem[] = [];
  const seen = new Set<string>();
  $(params.item).each((_, element) => {
    const entry = $(element);
    const linkElement = entry.is(params.link) ? entry : entry.find(params.link).first();
    const href = linkElement.attr('href')?.trim();
    const title = collapse(params.title ? entry.find(params.title).first().text() : linkElement.text());
    if (!href || !title) return;
    const url = resolveUrl(href, pageUrl);
    if (seen.has(url)) return;
    seen.add(url);
    const dateElement = params.date ? entry.find(params.date).first() : undefined;
    const published = dateElement
      ? collapse(params.dateAttribute ? dateElement.attr(params.dateAttribute) : dateElement.text())
      : undefined;
    items.push(
      compact<RawItem>({
        url,
        baseUrl: pageUrl,
        title,
        contentText: params.summary ? collapse(entry.find(params.summary).first().text()) : undefined,
        published,
      }),
    );
  });
  return items;
}

/** A list page scraped with selectors. */
export const htmlConnector: Connector<HtmlParams> = {
  kind: 'html',
  description: 'A web page listing entries, read with CSS selectors (params item, title, link, date, summary).',
  paramsSchema: htmlParams,
  example: {
    url: 'https://example.com/news/',
    params: { item: 'article', title: 'h3', link: 'a[href]', date: 'time', dateAttribute: 'datetime', summary: 'p' },
  },
  async collect({ source, params, fetch }) {
    const doc = await fetch(source.url, { accept: 'text/html' });
    return parseHtmlList(doc.text, doc.url, params);
  },
};
