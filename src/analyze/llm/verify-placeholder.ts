/**
 * PLACEHOLDER verifier — the lead swaps it for src/analyze/verify/index.ts (`verifySentences`).
 * It only checks that a sentence cites at least one excerpt the model was given; it does NOT
 * check numbers or names. Kept deliberately trivial so that nobody mistakes it for the real one.
 */
import type { DraftSentence, DroppedSentence, VerifySentences } from './types.js';

export const verifySentencesPlaceholder: VerifySentences = (sentences, excerpts) => {
  const kept: DraftSentence[] = [];
  const dropped: DroppedSentence[] = [];
  for (const sentence of sentences) {
    const known = [...new Set(sentence.cites)].filter((n) => excerpts.has(n));
    if (sentence.text.trim() === '') dropped.push({ ...sentence, reason: 'other', detail: 'empty' });
    else if (sentence.cites.length === 0) dropped.push({ ...sentence, reason: 'no-citation' });
    else if (known.length === 0) dropped.push({ ...sentence, reason: 'unknown-citation' });
    else kept.push({ text: sentence.text, cites: known });
  }
  return { kept, dropped };
};
