/**
 * What must never appear in a published output: console logs, ANSI escapes, local paths and
 * credentials. The quality gate (src/render/quality-gate.ts) refuses an output that holds any; the
 * extractive summarizer never picks a source sentence that holds one, so that a source which
 * happens to write "Loading the model…" or "/usr/bin/python" cannot stop a day's report.
 */

/** Log-like lines: level tags, status emoji, loader chatter, timestamped log records, banners. */
export const LOG_LINE_PATTERNS: RegExp[] = [
  /^\s*\[?(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL)\]?(?:[:\s]|$)/m,
  /^\s*(?:✅|⚠️|⚠|❌|⏱️|⏱)/mu,
  /^\s*(?:Loading|Loaded) \S/m,
  /^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\s+\[?(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL)\b/m,
  /[╔╗╚╝║╠╣]|[═─━]{3,}|[┌┐└┘]/u,
  /^\s*(?:Session Statistics|Total MCP tools|Cleaning up|Step \d+ completed)/m,
];

/** Absolute paths of a machine (POSIX home/system folders, Windows drives, file URLs). */
export const ABSOLUTE_PATH_PATTERNS: RegExp[] = [
  /(?:^|[\s"'`(<[=:,;，；（])(?:\/(?:home|root|Users|tmp|work|var|etc|opt|mnt|srv|private|usr|proc)\/)/m,
  /(?:^|[\s"'`(<[=:,;，；（])~\/\S/m,
  /(?:^|[^A-Za-z0-9])[A-Za-z]:\\[^\s\\]/m,
  /file:\/\//i,
];

/** Things that look like credentials whatever the environment holds. */
export const SECRET_PATTERNS: RegExp[] = [
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{16,}/,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{12,}/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/,
  /\bAIza[0-9A-Za-z_-]{30,}/,
];

/** ANSI escape sequences, raw or written as an escape in JSON text. */
export function hasAnsi(text: string): boolean {
  return /\u001b|\\u001b|\u009b/i.test(text);
}

/** Whether a piece of text would trip the quality gate on its own (as a line of its own). */
export function isHazardous(text: string): boolean {
  return (
    hasAnsi(text) ||
    LOG_LINE_PATTERNS.some((pattern) => pattern.test(text)) ||
    ABSOLUTE_PATH_PATTERNS.some((pattern) => pattern.test(text)) ||
    SECRET_PATTERNS.some((pattern) => pattern.test(text))
  );
}
