/**
 * A model sentence that talks about its own instructions is not news: "You write parts of a daily
 * report on AI for practitioners", "根据所提供的摘录……". The verifier checks numbers and names, so
 * such a sentence, citing an excerpt, would pass it; this screen drops it first, whatever part it
 * was written for (a story, the overview, the demo's "what it shows" line).
 *
 * Two tests, each a class rather than a list of examples:
 * - an echo: a run of ECHO_WORDS words that stands in one of our prompts (every task's fixed text,
 *   in both report languages) and not in the excerpts the sentence cites;
 * - prompt vocabulary: the words our prompts use for their own machinery (excerpts, fences,
 *   untrusted data) in English or Chinese, which a report sentence has no reason to use.
 */
import { demoPrompt } from './demo.js';
import { type Excerpt, FULL_OVERVIEW, overviewPrompt, retryPrompt, storyPrompt, systemPrompt } from './prompt.js';

/** Words in a row that make an echo: long enough that ordinary prose does not share them by chance. */
export const ECHO_WORDS = 6;

const PROMPT_VOCABULARY =
  /\bexcerpts?\b|\bfenced?\b|\buntrusted (?:data|text|content)\b|摘录|节选|围栏|不可信(?:的)?(?:数据|内容|文本)|(?:所|被)?提供的(?:资料|材料|来源|摘要)/i;

const PLACEHOLDER = 'boundary';

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function runs(list: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index + ECHO_WORDS <= list.length; index += 1)
    out.push(list.slice(index, index + ECHO_WORDS).join(' '));
  return out;
}

let promptRuns: ReadonlySet<string> | undefined;

/** Every run of ECHO_WORDS words of our prompts' own text (no excerpts in them). */
function ourRuns(): ReadonlySet<string> {
  if (promptRuns) return promptRuns;
  const none: Excerpt[] = [];
  const texts = (['zh', 'en'] as const).flatMap((language) => [
    systemPrompt(language, PLACEHOLDER),
    storyPrompt(language, none, PLACEHOLDER),
    demoPrompt(language, none, PLACEHOLDER, [], undefined),
  ]);
  texts.push(overviewPrompt([], FULL_OVERVIEW, PLACEHOLDER), retryPrompt('', []));
  promptRuns = new Set(texts.flatMap((text) => runs(words(text.split(PLACEHOLDER).join(' ')))));
  return promptRuns;
}

/**
 * Why a model sentence repeats or discusses our own instructions, or undefined when it does not.
 * `citedText` is the text of the excerpts it cites: words a source itself uses are never an echo.
 */
export function promptEcho(text: string, citedText: string): string | undefined {
  const vocabulary = PROMPT_VOCABULARY.exec(text);
  if (vocabulary && !citedText.toLowerCase().includes(vocabulary[0].toLowerCase()))
    return `talks about the prompt ("${vocabulary[0]}"); write about the story itself`;
  const cited = new Set(runs(words(citedText)));
  const echoed = runs(words(text)).find((run) => ourRuns().has(run) && !cited.has(run));
  return echoed === undefined ? undefined : `repeats the instructions ("${echoed}"); write about the story itself`;
}

/** Words that carry no news of their own (a headline restated with them says nothing more). */
const FILLER = new Set(
  'a an the of to in on for and or with by from at as is are was were be been its it this that new now has have will today announces announced introduces introducing launches launched releases released unveils unveiled 快讯 发布 推出 宣布 上线 正式 今日 今天 近日 日前 最新 一个 一款 一项 新的 全新 消息'.split(
    ' ',
  ),
);

/** Latin words (lower case) and Han characters: the units two texts are compared by. */
function units(text: string): string[] {
  return (text.toLowerCase().match(/[\p{Script=Latin}\p{N}]+|\p{Script=Han}/gu) ?? []).filter(
    (unit) => !FILLER.has(unit),
  );
}

/**
 * Whether a summary sentence only restates a heading (the story's title or the model's headline):
 * at most one unit of it — a Latin word or a Han character, filler words aside — is in none of
 * them. Such a sentence tells the reader nothing the headline did not.
 */
export function restatesHeading(text: string, headings: readonly string[]): boolean {
  const known = new Set(headings.flatMap(units));
  for (const filler of FILLER) for (const unit of units(filler)) known.add(unit);
  const fresh = new Set(units(text).filter((unit) => !known.has(unit)));
  return fresh.size <= 1;
}
