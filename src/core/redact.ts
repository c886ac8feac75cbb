/**
 * Secret redaction. The config loader registers every value that came from the environment
 * (`${VAR}`) and every password written in a URL's userinfo; `redact(text)` replaces them with
 * `***` wherever text leaves the process: log lines, error messages, `sources list`, the fetch log
 * and the source outcomes that the report's "about" section shows. Requests use the real values.
 */

export const REDACTED = '***';

/** Values shorter than this are not treated as secrets: redacting "en" or "1" would garble every line. */
export const MIN_SECRET_LENGTH = 6;

const secrets = new Set<string>();
let patterns: string[] = [];

/** Adds secret values (the forms they take in a URL and in JSON are covered too). */
export function registerSecrets(values: Iterable<string>): void {
  let changed = false;
  for (const value of values) {
    if (value.length < MIN_SECRET_LENGTH) continue;
    for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) {
      if (form.length >= MIN_SECRET_LENGTH && !secrets.has(form)) {
        secrets.add(form);
        changed = true;
      }
    }
  }
  // Longest first, so that a secret containing another is replaced whole.
  if (changed) patterns = [...secrets].sort((a, b) => b.length - a.length);
}

/** Forgets every registered secret (tests). */
export function clearSecrets(): void {
  secrets.clear();
  patterns = [];
}

/** `scheme://user:password@` and `scheme://token@` in URLs. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;

/** Replaces every registered secret and every URL userinfo in `text` with `***`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of patterns) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out.replace(USERINFO, `$1${REDACTED}@`);
}

/** The secrets a URL carries in its userinfo (user name and password, raw and decoded). */
export function userinfoSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    const out: string[] = [];
    for (const part of [parsed.username, parsed.password]) {
      if (part === '') continue;
      out.push(part);
      try {
        out.push(decodeURIComponent(part));
      } catch {
        // A malformed escape: the raw form is registered already.
      }
    }
    return out;
  } catch {
    return [];
  }
}
