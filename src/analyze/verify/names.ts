/**
 * Proper names in a sentence, and whether an excerpt contains them.
 *
 * A name is
 * - any spelling of the alias table (./aliases.ts), Chinese or English ("谷歌", "Hugging Face");
 * - a Latin token with a letter and a digit ("GPT-5", "H100", "LFM2.5-DSpark", "720P", "4o");
 * - a Latin token with a capital after its first letter ("DeepSeek", "OpenAI", "xAI", "NVIDIA"),
 *   unless it is a common acronym ("AI", "API", "LLM", "GPU", …);
 * - in an English sentence, a capitalised word that does not start the sentence ("… said Netflix"),
 *   unless it is a month, a weekday or another word capitalised by rule ("English", "I");
 * - in a Chinese sentence, any Latin word of two letters or more (a Latin word in Chinese text is a
 *   name or a term the source spells the same way), unless it is a common acronym.
 * - a name written in Chinese characters that transliterates a Latin one ("格雷格·布罗克曼"), see
 *   ./transliteration.ts.
 * A name directly followed by a version ("Claude Opus 4.1", "DeepSeek V4", "Qwen 3.6") is one name.
 *
 * A name is found in an excerpt when its parts appear in order with spaces, hyphens or nothing
 * between them ("DeepSeek V4" = "DeepSeek-V4" = "deepseek v4"), case-insensitively, not inside a
 * longer word or version ("GPT-4" is not in "GPT-4.5" nor in "GPT-4o"); a leading "v" of a version
 * may be absent on either side ("V2.5" = "2.5"); the first part may be any spelling of its entity
 * ("Qwen4.5" = "千问4.5"); a plural "s" may be added or dropped.
 */
import { CJK, entityOfAlias, entityPattern, escapeRegExp, findAliases } from './aliases.js';
import type { Span } from './numbers.js';
import { overlaps } from './numbers.js';
import { findTransliterations } from './transliteration.js';

export interface NameMention {
  /** As written in the sentence. */
  text: string;
  /** Matches the name in lower-cased, normalised excerpt text. */
  pattern: RegExp;
  /** Offset in the sentence. */
  index?: number;
}

/** Upper-case words that are ordinary vocabulary, not names. */
const COMMON_ACRONYMS: ReadonlySet<string> = new Set(
  (
    'ai agi asi api apis llm llms vlm vlms slm gpu gpus cpu cpus tpu tpus npu ceo cto cfo coo cso vp ml nlp rl sdk ' +
    'sdks ui ux us usa uk eu un pc os it ipo r&d vr ar xr qa faq pdf html css json xml http https url urls sql tv id ' +
    'ok am pm cn en gdp ip iot saas paas b2b b2c app apps ios rag sota oss genai cv asr tts ocr gui cli ide ides ' +
    'faqs usb hbm ram ssd dram nand fp fps hd uhd mb gb tb kb ms ph phd dr mr ms mrs vs etc inc ltd co corp llc ' +
    'ipa rss ci cd devops mcp aigc agent agents usd rmb cny eur gbp jpy hkd'
  ).split(/\s+/),
);

/**
 * Words that start English sentences without being names: function words and frequent openers. A
 * capitalised first word is a name unless it is one of these, or looks like an inflected word
 * ("Moving", "Improved", "Recently").
 */
const SENTENCE_OPENERS: ReadonlySet<string> = new Set(
  (
    "a an the this that these those it its it's they their them there here he she his her we our you your i my " +
    'in on at by for with from to of as after before while when where why how what which who whose whom if then ' +
    'than once since until unless although though because so but and or nor yet also even still just only both ' +
    'each every all any some many most more much few several no not none one two three four five six seven eight ' +
    'nine ten new next last first second third other another such same meanwhile however moreover furthermore ' +
    'instead overall together today yesterday tomorrow now later earlier early future further according among ' +
    'across against along around about above below under over into onto through throughout during within without ' +
    'per via up down out off again already almost always never often sometimes soon is are was were be been has ' +
    'have had do does did can could will would shall should may might must let users researchers developers ' +
    'companies customers people experts analysts engineers scientists authors teams models results tests ' +
    'benchmarks experiments data studies study research report reports paper papers evaluation experts critics ' +
    'investors officials executives workers students teachers doctors patients governments regulators ' +
    'accuracy performance revenue sales profit growth demand adoption usage access support pricing price prices ' +
    'cost costs funding training inference compute memory latency throughput speed quality safety security ' +
    'version versions release releases update updates features feature tools tool agents agent model products ' +
    'product service services platform platforms apps app code software hardware chips chip prototypes ' +
    'scores score gains gain rates rate traffic downloads shares revenue profits losses spending ' +
    'pretraining post-training fine-tuning evaluations evals questions answers tasks task videos images text ' +
    'both either neither whether despite besides beyond given like unlike plus'
  ).split(/\s+/),
);

