/**
 * The report window: which calendar day a report is for and which items it covers.
 *
 * Pure: `now` is a parameter and time-zone math uses `Intl.DateTimeFormat` only.
 *
 * Rules (documented here because every output depends on them):
 * - Without an explicit date, the report date is `now`'s calendar date in `timezone` and the window
 *   ends at `now` (the run time).
 * - With an explicit date (`--date YYYY-MM-DD`):
 *   - the same date as `now`'s local date behaves exactly like no date (the window ends at `now`), so
 *     `run` and `run --date <today>` agree;
 *   - a past date ends at that date's {@link EXPLICIT_DATE_END_HOUR}:00 local time (the default
 *     schedule time), so re-running a past day always covers the same hours whatever time it is now;
 *   - a future date is an error (RangeError): nothing can be reported about it.
 * - The window is the half-open interval (start, end]: an item published exactly at the run time is in,
 *   one published exactly `hours` before it is out.
 */
import type { ReportWindow } from '../core/run.js';
import { isRealDate, localDate, zonedTimeToUtc } from '../core/time.js';
import type { Item } from '../core/types.js';

export { localDate, zonedTimeToUtc };

/** Local hour at which the window of an explicit past date ends (the default 10:00 schedule). */
export const EXPLICIT_DATE_END_HOUR = 10;

const HOUR_MS = 3_600_000;
/**
 * The report window for a run at `now`.
 *
 * @param now the run time
 * @param timezone IANA zone of the report date (e.g. "Asia/Shanghai"); RangeError when unknown
 * @param hours window length in hours (> 0)
 * @param date explicit report date YYYY-MM-DD (`--date`); see the module comment for its end time
 */
export function reportWindow(now: Date, timezone: string, hours: number, date?: string): ReportWindow {
  if (!Number.isFinite(now.getTime())) throw new RangeError('invalid run time');
  if (!(hours > 0) || !Number.isFinite(hours)) throw new RangeError(`invalid window length ${hours}h`);
  const today = localDate(now, timezone);
  let reportDate = today;
  let endMs = now.getTime();
  if (date !== undefined && date !== today) {
    if (!isRealDate(date)) throw new RangeError(`invalid date "${date}": expected YYYY-MM-DD`);
    if (date > today) throw new RangeError(`report date ${date} is after today (${today} in ${timezone})`);
    reportDate = date;
    endMs = Math.min(endMs, zonedTimeToUtc(date, EXPLICIT_DATE_END_HOUR, 0, timezone));
  }
  const startMs = endMs - hours * HOUR_MS;
  return {
    date: reportDate,
    timezone,
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    hours,
  };
}

const DAY_MS = 86_400_000;

/**
 * Whether a stored date carries only a day, not a time: sources that publish dates without a time
 * (Anthropic's and Meta's scraped feeds, Hugging Face's daily lists) are stored at midnight UTC.
 */
export function isDayPrecision(publishedAt: string): boolean {
  return publishedAt.endsWith('T00:00:00.000Z');
}

/**
 * Whether an item's publishedAt lies in the window (start, end]. A date without a time counts for
 * its whole UTC day: it is in when that day overlaps the window (so a post dated the day the window
 * starts is not lost because the window starts at 02:00). An unparsable date is outside.
 * The one window rule: the stories stage, the analysis and the quality gate all use it.
 */
export function inWindow(item: Pick<Item, 'publishedAt'>, window: Pick<ReportWindow, 'start' | 'end'>): boolean {
  const publishedMs = Date.parse(item.publishedAt);
  if (Number.isNaN(publishedMs)) return false;
  const startMs = Date.parse(window.start);
  const endMs = Date.parse(window.end);
  if (isDayPrecision(item.publishedAt)) return publishedMs <= endMs && publishedMs + DAY_MS > startMs;
  return publishedMs > startMs && publishedMs <= endMs;
}

/** The instants a store query must cover so that `inWindow` sees every candidate: [start - 1 day, end]. */
export function windowQueryRange(window: Pick<ReportWindow, 'start' | 'end'>): { from: string; to: string } {
  return {
    from: new Date(Date.parse(window.start) - DAY_MS).toISOString(),
    to: new Date(Date.parse(window.end) + 1).toISOString(),
  };
}

/** Items split into those inside the window and the rest, each in input order. */
export function splitByWindow<T extends Pick<Item, 'publishedAt'>>(
  items: readonly T[],
  window: ReportWindow,
): { inside: T[]; outside: T[] } {
  const inside: T[] = [];
  const outside: T[] = [];
  for (const item of items) {
    if (inWindow(item, window)) inside.push(item);
    else outside.push(item);
  }
  return { inside, outside };
}
