/**
 * Extractive summaries: split the items' own text into sentences and choose 1–3 of them by
 * centroid similarity over TF-IDF vectors. Every chosen sentence is a verbatim (trimmed) slice of
 * an item's title or text; nothing is rewritten.
 *
 * Not every line of a text is a sentence worth quoting: headings and slogans (no terminal
 * punctuation and title case or a few words; couplets of four-character phrases), metadata and
 * footer lines, and sentences addressed to the reader or to an AI (source text is data, see
 * src/core/hygiene.ts) are never chosen. A digest post (one item listing many unrelated
 * headlines) is summarised by its own headline lines, in order, never by one sentence picked
 * from the middle of it.
 */

import { isHazardous, sourceSentenceRefusal } from '../core/hygiene.js';
import { extractMetadata, isBoilerplateLine } from '../pipeline/feed-text.js';
import { digestHeadlines as titleHeadlines } from '../pipeline/news-value.js';
import { extractTerms, tokens } from './terms.js';

const URL_SPAN = /\b(?:https?:\/\/|www\.)[^\s<>"]+/giu;
/** Characters that end a sentence on their own (CJK and full-width). */
const CJK_TERMINATORS = new Set(['。', '！', '？', '；', '…']);
/** Closing quotes/brackets that stay with the sentence they close. */
const CLOSERS = new Set(['"', "'", '”', '’', '」', '』', '）', ')', ']', '》', '】']);
/** Words after which a "." does not end a sentence. */
const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'etc',
  'vs',
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'inc',
  'ltd',
  'co',
  'corp',
  'fig',
  'figs',
  'no',
  'nos',
  'vol',
  'al',
  'approx',
  'eq',
  'sec',
  'cf',
  'ca',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
]);

/** Spans [start, end) of URLs, where nothing may split. */
function urlSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const match of text.matchAll(URL_SPAN)) {
    // Trailing punctuation belongs to the sentence, not the URL ("see https://x.org/a.").
    const url = match[0].replace(/[.,;:!?)\]}'"。，；：！？）]+$/u, '');
    spans.push([match.index, match.index + url.length]);
  }
  return spans;
}

/** The word (letters, digits, dots) that ends at `index` (exclusive). */
function wordBefore(text: string, index: number): string {
  let start = index;
  while (start > 0 && /[\p{L}\p{Nd}.]/u.test(text[start - 1]!)) start--;
  return text.slice(start, index);
}

/** Does the "." at `index` end a sentence? */
function isSentenceDot(text: string, index: number): boolean {
  const next = text[index + 1];
  // "v1.5", "3.14", "example.com", "..." inside a word: no break without a following space.
  if (next !== undefined && !/\s/u.test(next) && !CLOSERS.has(next)) return false;
  const word = wordBefore(text, index);
  const lower = word.toLowerCase();
  if (ABBREVIATIONS.has(lower)) return false;
  // Initials and dotted abbreviations: "U.S.", "J. Smith", "a.m.".
  if (/^(?:\p{L}\.)*\p{L}$/u.test(word) && word.length <= 5 && /\p{Lu}|\./u.test(word)) return false;
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) return false;
  // A following lower-case word continues the sentence ("approx. ten", "v. 2").
  const rest = text.slice(index + 1).trimStart();
  if (rest.length > 0 && /^\p{Ll}/u.test(rest)) return false;
  return true;
}

/**
 * Split English and Chinese text into sentences: after 。！？；… and after ". ! ?" followed by a
 * space, and at line breaks; never inside URLs, decimals, versions or known abbreviations.
 * Each returned sentence is a trimmed, verbatim slice of `text`.
 */
