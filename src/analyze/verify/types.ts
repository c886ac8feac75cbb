/**
 * The verifier's contract, structurally identical to `src/analyze/llm/types.ts` on the LLM
 * analyzer's branch (its `VerifySentences`, `DraftSentence`, `ExcerptText`, `DropReason`,
 * `DroppedSentence`, `VerifyResult`). Kept here so this folder compiles on its own; once both
 * branches are merged these may become re-exports of that file.
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
  | 'no-citation'
  | 'unknown-citation'
  | 'unsupported-number'
  | 'unsupported-name'
  /** Empty text, markup (URL, HTML, Markdown link or image, template syntax). */
  | 'other';

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

export type VerifySentences = (
  sentences: readonly DraftSentence[],
  excerpts: ReadonlyMap<number, ExcerptText>,
  language: 'zh' | 'en',
) => VerifyResult;
