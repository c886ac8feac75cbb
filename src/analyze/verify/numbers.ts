/**
 * Numbers and dates in a text, normalised so that spellings of one value compare equal:
 *
 * - digits: NFKC first, so full-width "６８％" is "68%"; "1,200" = "1200"; "1,2" is a decimal comma
 * - scales (src/core/quantity.ts, shared with the clustering evidence): k/K, M, B/bn, T, thousand,
 *   million, billion, trillion, 千, 万, 十万, 百万, 千万, 亿, 十亿, 百亿,
 *   千亿, 万亿 ("1.2k" = "1,200"; "12B" = "12 billion" = "120亿"; "5-10T" = "5-10万亿" = "5–10 trillion")
 * - ranges: "5-10", "5–10", "5 to 10", "5至10", "5~10" (the scale after the range applies to both ends)
 * - units: percent ("68%" = "68 percent" = "68 per cent" = "百分之六十八" = "68％"), multiples
 *   ("10x" = "10 times" = "10倍"), money ("$20" = "US$20" = "USD 20" = "20 dollars" = "20美元";
 *   "20元" = "¥20" = "RMB 20" = "人民币20"; euros, pounds, yen, HK dollars), durations ("146.8 hours" =
 *   "146.8小时"; hours, minutes, seconds, days, weeks, months), data sizes (KB, MB, GB, TB) and power
 *   (MW, GW, "5 gigawatts" = "5吉瓦"): a unit is compared by name, not converted
 * - English number words two … twelve, twenty, thirty, … ("three models" = "3 models"), and Chinese
 *   counts: a numeral with a measure word or a scale ("五家" = 5, "三倍" = 3x, "三千亿美元" = $300B)
 * - dates: "2026-08-21" = "2026/8/21" = "Aug 21, 2026" = "21 August 2026" = "2026年8月21日" =
 *   "8月21日"; a month alone ("in August", "8月") is a date with only a month
 *
 * Pure functions of the text.
 */

import { parseNumber, SCALE_LETTER_PATTERN, SCALE_WORD_PATTERN, scaleFactor } from '../../core/quantity.js';

/** '' for a bare number; otherwise the unit a quantity is counted in, one spelling per unit. */
export type Unit =
  | ''
  | '%'
  | 'x'
  | 'usd'
  | 'cny'
  | 'eur'
  | 'gbp'
  | 'jpy'
  | 'hkd'
  | 'hour'
  | 'minute'
  | 'second'
  | 'day'
  | 'week'
  | 'month'
  | 'kb'
  | 'mb'
  | 'gb'
  | 'tb'
  | 'mw'
  | 'gw';

export interface Quantity {
  /** The value, scaled ("12B" → 12e9). */
  low: number;
  /** The upper end of a range. */
  high?: number;
  unit: Unit;
  /** As written (for messages). */
  text: string;
  /** Offset in the text it was read from. */
  index?: number;
}

export interface DateMention {
  year?: number;
  month: number;
  day?: number;
  text: string;
  /** Offset in the text it was read from. */
  index?: number;
}

/** A span of the text already read as something (a date, a quantity, a name). */
export interface Span {
  start: number;
  end: number;
}

/**
 * NFKC, curly apostrophes straight, TeX escapes of "%" and "$" undone (arXiv abstracts write
 * "50\\%"), Chinese percentages in digits ("百分之六十八" → "68%").
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\\([%$])/g, '$1')
    .replace(/百分之([零〇一二两三四五六七八九十百点]+|\d+(?:\.\d+)?)/g, (whole, digits: string) => {
      const value = /\d/.test(digits) ? Number(digits) : parseChineseNumeral(digits);
      return value === undefined ? whole : `${value}%`;
    });
}

const CHINESE_DIGITS: ReadonlyMap<string, number> = new Map([
  ['零', 0],
  ['〇', 0],
  ['一', 1],
  ['二', 2],
  ['两', 2],
  ['三', 3],
  ['四', 4],
  ['五', 5],
  ['六', 6],
  ['七', 7],
  ['八', 8],
  ['九', 9],
]);

/** "六十八" → 68, "十五点五" → 15.5, "一百" → 100, "三千" → 3000; undefined when it is not a numeral. */
export function parseChineseNumeral(text: string): number | undefined {
  const [integerPart = '', fractionPart] = text.split('点');
  let total = 0;
  let digit: number | undefined;
  for (const character of integerPart) {
    const value = CHINESE_DIGITS.get(character);
    if (value !== undefined) {
      digit = value;
    } else if (character === '十' || character === '百' || character === '千') {
      total += (digit ?? 1) * (character === '十' ? 10 : character === '百' ? 100 : 1000);
      digit = undefined;
    } else {
      return undefined;
    }
  }
  total += digit ?? 0;
  if (fractionPart === undefined) return integerPart === '' ? undefined : total;
  let fraction = '';
  for (const character of fractionPart) {
    const value = CHINESE_DIGITS.get(character);
    if (value === undefined) return undefined;
    fraction += String(value);
  }
  return fraction === '' ? undefined : Number(`${total}.${fraction}`);
}

