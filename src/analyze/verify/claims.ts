/**
 * What a sentence claims and whether the items it cites support each claim (see ./index.ts for
 * the whole contract). The cited excerpts are grouped by the item they come from: a number must
 * stand in one item together with a name the sentence says it of (./colocation.ts), not anywhere
 * among the cited excerpts; a count of the cited items themselves is checked against their number
 * (./counts.ts); a name must be in some cited item (./names.ts, ./transliteration.ts); a
 * superlative must be claimed by some cited item (./superlatives.ts).
 *
 * Pure and deterministic.
 */
import { namesSaidOf } from './colocation.js';
import { itemCountKind, itemLimit } from './counts.js';
import { extractNames, type NameMention } from './names.js';
import {
  type DateMention,
  dateSupported,
  extractDates,
  extractQuantities,
  mask,
  type NumberEvidence,
  normaliseText,
  numberEvidence,
  type Quantity,
  quantitySupported,
} from './numbers.js';
import { type SuperlativeClaim, superlativeClaims, superlativeSupported } from './superlatives.js';
import type { DropReason, ExcerptText } from './types.js';

/** What one sentence claims: its dates, quantities, names and superlatives, each as written. */
export interface SentenceClaims {
  /** The sentence after normalisation; the claims' offsets point into it. */
  normalised: string;
  dates: DateMention[];
  quantities: Quantity[];
  names: NameMention[];
  superlatives: SuperlativeClaim[];
}

/** Reads a sentence's claims: dates first, then names (with their versions), then quantities. */
export function claimsOf(text: string, language: 'zh' | 'en'): SentenceClaims {
  const normalised = normaliseText(text);
  const { dates, spans: dateSpans } = extractDates(normalised);
  const { names, spans: nameSpans } = extractNames(normalised, language, dateSpans);
  const { quantities } = extractQuantities(mask(normalised, [...dateSpans, ...nameSpans]));
  return { normalised, dates, quantities, names, superlatives: superlativeClaims(normalised) };
}

/** The text of one cited item (all its cited excerpts), read once per verifier call. */
interface ItemEvidence {
  /** Lower-cased text, and the same with a space put back at each lower-to-upper-case step. */
  lower: string[];
  numbers: NumberEvidence;
  text: string;
}

export type EvidenceCache = Map<string, ItemEvidence>;

function itemEvidence(numbers: readonly number[], excerpts: ReadonlyMap<number, ExcerptText>, cache: EvidenceCache) {
  const key = numbers.join(',');
  let evidence = cache.get(key);
  if (evidence === undefined) {
    const joined = normaliseText(numbers.map((n) => excerpts.get(n)?.text ?? '').join('\n'));
    // Scraped text often loses spaces between words ("SWE-benchPro", "KimiK3"): names are also
    // looked for with a space put back at each lower-to-upper-case step.
    const spacedCamel = joined.replace(/([a-z])([A-Z])/g, '$1 $2');
    evidence = {
      lower: [joined.toLowerCase(), spacedCamel.toLowerCase()],
      numbers: numberEvidence(joined),
      text: joined,
    };
    cache.set(key, evidence);
  }
  return evidence;
}

function citationList(cites: readonly number[]): string {
  return cites.map((n) => `[${n}]`).join(' ');
}

export interface ClaimProblem {
  reason: DropReason;
  detail: string;
}

/**
 * The first kind of unsupported claim of a sentence with its detail (every failing token, quoted as
 * written), or undefined when every claim is supported. `cited` are known, distinct excerpt numbers.
 */
