/**
 * RSS 2.0 (`reports/feed.xml`) and Atom 1.0 (`reports/atom.xml`) feeds of the published reports,
 * one entry per report linking its HTML page. With `output.siteUrl` the links are absolute; without
 * it they are paths relative to the feed's folder, and a comment in the feed says so. Pure and
 * deterministic: every date comes from the entries (never the clock), so the same entries give
 * byte-identical feeds.
 */
import type { SiteEntry } from './site-index.js';

export interface FeedOptions {
  /** The feed's title (the configured report title). */
  title: string;
  language: 'zh' | 'en';
  /** Public address of the output folder (`output.siteUrl`); absent → relative links. */
  siteUrl?: string;
}

/**
 * Text as XML character data or a quoted attribute value: markup characters become entities and
 * characters XML 1.0 does not allow (controls, lone surrogates, U+FFFE/U+FFFF) are dropped.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const RELATIVE_NOTE = '<!-- output.siteUrl is not set: links are relative to the folder of this feed -->';

/** A path under the output folder's `reports/` as the feed links it. */
function linkFor(relative: string, siteUrl: string | undefined): string {
  if (siteUrl === undefined) return relative;
  const base = siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`;
  return new URL(`reports/${relative}`, base).href;
}

/** The latest run time of the entries (ISO strings of one form sort by time). */
function newest(entries: readonly SiteEntry[]): string {
  return (
    entries
      .map((entry) => entry.generatedAt)
      .sort()
      .at(-1) ?? '1970-01-01T00:00:00Z'
  );
}

function languageTag(language: 'zh' | 'en'): string {
  return language === 'zh' ? 'zh-CN' : 'en';
}

/** RSS 2.0: one `<item>` per report, newest first (the order of `entries`). */
export function renderRss(entries: readonly SiteEntry[], options: FeedOptions): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  if (options.siteUrl === undefined) lines.push(RELATIVE_NOTE);
  lines.push(
    '<rss version="2.0">',
    '<channel>',
    `<title>${escapeXml(options.title)}</title>`,
    `<link>${escapeXml(linkFor('index.html', options.siteUrl))}</link>`,
    `<description>${escapeXml(options.title)}</description>`,
    `<language>${languageTag(options.language)}</language>`,
    `<lastBuildDate>${new Date(newest(entries)).toUTCString()}</lastBuildDate>`,
    '<generator>ai-daily</generator>',
  );
  for (const entry of entries) {
    const link = escapeXml(linkFor(`${entry.base}.html`, options.siteUrl));
    lines.push(
      '<item>',
      `<title>${escapeXml(entry.title)}</title>`,
      `<link>${link}</link>`,
      `<guid isPermaLink="${options.siteUrl === undefined ? 'false' : 'true'}">${link}</guid>`,
      `<pubDate>${new Date(entry.generatedAt).toUTCString()}</pubDate>`,
      ...(entry.description ? [`<description>${escapeXml(entry.description)}</description>`] : []),
      '</item>',
    );
  }
  lines.push('</channel>', '</rss>', '');
  return lines.join('\n');
}

/** Atom 1.0: one `<entry>` per report, newest first; ids are the links, or `urn:` names without a site URL. */
export function renderAtom(entries: readonly SiteEntry[], options: FeedOptions): string {
  const id = (relative: string, urn: string) =>
    options.siteUrl === undefined ? urn : linkFor(relative, options.siteUrl);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  if (options.siteUrl === undefined) lines.push(RELATIVE_NOTE);
  lines.push(
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${languageTag(options.language)}">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<id>${escapeXml(id('atom.xml', 'urn:ai-daily:reports'))}</id>`,
    `<updated>${new Date(newest(entries)).toISOString()}</updated>`,
    `<link rel="alternate" type="text/html" href="${escapeXml(linkFor('index.html', options.siteUrl))}"/>`,
    ...(options.siteUrl === undefined
      ? []
      : [`<link rel="self" type="application/atom+xml" href="${escapeXml(linkFor('atom.xml', options.siteUrl))}"/>`]),
    '<author><name>ai-daily</name></author>',
    '<generator>ai-daily</generator>',
  );
  for (const entry of entries) {
    const link = escapeXml(linkFor(`${entry.base}.html`, options.siteUrl));
    lines.push(
      `<entry xml:lang="${languageTag(entry.language)}">`,
      `<title>${escapeXml(entry.title)}</title>`,
      `<link rel="alternate" type="text/html" href="${link}"/>`,
      `<id>${escapeXml(id(`${entry.base}.html`, `urn:ai-daily:report:${entry.base.split('/').pop()}`))}</id>`,
      `<updated>${new Date(entry.generatedAt).toISOString()}</updated>`,
      ...(entry.description ? [`<summary>${escapeXml(entry.description)}</summary>`] : []),
      '</entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
