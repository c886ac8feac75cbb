/**
 * The files of the published site besides a report's own: the index (`reports/_index.md`,
 * `reports/index.html`) and the feeds (`reports/feed.xml`, `reports/atom.xml`), built from the
 * report JSON files in the output folder plus the report being published. A JSON file that is not
 * a report of ours is left out of the index and named in a warning; it is never changed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { OutputFile } from '../publish/files.js';
import { renderAtom, renderRss } from '../render/feeds.js';
import {
  mergeSiteEntries,
  renderIndexHtml,
  renderIndexMarkdown,
  type SiteEntry,
  siteEntryFromJson,
} from '../render/site-index.js';

/** The report title without its date (src/analyze/labels.ts), for the feeds when none is configured. */
const DEFAULT_TITLE = { zh: 'AI 技术日报', en: 'AI Daily Report' } as const;

export const SITE_PATHS = {
  /** `_index.md`, not `index.md`: in Hugo an `index.md` makes the folder a leaf bundle and hides every report under it (docs/decisions/0140). */
  indexMarkdown: 'reports/_index.md',
  indexHtml: 'reports/index.html',
  rss: 'reports/feed.xml',
  atom: 'reports/atom.xml',
} as const;

/** Names of the folders and files that can hold a report: `YYYY`, `MM`, `YYYY-MM-DD[.lang].json`. */
function entriesOf(folder: string, pattern: RegExp): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => pattern.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/** Every report JSON file under `<outDir>/reports/`, as index entries; `warn` hears of each file left out. */
export function publishedSiteEntries(outDir: string, warn: (message: string) => void): SiteEntry[] {
  const reports = path.join(outDir, 'reports');
  const out: SiteEntry[] = [];
  for (const year of entriesOf(reports, /^\d{4}$/)) {
    for (const month of entriesOf(path.join(reports, year), /^\d{2}$/)) {
      for (const name of entriesOf(path.join(reports, year, month), /^\d{4}-\d{2}-\d{2}(?:\.[a-z]{2})?\.json$/)) {
        const relative = `${year}/${month}/${name}`;
        try {
          out.push(siteEntryFromJson(relative, readFileSync(path.join(reports, year, month, name), 'utf8')));
        } catch (error) {
          warn(`index: left out reports/${relative}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  }
  return out;
}

export interface SiteOptions {
  /** Language of the index pages and feeds (the configured language). */
  language: 'zh' | 'en';
  /** The feeds' title: the configured report title; absent → "AI 技术日报" / "AI Daily Report". */
  title?: string;
  siteUrl?: string;
}

/** The index and feed files for `entries` (already merged and ordered). */
export function siteFiles(entries: readonly SiteEntry[], options: SiteOptions): OutputFile[] {
  const feed = {
    title: options.title ?? DEFAULT_TITLE[options.language],
    language: options.language,
    ...(options.siteUrl === undefined ? {} : { siteUrl: options.siteUrl }),
  };
  return [
    { path: SITE_PATHS.indexMarkdown, content: renderIndexMarkdown(entries, options.language) },
    { path: SITE_PATHS.indexHtml, content: renderIndexHtml(entries, options.language) },
    { path: SITE_PATHS.rss, content: renderRss(entries, feed) },
    { path: SITE_PATHS.atom, content: renderAtom(entries, feed) },
  ];
}

/** The index entries after publishing `currentJson` at `currentJsonPath` (relative to the output folder). */
export function siteEntriesWith(
  outDir: string,
  currentJsonPath: string,
  currentJson: string,
  defaultLanguage: string,
  warn: (message: string) => void,
): SiteEntry[] {
  const current = siteEntryFromJson(currentJsonPath.replace(/^reports\//, ''), currentJson);
  return mergeSiteEntries(publishedSiteEntries(outDir, warn), current, defaultLanguage);
}
