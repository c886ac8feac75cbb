/**
 * Article text for thin stories: a selected story whose feed gives too little text to summarise
 * (InfoQ, Hacker News: titles only) gets the main text of its own page, fetched through the one
 * fetcher (so --record/--replay see it like every response), extracted with Readability
 * (src/pipeline/article.ts) and cached in the store. Every thin selected story, best-ranked first,
 * fetched in parallel (the fetcher keeps to its per-host concurrency) within a time budget and a
 * byte budget a run (`enrich.budgetSeconds`, `enrich.maxBytes`; `maxPages` caps the count when
 * set); a page that fails leaves its story as it was and is counted, never fatal.
 * See docs/decisions/0041-article-text-for-thin-stories.md.
 */
import type { Config } from '../config/load.js';
import { FetchError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { PipelineItem, Story } from '../core/types.js';
import { createFetcher, describeUrl } from '../http/fetcher.js';
import type { FetchDocument, Transport } from '../http/types.js';
import { extractArticle } from '../pipeline/article.js';

/** A cached article text (src/store/store.ts#StoredArticle). */
export interface CachedArticle {
  url: string;
  status: 'ok' | 'empty';
  text: string;
  fetchedAt: string;
}

/** What enrichment needs of the store. */
export interface ArticleCache {
  articleTexts(urls: string[]): Promise<Map<string, CachedArticle>>;
  saveArticleText(article: CachedArticle): Promise<void>;
}

export interface EnrichOptions {
  enabled: boolean;
  /** Pages fetched a run at most; unset: no count limit (the budgets apply). */
  maxPages?: number | undefined;
  /** Seconds the fetching of pages may take a run: fetches not done by then are cancelled. */
  budgetSeconds: number;
  /** Bytes of pages fetched a run: no page is started once they are reached. */
  maxBytes: number;
  minTextChars: number;
}

/** Pages fetched at once, across hosts (the fetcher's per-host limit applies within them). */
const PAGE_WORKERS = 8;

export interface EnrichCounts {
  /** Selected stories whose items all have less text than `minTextChars`. */
  thin: number;
  /** Thin stories given text from the store's cache. */
  cached: number;
  /** Pages fetched and given text. */
  fetched: number;
  /** Pages fetched that held no readable article (cached, not asked again). */
  empty: number;
  /** Pages that could not be fetched (left as they were; asked again next run). */
  failed: number;
  /** Thin stories left out because the run's time or byte budget (or `maxPages`) ran out. */
  overBudget: number;
  /** Bytes of the pages fetched. */
  bytes: number;
}

export interface EnrichResult {
  /** The items, with the thin stories' pages' text in place of their feed text. */
  items: Record<string, PipelineItem>;
  counts: EnrichCounts;
}

const HTML_TYPES = /^(?:text\/html|application\/xhtml\+xml)\b/iu;

/** The item whose page a thin story gets: the first with an http(s) URL (the representative first). */
function pageItem(story: Story, items: Record<string, PipelineItem>): PipelineItem | undefined {
  for (const id of story.itemIds) {
    const item = items[id];
    if (item && /^https?:\/\//iu.test(item.url)) return item;
  }
  return undefined;
}

function isThin(story: Story, items: Record<string, PipelineItem>, minTextChars: number): boolean {
  const texts = story.itemIds.map((id) => items[id]?.text ?? '');
  return texts.length > 0 && texts.every((text) => text.trim().length < minTextChars);
}

/** Fetches and extracts one page; `undefined` text when it holds no article. Throws what the fetcher throws. */
async function fetchArticle(
  fetch: FetchDocument,
  url: string,
  signal: AbortSignal,
): Promise<{ text: string | undefined; bytes: number }> {
  const document = await fetch(url, { signal });
  const bytes = document.byteLength;
  const type = document.headers['content-type'] ?? '';
  if (type !== '' && !HTML_TYPES.test(type)) return { text: undefined, bytes };
  return { text: extractArticle(document.text, document.url)?.text, bytes };
}

/**
 * Gives thin selected stories the text of their own page. Pure apart from `fetch` and `cache`:
 * the same stories, cache and responses give the same items.
 */
export async function enrichThinStories(args: {
  stories: readonly Story[];
  items: Record<string, PipelineItem>;
  fetch: FetchDocument;
  cache: ArticleCache;
  now: Date;
  options: EnrichOptions;
  log: Logger;
}): Promise<EnrichResult> {
  const { stories, options, log } = args;
  const counts: EnrichCounts = { thin: 0, cached: 0, fetched: 0, empty: 0, failed: 0, overBudget: 0, bytes: 0 };
  const items = { ...args.items };
  if (!options.enabled) return { items, counts };

  // Best-ranked first: when a budget runs out, the stories it leaves are the least important.
  const ranked = [...stories].sort((a, b) => b.score.total - a.score.total || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const targets: PipelineItem[] = [];
  for (const story of ranked) {
    if (!isThin(story, items, options.minTextChars)) continue;
    const item = pageItem(story, items);
    if (!item || targets.some((target) => target.url === item.url)) continue;
    counts.thin += 1;
    targets.push(item);
  }
  if (targets.length === 0) return { items, counts };

  const cached = await args.cache.articleTexts(targets.map((item) => item.url));
  const apply = (item: PipelineItem, text: string) => {
    if (text.length > item.text.length) items[item.id] = { ...item, text };
  };
  const toFetch: PipelineItem[] = [];
  for (const item of targets) {
    const hit = cached.get(item.url);
    if (hit) {
      if (hit.status === 'ok') {
        counts.cached += 1;
        apply(item, hit.text);
      }
      continue;
    }
    if (options.maxPages !== undefined && toFetch.length >= options.maxPages) counts.overBudget += 1;
    else toFetch.push(item);
  }
  if (toFetch.length === 0) {
    log.info(`article text: ${counts.thin} thin story(ies): ${counts.cached} from the store, none to fetch`);
    return { items, counts };
  }

  // The time budget cancels every fetch still running when it ends; the byte budget stops new ones.
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new FetchError('budget', 'the run’s time budget for article pages ran out', { url: '' })),
    options.budgetSeconds * 1000,
  );
  timer.unref?.();
  let next = 0;
  const worker = async () => {
    while (next < toFetch.length) {
      const item = toFetch[next++]!;
      if (deadline.signal.aborted || counts.bytes >= options.maxBytes) {
        counts.overBudget += 1;
        continue;
      }
      let text: string | undefined;
      try {
        const fetched = await fetchArticle(args.fetch, item.url, deadline.signal);
        counts.bytes += fetched.bytes;
        text = fetched.text;
      } catch (error) {
        if (deadline.signal.aborted) {
          counts.overBudget += 1;
          continue;
        }
        counts.failed += 1;
        const why = error instanceof FetchError ? error.kind : 'error';
        log.info(`article text: ${describeUrl(item.url)} failed (${why}); the story keeps its feed text`);
        continue;
      }
      const fetchedAt = args.now.toISOString();
      if (text === undefined || text === '') {
        counts.empty += 1;
        await args.cache.saveArticleText({ url: item.url, status: 'empty', text: '', fetchedAt });
        continue;
      }
      counts.fetched += 1;
      await args.cache.saveArticleText({ url: item.url, status: 'ok', text, fetchedAt });
      apply(item, text);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(PAGE_WORKERS, toFetch.length) }, worker));
  } finally {
    clearTimeout(timer);
  }
  log.info(
    `article text: ${counts.thin} thin story(ies): ${counts.cached} from the store, ${counts.fetched} fetched ` +
      `(${counts.bytes} bytes), ${counts.empty} without text, ${counts.failed} failed, ` +
      `${counts.overBudget} past the budget (${options.budgetSeconds} s, ${options.maxBytes} bytes)`,
  );
  return { items, counts };
}

/**
 * The run's one call: a fetcher with the configured HTTP settings (no retries: a page is optional)
 * over the run's transport, and the store as cache.
 */
export async function enrichSelectedStories(context: {
  config: Pick<Config, 'http' | 'enrich'>;
  transport: Transport;
  cache: ArticleCache;
  now: Date;
  log: Logger;
  stories: readonly Story[];
  items: Record<string, PipelineItem>;
}): Promise<Record<string, PipelineItem>> {
  const { config } = context;
  if (!config.enrich.enabled) return context.items;
  const fetcher = createFetcher({
    transport: context.transport,
    timeoutMs: config.http.timeoutMs,
    maxBytes: config.http.maxBytes,
    maxRedirects: config.http.maxRedirects,
    retries: 0,
    retryAfterCapMs: 0,
    perHostConcurrency: config.http.perHostConcurrency,
    userAgent: config.http.userAgent,
  });
  const result = await enrichThinStories({
    stories: context.stories,
    items: context.items,
    fetch: fetcher.fetch,
    cache: context.cache,
    now: context.now,
    options: config.enrich,
    log: context.log,
  });
  return result.items;
}