/** Words written with a capital by rule in English. */
const CAPITALISED_WORDS: ReadonlySet<string> = new Set(
  (
    "i i'm i've i'd i'll monday tuesday wednesday thursday friday saturday sunday january february march " +
    'april may june july august september october november december english chinese american european ' +
    'japanese korean french german british indian internet'
  ).split(/\s+/),
);

const LATIN_TOKEN = /(?<![A-Za-z0-9])[A-Za-z0-9]+(?:[.\-_+&'][A-Za-z0-9]+)*(?![A-Za-z0-9])/g;
/** A number that is a quantity, not a name: "12", "1.2k", "5-10T", "12B", "3x", "1,200". */
const QUANTITY_TOKEN = /^\d+(?:[.,]\d+)*(?:-\d+(?:[.,]\d+)*)?(?:k|m|b|t|bn|mn|x)?$/i;
const VERSION_AFTER =
  /^[ -]?((?:v|V)\d+(?:\.\d+)*[a-z]?|\d+(?:\.\d+)+[a-z]?|\d{1,2}[a-z]?)(?![A-Za-z0-9%]|\.\d|\s*(?:%|倍|x\b|times|percent|billion|million|trillion|thousand|[万亿千]))/;

/**
 * The names of a text (NFKC-normalised, with already-read spans skipped). `language` decides which
 * Latin words count (see the module comment).
 */
export function extractNames(
  text: string,
  language: 'zh' | 'en',
  skip: readonly Span[] = [],
): { names: NameMention[]; spans: Span[] } {
  const names: NameMention[] = [];
  const spans: Span[] = [];
  const aliases = findAliases(text);
  // Transliterations first, so that a dotted name holding an alias ("萨姆·奥特曼") is one name.
  const aliasSpans = aliases.map((alias) => ({ start: alias.index, end: alias.index + alias.text.length }));
  for (const mention of findTransliterations(text, aliasSpans)) {
    const end = mention.index + mention.text.length;
    if (overlaps(skip, mention.index, end)) continue;
    names.push(mention);
    spans.push({ start: mention.index, end });
  }
  for (const alias of aliases) {
    let end = alias.index + alias.text.length;
    if (overlaps(skip, alias.index, end) || overlaps(spans, alias.index, end)) continue;
    // A Latin spelling followed by a version is one name ("Gemini 3", "Claude 4"): its first part
    // may be any spelling of the entity, the version must match.
    const version = CJK.test(alias.text) ? null : VERSION_AFTER.exec(text.slice(end));
    if (version && !overlaps(skip, end, end + version[0].length)) {
      end += version[0].length;
      const written = text.slice(alias.index, end);
      names.push({ text: written, pattern: namePattern(written), index: alias.index });
    } else {
      names.push({ text: alias.text, pattern: new RegExp(entityPattern(alias.entity), 'u'), index: alias.index });
    }
    spans.push({ start: alias.index, end });
  }
  LATIN_TOKEN.lastIndex = 0;
  for (let match = LATIN_TOKEN.exec(text); match !== null; match = LATIN_TOKEN.exec(text)) {
    let token = match[0].replace(/'s$/i, '');
    const start = match.index;
    if (overlaps(skip, start, start + token.length) || overlaps(spans, start, start + token.length)) continue;
    if (!isName(token, text, start, language)) continue;
    const version = VERSION_AFTER.exec(text.slice(start + token.length));
    if (
      version &&
      !/\d/.test(token.slice(-1)) &&
      !overlaps(skip, start + token.length, start + token.length + version[0].length)
    ) {
      token = `${token}${version[0]}`;
      LATIN_TOKEN.lastIndex = start + token.length;
    }
    names.push({ text: token, pattern: namePattern(token), index: start });
    spans.push({ start, end: start + token.length });
  }
  return { names, spans };
}

function isName(token: string, text: string, start: number, language: 'zh' | 'en'): boolean {
  // Any Latin run is a name candidate, however long: a 200-letter "name" is checked like any other
  // (and is not in the excerpt), never skipped.
  if (QUANTITY_TOKEN.test(token)) return false;
  // A quantity joined to a word is an adjective, not a name: "1M-token", "7B-parameter", "10x-faster".
  const [head = '', ...rest] = token.split('-');
  if (rest.length > 0 && QUANTITY_TOKEN.test(head) && rest.every((word) => /^[a-z]+$/.test(word))) return false;
  const lower = token.toLowerCase();
  if (entityOfAlias(token) !== undefined) return true;
  const hasLetter = /[A-Za-z]/.test(token);
  const hasDigit = /\d/.test(token);
  if (!hasLetter) return false;
  if (hasDigit) return !/^\d+(?:st|nd|rd|th|s)$/i.test(token);
  if (COMMON_ACRONYMS.has(lower)) return false;
  if (language === 'zh') return token.length >= 2 && !CAPITALISED_WORDS.has(lower);
  const innerCapital = /[A-Z]/.test(token.slice(1));
  if (innerCapital) return true;
  if (!/^[A-Z]/.test(token)) return false;
  if (CAPITALISED_WORDS.has(lower)) return false;
  if (!startsSentence(text, start)) return true;
  // A sentence's first word: a name unless it is an ordinary opener or an inflected word.
  return !SENTENCE_OPENERS.has(lower) && !/(?:ing|ed|ly)$/.test(lower);
}

/** True when only punctuation, quotes or nothing come before this offset in its sentence. */
function startsSentence(text: string, start: number): boolean {
  const before = text.slice(0, start);
  return /(?:^|[.!?:;。！？：；]\s*)["'“‘(（「『\s]*$/u.test(before);
}

/**
 * How a name may end in the excerpt: a plural "s" is optional; a name ending in a letter may be
 * followed by a version ("Qwen" is in "Qwen4.5") but not by more letters; one ending in a digit may
 * not go on with a digit, a letter or a decimal ("GPT-4" is not in "GPT-4.5" nor "GPT-4o").
 */
const LETTER_END = "(?:'?s|es)?(?![a-z])";
const DIGIT_END = '(?![a-z0-9]|\\.\\d)';

/** The excerpt-side pattern of a Latin name (see the module comment). */
export function namePattern(name: string): RegExp {
  const lower = name.normalize('NFKC').toLowerCase().replace(/'s$/, '');
  const parts = lower.match(/\d+(?:\.\d+)*|[a-z]+|[^\sa-z0-9\-_]+/g) ?? [];
  const sources: string[] = [];
  parts.forEach((part, index) => {
    const next = parts[index + 1];
    if (part === 'v' && next !== undefined && /^\d/.test(next)) return; // the version's "v", optional below
    let source: string;
    if (/^[a-z]+$/.test(part)) {
      const entity = index === 0 ? entityOfAlias(part) : undefined;
      const isLast = index === parts.length - 1;
      source =
        entity !== undefined
          ? entityPattern(entity)
          : escapeRegExp(isLast && part.length > 3 && part.endsWith('s') ? part.slice(0, -1) : part);
    } else if (/^\d/.test(part)) {
      source = `(?:v[\\s\\-_]*)?${escapeRegExp(part)}`;
    } else {
      source = escapeRegExp(part);
    }
    sources.push(source);
  });
  const body = sources.join('[\\s\\-_]*');
  const first = parts[0] ?? '';
  const start = CJK.test(first) ? '' : '(?<![a-z0-9])';
  const last = parts[parts.length - 1] ?? '';
  return new RegExp(`${start}${body}${/\d$/.test(last) ? DIGIT_END : LETTER_END}`, 'u');
}
