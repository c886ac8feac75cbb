/**
 * Date formatting for renderers: UTC and a named IANA time zone, from ISO strings only (never the
 * clock), so that the same report renders the same text.
 */
import { formatOffset, wallClock, zoneOffsetMs } from '../core/time.js';

/** Calendar parts of an instant in a time zone. */
export interface LocalParts {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM:SS (24 h) */
  time: string;
  /** "+08:00", "-05:00", "+00:00". */
  offset: string;
}

/** The instant `iso` as seen in `timeZone`. */
export function localParts(iso: string, timeZone: string): LocalParts {
  const instantMs = Date.parse(iso);
  const p = wallClock(instantMs, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)}`,
    time: `${two(p.hour)}:${two(p.minute)}:${two(p.second)}`,
    offset: formatOffset(zoneOffsetMs(instantMs, timeZone)),
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
