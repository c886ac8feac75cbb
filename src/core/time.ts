/**
 * Time-zone arithmetic with Intl alone (no dependency), in one place: the report date, the window,
 * dates written without an offset, the renderers' local times and recordings all use it.
 */

/** Wall-clock parts of an instant in a time zone. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached formatter for `timezone`; throws RangeError for an unknown zone, as Intl does. */
function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
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
    formatters.set(timezone, formatter);
  }
  return formatter;
}

export function isTimeZone(timezone: string): boolean {
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timezone` at `instantMs`. */
export function wallClock(instantMs: number, timezone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Offset of `timezone` from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(instantMs: number, timezone: string): number {
  const p = wallClock(instantMs, timezone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** "+08:00", "-05:00", "+00:00" for an offset in ms. */
export function formatOffset(offsetMs: number): string {
  const minutes = Math.round(offsetMs / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The UTC instant (ms) of a wall-clock time in `timezone`; `wallAsUtcMs` is that wall time read as
 * if it were UTC. DST gaps resolve to the later offset.
 */
export function wallTimeToUtc(wallAsUtcMs: number, timezone: string): number {
  // Two passes settle the offset on either side of a DST change.
  let guess = wallAsUtcMs - zoneOffsetMs(wallAsUtcMs, timezone);
  guess = wallAsUtcMs - zoneOffsetMs(guess, timezone);
  return guess;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC instant (ms) of `date` (YYYY-MM-DD) at hour:minute in `timezone`. */
export function zonedTimeToUtc(date: string, hour: number, minute: number, timezone: string): number {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`invalid date "${date}": expected YYYY-MM-DD`);
  return wallTimeToUtc(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), hour, minute), timezone);
}

/** `instant`'s calendar date in `timezone`, YYYY-MM-DD. */
export function localDate(instant: Date, timezone: string): string {
  const p = wallClock(instant.getTime(), timezone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Whether YYYY-MM-DD names a real calendar day. */
export function isRealDate(date: string): boolean {
  const match = DATE_PATTERN.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
}

/** Days of each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number the decimal digits of `text` from `from` write (`count` of them); NaN where one is not a digit. */
function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let index = from; index < from + count; index++) {
    const digit = text.charCodeAt(index) - 0x30;
    if (!(digit >= 0 && digit <= 9)) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Whether `text` is what `new Date(Date.parse(text)).toISOString()` writes: "YYYY-MM-DDTHH:mm:ss.sssZ"
 * with every field in range (Date.parse takes "24:00" and 31 April, and rolls them over). A field
 * that is not digits is NaN, and every comparison with NaN is false.
 */
export function isCanonicalIso(text: string): boolean {
  if (text.length !== 24 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T') return false;
  if (text[13] !== ':' || text[16] !== ':' || text[19] !== '.' || text[23] !== 'Z') return false;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 0);
  return (
    year >= 0 &&
    day >= 1 &&
    day <= monthDays &&
    digitsAt(text, 11, 2) <= 23 &&
    digitsAt(text, 14, 2) <= 59 &&
    digitsAt(text, 17, 2) <= 59 &&
    digitsAt(text, 20, 3) >= 0
  );
}

/**
 * Date.parse(text), read without the parser when `text` is written as toISOString writes it
 * ({@link isCanonicalIso}: every stored item's time is) and its year is 1000 or later (Date.UTC
 * would read a year below 100 as 19xx): a day's items are timed by the hundred thousand.
 */
export function timeMs(text: string): number {
  if (!isCanonicalIso(text) || text.charCodeAt(0) === 0x30) return Date.parse(text);
  return Date.UTC(
    digitsAt(text, 0, 4),
    digitsAt(text, 5, 2) - 1,
    digitsAt(text, 8, 2),
    digitsAt(text, 11, 2),
    digitsAt(text, 14, 2),
    digitsAt(text, 17, 2),
    digitsAt(text, 20, 3),
  );
}
