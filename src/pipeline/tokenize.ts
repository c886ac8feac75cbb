/**
 * CJK-aware tokens for near-duplicate detection and term matching.
 *
 * - Text is NFKC-normalised (full-width Ｇｐｔ → Gpt) and lower-cased.
 * - Latin/digit words keep inner "-", ".", "_" and "+" so that model names survive whole:
 *   "GPT-4o", "Qwen3.8-27B", "v2", "c++" → "gpt-4o", "qwen3.8-27b", "v2", "c++". Trailing punctuation goes.
 * - A small English stopword list is removed (function words only; no domain words).
 * - Runs of CJK ideographs (and kana, hangul) become overlapping character bigrams
 *   ("多模态模型" → 多模 模态 态模 模型); a run of one character is kept as that character.
 *
 * One regular expression pass per text; no allocation beyond the output array.
 */

/** English function words that carry no topic (kept small on purpose: "model" is a word here). */
// biome-ignore format: a word list reads better packed
export const STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'been', 'but', 'by', 'can', 'do', 'does', 'for', 'from', 'has',
  'have', 'how', 'i', 'if', 'in', 'into', 'is', 'it', 'its', 'it\u2019s', 'just', 'more', 'my', 'new', 'no', 'not',
  'now', 'of', 'on', 'or', 'our', 'out', 'over', 'so', 'than', 'that', 'the', 'their', 'them', 'then', 'there',
  'these', 'they', 'this', 'to', 'up', 'us', 'via', 'was', 'we', 'were', 'what', 'when', 'where', 'which', 'who',
  'why', 'will', 'with', 'you', 'your',
]);

/**
 * One token per match: a Latin/digit word with inner connectors, or a run of CJK characters.
 * CJK: Han (incl. ext. A and compatibility), kana, hangul.
 */
const TOKEN_PATTERN =
  /[a-z0-9]+(?:[-._+][a-z0-9]+)*\+*|[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+/g;

const CJK_START = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

/** Characters that never appear outside ASCII: lets pure-ASCII text skip NFKC. */
const NON_ASCII = /[^\u0000-\u007f]/;

/** "s" of "OpenAI's", "t" of "don't": single Latin letters carry nothing. */
function isSingleLetter(word: string): boolean {
  return word.length === 1 && word >= 'a' && word <= 'z';
}

/**
 * Tokens of a text (see the module comment). Deterministic; order follows the text. `limit`: only
 * the first that many tokens (the rest of the text is not read).
 */
export function tokenize(text: string, limit = Number.POSITIVE_INFINITY): string[] {
  const normalised = (NON_ASCII.test(text) ? text.normalize('NFKC') : text).toLowerCase();
  const tokens: string[] = [];
  TOKEN_PATTERN.lastIndex = 0;
  for (
    let match = TOKEN_PATTERN.exec(normalised);
    match !== null && tokens.length < limit;
    match = TOKEN_PATTERN.exec(normalised)
  ) {
    const word = match[0];
    if (CJK_START.test(word[0] ?? '')) {
      if (word.length === 1) tokens.push(word);
      else for (let i = 0; i + 1 < word.length; i++) tokens.push(word.slice(i, i + 2));
    } else if (!STOPWORDS.has(word) && !isSingleLetter(word)) {
      tokens.push(word);
    }
  }
  return tokens.length > limit ? tokens.slice(0, limit) : tokens;
}

/**
 * Word shingles: every run of `k` consecutive tokens joined by a space. With fewer than `k` tokens
 * the whole list is one shingle (so a short title still has a fingerprint); `k <= 1` returns the tokens.
 */
export function shingles(tokens: readonly string[], k: number): string[] {
  if (k <= 1) return [...tokens];
  if (tokens.length === 0) return [];
  if (tokens.length <= k) return [tokens.join(' ')];
  const result: string[] = [];
  for (let i = 0; i + k <= tokens.length; i++) result.push(tokens.slice(i, i + k).join(' '));
  return result;
}

/** Whether a token carries a digit (versions, sizes, ids: "gpt-5.1", "27b", "2408.12345"). */
export function hasDigit(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code >= 48 && code <= 57) return true;
  }
  return false;
}