export function splitSentences(text: string): string[] {
  const spans = urlSpans(text);
  const sentences: string[] = [];
  let start = 0;
  let spanIndex = 0;
  const push = (end: number) => {
    const sentence = text.slice(start, end).trim();
    if (sentence.length > 0) sentences.push(sentence);
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    while (spanIndex < spans.length && spans[spanIndex]![1] <= i) spanIndex++;
    const span = spans[spanIndex];
    if (span && span[0] <= i && i < span[1]) {
      i = span[1] - 1;
      continue;
    }
    const char = text[i]!;
    if (char === '\n' || char === '\r') {
      push(i);
      continue;
    }
    let breaks = false;
    if (CJK_TERMINATORS.has(char)) breaks = true;
    else if (char === '!' || char === '?' || char === '！' || char === '？') {
      const next = text[i + 1];
      breaks = next === undefined || /\s/u.test(next) || CLOSERS.has(next);
    } else if (char === '.') {
      // Runs of dots: decide at the last one.
      if (text[i + 1] === '.') continue;
      breaks = isSentenceDot(text, i);
    }
    if (!breaks) continue;
    let end = i + 1;
    while (end < text.length && (CLOSERS.has(text[end]!) || CJK_TERMINATORS.has(text[end]!))) end++;
    push(end);
    i = end - 1;
  }
  push(text.length);
  return sentences;
}

/** What the summarizer needs of an item. */
export interface SummaryItem {
  id: string;
  title: string;
  text: string;
}

/** A chosen sentence and the item it comes from. */
export interface ChosenSentence {
  text: string;
  itemId: string;
  /** Centroid score (higher = more central to the story). */
  score: number;
  /** The sentence is an item's title (the item had no usable text). */
  fromTitle: boolean;
}

/** How a story is summarised. */
export interface SummaryOptions {
  /** A paper: the sentence with its finding leads, its background follows (see {@link isFinding}). */
  paper?: boolean;
}

interface Candidate {
  text: string;
  itemId: string;
  itemIndex: number;
  position: number;
  fromTitle: boolean;
  /** A headline line of a digest item: chosen in the digest's own order. */
  digest: boolean;
  /** A paper's sentence that states a result (leads the summary). */
  finding: boolean;
  /** A paper's sentence that sets the scene ("Recent advances in …"). */
  background: boolean;
  /** The sentence refers back to one before it ("This failure …", "It further …"): it never leads. */
  refersBack: boolean;
  vector: Map<string, number>;
  score: number;
}

const MIN_SENTENCE_CHARS = 12;
/** Headline lines of a digest item that may summarise it. */
const MAX_DIGEST_LINES = 3;
const LONG_SENTENCE_CHARS = 320;
const MAX_SENTENCE_CHARS = 600;