function unitOfWord(word: string | undefined): Unit {
  if (word === undefined) return '';
  const lower = word.toLowerCase().replace(/\s+/g, ' ');
  if (lower === '%' || lower.startsWith('percent') || lower === 'per cent') return '%';
  if (lower === '倍' || lower === 'x' || lower === 'times' || lower === 'fold') return 'x';
  if (/^(?:us\$|\$|usd|dollars?|美元|美金|us dollars?)$/.test(lower)) return 'usd';
  if (/^(?:¥|rmb|cny|yuan|元|人民币|块)$/.test(lower)) return 'cny';
  if (/^(?:€|eur|euros?|欧元)$/.test(lower)) return 'eur';
  if (/^(?:£|gbp|pounds?|英镑)$/.test(lower)) return 'gbp';
  if (/^(?:jpy|yen|日元)$/.test(lower)) return 'jpy';
  if (/^(?:hk\$|hkd|港元|港币)$/.test(lower)) return 'hkd';
  if (/^(?:hours?|hrs?|小时|个小时)$/.test(lower)) return 'hour';
  if (/^(?:minutes?|mins?|分钟)$/.test(lower)) return 'minute';
  if (/^(?:seconds?|secs?|秒|秒钟)$/.test(lower)) return 'second';
  if (/^(?:days?|天)$/.test(lower)) return 'day';
  if (/^(?:weeks?|周|个星期|星期)$/.test(lower)) return 'week';
  if (/^(?:months?|个月)$/.test(lower)) return 'month';
  if (/^(?:kb|kilobytes?)$/.test(lower)) return 'kb';
  if (/^(?:mb|megabytes?)$/.test(lower)) return 'mb';
  if (/^(?:gb|gigabytes?)$/.test(lower)) return 'gb';
  if (/^(?:tb|terabytes?)$/.test(lower)) return 'tb';
  if (/^(?:mw|megawatts?|兆瓦)$/.test(lower)) return 'mw';
  if (/^(?:gw|gigawatts?|吉瓦|千兆瓦)$/.test(lower)) return 'gw';
  return '';
}

const NUMBER = String.raw`\d+(?:[.,]\d+)*`;
const CURRENCY_BEFORE = String.raw`(us\$|hk\$|\$|¥|€|£|(?:usd|rmb|cny|eur|gbp|jpy|hkd)\s?|人民币\s?)?`;
const RANGE = String.raw`(?:\s*(?:-|–|—|~|～|to|至|到)\s*\$?(${NUMBER}))?`;
const SCALE_WORD = String.raw`(?:\s*(${SCALE_WORD_PATTERN})(?![a-z])|(${SCALE_LETTER_PATTERN})(?![a-z]))?`;
const UNIT_AFTER = String.raw`(?:\s*|-)(%|percent(?:age points?)?|per cent|倍|x(?![a-z])|times|fold|us dollars?|dollars?|美元|美金|元|人民币|块|euros?|欧元|pounds?|英镑|日元|yen|港元|港币|usd|rmb|cny|eur|gbp|jpy|hkd|yuan|hours?|hrs?|个小时|小时|minutes?|mins?|分钟|seconds?|secs?|秒钟|秒|days?|天|weeks?|个星期|星期|周|months?|个月|kilobytes?|megabytes?|gigabytes?|terabytes?|kb|mb|gb|tb|megawatts?|gigawatts?|千兆瓦|兆瓦|吉瓦|mw|gw)?`;

