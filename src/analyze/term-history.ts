/**
 * The term counts of the days before a report (the rising-topics baseline). A day counts only the
 * items of sources that were actually fetched for that day — a successful fetch inside that day's
 * window (or within FETCH_SLACK_MS after its end, when that day's run started): a feed first
 * collected today back-fills its older items, and a store that was not run for weeks has no fetch
 * on those days, so neither is a baseline for it (see docs/decisions/0040-rising-topics-and-terms.md).
 */
import type { DayTerms, ReportWindow } from '../core/run.js';
import type { Item } from '../core/types.js';
import { inWindow, windowQueryRange } from '../pipeline/window.js';
import { countTerms } from './terms.js';

/** What the history needs of the store (src/store/store.ts#Store has both). */
export interface TermHistoryStore {
  successfulFetchTimes(sourceIds?: string[]): Promise<Map<string, string[]>>;
  itemsPublishedBetween(start: string, end: string, sourceIds?: string[]): Promise<Item[]>;
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A day's run fetches right after its window ends (the window ends at the run time). */
const FETCH_SLACK_MS = 12 * 3_600_000;

/** Up to `days` earlier days, newest first; each with the sources collected by then (`collected`). */
export async function termHistory(
  store: TermHistoryStore,
  sourceIds: string[],
  window: Pick<ReportWindow, 'date' | 'start' | 'end'>,
  days = 7,
): Promise<DayTerms[]> {
  const fetchTimes = await store.successfulFetchTimes(sourceIds);
  const history: DayTerms[] = [];
  for (let back = 1; back <= days; back++) {
    // The same window, shifted back one day at a time, so that the days compare like for like.
    const shifted = {
      start: new Date(Date.parse(window.start) - back * 86_400_000).toISOString(),
      end: new Date(Date.parse(window.end) - back * 86_400_000).toISOString(),
    };
    const until = new Date(Date.parse(shifted.end) + FETCH_SLACK_MS).toISOString();
    const collected = sourceIds.filter((id) =>
      (fetchTimes.get(id) ?? []).some((time) => time > shifted.start && time <= until),
    );
    if (collected.length === 0) continue;
    const range = windowQueryRange(shifted);
    const dayItems: Item[] = (await store.itemsPublishedBetween(range.from, range.to, collected)).filter((item) =>
      inWindow(item, shifted),
    );
    history.push({ ...countTerms(dayItems), date: shiftDate(window.date, -back), collected: collected.sort() });
  }
  return history;
}
