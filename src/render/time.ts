/**
 * Date formatting for renderers: UTC and a named IANA time zone, from ISO strings only (never the
 * clock), so that the same report renders the same text.
 */

/** Calendar parts of an instant in a time zone. */
export interface LocalParts {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM:SS (24 h) */
  time: string;
  /** "+08:00", "-05:00", "+00:00". */
  offset: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

/** The instant `iso` as seen in `timeZone`. */
export function localParts(iso: string, timeZone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(iso))) parts[part.type] = part.value;
  const zone = parts.timeZoneName ?? 'GMT';
  const match = /GMT([+-]\d{2}):?(\d{2})?/.exec(zone);
  const offset = match ? `${match[1]}:${match[2] ?? '00'}` : '+00:00';
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
    offset,
  };
}

/**
 * The report's timestamp for front matter: the run time in the report's zone with its offset
 * ("2026-08-22T10:00:00+08:00"). When the run time falls on another local day than the report
 * date (a report made later for an earlier date), midnight of the report date is used instead, so
 * that the date part always is the report date.
 */
export function reportTimestamp(date: string, runTimeIso: string, timeZone: string): string {
  const local = localParts(runTimeIso, timeZone);
  if (local.date === date) return `${date}T${local.time}${local.offset}`;
  // Offset at local noon of the report date (safe from DST transitions at midnight).
  const noonUtc = new Date(`${date}T12:00:00Z`).toISOString();
  return `${date}T00:00:00${localParts(noonUtc, timeZone).offset}`;
}

/** "2026-08-21 07:00 UTC" */
export function utcMinute(iso: string): string {
  const at = new Date(iso).toISOString();
  return `${at.slice(0, 10)} ${at.slice(11, 16)} UTC`;
}

/** "2026-08-21 15:00" in the zone (no zone name). */
export function localMinute(iso: string, timeZone: string): string {
  const local = localParts(iso, timeZone);
  return `${local.date} ${local.time.slice(0, 5)}`;
}
