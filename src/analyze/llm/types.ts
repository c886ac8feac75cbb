/**
 * The contract between the LLM analyzer (this folder) and the verifier (src/analyze/verify/).
 *
 * The model writes sentences that each list the excerpt numbers they rest on. Before any of them
 * reaches a report, the verifier checks every sentence against the excerpts it cites: the
 * citations exist, every number and every name in the sentence appears in a cited excerpt (for a
 * Chinese sentence written from English sources: numbers by value, names in their original form).
 *
 * `src/analyze/verify/index.ts` exports `verifySentences` with exactly the type `VerifySentences`
 * below; ./verifier.ts re-exports it. A sentence with any citation that names no given excerpt is
 * dropped whole.
 */

/** One sentence as the model wrote it: its text and the excerpt numbers it cites. */
export interface DraftSentence {
  text: string;
  /** Excerpt numbers (`Excerpt.n`), as the model gave them. */
  cites: number[];
}

/** The text of one numbered excerpt the model was shown, and the item it comes from. */
export interface ExcerptText {
  /** The excerpt exactly as the model saw it (title line + source text), without the fence markers. */
  text: string;
  /** The collected item the excerpt was cut from (its URL is what a citation resolves to). */
  itemId: string;
}

/** Why the verifier dropped a sentence. */
export type DropReason =
  /** The sentence cites nothing. */
  | 'no-citation'
  /** It cites an excerpt number the model was not given. */
  | 'unknown-citation'
  /** A number (amount, percentage, version, date) that no cited excerpt contains. */
  | 'unsupported-number'
  /** A name (product, model, company, person) that no cited excerpt contains. */
  | 'unsupported-name'
  /** Anything else the verifier refuses (empty text, markup, …). */
  | 'other';

export interface DroppedSentence {
  text: string;
  cites: number[];
  reason: DropReason;
  /** Short human detail ("number 85% not in [2]"); never shown in a report. */
  detail?: string;
}

export interface VerifyResult {
  /** Sentences that passed, in input order; `cites` are excerpt numbers, unknown ones removed. */
  kept: DraftSentence[];
  /** Sentences that failed, in input order. */
  dropped: DroppedSentence[];
}

/**
 * Checks each sentence against the excerpts it cites. Pure and deterministic (same input → same
 * result); never throws on odd input (an odd sentence is dropped with reason 'other').
 *
 * @param sentences the model's sentences, in order
 * @param excerpts  every excerpt the model was shown for this part, by excerpt number
 * @param language  the language the sentences are written in (the excerpts may be in another)
 */
export type VerifySentences = (
  sentences: readonly DraftSentence[],
  excerpts: ReadonlyMap<number, ExcerptText>,
  language: 'zh' | 'en',
) => VerifyResult;