/**
 * A number not glued to a word before it (so "GPT-5", "v2.5", "Qwen3" are not quantities), with an
 * optional currency before it and range, scale and unit after it.
 */
const QUANTITY = new RegExp(
  `${CURRENCY_BEFORE}(?<![a-z0-9._\\-/])(${NUMBER})${RANGE}${SCALE_WORD}${UNIT_AFTER}(?![a-z0-9])`,
  'giu',
);

const NUMBER_WORDS: ReadonlyMap<string, number> = new Map(
  (
    'two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9 ten:10 eleven:11 twelve:12 twenty:20 thirty:30 ' +
    'forty:40 fifty:50 sixty:60 seventy:70 eighty:80 ninety:90 hundred:100 dozen:12'
  )
    .split(' ')
    .map((pair) => {
      const [word = '', value = '0'] = pair.split(':');
      return [word, Number(value)] as const;
    }),
);
const NUMBER_WORD = new RegExp(`\\b(${[...NUMBER_WORDS.keys()].join('|')})\\b`, 'gi');

/**
 * A count in Chinese numerals ("五家", "两个", "三倍", "三千亿"): a numeral not after 第/数/几 (an
 * ordinal or a vague "several") nor inside a longer numeral, then a scale or a measure word. A lone
 * 一 is no count unless a scale follows ("一万" = 10,000) ("一个" is "a"), and 月 is no measure ("三月" is March).
 */
const CHINESE_COUNT =
  /(?<![第数几零〇一二两三四五六七八九十百千万亿\d])([两二三四五六七八九十][零〇一二两三四五六七八九十百千]*|一[十百千][零〇一二两三四五六七八九十百千]*|一(?=万|亿|千万|百万))(万亿|千亿|百亿|十亿|亿|千万|百万|万)?(个小时|个月|个星期|小时|分钟|倍|吉瓦|兆瓦|美元|元|个|款|家|位|名|项|种|次|年|天|周|篇|条|部|台|张|本|只|所|座|支|大|类|国|轮|期|代|人|份|场|组|层|步)?/gu;

/** Measure words that carry a unit. */
const CHINESE_UNIT_WORDS: ReadonlyMap<string, string> = new Map([
  ['个小时', '小时'],
  ['个星期', '星期'],
]);

function rangeIsReal(low: number, high: number): boolean {
  return high > low;
}

/** Quantities of a text, skipping spans already read; returns what it read as spans too. */
export function extractQuantities(text: string, skip: readonly Span[] = []): { quantities: Quantity[]; spans: Span[] } {
  const quantities: Quantity[] = [];
  const spans: Span[] = [];
  QUANTITY.lastIndex = 0;
  for (let match = QUANTITY.exec(text); match !== null; match = QUANTITY.exec(text)) {
    const start = match.index;
    const end = start + match[0].length;
    if (match[0].trim() === '') {
      QUANTITY.lastIndex += 1;
      continue;
    }
    if (overlaps(skip, start, end)) continue;
    const [whole, currency, lowText = '', highText, scaleWord, scaleLetter, unitWord] = match;
    let low = parseNumber(lowText);
    let high = highText === undefined ? undefined : parseNumber(highText);
    if (high !== undefined && !rangeIsReal(low, high)) {
      // "2-1" is a score, not a range: read the first number alone and look again after it.
      high = undefined;
      QUANTITY.lastIndex = start + (currency?.length ?? 0) + lowText.length;
      quantities.push({ low, unit: unitOfWord(currency?.trim()), text: `${currency ?? ''}${lowText}`, index: start });
      spans.push({ start, end: QUANTITY.lastIndex });
      continue;
    }
    const scale = scaleFactor(scaleWord ?? scaleLetter ?? '') ?? 1;
    low *= scale;
    if (high !== undefined) high *= scale;
    const unit = unitOfWord(currency?.trim()) || unitOfWord(unitWord);
    // A number too long to read is still a claim: it is kept (as NaN) so that it is never supported.
    if (!Number.isFinite(low)) low = Number.NaN;
    if (high !== undefined && !Number.isFinite(high)) high = Number.NaN;
    const written = whole.trim();
    const index = start + whole.indexOf(written);
    quantities.push(
      high === undefined ? { low, unit, text: written, index } : { low, high, unit, text: written, index },
    );
    spans.push({ start, end });
  }
  NUMBER_WORD.lastIndex = 0;
  for (let match = NUMBER_WORD.exec(text); match !== null; match = NUMBER_WORD.exec(text)) {
    if (overlaps(skip, match.index, match.index + match[0].length)) continue;
    const value = NUMBER_WORDS.get(match[0].toLowerCase());
    if (value !== undefined) quantities.push({ low: value, unit: '', text: match[0], index: match.index });
  }
  CHINESE_COUNT.lastIndex = 0;
  for (let match = CHINESE_COUNT.exec(text); match !== null; match = CHINESE_COUNT.exec(text)) {
    const [whole, numeral = '', scaleWord, following = ''] = match;
    if (
      overlaps(skip, match.index, match.index + whole.length) ||
      overlaps(spans, match.index, match.index + whole.length)
    ) {
      continue;
    }
    // A bare numeral is not counted ("三月" is March, "十分" is "very"): it needs a scale or a measure word.
    if (scaleWord === undefined && following === '') continue;
    const value = parseChineseNumeral(numeral);
    if (value === undefined) continue;
    const scale = scaleWord === undefined ? 1 : (scaleFactor(scaleWord) ?? 1);
    quantities.push({
      low: value * scale,
      unit: unitOfWord(CHINESE_UNIT_WORDS.get(following) ?? following),
      text: whole,
      index: match.index,
    });
  }
  return { quantities, spans };
}

