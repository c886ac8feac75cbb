/**
 * The index of all published reports, newest first: `reports/_index.md` and `reports/index.html`.
 * Built from `SiteEntry` values (what a report's JSON file says about it), never from the file
 * system directly, so that it is pure: the same entries give byte-identical pages.
 */
import { escapeHtml, htmlPage } from './html.js';
import { escapeMarkdown } from './markdown.js';

/** One published report as the index and the feeds list it. */
export interface SiteEntry {
  date: string;
  language: 'zh' | 'en';
  title: string;
  description: string;
  /** ISO 8601 UTC (the report's run time). */
  generatedAt: string;
  /** The report's base path relative to the `reports/` folder, without extension: `YYYY/MM/YYYY-MM-DD[.en]`. */
  base: string;
}

const REPORT_JSON_NAME = /^(\d{4})\/(\d{2})\/(\1-\2-\d{2})(?:\.(zh|en))?\.json$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z$/;

/**
 * The entry of one report JSON file, `relativePath` being relative to the `reports/` folder
 * (`2026/08/2026-08-22.json`). Throws an Error that says what is wrong when the name or the
 * content is not a report of ours (the caller skips that file and says so).
 */
export function siteEntryFromJson(relativePath: string, text: string): SiteEntry {
  const name = REPORT_JSON_NAME.exec(relativePath);
  if (!name) throw new Error(`${relativePath} is not named like a report (YYYY/MM/YYYY-MM-DD[.lang].json)`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${relativePath} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`${relativePath} does not hold a JSON object`);
  }
  const report = data as Record<string, unknown>;
  const text_ = (field: string): string => {
    const value = report[field];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new Error(`${relativePath}: "${field}" is missing or not a non-empty string`);
    }
    return value;
  };
  const date = text_('date');
  if (date !== name[3]) throw new Error(`${relativePath}: date ${JSON.stringify(date)} differs from its file name`);
  const language = text_('language');
  if (language !== 'zh' && language !== 'en') throw new Error(`${relativePath}: language must be zh or en`);
  const generatedAt = text_('generatedAt');
  if (!ISO_UTC.test(generatedAt) || Number.isNaN(Date.parse(generatedAt))) {
    throw new Error(`${relativePath}: generatedAt ${JSON.stringify(generatedAt.slice(0, 40))} is not an ISO UTC time`);
  }
  const description = typeof report.description === 'string' ? report.description : '';
  return {
    date,
    language,
    title: text_('title'),
    description,
    generatedAt,
    base: relativePath.replace(/\.json$/, ''),
  };
}

/**
 * `entries` plus `current`, one entry per base path (`current` wins), newest date first; on one
 * day the default language first, then by path, so the order never depends on the file system.
 */
export function mergeSiteEntries(
  entries: readonly SiteEntry[],
  current: SiteEntry | undefined,
  defaultLanguage: string,
): SiteEntry[] {
  const byBase = new Map<string, SiteEntry>();
  for (const entry of entries) byBase.set(entry.base, entry);
  if (current) byBase.set(current.base, current);
  return [...byBase.values()].sort(
    (a, b) =>
      (a.date < b.date ? 1 : a.date > b.date ? -1 : 0) ||
      Number(b.language === defaultLanguage) - Number(a.language === defaultLanguage) ||
      (a.base < b.base ? -1 : a.base > b.base ? 1 : 0),
  );
}

const INDEX_TITLE = { zh: '日报索引', en: 'All reports' } as const;
const FEED_LABELS = { zh: { rss: 'RSS 订阅', atom: 'Atom 订阅' }, en: { rss: 'RSS feed', atom: 'Atom feed' } } as const;

/** `reports/_index.md`: front matter, a heading and one line per report, linking its Markdown file (relative). */
export function renderIndexMarkdown(entries: readonly SiteEntry[], language: 'zh' | 'en'): string {
  // Front matter for Hugo (the section page's title) and Jekyll/Hexo alike; the title is our own text.
  const lines = ['---', `title: "${INDEX_TITLE[language]}"`, '---', '', `# ${INDEX_TITLE[language]}`, ''];
  for (const entry of entries) {
    const lang = entry.language === language ? '' : ` (${entry.language})`;
    lines.push(`- [${entry.date}${lang} — ${escapeMarkdown(entry.title)}](${entry.base}.md)`);
  }
  lines.push('', `[${FEED_LABELS[language].rss}](feed.xml) · [${FEED_LABELS[language].atom}](atom.xml)`);
  return `${lines.join('\n')}\n`;
}

/** `reports/index.html`: the same list as a standalone page (no script, same policy as a report page). */
export function renderIndexHtml(entries: readonly SiteEntry[], language: 'zh' | 'en'): string {
  const title = escapeHtml(INDEX_TITLE[language]);
  const items = entries.map((entry) => {
    const lang = entry.language === language ? '' : ` <span class="lang">(${entry.language})</span>`;
    const description = entry.description ? `<br><span class="note">${escapeHtml(entry.description)}</span>` : '';
    return `<li lang="${entry.language === 'zh' ? 'zh-CN' : 'en'}"><time datetime="${entry.date}">${entry.date}</time>${lang} — <a href="${escapeHtml(entry.base)}.html">${escapeHtml(entry.title)}</a>${description}</li>`;
  });
  return htmlPage({
    lang: language === 'zh' ? 'zh-CN' : 'en',
    title: INDEX_TITLE[language],
    head: [
      '<link rel="alternate" type="application/rss+xml" href="feed.xml">',
      '<link rel="alternate" type="application/atom+xml" href="atom.xml">',
      `<style>${INDEX_STYLE}</style>`,
    ],
    body: [
      `<h1>${title}</h1>`,
      '<ul>',
      ...items,
      '</ul>',
      `<p class="note"><a href="feed.xml">${escapeHtml(FEED_LABELS[language].rss)}</a> · <a href="atom.xml">${escapeHtml(FEED_LABELS[language].atom)}</a></p>`,
    ],
  });
}

const INDEX_STYLE = [
  ':root{color-scheme:light dark}',
  'body{margin:0 auto;max-width:46rem;padding:1rem 1.1rem 3rem;line-height:1.7;font-size:17px;',
  'font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;',
  'overflow-wrap:anywhere}',
  'ul{padding-left:1.2rem}li{margin:.5rem 0}.note,.lang{color:#6e7781;font-size:.92rem}',
].join('');