export function checkClaims(
  text: string,
  language: 'zh' | 'en',
  cited: readonly number[],
  excerpts: ReadonlyMap<number, ExcerptText>,
  cache: EvidenceCache,
): ClaimProblem | undefined {
  const byItem = new Map<string, number[]>();
  for (const n of cited) {
    const itemId = excerpts.get(n)?.itemId ?? `#${n}`;
    byItem.set(itemId, [...(byItem.get(itemId) ?? []), n]);
  }
  const items = [...byItem.values()].map((numbers) => itemEvidence(numbers, excerpts, cache));
  const claims = claimsOf(text, language);
  const inItem = (name: NameMention, item: ItemEvidence): boolean => item.lower.some((t) => name.pattern.test(t));

  const missingNames = [
    ...new Set(claims.names.filter((name) => !items.some((item) => inItem(name, item))).map((name) => name.text)),
  ].map((name) => `name "${name}"`);
  const foundNames = claims.names.filter((name) => items.some((item) => inItem(name, item)));
  const located = foundNames.map((name) => ({ name, index: name.index ?? 0, length: name.text.length }));
  // A lower-case Latin word in a Chinese sentence ("token", "pass@1") is a term, not an entity a
  // number is said of: it anchors a number only when the sentence names nothing else.
  const entities = located.filter(({ name }) => !/^[a-z][a-z-]*$/.test(name.text));
  const anchors = entities.length > 0 ? entities : located;

  const missingNumbers: string[] = [];
  const apart: string[] = [];
  const overCounts: string[] = [];
  const check = (
    token: string,
    at: { index: number; length: number },
    supportedBy: (item: ItemEvidence) => boolean,
  ): void => {
    const supporting = items.filter(supportedBy);
    if (supporting.length === 0) {
      missingNumbers.push(token);
      return;
    }
    const { names: saidOf, all } = namesSaidOf(claims.normalised, at, anchors);
    if (saidOf.length === 0) return;
    const together = (item: ItemEvidence): boolean =>
      all ? saidOf.every(({ name }) => inItem(name, item)) : saidOf.some(({ name }) => inItem(name, item));
    if (supporting.some(together)) return;
    const named = [...new Set(saidOf.map(({ name }) => `"${name.text}"`))].join(all ? ' and ' : ' or ');
    apart.push(`${token} does not stand with ${named} in any one cited item`);
  };
  for (const date of claims.dates) {
    check(`date "${date.text}"`, { index: date.index ?? 0, length: date.text.length }, (item) =>
      dateSupported(date, item.numbers),
    );
  }
  const itemTexts = items.map((item) => item.text);
  for (const quantity of claims.quantities) {
    const kind = itemCountKind(quantity, claims.normalised);
    if (kind !== undefined) {
      const limit = itemLimit(kind, itemTexts);
      if (quantity.low <= limit) continue;
      // Papers, articles and news are counted among the cited items only; another count (models,
      // tools, principles) may also be a count an excerpt states, as a number, not a digit of a name.
      const stated = items.some((item) =>
        item.numbers.quantities.some((other) => other.high === undefined && other.low === quantity.low),
      );
      if (kind !== 'item' || !stated) {
        const things = kind === 'paper' ? 'paper' : 'item';
        overCounts.push(`count "${quantity.text}" is more than the ${limit} cited ${things}${limit === 1 ? '' : 's'}`);
        continue;
      }
    }
    check(`number "${quantity.text}"`, { index: quantity.index ?? 0, length: quantity.text.length }, (item) =>
      quantitySupported(quantity, item.numbers),
    );
  }
  const unclaimed = claims.superlatives
    .filter((claim) => !items.some((item) => item.lower.some((t) => superlativeSupported(claim, t))))
    .map((claim) => `claim "${claim.text}"`);

  const where = `not in the cited excerpt${cited.length > 1 ? 's' : ''} ${citationList(cited)}`;
  const missing = [...new Set(missingNumbers), ...missingNames];
  const parts = (tokens: string[]): string => (tokens.length === 0 ? '' : `${tokens.join(', ')} ${where}`);
  const join = (...pieces: string[]): string => pieces.filter((piece) => piece !== '').join('; ');
  const others = join(...[...new Set(apart)], ...overCounts);
  if (missingNumbers.length > 0 || apart.length > 0 || overCounts.length > 0) {
    return { reason: 'unsupported-number', detail: join(parts([...missing, ...unclaimed]), others) };
  }
  if (missingNames.length > 0) return { reason: 'unsupported-name', detail: parts([...missingNames, ...unclaimed]) };
  if (unclaimed.length > 0) return { reason: 'unsupported-claim', detail: parts(unclaimed) };
  return undefined;
}
