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
 * One scan over the text's code units; no allocation beyond the output array and its tokens.
 */

import { nfkc } from '../core/sanitize.js';

/** English function words that carry no topic (kept small on purpose: "model" is a word here). */
// biome-ignore format: a word list reads better packed
export const STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'been', 'but', 'by', 'can', 'do', 'does', 'for', 'from', 'has',
  'have', 'how', 'i', 'if', 'in', 'into', 'is', 'it', 'its', 'it\u2019s', 'just', 'more', 'my', 'new', 'no', 'not',
  'now', 'of', 'on', 'or', 'our', 'out', 'over', 'so', 'than', 'that', 'the', 'their', 'them', 'then', 'there',
  'these', 'they', 'this', 'to', 'up', 'us', 'via', 'was', 'we', 'were', 'what', 'when', 'where', 'which', 'who',
  'why', 'will', 'with', 'you', 'your',
]);

/** A Latin/digit word character: `[a-z0-9]` (the text is lower-cased first). */
function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

/** A connector inside a word: "-", ".", "_" or "+". */
function isConnector(code: number): boolean {
  return code === 45 || code === 46 || code === 95 || code === 43;
}

/** A CJK code unit: Han (incl. ext. A and compatibility), kana, hangul. */
function isCjk(code: number): boolean {
  return (
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0xf900 && code <= 0xfaff)
  );
}

/** A word of at most five letters a-z packed into a number (five bits a letter); -1 for any other word. */
function letterKey(text: string, start: number, end: number): number {
  if (end - start > 5) return -1;
  let key = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 97 || code > 122) return -1;
    key = key * 32 + (code - 96);
  }
  return key;
}

/**
 * {@link STOPWORDS} as {@link letterKey}s, in an open-addressed table (faster than a Set for the word
 * of every token): every stopword a word can be ("it’s" has a character no word has, so it has no key
 * and no word is it). A slot holds a key or -1; at most a quarter of the slots are used.
 */
const STOPWORD_TABLE = new Int32Array(256).fill(-1);
const STOPWORD_MASK = STOPWORD_TABLE.length - 1;

/** A key's first slot: the top 8 bits of a multiplicative hash (the low bits of a key are its last letter). */
function stopwordSlot(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> 24;
}

for (const word of STOPWORDS) {
  const key = letterKey(word, 0, word.length);
  if (key === -1) continue;
  let slot = stopwordSlot(key);
  while (STOPWORD_TABLE[slot] !== -1 && STOPWORD_TABLE[slot] !== key) slot = (slot + 1) & STOPWORD_MASK;
  STOPWORD_TABLE[slot] = key;
}

/** Whether `text[start, end)` is a stopword. */
function isStopword(text: string, start: number, end: number): boolean {
  const key = letterKey(text, start, end);
  if (key === -1) return false;
  for (let slot = stopwordSlot(key); STOPWORD_TABLE[slot] !== -1; slot = (slot + 1) & STOPWORD_MASK) {
    if (STOPWORD_TABLE[slot] === key) return true;
  }
  return false;
}

/** The text as {@link tokenize} reads it: NFKC-normalised (pure ASCII needs none) and lower-cased. */
export function tokenText(text: string): string {
  return nfkc(text).toLowerCase();
}

/**
 * The tokens of a {@link tokenText} as spans of it, in order: token k is `[spans[2k], spans[2k + 1])`;
 * returns how many (at most `limit`; the rest of the text is not read). `spans` must hold two numbers
 * for each (a token is at least one code unit: `2 * min(limit, normalised.length)` is enough).
 *
 * One scan over the code units: a word is `[a-z0-9]+(?:[-._+][a-z0-9]+)*\+*` (a connector joins only
 * when a word character follows it; trailing "+" stay: "c++"), a CJK run is a run of CJK code units;
 * anything else separates tokens. Stopwords and single letters ("s" of "OpenAI's", "t" of "don't")
 * are no tokens.
 */
export function tokenSpans(normalised: string, limit: number, spans: Int32Array): number {
  const length = normalised.length;
  let count = 0;
  let i = 0;
  while (i < length && count < limit) {
    const code = normalised.charCodeAt(i);
    if (isWordChar(code)) {
      let end = i + 1;
      while (end < length && isWordChar(normalised.charCodeAt(end))) end++;
      while (
        end + 1 < length &&
        isConnector(normalised.charCodeAt(end)) &&
        isWordChar(normalised.charCodeAt(end + 1))
      ) {
        end += 2;
        while (end < length && isWordChar(normalised.charCodeAt(end))) end++;
      }
      while (end < length && normalised.charCodeAt(end) === 43) end++;
      const singleLetter = end - i === 1 && code >= 97; // (a lone digit is a token)
      if (!singleLetter && !isStopword(normalised, i, end)) {
        spans[2 * count] = i;
        spans[2 * count + 1] = end;
        count++;
      }
      i = end;
    } else if (isCjk(code)) {
      let end = i + 1;
      while (end < length && isCjk(normalised.charCodeAt(end))) end++;
      if (end - i === 1) {
        spans[2 * count] = i;
        spans[2 * count + 1] = end;
        count++;
      } else {
        // Bigrams; the limit can fall inside a run.
        for (let k = i; k + 1 < end && count < limit; k++) {
          spans[2 * count] = k;
          spans[2 * count + 1] = k + 2;
          count++;
        }
      }
      i = end;
    } else {
      i++;
    }
  }
  return count;
}

/** {@link tokenize}'s spans, reused from call to call (up to {@link SPAN_BUFFER_LIMIT} numbers). */
let spanBuffer = new Int32Array(1024);
const SPAN_BUFFER_LIMIT = 1 << 16;

/**
 * Tokens of a text (see the module comment). Deterministic; order follows the text. `limit`: only
 * the first that many tokens (the rest of the text is not read).
 */
export function tokenize(text: string, limit = Number.POSITIVE_INFINITY): string[] {
  const normalised = tokenText(text);
  const needed = 2 * Math.min(limit, normalised.length);
  // A long text (a whole article) gets spans of its own rather than a buffer kept for good.
  if (spanBuffer.length < needed && needed <= SPAN_BUFFER_LIMIT) spanBuffer = new Int32Array(needed * 2);
  const spans = spanBuffer.length < needed ? new Int32Array(needed) : spanBuffer;
  const count = tokenSpans(normalised, limit, spans);
  const tokens: string[] = new Array(count);
  for (let k = 0; k < count; k++) tokens[k] = normalised.slice(spans[2 * k]!, spans[2 * k + 1]!);
  return tokens;
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