/** Ends like a sentence: terminal punctuation, maybe inside closing quotes or brackets. */
const TERMINAL = /[.!?。！？…;；]["'”’」』）)\]】]*$/u;
/** A couplet or slogan: two to four phrases of two to five Han characters each, nothing else. */
const CJK_SLOGAN =
  /^["'“‘「『【(（]?(?:\p{Script=Han}{2,5}[，,、；;！!\s]\s*){1,3}\p{Script=Han}{2,5}[。！!…]*["'”’」』】)）]?$/u;
/** Minimum words of a Latin sentence without terminal punctuation (shorter: a heading). */
const MIN_UNPUNCTUATED_WORDS = 8;
/** Minimum Han characters of a Chinese sentence without terminal punctuation. */
const MIN_UNPUNCTUATED_HAN = 16;

/** Whether a line is a heading, a label or a slogan rather than a sentence. */
export function isHeadingOrSlogan(sentence: string): boolean {
  const text = sentence.trim();
  if (/[:：]$/.test(text)) return true;
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  if (han > 0 && CJK_SLOGAN.test(text)) {
    const phrases = text.match(/\p{Script=Han}+/gu) ?? [];
    // Phrases of equal length read as a couplet (「潮起之时，靠岸相见」), whatever their words.
    if (phrases.length >= 2 && phrases.every((phrase) => phrase.length === phrases[0]?.length)) return true;
  }
  if (TERMINAL.test(text)) return false;
  // A short Chinese line is a heading unless it holds clauses ("弥补算力缺口，不能只靠堆料").
  if (han > 0) return han < MIN_UNPUNCTUATED_HAN && !/[，,；;：:]/.test(text);
  const words = text.split(/\s+/).filter((word) => /\p{L}/u.test(word));
  if (words.length < MIN_UNPUNCTUATED_WORDS) return true;
  // Title Case: nearly every longer word capitalised ("How We Built Our New Agent Platform").
  const longer = words.filter((word) => word.replace(/[^\p{L}]/gu, '').length > 3);
  const capitalised = longer.filter((word) => /^[^\p{L}]*\p{Lu}/u.test(word));
  return longer.length >= 3 && capitalised.length / longer.length >= 0.8;
}

/** A line that holds only item metadata ("Score: 173", "By: xnx") or a feed footer. */
function isMetadataOrFooter(sentence: string): boolean {
  return isBoilerplateLine(sentence) || extractMetadata(sentence).text === '';
}

/**
 * A sentence worth showing: long enough, some words, not a label, not a heading or slogan, no
 * metadata, nothing that would trip the quality gate, and nothing `sourceSentenceRefusal` refuses
 * (an instruction to the reader, the writer or an AI; a URL, an email address or a command).
 */
function isUsableSentence(sentence: string): boolean {
  const cjk = (sentence.match(/[\p{Script=Han}]/gu) ?? []).length;
  const minimum = cjk > 0 ? 8 : MIN_SENTENCE_CHARS;
  if (sentence.length < minimum || sentence.length > MAX_SENTENCE_CHARS) return false;
  if (sentence.replace(URL_SPAN, '').trim().length < minimum) return false;
  if (tokens(sentence).length < (cjk > 0 ? 3 : 4)) return false;
  return (
    !isHeadingOrSlogan(sentence) &&
    !isMetadataOrFooter(sentence) &&
    !isHazardous(sentence) &&
    sourceSentenceRefusal(sentence) === undefined
  );
}

/** A numbered or bulleted list entry: "1. …", "2、…", "(3) …", "- …", "• …", "① …". */
const LIST_MARKER = /^\s*(?:\d{1,2}[.、)）:：]|[（(]\d{1,2}[)）]|[-*•·▪●■◆▶►▸]|[①-⑳]|#\d{1,2}\b)\s*(?=\S)/u;
/** Titles that announce a digest. */
const DIGEST_TITLE =
  /日报|早报|晚报|周报|午报|速递|快讯|简报|汇总|合集|一览|要闻|\b(?:digest|roundup|round-up|newsletter|briefing|recap|weekly|daily|this week in|links?|top \d{1,2})\b/iu;
/** Headline lines that make a digest; fewer is a post with a list in it. */
const MIN_DIGEST_HEADLINES = 4;

/**
 * The headline lines of a digest item (marker cut off, verbatim otherwise), or undefined when the
 * item is no digest: at least four short list entries that are a third of its lines, or a digest
 * title over at least four short lines that are half of them.
 */
export function digestHeadlines(item: Pick<SummaryItem, 'title' | 'text'>): string[] | undefined {
  const title = item.title.trim().toLowerCase();
  const lines = item.text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line.toLowerCase() !== title);
  if (lines.length < MIN_DIGEST_HEADLINES) return undefined;
  const isShort = (line: string) => line.length <= 160;
  const listed = lines.filter((line) => LIST_MARKER.test(line) && isShort(line));
  let headlines: string[] | undefined;
  if (listed.length >= MIN_DIGEST_HEADLINES && listed.length * 3 >= lines.length) headlines = listed;
  else if (DIGEST_TITLE.test(item.title)) {
    const short = lines.filter((line) => isShort(line) && !TERMINAL.test(line));
    if (short.length >= MIN_DIGEST_HEADLINES && short.length * 2 >= lines.length) headlines = short;
  }
  if (!headlines) return undefined;
  return headlines
    .map((line) => line.replace(LIST_MARKER, '').trim())
    .filter(
      (line) =>
        line.length >= 6 &&
        !isHazardous(line) &&
        sourceSentenceRefusal(line) === undefined &&
        !isMetadataOrFooter(line),
    );
}

/** A headline a digest's list may show: a phrase, nothing the hygiene refuses, no metadata. */
function isListableHeadline(line: string): boolean {
  return (
    [...line].length >= 4 &&
    line.length <= 160 &&
    !isHazardous(line) &&
    sourceSentenceRefusal(line) === undefined &&
    !isMetadataOrFooter(line)
  );
}

/**
 * The headlines a digest post is shown as, lead first, or undefined when the item is no digest: the
 * heading lines of its text where the text is such a list ({@link digestHeadlines}: an HN top-10,
 * a numbered 「今日要点」) and names more of them than its title, else the parts of a title that
 * lists headlines (pipeline/news-value `digestHeadlines`: 「AI日报：A；B；C」 → A, B, C). Every
 * headline is verbatim; a text glued into one paragraph (a scraper's summary of a daily digest)
 * gives no headings, and no sentence is ever taken from it.
 */
export function digestList(item: Pick<SummaryItem, 'title' | 'text'>): string[] | undefined {
  const fromTitle = (titleHeadlines(item.title) ?? []).filter(isListableHeadline);
  const fromText = (digestHeadlines(item) ?? []).filter(isListableHeadline);
  const list = fromText.length > fromTitle.length ? fromText : fromTitle;
  const seen = new Set<string>();
  const distinct = list.filter((line) => {
    const key = line.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return distinct.length > 0 ? distinct : undefined;
}

function normalizedVector(words: string[], idf: Map<string, number>): Map<string, number> {
  const tf = new Map<string, number>();
  for (const word of words) tf.set(word, (tf.get(word) ?? 0) + 1);
  const vector = new Map<string, number>();
  for (const [word, count] of tf) {
    const weight = (1 + Math.log(count)) * (idf.get(word) ?? 0);
    if (weight > 0) vector.set(word, weight);
  }
  return unitVector(vector);
}

function unitVector(weights: Map<string, number>): Map<string, number> {
  let norm = 0;
  for (const weight of weights.values()) norm += weight * weight;
  norm = Math.sqrt(norm);
  const out = new Map<string, number>();
  if (norm > 0) for (const [word, weight] of weights) out.set(word, weight / norm);
  return out;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [word, weight] of small) sum += weight * (large.get(word) ?? 0);
  return sum;
}

/** The first sentence of a digest's text, its list marker cut off, when it is usable. */
function leadSentence(item: Pick<SummaryItem, 'text'>): string[] {
  const first = splitSentences(item.text)[0]?.replace(LIST_MARKER, '').trim();
  return first !== undefined && isUsableSentence(first) ? [first] : [];
}

/** Candidate sentences of the items: text sentences, or the title when an item has no usable text. */
function candidatesOf(items: readonly SummaryItem[]): Omit<Candidate, 'vector' | 'score'>[] {
  const out: Omit<Candidate, 'vector' | 'score'>[] = [];
  const seen = new Set<string>();
  items.forEach((item, itemIndex) => {
    // A digest that joined another item's story (pipeline/digest) joined by its lead: only its
    // text's first sentence (the lead's entry, list marker cut off), never the other stories it retells.
    const joinedDigest = itemIndex > 0 && digestList(item) !== undefined;
    const headlines = joinedDigest ? undefined : digestHeadlines(item);
    const fromText = joinedDigest
      ? leadSentence(item)
      : headlines && headlines.length > 0
        ? headlines.slice(0, MAX_DIGEST_LINES)
        : splitSentences(item.text).filter(isUsableSentence);
    const dek = fromText.length === 0 ? dekOf(item) : undefined;
    const fromItem = fromText.length > 0 ? fromText : dek ? [dek] : [];
    const chosen = fromItem.length > 0 ? fromItem : [item.title.trim()].filter((t) => t.length > 0);
    chosen.forEach((text, position) => {
      const key = text.toLowerCase();
      if (seen.has(key)) return;
      seen.add(key);
      out.push({
        text,
        itemId: item.id,
        itemIndex,
        position,
        fromTitle: fromItem.length === 0,
        finding: false,
        background: false,
        refersBack: REFERS_BACK.test(text),
        digest: headlines !== undefined && fromText.length > 0,
      });
    });
  });
  return out;
}

/**
 * Choose up to `maxSentences` (1–3) sentences that best represent a story, from its items' own
 * title/text (representative item first). Deterministic: same items → same sentences.
 * `sentences` are in reading order (item order, then position); `best` is the highest-scoring one.
 */
export function summarizeItems(
  items: readonly SummaryItem[],
  maxSentences = 3,
  options: SummaryOptions = {},
): { sentences: ChosenSentence[]; best: ChosenSentence | undefined } {
  const raw = candidatesOf(items).map((candidate) =>
    options.paper && !candidate.fromTitle && !candidate.digest
      ? { ...candidate, finding: isFinding(candidate.text), background: isBackground(candidate.text) }
      : candidate,
  );
  if (raw.length === 0) return { sentences: [], best: undefined };
  const tokenLists = raw.map((candidate) => tokens(candidate.text));
  const documentFrequency = new Map<string, number>();
  for (const list of tokenLists)
    for (const word of new Set(list)) documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [word, df] of documentFrequency) idf.set(word, Math.log((1 + raw.length) / df) + 1);
  const titleWords = items[0] ? tokens(items[0].title) : [];
  const hasTextSentences = raw.some((candidate) => !candidate.fromTitle);

  const candidates: Candidate[] = raw.map((candidate, index) => ({
    ...candidate,
    vector: normalizedVector(tokenLists[index]!, idf),
    score: 0,
  }));
  const centroid = new Map<string, number>();
  for (const candidate of candidates) {
    for (const [word, weight] of candidate.vector) centroid.set(word, (centroid.get(word) ?? 0) + weight);
  }
  // The story title pulls the centroid towards what the story is about.
  for (const word of new Set(titleWords)) if (idf.has(word)) centroid.set(word, (centroid.get(word) ?? 0) + 0.5);
  const centroidVector = unitVector(centroid);

  for (const candidate of candidates) {
    let score = cosine(candidate.vector, centroidVector);
    if (candidate.position === 0) score += 0.15;
    if (candidate.itemIndex === 0) score += 0.05;
    if (candidate.text.length > LONG_SENTENCE_CHARS) score *= 0.6;
    // A headline says less than a sentence of text, and repeats the story heading.
    if (candidate.fromTitle && hasTextSentences) score *= 0.5;
    // A digest's headlines outrank its other lines in their own order: the first ones lead.
    if (candidate.digest) score += 1 - candidate.position * 0.1;
    // A paper: its result is the news; the scene-setting first sentence is not.
    if (candidate.finding) score += 0.4;
    else if (candidate.background) score -= 0.2;
    candidate.score = Math.round(score * 1e6) / 1e6;
  }
  const ranked = [...candidates].sort(
    (a, b) => b.score - a.score || a.itemIndex - b.itemIndex || a.position - b.position,
  );
  const limit = Math.max(1, Math.min(3, maxSentences));
  const chosen: Candidate[] = [];
  let totalChars = 0;
  // A paper's scene-setting sentence is said only when fewer than two sentences say what it does.
  const passes = [(candidate: Candidate) => !candidate.background, () => true];
  for (const [index, allowed] of passes.entries()) {
    if (index > 0 && chosen.length >= Math.min(2, limit)) break;
    for (const candidate of ranked) {
      if (chosen.length >= limit) break;
      if (chosen.includes(candidate) || !allowed(candidate)) continue;
      if (chosen.some((other) => cosine(other.vector, candidate.vector) > 0.6)) continue;
      if (chosen.length > 0 && totalChars + candidate.text.length > 700) continue;
      chosen.push(candidate);
      totalChars += candidate.text.length;
    }
  }
  const toChosen = (candidate: Candidate): ChosenSentence => ({
    text: candidate.text,
    itemId: candidate.itemId,
    score: candidate.score,
    fromTitle: candidate.fromTitle,
  });
  // Reading order: a sentence that refers back after one that does not; item order, then position;
  // a paper's findings first, its scene-setting last.
  const reading = [...chosen].sort(
    (a, b) =>
      Number(a.refersBack) - Number(b.refersBack) ||
      Number(b.finding) - Number(a.finding) ||
      Number(a.background) - Number(b.background) ||
      a.itemIndex - b.itemIndex ||
      a.position - b.position,
  );
  // The best sentence stands alone (a top story's line): the best-scored that does not refer back.
  const best = chosen.find((candidate) => !candidate.refersBack) ?? chosen[0];
  return { sentences: reading.map(toChosen), best: best ? toChosen(best) : undefined };
}

/** Result words of a paper's sentence: numbers with units, comparisons, "we show", 提升, 达到. */
const FINDING_WORDS =
  /\b(?:outperform\w*|surpass\w*|achiev\w*|exceed(?:s|ed|ing)?\s+(?:(?:the|all|both|prior|previous|existing|strong|human|expert)\s+){0,3}(?:baselines?|methods?|models?|performance|sota|state[- ]of[- ]the[- ]art)|beat|beats|improv(?:es|ed|ing|ement|ements)\s+(?:[\w-]+\s+){0,6}(?:by|of)\s+[+~]?\d|we (?:show|find|found|demonstrate|observe|prove)|(?:results|experiments|evaluations?|analysis) (?:show|shows|demonstrate|demonstrates|indicate|indicates|reveal|reveals|confirm)|state[- ]of[- ]the[- ]art|new sota|speed-?ups?|reduc(?:es|ed|ing|tion) (?:[\w-]+\s+){0,6}(?:by|of)\s+[+~]?\d|up to \d)/iu;
const FINDING_ZH = /提升|提高|达到|超过|超越|优于|领先|降低了|减少了|缩短|加速|表明|证明|发现|取得/u;
/** A number with a unit of a result: "9.0-point", "9.8%", "3.2x", "2×", "+12 pp". */
const FINDING_NUMBER = /\d(?:[\d.,]*\d)?\s?(?:%|％|x\b|×|-?points?\b|pp\b|倍|个百分点)/iu;
/** Openings that set the scene rather than report a result. */
const BACKGROUND =
  /^(?:recent(?:ly)?\b|in recent years|despite|although|while\b|however|with the (?:rapid|growing|increasing)|as\b|(?:large )?language models\b|[\p{L}\s-]{0,60}\b(?:has|have) (?:become|emerged|shown|gained|attracted|achieved remarkable)|近年来|随着|目前|当前|尽管|虽然)/iu;
/**
 * A problem statement anywhere in the sentence: "…, yet synthesizing tasks remains challenging",
 * "Embodied agents are increasingly used …", "… is crucial for …", 仍面临挑战.
 */
const PROBLEM_STATEMENT =
  /,\s*yet\b|\b(?:remains?|remained)\s+(?:(?:a|an|largely|still)\s+)*(?:challenging|difficult|hard|unclear|underexplored|unexplored|elusive|limited|open (?:problem|question|challenge)|(?:key|major|significant|fundamental|critical) (?:challenge|bottleneck))\b|\b(?:is|are) increasingly\b|\b(?:is|are) (?:crucial|essential|critical|vital) (?:for|to)\b|仍(?:然)?(?:面临|是一[个项]?(?:挑战|难题))|面临(?:着)?(?:巨大|诸多|严峻)?(?:的)?挑战|亟待解决/iu;
/**
 * A sentence that opens by referring back to one before it ("This failure …", "These results …",
 * "It further …", "We identify this failure as …"): read alone, it points at nothing.
 */
const REFERS_BACK =
  /^(?:(?:this|these|those|such|it|its|they|their)\b|(?:we|it|they)\s+\w+\s+(?:this|these|such)\s+(?:failure|problem|issue|limitation|gap|challenge|phenomenon|behaviou?r|setting|bottleneck)s?\b|该|此|这(?:一|些|种)?)/iu;

/** A sentence that states a result: a number with a unit, a comparison, "we show", 提升, 达到. */
export function isFinding(sentence: string): boolean {
  return FINDING_WORDS.test(sentence) || FINDING_ZH.test(sentence) || FINDING_NUMBER.test(sentence);
}

/** A sentence that sets the scene ("Recent advances in …", "X has emerged as …", 近年来…) and states no result. */
export function isBackground(sentence: string): boolean {
  return (BACKGROUND.test(sentence.trim()) || PROBLEM_STATEMENT.test(sentence)) && !isFinding(sentence);
}

/** The words of a one-line description (dek) at least, so that a label is no dek. */
const MIN_DEK_WORDS = 5;
const MIN_DEK_HAN = 10;
/** A shorter dek still says something when it states a result ("97%尝试危险行为", "Up to 3.2x faster"). */
const MIN_FINDING_DEK_WORDS = 3;
const MIN_FINDING_DEK_HAN = 4;

/**
 * An item's dek: the first line of its text that describes it in a phrase ("A new OpenAI blog
 * exploring …") where no line is a full sentence — not its title again, not a label, heading in
 * Title Case, metadata, footer or anything the summary never quotes.
 */
export function dekOf(item: Pick<SummaryItem, 'title' | 'text'>): string | undefined {
  const fold = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{Nd}]+/gu, '');
  const title = fold(item.title);
  for (const raw of item.text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (fold(line) === title || /[:：]$/u.test(line) || line.length > MAX_SENTENCE_CHARS) return undefined;
    if (isMetadataOrFooter(line) || isHazardous(line) || sourceSentenceRefusal(line) !== undefined) return undefined;
    const han = (line.match(/\p{Script=Han}/gu) ?? []).length;
    const finding = isFinding(line);
    if (han > 0) return han >= (finding ? MIN_FINDING_DEK_HAN : MIN_DEK_HAN) ? line : undefined;
    const words = line.split(/\s+/).filter((word) => /\p{L}/u.test(word));
    const longer = words.filter((word) => word.replace(/[^\p{L}]/gu, '').length > 3);
    const capitalised = longer.filter((word) => /^[^\p{L}]*\p{Lu}/u.test(word));
    const titleCase = longer.length >= 3 && capitalised.length / longer.length >= 0.8;
    return words.length >= (finding ? MIN_FINDING_DEK_WORDS : MIN_DEK_WORDS) && !titleCase ? line : undefined;
  }
  return undefined;
}

