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
import type { Item } from '../core/types.js';

/** Local hour at which the window of an explicit past date ends (the default 10:00 schedule). */
export const EXPLICIT_DATE_END_HOUR = 10;

const HOUR_MS = 3_600_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatterCache = new Map<string, Intl.DateTimeFormat>();

/** A formatter for `timezone` (throws RangeError for an unknown zone, like Intl itself). */
function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatterCache.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatterCache.set(timezone, formatter);
  }
  return formatter;
}

/** Wall-clock parts of an instant in a time zone. */
function localParts(instantMs: number, timezone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Offset of `timezone` from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
function zoneOffsetMs(instantMs: number, timezone: string): number {
  const p = localParts(instantMs, timezone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** The UTC instant of a wall-clock time in `timezone` (DST gaps resolve to the later offset). */
export function zonedTimeToUtc(date: string, hour: number, minute: number, timezone: string): number {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`invalid date "${date}": expected YYYY-MM-DD`);
  const wallAsUtc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), hour, minute);
  // Two passes settle the offset on either side of a DST change.
  let guess = wallAsUtc - zoneOffsetMs(wallAsUtc, timezone);
  guess = wallAsUtc - zoneOffsetMs(guess, timezone);
  return guess;
}

/** `instant`'s calendar date in `timezone`, YYYY-MM-DD. */
export function localDate(instant: Date, timezone: string): string {
  const p = localParts(instant.getTime(), timezone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

function isRealDate(date: string): boolean {
  const match = DATE_PATTERN.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
}

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