/** Every digit run of a text, glued to words or not ("GPT-4.5" gives 4.5, "Qwen3.6-27B" 3.6 and 27). */
export function looseNumbers(text: string): number[] {
  return [...text.matchAll(/\d+(?:[.,]\d+)*/g)].map((match) => parseNumber(match[0]));
}

const MONTHS: ReadonlyMap<string, number> = new Map([
  ['jan', 1],
  ['feb', 2],
  ['mar', 3],
  ['apr', 4],
  ['may', 5],
  ['jun', 6],
  ['jul', 7],
  ['aug', 8],
  ['sep', 9],
  ['oct', 10],
  ['nov', 11],
  ['dec', 12],
]);
const MONTH_NAME =
  '(January|February|March|April|May|June|July|August|September|October|November|December|' +
  'Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\.?';

const DATE_PATTERNS: readonly { pattern: RegExp; read: (match: RegExpExecArray) => Omit<DateMention, 'text'> }[] = [
  {
    pattern: /(?<![\d.])(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*[日号])?(?![\d.])/g,
    read: (m) => ({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }),
  },
  {
    pattern: /(?<![\d.])(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?/g,
    read: (m) => ({
      ...(m[1] ? { year: Number(m[1]) } : {}),
      month: Number(m[2]),
      ...(m[3] ? { day: Number(m[3]) } : {}),
    }),
  },
  {
    pattern: new RegExp(`\\b${MONTH_NAME}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?![\\d:])(?:,?\\s+(\\d{4})(?!\\d))?`, 'g'),
    read: (m) => ({ month: monthNumber(m[1]), day: Number(m[2]), ...(m[3] ? { year: Number(m[3]) } : {}) }),
  },
  {
    pattern: new RegExp(
      `(?<![\\d.])(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH_NAME}(?:,?\\s+(\\d{4})(?!\\d))?`,
      'g',
    ),
    read: (m) => ({ month: monthNumber(m[2]), day: Number(m[1]), ...(m[3] ? { year: Number(m[3]) } : {}) }),
  },
  {
    pattern: new RegExp(`\\b${MONTH_NAME}(?:,?\\s+(\\d{4})(?!\\d))?\\b`, 'g'),
    read: (m) => ({ month: monthNumber(m[1]), ...(m[2] ? { year: Number(m[2]) } : {}) }),
  },
];

function monthNumber(name: string | undefined): number {
  return MONTHS.get((name ?? '').slice(0, 3).toLowerCase()) ?? 0;
}

/** Dates of a text (case as written: "may" in lower case is a verb, not May). */
export function extractDates(text: string): { dates: DateMention[]; spans: Span[] } {
  const dates: DateMention[] = [];
  const spans: Span[] = [];
  for (const { pattern, read } of DATE_PATTERNS) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const start = match.index;
      const end = start + match[0].length;
      if (overlaps(spans, start, end)) continue;
      const date = read(match);
      const valid =
        date.month >= 1 &&
        date.month <= 12 &&
        (date.day === undefined || (date.day >= 1 && date.day <= 31)) &&
        (date.year === undefined || (date.year >= 1900 && date.year <= 2200));
      if (!valid) continue;
      // A month name alone that is also a word ("May", "March") counts only when capitalised mid-text.
      if (date.day === undefined && date.year === undefined && /^(?:May|March)$/.test(match[0].trim())) continue;
      dates.push({ ...date, text: match[0].trim(), index: start + match[0].indexOf(match[0].trim()) });
      spans.push({ start, end });
    }
  }
  return { dates, spans };
}

