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