/** A headline that teases instead of telling ("It’s X’s company now", "Why …?", "Meet …", 震惊). */
const TEASER =
  /^(?:it['’]s|it is|this is|here['’]s|here is|why|how|what|who|meet|welcome to|you|the (?:end|rise|fall) of)\b|\bnow[.!]?$|[?？!！]$|^(?:震惊|刚刚|突发|重磅|炸裂|太.{1,4}了)/iu;

/**
 * How much a headline says, for choosing among a story's titles: names (words named by their
 * form, and capitalised words inside a sentence-case title), numbers, and content words, less a
 * teaser's penalty. Deterministic.
 */
export function titleInformation(title: string): number {
  const text = title.trim();
  const terms = extractTerms(text);
  const keys = new Set(terms.map((term) => term.key));
  const named = new Set(terms.filter((term) => term.named).map((term) => term.key));
  const words = text.split(/\s+/).filter((word) => /\p{L}/u.test(word));
  const longer = words.filter((word) => word.replace(/[^\p{L}]/gu, '').length > 3);
  const titleCase =
    longer.length >= 3 && longer.filter((word) => /^[^\p{L}]*\p{Lu}/u.test(word)).length / longer.length >= 0.8;
  if (!titleCase) {
    // A capitalised word after the first names something ("Greg Brockman", "Slack").
    for (const word of words.slice(1)) {
      const letters = word.replace(/[^\p{L}\p{Nd}]/gu, '');
      if (/^\p{Lu}\p{Ll}/u.test(letters)) named.add(letters.toLowerCase());
    }
  }
  const numbers = (text.match(/\p{Nd}+(?:[.,]\p{Nd}+)*/gu) ?? []).length;
  let score = Math.min(named.size, 4) + Math.min(numbers, 3) * 0.75 + Math.min(keys.size, 12) * 0.2;
  if (TEASER.test(text)) score -= 2;
  return Math.round(score * 1000) / 1000;
}

/** A title beats the representative's only by this much: the first item's title is the default. */
const HEADLINE_MARGIN = 1;

/**
 * The index of the most informative of a story's titles (representative first): another title
 * replaces the first only when it says clearly more ({@link titleInformation}), ties keep the order.
 */
export function mostInformativeTitle(titles: readonly string[]): number {
  if (titles.length === 0) return 0;
  const scores = titles.map((title) => titleInformation(title));
  let best = 0;
  for (let index = 1; index < titles.length; index++) {
    if (scores[index]! >= scores[0]! + HEADLINE_MARGIN && scores[index]! > scores[best]!) best = index;
  }
  return best;
}

/**
 * Whether a title tells the reader something the headline does not: two content words or a
 * number that the headline lacks.
 */
export function addsInformation(title: string, headline: string): boolean {
  const known = new Set(tokens(headline));
  const fresh = new Set(tokens(title).filter((token) => !known.has(token)));
  const numbers = (title.match(/\p{Nd}+(?:[.,]\p{Nd}+)*/gu) ?? []).filter((number) => !headline.includes(number));
  return fresh.size >= 2 || numbers.length > 0;
}
