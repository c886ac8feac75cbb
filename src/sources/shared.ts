/** Small helpers shared by the connectors: reading untyped JSON safely and resolving URLs. */
import { FetchError } from '../core/errors.js';
import { isSerializedHttpUrl } from '../core/url.js';

/** Parses a JSON body; a body that is not JSON is a FetchError of kind 'parse' ('empty' when blank). */
export function parseJsonBody(text: string, url: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new FetchError('empty', 'the response body is empty', { url });
  try {
    return JSON.parse(trimmed);
  } catch (error) {
    throw new FetchError('parse', `the response is not valid JSON: ${(error as Error).message}`, { url, cause: error });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty trimmed string, or undefined. Numbers are turned into strings (ids). */
export function stringOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A finite number (numeric strings such as "1,096" included), or undefined. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const cleaned = value.replace(/[,\s]/g, '');
    if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
    return Number(cleaned);
  }
  return undefined;
}

/** Resolves `href` against `base`; returns `href` unchanged when it cannot be resolved. */
export function resolveUrl(href: string, base?: string): string {
  // An absolute link in serialized form resolves to itself (and a base that does not parse leaves it so too).
  if (isSerializedHttpUrl(href)) return href;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

/** `href` resolved against `base` only when the result is an absolute http(s) URL. */
export function absoluteHttpUrl(href: string | undefined, base?: string): string | undefined {
  if (href === undefined) return undefined;
  try {
    const url = new URL(href, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Epoch seconds as an ISO 8601 UTC string. */
export function isoFromEpochSeconds(seconds: number): string | undefined {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Drops undefined-valued keys so that RawItems compare cleanly and serialise small. */
export function compact<T extends object>(value: T): T {
  // A new object rather than `delete`, which would leave the item a slow dictionary-mode object.
  const kept: Record<string, unknown> = {};
  // `for…in` with hasOwn visits what Object.entries gives (own enumerable string keys, in order)
  // without making an array per key.
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const entry = (value as Record<string, unknown>)[key];
    if (entry !== undefined) kept[key] = entry;
  }
  return kept as T;
}

/**
 * Runs of white space that are not already one space: replacing them with one space gives what
 * replacing every run (`/\s+/g`) gives, without rebuilding a text whose runs are all single spaces.
 */
const SPACE_RUN = /\s{2,}|[^\S ]/g;

/** `text` with every run of white space made one space. */
export function singleSpaced(text: string): string {
  return text.replace(SPACE_RUN, ' ');
}

/** `text` single-spaced and trimmed, or undefined when nothing is left. */
export function collapse(text: string | undefined): string | undefined {
  const collapsed = text === undefined ? undefined : singleSpaced(text).trim();
  return collapsed ? collapsed : undefined;
}

/** Removes empty and repeated strings, keeping the first spelling. */
export function uniqueStrings(values: (string | undefined)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const trimmed = value?.trim();
    if (!trimmed || seen.has(trimmed.toLowerCase())) continue;
    seen.add(trimmed.toLowerCase());
    out.push(trimmed);
  }
  return out;
}
