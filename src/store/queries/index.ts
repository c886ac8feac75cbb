/**
 * The named reads the web app makes (one module per concern), bound to one open store. The web app
 * is handed a `WebQueries`, never the `Store`: it sees plain rows, no database handle and no SQL.
 */
import type { Store } from '../store.js';
import {
  listReports,
  type PublishedStoryRow,
  type ReportEntry,
  reportsOfDate,
  type StoryLanguages,
  sectionCountsSince,
  storiesOfDates,
} from './reports.js';
import { listRunsWithStages, type RunRow, type RunStageRow } from './runs.js';
import { type ItemHit, type SearchResult, search } from './search.js';
import {
  type AvailabilityRow,
  latestFetchAt,
  type SourceStatusRow,
  sourceAvailability,
  sourceStatuses,
} from './sources.js';
import { type StoryDetail, type StoryItemRow, storyDetail } from './stories.js';

export type {
  AvailabilityRow,
  ItemHit,
  PublishedStoryRow,
  ReportEntry,
  RunRow,
  RunStageRow,
  SearchResult,
  SourceStatusRow,
  StoryDetail,
  StoryItemRow,
  StoryLanguages,
};

/**
 * `languages` (a report written in two languages on one day keeps each one's stories): which copy of
 * each story a read gives — `only` one language's, else each story once in the preferred language of
 * its report (`StoryLanguages`); without it, each story once in the first language by name.
 */
export interface WebQueries {
  listReports(limit?: number): Promise<ReportEntry[]>;
  reportsOfDate(date: string): Promise<ReportEntry[]>;
  storiesOfDates(dates: readonly string[], report?: string, languages?: StoryLanguages): Promise<PublishedStoryRow[]>;
  sectionCountsSince(
    since: string,
    report?: string,
    languages?: StoryLanguages,
  ): Promise<{ date: string; section: string; stories: number; items: number }[]>;
  storyDetail(
    storyId: string,
    date?: string,
    report?: string,
    languages?: StoryLanguages,
  ): Promise<StoryDetail | undefined>;
  search(query: string, limit?: number, report?: string, languages?: StoryLanguages): Promise<SearchResult>;
  sourceStatuses(now: Date): Promise<SourceStatusRow[]>;
  sourceAvailability(since: string): Promise<AvailabilityRow[]>;
  latestFetchAt(): Promise<string | undefined>;
  /** The latest runs, newest first; with `report`, that report's only. */
  runs(limit?: number, report?: string): Promise<RunRow[]>;
}

export function webQueries(store: Store): WebQueries {
  return {
    listReports: (limit) => listReports(store, limit),
    reportsOfDate: (date) => reportsOfDate(store, date),
    storiesOfDates: (dates, report, languages) => storiesOfDates(store, dates, report, languages),
    sectionCountsSince: (since, report, languages) => sectionCountsSince(store, since, report, languages),
    storyDetail: (storyId, date, report, languages) => storyDetail(store, storyId, date, report, languages),
    search: (query, limit, report, languages) => search(store, query, limit, report, languages),
    sourceStatuses: (now) => sourceStatuses(store, now),
    sourceAvailability: (since) => sourceAvailability(store, since),
    latestFetchAt: () => latestFetchAt(store),
    runs: (limit, report) => listRunsWithStages(store, limit, report),
  };
}
