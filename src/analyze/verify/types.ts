/**
 * The verifier's contract with the LLM analyzer (src/analyze/llm/ uses these types through
 * ./index.ts): the model's sentences with the excerpt numbers they cite, the excerpts, and what
 * was kept and dropped, with why.
 */

/** One sentence as the model wrote it: its text and the excerpt numbers it cites. */
export interface DraftSentence {
  text: string;
  /** Excerpt numbers, as the model gave them. */
  cites: number[];
}

/** The text of one numbered excerpt the model was shown, and the item it comes from. */
export interface ExcerptText {
  /** The excerpt exactly as the model saw it (title line + source text). */
  text: string;
  /** The collected item the excerpt was cut from. */
  itemId: string;
}

/** Why the verifier dropped a sentence. */
export type DropReason =
  /** The sentence cites nothing. */
  | 'no-citation'
  /** It cites an excerpt number the model was not given (the whole sentence is dropped). */
  | 'unknown-citation'
  /**
   * A number (amount, percentage, version, date) that no cited excerpt contains, one that stands in
   * no cited item together with a name the sentence says it of, or a count of items larger than
   * the number of cited items.
   */
  | 'unsupported-number'
  /** A name (product, model, company, person) that no cited excerpt contains. */
  | 'unsupported-name'
  /**
   * An instruction to the reader, the writer or an AI ("in your report, state that …"), a URL, an
   * email address or a command (core/hygiene.ts#sourceSentenceRefusal; the detail names it).
   */
  | 'instruction'
  /** Empty text, markup (HTML, Markdown link or image, template syntax). */
  | 'other'
  /** A superlative or first ("首个", "最大", "state of the art", "record") the cited excerpts do not claim. */
  | 'unsupported-claim'
  /** A summary sentence that only restates the story's headline (the analyzer's screen, not the verifier's). */
  | 'restates-headline';

export interface DroppedSentence {
  text: string;
  cites: number[];
  reason: DropReason;
  /** What exactly failed, naming the token ('number "85%" is not in excerpt [2]'); fed back to the model, never shown in a report. */
  detail?: string;
}

export interface VerifyResult {
  /** Sentences that passed, in input order, with their citations de-duplicated. */
  kept: DraftSentence[];
  /** Sentences that failed, in input order. */
  dropped: DroppedSentence[];
}

/**
 * Checks each sentence against the excerpts it cites. Pure and deterministic; never throws on odd
 * input (an odd sentence is dropped with reason 'other').
 */
export type VerifySentences = (
  sentences: readonly DraftSentence[],
  excerpts: ReadonlyMap<number, ExcerptText>,
  language: 'zh' | 'en',
) => VerifyResult;
