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
 *    of the excerpts it cites, by value after normalisation (./numbers.ts), in the same cited item
 *    as a name the sentence says it of (./colocation.ts); a count of the cited items themselves
 *    ("两篇论文") may instead be at most their number (./counts.ts);
 * 4. every proper name in it appears in those excerpts, in any spelling of the alias table (./names.ts),
 *    including a Chinese transliteration of a Latin name (./transliteration.ts);
 * 5. every superlative or first ("首个", "最大", "state of the art") is claimed by the cited text too
 *    (./superlatives.ts). See ./claims.ts.
 * Otherwise it is dropped with a reason and a detail naming every unsupported token, which the
 * analyzer feeds back to the model when it asks for one regeneration.
 *
 * Pure and deterministic; odd input (no text, non-integer citations) is dropped, never thrown on.
 */
import { sourceSentenceRefusal } from '../../core/hygiene.js';
import { checkClaims, type EvidenceCache } from './claims.js';
import { findMarkup } from './markup.js';
import type { DraftSentence, DroppedSentence, ExcerptText, VerifySentences } from './types.js';

export { claimsOf, type SentenceClaims } from './claims.js';
export type { DraftSentence, DroppedSentence, ExcerptText, VerifyResult, VerifySentences } from './types.js';

/** A report sentence is short; a longer one is refused before any pattern is built from it. */
export const MAX_SENTENCE_LENGTH = 1000;

export const verifySentences: VerifySentences = (sentences, excerpts, language) => {
  const kept: DraftSentence[] = [];
  const dropped: DroppedSentence[] = [];
  const evidenceCache: EvidenceCache = new Map();
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
  evidenceCache: EvidenceCache,
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
  const problems = checkClaims(text, language, cited, excerpts, evidenceCache);
  if (problems !== undefined) return drop(problems.reason, problems.detail);
  return { text, cites: cited };
}
