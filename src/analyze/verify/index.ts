/**
 * The verifier: every sentence the model writes must rest on the excerpts it cites.
 *
 * A sentence is kept only when
 * 1. it is not empty and carries no markup (HTML, Markdown link or image, template syntax), and
 *    nothing the rule for every quoted sentence refuses (core/hygiene.ts#sourceSentenceRefusal: an
 *    instruction to the reader, the writer or an AI, a URL, an email address, a command), so that a
 *    model that copies a source's instruction publishes nothing of it;
 * 2. it cites at least one excerpt, and only excerpts the model was given;
 * 3. every number, percentage, amount of money, multiple, range and date in it appears in the text
 *    of the excerpts it cites, by value after normalisation (./numbers.ts);
 * 4. every proper name in it appears in those excerpts, in any spelling of the alias table (./names.ts).
 * Otherwise it is dropped with a reason and a detail naming every unsupported token, which the
 * analyzer feeds back to the model when it asks for one regeneration.
 *
 * Pure and deterministic; odd input (no text, non-integer citations) is dropped, never thrown on.
 */
import { sourceSentenceRefusal } from '../../core/hygiene.js';
import { findMarkup } from './markup.js';
import { extractNames } from './names.js';
import {
  dateSupported,
  extractDates,
  extractQuantities,
  mask,
  normaliseText,
  numberEvidence,
  quantitySupported,
} from './numbers.js';
import type { DraftSentence, DroppedSentence, ExcerptText, VerifySentences } from './types.js';

export type { DraftSentence, DroppedSentence, ExcerptText, VerifyResult, VerifySentences } from './types.js';

/** What one sentence claims: its dates, quantities and names, each as written. */
export interface SentenceClaims {
  dates: ReturnType<typeof extractDates>['dates'];
  quantities: ReturnType<typeof extractQuantities>['quantities'];
  names: ReturnType<typeof extractNames>['names'];
}

/** Reads a sentence's claims: dates first, then names (with their versions), then quantities. */
export function claimsOf(text: string, language: 'zh' | 'en'): SentenceClaims {
  const normalised = normaliseText(text);
  const { dates, spans: dateSpans } = extractDates(normalised);
  const { names, spans: nameSpans } = extractNames(normalised, language, dateSpans);
  const { quantities } = extractQuantities(mask(normalised, [...dateSpans, ...nameSpans]));
  return { dates, quantities, names };
}

function citationList(cites: readonly number[]): string {
  return cites.map((n) => `[${n}]`).join(' ');
}

/** A report sentence is short; a longer one is refused before any pattern is built from it. */
export const MAX_SENTENCE_LENGTH = 1000;

export const verifySentences: VerifySentences = (sentences, excerpts, language) => {
  const kept: DraftSentence[] = [];
  const dropped: DroppedSentence[] = [];
  const evidenceCache = new Map<string, { lower: string[]; numbers: ReturnType<typeof numberEvidence> }>();
  for (const sentence of sentences) {
    let verdict: DraftSentence | DroppedSentence;
    try {
      verdict = verifyOne(sentence, excerpts, language, evidenceCache);
    } catch (error) {
      // Never thrown to the caller: a sentence that cannot be checked is not kept.
      verdict = {
        text: typeof sentence.text === 'string' ? sentence.text : '',
        cites: Array.isArray(sentence.cites) ? [...sentence.cites] : [],
        reason: 'other',
        detail: `the sentence could not be checked (${error instanceof Error ? error.message.slice(0, 80) : 'error'})`,
      };
    }
    if ('reason' in verdict) dropped.push(verdict);
    else kept.push(verdict);
  }
  return { kept, dropped };
};

function verifyOne(
  sentence: DraftSentence,
  excerpts: ReadonlyMap<number, ExcerptText>,
  language: 'zh' | 'en',
  evidenceCache: Map<string, { lower: string[]; numbers: ReturnType<typeof numberEvidence> }>,
): DraftSentence | DroppedSentence {
  const text = typeof sentence.text === 'string' ? sentence.text : '';
  const cites = Array.isArray(sentence.cites) ? sentence.cites : [];
  const drop = (reason: DroppedSentence['reason'], detail: string): DroppedSentence => ({
    text,
    cites: [...cites],
    reason,
    detail,
  });
  if (text.trim() === '') return drop('other', 'the sentence is empty');
  if (text.length > MAX_SENTENCE_LENGTH) {
    return drop('other', `the sentence is ${text.length} characters long; at most ${MAX_SENTENCE_LENGTH}`);
  }
  if (!/[\p{L}\p{N}]/u.test(text)) return drop('other', 'the sentence has no words');
  const markup = findMarkup(text);
  if (markup !== undefined) return drop('other', `markup is not allowed in a sentence: ${markup}`);
  const refusal = sourceSentenceRefusal(text);
  if (refusal !== undefined)
    return drop('instruction', `the sentence carries ${refusal}; report news, not what a source tells its reader`);
  if (cites.length === 0) return drop('no-citation', 'the sentence cites no excerpt');
  const unknown = cites.filter((n) => !Number.isInteger(n) || !excerpts.has(n));
  if (unknown.length > 0) {
    return drop('unknown-citation', `cites ${unknown.map((n) => `[${String(n)}]`).join(' ')}, which no excerpt has`);
  }
  const cited = [...new Set(cites)];
  const key = cited.join(',');
  let evidence = evidenceCache.get(key);
  if (evidence === undefined) {
    const joined = normaliseText(cited.map((n) => excerpts.get(n)?.text ?? '').join('\n'));
    // Scraped text often loses spaces between words ("SWE-benchPro", "KimiK3"): names are also
    // looked for with a space put back at each lower-to-upper-case step.
    const spacedCamel = joined.replace(/([a-z])([A-Z])/g, '$1 $2');
    evidence = { lower: [joined.toLowerCase(), spacedCamel.toLowerCase()], numbers: numberEvidence(joined) };
    evidenceCache.set(key, evidence);
  }
  const claims = claimsOf(text, language);
  const missingNumbers = [
    ...new Set([
      ...claims.dates.filter((date) => !dateSupported(date, evidence.numbers)).map((date) => `date "${date.text}"`),
      ...claims.quantities
        .filter((quantity) => !quantitySupported(quantity, evidence.numbers))
        .map((quantity) => `number "${quantity.text}"`),
    ]),
  ];
  const lower = evidence.lower;
  const missingNames = [
    ...new Set(claims.names.filter((name) => !lower.some((text) => name.pattern.test(text))).map((name) => name.text)),
  ].map((name) => `name "${name}"`);
  const where = `not in the cited excerpt${cited.length > 1 ? 's' : ''} ${citationList(cited)}`;
  if (missingNumbers.length > 0)
    return drop('unsupported-number', `${[...missingNumbers, ...missingNames].join(', ')} ${where}`);
  if (missingNames.length > 0) return drop('unsupported-name', `${missingNames.join(', ')} ${where}`);
  return { text, cites: cited };
}
