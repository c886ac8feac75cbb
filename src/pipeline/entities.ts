/**
 * Named entities and quantities in titles: evidence that two differently worded items report one story.
 *
 * - **Entities** come from one alias table ({@link ENTITY_ALIASES}): each entry is a canonical id and
 *   the names it goes by in English and Chinese ("Qwen" = "千问" = "通义千问"). Latin aliases match
 *   as whole words, case-insensitively, and may be followed by a version ("Qwen4.5", "GLM-5");
 *   Chinese aliases match as substrings ("阿里" in "阿里巴巴"). {@link canonicalEntityText} rewrites
 *   every alias to its id, so a title tokenised after it counts "千问" and "Qwen" as one word.
 * - **Quantities** are numbers with a scale, a range or a unit, normalised to one spelling:
 *   "5-10T" = "5-10万亿" = "5–10 trillion" → "5e12-1e13"; "120亿" = "12B" → "1.2e10";
 *   "1.2k" → "1200"; "87.9%" → "87.9%"; "1000倍" = "1000x" → "1000x". A bare small number ("3"),
 *   a year ("2026") or a number inside a name ("GPT-5.5", "Qwen3.8-27B", "720P") is no quantity:
 *   versions are the near-duplicate guard's business (cluster.ts), not evidence.
 *
 * Pure functions of the text; NFKC first, so full-width digits and letters count as ASCII ones.
 */

import { parseNumber, SCALE_LETTER_PATTERN, SCALE_WORD_PATTERN, scaleFactor } from '../core/quantity.js';
import { tokenText } from './tokenize.js';

/**
 * Canonical entity id (ASCII, lower case, one word) → its aliases. Companies and labs and their
 * product or model lines; a product is its own entity (Qwen is not Alibaba: a title naming Alibaba
 * and one naming Qwen share no entity by that alone).
 */
// biome-ignore format: a table reads better packed
export const ENTITY_ALIASES: Readonly<Record<string, readonly string[]>> = {
  openai: ['OpenAI', '开放人工智能'],
  chatgpt: ['ChatGPT'],
  anthropic: ['Anthropic'],
  claude: ['Claude'],
  google: ['Google', '谷歌'],
  deepmind: ['DeepMind', 'Google DeepMind'],
  gemini: ['Gemini', '双子座'],
  gemma: ['Gemma'],
  microsoft: ['Microsoft', '微软'],
  copilot: ['Copilot'],
  meta: ['Meta', 'Meta AI', 'Facebook', '脸书'],
  llama: ['Llama', 'LLaMA'],
  nvidia: ['NVIDIA', 'Nvidia', '英伟达', '辉达'],
  alibaba: ['Alibaba', 'Aliyun', 'Alibaba Cloud', '阿里', '阿里巴巴', '阿里云'],
  qwen: ['Qwen', '千问', '通义千问', '通义', 'Tongyi'],
  deepseek: ['DeepSeek', '深度求索'],
  bytedance: ['ByteDance', '字节跳动', '字节'],
  doubao: ['Doubao', '豆包'],
  seedance: ['Seedance'],
  tencent: ['Tencent', '腾讯'],
  hunyuan: ['Hunyuan', '混元'],
  baidu: ['Baidu', '百度'],
  ernie: ['ERNIE', '文心', '文心一言'],
  moonshot: ['Moonshot', 'Moonshot AI', '月之暗面', 'Kimi'],
  zhipu: ['Zhipu', 'Zhipu AI', 'Z.ai', '智谱', 'GLM', 'ChatGLM'],
  minimax: ['MiniMax', '稀宇'],
  xai: ['xAI', 'Grok'],
  mistral: ['Mistral', 'Mistral AI'],
  apple: ['Apple', '苹果公司'],
  amazon: ['Amazon', 'AWS', '亚马逊'],
  huawei: ['Huawei', '华为', '鸿蒙', 'HarmonyOS'],
  xiaomi: ['Xiaomi', '小米', 'MiMo'],
  kuaishou: ['Kuaishou', '快手', 'Kling', '可灵'],
  stepfun: ['StepFun', '阶跃星辰'],
  baichuan: ['Baichuan', '百川智能'],
  iflytek: ['iFlytek', '科大讯飞', '讯飞'],
  sensetime: ['SenseTime', '商汤'],
  huggingface: ['Hugging Face', 'HuggingFace'],
  stability: ['Stability AI', 'Stable Diffusion'],
  midjourney: ['Midjourney'],
  perplexity: ['Perplexity'],
  cohere: ['Cohere'],
  samsung: ['Samsung', '三星'],
  tesla: ['Tesla', '特斯拉'],
  sora: ['Sora'],
  lightricks: ['Lightricks', 'LTX'],
};

