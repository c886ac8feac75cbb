/**
 * What the page says about the day itself, the same in every renderer: whether it was a quiet day
 * (one line at the top), the failed sources as one count (with the details folded away), and why
 * a data section is left out.
 */
import type { FetchErrorKind } from '../core/errors.js';
import type { Report } from '../core/report.js';
import type { ManifestSource } from '../core/run.js';
import type { RenderStrings } from './i18n.js';

/**
 * Fewer selected stories than this is a quiet day: about half the median day. The seven labelled
 * days of the editorial benchmark (test/fixtures/editorial: default preset and feeds of one's own,
 * 1 to 31 sources) selected 9, 10, 12, 15, 18, 19 and 19 stories (median 15), so a day under 8
 * had clearly less news than usual, not merely a short list of feeds.
 */
export const QUIET_DAY_STORIES = 8;
/**
 * Fewer than this share of the attempted sources fetched: the report may be incomplete. The
 * labelled days fetched every source, except the two recorded default-preset days (8 and 5 of 31,
 * where the captures hold only those), which the reader should be told about.
 */
export const QUIET_DAY_SOURCE_SHARE = 0.5;

export interface QuietDay {
  stories: number;
  fewStories: boolean;
  ok: number;
  attempted: number;
  fewSources: boolean;
}

function attemptedSources(report: Report): ManifestSource[] {
  return report.manifest.sources.filter((source) => source.status !== 'disabled');
}

function fetched(source: ManifestSource): boolean {
  return source.status === 'ok' || source.status === 'not-modified';
}

/** The quiet-day note's facts, or undefined on an ordinary day. */
export function quietDay(report: Report): QuietDay | undefined {
  const stories = report.sections.reduce((sum, section) => sum + section.stories.length, 0);
  const attempted = attemptedSources(report);
  const ok = attempted.filter(fetched).length;
  const fewStories = stories < QUIET_DAY_STORIES;
  const fewSources = attempted.length > 0 && ok < attempted.length * QUIET_DAY_SOURCE_SHARE;
  if (!fewStories && !fewSources) return undefined;
  return { stories, fewStories, ok, attempted: attempted.length, fewSources };
}

/** The sources that failed, each with its reason in the report's language. */
export function failedSources(
  report: Report,
  strings: RenderStrings,
): { name: string; kind: FetchErrorKind | 'unknown'; reason: string }[] {
  return attemptedSources(report)
    .filter((source) => source.status === 'failed')
    .map((source) => {
      const kind = source.errorKind ?? 'unknown';
      return { name: source.name, kind, reason: strings.errorKinds[kind] };
    });
}

/** "23 sources could not be fetched today (20 unavailable; 3 timed out)": one line, or undefined when none failed. */
export function failedSourcesLine(report: Report, strings: RenderStrings): string | undefined {
  const failed = failedSources(report, strings);
  if (failed.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const source of failed) counts.set(source.reason, (counts.get(source.reason) ?? 0) + 1);
  const kinds = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([reason, count]) => strings.failedKindCount(reason, count))
    .join(strings.listSeparator);
  return `${strings.failedSources(failed.length)}${strings.parenthesize(kinds)}`;
}

/** Why the rising-topics section is left out (not enough history, or nothing rose); undefined when it is shown. */
export function risingTopicsNote(report: Report, strings: RenderStrings): string | undefined {
  const data = report.dataSections;
  if (data.risingTopics.length > 0) return undefined;
  if (data.baselineDays < data.minBaselineDays)
    return strings.risingNoBaseline(data.baselineDays, data.minBaselineDays);
  return strings.risingNone(data.baselineDays);
}

/** Whether the data insights have anything to show (else the section is left out). */
export function hasDataSections(report: Report): boolean {
  const data = report.dataSections;
  return (
    data.risingTopics.length > 0 ||
    data.topRepositories.length > 0 ||
    data.topModels.length > 0 ||
    data.topPapers.length > 0
  );
}
