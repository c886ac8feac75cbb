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
};

export interface WebQueries {
  listReports(limit?: number): Promise<ReportEntry[]>;
  reportsOfDate(date: string): Promise<ReportEntry[]>;
  storiesOfDates(dates: readonly string[], report?: string): Promise<PublishedStoryRow[]>;
  sectionCountsSince(
    since: string,
    report?: string,
  ): Promise<{ date: string; section: string; stories: number; items: number }[]>;
  storyDetail(storyId: string, date?: string, report?: string): Promise<StoryDetail | undefined>;
  search(query: string, limit?: number, report?: string): Promise<SearchResult>;
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
    storiesOfDates: (dates, report) => storiesOfDates(store, dates, report),
    sectionCountsSince: (since, report) => sectionCountsSince(store, since, report),
    storyDetail: (storyId, date, report) => storyDetail(store, storyId, date, report),
    search: (query, limit, report) => search(store, query, limit, report),
    sourceStatuses: (now) => sourceStatuses(store, now),
    sourceAvailability: (since) => sourceAvailability(store, since),
    latestFetchAt: () => latestFetchAt(store),
    runs: (limit, report) => listRunsWithStages(store, limit, report),
  };
}