/** Aliases that are also English words: as a prefix of a hyphenated word they are the word. */
export const WORD_ALIASES: ReadonlySet<string> = new Set([
  'meta',
  'apple',
  'amazon',
  'mistral',
  'gemini',
  'claude',
  'sora',
]);

interface AliasMatcher {
  pattern: RegExp;
  entityOf: Map<string, string>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

/**
 * One pattern over all aliases, longest first (so "通义千问" wins over "通义", "Google DeepMind"
 * over "Google"). A Latin alias must not touch a letter or digit before it, nor a letter after it
 * (a digit or a hyphen may follow: "Qwen4.5", "DeepSeek-V4"); an alias that is also an English word
 * ({@link WORD_ALIASES}) must not be followed by a hyphen ("meta-learning").
 */
function buildMatcher(table: Readonly<Record<string, readonly string[]>>): AliasMatcher {
  const entityOf = new Map<string, string>();
  for (const [id, aliases] of Object.entries(table)) {
    for (const alias of aliases) entityOf.set(alias.normalize('NFKC').toLowerCase(), id);
  }
  const aliases = [...entityOf.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const latin = aliases.filter((alias) => !CJK.test(alias));
  const cjk = aliases.filter((alias) => CJK.test(alias));
  const word = (alias: string) => `${escapeRegExp(alias)}(?![a-z]${WORD_ALIASES.has(alias) ? '|-' : ''})`;
  // A Latin alias and one that opens with a CJK character never match at one place: the two groups,
  // each longest first, find what one alternation of all finds, and the group of Latin aliases asks
  // for no letter before them once rather than alias by alias (the faster pattern).
  const grouped = latin.length > 0 && cjk.length > 0 && cjk.every((alias) => CJK.test(alias.charAt(0)));
  const pattern = grouped
    ? `(?<![a-z0-9])(?:${latin.map(word).join('|')})|${cjk.map(escapeRegExp).join('|')}`
    : aliases.map((alias) => (CJK.test(alias) ? escapeRegExp(alias) : `(?<![a-z0-9])${word(alias)}`)).join('|');
  return { pattern: new RegExp(pattern, 'g'), entityOf };
}

const MATCHER = buildMatcher(ENTITY_ALIASES);

/** Canonical ids of the entities a text names, sorted, without duplicates. */
export function extractEntities(text: string): string[] {
  const found = new Set<string>();
  const normalised = tokenText(text);
  MATCHER.pattern.lastIndex = 0;
  for (let match = MATCHER.pattern.exec(normalised); match !== null; match = MATCHER.pattern.exec(normalised)) {
    const id = MATCHER.entityOf.get(match[0]);
    if (id) found.add(id);
  }
  return [...found].sort();
}

/**
 * The text (NFKC, lower case) with every alias replaced by its entity id between spaces:
 * "阿里吴泳铭：千问将训练" → " alibaba 吴泳铭: qwen 将训练"; a Latin alias glued to a version keeps it
 * ("Qwen4.5" → " qwen4.5", "GLM-5" → " zhipu-5"). Tokenising this instead of the title makes aliases
 * one token.
 */
export function canonicalEntityText(text: string): string {
  return replaceAliases(tokenText(text), undefined);
}

/**
 * {@link canonicalEntityText} and {@link extractEntities} of one text from one pass of the alias
 * pattern: the aliases it rewrites are the matches extractEntities counts.
 */
export function canonicalEntities(text: string): { text: string; entities: string[] } {
  const found: string[] = [];
  const canonical = replaceAliases(tokenText(text), found);
  return { text: canonical, entities: found.length < 2 ? found : [...new Set(found)].sort() };
}

/** The normalised text with every alias written as its id; each id found is pushed onto `found`. */
function replaceAliases(normalised: string, found: string[] | undefined): string {
  MATCHER.pattern.lastIndex = 0;
  return normalised.replace(MATCHER.pattern, (alias: string, offset: number) => {
    const id = MATCHER.entityOf.get(alias);
    if (id !== undefined) found?.push(id);
    // A Latin alias glued to its version stays glued: "qwen4.5" and "glm-5" remain one (model) token.
    const next = normalised.charAt(offset + alias.length);
    return !CJK.test(alias) && /[0-9-]/.test(next) ? ` ${id ?? alias}` : ` ${id ?? alias} `;
  });
}

/** Whether a token is an entity id of the table (as {@link canonicalEntityText} writes them). */
export function isEntityId(token: string): boolean {
  return Object.hasOwn(ENTITY_ALIASES, token);
}

/** Units kept as they are: a share or a multiple. */
const UNITS: ReadonlyMap<string, string> = new Map([
  ['%', '%'],
  ['倍', 'x'],
  ['x', 'x'],
]);

const NUMBER = String.raw`\d+(?:[.,]\d+)*`;
/**
 * A number (optionally a range "5-10", "5 to 10", "5至10") not glued to a name before it, then an
 * optional scale or unit. A Latin scale or unit must end the word ("12b", not "12bit").
 */
const QUANTITY = new RegExp(
  String.raw`(?<![a-z0-9._\-/])(${NUMBER})(?:\s*(?:-|–|—|~|～|to|至|到)\s*(${NUMBER}))?\s*` +
    `(${SCALE_WORD_PATTERN}|${SCALE_LETTER_PATTERN}|%|倍|x)?(?![a-z0-9])`,
  'g',
);

/** Shortest spelling of a number that round-trips at six significant digits. */
function formatNumber(value: number): string {
  const rounded = Number(value.toPrecision(6));
  if (Math.abs(rounded) >= 1e5) return rounded.toExponential().replace('e+', 'e');
  return String(rounded);
}

/**
 * Distinctive quantities of a text, normalised (see the module comment), sorted, without duplicates.
 * A quantity counts when it has a scale ("12B", "120亿"), a unit ("%", "倍"), is a range ("5-10"),
 * or is a plain number of at least 100 that is not a year (1900–2100).
 */
export function extractQuantities(text: string): string[] {
  const found = new Set<string>();
  const normalised = tokenText(text);
  QUANTITY.lastIndex = 0;
  for (let match = QUANTITY.exec(normalised); match !== null; match = QUANTITY.exec(normalised)) {
    const [, lowText = '', highText, suffix] = match;
    const low = parseNumber(lowText);
    const high = highText === undefined ? undefined : parseNumber(highText);
    if (!Number.isFinite(low) || (high !== undefined && !Number.isFinite(high))) continue;
    const scale = suffix === undefined ? undefined : scaleFactor(suffix);
    const unit = suffix === undefined ? undefined : UNITS.get(suffix);
    if (scale !== undefined) {
      found.add(
        high === undefined ? formatNumber(low * scale) : `${formatNumber(low * scale)}-${formatNumber(high * scale)}`,
      );
    } else if (unit !== undefined) {
      found.add(
        high === undefined ? `${formatNumber(low)}${unit}` : `${formatNumber(low)}-${formatNumber(high)}${unit}`,
      );
    } else if (high !== undefined) {
      if (high > low && !(isYear(low) && isYear(high))) found.add(`${formatNumber(low)}-${formatNumber(high)}`);
    } else if (low >= 100 && !isYear(low)) {
      found.add(formatNumber(low));
    }
  }
  return [...found].sort();
}

function isYear(value: number): boolean {
  return Number.isInteger(value) && value >= 1900 && value <= 2100;
}
