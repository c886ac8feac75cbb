/**
 * What of a source's text the model is shown when all of it does not fit: its key sentences —
 * the ones with results, numbers and names — chosen first, then the lead and the rest as room
 * allows, shown in the source's order (a gap marked "…"). Every sentence is a verbatim slice of
 * the source, so the citation check reads the same words the model read.
 */
import { sourceSentenceRefusal } from '../../core/hygiene.js';
import { isHeadingOrSlogan, splitSentences } from '../summarize.js';
import { unsafeOutput } from './output-safety.js';
import { cutToTokens, estimateTokens } from './prompt.js';

/** Words of a finding or an event: a result, a comparison, a release. */
const RESULT_WORDS =
  /\b(?:outperform\w*|improv\w*|achiev\w*|surpass\w*|beat\w*|exceed\w*|reach\w*|state[- ]of[- ]the[- ]art|sota|accuracy|faster|speed-?up|reduc\w*|increas\w*|cut\w*|record|releas\w*|launch\w*|open[- ]sourc\w*|available|announc\w*|introduc\w*|show(?:s|ed)?|find(?:s|ings)?|found|raise[sd]?|funding|acquir\w*|benchmark\w*)\b|提升|提高|超过|超越|达到|优于|领先|发布|开源|推出|上线|降低|减少|加速|准确率|性能|融资|收购|首次|实现/iu;
/** A number with a digit: an amount, a percentage, a version, a date. */
const NUMBER = /\d/u;
/** A name: a word with a capital after its first letter or a digit (GPT-5, LFM2.5, OpenAI), or a capitalised word inside a sentence. */
const NAME = /\b[A-Za-z]*[A-Z][a-z]*[A-Z0-9][\w.-]*|(?<=\S\s+)[A-Z][a-z]{2,}/u;

/** How much a sentence says: results, numbers and names count; headings, links and words to the reader do not. */
export function keyScore(sentence: string): number {
  if (sourceSentenceRefusal(sentence) !== undefined || unsafeOutput(sentence) !== undefined) return -3;
  let score = 0;
  if (NUMBER.test(sentence)) score += 3;
  if (RESULT_WORDS.test(sentence)) score += 2;
  if (NAME.test(sentence)) score += 1;
  if (isHeadingOrSlogan(sentence)) score -= 2;
  return score;
}

/**
 * `text` within about `tokens` tokens: unchanged when it fits; else its sentences by key score
 * (the lead counts as a key sentence), as many as fit, in the text's order. Falls back to the
 * text's head when not even one sentence fits.
 */
export function keySentences(text: string, tokens: number): string {
  if (estimateTokens(text) <= tokens) return text;
  const sentences = splitSentences(text).map((sentence, index) => ({
    sentence,
    index,
    cost: estimateTokens(sentence) + 1,
    score: keyScore(sentence) + (index === 0 ? 2 : 0),
  }));
  const order = [...sentences].sort((a, b) => b.score - a.score || a.index - b.index);
  const chosen: typeof sentences = [];
  let left = tokens;
  for (const candidate of order) {
    if (candidate.score < 0 && chosen.length > 0) break;
    if (candidate.cost + 2 > left) continue;
    chosen.push(candidate);
    left -= candidate.cost + 2;
  }
  if (chosen.length === 0) return cutToTokens(text, tokens);
  chosen.sort((a, b) => a.index - b.index);
  let out = '';
  chosen.forEach((entry, position) => {
    const previous = chosen[position - 1];
    if (position > 0) out += previous && entry.index === previous.index + 1 ? ' ' : ' … ';
    out += entry.sentence;
  });
  return out;
}

/**
 * Shares `total` tokens among pieces that need `needs[i]` each: no piece gets more than it needs,
 * and what a short piece leaves is shared by the longer ones.
 */
export function shareTokens(needs: readonly number[], total: number): number[] {
  const shares = new Array<number>(needs.length).fill(0);
  const order = needs.map((need, index) => ({ need, index })).sort((a, b) => a.need - b.need || a.index - b.index);
  let left = total;
  order.forEach(({ need, index }, position) => {
    const fair = Math.floor(left / (order.length - position));
    shares[index] = Math.min(need, fair);
    left -= shares[index]!;
  });
  return shares;
}