export function overlaps(spans: readonly Span[], start: number, end: number): boolean {
  return spans.some((span) => span.start < end && start < span.end);
}

/** Replace spans by spaces (offsets stay valid). */
export function mask(text: string, spans: readonly Span[]): string {
  let result = text;
  for (const span of spans) {
    result = result.slice(0, span.start) + ' '.repeat(span.end - span.start) + result.slice(span.end);
  }
  return result;
}

function sameValue(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/** What an excerpt says in numbers, for {@link quantitySupported} and {@link dateSupported}. */
export interface NumberEvidence {
  quantities: Quantity[];
  loose: number[];
  dates: DateMention[];
  /** Quantities by each of their values ({@link valueKey}), so a look-up does not scan them all. */
  byValue: Map<number, Quantity[]>;
  looseKeys: Set<number>;
}

/** Values equal to twelve significant digits share a key ("4.2亿" = 4.2 × 1e8 = 420000000). */
function valueKey(value: number): number {
  return Number(value.toPrecision(12));
}

export function numberEvidence(normalised: string): NumberEvidence {
  const { dates } = extractDates(normalised);
  // Quantities both as written and with words split off ("Qwen3.6-27B" also gives "27B").
  const asWritten = extractQuantities(normalised).quantities;
  const split = extractQuantities(normalised.replace(/([A-Za-z0-9])[-_/]([0-9])/g, '$1 $2')).quantities;
  const quantities = [...asWritten, ...split];
  const loose = [
    ...looseNumbers(normalised),
    ...quantities.flatMap((q) => (q.high === undefined ? [q.low] : [q.low, q.high])),
  ];
  const byValue = new Map<number, Quantity[]>();
  for (const quantity of quantities) {
    for (const value of quantity.high === undefined ? [quantity.low] : [quantity.low, quantity.high]) {
      const key = valueKey(value);
      const list = byValue.get(key);
      if (list === undefined) byValue.set(key, [quantity]);
      else list.push(quantity);
    }
  }
  return { quantities, loose, dates, byValue, looseKeys: new Set(loose.map(valueKey)) };
}

/**
 * A quantity is supported by one of the same value(s) and the same unit (a sentence that states no
 * unit matches any unit; one that states a unit never matches another: "68%" is not "68 dollars").
 * A single value may be one end of a range ("up to 10T" from "5-10T"); a plain number also matches
 * any digits of the excerpt ("version 2.5" from "V2.5").
 */
export function quantitySupported(quantity: Quantity, evidence: NumberEvidence): boolean {
  if (!Number.isFinite(quantity.low)) return false;
  const unitFits = (other: Quantity): boolean => quantity.unit === '' || quantity.unit === other.unit;
  const candidates = evidence.byValue.get(valueKey(quantity.low)) ?? [];
  if (quantity.high !== undefined) {
    const high = quantity.high;
    return candidates.some(
      (other) =>
        unitFits(other) &&
        other.high !== undefined &&
        sameValue(other.low, quantity.low) &&
        sameValue(other.high, high),
    );
  }
  if (candidates.some(unitFits)) return true;
  return quantity.unit === '' && evidence.looseKeys.has(valueKey(quantity.low));
}

/**
 * Same month, same day when the sentence gives one; a year the sentence gives must be the date's
 * year, or, for a date written without one ("9月22日"), a number of the excerpt ("…，2026云栖大会").
 */
export function dateSupported(date: DateMention, evidence: NumberEvidence): boolean {
  return evidence.dates.some(
    (other) =>
      other.month === date.month &&
      (date.day === undefined || other.day === date.day) &&
      (date.year === undefined ||
        other.year === date.year ||
        (other.year === undefined && evidence.loose.includes(date.year))),
  );
}
