/**
 * HTML for the web app's pages: a tagged template that escapes every value it is given (source
 * text never reaches a page raw), links that can only point at http(s) URLs or our own routes,
 * and the one page frame (site navigation, search form, the style sheet as a file: the
 * Content-Security-Policy allows no inline style or script).
 */
import { escapeHtml, htmlHref } from '../render/html.js';
import { LANGUAGE_NAMES, labels, WEB_LANGUAGES, type WebLanguage } from './labels.js';

/** HTML that is already safe (built by `h` or escaped): written as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Trusted markup of ours (never source text). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function piece(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(piece).join('');
  return escapeHtml(String(value));
}

/** `h\`<p>${text}</p>\``: every value escaped, unless it is SafeHtml (or an array of such). */
export function h(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += piece(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * A link to a collected URL: `<a href>` only for an http(s) URL (percent-encoded as the report
 * renderers write it), the text alone for anything else (`javascript:`, `data:`, a relative path).
 */
export function externalLink(url: string | undefined, text: string): SafeHtml {
  const href = url === undefined ? undefined : htmlHref(url);
  if (!href) return h`${text}`;
  return raw(`<a href="${href}" rel="noopener noreferrer nofollow" class="external">${escapeHtml(text)}</a>`);
}

/** Code in running text (a command, a setting). */
export function code(text: string): SafeHtml {
  return h`<code>${text}</code>`;
}

/** A link to one of our own routes; each path segment is percent-encoded. */
export function localLink(path: string, text: string, attributes = ''): SafeHtml {
  return raw(`<a href="${escapeHtml(path)}"${attributes}>${escapeHtml(text)}</a>`);
}

/** A query string of the set values (`?a=1&b=2`, or '' when none is set). */
export function queryOf(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params).flatMap(([key, value]) =>
    value ? [`${key}=${encodeURIComponent(value)}`] : [],
  );
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/**
 * A story's page; `report` is left out where the deployment has one report, `language` where the
 * copy is in its report's own language.
 */
export function storyPath(storyId: string, date?: string, report?: string, language?: string): string {
  return `/stories/${encodeURIComponent(storyId)}${queryOf({ date, report, lang: language })}`;
}

/** A report's page; `report` is left out where the deployment has one report. */
export function reportPath(date: string, language?: string, report?: string): string {
  return `/reports/${encodeURIComponent(date)}${queryOf({ report, lang: language })}`;
}

const NAV: readonly [string, 'archive' | 'search' | 'sources' | 'runs'][] = [
  ['/', 'archive'],
  ['/search', 'search'],
  ['/sources', 'sources'],
  ['/runs', 'runs'],
];

export interface PageOptions {
  title: string;
  /** Which entry of the site navigation is this page (its path). */
  current?: string;
  /** The query shown in the search form. */
  query?: string;
  /**
   * The report the page is about, where the deployment has several: the site navigation and the
   * header's search form keep it, so a reader of one report stays within it.
   */
  report?: string;
  /** Extra style sheets (our own paths). */
  styles?: string[];
  /** The page's own content; `main` wraps it unless `bare` (a report page brings its own). */
  body: SafeHtml;
  bare?: boolean;
  /** The language the page's chrome speaks (and `<html lang>` says, unless `htmlLang`). */
  lang: WebLanguage;
  /** `<html lang>` where the page's content says it otherwise (a report page: its renderer's `zh-CN`). */
  htmlLang?: string;
  /** The `lang` the site navigation and the header's search form keep (none: the deployment's own). */
  keepLang?: WebLanguage;
  /** This page in each language (the header's language switch); absent: no switch (a report's or story's page has its copies). */
  switchTo?: Record<WebLanguage, string>;
  siteTitle: string;
}

/** The frame of every page: doctype, head, the site header with navigation and search, the body. */
export function page(options: PageOptions): string {
  const styles = ['/static/app.css', ...(options.styles ?? [])];
  const words = labels(options.lang);
  const within = queryOf({ report: options.report, lang: options.keepLang });
  const nav = NAV.map(([path, key]) => [path, words[key]] as const).map(([path, label]) =>
    path === options.current
      ? h`<li><a href="${path}${within}" aria-current="page">${label}</a></li>`
      : h`<li><a href="${path}${within}">${label}</a></li>`,
  );
  const keep = h`${options.report ? h`<input type="hidden" name="report" value="${options.report}">` : ''}${
    options.keepLang ? h`<input type="hidden" name="lang" value="${options.keepLang}">` : ''
  }`;
  const switchTo = options.switchTo;
  const languageSwitch = switchTo
    ? h`<p class="language-switch" role="group" aria-label="${words.languageSwitch}">${WEB_LANGUAGES.map(
        (language, i) =>
          language === options.lang
            ? h`${i > 0 ? ' / ' : ''}<strong lang="${language}">${LANGUAGE_NAMES[language]}</strong>`
            : h`${i > 0 ? ' / ' : ''}${localLink(switchTo[language], LANGUAGE_NAMES[language], ` lang="${language}" hreflang="${language}"`)}`,
      )}</p>`
    : '';
  const content = options.bare ? options.body : h`<main id="main">${options.body}</main>`;
  return h`<!DOCTYPE html>
<html lang="${options.htmlLang ?? options.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${options.title} · ${options.siteTitle}</title>
${styles.map((href) => raw(`<link rel="stylesheet" href="${escapeHtml(href)}">\n`))}</head>
<body>
<div class="site">
<nav class="site-nav" aria-label="${words.siteNav}"><a class="brand" href="/${queryOf({ lang: options.keepLang })}">${options.siteTitle}</a><ul>${nav}</ul>
<form class="search" action="/search" method="get" role="search"><input type="search" name="q" value="${options.query ?? ''}" placeholder="${words.search}" aria-label="${words.search}">${keep}<button type="submit">${words.search}</button></form>
${languageSwitch}</nav>
</div>
${content}
<footer class="site-footer"><p>${words.footer}</p></footer>
</body>
</html>
`.value;
}

/** A date-time as `YYYY-MM-DD HH:MM UTC` in a <time> element. */
export function time(iso: string | undefined): SafeHtml {
  if (!iso) return h`—`;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return h`${iso}`;
  const text = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return h`<time datetime="${new Date(ms).toISOString()}">${text}</time>`;
}

export function percent(value: number): string {
  return `${(value * 100).toFixed(value > 0 && value < 0.1 ? 1 : 0)}%`;
}

/** Text with every occurrence of the terms (case-insensitive) in <mark>; all of it escaped. */
export function highlight(text: string, terms: readonly string[]): SafeHtml {
  const wanted = terms.filter((term) => term.length > 0).map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (wanted.length === 0) return h`${text}`;
  const parts = text.split(new RegExp(`(${wanted.join('|')})`, 'giu'));
  return h`${parts.map((part, index) => (index % 2 === 1 ? h`<mark>${part}</mark>` : h`${part}`))}`;
}
